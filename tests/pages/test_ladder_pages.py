"""The ladder's data on the pages: the home page's leaderboard (the same bots, in the same
order, as GET /api/leaderboard), and on a bot's page its rating chart, per-version ratings,
head-to-head record, qualification (its reason for the owner only) and duels."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from battles import services
from battles.models import Battle
from bots.models import Bot, BotVersion
from stats.models import BotRating, Duel
from stats.services import leaderboard_refresh_ranks, rating_sync_bot
from tests.pages.conftest import HOSTILE, HOSTILE_ESCAPED
from tests.stats.ladder import record_finished

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(owner_bot: Bot, opponent_bot: Bot) -> None:
    """The owner's v1 loses once, then v2 wins twice on the ladder; ranks refreshed."""
    v1 = owner_bot.versions.get(version_number=1)
    record_finished(v1, opponent_bot, winner=1)
    record_finished(owner_bot, opponent_bot, winner=0)
    record_finished(opponent_bot, owner_bot, winner=1)
    leaderboard_refresh_ranks()


@pytest.fixture
def no_battles_played(monkeypatch: Any) -> None:
    """Battles scheduled by a page stay queued: the test is about the page, not the games."""
    monkeypatch.setattr(services, "battle_enqueue", lambda *, battle_id, countdown=0: None)


def listed_bot_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-bot="(\d+)">', page)]


