"""Routes of the stats API, relative to /api/ (see gamearena/urls.py). No trailing slashes.

The agent stats take a regex lookup (a name holds a slash); the leaderboard and the public
reads under /api/bots/<id>/ use the bounded path converters of gamearena/converters.py, as
bots/urls.py does. Their paths never collide with the bots viewset's own.
"""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

import gamearena.converters  # noqa: F401  (registers <db_id:...>)
from stats.apis import (
    AgentStatsViewSet,
    BotStatsViewSet,
    DuelDetailApi,
    DuelListApi,
    DuelStartApi,
    LeaderboardViewSet,
)

router = SimpleRouter(trailing_slash=False)
router.register("stats", AgentStatsViewSet, basename="agent-stats")

urlpatterns = [
    path("bots/<db_id:bot_id>/duel", DuelStartApi.as_view(), name="bot-duel-start"),
    path("bots/<db_id:bot_id>/duels", DuelListApi.as_view(), name="bot-duel-list"),
    path(
        "bots/<db_id:bot_id>/duel/<db_id:duel_id>", DuelDetailApi.as_view(), name="bot-duel-detail"
    ),
]
paths = SimpleRouter(trailing_slash=False, use_regex_path=False)
paths.register("leaderboard", LeaderboardViewSet, basename="leaderboard")
paths.register("bots", BotStatsViewSet, basename="bot-stats")

urlpatterns += router.urls + paths.urls
