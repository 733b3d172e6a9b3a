"""What the replay viewer and the live pages are given (reads only, no Django requests).

A replay stores every turn's state but not the maze: the maze is a pure function of the
seed (battles/engine/mapgen.py), so the page is given it here rather than stored twice.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from battles.engine import generate
from battles.models import Battle
from battles.replay import Replay
from gamearena.env import arena_settings


def battle_maze_rows(*, seed: int) -> list[str]:
    """The maze as rows of '#' (wall) and ' ' (floor), as the bots' first input draws it."""
    return list(generate(seed).grid.rows)


def viewer_payload(
    *, battle: Battle, replay: Replay | None, owner_seats: Collection[int]
) -> dict[str, Any]:
    """The JSON the viewer script reads (through json_script, so it is never raw HTML)."""
    seats = sorted(battle.seats.all(), key=lambda seat: seat.seat)
    return {
        "battle": str(battle.public_id),
        "status": battle.status,
        "maze": battle_maze_rows(seed=battle.seed),
        "seats": [seat.display_name for seat in seats],
        "owner_seats": sorted(owner_seats),
        "turn_limit_ms": arena_settings()["TURN_TIMEOUT_MS"],
        "replay": replay,
    }
