"""Shapes of the stats API (outputs only; they double as the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bots.selectors import PUBLIC_LIST_MAX_OFFSET
from gamearena.errors import CheckedIntegerField, query_int_check
from stats.ratings import RANK_CONFIDENCE, conservative_score
from stats.selectors import (
    HISTORY_DEFAULT_LIMIT,
    HISTORY_MAX_LIMIT,
    LEADERBOARD_DEFAULT_LIMIT,
    LEADERBOARD_MAX_LIMIT,
)
from stats.services import FAULT_COUNTERS


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


# --- Input ----------------------------------------------------------------------------------


def _bounded(name: str, minimum: int, maximum: int, help_text: str) -> CheckedIntegerField:
    return CheckedIntegerField(
        check=query_int_check(name, minimum, maximum),
        required=False,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
    )


class LeaderboardQuerySerializer(serializers.Serializer[Any]):
    """Give it `request.query_params.dict()`."""

    limit = _bounded(
        "limit", 1, LEADERBOARD_MAX_LIMIT, f"Page size (default {LEADERBOARD_DEFAULT_LIMIT})."
    )
    offset = _bounded("offset", 0, PUBLIC_LIST_MAX_OFFSET, "Bots to skip.")


class HistoryQuerySerializer(serializers.Serializer[Any]):
    limit = _bounded(
        "limit", 1, HISTORY_MAX_LIMIT, f"Points, newest first (default {HISTORY_DEFAULT_LIMIT})."
    )


# --- Output ---------------------------------------------------------------------------------


class BotLabelSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField(source="owner.username")


class RankIntervalSerializer(serializers.Serializer[Any]):
    low = serializers.IntegerField(source="rank_low", allow_null=True)
    high = serializers.IntegerField(source="rank_high", allow_null=True)
    confidence = serializers.SerializerMethodField()

    def get_confidence(self, row: Any) -> float:
        return RANK_CONFIDENCE


class LeaderboardBotSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="bot_id")
    name = serializers.CharField(source="bot_name")
    owner = serializers.CharField()


class LeaderboardEntrySerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField(help_text="Position by conservative score, 1 is the best.")
    rank_interval = RankIntervalSerializer(
        source="*",
        help_text="Where the bot's true rank lies at 90%, from its rating's uncertainty "
        "(null until the next background refresh).",
    )
    bot = LeaderboardBotSerializer(source="*")
    conservative_score = serializers.FloatField(source="conservative", help_text="mu - 3 sigma.")
    mu = serializers.FloatField()
    sigma = serializers.FloatField()
    elo = serializers.FloatField()
    battles = serializers.IntegerField()
    win_rate = serializers.FloatField()
    active_version = serializers.IntegerField(allow_null=True)
    last_battle_at = serializers.DateTimeField(allow_null=True)


class LeaderboardSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    entries = LeaderboardEntrySerializer(many=True)


class RatingPointSerializer(serializers.Serializer[Any]):
    battle = serializers.UUIDField(source="battle.public_id")
    at = serializers.DateTimeField()
    version_number = serializers.IntegerField(source="version.version_number")
    result = serializers.CharField()
    mu = serializers.FloatField()
    sigma = serializers.FloatField()
    conservative_score = serializers.SerializerMethodField()
    elo = serializers.FloatField()
    elo_change = serializers.FloatField()

    def get_conservative_score(self, point: Any) -> float:
        return float(conservative_score(point.mu, point.sigma))


class RatingHistorySerializer(serializers.Serializer[Any]):
    bot = BotLabelSerializer()
    history = RatingPointSerializer(many=True, help_text="Newest first.")


class VersionRatingSerializer(serializers.Serializer[Any]):
    mu = serializers.FloatField()
    sigma = serializers.FloatField()
    conservative_score = serializers.SerializerMethodField()
    elo = serializers.FloatField()
    rated_battles = serializers.IntegerField()
    started_from_version = serializers.IntegerField(
        source="parent.version_number", allow_null=True, default=None
    )

    def get_conservative_score(self, record: Any) -> float:
        return float(conservative_score(record.mu, record.sigma))


class TimingProfileSerializer(serializers.Serializer[Any]):
    battles = serializers.IntegerField(help_text="Latest battles the profile is read from.")
    clock = serializers.ChoiceField(choices=["cpu", "wall"])
    p50_ms = serializers.FloatField()
    p95_ms = serializers.FloatField()
    max_ms = serializers.FloatField()
    turn_limit_ms = serializers.IntegerField()
    p95_share = serializers.FloatField(help_text="p95_ms / turn_limit_ms.")
    max_share = serializers.FloatField(
        help_text="max_ms / turn_limit_ms (the first turn has more)."
    )


class VersionStatsSerializer(serializers.Serializer[Any]):
    version_number = serializers.IntegerField(source="version.version_number")
    battles = serializers.SerializerMethodField()
    wins = serializers.SerializerMethodField()
    draws = serializers.SerializerMethodField()
    losses = serializers.SerializerMethodField()
    faults = serializers.SerializerMethodField()
    rating = VersionRatingSerializer(source="record", allow_null=True)
    history = RatingPointSerializer(many=True, help_text="Latest rated battles, newest first.")
    timing = TimingProfileSerializer(allow_null=True)

    def _count(self, stats: Any, name: str) -> int:
        return int(getattr(stats.record, name)) if stats.record is not None else 0

    def get_battles(self, stats: Any) -> int:
        return self._count(stats, "battles")

    def get_wins(self, stats: Any) -> int:
        return self._count(stats, "wins")

    def get_draws(self, stats: Any) -> int:
        return self._count(stats, "draws")

    def get_losses(self, stats: Any) -> int:
        return self._count(stats, "losses")

    @extend_schema_field(FaultCountsSerializer)
    def get_faults(self, stats: Any) -> dict[str, int]:
        return {kind: self._count(stats, field) for kind, field in FAULT_COUNTERS.items()}


class BotStatsSerializer(serializers.Serializer[Any]):
    bot = BotLabelSerializer()
    active_version = serializers.IntegerField(source="bot.version_number")
    versions = VersionStatsSerializer(many=True, help_text="Newest first.")


class VersionPairSerializer(serializers.Serializer[Any]):
    version_number = serializers.IntegerField()
    opponent_version_number = serializers.IntegerField()
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()
    draws = serializers.IntegerField()


class HeadToHeadBattleSerializer(serializers.Serializer[Any]):
    battle = serializers.UUIDField(source="battle.public_id")
    reason = serializers.CharField(source="battle.reason")
    finished_at = serializers.DateTimeField(source="battle.finished_at")
    scores = serializers.ListField(child=serializers.IntegerField(), source="battle.scores")
    version_number = serializers.IntegerField()
    opponent_version_number = serializers.IntegerField()
    result = serializers.CharField(help_text="The first bot's: win, loss or draw.")


class HeadToHeadSerializer(serializers.Serializer[Any]):
    bot = BotLabelSerializer()
    opponent = BotLabelSerializer()
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()
    draws = serializers.IntegerField()
    versions = VersionPairSerializer(many=True)
    recent = HeadToHeadBattleSerializer(many=True, help_text="Latest battles, newest first.")
