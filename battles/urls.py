"""Routes of the battles API, relative to /api/ (see gamearena/urls.py). No trailing slashes."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from battles.apis import BattleViewSet, StorageInfoApi
from battles.live_views import battle_events

router = SimpleRouter(trailing_slash=False)
router.register("battles", BattleViewSet, basename="battle")

urlpatterns = [
    path("storage/info", StorageInfoApi.as_view(), name="storage-info"),
    # An async view (Server-Sent Events), outside DRF's synchronous viewset.
    path("battles/<uuid:public_id>/events", battle_events, name="battle-events"),
    *router.urls,
]
