"""Agent statistics: one row per agent, written only in a battle's finishing transaction.

An agent is what played a seat: a stored bot, named ``owner/name`` (all its versions together;
per-version counts live on ``BotVersion``), or a house bot, named ``house:<name>``.
"""

from __future__ import annotations

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
