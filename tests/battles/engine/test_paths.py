"""Paths (docs/rules.md §6.5): the fast distance-map answer always equals the referee's search."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from battles.engine import Grid, generate


def referee_intended_path(grid: Grid, start: int, target: int, speed: int) -> tuple[int, ...]:
    path = grid.path(start, target)
    return tuple(path[: min(speed, len(path) - 1) + 1])


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.integers(0, 2**32))
def test_intended_path_equals_the_first_cells_of_the_searched_path(seed: int, pick: int) -> None:
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
            grid, start, target, speed
        )


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


@pytest.mark.parametrize("seed", [1, 2, 3, 42, -5, 123456789])
def test_view_is_sight_without_repeats_and_its_mask(seed: int) -> None:
    grid = generate(seed).grid
    for cell in grid.floor_cells():
        rays, mask = grid.view(cell)
        assert rays == tuple(dict.fromkeys(grid.sight(cell)))
        assert mask == sum(1 << near for near in {cell, *rays})


def test_view_of_a_fully_open_row_wraps_once() -> None:
    grid = Grid(["#####", "     ", "#####"])
    rays, mask = grid.view(grid.cell(1, 1))
    assert [grid.xy(near) for near in rays] == [(0, 1), (4, 1), (3, 1), (2, 1)]
    assert mask == sum(1 << grid.cell(x, 1) for x in range(5))


class _JavaQueue:
    """java.util.PriorityQueue as docs/rules.md §6.5 describes it: a literal port, kept plain."""

    def __init__(self) -> None:
        self.heap: list[tuple[int, int, int]] = []  # (key, cell, index of the parent entry)

    def push(self, entry: tuple[int, int, int]) -> None:
        heap = self.heap
        heap.append(entry)
        i = len(heap) - 1
        while i > 0 and entry[0] < heap[(i - 1) // 2][0]:
            heap[i] = heap[(i - 1) // 2]
            i = (i - 1) // 2
        heap[i] = entry

    def pop(self) -> tuple[int, int, int]:
        heap = self.heap
        top, last = heap[0], heap.pop()
        if heap:
            i, size = 0, len(heap)
            while i < size // 2:
                c = 2 * i + 1
                if c + 1 < size and heap[c][0] > heap[c + 1][0]:
                    c += 1
                if last[0] <= heap[c][0]:
                    break
                heap[i] = heap[c]
                i = c
            heap[i] = last
        return top


def _referee_search(grid: Grid, start: int, goal: int) -> tuple[list[int] | None, int]:
    """The referee's ``search`` (docs/rules.md §6.5): the path to ``goal`` (None if unreachable)
    and ``nearest``."""
    queue, closed, nearest = _JavaQueue(), set(), start
    entries: list[tuple[int, int]] = []  # (cell, parent entry index) of every pushed entry
    entries.append((start, -1))
    queue.push((0, start, 0))
    while queue.heap:
        key, cell, index = queue.pop()
        if cell == goal:
            path = []
            while index >= 0:
                path.append(entries[index][0])
                index = entries[index][1]
            return path[::-1], nearest
        if cell in closed:
            continue
        closed.add(cell)
        for near in grid.neighbours[cell]:
            if near not in closed:
                entries.append((near, index))
                queue.push((key + 1, near, len(entries) - 1))
        if grid.distance(cell, goal) < grid.distance(nearest, goal):
            nearest = cell
    return None, nearest


def _referee_path(grid: Grid, start: int, target: int) -> list[int]:
    path, nearest = _referee_search(grid, start, target)
    if path is None:
        path, _ = _referee_search(grid, start, nearest)
    assert path is not None
    return path


@pytest.mark.parametrize("seed", [1, 7, 42, -5, 2**40 + 3])
def test_paths_equal_a_literal_port_of_the_referee_search(seed: int) -> None:
    grid = generate(seed).grid
    rnd = random.Random(seed)
    floor = grid.floor_cells()
    for _ in range(150):
        start = rnd.choice(floor)
        target = rnd.randrange(len(grid.floor))  # walls included: those fall back
        expected = _referee_path(grid, start, target)
        assert grid.path(start, target) == expected
        for speed in (1, 2):
            wanted = tuple(expected[: min(speed, len(expected) - 1) + 1])
            assert grid.intended_path(start, target, speed) == wanted
