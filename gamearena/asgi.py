"""ASGI entry point: the run command serves it with uvicorn (`gamearena.asgi:application`)."""

from __future__ import annotations

import asyncio.base_events
import os
import socket
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, cast

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import FileResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamearena.settings")


def set_nodelay_on_every_tcp_socket(sock: socket.socket) -> None:
    """asyncio's own rule for accepted sockets, without its test of the protocol number.

    asyncio turns Nagle's algorithm off (TCP_NODELAY) only for sockets that report protocol
    IPPROTO_TCP. uvicorn's worker processes (--workers N) accept on a listening socket the
    supervisor made with protocol 0, so their connections keep Nagle on: a response's
    headers and body leave as two small writes, the second waits for the client's delayed
    ACK, and every kept-alive request costs about 40 ms more. Replaced in this process only,
    before the server starts accepting.
    """
    if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


asyncio.base_events._set_nodelay = set_nodelay_on_every_tcp_socket  # type: ignore[attr-defined]


def next_chunk(iterator: Iterator[bytes]) -> bytes | None:
    return next(iterator, None)


async def read_in_threads(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    iterator = iter(chunks)
    read = sync_to_async(next_chunk, thread_sensitive=False)
    while (chunk := await read(iterator)) is not None:
        yield chunk


class GameArenaASGIHandler(ASGIHandler):
    """Django's ASGI handler, streaming file responses without blocking the event loop.

    Static files (WhiteNoise) are file responses that read their file synchronously; Django
    would then read the whole file in one go and warn on every process. Each chunk is read
    in a worker thread instead, as the file is sent.
    """

    async def run_get_response(self, request: Any) -> Any:
        response = await super().run_get_response(request)
        if isinstance(response, FileResponse) and not response.is_async:
            chunks = cast("Iterator[bytes]", response.streaming_content)
            response.streaming_content = read_in_threads(chunks)
        return response


django.setup(set_prefix=False)
application = GameArenaASGIHandler()

from battles.live_store import live_store_startup_check  # noqa: E402  (needs the apps loaded)

live_store_startup_check("web server")
