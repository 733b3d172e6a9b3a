"""The sequential probability ratio test that decides an A/B duel of two versions.

Pure functions, no Django: the duel service (stats/duels.py) feeds them the running win,
draw and loss counts of version A against version B.

The test is the generalised SPRT (GSPRT) on win/draw/loss results as chess-engine testing
uses it (cutechess-cli, Stockfish's fishtest; docs/ladder.md §3): each hypothesis is an Elo
difference turned into an expected score, s = 1 / (1 + 10^(-elo/400)); with the observed mean
score x and its per-game variance v over N games, the log-likelihood ratio of H1 (elo1)
against H0 (elo0) is approximately

    LLR = N (s1 - s0) (2x - s0 - s1) / (2v)

and the test stops when it leaves Wald's bounds [ln(beta/(1-alpha)), ln((1-beta)/alpha)].

A duel asks three ways (better, worse or equal), so two such tests run on the same games: "A
is better" (H0 elo0 against H1 elo1) and its mirror "A is worse" (H0 -elo0 against H1 -elo1).
Either accepting its H1 decides better or worse; both accepting their H0 decide equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# The mean and variance are taken over the games plus one won and one lost pseudo-game (a
# prior centred on equality): without it two wins in a row have zero variance and an infinite
# LLR, and a duel would "decide" after its first pair. Its weight fades as games come in.
PRIOR_WINS = PRIOR_LOSSES = 1
SCORE_CLAMP = 1e-4  # keeps a score's Elo finite
Z_95 = 1.959963984540054
# Games are played in pairs with the seats swapped: a decision waits for a pair to complete,
# so the first mover's advantage never tips it.
PAIR = 2


class Decision(StrEnum):
    BETTER = "better"  # A is stronger than B by about elo1 or more
    WORSE = "worse"  # A is weaker than B by about elo1 or more
    EQUAL = "equal"  # neither: the difference is about elo0 or less
    INCONCLUSIVE = "inconclusive"  # the cap on games came first


@dataclass(frozen=True)
class SprtParams:
    elo0: float = 0.0
    elo1: float = 20.0
    alpha: float = 0.05  # the chance of deciding better (or worse) when it is not
    beta: float = 0.05  # the chance of missing a real difference of elo1
    max_games: int = 200

    def problems(self) -> dict[str, str]:
        """What is wrong with these parameters, by field; empty when they make a test."""
        found: dict[str, str] = {}
        if not self.elo1 > self.elo0:
            found["elo1"] = "elo1 must be greater than elo0."
        for name in ("alpha", "beta"):
            if not 0 < getattr(self, name) < 0.5:
                found[name] = f"{name} must be between 0 and 0.5."
        if self.max_games < PAIR or self.max_games % PAIR:
            found["max_games"] = "max_games must be an even number, at least 2."
        return found


@dataclass(frozen=True)
class Counts:
    wins: int = 0
    draws: int = 0
    losses: int = 0

    @property
    def games(self) -> int:
        return self.wins + self.draws + self.losses

    def plus(self, score: float) -> Counts:
        """These counts with one more game of A: 1 a win, 0.5 a draw, 0 a loss."""
        if score == 1:
            return Counts(self.wins + 1, self.draws, self.losses)
        if score == 0:
            return Counts(self.wins, self.draws, self.losses + 1)
        return Counts(self.wins, self.draws + 1, self.losses)


@dataclass(frozen=True)
class SprtState:
    llr_better: float
    llr_worse: float
    lower: float
    upper: float
    decision: Decision | None  # None: play on


@dataclass(frozen=True)
class EloEstimate:
    elo: float
    low: float  # the 95% interval
    high: float


def elo_to_score(elo: float) -> float:
    return 1 / (1 + 10 ** (-elo / 400))


def score_to_elo(score: float) -> float:
    score = min(max(score, SCORE_CLAMP), 1 - SCORE_CLAMP)
    return -400 * math.log10(1 / score - 1)


def wald_bounds(alpha: float, beta: float) -> tuple[float, float]:
    return math.log(beta / (1 - alpha)), math.log((1 - beta) / alpha)


def _mean_and_variance(counts: Counts) -> tuple[int, float, float]:
    """The number of real games, and the per-game mean score and variance with the prior."""
    wins, draws = counts.wins + PRIOR_WINS, counts.draws
    losses = counts.losses + PRIOR_LOSSES
    total = wins + draws + losses
    mean = (wins + draws / 2) / total
    variance = (
        wins * (1 - mean) ** 2 + draws * (0.5 - mean) ** 2 + losses * (0 - mean) ** 2
    ) / total
    return counts.games, mean, variance


def gsprt_llr(counts: Counts, elo0: float, elo1: float) -> float:
    """The log-likelihood ratio of H1 (elo1) against H0 (elo0) after `counts`."""
    if counts.games == 0:
        return 0.0
    games, mean, variance = _mean_and_variance(counts)
    s0, s1 = elo_to_score(elo0), elo_to_score(elo1)
    return games * (s1 - s0) * (2 * mean - s0 - s1) / (2 * variance)


def sprt_state(counts: Counts, params: SprtParams) -> SprtState:
    """Both tests' LLRs and the decision they reach, if any, after `counts`."""
    lower, upper = wald_bounds(params.alpha, params.beta)
    better = gsprt_llr(counts, params.elo0, params.elo1)
    worse = gsprt_llr(counts, -params.elo0, -params.elo1)
    return SprtState(better, worse, lower, upper, _decide(counts, params, better, worse))


def _decide(counts: Counts, params: SprtParams, better: float, worse: float) -> Decision | None:
    if counts.games == 0 or counts.games % PAIR:
        return None
    lower, upper = wald_bounds(params.alpha, params.beta)
    if better >= upper:
        return Decision.BETTER
    if worse >= upper:
        return Decision.WORSE
    if better <= lower and worse <= lower:
        return Decision.EQUAL
    if counts.games >= params.max_games:
        return Decision.INCONCLUSIVE
    return None


def elo_estimate(counts: Counts) -> EloEstimate | None:
    """A's Elo difference over B from its mean score, with a 95% interval (normal
    approximation of the mean score); None before the first game."""
    if counts.games == 0:
        return None
    games, mean, variance = _mean_and_variance(counts)
    margin = Z_95 * math.sqrt(variance / games)
    return EloEstimate(
        elo=score_to_elo(mean),
        low=score_to_elo(mean - margin),
        high=score_to_elo(mean + margin),
    )
