"""The battles' pages: a battle with its replay viewer, watching one live, playing a bot.

The replay viewer reads the same replay as GET /api/battles/<id>/replay (stderr kept only for
the viewer's own seats), handed to the page through json_script. Watching and playing run in
the browser against the live-battle API (/api/battles/live, .../state, .../turn, .../events).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from battles.errors import BattleNotFoundError
from battles.housebots import HOUSE_BOTS
from battles.models import Battle
from battles.selectors import battle_get, battle_replay_get, owned_seats
from battles.viewer import battle_maze_rows, viewer_payload
from bots.selectors import bot_list_public
from gamearena.env import arena_settings

REFRESH_SECONDS_WHILE_OPEN = 3
OPPONENTS_LISTED = 50


def _battle(public_id: str) -> Battle:
    try:
        return battle_get(public_id=public_id)
    except (BattleNotFoundError, ValueError):
        raise Http404("No such battle.") from None


def battle_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A battle: its seats and result for everyone, without JavaScript; the viewer with it."""
    battle = _battle(public_id)
    seats = owned_seats(battle=battle, user=request.user)
    replay = None
    if battle.status == Battle.Status.FINISHED:
        replay = battle_replay_get(battle=battle, owner_seats=seats)
    context = {
        "battle": battle,
        "seats": sorted(battle.seats.all(), key=lambda seat: seat.seat),
        "owner_seats": seats,
        "payload": viewer_payload(battle=battle, replay=replay, owner_seats=seats),
        "refresh": REFRESH_SECONDS_WHILE_OPEN if battle.status in Battle.OPEN_STATUSES else None,
    }
    return render(request, "battles/detail.html", context)


def battle_watch(request: HttpRequest, public_id: str) -> HttpResponse:
    """The viewer fed by the battle's event stream while it is played."""
    battle = _battle(public_id)
    payload = viewer_payload(battle=battle, replay=None, owner_seats=set())
    return render(request, "battles/watch.html", {"battle": battle, "payload": payload})


@login_required
def play_page(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    """Take a seat against a house bot or any active bot and play it turn by turn."""
    config = {
        "battle": public_id,
        "turn_limit_ms": arena_settings()["TURN_TIMEOUT_MS"],
        # Resuming a game: later turns' input has no map. A new game's first input has it.
        "maze": battle_maze_rows(seed=_battle(public_id).seed) if public_id else None,
    }
    context = {
        "house_bots": sorted(HOUSE_BOTS),
        "opponents": [bot for bot in bot_list_public(limit=OPPONENTS_LISTED).bots if bot.is_active],
        "config": config,
    }
    return render(request, "battles/play.html", context)
