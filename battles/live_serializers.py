"""Shapes of the live battles API (battles/live.py): strict inputs, plain outputs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from battles.serializers import BOT_REF_SCHEMA
from battles.validation import BOT_REF_RULE, check_bot_ref, check_seed
from gamearena.errors import CheckedIntegerField, InvalidInputError, StrictSerializer

MAX_COMMAND_CHARS = 64 * 1024  # the sandbox's longest line: longer is refused for a bot too


@extend_schema_field(BOT_REF_SCHEMA)
class BotRefField(serializers.Field):  # type: ignore[type-arg]
    def to_internal_value(self, data: Any) -> int | str:
        try:
            return check_bot_ref(data)
        except InvalidInputError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None


class LiveStartInputSerializer(StrictSerializer):
    opponent = BotRefField(help_text=f"Who you play against: {BOT_REF_RULE}.")
    seat = serializers.ChoiceField(choices=[0, 1], required=False, help_text="Your seat (0).")
    seed = CheckedIntegerField(
        check=check_seed,
        required=False,
        min_value=-(2**63),
        max_value=2**63 - 1,
        help_text="The map seed (signed 64-bit); random when left out.",
    )


class LiveTurnInputSerializer(StrictSerializer):
    turn = serializers.IntegerField(min_value=1, max_value=10_000, help_text="The turn answered.")
    # A RegexField, so that the schema says it too: one line, no line break (nor NUL) in it.
    command = serializers.RegexField(
        r"^[^\r\n\x00]*$",  # no NUL either: the API refuses it everywhere
        max_length=MAX_COMMAND_CHARS,
        allow_blank=True,
        trim_whitespace=False,
        error_messages={"invalid": "A command is one line, without line breaks."},
        help_text='One line, as a bot prints it: "MOVE 0 3 2 | SPEED 1".',
    )


class LiveStateSerializer(serializers.Serializer[Any]):
    battle = serializers.UUIDField()
    seat = serializers.IntegerField()
    status = serializers.CharField()
    turn = serializers.IntegerField(help_text="The turn to answer now (1 first).")
    text = serializers.CharField(help_text="Byte for byte what a bot reads on stdin now.")
    state = serializers.DictField(help_text="The same state as JSON.")
    deadline = serializers.CharField(
        allow_null=True, help_text="When the turn times out (ISO 8601, UTC); null once over."
    )
    summary = serializers.DictField(required=False, help_text="Once the battle is over.")


class LiveStartResponseSerializer(LiveStateSerializer):
    id = serializers.UUIDField()


class LiveTurnResponseSerializer(serializers.Serializer[Any]):
    played = serializers.BooleanField()
    status = serializers.CharField()
    turn = serializers.IntegerField()
    text = serializers.CharField(required=False)
    state = serializers.DictField(required=False)
    deadline = serializers.CharField(required=False)
    summary = serializers.DictField(required=False)


class BattleSummarySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.CharField()
    reason = serializers.CharField()
    turns = serializers.IntegerField(allow_null=True)
    scores = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    winner = serializers.IntegerField(allow_null=True)
    termination = serializers.CharField(allow_null=True)
    failure_reason = serializers.CharField(allow_null=True)
    seats = serializers.ListField(child=serializers.DictField())
