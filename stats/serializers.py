"""Shapes of the stats API (outputs only; they double as the OpenAPI schema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bots.selectors import PUBLIC_LIST_MAX_OFFSET
from gamearena.env import arena_settings
from gamearena.errors import (
    CheckedFieldMixin,
    CheckedIntegerField,
    InvalidInputError,
    StrictSerializer,
    query_int_check,
)
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


# --- duels (owner only) ------------------------------------------------------------------


def json_number_check(
    name: str, minimum: float, maximum: float, *, whole: bool = False
) -> Callable[[Any], float]:
    """A body field's check: a JSON number (never a string or a boolean) within range."""

    def check(value: Any) -> float:
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or value != value:
            kind = "a whole number" if whole else "a number"
            raise InvalidInputError(f"{name} must be {kind}.", code=f"invalid_{name}")
        if not minimum <= value <= maximum:
            raise InvalidInputError(
                f"{name} must be from {minimum} to {maximum}.", code=f"invalid_{name}"
            )
        return value

    return check


class CheckedFloatField(CheckedFieldMixin, serializers.FloatField):
    def __init__(self, *, check: Callable[[Any], float], **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)


def _number(name: str, low: float, high: float, help_text: str) -> CheckedFloatField:
    return CheckedFloatField(
        check=json_number_check(name, low, high),
        required=False,
        min_value=low,
        max_value=high,
        help_text=help_text,
    )


def _whole(name: str, low: int, high: int, help_text: str, *, required: bool) -> Any:
    number = json_number_check(name, low, high, whole=True)
    return CheckedIntegerField(
        check=lambda value: int(number(value)),
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
    )


VERSION_MAX = 2**31 - 1
# Read once, when the API's serializers are built: the schema states the configured cap.
DUEL_MAX_GAMES = arena_settings()["DUEL_MAX_GAMES"]


class DuelCreateInputSerializer(StrictSerializer):
    a = _whole("a", 1, VERSION_MAX, "Version A's number.", required=True)
    b = _whole("b", 1, VERSION_MAX, "Version B's number, not A's.", required=True)
    elo0 = _number("elo0", -1000, 1000, "H0: the Elo difference of 'no better' (default 0).")
    elo1 = _number(
        "elo1", -1000, 1000, "H1: the Elo difference worth finding, above elo0 (default 20)."
    )
    alpha = _number("alpha", 0.0001, 0.4999, "Chance of a false 'better' (default 0.05).")
    beta = _number("beta", 0.0001, 0.4999, "Chance of missing elo1 (default 0.05).")
    max_games = _whole(
        "max_games",
        2,
        DUEL_MAX_GAMES,
        "Cap on games (default 200); an odd cap is rounded down to whole seat-swapped pairs.",
        required=False,
    )


class EloEstimateSerializer(serializers.Serializer[Any]):
    elo = serializers.FloatField(help_text="A's Elo difference over B.")
    low = serializers.FloatField(help_text="95% interval, low end.")
    high = serializers.FloatField(help_text="95% interval, high end.")


class SprtSerializer(serializers.Serializer[Any]):
    elo0 = serializers.FloatField(source="duel.elo0")
    elo1 = serializers.FloatField(source="duel.elo1")
    alpha = serializers.FloatField(source="duel.alpha")
    beta = serializers.FloatField(source="duel.beta")
    llr_better = serializers.FloatField(
        source="state.llr_better", help_text="LLR of 'A is better' (H1 elo1 vs H0 elo0)."
    )
    llr_worse = serializers.FloatField(
        source="state.llr_worse", help_text="LLR of 'A is worse' (H1 -elo1 vs H0 -elo0)."
    )
    lower_bound = serializers.FloatField(source="state.lower")
    upper_bound = serializers.FloatField(source="state.upper")


class DuelSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="duel.pk")
    a = serializers.IntegerField(source="duel.version_a.version_number")
    b = serializers.IntegerField(source="duel.version_b.version_number")
    status = serializers.ChoiceField(choices=["running", "decided"], source="duel.status")
    decision = serializers.ChoiceField(
        choices=["", "better", "worse", "equal", "inconclusive"],
        source="duel.decision",
        help_text="A compared with B; empty while running; inconclusive at the cap.",
    )
    games = serializers.IntegerField(source="counts.games")
    wins = serializers.IntegerField(source="counts.wins", help_text="A's wins.")
    draws = serializers.IntegerField(source="counts.draws")
    losses = serializers.IntegerField(source="counts.losses", help_text="A's losses.")
    games_scheduled = serializers.IntegerField(source="duel.games_scheduled")
    max_games = serializers.IntegerField(source="duel.max_games")
    sprt = SprtSerializer(source="*")
    elo_difference = EloEstimateSerializer(source="estimate", allow_null=True)
    created_at = serializers.DateTimeField(source="duel.created_at")
    decided_at = serializers.DateTimeField(source="duel.decided_at", allow_null=True)


class DuelResponseSerializer(serializers.Serializer[Any]):
    duel = DuelSerializer()


class DuelListResponseSerializer(serializers.Serializer[Any]):
    duels = DuelSerializer(many=True, help_text="Newest first.")


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
