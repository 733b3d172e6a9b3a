"""stats.charts: the rating chart's geometry, drawn as an inline SVG by the bot page."""

from __future__ import annotations

from stats.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, RatingPoint, rating_chart


def coordinates(line: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (point.split(",") for point in line.split())]


def test_no_rated_battle_draws_no_chart() -> None:
    assert rating_chart([]) is None


def test_the_line_spans_the_plot_with_the_highest_value_on_top() -> None:
    chart = rating_chart(
        [RatingPoint(1, mu=25, sigma=8), RatingPoint(1, mu=30, sigma=4), RatingPoint(2, 35, 2)]
    )

    assert chart is not None
    line = coordinates(chart.line)  # conservative: 1, 18, 29
    assert [x for x, _ in line] == [LEFT, (LEFT + WIDTH - RIGHT) / 2, WIDTH - RIGHT]
    assert line[0][1] == HEIGHT - BOTTOM  # the lowest value, conservative 1, at the bottom
    assert coordinates(chart.mu_line)[-1][1] == TOP  # the highest, mu 35, at the top
    assert line[0][1] > line[1][1] > line[2][1]  # rising ratings go up
    assert (chart.low, chart.high) == (1, 35)


def test_each_version_is_marked_where_its_battles_begin() -> None:
    chart = rating_chart([RatingPoint(v, 25, 5) for v in (1, 1, 3, 3, 4)])

    assert chart is not None
    xs = [x for x, _ in coordinates(chart.line)]
    assert [(mark.x, mark.label) for mark in chart.versions] == [
        (xs[0], "v1"),
        (xs[2], "v3"),
        (xs[4], "v4"),
    ]


def test_a_single_flat_point_still_has_a_scale() -> None:
    chart = rating_chart([RatingPoint(1, mu=25, sigma=0)])

    assert chart is not None
    assert chart.high > chart.low
    assert [tick.label for tick in chart.ticks] == ["24.0", "24.5", "25.0", "25.5", "26.0"]
