"""Per-seat timing summaries of a replay: what a bot's author needs to see how close to its
deadline it plays (the deadline is judged on the bot's own CPU time; wall time is shown too)."""

from __future__ import annotations

import math
from typing import Any, TypedDict

from battles.replay import Replay

SLOWEST_TURNS_KEPT = 3


class Spread(TypedDict):
    p50: float
    p95: float
    max: float


class SeatTiming(TypedDict):
    turns: int  # turns this seat answered (or faulted on)
    wall_ms: Spread | None
    cpu_ms: Spread | None  # None where the host could not measure the bot's CPU time
    slowest_turns: list[dict[str, Any]]  # [{"turn", "wall_ms", "cpu_ms"}], slowest first


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: a value that was really measured, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    return {
        "p50": round(percentile(values, 0.50), 3),
        "p95": round(percentile(values, 0.95), 3),
        "max": round(max(values), 3),
    }


def seat_timing(replay: Replay, seat: int) -> SeatTiming:
    rows: list[tuple[int, float, float | None]] = []
    for turn in replay["turns"]:
        entry = turn["players"][seat]
        if entry is not None:
            cpu = entry.get("cpu_ms")
            rows.append((turn["turn"], float(entry["time_ms"]), None if cpu is None else cpu))
    cpus = [cpu for _, _, cpu in rows if cpu is not None]
    slowest = sorted(rows, key=lambda row: row[2] if row[2] is not None else row[1], reverse=True)
    return {
        "turns": len(rows),
        "wall_ms": spread([wall for _, wall, _ in rows]),
        "cpu_ms": spread(cpus) if len(cpus) == len(rows) else None,
        "slowest_turns": [
            {"turn": number, "wall_ms": wall, "cpu_ms": cpu}
            for number, wall, cpu in slowest[:SLOWEST_TURNS_KEPT]
        ],
    }
