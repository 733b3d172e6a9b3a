"""Reads of ratings: the leaderboard."""

from __future__ import annotations

from dataclasses import dataclass

from bots.models import Bot

LEADERBOARD_DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Leaderboard:
    bots: list[Bot]
    count: int


def leaderboard_get(*, limit: int = LEADERBOARD_DEFAULT_LIMIT) -> Leaderboard:
    """Everybody's bots, strongest first, ties by name: public profile data, never code."""
    bots = Bot.objects.select_related("owner").defer("code")
    top = list(bots.order_by("-elo_rating", "name", "pk")[:limit])
    return Leaderboard(bots=top, count=bots.count())
