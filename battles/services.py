"""Writes of the battles app: creating battles, playing them, and sweeping the stale ones.

Every state change of a battle is a compare-and-set (STYLE #4): an UPDATE filtered on the id,
the expected status and, for a running battle, the lease token of the attempt that holds it,
required to change exactly one row. That is what makes the work safe to run twice:

- two workers given the same battle (a redelivered message, a re-queue by the sweep): only one
  claim succeeds, the other returns without playing;
- a worker that lost its lease (it stalled, the sweep re-queued its battle, another worker took
  it) can neither renew the lease nor record a result: its finishing transaction changes no
  row and rolls back, so result, replay and stats are recorded exactly once.

Bot faults are results (the referee turns them into statuses); only platform faults (a sandbox
that cannot start, a worker that died or ran out of time) are retried, up to
``BATTLE_MAX_ATTEMPTS``, then the battle is ``failed`` with the reason.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from battles.bot_sources import HOUSE_PREFIX, BotSourceError, seat_bot
from battles.engine import OutputPolicy
from battles.errors import (
    BattleNotCancellableError,
    BattleSeatError,
    LeaseLostError,
    NotYourBattleError,
    TooManyOpenBattlesError,
)
from battles.housebots import HOUSE_BOTS
from battles.live_events import live_events_publish_turn
from battles.match import MatchResult, play_match
from battles.models import Battle, BattleReplay, BattleSeat
from battles.replay import Replay, ReplayTurn
from battles.sandbox import BotProgram, Limits, SandboxError
from battles.sandbox_policy import (
    SandboxRefusedError,
    bot_interpreter,
    ensure_sandbox_ready,
    match_limits,
    sandbox_mode,
)
from battles.timing import seat_timing
from bots.errors import BotNotFoundError
from bots.models import Bot, BotVersion
from bots.selectors import bot_get_public, bot_version_active
from gamearena.env import arena_settings
from stats.outcomes import battle_abandon_record, battle_outcome_record
from stats.services import stats_record_battle

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

SEED_RANGE = (-(2**63), 2**63 - 1)  # the engine's seeds are Java longs
STDERR_LINE_CHARS = 500
# The clock of lease renewals, a name of its own so that tests can move it.
lease_clock = time.monotonic
RETRY_DELAY_SECONDS = 5  # times the attempt number: a sandbox that just failed may need a moment


# -- which bots play ------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatSpec:
    """Who takes a seat: a pinned stored version, a house bot, or a remote player (a live
    battle's, battles/live.py). Exactly one is set."""

    version: BotVersion | None = None
    house_bot: str = ""
    player: User | None = None

    @property
    def agent_name(self) -> str:
        if self.player is not None:
            return f"player:{self.player.get_username()}"
        if self.version is None:
            return f"{HOUSE_PREFIX}{self.house_bot}"
        bot = self.version.bot
        return f"{bot.owner.get_username()}/{bot.name}"

    @property
    def display_name(self) -> str:
        if self.version is None:
            return self.agent_name
        return f"{self.agent_name} v{self.version.version_number}"


def seat_spec_for(*, bot: Bot | None = None, house: str = "") -> SeatSpec:
    """A seat for `bot` (its active version, pinned now) or for the house bot `house`."""
    if bot is not None:
        return SeatSpec(version=bot_version_active(bot=bot))
    if house not in HOUSE_BOTS:
        known = ", ".join(f"{HOUSE_PREFIX}{name}" for name in sorted(HOUSE_BOTS))
        raise BattleSeatError(
            f"There is no house bot {house!r}; house bots: {known}.",
            code="bot_not_found",
            status_code=404,
        )
    return SeatSpec(house_bot=house)


# -- creating --------------------------------------------------------------------------------


def battle_create(
    *,
    seats: tuple[SeatSpec, SeatSpec],
    reason: str,
    requested_by: User | None = None,
    seed: int | None = None,
    rated: bool = False,
    policy: OutputPolicy = OutputPolicy.ARENA,
    enqueue: bool = True,
    schedule_reason: str = "",
) -> Battle:
    """A queued battle with its two seats; handed to a worker once the transaction commits.

    `schedule_reason` says why the arena scheduled it (Battle.ScheduleReason), blank when asked.
    """
    if seed is None:
        seed = secrets.randbelow(2**64) + SEED_RANGE[0]
    with transaction.atomic():
        battle = Battle.objects.create(
            seed=seed,
            policy=policy.value,
            reason=reason,
            requested_by=requested_by,
            rated=rated,
            schedule_reason=schedule_reason,
        )
        BattleSeat.objects.bulk_create(
            [
                BattleSeat(
                    battle=battle,
                    seat=number,
                    bot=spec.version.bot if spec.version is not None else None,
                    bot_version=spec.version,
                    house_bot=spec.house_bot,
                    player=spec.player,
                    agent_name=spec.agent_name,
                    display_name=spec.display_name,
                )
                for number, spec in enumerate(seats)
            ]
        )
        if enqueue:
            battle_id = battle.pk
            transaction.on_commit(lambda: battle_enqueue(battle_id=battle_id))
    return battle


def battle_request(
    *, user: User, bots: tuple[int | str, int | str], seed: int | None = None
) -> Battle:
    """An unrated battle a user asked for: one of the two bots must be theirs.

    Each bot is a bot id (its active version is pinned now) or ``house:<name>``. A user may
    have at most MAX_OPEN_REQUESTED_BATTLES requested battles queued or running at once.
    """
    specs = (_requested_seat(user=user, bot=bots[0]), _requested_seat(user=user, bot=bots[1]))
    if not any(spec.version is not None and spec.version.bot.owner_id == user.pk for spec in specs):
        raise BattleSeatError(
            "One of the two bots must be yours.", code="not_your_bot", status_code=403
        )
    limit = arena_settings()["MAX_OPEN_REQUESTED_BATTLES"]
    with transaction.atomic():
        # The user's row lock queues this user's concurrent requests, so the count below cannot
        # be passed by two requests at once (SQLite serialises writers anyway).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        open_count = Battle.objects.filter(
            requested_by=user, reason=Battle.Reason.REQUESTED, status__in=Battle.OPEN_STATUSES
        ).count()
        if open_count >= limit:
            raise TooManyOpenBattlesError(
                f"You already have {open_count} battles waiting or running (at most {limit}); "
                "try again when one has finished.",
                details={"open": open_count, "limit": limit},
            )
        return battle_create(
            seats=specs, reason=Battle.Reason.REQUESTED, requested_by=user, seed=seed
        )


