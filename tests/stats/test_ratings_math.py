"""stats.ratings: Elo, OpenSkill (against the library's published vectors) and rank intervals."""

from __future__ import annotations

import pytest
from openskill.models import PlackettLuce

from stats.ratings import (
    DEFAULT_SIGMA,
    ELO_K,
    Skill,
    elo_expected,
    elo_update,
    rank_intervals,
    skill_for_new_version,
    skill_update,
)

# The Plackett-Luce vectors openskill.py publishes with its own tests (its data file
# plackettluce.json): a model with these defaults, one player against a team of two.
PUBLISHED_MODEL = (31.321989232514305, 11.379964801443018)
PUBLISHED_NORMAL = [
    (36.48967347401391, 11.237778601372977),
    (26.154304991014694, 11.17822477763209),
]
PUBLISHED_RANKS_2_1 = [
    (30.19454401757094, 11.237778601372977),
    (32.44943444745767, 11.17822477763209),
]


def test_the_installed_library_reproduces_its_published_plackett_luce_vectors() -> None:
    model = PlackettLuce(*PUBLISHED_MODEL)
    for ranks, expected in ((None, PUBLISHED_NORMAL), ([2.0, 1.0], PUBLISHED_RANKS_2_1)):
        [[single], [pair, _]] = model.rate(
            [[model.rating()], [model.rating(), model.rating()]], ranks=ranks
        )
        assert (single.mu, single.sigma) == pytest.approx(expected[0], rel=1e-4)
        assert (pair.mu, pair.sigma) == pytest.approx(expected[1], rel=1e-4)


def test_a_win_between_newcomers_moves_both_by_the_models_default_step() -> None:
    winner, loser = skill_update(Skill(25.0, DEFAULT_SIGMA), Skill(25.0, DEFAULT_SIGMA), "win")

    # The library's own result for a 1v1 between default ratings, both sigmas shrinking.
    assert (winner.mu, winner.sigma) == pytest.approx((27.635389493140497, 8.06590141354368))
    assert (loser.mu, loser.sigma) == pytest.approx((22.364610506859503, 8.06590141354368))


def test_a_loss_is_a_win_seen_from_the_other_seat_and_a_draw_keeps_equal_means() -> None:
    a, b = Skill(30.0, 4.0), Skill(20.0, 6.0)
    lost = skill_update(a, b, "loss")
    won = skill_update(b, a, "win")

    assert lost == (won[1], won[0])
    drawn = skill_update(Skill(25.0, 5.0), Skill(25.0, 5.0), "draw")
    assert drawn[0].mu == pytest.approx(25.0)
    assert drawn[0].sigma < 5.0


def test_elo_moves_by_k_times_the_surprise_and_conserves_the_sum() -> None:
    assert elo_expected(1200, 1200) == 0.5
    assert elo_expected(1600, 1200) == pytest.approx(10 / 11)

    first, second = elo_update(1200, 1200, "win")
    assert (first, second) == (1200 + ELO_K / 2, 1200 - ELO_K / 2)
    strong, weak = elo_update(1600, 1200, "draw")
    assert strong == pytest.approx(1600 + ELO_K * (0.5 - 10 / 11))
    assert strong + weak == pytest.approx(2800)


def test_a_new_version_keeps_its_parents_mean_with_a_wider_capped_sigma() -> None:
    assert skill_for_new_version(None) == Skill(25.0, DEFAULT_SIGMA)
    child = skill_for_new_version(Skill(31.0, 2.0))
    assert child.mu == 31.0
    assert 2.0 < child.sigma < DEFAULT_SIGMA
    assert skill_for_new_version(Skill(31.0, DEFAULT_SIGMA)).sigma == DEFAULT_SIGMA


def test_rank_intervals_are_tight_when_sure_wide_when_unsure_and_repeatable() -> None:
    sure = [Skill(40.0, 0.5), Skill(30.0, 0.5), Skill(20.0, 0.5)]
    assert rank_intervals(sure) == [(1, 1), (2, 2), (3, 3)]

    unsure = [Skill(26.0, 8.0), Skill(25.0, 8.0), Skill(24.0, 8.0), Skill(-20.0, 0.5)]
    intervals = rank_intervals(unsure)
    assert intervals[0][0] == 1
    assert intervals[0][1] >= 3
    assert intervals[3] == (4, 4)
    assert rank_intervals(unsure) == intervals
    assert rank_intervals([]) == []
