"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gamearena.env import arena_settings
from stats.selectors import leaderboard_get


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: everybody's bots, strongest first; public data only, never code.

    The first page of GET /api/bots/public, from the same selector with the same defaults,
    so the page and the API list the same bots (inactive ones included, marked).
    """
    context = {
        "leaderboard": leaderboard_get(),
        "unsafe_sandbox": arena_settings()["SANDBOX_MODE"] == "none",
    }
    return render(request, "home.html", context)
