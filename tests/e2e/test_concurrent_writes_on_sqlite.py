"""Concurrent writes on the embedded default (SQLite) wait their turn instead of failing.

Real threads against the run command's real server (uvicorn, two worker processes) on a
SQLite file: every request must succeed and version numbers must come out contiguous. With
SQLite's default deferred transactions, a submission starts as a read and is upgraded to a
write; that upgrade fails at once with "database is locked" when another process writes,
which is what these tests catch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.live_server import LiveServer, live_server

CLIENTS = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("sqlite-server"), ["updater", "racer"]) as running:
        yield running


def all_at_once(count: int, work: Callable[[int], tuple[int, Any]]) -> list[tuple[int, Any]]:
    """`work(i)` from `count` threads released together, each on its own connection."""
    barrier = threading.Barrier(count)

    def worker(index: int) -> tuple[int, Any]:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def version_numbers(server: LiveServer, token: str, bot_id: int) -> list[int]:
    status, body = server.request("GET", f"/api/bots/{bot_id}/versions", token=token)
    assert status == 200, body
    return sorted(version["version_number"] for version in body["versions"])


def test_thirty_concurrent_updates_of_one_bot_all_succeed_with_contiguous_versions(
    server: LiveServer,
) -> None:
    token = server.tokens["updater"]
    status, first = server.request(
        "POST", "/api/bots", {"name": "pacman", "code": "print('v1')\n"}, token=token
    )
    assert status == 201, first

    results = all_at_once(
        CLIENTS,
        lambda i: server.request(
            "POST", "/api/bots", {"name": "pacman", "code": f"print({i})\n"}, token=token
        ),
    )

    failures = [(status, body) for status, body in results if not 200 <= status < 300]
    assert failures == []
    numbers = sorted(body["version"]["version_number"] for _, body in results)
    assert numbers == list(range(2, CLIENTS + 2))
    assert version_numbers(server, token, first["bot"]["id"]) == list(range(1, CLIENTS + 2))


def test_thirty_racing_first_submissions_of_one_name_create_one_bot(server: LiveServer) -> None:
    token = server.tokens["racer"]

    results = all_at_once(
        CLIENTS,
        lambda i: server.request(
            "POST", "/api/bots", {"name": "newcomer", "code": f"print({i})\n"}, token=token
        ),
    )

    failures = [(status, body) for status, body in results if not 200 <= status < 300]
    assert failures == []
    assert sorted(status for status, _ in results) == [200] * (CLIENTS - 1) + [201]
    assert len({body["bot"]["id"] for _, body in results}) == 1
    bot_id = results[0][1]["bot"]["id"]
    assert version_numbers(server, token, bot_id) == list(range(1, CLIENTS + 1))
