"""Example bots play whole games as stored bots: the seed's, and docs/examples/starter_bot.py.

Each is uploaded with bot_submit, exactly as a user would, and played by `manage.py play`
in the plain-process sandbox (DEBUG on), so these run on any machine.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

from bots.services import bot_submit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STARTER_BOT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "starter_bot.py"

# The "Example Valid Bot" of the original bot-versioning write-up, copied verbatim.
SEED_EXAMPLE_BOT = """import sys

# Read init
width, height = map(int, input().split())
for _ in range(height):
    _ = input()

# Game loop
while True:
    # Read turn input
    my_score, opp_score = map(int, input().split())
    pac_count = int(input())
    my_pac = None
    for _ in range(pac_count):
        parts = input().split()
        pac_id, mine, x, y = int(parts[0]), parts[1] != '0', int(parts[2]), int(parts[3])
        if mine:
            my_pac = (pac_id, x, y)
    
    pellet_count = int(input())
    pellets = []
    for _ in range(pellet_count):
        px, py, val = map(int, input().split())
        pellets.append((px, py))
    
    # Make move
    if my_pac and pellets:
        pac_id, px, py = my_pac
        # Go to first pellet
        print(f"MOVE {pac_id} {pellets[0][0]} {pellets[0][1]}", flush=True)
    elif my_pac:
        # No pellets, stay in place
        pac_id, px, py = my_pac
        print(f"MOVE {pac_id} {px} {py}", flush=True)
"""  # noqa: W293 (the blank lines' trailing spaces are the original's)


@pytest.fixture
def plain_sandbox(settings: Any) -> None:
    settings.DEBUG = True
    settings.GAMEARENA = {**settings.GAMEARENA, "SANDBOX_MODE": "none"}


def play(*args: str) -> dict[str, Any]:
    out = StringIO()
    # Generous time limits: this is about the protocol, not speed on a busy test machine.
    call_command(
        "play",
        *args,
        "--json",
        "--first-turn-timeout",
        "5000",
        "--turn-timeout",
        "1000",
        stdout=out,
        stderr=StringIO(),
    )
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def assert_no_fault(result: dict[str, Any]) -> None:
    for player in result["players"]:
        assert (player["status"], player["turn"]) == ("ok", None), result["players"]


def test_the_seeds_example_bot_plays_a_whole_game_as_a_stored_bot(
    owner: User, plain_sandbox: None
) -> None:
    bot_submit(owner=owner, name="seed-example", code=SEED_EXAMPLE_BOT)

    result = play("owner/seed-example", "house:greedy", "--seed", "1")

    assert_no_fault(result)
    assert result["termination"] in {"turn_limit", "no_improvement"}
    assert result["turns"] > 1
    assert result["players"][0]["bot"] == "owner/seed-example@1"


def test_the_starter_bot_plays_200_turns_without_a_fault(owner: User, plain_sandbox: None) -> None:
    bot_submit(owner=owner, name="starter", code=STARTER_BOT.read_text())

    result = play("owner/starter", "house:greedy", "--seed", "2")

    assert_no_fault(result)
    assert (result["turns"], result["termination"]) == (200, "turn_limit")
    assert result["scores"][0] > 0


@pytest.mark.parametrize("seed", ["1", "3", "11"])
def test_the_starter_bot_finishes_other_maps_without_a_fault(
    owner: User, plain_sandbox: None, seed: str
) -> None:
    bot_submit(owner=owner, name="starter", code=STARTER_BOT.read_text())

    result = play("owner/starter", "owner/starter", "--seed", seed)

    assert_no_fault(result)
    assert min(result["scores"]) > 0
