"""Reads of the stats app: agents' records, the leaderboard, bots' ratings and head-to-head.

Everything here is public: counts, ratings, timing. Nothing reads a bot's code or stderr.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from battles.models import Battle, BattleSeat
from battles.timing import percentile
from bots.models import Bot, BotVersion
from bots.selectors import (
    PUBLIC_LIST_DEFAULT_LIMIT,
    PublicBotPage,
    bot_get_public,
    bot_list_public,
    bot_version_list,
)
from gamearena.env import arena_settings
from stats.errors import AgentNotFoundError
from stats.models import AgentStats, BotRating, RatingHistory, VersionRating


def get_agent_stats(agent_name: str) -> AgentStats:
    """The stats of `agent_name` (``owner/name`` or ``house:<name>``); the seed's call.

    Raises AgentNotFoundError for an agent that has not played a battle yet.
    """
    stats = AgentStats.objects.filter(agent_name=agent_name).first()
    if stats is None:
        raise AgentNotFoundError(f"No battles recorded for agent {agent_name!r}.")
    return stats


def leaderboard_get(*, limit: int = PUBLIC_LIST_DEFAULT_LIMIT) -> PublicBotPage:
    """The leaderboard's first page: the first page of GET /api/bots/public, from the same
    selector with the same defaults, so the page and the API always list the same bots."""
    return bot_list_public(limit=limit)


# -- ratings, leaderboard, head-to-head ------------------------------------------------------

LEADERBOARD_DEFAULT_LIMIT = 50
LEADERBOARD_MAX_LIMIT = 200
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 1000
VERSION_HISTORY_POINTS = 20  # rating points per version in a bot's stats (the chart's tail)
TIMING_BATTLES = 50  # a version's timing profile is read from its latest battles
RECENT_BATTLES = 10
# What a rating point shows (stats/serializers.py RatingPointSerializer), read in one query.
HISTORY_POINT_FIELDS = (
    "at", "result", "mu", "sigma", "elo", "elo_change", "battle__public_id",
    "version__version_number",
)  # fmt: skip


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    rank_low: int | None
    rank_high: int | None
    bot_id: int
    bot_name: str
    owner: str
    conservative: float
    mu: float
    sigma: float
    elo: float
    battles: int
    wins: int
    active_version: int | None
    last_battle_at: datetime | None

    @property
    def win_rate(self) -> float:
        return self.wins / self.battles if self.battles else 0.0


@dataclass(frozen=True)
class LeaderboardPage:
    entries: list[LeaderboardEntry]  # best first
    count: int
    limit: int
    offset: int


LEADERBOARD_FIELDS = (
    "bot_id", "rank_low", "rank_high", "conservative", "mu", "sigma", "elo", "last_battle_at",
    "bot__name", "bot__owner__username", "bot__match_count", "bot__win_count",
    "version__version_number",
)  # fmt: skip


def leaderboard_page(*, limit: int = LEADERBOARD_DEFAULT_LIMIT, offset: int = 0) -> LeaderboardPage:
    """Active bots by conservative score (mu - 3 sigma), ties by id.

    The page's ids come first, from the board's own partial index alone; its rows, with their
    bots, owners and versions, are read next by key, as plain values (no model instances: at
    50 rows a page they cost more than the queries). In one query with the joins, PostgreSQL
    hashed and sorted all 10,000 rows for every page (docs/ratings.md §4).
    """
    rows = BotRating.objects.filter(listed=True)
    ids = list(
        rows.order_by("-conservative", "bot_id").values_list("bot_id", flat=True)[
            offset : offset + limit
        ]
    )
    found = {
        row["bot_id"]: row
        for row in BotRating.objects.filter(bot_id__in=ids).values(*LEADERBOARD_FIELDS)
    }
    entries = [
        _entry(rank, found[bot_id])
        for rank, bot_id in enumerate(ids, offset + 1)
        if bot_id in found
    ]
    return LeaderboardPage(entries=entries, count=rows.count(), limit=limit, offset=offset)


def _entry(rank: int, row: dict[str, Any]) -> LeaderboardEntry:
    return LeaderboardEntry(
        rank=rank,
        rank_low=row["rank_low"],
        rank_high=row["rank_high"],
        bot_id=row["bot_id"],
        bot_name=row["bot__name"],
        owner=row["bot__owner__username"],
        conservative=row["conservative"],
        mu=row["mu"],
        sigma=row["sigma"],
        elo=row["elo"],
        battles=row["bot__match_count"],
        wins=row["bot__win_count"],
        active_version=row["version__version_number"],
        last_battle_at=row["last_battle_at"],
    )


@dataclass(frozen=True)
class TimingProfile:
    battles: int  # battles the profile was read from (the latest TIMING_BATTLES)
    clock: str  # "cpu" where every battle measured the bot's CPU time, else "wall"
    p50_ms: float
    p95_ms: float
    max_ms: float
    turn_limit_ms: int
    p95_share: float  # p95_ms / turn_limit_ms: how much of its budget the bot uses
    max_share: float


@dataclass(frozen=True)
class VersionStats:
    version: BotVersion
    record: VersionRating | None  # None: the version has not played yet
    history: list[RatingHistory]  # newest first
    timing: TimingProfile | None


@dataclass(frozen=True)
class BotStats:
    bot: Bot
    rating: BotRating | None
    versions: list[VersionStats]  # newest first


def bot_stats_get(*, bot_id: int) -> BotStats:
    """Any bot's public record, per version: counts, faults, ratings, history, timing."""
    bot = bot_get_public(bot_id=bot_id)
    ratings = VersionRating.objects.filter(bot=bot).select_related("parent").defer("parent__code")
    records = {row.pk: row for row in ratings}
    versions = [
        VersionStats(
            version=version,
            record=records.get(version.pk),
            history=list(
                RatingHistory.objects.filter(version=version)
                .select_related("battle", "version")
                .only(*HISTORY_POINT_FIELDS)
                .order_by("-at", "-id")[:VERSION_HISTORY_POINTS]
            ),
            timing=version_timing_profile(version_id=version.pk),
        )
        for version in bot_version_list(bot=bot)
    ]
    rating = BotRating.objects.filter(pk=bot.pk).first()
    return BotStats(bot=bot, rating=rating, versions=versions)


