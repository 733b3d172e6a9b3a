"""Shapes of the stats API (outputs only; they double as the OpenAPI schema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from gamearena.env import arena_settings
from gamearena.errors import (
    CheckedFieldMixin,
    CheckedIntegerField,
    InvalidInputError,
    StrictSerializer,
)


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
