"""A bot's per-turn timing profile for its owner's page: how close to the deadline it plays.

Read from the replay of the bot's latest finished battle (every turn's time is there; the
seat's stored `timing` keeps only its percentiles), judged on CPU time where the host measured
it (the deadline is judged on it: docs/sandbox.md), else on wall time.
"""

from __future__ import annotations

from dataclasses import dataclass

from battles.models import Battle, BattleReplay, BattleSeat
from battles.timing import percentile

HISTOGRAM_BUCKETS = 20
SLOWEST_SHOWN = 5
WARN_SHARE_OF_LIMIT = 0.6  # p95 above 60% of the turn limit: one busy host away from timeouts
FIRST_TURN = 1  # answered under the longer first-turn limit: not part of the profile


@dataclass(frozen=True)
class Bucket:
    low_ms: float
    high_ms: float
    count: int
    height_percent: int
    over_limit: bool


@dataclass(frozen=True)
class TimingProfile:
    battle: Battle
    seat: int
    measure: str  # "CPU" or "wall"
    turn_limit_ms: int
    turns: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    buckets: list[Bucket]
    slowest: list[tuple[int, float]]  # (turn, ms), slowest first

    @property
    def warn(self) -> bool:
        return self.p95_ms > WARN_SHARE_OF_LIMIT * self.turn_limit_ms

    @property
    def warn_threshold_ms(self) -> float:
        return WARN_SHARE_OF_LIMIT * self.turn_limit_ms


def timing_profile_get(*, bot_id: int, turn_limit_ms: int) -> TimingProfile | None:
    """The profile of the bot's newest finished battle, or None before it has finished one."""
    seat = (
        BattleSeat.objects.filter(bot_id=bot_id, battle__status=Battle.Status.FINISHED)
        .select_related("battle")
        .order_by("-battle__finished_at", "-battle_id")
        .first()
    )
    if seat is None:
        return None
    stored = BattleReplay.objects.filter(battle=seat.battle).first()
    if stored is None:
        return None
    times = _turn_times(stored.unpack()["turns"], seat.seat)
    if not times:
        return None
    measure = "CPU" if all(cpu is not None for _, _, cpu in times) else "wall"
    values = [
        (turn, cpu if measure == "CPU" and cpu is not None else wall) for turn, wall, cpu in times
    ]
    ms = [value for _, value in values]
    return TimingProfile(
        battle=seat.battle,
        seat=seat.seat,
        measure=measure,
        turn_limit_ms=turn_limit_ms,
        turns=len(ms),
        p50_ms=percentile(ms, 0.50),
        p95_ms=percentile(ms, 0.95),
        max_ms=max(ms),
        buckets=histogram(ms, turn_limit_ms),
        slowest=sorted(values, key=lambda row: row[1], reverse=True)[:SLOWEST_SHOWN],
    )


def _turn_times(turns: list, seat: int) -> list[tuple[int, float, float | None]]:  # type: ignore[type-arg]
    rows = []
    for turn in turns:
        entry = turn["players"][seat]
        if entry is not None and turn["turn"] != FIRST_TURN:
            rows.append((int(turn["turn"]), float(entry["time_ms"]), entry.get("cpu_ms")))
    return rows


def histogram(values: list[float], turn_limit_ms: int) -> list[Bucket]:
    """Equal-width buckets from 0 to the larger of the slowest turn and the turn limit, so the
    limit is always on the chart and a bot far under it shows as bars packed to the left."""
    top = max(max(values), float(turn_limit_ms))
    width = top / HISTOGRAM_BUCKETS
    counts = [0] * HISTOGRAM_BUCKETS
    for value in values:
        counts[min(HISTOGRAM_BUCKETS - 1, int(value / width))] += 1
    tallest = max(counts) or 1
    return [
        Bucket(
            low_ms=round(index * width, 2),
            high_ms=round((index + 1) * width, 2),
            count=count,
            height_percent=round(100 * count / tallest),
            over_limit=(index + 1) * width > turn_limit_ms,
        )
        for index, count in enumerate(counts)
    ]
