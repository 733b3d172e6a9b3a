"""Routes of the stats API, relative to /api/ (see gamearena/urls.py). No trailing slashes."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from stats.apis import AgentStatsViewSet

router = SimpleRouter(trailing_slash=False)
router.register("stats", AgentStatsViewSet, basename="agent-stats")

urlpatterns = router.urls
