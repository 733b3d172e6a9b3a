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