def version_timing_profile(*, version_id: int) -> TimingProfile | None:
    """The version's time per turn over its latest battles: the median of the battles' p50s,
    the 95th percentile of their p95s and the largest max (battles/timing.py)."""
    timings = [
        timing
        for timing in BattleSeat.objects.filter(bot_version_id=version_id, timing__isnull=False)
        .order_by("-battle_id")
        .values_list("timing", flat=True)[:TIMING_BATTLES]
        if timing and timing.get("wall_ms")
    ]
    if not timings:
        return None
    clock = "cpu_ms" if all(t.get("cpu_ms") for t in timings) else "wall_ms"
    spreads = [t[clock] for t in timings]
    limit = arena_settings()["TURN_TIMEOUT_MS"]
    p95 = percentile([s["p95"] for s in spreads], 0.95)
    most = max(s["max"] for s in spreads)
    return TimingProfile(
        battles=len(spreads),
        clock=clock.removesuffix("_ms"),
        p50_ms=percentile([s["p50"] for s in spreads], 0.50),
        p95_ms=p95,
        max_ms=most,
        turn_limit_ms=limit,
        p95_share=round(p95 / limit, 4),
        max_share=round(most / limit, 4),
    )


@dataclass(frozen=True)
class VersionPairRecord:
    version_number: int
    opponent_version_number: int
    wins: int
    losses: int
    draws: int


@dataclass(frozen=True)
class HeadToHeadBattle:
    battle: Battle
    version_number: int
    opponent_version_number: int
    result: str  # the first bot's: "win", "loss", "draw"


@dataclass(frozen=True)
class HeadToHead:
    bot: Bot
    opponent: Bot
    wins: int
    losses: int
    draws: int
    versions: list[VersionPairRecord]
    recent: list[HeadToHeadBattle]


