"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bots.selectors import bot_list_public
from gamearena.env import arena_settings


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: everybody's bots, strongest first; public data only, never code."""
    context = {
        "page": bot_list_public(limit=100),
        "unsafe_sandbox": arena_settings()["SANDBOX_MODE"] == "none",
    }
    return render(request, "home.html", context)
