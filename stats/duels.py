"""A/B duels of two versions of one bot, decided by a sequential test (stats/sprt.py).

A duel plays version A against version B in pairs of unrated battles (reason DUEL): one seed
per pair, the seats swapped, so neither the map nor the first seat favours a side. A few
pairs are in flight at a time; each battle's finishing transaction counts its game under the
duel's row lock, asks the test whether it has decided, and schedules the next pair if not.
A game is counted once (a compare-and-set on DuelGame.counted), so a battle recorded twice,
or a result arriving while another is being counted, changes nothing twice.

Writes and the owner's reads of duels live here together: one small topic, one module.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bots.models import Bot
from bots.selectors import bot_version_get
from gamearena.env import arena_settings
from gamearena.errors import ConflictError, InvalidInputError, NotFoundError
from stats.models import Duel, DuelGame
from stats.sprt import (
    PAIR,
    Counts,
    Decision,
    EloEstimate,
    SprtParams,
    SprtState,
    elo_estimate,
    sprt_state,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from battles.models import Battle, BattleSeat

# Pairs played at once: enough to keep two workers busy, few enough that a duel decided
# early leaves little to cancel.
PAIRS_IN_FLIGHT = 2
SEED_RANGE = (-(2**63), 2**63 - 1)  # the engine's seeds are Java longs, as in battles


class DuelNotFoundError(NotFoundError):
    code = "duel_not_found"
    default_message = "No such duel of this bot."


class DuelRunningError(ConflictError):
    code = "duel_running"
    default_message = "This bot already has a duel running; wait for its decision."


class InvalidDuelError(InvalidInputError):
    code = "invalid_duel"
    default_message = "These duel parameters do not make a test."

    @classmethod
    def of(cls, problems: dict[str, str]) -> InvalidDuelError:
        """Problems by field, in the same details shape as the API's validation errors."""
        fields = {
            name: [{"message": message, "code": cls.code}] for name, message in problems.items()
        }
        return cls(details={"fields": fields})


@dataclass(frozen=True)
class DuelProgress:
    """A duel as its owner reads it: counts, both tests' LLRs, bounds, decision, estimate."""

    duel: Duel
    counts: Counts
    state: SprtState
    estimate: EloEstimate | None


def duel_params(duel: Duel) -> SprtParams:
    return SprtParams(
        elo0=duel.elo0, elo1=duel.elo1, alpha=duel.alpha, beta=duel.beta, max_games=duel.max_games
    )


def duel_counts(duel: Duel) -> Counts:
    return Counts(wins=duel.wins, draws=duel.draws, losses=duel.losses)


def duel_progress(*, duel: Duel) -> DuelProgress:
    counts = duel_counts(duel)
    return DuelProgress(duel, counts, sprt_state(counts, duel_params(duel)), elo_estimate(counts))


# -- reads (the owner's: the caller has passed access_bot) ------------------------------------


def duel_get(*, bot: Bot, duel_id: int) -> Duel:
    duel = Duel.objects.filter(bot=bot, pk=duel_id).select_related("version_a", "version_b")
    found = duel.first()
    if found is None:
        raise DuelNotFoundError()
    return found


def duel_list(*, bot: Bot) -> QuerySet[Duel]:
    return Duel.objects.filter(bot=bot).select_related("version_a", "version_b")


# -- writes -------------------------------------------------------------------------------------


def duel_create(
    *,
    bot: Bot,
    user: User,
    version_a: int,
    version_b: int,
    elo0: float | None = None,
    elo1: float | None = None,
    alpha: float | None = None,
    beta: float | None = None,
    max_games: int | None = None,
) -> Duel:
    """Starts a duel of versions `version_a` and `version_b` of `bot`, playing its first pairs.

    Unset parameters take the test's defaults (SprtParams); the cap may not exceed
    GAMEARENA DUEL_MAX_GAMES (an odd one is rounded down to whole pairs). One duel runs per
    bot at a time.
    """
    params = _params(elo0=elo0, elo1=elo1, alpha=alpha, beta=beta, max_games=max_games)
    if version_a == version_b:
        raise InvalidDuelError.of({"b": "A duel needs two different versions."})
    a = bot_version_get(bot=bot, version_number=version_a)
    b = bot_version_get(bot=bot, version_number=version_b)
    with transaction.atomic():
        Bot.objects.select_for_update(of=("self",)).filter(pk=bot.pk).first()
        if Duel.objects.filter(bot=bot, status=Duel.Status.RUNNING).exists():
            raise DuelRunningError()
        duel = Duel.objects.create(
            bot=bot,
            requested_by=user,
            version_a=a,
            version_b=b,
            elo0=params.elo0,
            elo1=params.elo1,
            alpha=params.alpha,
            beta=params.beta,
            max_games=params.max_games,
        )
        _schedule_pairs(duel, PAIRS_IN_FLIGHT)
    return duel