def head_to_head_get(*, bot_id: int, opponent_id: int) -> HeadToHead:
    """Every finished battle between two bots, from the first one's side: totals, per pair of
    versions, and the latest few. Two versions of one bot are counted from seat 0's side."""
    bot = bot_get_public(bot_id=bot_id)
    opponent = bot if opponent_id == bot_id else bot_get_public(bot_id=opponent_id)
    other_seat = BattleSeat.objects.filter(battle=OuterRef("battle"), bot=opponent).exclude(
        seat=OuterRef("seat")
    )
    seats = BattleSeat.objects.filter(bot=bot, battle__status=Battle.Status.FINISHED).filter(
        Exists(other_seat)
    )
    if opponent_id == bot_id:
        seats = seats.filter(seat=0)
    seats = seats.annotate(
        opponent_version=Subquery(other_seat.values("bot_version__version_number")[:1])
    )
    rows = list(
        seats.order_by("-battle_id").values_list(
            "battle_id", "seat", "battle__winner_seat", "bot_version__version_number",
            "opponent_version",
        )
    )  # fmt: skip
    tally: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for _, seat, winner, mine, theirs in rows:
        tally[(mine, theirs)][_seat_result(seat, winner)] += 1
    pairs = [
        VersionPairRecord(mine, theirs, count["win"], count["loss"], count["draw"])
        for (mine, theirs), count in sorted(tally.items(), reverse=True)
    ]
    recent_ids = [row[0] for row in rows[:RECENT_BATTLES]]
    battles = Battle.objects.prefetch_related("seats").in_bulk(recent_ids)
    recent = [
        HeadToHeadBattle(battles[battle_id], mine, theirs, _seat_result(seat, winner))
        for battle_id, seat, winner, mine, theirs in rows[:RECENT_BATTLES]
    ]
    return HeadToHead(
        bot=bot,
        opponent=opponent,
        wins=sum(pair.wins for pair in pairs),
        losses=sum(pair.losses for pair in pairs),
        draws=sum(pair.draws for pair in pairs),
        versions=pairs,
        recent=recent,
    )


def _seat_result(seat: int, winner: int | None) -> str:
    if winner is None:
        return "draw"
    return "win" if winner == seat else "loss"


def rating_history_list(*, bot_id: int, limit: int = HISTORY_DEFAULT_LIMIT) -> list[RatingHistory]:
    """The bot's rating after each of its rated battles, newest first, every version's."""
    bot = bot_get_public(bot_id=bot_id)
    history = RatingHistory.objects.filter(bot=bot).select_related("version", "battle")
    return list(history.only(*HISTORY_POINT_FIELDS).order_by("-at", "-id")[:limit])


def rating_neighbours(*, bot_id: int, count: int = 10) -> list[int]:
    """Active bots whose conservative score is nearest the bot's, `count` above and below
    (two index range scans): the opponents a close-rating pairing picks from."""
    rating = BotRating.objects.filter(pk=bot_id).values_list("conservative", flat=True).first()
    if rating is None:
        return []
    listed = BotRating.objects.filter(listed=True).exclude(pk=bot_id)
    above = listed.filter(conservative__gte=rating).order_by("conservative", "bot_id")
    below = listed.filter(conservative__lt=rating).order_by("-conservative", "-bot_id")
    ids = list(above.values_list("bot_id", flat=True)[:count])
    return ids + list(below.values_list("bot_id", flat=True)[:count])


HEAD_TO_HEAD_OPPONENTS = 50


@dataclass(frozen=True)
class OpponentRecord:
    opponent: Bot
    battles: int
    wins: int
    losses: int
    draws: int


def head_to_head_list(*, bot_id: int, limit: int = HEAD_TO_HEAD_OPPONENTS) -> list[OpponentRecord]:
    """The bot's record against every bot it has played in a finished battle, most played
    first (house bots are not bots: left out). Counted as head_to_head_get counts: from this
    bot's side, and a battle of two of its versions once, from seat 0's side. One grouped
    query, then the opponents by key."""
    other_bot = BattleSeat.objects.filter(battle=OuterRef("battle"), bot__isnull=False).exclude(
        seat=OuterRef("seat")
    )
    seats = (
        BattleSeat.objects.filter(bot_id=bot_id, battle__status=Battle.Status.FINISHED)
        .annotate(opponent_id=Subquery(other_bot.values("bot_id")[:1]))
        .filter(opponent_id__isnull=False)
        .exclude(Q(opponent_id=bot_id) & Q(seat__gt=0))
    )
    rows = list(
        seats.values("opponent_id")
        .annotate(
            battles=Count("pk"),
            wins=Count("pk", filter=Q(battle__winner_seat=F("seat"))),
            draws=Count("pk", filter=Q(battle__winner_seat__isnull=True)),
        )
        .order_by("-battles", "opponent_id")[:limit]
    )
    opponents = (
        Bot.objects.select_related("owner")
        .defer("code")
        .in_bulk([row["opponent_id"] for row in rows])
    )
    return [
        OpponentRecord(
            opponent=opponents[row["opponent_id"]],
            battles=row["battles"],
            wins=row["wins"],
            losses=row["battles"] - row["wins"] - row["draws"],
            draws=row["draws"],
        )
        for row in rows
        if row["opponent_id"] in opponents
    ]
