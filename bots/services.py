"""Writes of the bots app: submitting code, rolling back, (de)activating, repairing counters.

Every function here that touches more than one row runs in `transaction.atomic` and locks
the bot's row with `select_for_update()` before reading its version numbers, so concurrent
writers to one bot queue up instead of racing (STYLE #4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from bots.models import Bot, BotVersion
from bots.qualification import qualification_required, qualification_start
from bots.validation import (
    check_bot_code,
    check_bot_description,
    check_bot_name,
    check_is_active,
    check_version_description,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIRST_VERSION = 1
REPAIR_DESCRIPTION = "Recorded by repair_versions: the code had no matching version"


@dataclass(frozen=True)
class SubmitResult:
    bot: Bot
    version: BotVersion
    created: bool  # a new bot (its version 1)
    new_version: bool  # False when the code was identical to the current version

    @property
    def message(self) -> str:
        number = self.version.version_number
        pending = pending_note(self.version) if self.new_version else ""
        if self.created:
            return f"Created bot {self.bot.name} with version {number}.{pending}"
        if self.new_version:
            return f"Created version {number}.{pending}" + inactive_note(self.bot)
        return (
            f"Code is identical to the current version {number}; no new version was created."
            + inactive_note(self.bot)
        )


@dataclass(frozen=True)
class RollbackResult:
    bot: Bot
    version: BotVersion  # the version now current
    source_number: int  # the version whose code was asked for
    new_version: bool  # False when that code was already the current code

    @property
    def message(self) -> str:
        # Starts with the same words either way, so a client that reads the start of the
        # message keeps working; the rest says what really happened.
        head = f"Rolled back to version {self.source_number}"
        number = self.version.version_number
        if self.new_version:
            pending = pending_note(self.version)
            sentence = f"{head} as version {number}" + (f".{pending[:-1]}" if pending else "")
        else:
            sentence = (
                f"{head}: its code is already the current version {number}, "
                "so no new version was created"
            )
        note = inactive_note(self.bot)
        return f"{sentence}.{note}" if note else sentence


def pending_note(version: BotVersion) -> str:
    """Said after recording a version that waits for its qualification battle."""
    if version.qualification_status != BotVersion.Qualification.PENDING:
        return ""
    return (
        " It becomes the active version once its qualification battle against a house bot "
        "ends without a fault; until then the previous version stays active."
    )


def inactive_note(bot: Bot) -> str:
    """Said after every write to an inactive bot, which keeps its code but plays no match."""
    if bot.is_active:
        return ""
    return (
        f" Bot {bot.name} is inactive: it takes no part in matches until it is "
        "reactivated (is_active true)."
    )


def bot_submit(*, owner: User, name: str, code: str, description: str = "") -> SubmitResult:
    """Create the owner's bot `name`, or record `code` as its next version.

    Identical code creates nothing (the description is then ignored) and is not an error:
    re-running a deploy script must be harmless. Inputs are checked here as well as in
    the API, so every caller (admin, commands, shell) obeys the same rules.
    """
    name, code = check_bot_name(name), check_bot_code(code)
    description = check_version_description(description)
    qualify = qualification_required()
    with transaction.atomic():
        bot = _bot_locked(owner=owner, name=name)
        if bot is None:
            first = _bot_create(
                owner=owner, name=name, code=code, description=description, qualify=qualify
            )
            if first is not None:
                return SubmitResult(bot=first.bot, version=first, created=True, new_version=True)
            bot = _bot_locked(owner=owner, name=name)  # lost a race to create it: now update it
            assert bot is not None  # the IntegrityError proved the row exists
        newest = bot.versions.order_by("-version_number").first()
        if newest is not None and newest.already_holds(code, active_code=bot.code):
            return SubmitResult(bot=bot, version=newest, created=False, new_version=False)
        version = bot.append_version(code=code, description=description, activate=not qualify)
        if qualify:
            qualification_start(version=version)
    return SubmitResult(bot=bot, version=version, created=False, new_version=True)


def _bot_locked(*, owner: User, name: str) -> Bot | None:
    # of=("self",): lock the bot's row only, not the joined user row (which every
    # login updates and every other bot of this owner would otherwise queue on).
    return (
        Bot.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(owner=owner, name=name)
        .first()
    )


def _bot_create(
    *, owner: User, name: str, code: str, description: str, qualify: bool
) -> BotVersion | None:
    """A new bot with its version 1, or None when another request created it first.

    Version 1 is the bot's code from the start (there is no older one to keep), but with
    `qualify` it waits, pending, for its qualification before it enters the ladder.
    """
    try:
        # A savepoint: when two first submissions of one name race, the loser's insert
        # fails on the (owner, name) constraint without spoiling the outer transaction;
        # the caller then locks the winner's row and carries on as an update.
        with transaction.atomic():
            bot = Bot.objects.create(
                owner=owner, name=name, code=code, version_number=FIRST_VERSION
            )
            qualification = BotVersion.Qualification
            status = qualification.PENDING if qualify else qualification.QUALIFIED
            first = BotVersion.objects.create(
                bot=bot,
                version_number=FIRST_VERSION,
                code=code,
                description=description,
                qualification_status=status,
            )
    except IntegrityError:
        return None
    if qualify:
        qualification_start(version=first)
    return first


def bot_rollback(*, bot: Bot, version_number: int, description: str = "") -> RollbackResult:
    """Make version `version_number`'s code current again as a new version (Bot.rollback).

    Like a submission of identical code, a rollback to the code that is already current
    creates nothing (`new_version` False). Like a submission, the new version becomes active
    only once it qualifies (where qualification is on).
    """
    qualify = qualification_required()
    with transaction.atomic():
        version, created = bot.rollback_outcome(
            version_number,
            description=check_version_description(description),
            activate=not qualify,
        )
        if created and qualify:
            qualification_start(version=version)
    return RollbackResult(
        bot=bot, version=version, source_number=version_number, new_version=created
    )


def bot_set_active(*, bot: Bot, is_active: bool) -> Bot:
    """Switch a bot on or off for matches; its history is untouched either way."""
    return bot_update(bot=bot, is_active=is_active)


def bot_update(*, bot: Bot, is_active: bool | None = None, description: str | None = None) -> Bot:
    """A partial update of a bot's own fields: only those given (not None) change.

    Code is not among them: it changes only through a new version (bot_submit).
    """
    changes: dict[str, object] = {}
    if is_active is not None:
        changes["is_active"] = check_is_active(is_active)
    if description is not None:
        changes["description"] = check_bot_description(description)
    if not changes:
        return bot  # nothing asked: nothing written, not even updated_at
    for field, value in changes.items():
        setattr(bot, field, value)
    bot.save(update_fields=[*changes, "updated_at"])
    return bot


@dataclass(frozen=True)
class RepairChange:
    bot_id: int
    description: str


def bot_versions_repair(*, bot_id: int, dry_run: bool) -> list[RepairChange]:
    """Bring one bot's code and version counter back in line with its version history.

    - no versions at all: its current code becomes version 1;
    - code differs from the newest version (edited outside versioning, e.g. in a shell):
      the bot's code is what matches actually run, so it is recorded as a new version;
    - version_number differs from the newest version's number: set to that number.
    With `dry_run` nothing is written. Returns what was (or would be) changed.
    "Newest" means the newest version that may be active: versions waiting for (or that
    failed) their qualification are not the bot's code, and rightly differ from it.
    """
    with transaction.atomic():
        bot = Bot.objects.select_for_update(of=("self",)).select_related("owner").get(pk=bot_id)
        newest = _newest_activatable(bot)
        label = f"bot {bot.pk} {bot.name!r} of {bot.owner.get_username()}"
        if newest is None:
            change = f"{label}: has no versions; its code becomes version 1"
        elif bot.code != newest.code:
            change = (
                f"{label}: code differs from its newest version {newest.version_number}; "
                f"recorded as version {newest.version_number + 1}"
            )
        elif bot.version_number != newest.version_number:
            change = f"{label}: version_number {bot.version_number} -> {newest.version_number}"
        else:
            return []
        if not dry_run:
            _repair(bot, newest)
    return [RepairChange(bot_id=bot.pk, description=change)]


def _newest_activatable(bot: Bot) -> BotVersion | None:
    """The newest qualified version; else version 1 (a first version is the bot's code
    while it qualifies, and stays so if it fails); None when there are no versions."""
    versions = bot.versions.order_by("-version_number")
    qualified = versions.filter(qualification_status=BotVersion.Qualification.QUALIFIED).first()
    return qualified or versions.order_by("version_number").first()


def _repair(bot: Bot, newest: BotVersion | None) -> None:
    if newest is None or bot.code != newest.code:
        # append_version numbers from the history and sets code and counter together.
        bot.append_version(code=bot.code, description=REPAIR_DESCRIPTION)
    else:
        bot.version_number = newest.version_number
        bot.save(update_fields=["version_number"])
