"""Server-rendered pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from battles.selectors import battle_list
from stats.selectors import LEADERBOARD_DEFAULT_LIMIT, leaderboard_page

RECENT_BATTLES_ON_HOME = 10
# The page number is capped where the API caps its offset, so a crafted ?page= costs nothing.
MAX_PAGE = 10_000


def home(request: HttpRequest) -> HttpResponse:
    """The leaderboard: active bots by conservative score, a page of them at a time.

    Page N is GET /api/leaderboard?offset=(N-1)*50 from the same selector, so the page and
    the API always list the same bots in the same order. The newest battles stand beside it.
    """
    number = _page_number(request)
    board = leaderboard_page(
        limit=LEADERBOARD_DEFAULT_LIMIT, offset=(number - 1) * LEADERBOARD_DEFAULT_LIMIT
    )
    pages = max(1, -(-board.count // board.limit))
    context = {
        "board": board,
        "page_number": number,
        "pages": pages,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < pages else None,
        "battles": battle_list(limit=RECENT_BATTLES_ON_HOME).battles,
    }
    return render(request, "home.html", context)


def _page_number(request: HttpRequest) -> int:
    """?page=N, 1 when missing or not a page number."""
    wanted = request.GET.get("page", "")
    return min(int(wanted), MAX_PAGE) if wanted.isdigit() and int(wanted) >= 1 else 1
