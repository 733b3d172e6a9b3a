"""The 200 benchmark games (docs/benchmark.md) reproduce the referee's outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from battles.engine.benchmark import play_benchmark_game, read_expected, summarize

# The referee's outcome for every game of the workload (docs/benchmark.md §4).
LOCAL_TSV = Path(__file__).parent / "benchmark-games.tsv"


@pytest.mark.parametrize("variant", ["full", "rules"])
def test_every_benchmark_game_reproduces_its_referee_row(variant: str) -> None:
    expected = read_expected(LOCAL_TSV.read_text())
    assert sorted(expected) == list(range(1, 201))
    played = {seed: summarize(seed, play_benchmark_game(seed, variant)) for seed in expected}
    mismatches = [(played[seed], row) for seed, row in expected.items() if played[seed] != row]
    assert mismatches == []


def test_benchmark_totals_match_the_spec() -> None:
    expected = read_expected(LOCAL_TSV.read_text())
    assert sum(row.turns for row in expected.values()) == 33092
    assert sum(row.frames for row in expected.values()) == 33175
