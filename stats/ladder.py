"""The ladder: battles nobody asked for, scheduled at a steady pace by the periodic task.

Every ``LADDER_TICK_SECONDS`` the beat runs `ladder_tick`: it works out how many ladder
battles are due (``LADDER_BATTLES_PER_MINUTE``, 0 = off, counted over a sliding window, so
a late or skipped tick catches up and a tick run twice schedules nothing twice over), holds
back while ``LADDER_MAX_QUEUED`` ladder battles already wait for a worker, and asks the
planner (stats/matchmaking.py) for pairings of the active, qualified versions of active
bots. Each pairing is two rated LADDER battles on one seed with the seats swapped, each
recording why it was scheduled (placement, coverage or close_rating). docs/ladder.md §1.
"""

from __future__ import annotations

import logging
import random
import secrets
from datetime import datetime, timedelta

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from battles.models import Battle, BattleSeat
from battles.services import SeatSpec, battle_create
from bots.models import Bot, BotVersion
from gamearena.env import arena_settings
from stats import cache_keys
from stats.matchmaking import BATTLES_PER_PAIRING, Candidate, Pairing, plan_pairings
from stats.outcomes import abandoned_battles_reconcile

logger = logging.getLogger(__name__)

# A tick takes well under a second; the lock outlives a crashed tick by this much at most.
LADDER_TICK_LOCK_SECONDS = 60
RECENT_WINDOW = timedelta(hours=1)  # "battles per hour": the coverage window
SEED_RANGE = (-(2**63), 2**63 - 1)  # the engine's seeds are Java longs, as in battles
# Battles that count for placement and coverage: scheduled and not abandoned.
COUNTED_STATUSES = (Battle.Status.QUEUED, Battle.Status.RUNNING, Battle.Status.FINISHED)


def ladder_rating(bot: Bot) -> float:
    """The rating the matchmaker pairs by. One place, so that the ratings' conservative
    score can replace the Elo here without touching the planner."""
    return bot.elo_rating


# -- reads ---------------------------------------------------------------------------------------


LADDER_VERSION_FIELDS = (
    "id", "bot_id", "version_number", "match_count", "qualification_status",
    "bot__id", "bot__name", "bot__elo_rating", "bot__is_active", "bot__version_number",
    "bot__owner__id", "bot__owner__username",
)  # fmt: skip


def ladder_versions() -> list[BotVersion]:
    """The versions the ladder plays: each active bot's active version, once qualified."""
    return list(
        BotVersion.objects.filter(
            bot__is_active=True,
            version_number=F("bot__version_number"),
            qualification_status=BotVersion.Qualification.QUALIFIED,
        )
        .select_related("bot__owner")
        # Only what the planner and the seats read: at 10,000 bots the whole rows (code,
        # descriptions, the owners' accounts) took a second to load on every tick.
        .only(*LADDER_VERSION_FIELDS)
    )


def ladder_candidates(
    *, now: datetime, versions: list[BotVersion] | None = None
) -> list[Candidate]:
    """The planner's view of `versions` (default: ladder_versions()): ratings and counts."""
    if versions is None:
        versions = ladder_versions()
    seats = BattleSeat.objects.filter(
        battle__reason=Battle.Reason.LADDER, battle__status__in=COUNTED_STATUSES
    )
    unplaced = _maybe_in_placement(versions)
    placed = _counts(seats.filter(bot_version__in=unplaced), "bot_version_id")
    recent = _counts(
        seats.filter(bot__is_active=True, battle__created_at__gte=now - RECENT_WINDOW), "bot_id"
    )
    placement = arena_settings()["LADDER_PLACEMENT_BATTLES"]
    return [
        Candidate(
            bot_id=version.bot_id,
            version_id=version.pk,
            rating=ladder_rating(version.bot),
            version_battles=placed.get(version.pk, 0) if version.pk in unplaced else placement,
            recent_battles=recent.get(version.bot_id, 0),
        )
        for version in versions
    ]


def _maybe_in_placement(versions: list[BotVersion]) -> set[int]:
    """The versions whose ladder battles are worth counting: those that finished few battles
    of any kind (`match_count`, a column kept up to date). Counting every version's ladder
    history at each tick would read the whole history; a version that finished twice its
    placement in battles of any kind, and its qualification, counts as placed."""
    limit = 2 * arena_settings()["LADDER_PLACEMENT_BATTLES"] + 1
    return {version.pk for version in versions if version.match_count <= limit}


