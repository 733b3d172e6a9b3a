"""Each battle's stream of events (GET /api/battles/<id>/events): every turn as it is played,
for ladder battles as for live ones, kept in the live store with its TTL.

An event holds the turn's public record (state, each seat's output, status and time) and each
seat's stderr, which only that seat's owner may read: `event_for_viewer` removes the others'.
Publishing never fails a battle: a store that does not answer costs the watchers their stream,
not the players their game.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from battles.live_store import live_store

if TYPE_CHECKING:
    from battles.replay import ReplayTurn

logger = logging.getLogger(__name__)


def live_events_publish_turn(
    *, battle_id: str, record: ReplayTurn, view: dict[str, Any] | None = None
) -> None:
    """Publishes a played turn. With `view` (a running live battle: the remote seat's own,
    fogged board in the snapshot's shape, battles/live.py) in place of the whole state."""
    players: list[dict[str, Any] | None] = []
    stderr: list[str] = []
    for entry in record["players"]:
        if entry is None:
            players.append(None)
            stderr.append("")
            continue
        players.append(
            {
                "status": entry["status"],
                "output": entry["output"],
                "fault": entry["fault"],
                "time_ms": entry["time_ms"],
            }
        )
        stderr.append(entry["stderr_owner_only"])
    event = {
        "type": "turn",
        "turn": record["turn"],
        "state": record["state"] if view is None else view,
        "players": players,
        "stderr_owner_only": stderr,
    }
    live_events_publish(battle_id=battle_id, event=event)


def live_events_publish(*, battle_id: str, event: dict[str, Any]) -> int | None:
    try:
        return live_store().append_event(battle_id, event)
    except Exception as error:
        logger.warning("battle %s: event not published (%r)", battle_id, error)
        return None


def event_for_viewer(event: dict[str, Any], owner_seats: Collection[int]) -> dict[str, Any]:
    """The event as `owner_seats`'s owner may see it: stderr of their own seats only."""
    shown = {key: value for key, value in event.items() if key != "stderr_owner_only"}
    stderr = event.get("stderr_owner_only")
    if stderr is not None:
        shown["stderr"] = {str(seat): stderr[seat] for seat in sorted(owner_seats) if seat < 2}
    return shown