def _params(**given: float | int | None) -> SprtParams:
    defaults = SprtParams()
    values = {
        name: getattr(defaults, name) if value is None else value for name, value in given.items()
    }
    params = SprtParams(
        elo0=float(values["elo0"]),
        elo1=float(values["elo1"]),
        alpha=float(values["alpha"]),
        beta=float(values["beta"]),
        # Whole pairs: an odd cap is rounded down (the seat-swapped pair is the unit).
        max_games=max(PAIR, int(values["max_games"]) // PAIR * PAIR),
    )
    problems = params.problems()
    cap = arena_settings()["DUEL_MAX_GAMES"]
    if params.max_games > cap:
        problems["max_games"] = f"max_games may be at most {cap}."
    if problems:
        raise InvalidDuelError.of(problems)
    return params


def duel_record_battle(*, battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """Counts a finished duel battle, once; inside the battle's finishing transaction."""
    game = _take_game(battle)
    if game is None:
        return
    duel = Duel.objects.select_for_update().get(pk=game.duel_id)
    if duel.status == Duel.Status.RUNNING:
        score = _score_of_a(battle, game.a_seat)
        counts = duel_counts(duel).plus(score)
        duel.wins, duel.draws, duel.losses = counts.wins, counts.draws, counts.losses
        duel.save(update_fields=["wins", "draws", "losses"])
    _advance(duel)


def duel_abandon_battle(*, battle: Battle) -> None:
    """A duel battle lost to platform faults: not counted, and the duel goes on without it."""
    game = _take_game(battle)
    if game is not None:
        _advance(Duel.objects.select_for_update().get(pk=game.duel_id))


def _take_game(battle: Battle) -> DuelGame | None:
    """The battle's duel game if this call is the one that counts it, else None."""
    taken = DuelGame.objects.filter(battle=battle, counted=False).update(counted=True)
    if not taken:
        return None
    return DuelGame.objects.get(battle=battle)


def _score_of_a(battle: Battle, a_seat: int) -> float:
    if battle.winner_seat is None:
        return 0.5
    return 1.0 if battle.winner_seat == a_seat else 0.0


def _advance(duel: Duel) -> None:
    """After a game: decide if the test has, else keep PAIRS_IN_FLIGHT pairs playing."""
    if duel.status != Duel.Status.RUNNING:
        return
    state = sprt_state(duel_counts(duel), duel_params(duel))
    duel.llr_better, duel.llr_worse = state.llr_better, state.llr_worse
    waiting = duel.games.filter(counted=False)
    open_games = waiting.count()
    decision = state.decision
    if decision is None and open_games == 0 and duel.games_scheduled >= duel.max_games:
        decision = Decision.INCONCLUSIVE  # games lost to platform faults left the cap short
    if decision is not None:
        _decide(duel, decision)
        return
    duel.save(update_fields=["llr_better", "llr_worse"])
    # A pair is in flight while either of its games is (a pair shares its seed).
    missing = PAIRS_IN_FLIGHT - waiting.values("battle__seed").distinct().count()
    _schedule_pairs(duel, missing)


def _decide(duel: Duel, decision: Decision) -> None:
    from battles.services import battles_cancel_queued

    duel.status, duel.decision, duel.decided_at = Duel.Status.DECIDED, decision, timezone.now()
    duel.save(update_fields=["status", "decision", "decided_at", "llr_better", "llr_worse"])
    # The games still queued are not needed any more; those already running end uncounted.
    battles_cancel_queued(
        battle_ids=list(duel.games.filter(counted=False).values_list("battle_id", flat=True))
    )


def _schedule_pairs(duel: Duel, pairs: int) -> None:
    """Up to `pairs` more pairs of battles, never past the duel's cap; on the caller's lock."""
    from battles.models import Battle
    from battles.services import SeatSpec, battle_create

    for _ in range(pairs):
        if duel.games_scheduled + 2 > duel.max_games:
            break
        seed = secrets.randbelow(2**64) + SEED_RANGE[0]
        a, b = SeatSpec(version=duel.version_a), SeatSpec(version=duel.version_b)
        for seats, a_seat in (((a, b), 0), ((b, a), 1)):
            battle = battle_create(
                seats=seats,
                reason=Battle.Reason.DUEL,
                requested_by=duel.requested_by,
                seed=seed,
                rated=False,
                schedule_reason=Battle.ScheduleReason.DUEL,
            )
            DuelGame.objects.create(duel=duel, battle=battle, a_seat=a_seat)
        duel.games_scheduled += 2
    duel.save(update_fields=["games_scheduled"])
