"""Battles: one game between two seats, played by a worker, stored with its replay.

A battle's lifecycle is a small state machine written only through compare-and-set updates in
``battles/services.py`` (filter on the expected status, require one row changed)::

    queued ──claim──▶ running ──finish──▶ finished
       │                 │  └─lease lost / platform fault─▶ queued (retried) ─▶ … ─▶ failed
       └──▶ cancelled / expired

Each seat pins a ``BotVersion`` (never ``Bot.code``, which may change while the battle runs) or
names a house bot; its display name is fixed when the battle is created, so a later rename or
deactivation never rewrites history.
"""

from __future__ import annotations

import gc
import json
import uuid
import zlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from battles.replay import compact_states, expand_states

if TYPE_CHECKING:
    from battles.replay import Replay

REPLAY_COMPRESSION_LEVEL = 6  # zlib: 13x on a replay in 2 ms; level 9 saves 5% more for 2x the time


class Battle(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        FINISHED = "finished"
        FAILED = "failed"  # a platform fault outlived its retries: never the bots' fault
        CANCELLED = "cancelled"
        EXPIRED = "expired"  # waited in the queue longer than the queue allows

    class Reason(models.TextChoices):
        REQUESTED = "requested"  # a user asked for it over the API or the pages
        COMMAND = "command"  # manage.py play --save
        LADDER = "ladder"
        QUALIFICATION = "qualification"
        DUEL = "duel"
        LIVE = "live"

    class ScheduleReason(models.TextChoices):
        """Why the arena scheduled a battle nobody asked for (blank for asked-for ones)."""

        PLACEMENT = "placement"  # a new version's first ladder battles
        COVERAGE = "coverage"  # a bot that played fewer ladder battles lately than the others
        CLOSE_RATING = "close_rating"  # the steady state: an opponent of close rating
        DUEL = "duel"  # one game of an A/B duel of two versions
        QUALIFICATION = "qualification"  # a new version proving it runs before activation

    OPEN_STATUSES = (Status.QUEUED, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seed = models.BigIntegerField()
    policy = models.CharField(max_length=16, default="arena")  # OutputPolicy value
    reason = models.CharField(max_length=16, choices=Reason.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_battles",
    )
    rated = models.BooleanField(default=False)
    schedule_reason = models.CharField(
        max_length=16, choices=ScheduleReason.choices, blank=True, default=""
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim of the attempt now running: only the holder of this token may renew the lease
    # or record the result, so a worker that lost its lease can never record anything.
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True, default="")
    # The result, set once by the finishing transaction.
    winner_seat = models.PositiveSmallIntegerField(null=True, blank=True)
    termination = models.CharField(max_length=32, blank=True, default="")
    turns = models.PositiveSmallIntegerField(null=True, blank=True)
    sandbox_mode = models.CharField(max_length=16, blank=True, default="")
    sandbox_level = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="battles_newest_idx"),
            models.Index(fields=["status", "created_at"], name="battles_status_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="battles_lease_idx"),
            models.Index(fields=["requested_by", "status"], name="battles_requester_idx"),
            # The matchmaker's "ladder battles waiting" and "scheduled this minute" counts.
            models.Index(fields=["reason", "status"], name="battles_reason_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(winner_seat__isnull=True) | models.Q(winner_seat__in=(0, 1)),
                name="battles_battle_winner_is_a_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"battle {self.public_id} ({self.status})"

    @property
    def is_draw(self) -> bool:
        return self.status == Battle.Status.FINISHED and self.winner_seat is None

    @property
    def scores(self) -> list[int]:
        """Seat 0's score, then seat 1's (reads the prefetched seats when there are some)."""
        return [seat.score or 0 for seat in sorted(self.seats.all(), key=lambda s: s.seat)]


class BattleSeat(models.Model):
    """One side of a battle: who played it, and how it ended for them."""

    battle = models.ForeignKey(Battle, on_delete=models.CASCADE, related_name="seats")
    seat = models.PositiveSmallIntegerField()
    # Exactly one of bot_version / house_bot / player is set. `bot` is bot_version.bot, kept on
    # the row so that "battles of this bot, newest first" is one index range scan. A `player`
    # seat is remote: a person or a program answering over the API (battles/live.py).
    bot = models.ForeignKey(
        "bots.Bot", null=True, blank=True, on_delete=models.CASCADE, related_name="battle_seats"
    )
    bot_version = models.ForeignKey(
        "bots.BotVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="battle_seats",
    )
    house_bot = models.CharField(max_length=64, blank=True, default="")
    player = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_seats",
    )
    agent_name = models.CharField(max_length=200)  # "owner/name" or "house:<name>", as in stats
    display_name = models.CharField(max_length=200)  # e.g. "alice/pacbot v3", fixed at creation
    # The seat's result (set by the finishing transaction).
    score = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, blank=True, default="")  # "ok", "timeout", ...
    reason = models.TextField(blank=True, default="")  # public: what the referee saw
    fault_turn = models.PositiveSmallIntegerField(null=True, blank=True)
    # Private to the seat's owner: the last line the bot printed on stderr before its fault
    # (a traceback's last line says most about a crash). Bot-controlled text: escape it.
    last_stderr_line_owner_only = models.TextField(blank=True, default="")
    # Wall and CPU ms per turn (p50, p95, max, slowest turns): battles/timing.py; None until played.
    timing = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        ordering = ["battle", "seat"]
        # Every supported database has JSON fields; saying so spares the system checks a
        # database query (they run where no database may be reached, e.g. at build time).
        required_db_features = ("supports_json_field",)
        constraints = [
            models.UniqueConstraint(fields=["battle", "seat"], name="battles_seat_unique"),
            models.CheckConstraint(condition=models.Q(seat__in=(0, 1)), name="battles_seat_0_1"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        bot_version__isnull=False, bot__isnull=False, house_bot="", player=None
                    )
                    | (
                        models.Q(bot_version__isnull=True, bot__isnull=True, player=None)
                        & ~models.Q(house_bot="")
                    )
                    # A player seat whose user was deleted keeps its agent name: null player.
                    | models.Q(bot_version__isnull=True, bot__isnull=True, house_bot="")
                ),
                name="battles_seat_version_house_or_player",
            ),
        ]
        indexes = [
            models.Index(fields=["bot", "-battle"], name="battles_seat_bot_idx"),
            models.Index(fields=["bot_version", "-battle"], name="battles_seat_version_idx"),
            models.Index(fields=["agent_name", "-battle"], name="battles_seat_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"seat {self.seat}: {self.display_name}"

    @property
    def owner_id(self) -> int | None:
        return self.bot.owner_id if self.bot is not None else None

    @property
    def is_remote(self) -> bool:
        """A seat answered over the API (battles/live.py), not by a process in the sandbox."""
        return self.bot_version_id is None and not self.house_bot


class LiveBattleEntry(models.Model):
    """The SQL backend of the live store (battles/live_store.py), shaped like the storage seed's
    `battles` table. `battle_id` holds a key of battles/live_keys.py (a battle's entry, one of
    its submitted commands or events); times are the live store's clock, in epoch seconds."""

    battle_id = models.CharField(max_length=200, primary_key=True)
    data = models.BinaryField()
    created_at = models.FloatField()
    updated_at = models.FloatField()
    expires_at = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"live entry {self.battle_id}"


class BattleReplay(models.Model):
    """The replay of a finished battle: JSON with each turn's state stored as its changes,
    zlib-compressed (a real game's replay is about 70 KB of JSON; a few KB are kept).

    A table of its own so that lists of battles never read replays.
    """

    battle = models.OneToOneField(Battle, on_delete=models.CASCADE, related_name="replay")
    data = models.BinaryField()
    raw_bytes = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"replay of {self.battle_id} ({len(self.data)} of {self.raw_bytes} bytes)"

    @staticmethod
    def pack(replay: Replay) -> tuple[bytes, int]:
        """The stored bytes (turn states as changes, JSON, zlib) and the JSON's length."""
        # A replay is tens of thousands of small lists: encoding it allocates enough to trigger
        # the cycle collector, whose every pass walks the whole replay again. The encoder
        # makes no cycles: pause the collector meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            stored = compact_states(replay)
            raw = json.dumps(stored, separators=(",", ":"), ensure_ascii=False).encode()
        finally:
            if collecting:
                gc.enable()
        return zlib.compress(raw, REPLAY_COMPRESSION_LEVEL), len(raw)

    def unpack(self) -> Replay:
        return expand_states(json.loads(zlib.decompress(bytes(self.data))))
