"""Agent statistics: one row per agent, written only in a battle's finishing transaction.

An agent is what played a seat: a stored bot, named ``owner/name`` (all its versions together;
per-version counts live on ``BotVersion``), or a house bot, named ``house:<name>``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AgentStats(models.Model):
    agent_name = models.CharField(max_length=200, unique=True)
    wins = models.PositiveIntegerField(default=0)
    losses = models.PositiveIntegerField(default=0)
    draws = models.PositiveIntegerField(default=0)
    total_battles = models.PositiveIntegerField(default=0)
    # Faults by kind: battles in which this agent timed out, crashed or printed invalid output.
    timeouts = models.PositiveIntegerField(default=0)
    crashes = models.PositiveIntegerField(default=0)
    invalid_outputs = models.PositiveIntegerField(default=0)
    last_battle_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agent_name"]
        verbose_name_plural = "agent stats"

    def __str__(self) -> str:
        return f"{self.agent_name}: {self.wins}-{self.draws}-{self.losses}"

    @property
    def win_rate(self) -> float:
        """Wins over all battles, as the storage seed has it; 0.0 before the first battle."""
        if not self.total_battles:
            return 0.0
        return self.wins / self.total_battles


class Duel(models.Model):
    """An A/B test of two versions of one bot, played game by game until the sequential test
    decides (stats/duels.py, stats/sprt.py). Counts are from version A's side; they change
    only under this row's lock, when one of its games is counted (once: DuelGame.counted)."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DECIDED = "decided"  # the test decided, or the cap on games came first (inconclusive)

    bot = models.ForeignKey("bots.Bot", on_delete=models.CASCADE, related_name="duels")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_a = models.ForeignKey("bots.BotVersion", on_delete=models.CASCADE, related_name="+")
    version_b = models.ForeignKey("bots.BotVersion", on_delete=models.CASCADE, related_name="+")
    elo0 = models.FloatField()
    elo1 = models.FloatField()
    alpha = models.FloatField()
    beta = models.FloatField()
    max_games = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    decision = models.CharField(max_length=16, blank=True, default="")  # stats.sprt.Decision
    wins = models.PositiveIntegerField(default=0)
    draws = models.PositiveIntegerField(default=0)
    losses = models.PositiveIntegerField(default=0)
    games_scheduled = models.PositiveIntegerField(default=0)
    llr_better = models.FloatField(default=0.0)
    llr_worse = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["bot", "status"], name="stats_duel_bot_status_idx")]

    def __str__(self) -> str:
        return f"duel {self.pk}: v{self.version_a_id} vs v{self.version_b_id} ({self.status})"


class DuelGame(models.Model):
    """One battle of a duel; `counted` is set once, when its result (or its loss to a
    platform fault) has been taken into the duel."""

    duel = models.ForeignKey(Duel, on_delete=models.CASCADE, related_name="games")
    battle = models.OneToOneField(
        "battles.Battle", on_delete=models.CASCADE, related_name="duel_game"
    )
    a_seat = models.PositiveSmallIntegerField()  # the seat version A played
    counted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"game of duel {self.duel_id}: battle {self.battle_id}"


class RecordedBattle(models.Model):
    """A battle counted by the stats: inserted first in the finishing transaction, so a battle
    recorded twice (a retried finish, a test calling the service again) counts once."""

    battle = models.OneToOneField(
        "battles.Battle", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"battle {self.battle_id} recorded"


class VersionRating(models.Model):
    """One bot version's record (every finished battle) and ratings (rated ladder battles only).

    Written only by stats/services.py; `mu`/`sigma` are OpenSkill's, `elo` the seed's Elo.
    """

    version = models.OneToOneField(
        "bots.BotVersion", primary_key=True, on_delete=models.CASCADE, related_name="rating"
    )
    bot = models.ForeignKey("bots.Bot", on_delete=models.CASCADE, related_name="version_ratings")
    # The version whose estimate this one started from (None: a bot's first version).
    parent = models.ForeignKey(
        "bots.BotVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mu = models.FloatField()
    sigma = models.FloatField()
    elo = models.FloatField()
    rated_battles = models.PositiveIntegerField(default=0)
    battles = models.PositiveIntegerField(default=0)
    wins = models.PositiveIntegerField(default=0)
    draws = models.PositiveIntegerField(default=0)
    losses = models.PositiveIntegerField(default=0)
    timeouts = models.PositiveIntegerField(default=0)
    crashes = models.PositiveIntegerField(default=0)
    invalid_outputs = models.PositiveIntegerField(default=0)
    last_battle_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"version {self.version_id}: mu {self.mu:.2f} sigma {self.sigma:.2f}"


class BotRating(models.Model):
    """A bot's row on the leaderboard: its active version's ratings, copied on every change so
    that a page of the leaderboard is one index range scan (10,000 bots: docs/benchmark.md).

    `rank_low`/`rank_high` are the 90% rank interval, refreshed in the background after rated
    battles (stats/tasks.py): computing it reads every bot's rating, too much for each battle.
    """

    bot = models.OneToOneField(
        "bots.Bot", primary_key=True, on_delete=models.CASCADE, related_name="rating"
    )
    version = models.ForeignKey(
        "bots.BotVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mu = models.FloatField()
    sigma = models.FloatField()
    conservative = models.FloatField()  # mu - 3 sigma: the leaderboard's order
    elo = models.FloatField()
    # The bot's is_active, copied (stats.services.leaderboard_relist): the board lists active
    # bots from its own partial index, without joining the bots table (a join made PostgreSQL
    # sort all 10,000 rows for each page).
    listed = models.BooleanField(default=True)
    rank_low = models.PositiveIntegerField(null=True, blank=True)
    rank_high = models.PositiveIntegerField(null=True, blank=True)
    last_battle_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["-conservative", "bot"],
                condition=models.Q(listed=True),
                name="stats_board_order_idx",
            )
        ]

    def __str__(self) -> str:
        return f"bot {self.bot_id}: {self.conservative:.2f}"


class RatingHistory(models.Model):
    """One seat's ratings after one rated battle, for charts."""

    class Result(models.TextChoices):
        WIN = "win"
        LOSS = "loss"
        DRAW = "draw"

    battle = models.ForeignKey("battles.Battle", on_delete=models.CASCADE, related_name="+")
    seat = models.PositiveSmallIntegerField()
    bot = models.ForeignKey("bots.Bot", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("bots.BotVersion", on_delete=models.CASCADE, related_name="+")
    result = models.CharField(max_length=4, choices=Result.choices)
    mu = models.FloatField()
    sigma = models.FloatField()
    elo = models.FloatField()
    elo_change = models.FloatField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["battle", "seat"], name="stats_history_one_per_seat"),
        ]
        indexes = [
            models.Index(fields=["bot", "-at", "-id"], name="stats_history_bot_idx"),
            models.Index(fields=["version", "-at", "-id"], name="stats_history_version_idx"),
        ]

    def __str__(self) -> str:
        return f"battle {self.battle_id} seat {self.seat}: {self.result}"


class WorkerHeartbeat(models.Model):
    """When each worker was last seen alive (start, or the end of a task): /metrics reads it.

    In the database because workers and web processes share nothing else on every setup
    (the embedded default's cache is per process)."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at}"
