"""The embedded default's broker: kombu's filesystem transport, with messages written atomically.

kombu's own transport creates a message file under its final name and then writes it. A worker
polling the folder (50 times a second, gamearena/settings.py) can take the file in between and
read it empty; the JSON error that follows stops the worker for good ("Unrecoverable error").
Here a message is written under a name the readers skip (``….msg.partial``) and renamed into
place, which on one filesystem is atomic: a reader sees the whole message or no message.

Registered under kombu's own alias, ``filesystem``, by gamearena/celery.py, so every process
that loads the Celery app (web, workers, tests) writes this way whatever its broker URL says.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

PARTIAL_SUFFIX = ".partial"  # readers match names ending in "<queue>.msg" exactly


class Channel(filesystem.Channel):
    def _put(self, queue: Any, message: Any, **kwargs: Any) -> None:  # type: ignore[override]  # stubs lack kwargs
        # The same name kombu gives a message (its readers sort and match on it).
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as stream:
                stream.write(str_to_bytes(dumps(message)))  # type: ignore[no-untyped-call]
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def register() -> None:
    TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"
