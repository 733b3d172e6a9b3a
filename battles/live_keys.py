"""Every key of the live store (battles/live_store.py), and its clock (STYLE #10).

Keys are versioned: a change of what an entry holds gets a new version, so a process of the
old release never misreads an entry of the new one during a deploy.

- ``battle:v1:<id>``: a live battle's entry (who plays, the turn awaited, its input, deadline);
- ``battle:v1:<id>:command:<turn>``: what the remote seat answered to that turn, written once;
- ``battle:v1:<id>:played:<turn>``: the worker's notice that the turn was played;
- ``battle:v1:<id>:event:<n>``: the n-th event of its stream (turns, then the end);
- ``battle:v1:index``: (Redis) every live entry's expiry, to count and prune them.
"""

from __future__ import annotations

import time

VERSION = "v1"
INDEX_KEY = f"battle:{VERSION}:index"


def battle_key(battle_id: str) -> str:
    return f"battle:{VERSION}:{battle_id}"


def battle_id_of(key: str) -> str | None:
    """The battle id of an entry's key; None for the other keys (commands, events, ...)."""
    prefix = f"battle:{VERSION}:"
    if not key.startswith(prefix) or ":" in key[len(prefix) :]:
        return None
    return key[len(prefix) :]


def part_key(battle_id: str, name: str) -> str:
    """A part of a battle's record: ``command:3``, ``played:3``, ``event:000012``."""
    return f"{battle_key(battle_id)}:{name}"


def command_name(turn: int) -> str:
    return f"command:{turn}"


def played_name(turn: int) -> str:
    return f"played:{turn}"


def event_key(battle_id: str, number: int) -> str:
    # Zero-padded so that keys sort as numbers do (the SQL backend reads a range of them).
    return part_key(battle_id, f"event:{number:06d}")


def events_key(battle_id: str) -> str:
    """(Redis) the list of a battle's events."""
    return part_key(battle_id, "events")


class LiveClock:
    """Epoch seconds, which tests can move forward (``live_clock.move(3600)``) to expire entries
    without waiting. Every TTL decision of the live store reads this clock."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def move(self, seconds: float) -> None:
        self.offset += seconds

    def reset(self) -> None:
        self.offset = 0.0


live_clock = LiveClock()
