"""The ASGI entry point the run command serves (uvicorn, several worker processes)."""

from __future__ import annotations

import asyncio.base_events
import socket

import gamearena.asgi


def test_connections_accepted_on_a_listener_made_with_protocol_0_get_tcp_nodelay() -> None:
    # uvicorn's supervisor makes the listening socket like this and hands it to its workers.
    assert gamearena.asgi.application is not None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname(), timeout=5) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.proto == 0
                asyncio.base_events._set_nodelay(accepted)  # type: ignore[attr-defined]
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
            assert client is not None