def section(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"', 1)[1].split("</table>", 1)[0]


def test_the_home_page_lists_the_same_bots_in_the_same_order_as_the_leaderboard_api(
    anonymous_api: APIClient, owner: User
) -> None:
    # Two pages of bots, ties in score among them, and one off the board (inactive).
    bots = Bot.objects.bulk_create(
        Bot(owner=owner, name=f"bot{index:03}", code="x") for index in range(60)
    )
    BotRating.objects.bulk_create(
        BotRating(
            bot=bot,
            mu=25 + index % 7,
            sigma=2,
            conservative=19 + index % 7,
            elo=1200,
            listed=bot.name != "bot013",
        )
        for index, bot in enumerate(bots)
    )

    for number, offset in ((1, 0), (2, 50)):
        api = anonymous_api.get("/api/leaderboard", {"offset": offset}).json()
        page = anonymous_api.get("/", {"page": number}).content.decode()
        assert listed_bot_ids(page) == [entry["bot"]["id"] for entry in api["entries"]]
        assert f"Page {number} of 2 · 59 bots" in page
    first_page = anonymous_api.get("/").content.decode()
    assert len(listed_bot_ids(first_page)) == 50
    assert 'href="?page=2" rel="next"' in first_page
    assert "bot013" not in first_page + anonymous_api.get("/?page=2").content.decode()


@pytest.mark.usefixtures("played")
def test_the_home_page_shows_rank_interval_score_elo_battles_win_rate_version_and_last_battle(
    anonymous_browser: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    page = anonymous_browser.get("/").content.decode()

    assert listed_bot_ids(page) == [owner_bot.pk, opponent_bot.pk]
    row = page.split(f'<tr data-bot="{owner_bot.pk}">', 1)[1].split("</tr>", 1)[0]
    rating = BotRating.objects.get(pk=owner_bot.pk)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[0] == "1"
    assert cells[1] == f"{rating.rank_low}\N{EN DASH}{rating.rank_high}"
    assert f'href="/bots/{owner_bot.pk}">pacman</a>' in cells[2]
    assert cells[3] == "owner"
    assert cells[4] == f"{rating.conservative:.1f}"
    assert cells[5] == f"{rating.elo:.0f}"
    assert cells[6:9] == ["3", "67%", "v2"]  # battles, wins/battles, the active version
    assert rating.last_battle_at is not None
    assert cells[9] == f"{timezone.localtime(rating.last_battle_at):%m-%d %H:%M}"
    assert "Recent battles" in page
    assert page.count(f'href="/battles/{Battle.objects.first().public_id}"') == 1  # type: ignore[union-attr]


def test_the_home_page_escapes_a_hostile_bot_name_and_survives_a_bad_page_number(
    anonymous_browser: Client, owner_bot: Bot
) -> None:
    rating_sync_bot(bot=owner_bot)  # on the board
    Bot.objects.filter(pk=owner_bot.pk).update(name=HOSTILE)

    page = anonymous_browser.get("/?page=abc").content.decode()

    assert HOSTILE not in page
    assert HOSTILE_ESCAPED in page
    assert "No bots on page 7" in anonymous_browser.get("/?page=7").content.decode()


@pytest.mark.usefixtures("played")
def test_a_bots_page_charts_its_rating_across_versions_for_everyone(
    anonymous_browser: Client, owner_bot: Bot
) -> None:
    page = anonymous_browser.get(f"/bots/{owner_bot.pk}").content.decode()

    chart = page.split('<svg class="chart" id="rating-chart"', 1)[1].split("</svg>", 1)[0]
    assert re.findall(r'class="version-label">(v\d+)</text>', chart) == ["v1", "v2"]
    points = re.search(r'<polyline class="line" points="([^"]+)"', chart)
    assert points is not None
    assert len(points.group(1).split()) == 3
    assert "3 rated battles" in page


@pytest.mark.usefixtures("played")
def test_a_bots_page_shows_each_versions_battles_win_rate_and_rating_with_its_uncertainty(
    stranger_browser: Client, owner_bot: Bot
) -> None:
    page = stranger_browser.get(f"/bots/{owner_bot.pk}").content.decode()

    versions = section(page, "versions")
    v2 = versions.split('data-version="2"', 1)[1].split("</tr>", 1)[0]
    v1 = versions.split('data-version="1"', 1)[1].split("</tr>", 1)[0]
    rating = owner_bot.versions.get(version_number=2).rating
    assert ">2</a>" in v2
    assert "100%" in v2
    assert f"{rating.mu:.1f} ± {rating.sigma:.1f}" in v2
    assert ">1</a>" in v1
    assert "0%" in v1
    assert "score " in page.split('id="bot-rating"', 1)[1]


@pytest.mark.usefixtures("played")
def test_a_bots_page_has_a_head_to_head_row_for_each_bot_it_played(
    anonymous_browser: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    record_finished(owner_bot, "greedy", winner=0)  # a house bot is not a bot: no row

    table = section(anonymous_browser.get(f"/bots/{owner_bot.pk}").content.decode(), "head-to-head")

    rows = re.findall(r'<tr data-opponent="(\d+)">(.*?)</tr>', table, re.S)
    assert [int(opponent) for opponent, _ in rows] == [opponent_bot.pk]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0][1], re.S)
    assert f'href="/bots/{opponent_bot.pk}">ghost</a>' in cells[0]
    assert cells[1:] == ["opponent", "3", "2", "1", "0", "67%"]


def fail_qualification(version: BotVersion, stderr: str) -> None:
    BotVersion.objects.filter(pk=version.pk).update(
        qualification_status=BotVersion.Qualification.FAILED,
        qualification_reason="crashed on turn 4: exited with 3",
        qualification_fault="crashed",
        qualification_fault_turn=4,
        qualification_stderr_owner_only=stderr,
    )


def test_only_the_owner_sees_why_a_version_failed_its_qualification_escaped(
    owner_browser: Client, stranger_browser: Client, anonymous_browser: Client, owner_bot: Bot
) -> None:
    fail_qualification(owner_bot.versions.get(version_number=1), stderr=HOSTILE)

    mine = section(owner_browser.get(f"/bots/{owner_bot.pk}").content.decode(), "versions")
    assert '<span class="badge bad">failed</span>' in mine
    assert "crashed on turn 4: exited with 3" in mine
    assert "Fault: <strong>crashed</strong> on turn 4" in mine
    assert HOSTILE_ESCAPED in mine
    assert HOSTILE not in mine
    for browser in (stranger_browser, anonymous_browser):
        theirs = section(browser.get(f"/bots/{owner_bot.pk}").content.decode(), "versions")
        assert '<span class="badge bad">failed</span>' in theirs
        assert "exited with 3" not in theirs
        assert "pwned" not in theirs


def test_a_bots_page_notes_a_new_version_pending_qualification(
    anonymous_browser: Client, owner_bot: Bot
) -> None:
    # v2 waits while v1 stays active, as a submission with qualification on leaves them.
    Bot.objects.filter(pk=owner_bot.pk).update(version_number=1)
    BotVersion.objects.filter(bot=owner_bot, version_number=2).update(
        qualification_status=BotVersion.Qualification.PENDING
    )

    page = anonymous_browser.get(f"/bots/{owner_bot.pk}").content.decode()

    assert 'data-pending="2"' in page
    assert "v2 waits for its qualification battle" in page
    assert "v1 plays meanwhile" in page


def test_a_first_version_pending_qualification_plays_and_joins_the_ladder_once_it_passes(
    anonymous_browser: Client, opponent_bot: Bot
) -> None:
    BotVersion.objects.filter(bot=opponent_bot).update(
        qualification_status=BotVersion.Qualification.PENDING
    )

    page = anonymous_browser.get(f"/bots/{opponent_bot.pk}").content.decode()

    assert "v1 waits for its qualification battle; it plays, and joins the ladder" in page


@pytest.mark.usefixtures("played")
def test_a_hostile_opponent_name_stays_text_in_the_head_to_head_table(
    anonymous_browser: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    Bot.objects.filter(pk=opponent_bot.pk).update(name=HOSTILE)

    page = anonymous_browser.get(f"/bots/{owner_bot.pk}").content.decode()

    assert HOSTILE_ESCAPED in section(page, "head-to-head")
    assert HOSTILE not in page


@pytest.mark.usefixtures("no_battles_played")
def test_the_owner_starts_a_duel_from_the_bot_page_and_sees_it_listed(
    owner_browser: Client, owner_bot: Bot
) -> None:
    response = owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "2", "b": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/bots/{owner_bot.pk}#duels"
    duel = Duel.objects.get(bot=owner_bot)
    assert (duel.version_a.version_number, duel.version_b.version_number) == (2, 1)
    Duel.objects.filter(pk=duel.pk).update(
        status=Duel.Status.DECIDED, decision="better", wins=3, draws=1, losses=0
    )
    page = owner_browser.get(response["Location"]).content.decode()
    assert "Duel started: v2 against v1." in page
    row = section(page, "duel-list").split(f'data-duel="{duel.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "v2 vs v1" in row
    assert "<strong>better</strong>" in row
    assert "3 / 1 / 0" in row


@pytest.mark.usefixtures("no_battles_played")
def test_a_duel_the_service_refuses_shows_its_code_next_to_the_field(
    owner_browser: Client, owner_bot: Bot
) -> None:
    same = owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "2", "b": "2"})
    missing = owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "9", "b": "1"})
    not_a_number = owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "x", "b": "1"})

    for response, field, code in ((same, "b", "invalid_duel"), (missing, "a", "version_not_found"),
                                  (not_a_number, "a", "invalid_a")):  # fmt: skip
        assert response.status_code == 400
        page = response.content.decode()
        assert code in page.split(f'id="duel-{field}-errors"', 1)[1].split("</ul>", 1)[0]
    assert not Duel.objects.exists()


@pytest.mark.usefixtures("no_battles_played")
def test_a_second_running_duel_is_refused_above_the_form(
    owner_browser: Client, owner_bot: Bot
) -> None:
    owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "2", "b": "1"})

    response = owner_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "1", "b": "2"})

    assert response.status_code == 400
    general = response.content.decode().split('id="duel-errors"', 1)[1].split("</ul>", 1)[0]
    assert "duel_running" in general
    assert Duel.objects.count() == 1


@pytest.mark.usefixtures("no_battles_played")
def test_only_the_owner_sees_and_starts_duels(
    stranger_browser: Client, anonymous_browser: Client, owner_bot: Bot
) -> None:
    for browser in (stranger_browser, anonymous_browser):
        page = browser.get(f"/bots/{owner_bot.pk}").content.decode()
        assert 'id="duel-form"' not in page
        assert 'id="duels"' not in page
    assert (
        stranger_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "2", "b": "1"}).status_code == 404
    )
    refused = anonymous_browser.post(f"/bots/{owner_bot.pk}/duel", {"a": "2", "b": "1"})
    assert refused["Location"].startswith("/accounts/login?next=")
    assert not Duel.objects.exists()
