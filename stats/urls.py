"""Routes of the stats API, relative to /api/ (see gamearena/urls.py). No trailing slashes."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

import gamearena.converters  # noqa: F401  (registers <db_id:...>)
from stats.apis import AgentStatsViewSet, DuelDetailApi, DuelListApi, DuelStartApi

router = SimpleRouter(trailing_slash=False)
router.register("stats", AgentStatsViewSet, basename="agent-stats")

urlpatterns = [
    path("bots/<db_id:bot_id>/duel", DuelStartApi.as_view(), name="bot-duel-start"),
    path("bots/<db_id:bot_id>/duels", DuelListApi.as_view(), name="bot-duel-list"),
    path(
        "bots/<db_id:bot_id>/duel/<db_id:duel_id>", DuelDetailApi.as_view(), name="bot-duel-detail"
    ),
    *router.urls,
]
