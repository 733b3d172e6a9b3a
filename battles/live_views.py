"""GET /api/battles/<id>/events: a battle's turns as Server-Sent Events, as they are played.

An ASYNC Django view, served by uvicorn (ASGI): a viewer waiting for the next turn holds no
worker thread, only a coroutine between two polls of the live store (battles/live_events.py).
Any battle can be watched (ladder ones too); its owner's stream also carries their own seats'
stderr. Each event has an id (1, 2, ...); a client reconnecting with ``Last-Event-ID`` (browsers
send it by themselves) resumes after it. The last event is ``end``, with the summary; asking
again after it answers 204, which tells a browser's EventSource to stop reconnecting.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Collection
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from rest_framework.exceptions import AuthenticationFailed

from battles.live import battle_summary
from battles.live_events import event_for_viewer
from battles.live_store import LiveStoreUnavailableError, live_store
from battles.models import Battle
from battles.selectors import owned_seats
from gamearena.auth.authentication import ACCEPTED_KEYWORDS, BearerTokenAuthentication

POLL_SECONDS = 0.2  # a turn of a live battle is a request away; of a ladder battle, ~50 ms
KEEPALIVE_SECONDS = 15  # a comment line, so proxies do not close an idle stream
STREAM_SECONDS = 15 * 60  # then the client reconnects with Last-Event-ID: no stream is forever


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status)


def _battle(public_id: str) -> Battle | None:
    return Battle.objects.filter(public_id=public_id).prefetch_related("seats__bot").first()


async def _viewer(request: HttpRequest) -> Any:
    """The signed-in user: a Bearer token, else the session; raises AuthenticationFailed."""
    parts = request.headers.get("Authorization", "").split()
    if parts and parts[0].lower().encode() in ACCEPTED_KEYWORDS and len(parts) == 2:
        authenticate = BearerTokenAuthentication().authenticate_credentials
        user, _ = await sync_to_async(authenticate)(parts[1])
        return user
    return await request.auser()


def _last_event_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or "0"
    return int(raw) if raw.isdigit() else 0


async def battle_events(request: HttpRequest, public_id: str) -> HttpResponseBase:
    if request.method != "GET":
        return _error(405, "method_not_allowed", "Only GET.")
    battle = await sync_to_async(_battle)(public_id)
    if battle is None:
        return _error(404, "battle_not_found", "Battle not found.")
    try:
        user = await _viewer(request)
    except AuthenticationFailed as error:
        return _error(401, "not_authenticated", str(error.detail))
    seats = await sync_to_async(owned_seats)(battle=battle, user=user)
    after = _last_event_id(request)
    try:
        if after and await sync_to_async(_end_already_sent)(battle, after):
            return HttpResponse(status=204)
    except LiveStoreUnavailableError as error:
        return _error(503, error.code, error.message)
    response = StreamingHttpResponse(
        _stream(battle, seats, after), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _end_already_sent(battle: Battle, after: int) -> bool:
    """Whether `after` is the id of the end event: the battle is over and no event precedes it."""
    if _is_open(battle.pk):
        return False
    return not live_store().read_events(str(battle.public_id), after=after - 1)


def _is_open(battle_pk: int) -> bool:
    status = Battle.objects.filter(pk=battle_pk).values_list("status", flat=True).first()
    return status in Battle.OPEN_STATUSES


def _frame(number: int, event: dict[str, Any]) -> str:
    data = json.dumps(event, separators=(",", ":"))
    return f"id: {number}\nevent: {event['type']}\ndata: {data}\n\n"


async def _stream(battle: Battle, seats: Collection[int], after: int) -> AsyncIterator[str]:
    # Thread-sensitive (Django's default): the request's one thread, whose database
    # connection Django closes when the response ends; a stream opens no other.
    read = sync_to_async(live_store().read_events)
    is_open = sync_to_async(_is_open)
    public_id = str(battle.public_id)
    started = last_sent = time.monotonic()
    last = after
    yield "retry: 2000\n\n"
    while time.monotonic() - started < STREAM_SECONDS:
        still_open = await is_open(battle.pk)  # read before the events: none is missed
        try:
            events = await read(public_id, after=last)
        except LiveStoreUnavailableError:
            events = []
        for number, event in events:
            yield _frame(number, event_for_viewer(event, seats))
            last, last_sent = number, time.monotonic()
        if not still_open:
            battle = await sync_to_async(Battle.objects.get)(pk=battle.pk)
            summary = await sync_to_async(battle_summary)(battle=battle)
            yield _frame(last + 1, {"type": "end", "summary": summary})
            return
        if time.monotonic() - last_sent >= KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(POLL_SECONDS)
