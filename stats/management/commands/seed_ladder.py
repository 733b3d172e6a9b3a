"""manage.py seed_ladder: a big ladder for bench/ladder.py, on PostgreSQL.

    manage.py seed_ladder [--bots 10000] [--battles 1000000] [--replace]

Seeds users, bots with one version each, finished rated ladder battles with both seats, one
rating-history row per seat, every version's and bot's ratings and the bots' counters, then
computes the rank intervals. Rows are made by the database itself (INSERT ... SELECT over
generate_series), never one by one from Python. The seeded bots are named ``ladder-bench-<n>``;
--replace deletes them (and their battles) first. For benchmarks only: the ratings are drawn at
random, not played. At the defaults it took 13 minutes on a busy 2-core machine, mostly
checking the deferred foreign keys of 4 million rows at COMMIT.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from bots.models import Bot
from stats.services import leaderboard_refresh_ranks

PREFIX = "ladder-bench-"
OWNERS = 100
SEED_BASE = 7_000_000_000  # the seeded battles' seeds are SEED_BASE + n: how they are found
TIMING = (
    '{"turns": 200, "wall_ms": {"p50": 4.1, "p95": 9.3, "max": 31.0}, '
    '"cpu_ms": {"p50": 3.2, "p95": 8.4, "max": 27.5}, "slowest_turns": []}'
)

BOTS_SQL = """
INSERT INTO bots_bot (owner_id, name, description, code, version_number, elo_rating, match_count,
                      win_count, is_active, created_at, updated_at)
SELECT o.id, %(prefix)s || g, '', 'print("MOVE 0 1 1")', 1, 1200, 0, 0, true, now(), now()
FROM generate_series(0, %(bots)s - 1) AS g
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM auth_user
      WHERE username LIKE %(prefix)s || '%%') AS o ON o.k = g %% %(owners)s
"""
VERSIONS_SQL = """
INSERT INTO bots_botversion (bot_id, version_number, code, description, match_count, win_count,
                             created_at)
SELECT id, 1, code, '', 0, 0, now() FROM bots_bot WHERE name LIKE %(prefix)s || '%%'
"""
ENTRANTS_SQL = """
CREATE TEMP TABLE bench_entrants AS
SELECT row_number() OVER (ORDER BY b.id) - 1 AS n, b.id AS bot_id, v.id AS version_id,
       u.username || '/' || b.name AS agent
FROM bots_bot b JOIN bots_botversion v ON v.bot_id = b.id JOIN auth_user u ON u.id = b.owner_id
WHERE b.name LIKE %(prefix)s || '%%';
CREATE UNIQUE INDEX ON bench_entrants (n);
"""
BATTLES_SQL = """
INSERT INTO battles_battle (public_id, seed, policy, reason, rated, status, attempts,
    failure_reason, winner_seat, termination, turns, sandbox_mode, sandbox_level, created_at,
    started_at, finished_at)
SELECT gen_random_uuid(), %(base)s + g, 'arena', 'ladder', true, 'finished', 1, '',
       CASE WHEN g %% 10 = 0 THEN NULL ELSE g %% 2 END, 'max_turns', 200, 'none', '',
       t - interval '20 seconds', t - interval '19 seconds', t
FROM generate_series(0, %(battles)s - 1) AS g,
     LATERAL (SELECT now() - (%(battles)s - g) * interval '1 second' AS t) AS clock
"""
# Seat 0 is entrant (7919 n) mod N; seat 1 another one, spread by a second multiplier.
SEATS_SQL = """
INSERT INTO battles_battleseat (battle_id, seat, bot_id, bot_version_id, house_bot, agent_name,
    display_name, score, status, reason, fault_turn, last_stderr_line_owner_only, timing)
SELECT bt.id, s.seat, e.bot_id, e.version_id, '', e.agent, e.agent || ' v1', 10 + s.seat,
       CASE WHEN bt.seed %% 97 = 0 AND s.seat = 1 THEN 'timeout' ELSE 'ok' END, '', NULL, '',
       CASE WHEN bt.seed %% 10 = 0 THEN %(timing)s::jsonb ELSE NULL END
FROM battles_battle bt
CROSS JOIN (VALUES (0), (1)) AS s (seat)
JOIN bench_entrants e ON e.n = CASE WHEN s.seat = 0
    THEN ((bt.seed - %(base)s) * 7919) %% %(bots)s
    ELSE (((bt.seed - %(base)s) * 7919) %% %(bots)s + 1
          + ((bt.seed - %(base)s) * 104729) %% (%(bots)s - 1)) %% %(bots)s END
WHERE bt.seed >= %(base)s AND bt.seed < %(base)s + %(battles)s
"""
HISTORY_SQL = """
INSERT INTO stats_ratinghistory (battle_id, seat, bot_id, version_id, result, mu, sigma, elo,
                                 elo_change, at)
SELECT s.battle_id, s.seat, s.bot_id, s.bot_version_id,
       CASE WHEN bt.winner_seat IS NULL THEN 'draw'
            WHEN bt.winner_seat = s.seat THEN 'win' ELSE 'loss' END,
       20 + random() * 10, 1 + random() * 7, 1000 + random() * 400, random() * 32 - 16,
       bt.finished_at
