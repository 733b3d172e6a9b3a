"""Routes of gamearena/auth/apis.py, included under /api/."""

from __future__ import annotations

from django.urls import path

from gamearena.auth.apis import RegisterApi, TokenApi, TokenRegenerateApi

urlpatterns = [
    path("auth/register", RegisterApi.as_view(), name="auth-register"),
    path("auth/token", TokenApi.as_view(), name="auth-token"),
    path("auth/token/regenerate", TokenRegenerateApi.as_view(), name="auth-token-regenerate"),
]
