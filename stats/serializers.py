"""Shapes of the stats API (outputs only; they double as the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class FaultCountsSerializer(serializers.Serializer[Any]):
    timeout = serializers.IntegerField(source="timeouts")
    crashed = serializers.IntegerField(source="crashes")
    invalid = serializers.IntegerField(source="invalid_outputs")


class AgentStatsSerializer(serializers.Serializer[Any]):
    agent_name = serializers.CharField(help_text='"owner/name" or "house:<name>".')
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()
    draws = serializers.IntegerField()
    total_battles = serializers.IntegerField()
    win_rate = serializers.FloatField(help_text="wins / total_battles (0 before any battle).")
    last_battle_at = serializers.DateTimeField(allow_null=True)
    faults = FaultCountsSerializer(source="*", help_text="Battles lost to each kind of fault.")
