"""ASGI entry point: the run command serves it with uvicorn (`gamearena.asgi:application`)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, cast

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import FileResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamearena.settings")


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
