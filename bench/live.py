"""Live battles over HTTP: the latency of one turn (POST .../turn → the next state) against
house:random_mover, beside a trivial DRF endpoint measured in the same run on the same server.

    .venv/bin/python bench/live.py [--turns 300] [--trivial 300]

The run command's server (uvicorn, gamearena.asgi) and a live worker (`celery worker -P threads`,
as .ci/serve starts it) on a fresh, migrated SQLite file in a temporary folder, 127.0.0.1 only:
the embedded default, so the live store is the SQL database. Both are measured on one kept-alive
connection, one request after the other. The opponent's own time per turn (its answer's wall
time, from the stored replays) is printed too: a turn cannot be faster than the opponent's
answer. The house bot runs in the plain-process sandbox (it is our own code; the bubblewrap
sandbox adds its start-up to the first turn only). Progress to stderr, results to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/battles.py would
# hide the battles package: put the project root there instead.
if str(Path(__file__).resolve().parent) in sys.path:
    sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from typing import Any

from tests.battles.live.players import greedy_command
from tests.e2e.live_server import live_server

TRIVIAL = "/api/bots/public"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<38} n={len(values):<5} p50 {statistics.median(values):7.2f} ms   "
        f"p99 {percentile(values, 0.99):7.2f} ms"
    )


class Connection:
    """One kept-alive connection, as a browser or a program playing would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        data = None if body is None else json.dumps(body).encode()
        started = time.perf_counter()
        self.http.request(method, path, body=data, headers=headers)
        response = self.http.getresponse()
        raw = response.read()
        elapsed_ms = (time.perf_counter() - started) * 1000
        return response.status, json.loads(raw) if raw else None, elapsed_ms


class Watcher(threading.Thread):
    """A second client watching the battle's event stream as it is played (SSE)."""

    def __init__(self, port: int, battle_id: str) -> None:
        super().__init__(daemon=True)
        self.port, self.battle_id = port, battle_id
        self.kinds: list[str] = []
        self.last_turn = 0  # the last turn the player played, set once the battle is over

    def run(self) -> None:
        stream = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        stream.request("GET", f"/api/battles/{self.battle_id}/events")
        response = stream.getresponse()
        for raw in response:
            if raw.startswith(b"event: "):
                self.kinds.append(raw.decode().split(": ", 1)[1].strip())
                if self.kinds[-1] == "end":
                    break
        stream.close()


def play_battle(connection: Connection, seed: int, turns: list[float], port: int) -> Watcher:
    status, body, _ = connection.call(
        "POST", "/api/battles/live", {"opponent": "house:random_mover", "seed": seed}
    )
    if status != 201:
        raise RuntimeError(f"start: {status} {body}")
    battle_id, turn, text = body["id"], body["turn"], body["text"]
    watcher = Watcher(port, battle_id)
    watcher.start()
    first = True
    while True:
        command = {"turn": turn, "command": greedy_command(text)}
        status, played, elapsed = connection.call("POST", f"/api/battles/{battle_id}/turn", command)
        if status != 200 or not played.get("played"):
            raise RuntimeError(f"turn {turn}: {status} {played}")
        if not first:  # the first turn includes the worker taking the battle and the bot's start
            turns.append(elapsed)
        first = False
        if played["status"] != "running":
            watcher.join(30)
            watcher.last_turn = turn
            return watcher
        turn, text = played["turn"], played["text"]


def opponent_times(connection: Connection, battle_ids: list[str]) -> list[float]:
    times = []
    for battle_id in battle_ids:
        _, body, _ = connection.call("GET", f"/api/battles/{battle_id}/replay")
        for turn in body["replay"]["turns"][1:]:
            entry = turn["players"][1]
            if entry is not None:
                times.append(float(entry["time_ms"]))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=300, help="turns to time (several games)")
    parser.add_argument("--trivial", type=int, default=300, help="requests to the trivial endpoint")
    args = parser.parse_args()
    os.environ.setdefault("GAMEARENA_SANDBOX", "none")
    # live_server starts the run command's live worker beside the web server.
    with tempfile.TemporaryDirectory() as folder, live_server(Path(folder), ["player"]) as server:
        connection = Connection(server.port, server.tokens["player"])
        for _ in range(20):  # warm every server process and the connection up
            connection.call("GET", TRIVIAL)
        trivial = [connection.call("GET", TRIVIAL)[2] for _ in range(args.trivial)]
        turns: list[float] = []
        watchers: list[Watcher] = []
        seed = 1
        while len(turns) < args.turns:
            print(f"battle {len(watchers) + 1} (seed {seed}) ...", file=sys.stderr)
            watchers.append(play_battle(connection, seed, turns, server.port))
            seed += 1
        battles = [watcher.battle_id for watcher in watchers]
        opponent = opponent_times(connection, battles)
    print(f"live store: database (SQLite); {len(battles)} battles, seeds 1-{seed - 1}")
    print(line(f"GET {TRIVIAL} (trivial DRF)", trivial))
    print(line("POST /api/battles/<id>/turn (turn)", turns))
    print(line("opponent house:random_mover answer", opponent))
    for watcher in watchers:
        got = watcher.kinds.count("turn")
        ended = "then end" if watcher.kinds[-1:] == ["end"] else "NO end"
        print(f"watcher of {watcher.battle_id}: {got} turn events of {watcher.last_turn}, {ended}")
    ratio = percentile(turns, 0.99) / percentile(trivial, 0.99)
    budget = 3 * percentile(trivial, 0.99) + percentile(opponent, 0.99)
    print(
        f"turn p99 / trivial p99 = {ratio:.1f}x; aim: turn p99 <= 3 x trivial p99 + opponent p99 "
        f"= {budget:.2f} ms: {'met' if percentile(turns, 0.99) <= budget else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
