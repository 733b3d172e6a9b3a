"""Only the bots and auth routes, so the schema test judges this app's annotations alone."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("api/", include("bots.urls")),
    path("api/", include("gamearena.auth.urls")),
]
