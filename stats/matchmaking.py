"""Who plays whom on the ladder: a pure planner, no Django (stats/ladder.py feeds it).

Each pairing is built around a *focus*, the candidate that most needs a battle:

1. a version still in its placement (fewer than ``placement_battles`` ladder battles) first;
2. then whoever played the fewest ladder battles lately (the last hour), so that nobody
   starves: a bot the opponent choice keeps passing over (an outlier rating, say) rises to
   the front of the line and gets its battles as the focus;
3. its opponent is one of the ``nearest`` candidates closest in rating, the least busy of
   them: close ratings make informative games, and the choice among a few keeps one pair
   from playing each other all the time.

Counts are updated as the plan grows, so one plan of many pairings spreads them as a
stream of single plans would. docs/ladder.md §1 has the reasoning and the starvation bound.
"""

from __future__ import annotations

import bisect
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

PLACEMENT = "placement"
COVERAGE = "coverage"
CLOSE_RATING = "close_rating"
NEAREST = 3
BATTLES_PER_PAIRING = 2  # one seed, the seats swapped


@dataclass(frozen=True)
class Candidate:
    """An active, qualified version of an active bot, as the planner sees it."""

    bot_id: int
    version_id: int
    rating: float
    version_battles: int  # ladder battles of this version so far (its placement)
    recent_battles: int  # ladder battles of this bot lately (the coverage window)


@dataclass(frozen=True)
class Pairing:
    first: Candidate
    second: Candidate
    reason: str  # PLACEMENT, COVERAGE or CLOSE_RATING: why `first` was chosen


def plan_pairings(
    candidates: Sequence[Candidate],
    pairs: int,
    *,
    placement_battles: int,
    rng: random.Random,
    nearest: int = NEAREST,
) -> list[Pairing]:
    """Up to `pairs` pairings among `candidates` (none with fewer than two)."""
    before = {candidate.bot_id: candidate for candidate in candidates}
    pool = dict(before)  # the same, with this plan's battles counted in as it grows
    plan: list[Pairing] = []
    if len(pool) < 2:
        return plan
    # A random tiebreak fixed per plan: equal candidates take turns across plans.
    tiebreak = {bot_id: rng.random() for bot_id in pool}
    # Coverage is judged against the field as it stood, not as this plan is filling it in.
    median = statistics.median(c.recent_battles for c in candidates)
    # Ratings do not change while planning: one sort finds every focus's neighbours.
    by_rating = sorted((c.rating, tiebreak[c.bot_id], c.bot_id) for c in candidates)
    for _ in range(pairs):
        focus = min(pool.values(), key=lambda c: _need(c, placement_battles, tiebreak))
        neighbours = [pool[bot_id] for bot_id in _nearest(by_rating, focus, nearest)]
        opponent = min(neighbours, key=lambda c: (c.recent_battles, abs(c.rating - focus.rating)))
        reason = _reason(focus, before[focus.bot_id], median, placement_battles)
        plan.append(Pairing(focus, opponent, reason))
        for chosen in (focus, opponent):
            pool[chosen.bot_id] = replace(
                chosen,
                version_battles=chosen.version_battles + BATTLES_PER_PAIRING,
                recent_battles=chosen.recent_battles + BATTLES_PER_PAIRING,
            )
    return plan


def _need(
    candidate: Candidate, placement_battles: int, tiebreak: dict[int, float]
) -> tuple[bool, int, float]:
    placed = candidate.version_battles >= placement_battles
    return (placed, candidate.recent_battles, tiebreak[candidate.bot_id])


def _nearest(by_rating: list[tuple[float, float, int]], focus: Candidate, count: int) -> list[int]:
    """The `count` bots closest in rating to `focus` (not itself), from the sorted field."""
    right = bisect.bisect_left(by_rating, (focus.rating,))
    left = right - 1
    found: list[int] = []
    while len(found) < count and (left >= 0 or right < len(by_rating)):
        go_left = right >= len(by_rating) or (
            left >= 0 and focus.rating - by_rating[left][0] <= by_rating[right][0] - focus.rating
        )
        index = left if go_left else right
        if go_left:
            left -= 1
        else:
            right += 1
        if by_rating[index][2] != focus.bot_id:
            found.append(by_rating[index][2])
    return found


def _reason(focus: Candidate, before: Candidate, median: float, placement_battles: int) -> str:
    """Why `focus` plays; `before` is it as the plan found it (this plan's battles aside)."""
    if focus.version_battles < placement_battles:
        return PLACEMENT
    # Behind the field by a whole pairing or more: this battle is there to catch up.
    if before.recent_battles + BATTLES_PER_PAIRING <= median:
        return COVERAGE
    return CLOSE_RATING