FROM battles_battleseat s JOIN battles_battle bt ON bt.id = s.battle_id
WHERE bt.seed >= %(base)s AND bt.seed < %(base)s + %(battles)s
"""
COUNTS_SQL = """
CREATE TEMP TABLE bench_counts AS
SELECT s.bot_id, s.bot_version_id, count(*) AS n,
       count(*) FILTER (WHERE bt.winner_seat = s.seat) AS w,
       count(*) FILTER (WHERE bt.winner_seat IS NULL) AS d,
       count(*) FILTER (WHERE s.status = 'timeout') AS t, max(bt.finished_at) AS last
FROM battles_battleseat s JOIN battles_battle bt ON bt.id = s.battle_id
WHERE bt.seed >= %(base)s AND bt.seed < %(base)s + %(battles)s
GROUP BY s.bot_id, s.bot_version_id;
UPDATE bots_bot b SET match_count = c.n, win_count = c.w FROM bench_counts c WHERE c.bot_id = b.id;
UPDATE bots_botversion v SET match_count = c.n, win_count = c.w
FROM bench_counts c WHERE c.bot_version_id = v.id;
"""
RATINGS_SQL = """
INSERT INTO stats_versionrating (version_id, bot_id, parent_id, mu, sigma, elo, rated_battles,
    battles, wins, draws, losses, timeouts, crashes, invalid_outputs, last_battle_at, created_at)
SELECT e.version_id, e.bot_id, NULL, 15 + random() * 20, 0.8 + random() * 7,
       1000 + random() * 600, coalesce(c.n, 0), coalesce(c.n, 0), coalesce(c.w, 0),
       coalesce(c.d, 0), coalesce(c.n - c.w - c.d, 0), coalesce(c.t, 0), 0, 0, c.last, now()
FROM bench_entrants e LEFT JOIN bench_counts c ON c.bot_version_id = e.version_id;
INSERT INTO stats_botrating (bot_id, version_id, mu, sigma, conservative, elo, rank_low,
                             rank_high, last_battle_at, updated_at)
SELECT r.bot_id, r.version_id, r.mu, r.sigma, r.mu - 3 * r.sigma, r.elo, NULL, NULL,
       r.last_battle_at, now()
FROM stats_versionrating r JOIN bench_entrants e ON e.version_id = r.version_id;
UPDATE bots_bot b SET elo_rating = r.elo FROM stats_botrating r WHERE r.bot_id = b.id
    AND b.name LIKE %(prefix)s || '%%';
"""


class Command(BaseCommand):
    help = "Seeds a big ladder on PostgreSQL for bench/ladder.py (10,000 bots, 1,000,000 battles)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bots", type=int, default=10_000)
        parser.add_argument("--battles", type=int, default=1_000_000)
        parser.add_argument("--replace", action="store_true", help="Delete a previous seed first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("seed_ladder needs PostgreSQL (set DATABASE_URL).")
        bots, battles = options["bots"], options["battles"]
        if bots < 2 or battles < 1:
            raise CommandError("--bots must be at least 2 and --battles at least 1.")
        if Bot.objects.filter(name__startswith=PREFIX).exists():
            if not options["replace"]:
                raise CommandError("A seeded ladder exists: add --replace to seed it again.")
            self._step("deleting the previous seed", self._delete)
        params = {
            "prefix": PREFIX, "owners": OWNERS, "bots": bots, "battles": battles,
            "base": SEED_BASE, "timing": TIMING,
        }  # fmt: skip
        with transaction.atomic():
            self._step("owners", self._owners)
            for label, sql in (
                ("bots", BOTS_SQL), ("versions", VERSIONS_SQL), ("entrants", ENTRANTS_SQL),
                ("battles", BATTLES_SQL), ("seats", SEATS_SQL), ("rating history", HISTORY_SQL),
                ("counters", COUNTS_SQL), ("ratings", RATINGS_SQL),
            ):  # fmt: skip
                self._step(label, lambda sql=sql: self._run(sql, params))
        self._step("analyze", lambda: self._run("ANALYZE", {}))
        self._step("rank intervals", leaderboard_refresh_ranks)

    def _step(self, label: str, work: Any) -> None:
        started = time.perf_counter()
        work()
        self.stdout.write(f"{label}: {time.perf_counter() - started:.1f} s")

    def _run(self, sql: str, params: dict[str, Any]) -> None:
        with connection.cursor() as cursor:
            for statement in (part for part in sql.split(";\n") if part.strip()):
                cursor.execute(statement, params)

    def _owners(self) -> None:
        users = get_user_model()
        owners = [users(username=f"{PREFIX}{n}") for n in range(OWNERS)]
        for owner in owners:
            owner.set_unusable_password()  # nobody signs in as a benchmark's owner
        users.objects.bulk_create(owners, ignore_conflicts=True)

    def _delete(self) -> None:
        # In SQL, children first: the ORM's cascade would load a million battles to delete them.
        seeded = "SELECT id FROM battles_battle WHERE seed >= %(base)s"
        with transaction.atomic(), connection.cursor() as cursor:
            for table in (
                "stats_ratinghistory", "stats_recordedbattle", "battles_battlereplay",
                "battles_battleseat",
            ):  # fmt: skip
                column = "battle_id"
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} IN ({seeded})",  # noqa: S608 (constants)
                    {"base": SEED_BASE},
                )
            cursor.execute("DELETE FROM battles_battle WHERE seed >= %(base)s", {"base": SEED_BASE})
            Bot.objects.filter(name__startswith=PREFIX).delete()