def _requested_seat(*, user: User, bot: int | str) -> SeatSpec:
    if isinstance(bot, str):
        return seat_spec_for(house=bot.removeprefix(HOUSE_PREFIX))
    try:
        found = bot_get_public(bot_id=bot)
    except BotNotFoundError:
        raise BattleSeatError(
            f"There is no bot {bot}.", code="bot_not_found", status_code=404
        ) from None
    if not found.is_active and found.owner_id != user.pk:
        raise BattleSeatError(f"Bot {bot} is not active.", code="bot_inactive", status_code=409)
    return seat_spec_for(bot=found)


def battle_enqueue(*, battle_id: int, countdown: float = 0) -> None:
    """Hands a queued battle to the workers. A failure to reach the broker is logged, not
    raised: the battle is stored as queued, and the sweep enqueues it again later."""
    from battles.tasks import play_battle  # tasks import services: import here, not at the top

    Battle.objects.filter(pk=battle_id, status=Battle.Status.QUEUED).update(
        enqueued_at=timezone.now()
    )
    if Battle.objects.filter(pk=battle_id, reason=Battle.Reason.LIVE).exists():
        from battles.live import live_enqueue  # live battles never take a ladder worker

        live_enqueue(battle_id=battle_id, countdown=countdown)
        return
    try:
        # The queue named at each call, from the app's configuration: battles go to the
        # battles queue whatever routes the process cached before.
        queue = play_battle.app.conf.task_default_queue
        play_battle.apply_async(args=[battle_id], countdown=countdown, queue=queue)
    except Exception:
        logger.exception("battle %s: the broker did not take it; the sweep will retry", battle_id)


def battle_cancel(*, battle: Battle, user: User) -> Battle:
    """Cancels a battle the user requested while it still waits in the queue."""
    if battle.requested_by_id != user.pk:
        raise NotYourBattleError("Only who requested a battle can cancel it.")
    if not battles_cancel_queued(battle_ids=[battle.pk]):
        raise BattleNotCancellableError("Only a queued battle can be cancelled.")
    battle.refresh_from_db()
    return battle


