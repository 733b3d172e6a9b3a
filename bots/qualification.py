"""Qualification: a new version proves it runs before it becomes a bot's active version.

A submission or a rollback records a *pending* version and, in the same transaction, a
qualification battle of that version against a house bot (GAMEARENA
``QUALIFICATION_HOUSE_BOT``). When the battle finishes, its finishing transaction calls
`qualification_conclude`: a crash, a timeout or an invalid output fails the version (the
owner sees the fault, its turn and the last stderr line in the versions API); anything else
qualifies it and `version_activate` makes it the bot's code, unless a newer version was
activated first. Until then the previous version stays active: battles, the ladder and
`Bot.code` keep using it.

Each conclusion is a compare-and-set from pending, so a battle recorded twice concludes once.
See docs/ladder.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from bots.models import Bot, BotVersion
from gamearena.env import arena_settings

if TYPE_CHECKING:
    from battles.models import Battle, BattleSeat

logger = logging.getLogger(__name__)

FAULTS = frozenset({"timeout", "crashed", "invalid"})
Status = BotVersion.Qualification


def qualification_required() -> bool:
    """Whether new versions wait for a qualification battle (the product default)."""
    return arena_settings()["QUALIFICATION"]


def qualification_start(*, version: BotVersion) -> Battle:
    """Schedules the qualification battle of a pending `version`; it is handed to the
    workers when the caller's transaction commits (so a rolled-back submission plays none)."""
    from battles.models import Battle
    from battles.services import SeatSpec, battle_create, seat_spec_for

    house = seat_spec_for(house=arena_settings()["QUALIFICATION_HOUSE_BOT"])
    with transaction.atomic():
        battle = battle_create(
            seats=(SeatSpec(version=version), house),
            reason=Battle.Reason.QUALIFICATION,
            schedule_reason=Battle.ScheduleReason.QUALIFICATION,
            rated=False,
        )
        version.qualification_battle = battle
        version.save(update_fields=["qualification_battle"])
    return battle


def qualification_conclude(*, battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """Passes or fails the version that played `battle`; inside its finishing transaction."""
    seat = next((seat for seat in seats if seat.bot_version_id is not None), None)
    if seat is None or seat.bot_version_id is None:
        return
    fault = seat.status if seat.status in FAULTS else ""
    changed = BotVersion.objects.filter(
        pk=seat.bot_version_id, qualification_battle=battle, qualification_status=Status.PENDING
    ).update(
        qualification_status=Status.FAILED if fault else Status.QUALIFIED,
        qualification_reason=_reason(seat, fault),
        qualification_fault=fault,
        qualification_fault_turn=seat.fault_turn if fault else None,
        qualification_stderr_owner_only=seat.last_stderr_line_owner_only if fault else "",
    )
    if changed and not fault:
        version_activate(version=BotVersion.objects.get(pk=seat.bot_version_id))


def qualification_abandon(*, battle: Battle) -> None:
    """The qualification battle failed for the platform's reasons, not the bot's: the version
    ends in error (not failed), and its owner may submit the same code again."""
    BotVersion.objects.filter(
        qualification_battle=battle, qualification_status=Status.PENDING
    ).update(
        qualification_status=Status.ERROR,
        qualification_reason=(
            "The qualification battle could not be played (a platform fault, not this "
            "version's): submit the same code again to retry."
        ),
    )


def _reason(seat: BattleSeat, fault: str) -> str:
    if not fault:
        return "Played its qualification battle without a crash, a timeout or an invalid output."
    turn = f" on turn {seat.fault_turn}" if seat.fault_turn is not None else ""
    detail = f": {seat.reason}" if seat.reason else ""
    return f"{fault}{turn}{detail}"


def version_activate(*, version: BotVersion) -> bool:
    """Makes a qualified `version` its bot's code, unless a newer one is already active.

    Versions may qualify out of order (v3 and v4 both pending): the newest qualified wins,
    so an older one finishing last never takes the place of a newer one. Returns whether
    `version` became (or already was) the active one.
    """
    with transaction.atomic():
        bot = Bot.objects.select_for_update(of=("self",)).get(pk=version.bot_id)
        if version.version_number < bot.version_number:
            return False
        # Before the switch: the rating starts from the version it replaces, still active.
        _rating_start(version)
        if version.version_number > bot.version_number:
            bot.code = version.code
            bot.version_number = version.version_number
            bot.save(update_fields=["code", "version_number", "updated_at"])
    logger.info("bot %s: version %s is active", version.bot_id, version.version_number)
    return True


def _rating_start(version: BotVersion) -> None:
    """The ratings' hook: a newly active version starts from its parent's rating with a wider
    uncertainty. It lives in stats.services (the only writer of ratings); until that module
    has it, activation carries on without it."""
    from stats import services

    rating_start_version = getattr(services, "rating_start_version", None)
    if rating_start_version is not None:
        rating_start_version(version=version)
