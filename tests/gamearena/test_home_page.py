"""The home page: a leaderboard anybody can read, escaping whatever users named things."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bots.services import bot_submit
from stats.models import VersionRating
from stats.services import rating_sync_bot

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_bots_strongest_first_without_their_code(client: Client) -> None:
    owner = get_user_model().objects.create_user("alice", password="a long passphrase")
    for name, mu in (("weak", 20.0), ("strong", 30.0)):
        bot = bot_submit(owner=owner, name=name, code=f"SECRET_{name.upper()}_CODE").bot
        VersionRating.objects.filter(bot=bot).update(mu=mu)
        rating_sync_bot(bot=bot)
    page = client.get("/").content.decode()
    assert page.index("strong") < page.index("weak")
    assert "SECRET_" not in page


def test_the_home_page_escapes_user_supplied_names(client: Client) -> None:
    owner = get_user_model().objects.create_user(
        "<script>alert(1)</script>", password="a long passphrase"
    )
    bot_submit(owner=owner, name="pac", code="x")
    page = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_home_page_warns_when_bots_run_without_isolation(client: Client, settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "SANDBOX_MODE": "none"}
    assert "Bots run without isolation" in client.get("/").content.decode()
    settings.GAMEARENA = {**settings.GAMEARENA, "SANDBOX_MODE": "bwrap"}
    assert "Bots run without isolation" not in client.get("/").content.decode()


def test_an_unknown_api_path_answers_the_error_envelope(client: Client) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_page_answers_an_html_404(client: Client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
