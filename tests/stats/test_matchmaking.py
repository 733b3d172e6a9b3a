"""The ladder's planner (stats/matchmaking.py) with a simulated runner that plays no game:
placement first, close ratings preferred, and nobody starves under a steady load."""

from __future__ import annotations

import collections
import random
import statistics

from stats.matchmaking import CLOSE_RATING, COVERAGE, PLACEMENT, Candidate, plan_pairings


def candidate(bot_id: int, rating: float, *, placed: int = 10, recent: int = 10) -> Candidate:
    return Candidate(bot_id, bot_id, rating, version_battles=placed, recent_battles=recent)


def test_a_new_version_plays_its_placement_first() -> None:
    field = [candidate(1, 1200), candidate(2, 1210), candidate(3, 1500, placed=0, recent=30)]

    first = plan_pairings(field, 1, placement_battles=4, rng=random.Random(1))[0]

    assert (first.first.bot_id, first.reason) == (3, PLACEMENT)


def test_the_opponent_is_among_the_closest_ratings() -> None:
    field = [candidate(1, 1000), candidate(2, 1500), candidate(3, 1505), candidate(4, 2000)]
    field += [candidate(5, 3000), candidate(6, 3100)]
    focus = candidate(7, 1502, recent=0)

    pairing = plan_pairings([*field, focus], 1, placement_battles=0, rng=random.Random(1))[0]

    assert pairing.first == focus
    # Its three nearest are 1500, 1505 and 2000; all equally busy, so the nearest of them.
    assert pairing.second.bot_id == 2


def test_a_bot_behind_the_field_is_scheduled_for_coverage() -> None:
    field = [candidate(n, 1200 + n, recent=20) for n in range(1, 6)] + [
        candidate(9, 1800, recent=2)
    ]

    pairing = plan_pairings(field, 1, placement_battles=4, rng=random.Random(1))[0]

    assert (pairing.first.bot_id, pairing.reason) == (9, COVERAGE)


def test_a_field_in_step_plays_for_close_ratings() -> None:
    field = [candidate(n, 1200 + 10 * n) for n in range(6)]

    plan = plan_pairings(field, 3, placement_battles=4, rng=random.Random(1))

    assert {pairing.reason for pairing in plan} == {CLOSE_RATING}


def test_fewer_than_two_candidates_make_no_pairing() -> None:
    assert plan_pairings([candidate(1, 1200)], 3, placement_battles=4, rng=random.Random(1)) == []


def test_nobody_starves_under_a_steady_load() -> None:
    """Six hours at 6 battles a minute; a crowd around 1200 and five outliers far above it
    (the ones close-rating pairing would neglect). In the last hour every bot's battle count
    is within a factor 2 of the median."""
    rng = random.Random(7)
    ratings = {n: 1200 + rng.gauss(0, 50) for n in range(25)}
    ratings |= {n: 1800 + 150 * n for n in range(25, 30)}
    played: list[tuple[int, int]] = []  # (minute, bot): the simulated runner plays at once
    per_version: collections.Counter[int] = collections.Counter()
    for minute in range(6 * 60):
        recent = collections.Counter(bot for at, bot in played if at > minute - 60)
        field = [
            Candidate(n, n, rating, per_version[n], recent[n]) for n, rating in ratings.items()
        ]
        for pairing in plan_pairings(field, 3, placement_battles=4, rng=rng):
            for side in (pairing.first, pairing.second):
                played += [(minute, side.bot_id)] * 2
                per_version[side.bot_id] += 2

    last_hour = collections.Counter(bot for at, bot in played if at >= 5 * 60)
    counts = [last_hour[n] for n in ratings]
    median = statistics.median(counts)
    assert median > 0
    assert max(counts) <= 2 * median
    assert min(counts) >= median / 2
