"""stats.selectors: the leaderboard the home page shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from bots.models import Bot
from bots.services import bot_submit
from stats.selectors import leaderboard_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Any:
    return get_user_model().objects.create_user("alice", password="a long passphrase")


def test_the_leaderboard_is_strongest_first_with_ties_by_name(owner: Any) -> None:
    Bot.objects.create(owner=owner, name="b-mid", code="x", elo_rating=1200)
    Bot.objects.create(owner=owner, name="a-mid", code="x", elo_rating=1200)
    Bot.objects.create(owner=owner, name="top", code="x", elo_rating=1500)

    board = leaderboard_get()

    assert [bot.name for bot in board.bots] == ["top", "a-mid", "b-mid"]
    assert board.count == 3


def test_the_leaderboard_is_cut_at_its_limit_but_counts_every_bot(owner: Any) -> None:
    for n in range(5):
        Bot.objects.create(owner=owner, name=f"bot{n}", code="x", elo_rating=1000 + n)

    board = leaderboard_get(limit=2)

    assert [bot.name for bot in board.bots] == ["bot4", "bot3"]
    assert board.count == 5


def test_the_leaderboard_loads_no_code_and_reads_owners_in_the_same_query(
    owner: Any, django_assert_num_queries: Any
) -> None:
    Bot.objects.create(owner=owner, name="pac", code="SECRET", elo_rating=1000)

    with django_assert_num_queries(2):
        board = leaderboard_get()
        assert board.bots[0].owner.username == "alice"
    assert "code" in board.bots[0].get_deferred_fields()


def test_a_leaderboard_page_is_three_queries_however_many_bots(
    owner: Any, django_assert_num_queries: Any
) -> None:
    from stats.selectors import leaderboard_page
    from stats.services import rating_sync_bot

    for n in range(30):
        rating_sync_bot(bot=bot_submit(owner=owner, name=f"bot{n}", code="x").bot)

    with django_assert_num_queries(3):
        page = leaderboard_page(limit=20, offset=5)
    assert [row.owner for row in page.entries] == ["alice"] * 20
    assert [row.rank for row in page.entries] == list(range(6, 26))
    assert page.entries[0].active_version == 1
    assert page.count == 30


def test_the_admins_deactivate_action_takes_bots_off_the_leaderboard(
    owner: Any, admin_client: Any
) -> None:
    from stats.selectors import leaderboard_page
    from stats.services import rating_sync_bot

    bots = [bot_submit(owner=owner, name=f"bot{n}", code="x").bot for n in range(3)]
    for bot in bots:
        rating_sync_bot(bot=bot)

    admin_client.post(
        "/admin/bots/bot/",
        {"action": "deactivate", "_selected_action": [str(bots[0].pk), str(bots[1].pk)]},
    )

    assert [entry.bot_id for entry in leaderboard_page().entries] == [bots[2].pk]
