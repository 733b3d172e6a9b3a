"""The sequential test of a duel (stats/sprt.py), fed scripted results: it stops on the right
side for a biased coin, decides equal for evenly matched draws, and stops at the cap for a
fair coin."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

import pytest

from stats.sprt import (
    Counts,
    Decision,
    SprtParams,
    elo_estimate,
    elo_to_score,
    gsprt_llr,
    score_to_elo,
    sprt_state,
    wald_bounds,
)


def run(scores: Iterable[float], params: SprtParams) -> tuple[Counts, Decision]:
    """Feeds A's scores one game at a time until the test decides."""
    counts = Counts()
    for score in scores:
        counts = counts.plus(score)
        decision = sprt_state(counts, params).decision
        if decision is not None:
            return counts, decision
    raise AssertionError(f"no decision after {counts}")


def coin(p_win: float, seed: int) -> Iterable[float]:
    rng = random.Random(seed)
    while True:
        yield 1.0 if rng.random() < p_win else 0.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_coin_biased_towards_a_stops_on_better(seed: int) -> None:
    counts, decision = run(coin(0.75, seed), SprtParams())

    assert decision is Decision.BETTER
    assert counts.games < 200
    estimate = elo_estimate(counts)
    assert estimate is not None
    assert estimate.low > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_coin_biased_against_a_stops_on_worse(seed: int) -> None:
    counts, decision = run(coin(0.25, seed), SprtParams())

    assert decision is Decision.WORSE
    estimate = elo_estimate(counts)
    assert estimate is not None
    assert estimate.high < 0


def test_a_scripted_three_wins_in_four_stop_on_better_after_whole_pairs() -> None:
    counts, decision = run(itertools.cycle([1.0, 1.0, 1.0, 0.0]), SprtParams())

    assert decision is Decision.BETTER
    assert counts.games % 2 == 0  # a decision waits for the seat-swapped pair to complete


def test_a_fair_coin_stops_at_the_cap_undecided() -> None:
    counts, decision = run(itertools.cycle([1.0, 0.0]), SprtParams(max_games=60))

    assert (decision, counts.games) == (Decision.INCONCLUSIVE, 60)


def test_evenly_matched_draws_decide_equal() -> None:
    _, decision = run(itertools.repeat(0.5), SprtParams())

    assert decision is Decision.EQUAL


def test_two_straight_wins_decide_nothing_yet() -> None:
    assert sprt_state(Counts(wins=2), SprtParams()).decision is None


def test_the_llr_and_bounds_follow_the_textbook_formulas() -> None:
    lower, upper = wald_bounds(0.05, 0.05)
    assert (round(lower, 4), round(upper, 4)) == (-2.9444, 2.9444)
    assert elo_to_score(0) == 0.5
    assert round(score_to_elo(elo_to_score(100)), 6) == 100
    # Symmetry: "A better" on A's results is "A worse" on B's results.
    counts, mirrored = Counts(30, 10, 20), Counts(20, 10, 30)
    assert gsprt_llr(counts, 0, 20) == pytest.approx(gsprt_llr(mirrored, 0, -20))


def test_parameters_that_make_no_test_are_named() -> None:
    problems = SprtParams(elo0=5, elo1=5, alpha=0.6, beta=0, max_games=7).problems()

    assert set(problems) == {"elo1", "alpha", "beta", "max_games"}