def battles_cancel_queued(*, battle_ids: Sequence[int]) -> int:
    """Cancels those of `battle_ids` still queued (one compare-and-set); returns how many."""
    return Battle.objects.filter(pk__in=battle_ids, status=Battle.Status.QUEUED).update(
        status=Battle.Status.CANCELLED, finished_at=timezone.now()
    )


def battles_requeue(*, battle_ids: Sequence[int]) -> int:
    """An operator's second chance: failed or expired battles queued again with fresh attempts.

    Only the rows still failed or expired change (a compare-and-set per row), so a battle
    queued again meanwhile is not sent twice. Returns how many were queued.
    """
    requeued = 0
    for battle_id in battle_ids:
        changed = Battle.objects.filter(
            pk=battle_id, status__in=(Battle.Status.FAILED, Battle.Status.EXPIRED)
        ).update(status=Battle.Status.QUEUED, attempts=0, finished_at=None, failure_reason="")
        if changed:
            battle_enqueue(battle_id=battle_id)
            requeued += 1
    return requeued


# -- playing ---------------------------------------------------------------------------------


def match_play(
    programs: tuple[BotProgram, BotProgram],
    *,
    seed: int,
    policy: OutputPolicy = OutputPolicy.ARENA,
    limits: Limits | None = None,
    on_turn: Callable[[int], None] | None = None,
    announce: Callable[[str], object] | None = None,
    on_record: Callable[[ReplayTurn], None] | None = None,
) -> MatchResult:
    """Plays one game in the configured sandbox, after its gate (mode allowed, self-test passed).

    Raises SandboxRefusedError when the sandbox may not run here, SandboxError when a bot
    process cannot be started; everything a bot does wrong is in the result instead.
    """
    mode = sandbox_mode()
    if announce is None:
        ensure_sandbox_ready(mode)
    else:
        ensure_sandbox_ready(mode, announce=announce)
    return play_match(
        programs,
        seed=seed,
        limits=limits or match_limits(),
        mode=mode,
        policy=policy,
        on_turn=on_turn,
        on_record=on_record,
    )


@dataclass
class _Claim:
    battle: Battle
    token: uuid.UUID
    renewed_at: float  # monotonic time of the last lease renewal


def battle_play(
    *,
    battle_id: int,
    on_turn: Callable[[int], None] | None = None,
    announce: Callable[[str], object] | None = None,
) -> Battle | None:
    """Plays the battle `battle_id` if it can be claimed, and records it; the worker's service.

    Returns the battle as it ended up, or None when there was nothing to do (another worker
    holds it, or it is already over): running this twice records one result.
    """
    claim = _claim(battle_id)
    if claim is None:
        return None
    battle = claim.battle
    try:
        seats = list(battle.seats.select_related("bot_version__bot__owner").order_by("seat"))
        bots = [seat_bot(seat, interpreter=bot_interpreter()) for seat in seats]
        result = match_play(
            (bots[0].program, bots[1].program),
            seed=battle.seed,
            policy=OutputPolicy(battle.policy),
            on_turn=lambda turn: _on_turn(claim, turn, on_turn),
            announce=announce,
            # Every battle's turns go to its event stream, for whoever watches it live.
            on_record=lambda record: live_events_publish_turn(
                battle_id=str(battle.public_id), record=record
            ),
        )
    except LeaseLostError:
        logger.warning("battle %s: lease lost while playing; another attempt owns it", battle.pk)
        return None
    except SandboxError as error:
        return _platform_fault(claim, f"sandbox: {error}", permanent=error.permanent)
    except SandboxRefusedError as error:
        return _platform_fault(claim, str(error), permanent=False)
    except SoftTimeLimitExceeded:
        limit = arena_settings()["BATTLE_TIME_LIMIT_SECONDS"]
        return _platform_fault(claim, f"the battle ran past its {limit} s limit", permanent=False)
    except BotSourceError as error:
        return _platform_fault(claim, str(error), permanent=True)
    return _finish(claim, seats, result)


