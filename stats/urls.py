"""Routes of the stats API, relative to /api/ (see gamearena/urls.py). No trailing slashes.

The agent stats take a regex lookup (a name holds a slash); the leaderboard and the public
reads under /api/bots/<id>/ use the bounded path converters of gamearena/converters.py, as
bots/urls.py does. Their paths never collide with the bots viewset's own.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

import gamearena.converters  # noqa: F401  (registers <db_id:...>)
from stats.apis import (
    AgentStatsViewSet,
    BotDuelViewSet,
    BotStatsViewSet,
    LeaderboardViewSet,
)

router = SimpleRouter(trailing_slash=False)
router.register("stats", AgentStatsViewSet, basename="agent-stats")

paths = SimpleRouter(trailing_slash=False, use_regex_path=False)
paths.register("leaderboard", LeaderboardViewSet, basename="leaderboard")
paths.register("bots", BotStatsViewSet, basename="bot-stats")
# Basename "bot": the duel routes are named bot-duel-start, bot-duel-list, bot-duel-detail.
paths.register("bots", BotDuelViewSet, basename="bot")

urlpatterns = router.urls + paths.urls
