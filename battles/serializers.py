"""Shapes of the battles API: strict inputs, plain outputs (no logic: STYLE #3).

The outputs double as the OpenAPI schema. A seat's `owner_only` part is filled only for the
seat's owner (the view passes the viewer's seats in the context).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from battles.housebots import HOUSE_BOTS
from battles.models import Battle, BattleSeat
from battles.selectors import BATTLE_LIST_DEFAULT_LIMIT, BATTLE_LIST_MAX_LIMIT
from battles.validation import BOT_REF_RULE, check_bot_refs, check_seed
from gamearena.errors import (
    CheckedIntegerField,
    InvalidInputError,
    StrictSerializer,
    query_int_check,
)

BOT_REF_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        {"type": "string", "enum": [f"house:{name}" for name in sorted(HOUSE_BOTS)]},
    ]
}


@extend_schema_field({"type": "array", "items": BOT_REF_SCHEMA, "minItems": 2, "maxItems": 2})
class BotRefsField(serializers.Field):  # type: ignore[type-arg]
    def to_internal_value(self, data: Any) -> tuple[int | str, int | str]:
        try:
            return check_bot_refs(data)
        except InvalidInputError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None

    def to_representation(self, value: Any) -> Any:
        return value


class BattleRequestInputSerializer(StrictSerializer):
    bots = BotRefsField(help_text=f"The two bots, seat 0 first: each {BOT_REF_RULE}.")
    seed = CheckedIntegerField(
        check=check_seed,
        required=False,
        min_value=-(2**63),
        max_value=2**63 - 1,
        help_text="The map seed (signed 64-bit); random when left out.",
    )


class BattleListQuerySerializer(serializers.Serializer[Any]):
    """Give it `request.query_params.dict()`: as a QueryDict, DRF would drop `status=`
    silently instead of refusing it."""

    bot = CheckedIntegerField(
        check=query_int_check("bot", 1, 2**63 - 1),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Only battles of this bot (id).",
    )
    version = CheckedIntegerField(
        check=query_int_check("version", 1, 2**31 - 1),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Only battles played by this version number (of `bot`, when given).",
    )
    status = serializers.ChoiceField(
        choices=Battle.Status.choices, required=False, help_text="Only battles in this status."
    )
    limit = CheckedIntegerField(
        check=query_int_check("limit", 1, BATTLE_LIST_MAX_LIMIT),
        required=False,
        min_value=1,
        max_value=BATTLE_LIST_MAX_LIMIT,
        help_text=f"Page size (default {BATTLE_LIST_DEFAULT_LIMIT}).",
    )
    offset = CheckedIntegerField(
        check=query_int_check("offset", 0, 10**9),
        required=False,
        min_value=0,
        max_value=10**9,
        help_text="Battles to skip.",
    )


class SpreadSerializer(serializers.Serializer[Any]):
    p50 = serializers.FloatField()
    p95 = serializers.FloatField()
    max = serializers.FloatField()


class SlowTurnSerializer(serializers.Serializer[Any]):
    turn = serializers.IntegerField()
    wall_ms = serializers.FloatField()
    cpu_ms = serializers.FloatField(allow_null=True)


class SeatTimingSerializer(serializers.Serializer[Any]):
    turns = serializers.IntegerField()
    wall_ms = SpreadSerializer(allow_null=True)
    cpu_ms = SpreadSerializer(allow_null=True, help_text="The bot's own CPU time per turn.")
    slowest_turns = SlowTurnSerializer(many=True)


class SeatOwnerOnlySerializer(serializers.Serializer[Any]):
    last_stderr_line = serializers.CharField(
        source="last_stderr_line_owner_only",
        help_text="The last line the bot printed on stderr (bot-controlled text: escape it).",
    )


class BattleSeatSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    agent_name = serializers.CharField()
    display_name = serializers.CharField()
    bot_id = serializers.IntegerField(allow_null=True)
    version_number = serializers.IntegerField(
        source="bot_version.version_number", allow_null=True, default=None
    )
    house_bot = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text='"ok", "timeout", "crashed", "invalid" or "dead".')
    reason = serializers.CharField()
    fault_turn = serializers.IntegerField(allow_null=True)
    timing = SeatTimingSerializer(allow_null=True)
    owner_only = serializers.SerializerMethodField(
        help_text="Only for the seat's owner; null for everybody else."
    )

    @extend_schema_field(SeatOwnerOnlySerializer(allow_null=True))
    def get_owner_only(self, seat: BattleSeat) -> dict[str, Any] | None:
        if seat.seat not in self.context.get("owner_seats", {}).get(seat.battle_id, ()):
            return None
        return dict(SeatOwnerOnlySerializer(seat).data)


class BattleResultSerializer(serializers.Serializer[Any]):
    winner_seat = serializers.IntegerField(allow_null=True, help_text="null for a draw.")
    draw = serializers.BooleanField(source="is_draw")
    scores = serializers.ListField(child=serializers.IntegerField())
    turns = serializers.IntegerField()
    termination = serializers.CharField()


class SandboxSerializer(serializers.Serializer[Any]):
    mode = serializers.CharField(source="sandbox_mode")
    level = serializers.CharField(source="sandbox_level")


class BattleSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=Battle.Status.choices)
    reason = serializers.ChoiceField(choices=Battle.Reason.choices)
    requested_by = serializers.CharField(
        source="requested_by.username", allow_null=True, default=None
    )
    seed = serializers.IntegerField()
    policy = serializers.CharField()
    rated = serializers.BooleanField()
    schedule_reason = serializers.ChoiceField(
        choices=[("", "asked for"), *Battle.ScheduleReason.choices],
        help_text="Why the arena scheduled it (placement, coverage, close_rating, duel, "
        "qualification); empty for a battle somebody asked for.",
    )
    seats = BattleSeatSerializer(many=True)
    result = serializers.SerializerMethodField()
    sandbox = serializers.SerializerMethodField()
    attempts = serializers.IntegerField()
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(BattleResultSerializer(allow_null=True))
    def get_result(self, battle: Battle) -> dict[str, Any] | None:
        if battle.status != Battle.Status.FINISHED:
            return None
        return dict(BattleResultSerializer(battle).data)

    @extend_schema_field(SandboxSerializer(allow_null=True))
    def get_sandbox(self, battle: Battle) -> dict[str, Any] | None:
        if not battle.sandbox_mode:
            return None
        return dict(SandboxSerializer(battle).data)


class BattleResponseSerializer(serializers.Serializer[Any]):
    battle = BattleSerializer()


class BattleListResponseSerializer(serializers.Serializer[Any]):
    battles = BattleSerializer(many=True)
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class ReplayResponseSerializer(serializers.Serializer[Any]):
    battle = serializers.UUIDField()
    replay = serializers.DictField(
        help_text="The replay: seed, policy, sandbox, initial_state, turns (each with every "
        "seat's output, fault, wall and CPU ms, and its stderr for its owner only), outcome."
    )
