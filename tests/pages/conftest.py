"""What the page tests share: signed-in browsers of the cast, a hostile bot, played battles.

Battles are played in the test process with the plain-process sandbox (allowed explicitly)
against a bot that crashes on turn 1, so each costs one bot start, not a full game.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from battles import services
from battles.models import Battle, BattleReplay, BattleSeat
from battles.services import battle_create, battle_play, seat_spec_for
from bots.models import Bot
from bots.services import bot_submit
from tests.battles.conftest import CRASHER, STILL

if TYPE_CHECKING:
    from django.contrib.auth.models import User

HOSTILE = "<script>alert('pwned')</script>"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"
# Prints markup on stderr, then crashes on turn 1: its stderr reaches its owner's pages only.
HOSTILE_STDERR_BOT = (
    "import sys\n"
    "for _ in range(200):\n"
    "    line = sys.stdin.readline()\n"
    "    if line.strip().isdigit():\n"
    "        break\n"
    f"print({HOSTILE!r}, file=sys.stderr, flush=True)\n"
    "raise SystemExit(3)\n"
)


def browser_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owner_browser(owner: User) -> Client:
    return browser_for(owner)


@pytest.fixture
def stranger_browser(stranger: User) -> Client:
    return browser_for(stranger)


@pytest.fixture
def anonymous_browser(db: None) -> Client:
    return browser_for(None)


@pytest.fixture
def owner_bot(owner: User) -> Bot:
    """`owner/pacman`: v1 stands still, v2 (current) crashes with a hostile stderr line."""
    bot_submit(owner=owner, name="pacman", code=STILL, description="stands still")
    return bot_submit(owner=owner, name="pacman", code=HOSTILE_STDERR_BOT, description="v2").bot


@pytest.fixture
def opponent_bot(opponent: User) -> Bot:
    return bot_submit(owner=opponent, name="ghost", code=CRASHER).bot


@pytest.fixture
def played_battle(
    unsafe_sandbox: None, owner_bot: Bot, opponent_bot: Bot, monkeypatch: Any
) -> Battle:
    """A finished battle of the owner's bot (seat 0) against the opponent's, over on turn 1."""
    monkeypatch.setattr(services, "battle_enqueue", lambda *, battle_id, countdown=0: None)
    battle = battle_create(
        seats=(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot)),
        reason=Battle.Reason.REQUESTED,
        seed=11,
        enqueue=False,
    )
    played = battle_play(battle_id=battle.pk)
    assert played is not None
    assert played.status == Battle.Status.FINISHED
    return played


def timed_battle(bot: Bot, times_ms: list[float]) -> Battle:
    """A finished battle whose replay gives `bot` (seat 0) these CPU times on turns 1, 2, ..."""
    battle = battle_create(
        seats=(seat_spec_for(bot=bot), seat_spec_for(house="greedy")),
        reason=Battle.Reason.REQUESTED,
        seed=5,
        enqueue=False,
    )
    state: dict[str, Any] = {"turn": 0, "scores": [0, 0], "pacs": [], "pellets": []}
    turns = [
        {
            "turn": number,
            "players": [_entry(ms), _entry(1.0)],
            "state": {**state, "turn": number},
        }
        for number, ms in enumerate(times_ms, start=1)
    ]
    replay: Any = {"format": 1, "seed": 5, "policy": "arena", "initial_state": state,
                   "turns": turns, "outcome": None}  # fmt: skip
    data, raw = BattleReplay.pack(replay)
    BattleReplay.objects.create(battle=battle, data=data, raw_bytes=raw)
    Battle.objects.filter(pk=battle.pk).update(status=Battle.Status.FINISHED)
    BattleSeat.objects.filter(battle=battle).update(score=0, status="ok")
    return battle


def _entry(ms: float) -> dict[str, Any]:
    return {"status": "ok", "output": "WAIT", "fault": None, "time_ms": ms + 0.5, "cpu_ms": ms,
            "stderr_owner_only": ""}  # fmt: skip
