"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from battles.views import recent_battles
from stats.selectors import leaderboard_get

RECENT_BATTLES_ON_HOME = 10


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: everybody's bots, strongest first; public data only, never code.

    The first page of GET /api/bots/public, from the same selector with the same defaults,
    so the page and the API list the same bots (inactive ones included, marked). The newest
    battles stand beside it.
    """
    context = {
        "leaderboard": leaderboard_get(),
        "battles": recent_battles(RECENT_BATTLES_ON_HOME),
    }
    return render(request, "home.html", context)
