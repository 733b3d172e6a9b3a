"""A rating chart's geometry, for an inline SVG drawn by the server (no script needed).

Pure arithmetic: points in, coordinates out; the template only draws them. The line is the
conservative score (mu - 3 sigma, the leaderboard's order), with mu dashed above it; a dashed
vertical marks where each version's battles begin, labelled with the version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 220
# Room for the axis labels on the left and the version labels on top.
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 22, 16
TICKS = 4


@dataclass(frozen=True)
class RatingPoint:
    version_number: int
    mu: float
    sigma: float

    @property
    def conservative(self) -> float:
        return self.mu - 3 * self.sigma


@dataclass(frozen=True)
class VersionMark:
    x: float
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class RatingChart:
    width: int
    height: int
    line: str  # SVG "points" of the conservative score
    mu_line: str
    versions: list[VersionMark]
    ticks: list[Tick]
    points: int
    low: float
    high: float


def rating_chart(points: Sequence[RatingPoint]) -> RatingChart | None:
    """The chart of `points`, oldest first; None when there is nothing to draw."""
    if not points:
        return None
    values = [p.conservative for p in points] + [p.mu for p in points]
    low, high = min(values), max(values)
    if high - low < 1e-9:  # a flat line still needs a scale
        low, high = low - 1, high + 1

    def x(index: int) -> float:
        span = max(1, len(points) - 1)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * index / span, 1)

    def y(value: float) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low), 1)

    def polyline(values: Sequence[float]) -> str:
        return " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))

    return RatingChart(
        width=WIDTH,
        height=HEIGHT,
        line=polyline([p.conservative for p in points]),
        mu_line=polyline([p.mu for p in points]),
        versions=[
            VersionMark(x(i), f"v{p.version_number}")
            for i, p in enumerate(points)
            if i == 0 or points[i - 1].version_number != p.version_number
        ],
        ticks=[
            Tick(y(value), f"{value:.1f}")
            for value in (low + (high - low) * step / TICKS for step in range(TICKS + 1))
        ],
        points=len(points),
        low=low,
        high=high,
    )