def _claim(battle_id: int) -> _Claim | None:
    """queued → running (or a running battle whose lease ran out), with a fresh lease token."""
    now = timezone.now()
    token = uuid.uuid4()
    lease = timedelta(seconds=arena_settings()["BATTLE_LEASE_SECONDS"])
    changed = (
        Battle.objects.filter(_claimable(now), pk=battle_id)
        .filter(attempts__lt=arena_settings()["BATTLE_MAX_ATTEMPTS"])
        .update(
            status=Battle.Status.RUNNING,
            lease_token=token,
            lease_expires_at=now + lease,
            attempts=F("attempts") + 1,
            started_at=now,
        )
    )
    if not changed:
        _fail_if_exhausted(battle_id)
        return None
    battle = Battle.objects.get(pk=battle_id)
    return _Claim(battle=battle, token=token, renewed_at=lease_clock())


def _claimable(now: datetime) -> Q:
    """What an attempt may take: a queued battle, or a running one whose lease ran out."""
    return Q(status=Battle.Status.QUEUED) | Q(
        status=Battle.Status.RUNNING, lease_expires_at__lt=now
    )


def _fail_if_exhausted(battle_id: int) -> None:
    """A claimable battle that has used all its attempts ends as failed, saying so."""
    limit = arena_settings()["BATTLE_MAX_ATTEMPTS"]
    now = timezone.now()
    Battle.objects.filter(_claimable(now), pk=battle_id, attempts__gte=limit).update(
        status=Battle.Status.FAILED,
        finished_at=now,
        lease_token=None,
        lease_expires_at=None,
        failure_reason=_exhausted_reason(limit),
    )


def _exhausted_reason(limit: int) -> str:
    return f"no attempt of {limit} finished (a worker died or timed out each time)"


def _on_turn(claim: _Claim, turn: int, then: Callable[[int], None] | None) -> None:
    """After every turn: renew the lease a third of the way through it, so that a live
    worker never loses its battle, and stop at once if it was lost anyway."""
    lease_seconds = arena_settings()["BATTLE_LEASE_SECONDS"]
    if lease_clock() - claim.renewed_at >= lease_seconds / 3:
        renewed = Battle.objects.filter(
            pk=claim.battle.pk, status=Battle.Status.RUNNING, lease_token=claim.token
        ).update(lease_expires_at=timezone.now() + timedelta(seconds=lease_seconds))
        if not renewed:
            raise LeaseLostError()
        claim.renewed_at = lease_clock()
    if then is not None:
        then(turn)


def _platform_fault(claim: _Claim, reason: str, *, permanent: bool) -> Battle | None:
    """Not the bots' fault: back to the queue for another attempt, or failed for good."""
    limit = arena_settings()["BATTLE_MAX_ATTEMPTS"]
    battle = claim.battle
    give_up = permanent or battle.attempts >= limit
    logger.warning(
        "battle %s attempt %s/%s: platform fault (%s)%s",
        battle.pk,
        battle.attempts,
        limit,
        reason,
        "; giving up" if give_up else "; retrying",
    )
    with transaction.atomic():
        fields: dict[str, object] = {"lease_token": None, "lease_expires_at": None}
        if give_up:
            fields.update(
                status=Battle.Status.FAILED, finished_at=timezone.now(), failure_reason=reason
            )
        else:
            fields.update(status=Battle.Status.QUEUED, failure_reason=reason)
        changed = Battle.objects.filter(
            pk=battle.pk, status=Battle.Status.RUNNING, lease_token=claim.token
        ).update(**fields)
        if changed and not give_up:
            delay = RETRY_DELAY_SECONDS * battle.attempts
            transaction.on_commit(lambda: battle_enqueue(battle_id=battle.pk, countdown=delay))
        if changed and give_up:
            battle_abandon_record(battle=battle)
    if not changed:
        return None
    battle.refresh_from_db()
    return battle


