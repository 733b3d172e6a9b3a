"""Admin for battles: read-only records with their seats; what an operator may do to a battle
goes through the services (re-queue a failed one, cancel a queued one): no ORM writes here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from battles.models import Battle, BattleSeat
from battles.services import battles_cancel_queued, battles_requeue

if TYPE_CHECKING:
    BattleAdminBase = admin.ModelAdmin[Battle]
    BattleSeatInlineBase = admin.TabularInline[BattleSeat, Battle]
else:
    BattleAdminBase = admin.ModelAdmin
    BattleSeatInlineBase = admin.TabularInline


class BattleSeatInline(BattleSeatInlineBase):
    model = BattleSeat
    extra = 0
    can_delete = False
    fields = ("seat", "display_name", "agent_name", "score", "status", "reason", "fault_turn")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Battle)
class BattleAdmin(BattleAdminBase):
    list_display = (
        "public_id", "status", "reason", "requested_by", "turns", "winner_seat", "attempts",
        "created_at", "finished_at",
    )  # fmt: skip
    list_filter = ("status", "reason", "schedule_reason", "rated", "sandbox_mode")
    search_fields = ("public_id", "seats__agent_name", "requested_by__username")
    ordering = ("-created_at", "-id")
    inlines = [BattleSeatInline]
    actions = ["requeue_failed", "cancel_queued"]
    readonly_fields = [field.name for field in Battle._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # battles are requested over the API or by the ladder, never typed in

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Re-queue the selected failed or expired battles")
    def requeue_failed(self, request: HttpRequest, queryset: QuerySet[Battle]) -> None:
        count = battles_requeue(battle_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} battles re-queued.", messages.SUCCESS)

    @admin.action(description="Cancel the selected queued battles")
    def cancel_queued(self, request: HttpRequest, queryset: QuerySet[Battle]) -> None:
        count = battles_cancel_queued(battle_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} battles cancelled.", messages.SUCCESS)
