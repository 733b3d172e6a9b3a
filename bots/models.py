"""Bots and their version history.

`Bot.code` and `Bot.version_number` denormalise the *active* `BotVersion`, so gameplay
reads one row and never joins. The invariant that keeps them honest: versions are only
ever appended, by `Bot.append_version`, while the bot's row is locked; nothing deletes a
version row, and a version's code never changes.

A new version is active at once only where qualification is off; otherwise it waits,
pending, until its qualification battle against a house bot ends without a fault
(bots/qualification.py), and the previous version stays active meanwhile. A bot's first
version is its code from the start (there is nothing older), but it enters the ladder only
once qualified.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from bots.errors import BotVersionNotFoundError
from bots.validation import (
    CODE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    NAME_RULE,
)

DEFAULT_ELO_RATING = 1200.0


class Bot(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bots"
    )
    name = models.CharField(
        max_length=NAME_MAX_LENGTH,
        # \Z, not $: "$" would also match before a final newline.
        validators=[RegexValidator(f"^{NAME_PATTERN.pattern}\\Z", f"A bot name is {NAME_RULE}.")],
    )
    # What the bot is, as its owner tells it; unlike a version's description (what changed
    # in that version, part of the append-only history) it can be edited at any time.
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    code = models.TextField(validators=[MaxLengthValidator(CODE_MAX_LENGTH)])
    version_number = models.PositiveIntegerField(default=1)
    elo_rating = models.FloatField(default=DEFAULT_ELO_RATING)
    match_count = models.PositiveIntegerField(default=0)
    win_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="bots_bot_unique_owner_name"),
        ]
        indexes = [models.Index(fields=["-elo_rating"], name="bots_bot_rating_idx")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version_number}"

    def append_version(
        self, *, code: str, description: str = "", activate: bool = True
    ) -> BotVersion:
        """Record `code` as the next version and, with `activate`, make it the bot's code.

        Without `activate` the version is recorded pending: it becomes the bot's code only
        when its qualification passes (bots/qualification.py, `version_activate`).

        The caller must hold this row's lock (`select_for_update()` inside
        `transaction.atomic`): that lock is what makes concurrent appends queue up and
        number their versions 1, 2, 3... with no gap and no duplicate. The next number
        comes from the versions themselves, not from `self.version_number`, so a bot whose
        counter drifted (see `repair_versions`) still appends without a collision.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Bot.append_version needs the bot's row lock inside a transaction")
        highest = self.versions.aggregate(highest=Max("version_number"))["highest"] or 0
        qualification = BotVersion.Qualification
        status = qualification.QUALIFIED if activate else qualification.PENDING
        version = BotVersion.objects.create(
            bot=self,
            version_number=highest + 1,
            code=code,
            description=description,
            qualification_status=status,
        )
        if not activate:
            return version
        self.code = code
        self.version_number = version.version_number
        self.save(update_fields=["code", "version_number", "updated_at"])
        return version

    def rollback(
        self, version_number: int, *, description: str = "", activate: bool = True
    ) -> BotVersion:
        """Make version `version_number`'s code current again; returns the current version.

        History is never rewritten: rolling v5 back to v2 creates v6 carrying v2's code.
        See `rollback_outcome` for when no version is created.
        """
        version, _ = self.rollback_outcome(
            version_number, description=description, activate=activate
        )
        return version

    def rollback_outcome(
        self, version_number: int, *, description: str = "", activate: bool = True
    ) -> tuple[BotVersion, bool]:
        """As `rollback`, also saying whether a new version was created.

        When version `version_number`'s code is already the current code, nothing is
        created and the current version is returned with False: a rollback agrees with
        resubmitting identical code, which creates nothing either; so does a rollback to
        the code of the newest version while it waits for its qualification. Without
        `activate` the new version is pending, as in `append_version`.
        Raises BotVersionNotFoundError when this bot has no such version.
        """
        with transaction.atomic():
            locked = Bot.objects.select_for_update().get(pk=self.pk)
            source = locked.versions.filter(version_number=version_number).first()
            if source is None:
                raise BotVersionNotFoundError(f"This bot has no version {version_number}.")
            newest = locked.versions.order_by("-version_number").first()
            if newest is not None and newest.already_holds(source.code, active_code=locked.code):
                version, created = newest, False
            else:
                version, created = (
                    locked.append_version(
                        code=source.code,
                        description=description or f"Rolled back to version {version_number}",
                        activate=activate,
                    ),
                    True,
                )
        # Keep the caller's instance truthful without reloading fields it may have changed.
        self.code, self.version_number = locked.code, locked.version_number
        self.updated_at = locked.updated_at
        return version, created


class BotVersion(models.Model):
    class Qualification(models.TextChoices):
        PENDING = "pending"  # its qualification battle is queued or running
        QUALIFIED = "qualified"  # passed (or recorded while qualification was off)
        FAILED = "failed"  # faulted in its qualification battle: never becomes active
        ERROR = "error"  # the battle could not be played (a platform fault): submit again

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="versions")
    version_number = models.PositiveIntegerField()
    code = models.TextField()
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    match_count = models.PositiveIntegerField(default=0)
    win_count = models.PositiveIntegerField(default=0)
    # A default rather than auto_now_add, so the migration that backfills version 1 for
    # old bots can date it truthfully (auto_now_add would overwrite any given value).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Qualification (bots/qualification.py): written once, by its battle's finishing
    # transaction, from pending to one of the other statuses.
    qualification_status = models.CharField(
        max_length=16, choices=Qualification.choices, default=Qualification.PENDING
    )
    qualification_battle = models.ForeignKey(
        "battles.Battle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    qualification_reason = models.TextField(blank=True, default="")  # what the referee saw
    qualification_fault = models.CharField(max_length=16, blank=True, default="")
    qualification_fault_turn = models.PositiveSmallIntegerField(null=True, blank=True)
    # The last stderr line before the fault; the version API is its owner's only.
    qualification_stderr_owner_only = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["bot", "-version_number"]
        constraints = [
            # Its index also serves every "version n of bot b" and "versions of bot b" query.
            models.UniqueConstraint(
                fields=["bot", "version_number"], name="bots_botversion_unique_bot_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version_number__gte=1), name="bots_botversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bot.name} v{self.version_number}"

    def already_holds(self, code: str, *, active_code: str) -> bool:
        """Whether recording `code` after this (newest) version would add nothing: it is this
        version's code, and this version is active or still waiting for its qualification.
        A version that failed may be submitted again (its fault may have been a fluke)."""
        if self.code != code:
            return False
        if self.qualification_status == BotVersion.Qualification.PENDING:
            return True
        return self.qualification_status == BotVersion.Qualification.QUALIFIED and (
            active_code == code
        )
