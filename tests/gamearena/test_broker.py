"""The embedded default's broker (gamearena/broker.py): a message file appears whole or not at
all, so a worker polling the folder never reads one half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kombu.connection import Connection
from kombu.transport import resolve_transport

from gamearena import broker
from gamearena.celery import app


def filesystem_channel(folder: Path) -> Any:
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
    }
    connection = Connection("filesystem://", transport_options=options)  # type: ignore[no-untyped-call]
    return connection.channel()  # type: ignore[no-untyped-call]


def test_every_process_that_loads_the_celery_app_uses_the_atomic_transport() -> None:
    assert app.main == "gamearena"  # loading the app registered the transport
    assert resolve_transport("filesystem") is broker.Transport
    assert isinstance(filesystem_channel(Path("/nonexistent")), broker.Channel)


def test_a_message_is_invisible_to_readers_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = filesystem_channel(tmp_path)
    seen_while_writing: list[str] = []
    encode: Any = getattr(broker, "str_to_bytes")  # noqa: B009 (kombu's, imported there)

    def encode_and_look(text: str) -> bytes:
        seen_while_writing.extend(path.name for path in tmp_path.glob("*.battles.msg"))
        return bytes(encode(text))

    monkeypatch.setattr(broker, "str_to_bytes", encode_and_look)
    channel._put("battles", {"body": "battle 7"})

    assert seen_while_writing == []  # no reader could have taken it before it was written
    assert [path.suffix for path in tmp_path.iterdir() if path.is_file()] == [".msg"]
    assert channel._get("battles") == {"body": "battle 7"}
