"""The battle pages: a battle with its replay viewer, watching live, playing; whose stderr
each viewer sees, and hostile text kept as text."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from battles.models import Battle
from stats.models import AgentStats
from tests.pages.conftest import HOSTILE, HOSTILE_ESCAPED

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def viewer_data(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(
        r'<script id="viewer-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_a_finished_battle_shows_its_result_without_javascript_and_feeds_the_viewer(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    page = anonymous_browser.get(f"/battles/{played_battle.public_id}").content.decode()
    assert "A draw after 1 turn (all_inactive)" in page  # both crashed on turn 1
    assert "owner/pacman v2" in page
    assert "opponent/ghost v1" in page
    assert 'http-equiv="refresh"' not in page
    data = viewer_data(page)
    assert data["replay"]["turns"][0]["turn"] == 1
    assert len(data["maze"]) >= 10
    assert set("".join(data["maze"])) <= {"#", " "}
    assert data["seats"] == ["owner/pacman v2", "opponent/ghost v1"]
    assert 'src="/static/gamearena/replay.js"' in page


def test_the_owner_sees_their_seats_stderr_escaped_and_nobody_else_sees_it(
    played_battle: Battle,
    owner_browser: Client,
    stranger_browser: Client,
    anonymous_browser: Client,
) -> None:
    path = f"/battles/{played_battle.public_id}"
    page = owner_browser.get(path).content.decode()
    assert HOSTILE not in page
    assert HOSTILE_ESCAPED in page  # the last stderr line, in the seats table
    assert HOSTILE in json.dumps(viewer_data(page)["replay"])  # as data, for textContent
    assert 'id="stderr0"' in page
    assert 'id="stderr1"' not in page
    for browser in (stranger_browser, anonymous_browser):
        other = browser.get(path).content.decode()
        assert "pwned" not in other
        assert 'id="stderr0"' not in other


def test_hostile_usernames_in_seat_names_stay_text(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    get_user_model().objects.filter(username="owner").update(username=HOSTILE)
    played_battle.seats.filter(seat=0).update(display_name=f"{HOSTILE}/pacman v2")
    for path in (
        f"/battles/{played_battle.public_id}",
        "/",
        f"/battles/{played_battle.public_id}/watch",
    ):
        page = anonymous_browser.get(path).content.decode()
        assert HOSTILE not in page, path


def test_an_unknown_battle_is_a_404_page(anonymous_browser: Client) -> None:
    response = anonymous_browser.get("/battles/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_the_watch_page_subscribes_to_the_battles_event_stream(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    page = anonymous_browser.get(f"/battles/{played_battle.public_id}/watch").content.decode()
    assert 'src="/static/gamearena/watch.js"' in page
    assert viewer_data(page)["battle"] == str(played_battle.public_id)


def test_the_leaderboard_links_bots_and_lists_recent_battles(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    page = anonymous_browser.get("/").content.decode()
    pacman = played_battle.seats.get(seat=0).bot_id
    assert f'href="/bots/{pacman}"' in page
    assert f'href="/battles/{played_battle.public_id}"' in page
    assert 'data-slot="rank-interval"' in page


def test_playing_needs_an_account_and_offers_the_house_bots(
    anonymous_browser: Client, owner: User
) -> None:
    assert anonymous_browser.get("/play")["Location"].startswith("/accounts/login")
    browser = Client()
    browser.force_login(owner)
    page = browser.get("/play").content.decode()
    assert '<option value="house:greedy" selected>' in page
    assert 'name="csrf-token"' in page
    assert 'src="/static/gamearena/play.js"' in page


def test_every_page_of_the_frame_has_the_favicon_and_our_stylesheet(
    anonymous_browser: Client,
) -> None:
    for path in ("/", "/accounts/login", "/accounts/signup"):
        page = anonymous_browser.get(path).content.decode()
        assert 'rel="icon" href="/favicon.ico"' in page
        assert 'href="/static/gamearena/site.css"' in page


def test_the_leaderboard_says_when_each_bot_last_played(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    page = anonymous_browser.get("/").content.decode()
    played = AgentStats.objects.get(agent_name="owner/pacman").last_battle_at
    assert played is not None
    assert f'data-slot="last-battle">{played:%m-%d %H:%M}<' in page


def test_a_bots_page_lists_the_battles_of_one_version_when_asked(
    played_battle: Battle, anonymous_browser: Client
) -> None:
    bot = played_battle.seats.get(seat=0).bot_id
    link = f'href="/battles/{played_battle.public_id}"'
    assert link in anonymous_browser.get(f"/bots/{bot}?version=2").content.decode()
    page = anonymous_browser.get(f"/bots/{bot}?version=1").content.decode()
    assert link not in page
    assert "Recent battles of v1" in page
    assert link in anonymous_browser.get(f"/bots/{bot}?version=nonsense").content.decode()
