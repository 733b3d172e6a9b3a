"""Routes of the bots API, relative to /api/ (see gamearena/urls.py). No trailing slashes."""

from __future__ import annotations

from django.urls import path

from bots import apis

urlpatterns = [
    path("bots", apis.BotListApi.as_view(), name="bot-list"),
    path("bots/public", apis.PublicBotListApi.as_view(), name="bot-public-list"),
    path("bots/<int:bot_id>", apis.BotDetailApi.as_view(), name="bot-detail"),
    path("bots/<int:bot_id>/versions", apis.BotVersionListApi.as_view(), name="bot-version-list"),
    path(
        "bots/<int:bot_id>/versions/<int:version_number>",
        apis.BotVersionDetailApi.as_view(),
        name="bot-version-detail",
    ),
    path(
        "bots/<int:bot_id>/rollback/<int:version_number>",
        apis.BotRollbackApi.as_view(),
        name="bot-rollback",
    ),
    path(
        "bots/<int:bot_id>/versions/<int:old_number>/diff/<int:new_number>",
        apis.BotVersionDiffApi.as_view(),
        name="bot-version-diff",
    ),
]
