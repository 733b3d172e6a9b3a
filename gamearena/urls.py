"""Top-level routes: API under /api/, pages at the root, admin, health."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gamearena.health import health
from gamearena.views import home

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("gamearena.auth.page_urls")),
    path("bots/", include("bots.page_urls")),
    path("", include("battles.page_urls")),
    path("health", health, name="health"),
    path("api/", include("bots.urls")),
    path("api/", include("gamearena.auth.urls")),
    path("api/", include("battles.urls")),
    path("api/", include("stats.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api-auth/", include("rest_framework.urls")),
]

# The error envelope for unknown /api/ paths and crashes; Django's pages elsewhere.
handler404 = "gamearena.errors.handler404"
handler500 = "gamearena.errors.handler500"
