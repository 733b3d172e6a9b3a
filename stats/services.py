"""Writes of the stats app: the only writers of stats and rating fields (`AgentStats`,
`VersionRating`, `BotRating`, `RatingHistory`, `Bot.elo_rating`). Every battle's write happens
inside its finishing transaction (battles/services.py), so a battle counts once or not at all.

Counters are incremented with F() expressions: concurrent battles of one agent add up instead of
overwriting each other, on every database backend.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, OuterRef, PositiveIntegerField, Q, Subquery, Value, When
from django.utils import timezone

from bots.models import Bot, BotVersion
from bots.selectors import bot_version_active
from gamearena.env import arena_settings
from stats import cache_keys
from stats.models import (
    AgentStats,
    BotRating,
    RatingHistory,
    RecordedBattle,
    VersionRating,
    WorkerHeartbeat,
)
from stats.ratings import (
    DEFAULT_ELO,
    Result,
    Skill,
    conservative_score,
    elo_update,
    rank_intervals,
    skill_for_new_version,
    skill_update,
)

if TYPE_CHECKING:
    from datetime import datetime

    from battles.models import Battle, BattleSeat

logger = logging.getLogger(__name__)

FAULT_COUNTERS = {"timeout": "timeouts", "crashed": "crashes", "invalid": "invalid_outputs"}


def record_agent_stats(
    agent_name: str,
    won: bool | None,
    *,
    fault: str = "",
    at: datetime | None = None,
) -> None:
    """Counts one battle for `agent_name`: won True, lost False, drawn None (the seed's call).

    `fault` is the agent's status when it faulted ("timeout", "crashed", "invalid").
    """
    increments = {"total_battles": F("total_battles") + 1}
    result = "draws" if won is None else ("wins" if won else "losses")
    increments[result] = F(result) + 1
    if fault in FAULT_COUNTERS:
        counter = FAULT_COUNTERS[fault]
        increments[counter] = F(counter) + 1
    with transaction.atomic():
        _ensure_row(agent_name)
        AgentStats.objects.filter(agent_name=agent_name).update(
            **increments, last_battle_at=at or timezone.now()
        )


def _ensure_row(agent_name: str) -> None:
    if AgentStats.objects.filter(agent_name=agent_name).exists():
        return
    try:
        with transaction.atomic():  # a savepoint: a racing creator's row is just as good
            AgentStats.objects.create(agent_name=agent_name)
    except IntegrityError:
        pass


def stats_record_battle(*, battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """Counts a finished battle for both seats' agents, bots and versions, and rates it when
    it is a rated ladder battle. Called inside the battle's finishing transaction.

    Each seat counts from its own side: a battle of an agent against itself (two versions of
    one bot, say) is one win and one loss for it. A battle already recorded is skipped: its
    marker row is written first, so the second call finds it (or waits for the first
    transaction and then finds it) and changes nothing.
    """
    if not _mark_recorded(battle):
        return
    # Rows are locked in one order in every battle (agents by name, then bots by id): the
    # ladder plays each pairing twice, seats swapped, and both battles end at about the same
    # moment; in seat order their transactions would lock A then B and B then A (a deadlock).
    for seat in sorted(seats, key=lambda seat: seat.agent_name):
        won = None if battle.winner_seat is None else battle.winner_seat == seat.seat
        record_agent_stats(seat.agent_name, won, fault=seat.status, at=battle.finished_at)
    for seat in sorted(seats, key=lambda seat: (seat.bot_id or 0, seat.seat)):
        won = None if battle.winner_seat is None else battle.winner_seat == seat.seat
        if seat.bot_version_id is None or seat.bot_id is None:
            continue
        wins = F("win_count") + (1 if won else 0)
        Bot.objects.filter(pk=seat.bot_id).update(match_count=F("match_count") + 1, win_count=wins)
        BotVersion.objects.filter(pk=seat.bot_version_id).update(
            match_count=F("match_count") + 1, win_count=wins
        )
        _count_for_version(seat, won, at=battle.finished_at)
    if is_rated(battle, seats):
        _rate(battle, seats)
    for bot_id in sorted({seat.bot_id for seat in seats if seat.bot_id is not None}):
        rating_sync_bot(bot=Bot.objects.get(pk=bot_id), at=battle.finished_at)


def _mark_recorded(battle: Battle) -> bool:
    try:
        with transaction.atomic():
            RecordedBattle.objects.create(battle=battle)
    except IntegrityError:
        logger.warning("battle %s: already recorded in the stats; not counted again", battle.pk)
        return False
    return True


def _count_for_version(seat: BattleSeat, won: bool | None, *, at: datetime | None) -> None:
    assert seat.bot_version is not None
    rating_start_version(version=seat.bot_version)
    result = "draws" if won is None else ("wins" if won else "losses")
    increments = {"battles": F("battles") + 1, result: F(result) + 1}
    if seat.status in FAULT_COUNTERS:
        counter = FAULT_COUNTERS[seat.status]
        increments[counter] = F(counter) + 1
    VersionRating.objects.filter(pk=seat.bot_version_id).update(
        **increments, last_battle_at=at or timezone.now()
    )


def is_rated(battle: Battle, seats: Sequence[BattleSeat]) -> bool:
    """Only rated ladder battles between two different stored versions move ratings:
    requested, live, duel and qualification battles never do, nor a version against itself."""
    from battles.models import Battle as BattleModel

    if not battle.rated or battle.reason != BattleModel.Reason.LADDER:
        return False
    versions = [seat.bot_version_id for seat in seats]
    return len(versions) == 2 and None not in versions and versions[0] != versions[1]


def _rate(battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """Elo and OpenSkill updates of both versions, with their history rows.

    Read-modify-write of two rows: both are locked first, in key order, so concurrent battles
    of the same versions queue up instead of losing an update (and never deadlock).
    """
    first, second = sorted(seats, key=lambda seat: seat.seat)
    ids = sorted({seat.bot_version_id for seat in seats if seat.bot_version_id is not None})
    locked = {row.pk: row for row in VersionRating.objects.select_for_update().filter(pk__in=ids)}
    a, b = locked[first.bot_version_id], locked[second.bot_version_id]
    result = _result_of(battle, first.seat)
    elo_a, elo_b = elo_update(a.elo, b.elo, result)
    skill_a, skill_b = skill_update(Skill(a.mu, a.sigma), Skill(b.mu, b.sigma), result)
    at = battle.finished_at or timezone.now()
    history = []
    for seat, row, elo, skill in ((first, a, elo_a, skill_a), (second, b, elo_b, skill_b)):
        history.append(
            RatingHistory(
                battle=battle, seat=seat.seat, bot_id=row.bot_id, version_id=row.pk,
                result=_result_of(battle, seat.seat), mu=skill.mu, sigma=skill.sigma,
                elo=elo, elo_change=elo - row.elo, at=at,
            )
        )  # fmt: skip
        VersionRating.objects.filter(pk=row.pk).update(
            mu=skill.mu, sigma=skill.sigma, elo=elo, rated_battles=F("rated_battles") + 1
        )
    RatingHistory.objects.bulk_create(history)


def _result_of(battle: Battle, seat: int) -> Result:
    if battle.winner_seat is None:
        return "draw"
    return "win" if battle.winner_seat == seat else "loss"


def rating_start_version(*, version: BotVersion) -> VersionRating:
    """The version's ratings, created on first use from its parent's estimate.

    The parent is the bot's active version when that is another one (a new submission starts
    from what it replaces), else the newest earlier version with a rating; a bot's first
    version starts from the defaults. Elo is inherited as it is; OpenSkill's sigma is widened
    (stats/ratings.py). Safe to call any number of times, concurrently too: the first row
    stays. The qualification flow may call it at submission; battles call it lazily.
    """
    existing = VersionRating.objects.filter(pk=version.pk).first()
    if existing is not None:
        return existing
    parent = _parent_rating(version)
    skill = skill_for_new_version(None if parent is None else Skill(parent.mu, parent.sigma))
    try:
        with transaction.atomic():  # a savepoint: a racing creator's row is just as good
            return VersionRating.objects.create(
                version=version,
                bot_id=version.bot_id,
                parent_id=None if parent is None else parent.pk,
                mu=skill.mu,
                sigma=skill.sigma,
                elo=DEFAULT_ELO if parent is None else parent.elo,
            )
    except IntegrityError:
        return VersionRating.objects.get(pk=version.pk)


def _parent_rating(version: BotVersion) -> VersionRating | None:
    bot = Bot.objects.only("pk", "version_number").get(pk=version.bot_id)
    earlier = VersionRating.objects.filter(bot_id=version.bot_id).exclude(pk=version.pk)
    active = earlier.filter(version__version_number=bot.version_number).first()
    if active is not None:
        return active
    older = earlier.filter(version__version_number__lt=version.version_number)
    return older.order_by("-version__version_number").first()


def rating_sync_bot(*, bot: Bot, at: datetime | None = None) -> BotRating:
    """Copies the bot's active version's ratings to its leaderboard row and `Bot.elo_rating`.

    A bot's rating is its active version's: call this whenever the active version changes
    (the ladder's qualification does); battles call it for both bots. `at` is the bot's
    latest battle, when there is one to note.
    """
    version = bot_version_active(bot=Bot.objects.get(pk=bot.pk))
    rating = rating_start_version(version=version)
    fields: dict[str, object] = {
        "listed": Bot.objects.filter(pk=bot.pk).values_list("is_active", flat=True).get(),
        "version_id": version.pk,
        "mu": rating.mu,
        "sigma": rating.sigma,
        "conservative": conservative_score(rating.mu, rating.sigma),
        "elo": rating.elo,
    }
    if at is not None:
        fields["last_battle_at"] = at
    row, created = BotRating.objects.get_or_create(bot_id=bot.pk, defaults=fields)
    if not created:
        BotRating.objects.filter(pk=bot.pk).update(**fields, updated_at=timezone.now())
    if created or fields["conservative"] != row.conservative:
        transaction.on_commit(leaderboard_schedule_ranks)
    Bot.objects.filter(pk=bot.pk).update(elo_rating=rating.elo)
    return BotRating.objects.get(pk=bot.pk)


def leaderboard_relist(*, bot_ids: Sequence[int]) -> int:
    """Copies the bots' `is_active` to their leaderboard rows, in one statement; call it after
    activating or deactivating bots. Returns how many rows it wrote."""
    active = Bot.objects.filter(pk=OuterRef("bot_id")).values("is_active")[:1]
    written = BotRating.objects.filter(bot_id__in=bot_ids).update(listed=Subquery(active))
    if written:
        transaction.on_commit(leaderboard_schedule_ranks)
    return written


# -- rank intervals --------------------------------------------------------------------------


def leaderboard_schedule_ranks() -> None:
    """Asks for the rank intervals to be recomputed soon: once per RANK_REFRESH_SECONDS at
    most, however many battles finish meanwhile (a cache key is the gate). A broker that
    does not answer is logged: the next rated battle asks again."""
    from stats.tasks import refresh_leaderboard_ranks

    delay = arena_settings()["RANK_REFRESH_SECONDS"]
    if not cache.add(cache_keys.RANK_REFRESH_PENDING, "1", timeout=delay or 1):
        return
    try:
        refresh_leaderboard_ranks.apply_async(
            countdown=delay, queue=refresh_leaderboard_ranks.app.conf.task_default_queue
        )
    except Exception:
        cache.delete(cache_keys.RANK_REFRESH_PENDING)
        logger.exception("the rank intervals' refresh could not be queued")


def leaderboard_refresh_ranks() -> int:
    """Recomputes every listed bot's 90% rank interval (stats/ratings.py); returns how many
    rows it wrote. Reads a snapshot and computes without holding any lock; each row is then
    written only if its rating is still the one the interval was computed from (a
    compare-and-set inside a CASE), so an interval from ratings that moved meanwhile is not
    written: the refresh that their battle queued will write it."""
    rows = list(
        BotRating.objects.filter(listed=True)
        .order_by("-conservative", "bot_id")
        .values_list("bot_id", "mu", "sigma", "rank_low", "rank_high")
    )
    intervals = rank_intervals([Skill(mu, sigma) for _, mu, sigma, _, _ in rows])
    changed = [
        (bot_id, mu, sigma, interval)
        for (bot_id, mu, sigma, *old), interval in zip(rows, intervals, strict=True)
        if tuple(old) != interval
    ]
    for start in range(0, len(changed), RANK_WRITE_BATCH):
        _write_ranks(changed[start : start + RANK_WRITE_BATCH])
    return len(changed)


RANK_WRITE_BATCH = 500


def _write_ranks(batch: list[tuple[int, float, float, tuple[int, int]]]) -> None:
    def case(position: int, keep: str) -> Case:
        return Case(
            *(
                When(Q(pk=bot_id, mu=mu, sigma=sigma), then=Value(interval[position]))
                for bot_id, mu, sigma, interval in batch
            ),
            default=F(keep),
            output_field=PositiveIntegerField(),
        )

    BotRating.objects.filter(pk__in=[row[0] for row in batch]).update(
        rank_low=case(0, "rank_low"), rank_high=case(1, "rank_high")
    )


# -- workers ---------------------------------------------------------------------------------


def worker_heartbeat_record(*, hostname: str) -> None:
    """Notes that the worker `hostname` is alive now (/metrics shows it); one upsert."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:200], defaults={"seen_at": timezone.now()}
    )
