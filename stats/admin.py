"""Admin for agent stats: read-only (only a battle's finishing transaction writes them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from stats.models import AgentStats, Duel

if TYPE_CHECKING:
    AgentStatsAdminBase = admin.ModelAdmin[AgentStats]
else:
    AgentStatsAdminBase = admin.ModelAdmin


@admin.register(AgentStats)
class AgentStatsAdmin(AgentStatsAdminBase):
    list_display = (
        "agent_name", "wins", "losses", "draws", "total_battles", "timeouts", "crashes",
        "invalid_outputs", "last_battle_at",
    )  # fmt: skip
    search_fields = ("agent_name",)
    readonly_fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


if TYPE_CHECKING:
    DuelAdminBase = admin.ModelAdmin[Duel]
else:
    DuelAdminBase = admin.ModelAdmin


@admin.register(Duel)
class DuelAdmin(DuelAdminBase):
    """Read-only: a duel changes only as its games are counted (stats/duels.py)."""

    list_display = (
        "id", "bot", "version_a", "version_b", "status", "decision", "wins", "draws", "losses",
        "created_at",
    )  # fmt: skip
    list_filter = ("status", "decision")
    readonly_fields = [field.name for field in Duel._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
