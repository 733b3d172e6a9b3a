"""`manage.py ladder`: plays the ladder battles it schedules, then prints the leaderboard.
Short real games: one of the two bots crashes on turn 1."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command

from battles.models import Battle
from bots.services import bot_submit
from tests.battles.conftest import CRASHER, STILL

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unsafe_sandbox")]


def test_the_command_plays_its_battles_and_prints_the_leaderboard(
    owner: User, opponent: User
) -> None:
    bot_submit(owner=owner, name="stands", code=STILL)
    bot_submit(owner=opponent, name="crashes", code=CRASHER)
    out, err = io.StringIO(), io.StringIO()

    call_command("ladder", battles=2, stdout=out, stderr=err)

    battles = Battle.objects.filter(reason=Battle.Reason.LADDER)
    assert [b.status for b in battles] == ["finished", "finished"]
    assert "2/2" in err.getvalue()
    board = out.getvalue().splitlines()
    assert board[0].split() == ["rank", "bot", "rating", "battles", "wins"]
    assert sorted(line.split()[1] for line in board[1:]) == ["opponent/crashes", "owner/stands"]


def test_the_command_needs_two_bots_to_pair(owner: User) -> None:
    bot_submit(owner=owner, name="alone", code=STILL)

    with pytest.raises(CommandError, match="at least two"):
        call_command("ladder", battles=2, stdout=io.StringIO(), stderr=io.StringIO())
