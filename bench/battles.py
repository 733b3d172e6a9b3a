"""Battles per minute through the whole path, against a bare loop of the referee, in one run.

    .venv/bin/python bench/battles.py [--battles 16] [--rounds 3] [--mode none|bwrap]

Two trivial stored bots (each stands still and answers at once, so every game lasts all 200
turns) play full battles. Each round measures, in this order:

- bare: ``play_match`` in a loop in this process (the referee and the sandbox only);
- 1 worker: queued battle rows → the broker → ``celery worker --concurrency 1`` → result,
  replay and stats stored; timed from the first enqueue to the last battle's finish;
- 2 workers: the same with ``--concurrency 2`` (this machine has 2 cores).

Printed: each round's battles per minute, the medians, and per round the ratios
"1 worker / bare" (the whole path's cost: aim >= 0.85) and "2 workers / 1 worker" (aim >= 1.7).
Everything runs on a private SQLite database and filesystem broker in a temporary directory;
workers start before the clock does. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path, where this very file would hide
# the battles package: put the project root there instead.
if str(Path(__file__).resolve().parent) in sys.path:
    sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

# Stands its first pac still every turn: no fault, no score, so the game lasts 200 turns.
TRIVIAL_BOT = """\
import sys
width, height = map(int, input().split())
for _ in range(height):
    input()
while True:
    input()
    mine = None
    for _ in range(int(input())):
        pac, is_mine, x, y, *_ = input().split()
        if is_mine == "1" and mine is None:
            mine = (pac, x, y)
    for _ in range(int(input())):
        input()
    print(f"MOVE {mine[0]} {mine[1]} {mine[2]}", flush=True)
"""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def configure(var_dir: Path, mode: str) -> dict[str, str]:
    """The environment of this process and of its workers: a private database and broker."""
    env = {
        "DJANGO_SETTINGS_MODULE": "gamearena.settings",
        "DEBUG": "1",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
        "USE_SQLITE": "1",
        "BATTLE_DB_PATH": str(var_dir / "bench.sqlite3"),
        "GAMEARENA_VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": "filesystem://",
        "GAMEARENA_BROKER_DIR": str(var_dir / "broker"),
        "GAMEARENA_BATTLE_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
        "GAMEARENA_SANDBOX": mode,
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)
    return {**os.environ, **env}


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_bots() -> tuple[object, object]:
    from django.contrib.auth import get_user_model

    from bots.services import bot_submit

    user = get_user_model().objects.create_user("bench", password="bench-password-1234")  # noqa: S106
    first = bot_submit(owner=user, name="still-a", code=TRIVIAL_BOT).bot
    second = bot_submit(owner=user, name="still-b", code=TRIVIAL_BOT + "# b\n").bot
    return first, second


def bare_rate(count: int) -> float:
    """Battles per minute of play_match alone, on the same programs and settings."""
    from battles.bot_sources import STORED_ENTRY
    from battles.match import play_match
    from battles.sandbox import BotProgram
    from battles.sandbox_policy import bot_interpreter, ensure_sandbox_ready, match_limits
    from battles.sandbox_policy import sandbox_mode as configured_mode

    mode = configured_mode()
    ensure_sandbox_ready(mode, announce=lambda message: None)
    program = BotProgram.from_source(TRIVIAL_BOT, entry=STORED_ENTRY, interpreter=bot_interpreter())
    started = time.perf_counter()
    for seed in range(count):
        play_match((program, program), seed=seed, limits=match_limits(), mode=mode)
    return count * 60 / (time.perf_counter() - started)


def start_workers(env: dict[str, str], concurrency: int, var_dir: Path) -> subprocess.Popen[bytes]:
    log = var_dir / f"worker-{concurrency}-{time.monotonic_ns()}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "gamearena", "worker",
        "--concurrency", str(concurrency), "--loglevel", "WARNING",
        "--queues", env["GAMEARENA_BATTLE_QUEUE"], "--hostname", f"{uuid.uuid4().hex[:8]}@bench",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return worker


def full_path_rate(bots: tuple[object, object], count: int, worker_concurrency: int,
                   env: dict[str, str], var_dir: Path) -> float:  # fmt: skip
    from battles.models import Battle
    from battles.services import battle_create, seat_spec_for

    def queue(n: int) -> list[int]:
        seats = (seat_spec_for(bot=bots[0]), seat_spec_for(bot=bots[1]))  # type: ignore[arg-type]
        return [
            battle_create(seats=seats, reason=Battle.Reason.COMMAND, seed=seed).pk
            for seed in range(n)
        ]

    def wait(ids: list[int]) -> None:
        while Battle.objects.filter(pk__in=ids).exclude(status=Battle.Status.FINISHED).exists():
            time.sleep(0.05)

    worker = start_workers(env, worker_concurrency, var_dir)
    try:
        # Warm-up, unmeasured: enough battles that every pool process has played some (a
        # process's first battle pays for its imports and first connections).
        wait(queue(3 * worker_concurrency))
        started = time.perf_counter()
        ids = queue(count)
        wait(ids)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
    failed = Battle.objects.filter(pk__in=ids).exclude(status=Battle.Status.FINISHED).count()
    assert failed == 0, f"{failed} battles did not finish"
    return count * 60 / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=16, help="battles per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", choices=("none", "bwrap"), default="none")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gamearena-bench-") as directory:
        var_dir = Path(directory)
        env = configure(var_dir, args.mode)
        setup_django()
        bots = make_bots()
        rows: list[tuple[float, float, float]] = []
        for round_number in range(1, args.rounds + 1):
            say(f"round {round_number}/{args.rounds}: bare loop")
            bare = bare_rate(args.battles)
            say(f"round {round_number}/{args.rounds}: 1 worker")
            one = full_path_rate(bots, args.battles, 1, env, var_dir)
            say(f"round {round_number}/{args.rounds}: 2 workers")
            two = full_path_rate(bots, args.battles, 2, env, var_dir)
            rows.append((bare, one, two))
            say(f"  bare {bare:.1f}/min, 1 worker {one:.1f}/min, 2 workers {two:.1f}/min")
    report(rows, args)


def report(rows: list[tuple[float, float, float]], args: argparse.Namespace) -> None:
    print(f"battles per minute, {args.battles} full 200-turn battles per figure, "
          f"sandbox {args.mode}, {len(rows)} rounds")  # fmt: skip
    print(f"{'round':>5} {'bare':>8} {'1 worker':>9} {'2 workers':>10} {'1w/bare':>8} {'2w/1w':>6}")
    for number, (bare, one, two) in enumerate(rows, 1):
        print(f"{number:>5} {bare:8.1f} {one:9.1f} {two:10.1f} {one / bare:8.3f} {two / one:6.3f}")
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    path_ratio = statistics.median(one / bare for bare, one, _ in rows)
    scale_ratio = statistics.median(two / one for _, one, two in rows)
    print(f"{'median':>5} {medians[0]:8.1f} {medians[1]:9.1f} {medians[2]:10.1f} "
          f"{path_ratio:8.3f} {scale_ratio:6.3f}")  # fmt: skip
    print("aims: 1 worker / bare >= 0.85; 2 workers / 1 worker >= 1.7 (median per-round ratios)")


if __name__ == "__main__":
    main()