def _counts(seats: QuerySet[BattleSeat], key: str) -> dict[int, int]:
    """Seats per `key` (a version or a bot id), in one grouped query."""
    return dict(seats.values(key).annotate(n=Count("id")).values_list(key, "n"))


def ladder_due(*, now: datetime) -> int:
    """How many ladder battles this tick may schedule (0 when the ladder is off or full)."""
    arena = arena_settings()
    per_minute = arena["LADDER_BATTLES_PER_MINUTE"]
    if per_minute <= 0:
        return 0
    ladder = Battle.objects.filter(reason=Battle.Reason.LADDER)
    queued = ladder.filter(status=Battle.Status.QUEUED).count()
    room = arena["LADDER_MAX_QUEUED"] - queued
    if room <= 0:
        return 0
    # A window long enough to hold a whole pairing even at 1 battle a minute.
    window = max(60.0, 60.0 * BATTLES_PER_PAIRING / per_minute)
    allowed = int(per_minute * window / 60)
    created = ladder.filter(created_at__gte=now - timedelta(seconds=window)).count()
    return max(0, min(allowed - created, room))


# -- writes --------------------------------------------------------------------------------------


def ladder_schedule(
    *,
    battles: int,
    now: datetime | None = None,
    enqueue: bool = True,
    rng: random.Random | None = None,
) -> list[Battle]:
    """Schedules about `battles` ladder battles (whole pairings, so rounded up to even).

    Returns them, seat-swapped pairs next to each other; none when fewer than two versions
    can play. With `enqueue` they go to the workers when the transaction commits.
    """
    now = now or timezone.now()
    pairs = -(-battles // BATTLES_PER_PAIRING)
    playing = ladder_versions()
    candidates = ladder_candidates(now=now, versions=playing)
    plan = plan_pairings(
        candidates,
        pairs,
        placement_battles=arena_settings()["LADDER_PLACEMENT_BATTLES"],
        rng=rng or random.Random(),  # noqa: S311 - tiebreaks between equals, not secrets
    )
    if not plan:
        return []
    versions = {v.pk: v for v in playing if v.pk in _version_ids(plan)}
    created: list[Battle] = []
    with transaction.atomic():
        for pairing in plan:
            created += _pairing_battles(pairing, versions, enqueue=enqueue)
    return created


def _version_ids(plan: list[Pairing]) -> set[int]:
    return {c.version_id for pairing in plan for c in (pairing.first, pairing.second)}


def _pairing_battles(
    pairing: Pairing, versions: dict[int, BotVersion], *, enqueue: bool
) -> list[Battle]:
    seed = secrets.randbelow(2**64) + SEED_RANGE[0]
    first = SeatSpec(version=versions[pairing.first.version_id])
    second = SeatSpec(version=versions[pairing.second.version_id])
    return [
        battle_create(
            seats=seats,
            reason=Battle.Reason.LADDER,
            seed=seed,
            rated=True,
            enqueue=enqueue,
            schedule_reason=pairing.reason,
        )
        for seats in ((first, second), (second, first))
    ]


def ladder_tick(*, now: datetime | None = None) -> int:
    """The periodic task's service: schedules what is due now; returns how many battles.

    First it releases qualifications and duels whose battle ended without a result by
    another path than a worker giving up (stats/outcomes.py). One tick at a time: two beats
    (a second scheduler started by mistake) would both read the same count of battles due
    and both schedule them, so a tick first takes a lock shared by every process.
    """
    lock = caches["throttle"]  # shared on every backend: Redis, else a database table
    token = secrets.token_hex(8)
    if not lock.add(cache_keys.LADDER_TICK_LOCK, token, timeout=LADDER_TICK_LOCK_SECONDS):
        logger.info("ladder: another tick is running; this one schedules nothing")
        return 0
    try:
        return _ladder_tick_locked(now=now)
    finally:
        if lock.get(cache_keys.LADDER_TICK_LOCK) == token:
            lock.delete(cache_keys.LADDER_TICK_LOCK)


def _ladder_tick_locked(*, now: datetime | None) -> int:
    abandoned_battles_reconcile()
    now = now or timezone.now()
    due = ladder_due(now=now)
    pairs = due // BATTLES_PER_PAIRING
    if not pairs:
        return 0
    created = ladder_schedule(battles=pairs * BATTLES_PER_PAIRING, now=now)
    if created:
        logger.info("ladder: scheduled %s battles", len(created))
    return len(created)
