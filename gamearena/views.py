"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from battles.selectors import battle_list
from stats.selectors import last_battle_at_by_agent, leaderboard_get

RECENT_BATTLES_ON_HOME = 10


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: everybody's bots, strongest first; public data only, never code.

    The first page of GET /api/bots/public, from the same selector with the same defaults,
    so the page and the API list the same bots (inactive ones included, marked). The newest
    battles stand beside it.
    """
    leaderboard = leaderboard_get()
    last_played = last_battle_at_by_agent(
        agent_names=[f"{bot.owner.username}/{bot.name}" for bot in leaderboard.bots]
    )
    rows = [(bot, last_played.get(f"{bot.owner.username}/{bot.name}")) for bot in leaderboard.bots]
    context = {
        "leaderboard": leaderboard,
        "rows": rows,
        "battles": battle_list(limit=RECENT_BATTLES_ON_HOME).battles,
    }
    return render(request, "home.html", context)
