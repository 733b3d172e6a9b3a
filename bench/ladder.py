"""The ladder at scale: leaderboard API latency at 10,000 bots and 1,000,000 stored battles on
PostgreSQL, and the time of a matchmaking decision at that size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gamearena_ladder_bench \\
        .venv/bin/python bench/ladder.py [--bots 10000] [--battles 1000000] [--requests 300]
        [--reseed]

The database named by DATABASE_URL is migrated and seeded once by ``manage.py seed_ladder``
(kept for later runs; --reseed seeds it again). It must be a database of its own: the seed
adds a million battles. Requests go through the whole Django stack in this process (Django's
test client: URL routing, middleware, DRF, serializers, the queries), with DEBUG off; the
HTTP server in front is bench/serving.py's subject. Printed, each over --requests calls:

- GET /api/leaderboard at random offsets (50 a page), and its first page;
- GET /api/bots/<id>/stats, /rating-history and /head-to-head/<id> of random bots;
- a matchmaking decision: the ladder's own planner when this checkout has it
  (stats.ladder + stats.matchmaking: reading the candidates and planning one pairing), else
  the close-rating query it would make (stats.selectors.rating_neighbours);
- one refresh of every bot's rank interval, and one /metrics scrape.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(Path(__file__).resolve().parent) in sys.path:
    sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

P99_AIM_MS = 50.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "bench/ladder.py needs DATABASE_URL=postgres://... (a database of its own)"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamearena.settings")
    os.environ.setdefault("SECRET_KEY", "bench-ladder-not-a-secret-" + "x" * 40)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("GAMEARENA_METRICS_PUBLIC", "1")
    import django

    django.setup()


def seed(bots: int, battles: int, reseed: bool) -> None:
    from django.core.management import call_command

    from bots.models import Bot
    from stats.management.commands.seed_ladder import PREFIX

    call_command("migrate", verbosity=0)
    seeded = Bot.objects.filter(name__startswith=PREFIX).count()
    if seeded == bots and not reseed:
        say(f"using the seeded ladder ({seeded} bots)")
        return
    say(f"seeding {bots} bots and {battles} battles ...")
    started = time.perf_counter()
    call_command("seed_ladder", bots=bots, battles=battles, replace=seeded > 0)
    say(f"seeded in {time.perf_counter() - started:.0f} s")


def timed(work: Callable[[], object], count: int) -> list[float]:
    work()  # warm: connections, caches, imported code
    times = []
    for _ in range(count):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def report(label: str, times: list[float], aim: float | None = None) -> None:
    line = f"{label:<46} p50 {statistics.median(times):7.2f} ms   p99 {p99(times):7.2f} ms"
    if aim is not None:
        line += f"   (aim p99 < {aim:.0f} ms: {'met' if p99(times) < aim else 'MISSED'})"
    print(line, flush=True)


def get(client: object, path: str) -> Callable[[], object]:
    def call() -> object:
        answer = client.get(path, HTTP_HOST="localhost")  # type: ignore[attr-defined]
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.content[:300]!r}")
        return answer

    return call


def random_bots(
    client: object, path: str, rng: random.Random, bot_ids: list[int]
) -> Callable[[], object]:
    def call() -> object:
        return get(client, path.format(a=rng.choice(bot_ids), b=rng.choice(bot_ids)))()

    return call


def matchmaking_decision(
    rng: random.Random, bot_ids: list[int]
) -> tuple[str, Callable[[], object]]:
    try:
        # By name: the ladder's planner is another part of the code, absent from some checkouts.
        ladder: Any = importlib.import_module("stats.ladder")
        matchmaking: Any = importlib.import_module("stats.matchmaking")
    except ImportError:
        from stats.selectors import rating_neighbours

        def neighbours() -> object:
            return rating_neighbours(bot_id=rng.choice(bot_ids), count=10)

        return "close-rating query (rating_neighbours)", neighbours
    from django.utils import timezone

    def decide() -> object:
        candidates = ladder.ladder_candidates(now=timezone.now())
        return matchmaking.plan_pairings(candidates, 1, placement_battles=0, rng=rng)

    return "ladder_candidates + plan_pairings (1 pairing)", decide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bots", type=int, default=10_000)
    parser.add_argument("--battles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    setup_django()
    seed(args.bots, args.battles, args.reseed)

    from django.test import Client

    from battles.models import Battle
    from bots.models import Bot
    from stats.management.commands.seed_ladder import PREFIX
    from stats.services import leaderboard_refresh_ranks

    rng = random.Random(7)
    client = Client()
    bot_ids = list(Bot.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    print(f"{len(bot_ids)} bots, {Battle.objects.count()} battles stored", flush=True)
    pages = args.bots // 50
    report(
        "GET /api/leaderboard?offset=<random>",
        timed(lambda: get(client, f"/api/leaderboard?offset={50 * rng.randrange(pages)}")(),
              args.requests),
        P99_AIM_MS,
    )  # fmt: skip
    first_page = timed(get(client, "/api/leaderboard"), args.requests)
    report("GET /api/leaderboard (first page)", first_page, P99_AIM_MS)
    for label, path in (
        ("GET /api/bots/<id>/stats", "/api/bots/{a}/stats"),
        ("GET /api/bots/<id>/rating-history", "/api/bots/{a}/rating-history"),
        ("GET /api/bots/<a>/head-to-head/<b>", "/api/bots/{a}/head-to-head/{b}"),
    ):
        report(label, timed(random_bots(client, path, rng, bot_ids), args.requests))
    label, decide = matchmaking_decision(rng, bot_ids)
    report(f"matchmaking: {label}", timed(decide, min(args.requests, 100)))
    report("refresh of every rank interval", timed(leaderboard_refresh_ranks, 3))
    report("GET /metrics", timed(get(client, "/metrics"), 5))


if __name__ == "__main__":
    main()
