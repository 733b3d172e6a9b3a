"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bots.selectors import bot_list_public
from gamearena.env import arena_settings


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: everybody's bots, strongest first; public data only, never code.

    The first page of GET /api/bots/public, from the same selector with the same defaults,
    so the page and the API list the same bots (inactive ones included, marked).
    """
    context = {
        "page": bot_list_public(),
        "unsafe_sandbox": arena_settings()["SANDBOX_MODE"] == "none",
    }
    return render(request, "home.html", context)