def _finish(claim: _Claim, seats: list[BattleSeat], result: MatchResult) -> Battle | None:
    """Records result, replay and stats in one transaction, only while holding the lease."""
    battle = claim.battle
    outcome = result.outcome
    data, raw_bytes = BattleReplay.pack(result.replay)  # outside the transaction: pure CPU
    now = timezone.now()
    with transaction.atomic():
        changed = Battle.objects.filter(
            pk=battle.pk, status=Battle.Status.RUNNING, lease_token=claim.token
        ).update(
            status=Battle.Status.FINISHED,
            winner_seat=outcome.winner,
            termination=outcome.termination.value,
            turns=outcome.turns,
            sandbox_mode=result.mode.value,
            sandbox_level=result.level,
            finished_at=now,
            lease_token=None,
            lease_expires_at=None,
            failure_reason="",
        )
        if not changed:
            logger.warning("battle %s: lease lost before recording; result dropped", battle.pk)
            return None
        for seat in seats:
            _record_seat(seat, result)
        BattleReplay.objects.create(battle=battle, data=data, raw_bytes=raw_bytes)
        battle.refresh_from_db()
        stats_record_battle(battle=battle, seats=seats)
        battle_outcome_record(battle=battle, seats=seats)
    return battle


def _record_seat(seat: BattleSeat, result: MatchResult) -> None:
    player = result.outcome.players[seat.seat]
    seat.score = result.outcome.scores[seat.seat]
    seat.status = player.status
    seat.reason = player.reason
    seat.fault_turn = player.turn
    seat.last_stderr_line_owner_only = last_stderr_line(result.replay, seat.seat)
    seat.timing = seat_timing(result.replay, seat.seat)
    seat.save(
        update_fields=[
            "score",
            "status",
            "reason",
            "fault_turn",
            "last_stderr_line_owner_only",
            "timing",
        ]
    )


def last_stderr_line(replay: Replay, seat: int) -> str:
    """The last non-empty line the seat printed on stderr: a crash's traceback ends there."""
    for turn in reversed(replay["turns"]):
        entry = turn["players"][seat]
        if entry is None:
            continue
        lines = [line for line in entry["stderr_owner_only"].splitlines() if line.strip()]
        if lines:
            return str(lines[-1])[:STDERR_LINE_CHARS]
    return ""


# -- sweeping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepReport:
    requeued: int  # running battles whose worker stopped renewing its lease
    failed: int  # ... that had no attempt left
    reenqueued: int  # queued battles whose message may have been lost
    expired: int  # queued for longer than the queue allows

    @property
    def total(self) -> int:
        return self.requeued + self.failed + self.reenqueued + self.expired


def battle_sweep() -> SweepReport:
    """Periodic: repairs what no broker guarantees. Safe to run anywhere, any number of times."""
    arena = arena_settings()
    now = timezone.now()
    stale = Battle.objects.filter(status=Battle.Status.RUNNING, lease_expires_at__lt=now)
    failed = stale.filter(attempts__gte=arena["BATTLE_MAX_ATTEMPTS"]).update(
        status=Battle.Status.FAILED,
        finished_at=now,
        lease_token=None,
        lease_expires_at=None,
        failure_reason=_exhausted_reason(arena["BATTLE_MAX_ATTEMPTS"]),
    )
    requeue_ids = list(stale.values_list("pk", flat=True)[:500])
    requeued = Battle.objects.filter(
        pk__in=requeue_ids, status=Battle.Status.RUNNING, lease_expires_at__lt=now
    ).update(
        status=Battle.Status.QUEUED,
        lease_token=None,
        lease_expires_at=None,
        failure_reason="the worker stopped renewing its lease (it died or stalled)",
    )
    expired = Battle.objects.filter(
        status=Battle.Status.QUEUED,
        created_at__lt=now - timedelta(seconds=arena["BATTLE_QUEUE_EXPIRY_SECONDS"]),
    ).update(status=Battle.Status.EXPIRED, finished_at=now)
    # A queued battle not handed to the broker for a while: its message may have been lost
    # (a broker restart, a worker killed after taking it). A duplicate is harmless: the
    # claim lets one through.
    forgotten = now - timedelta(seconds=10 * arena["BATTLE_LEASE_SECONDS"])
    reenqueue = list(
        Battle.objects.filter(status=Battle.Status.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=forgotten) | Q(pk__in=requeue_ids))
        .values_list("pk", flat=True)[:500]
    )
    for battle_id in reenqueue:
        battle_enqueue(battle_id=battle_id)
    report = SweepReport(requeued, failed, len(reenqueue), expired)
    if report.total:
        logger.info("battle sweep: %s", report)
    return report
