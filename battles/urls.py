"""Routes of the battles API, relative to /api/ (see gamearena/urls.py). No trailing slashes."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from battles.apis import BattleViewSet, StorageInfoApi

router = SimpleRouter(trailing_slash=False)
router.register("battles", BattleViewSet, basename="battle")

urlpatterns = [
    path("storage/info", StorageInfoApi.as_view(), name="storage-info"),
    *router.urls,
]
