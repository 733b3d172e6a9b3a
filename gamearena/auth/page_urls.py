"""Account pages, at /accounts/ (gamearena/urls.py)."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from gamearena.auth.views import signup, token_page, token_regenerate_page

urlpatterns = [
    path("signup", signup, name="signup"),
    path("login", LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout", LogoutView.as_view(), name="logout"),
    path("token", token_page, name="account-token"),
    path("token/regenerate", token_regenerate_page, name="account-token-regenerate"),
]
