"""Only the auth routes, so the schema test judges their annotations alone."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("api/", include("gamearena.auth.urls"))]
