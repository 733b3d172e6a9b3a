"""The rating arithmetic, with no Django: Elo, the Bayesian rating (OpenSkill) and rank intervals.

Two ratings are kept per bot version (docs/ratings.md):

- **Elo**, the seed's number: expected score ``1 / (1 + 10 ** ((Rb - Ra) / 400))``, and a win,
  draw or loss moves it by ``ELO_K`` times (score - expected). K = 32 is the classic value for
  a young pool: a version plays tens of ladder battles, not thousands, so it must move fast.
- **OpenSkill** (Weng-Lin Bayesian approximation, Plackett-Luce model, its default): a skill
  estimate ``mu`` with its uncertainty ``sigma``. The leaderboard orders by the conservative
  score ``mu - 3 sigma``: a bot is ranked by the skill it is very likely to have at least, so a
  lucky newcomer with two wins does not jump over a bot with a long record.

Rank intervals come from the ratings' uncertainty by Monte-Carlo with a fixed seed: draw every
bot's skill from ``N(mu, sigma)``, rank the draws, repeat; a bot's 90% interval is the 5th and
95th percentile of its ranks. Repeatable (the same ratings give the same intervals) and about
linear in the number of bots per draw.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

from openskill.models import PlackettLuce

ELO_K = 32.0
ELO_SCALE = 400.0
DEFAULT_ELO = 1200.0  # as bots.models.DEFAULT_ELO_RATING
CONSERVATIVE_SIGMAS = 3.0
# A new version starts from its parent's estimate with its sigma widened by this much (added in
# quadrature), never past a newcomer's sigma: a change of code may change the skill, so the
# ladder must be allowed to move it again, but it is rarely a different bot altogether.
NEW_VERSION_SIGMA_WIDENING = 25.0 / 6.0
RANK_CONFIDENCE = 0.90
RANK_SAMPLES = 200
RANK_SEED = 20261201

Result = Literal["win", "loss", "draw"]

MODEL = PlackettLuce()
DEFAULT_MU: float = MODEL.mu
DEFAULT_SIGMA: float = MODEL.sigma


@dataclass(frozen=True)
class Skill:
    mu: float
    sigma: float

    @property
    def conservative(self) -> float:
        return conservative_score(self.mu, self.sigma)


def conservative_score(mu: float, sigma: float) -> float:
    return mu - CONSERVATIVE_SIGMAS * sigma


def elo_expected(rating: float, opponent: float) -> float:
    """The score `rating` is expected to make against `opponent` (a win is 1, a draw 0.5)."""
    return 1.0 / (1.0 + float(10.0 ** ((opponent - rating) / ELO_SCALE)))


def elo_update(first: float, second: float, result: Result) -> tuple[float, float]:
    """Both Elo ratings after one game; `result` is the first player's."""
    score = {"win": 1.0, "draw": 0.5, "loss": 0.0}[result]
    change = ELO_K * (score - elo_expected(first, second))
    return first + change, second - change


def skill_update(first: Skill, second: Skill, result: Result) -> tuple[Skill, Skill]:
    """Both skills after one game; `result` is the first player's. Ranks: lower is better."""
    ranks: list[float] = {"win": [0.0, 1.0], "draw": [0.0, 0.0], "loss": [1.0, 0.0]}[result]
    teams = [[MODEL.rating(mu=first.mu, sigma=first.sigma)]]
    teams.append([MODEL.rating(mu=second.mu, sigma=second.sigma)])
    [[a], [b]] = MODEL.rate(teams, ranks=ranks)
    return Skill(a.mu, a.sigma), Skill(b.mu, b.sigma)


def skill_for_new_version(parent: Skill | None) -> Skill:
    """Where a new version starts: its parent's mu, its parent's sigma widened (capped)."""
    if parent is None:
        return Skill(DEFAULT_MU, DEFAULT_SIGMA)
    widened = math.hypot(parent.sigma, NEW_VERSION_SIGMA_WIDENING)
    return Skill(parent.mu, min(widened, DEFAULT_SIGMA))


def rank_intervals(
    skills: list[Skill],
    *,
    samples: int = RANK_SAMPLES,
    confidence: float = RANK_CONFIDENCE,
    seed: int = RANK_SEED,
) -> list[tuple[int, int]]:
    """Each skill's rank interval (1 is the best) at `confidence`, by seeded Monte-Carlo."""
    count = len(skills)
    if count == 0:
        return []
    rng = random.Random(seed)  # noqa: S311 (a repeatable draw, not a secret)
    gauss = rng.gauss
    ranks_of: list[list[int]] = [[0] * samples for _ in range(count)]
    order = range(count)
    for draw in range(samples):
        values = [gauss(skill.mu, skill.sigma) for skill in skills]
        for rank, index in enumerate(sorted(order, key=values.__getitem__, reverse=True), 1):
            ranks_of[index][draw] = rank
    low_at = math.floor((1 - confidence) / 2 * (samples - 1))
    high_at = math.ceil((1 + confidence) / 2 * (samples - 1))
    intervals = []
    for ranks in ranks_of:
        ranks.sort()
        intervals.append((ranks[low_at], ranks[high_at]))
    return intervals
