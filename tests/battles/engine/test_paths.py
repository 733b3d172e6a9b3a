"""Paths (spec 6.5): the fast distance-map answer always equals the referee's queue search."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from battles.engine import Grid, generate


def referee_intended_path(grid: Grid, start: int, target: int, speed: int) -> tuple[int, ...]:
    path = grid.path(start, target)
    return tuple(path[:min(speed, len(path) - 1) + 1])


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.integers(0, 2**32))
def test_intended_path_equals_the_first_cells_of_the_searched_path(seed: int,
                                                                   pick: int) -> None:
    grid = generate(seed).grid
    rnd = random.Random(pick)
    floor = grid.floor_cells()
    for _ in range(300):
        start = rnd.choice(floor)
        target = rnd.randrange(len(grid.floor))  # walls included: those fall back
        if target == start:
            continue
        speed = rnd.choice((1, 2))
        assert grid.intended_path(start, target, speed) == referee_intended_path(
            grid, start, target, speed)


def test_search_ties_follow_the_java_priority_queue_not_bfs() -> None:
    rows = ["#####", "#   #", "#   #", "#   #", "#####"]
    grid = Grid(rows)
    path = grid.path(grid.cell(2, 1), grid.cell(1, 3))
    assert [grid.xy(cell) for cell in path] == [(2, 1), (2, 2), (2, 3), (1, 3)]
    assert grid.intended_path(grid.cell(2, 1), grid.cell(1, 3), 2) == tuple(path[:3])


def test_unreachable_target_heads_for_the_nearest_cell_expanded_first() -> None:
    grid = Grid(["#########", "#    #  #", "#### ####", "#       #", "#########"])
    path = grid.path(grid.cell(1, 1), grid.cell(6, 1))
    assert [grid.xy(cell) for cell in path] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    wall = grid.cell(0, 0)
    assert grid.intended_path(grid.cell(4, 1), wall, 1)[0] == grid.cell(4, 1)


def test_sight_rays_wrap_and_stop_at_walls_or_back_home() -> None:
    grid = Grid(["#####", "     ", "#####"])
    seen = [grid.xy(cell) for cell in grid.sight(grid.cell(2, 1))]
    assert seen == [(1, 1), (0, 1), (4, 1), (3, 1), (3, 1), (4, 1), (0, 1), (1, 1)]
