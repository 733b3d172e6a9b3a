"""The walls of a map and everything derived from them once (neighbours, sight rays, paths).

Walls never change during a game, so every query here is cached: one path-search tree per start
cell answers every goal, and each cell's four sight rays are computed once.
"""

from __future__ import annotations

TYPE_CHECKING = False  # start-up time: see records.py
if TYPE_CHECKING:
    from collections.abc import Sequence

Cell = int  # y * width + x


class Grid:
    __slots__ = (
        "_column_pattern",
        "_columns",
        "_distances",
        "_rays",
        "_trees",
        "_views",
        "floor",
        "height",
        "neighbours",
        "rows",
        "width",
    )

    def __init__(self, rows: Sequence[str]) -> None:
        if not rows or any(len(row) != len(rows[0]) for row in rows):
            raise ValueError("a map needs rows of equal length")
        self.width = len(rows[0])
        self.height = len(rows)
        # Anything but '#' is floor; generated maps are drawn with '#' and ' ' only already.
        self.rows = tuple(
            row if not row.strip("# ") else "".join("#" if c == "#" else " " for c in row)
            for row in rows
        )
        self.floor = tuple([c == " " for c in "".join(self.rows)])
        self.neighbours = self._all_neighbours()
        # Per-cell caches are lists indexed by cell, not dicts: no hashing, and compiled code
        # indexes a list with a machine int.
        size = len(self.floor)
        self._rays: list[tuple[Cell, ...] | None] = [None] * size
        self._views: list[tuple[tuple[Cell, ...], int] | None] = [None] * size
        self._columns = ["".join(column) for column in zip(*self.rows, strict=True)]
        # One bit per row in column 0: shifted and cut, the cells of any vertical run.
        self._column_pattern = sum(1 << (y * self.width) for y in range(self.height))
        self._trees: list[_SearchTree | None] = [None] * size
        self._distances: list[_DistanceSearch | None] = [None] * size

    def cell(self, x: int, y: int) -> Cell:
        return y * self.width + x

    def xy(self, cell: Cell) -> tuple[int, int]:
        return cell % self.width, cell // self.width

    def floor_cells(self) -> list[Cell]:
        """All floor cells in row-major order."""
        return [cell for cell, is_floor in enumerate(self.floor) if is_floor]

    def _all_neighbours(self) -> tuple[tuple[Cell, ...], ...]:
        """Floor neighbours of every floor cell (walls get none), in the referee's order:
        left, right, up, down; horizontal wrap, no vertical wrap."""
        w, floor = self.width, self.floor
        size = len(floor)
        neighbours: list[tuple[Cell, ...]] = []
        for cell, is_floor in enumerate(floor):
            if not is_floor:
                neighbours.append(())
                continue
            x = cell % w
            row = cell - x
            around = [row + (x - 1) % w, row + (x + 1) % w]
            if cell >= w:
                around.append(cell - w)
            if cell + w < size:
                around.append(cell + w)
            neighbours.append(tuple([c for c in around if floor[c]]))
        return tuple(neighbours)

    def distance(self, a: Cell, b: Cell) -> int:
        """The referee's wrap-aware Manhattan distance (used only to pick fallback targets)."""
        return _wrap_distance(a, b, self.width)

    def sight(self, cell: Cell) -> tuple[Cell, ...]:
        """Cells seen from ``cell``: rays left, right, up, down, near to far (docs/rules.md §7).

        A fully open row is seen twice (left and right rays); callers keep the first sighting.
        """
        seen = self._rays[cell]
        if seen is None:
            seen = (
                self._ray(cell, -1, 0)
                + self._ray(cell, 1, 0)
                + self._ray(cell, 0, -1)
                + self._ray(cell, 0, 1)
            )
            self._rays[cell] = seen
        return seen

    def _ray(self, start: Cell, dx: int, dy: int) -> tuple[Cell, ...]:
        w, h = self.width, self.height
        x, y = start % w, start // w
        seen: list[Cell] = []
        while True:
            x, y = (x + dx) % w, y + dy
            if not 0 <= y < h:
                return tuple(seen)
            cell = y * w + x
            if cell == start or not self.floor[cell]:
                return tuple(seen)
            seen.append(cell)

    def view(self, cell: Cell) -> tuple[tuple[Cell, ...], int]:
        """``sight(cell)`` without repeats, and a bit mask of those cells and ``cell`` itself."""
        view = self._views[cell]
        if view is None:
            view = self._views[cell] = self._make_view(cell)
        return view

    def _make_view(self, cell: Cell) -> tuple[tuple[Cell, ...], int]:
        # Rendering asks for a new cell's view most turns, so the common case is computed from
        # the wall positions in its row and column (str.find) instead of walking cell by cell.
        # A row without a wall on one side wraps around: that rare case takes the walk.
        w = self.width
        x, y = cell % w, cell // w
        row = self.rows[y]
        wall_left, wall_right = row.rfind("#", 0, x), row.find("#", x + 1)
        if wall_left < 0 or wall_right < 0:
            rays = tuple(dict.fromkeys(self.sight(cell)))
            mask = 1 << cell
            for near in rays:
                mask |= 1 << near
            return rays, mask
        column = self._columns[x]
        wall_up, wall_down = column.rfind("#", 0, y), column.find("#", y + 1)
        base = cell - x
        up = range(cell - w, wall_up * w + x if wall_up >= 0 else x - w, -w)
        down = range(cell + w, wall_down * w + x if wall_down >= 0 else self.height * w + x, w)
        rays = (
            *range(cell - 1, base + wall_left, -1),
            *range(cell + 1, base + wall_right),
            *up,
            *down,
        )
        # The row part is contiguous: one run of bits from after the left wall to the right one.
        # The column part, from below the upper wall to above the lower one, is a slice of the
        # column pattern (one bit per row) shifted to this column: no bit is set one by one.
        mask = ((1 << (wall_right - wall_left - 1)) - 1) << (base + wall_left + 1)
        top = wall_up + 1  # rows top..bottom-1 are seen (the pac's own row included)
        bottom = wall_down if wall_down >= 0 else self.height
        vertical = self._column_pattern & ((1 << ((bottom - top) * w)) - 1)
        return rays, mask | vertical << (top * w + x)

    def intended_path(self, start: Cell, target: Cell, speed: int) -> tuple[Cell, ...]:
        """The first ``speed`` steps of the referee's path from ``start`` towards ``target``.

        Only equally short alternatives make the referee's queue order matter (about 4% of
        queries in the benchmark), so a breadth-first distance map from the target answers the
        forced cases and the search tree of ``start`` settles the rest.
        """
        if self.floor[target]:
            search = self._distances[target]
            if search is None:
                search = self._distances[target] = _DistanceSearch(self.neighbours, target)
            dist = search.dist
            left = dist[start] if dist[start] >= 0 else search.reach(start)
            if left > 0:
                first = _only_step(self.neighbours[start], dist, left - 1)
                if first >= 0:
                    if speed == 1 or left == 1:
                        return (start, first)
                    second = _only_step(self.neighbours[first], dist, left - 2)
                    if second >= 0:
                        return (start, first, second)
        return self._tree_path(start, target, speed)

    def _tree(self, start: Cell) -> _SearchTree:
        """The referee's search from ``start``, made on first use and resumed after."""
        tree = self._trees[start]
        if tree is None:
            tree = self._trees[start] = _SearchTree(self.neighbours, self.width, start)
        return tree

    def _tree_path(self, start: Cell, target: Cell, speed: int) -> tuple[Cell, ...]:
        tree = self._tree(start)
        goal = tree.goal_for(target)
        if goal == start:
            return (start,)
        # Walk the parent chain back from the goal to the cell right after the start.
        parent = tree.parent
        cell = second = goal
        while (via := parent[cell]) != start:
            second, cell = cell, via
        if speed == 1 or cell == goal:
            return (start, cell)
        return (start, cell, second)

    def path(self, start: Cell, target: Cell) -> list[Cell]:
        """The referee's full path, with the fallback to the nearest cell (docs/rules.md §6.5)."""
        tree = self._tree(start)
        cell = tree.goal_for(target)
        cells = [cell]
        while cell != start:
            cell = tree.parent[cell]
            cells.append(cell)
        return cells[::-1]


class _DistanceSearch:
    """Breadth-first distances to one target, grown only as far as needed.

    The search is a queue of cells in the order they were reached; a query expands it until its
    cell has a distance. When a cell is first reached at distance d, every cell at distance
    d - 1 already has its distance, which is all a query needs; later queries (a pac closing
    in) are mostly answered already. One growing list, no list per level.
    """

    __slots__ = ("_head", "_neighbours", "_queue", "dist")

    def __init__(self, neighbours: tuple[tuple[Cell, ...], ...], target: Cell) -> None:
        self._neighbours = neighbours
        self.dist = [-1] * len(neighbours)
        self.dist[target] = 0
        self._queue = [target]
        self._head = 0  # the next cell of the queue to expand

    def reach(self, cell: Cell) -> int:
        """The distance of ``cell`` (-1: unreachable), extending the search if needed."""
        dist, neighbours, queue = self.dist, self._neighbours, self._queue
        head = self._head
        while dist[cell] < 0 and head < len(queue):
            here = queue[head]
            head += 1
            further = dist[here] + 1
            for near in neighbours[here]:
                if dist[near] < 0:
                    dist[near] = further
                    queue.append(near)
        self._head = head
        return dist[cell]


def _only_step(around: tuple[Cell, ...], dist: list[int], wanted: int) -> Cell:
    """The one neighbour at distance ``wanted``, or -1 when there are several."""
    found = -1
    for near in around:
        if dist[near] == wanted:
            if found >= 0:
                return -1
            found = near
    return found


class _SearchTree:
    """The referee's search from one start cell, resumable goal after goal.

    The referee searches with a ``java.util.PriorityQueue`` keyed by path length and stops when it
    pops the goal. Keys never depend on the goal, so the sequence of pops is the same for every
    goal: we run it once, pausing when the requested goal is popped, and record for every closed
    cell its parent (paths are read back from the goal) and the expansion order (for fallbacks).
    """

    __slots__ = (
        "_cell_bits",
        "_fallback",
        "_heap",
        "_neighbours",
        "_width",
        "order",
        "parent",
        "start",
    )

    def __init__(self, neighbours: tuple[tuple[Cell, ...], ...], width: int, start: Cell) -> None:
        size = len(neighbours)
        # Not the Grid itself: the grid keeps its trees, and a cycle would leave every finished
        # game's caches to the cycle collector instead of freeing them at once.
        self._neighbours = neighbours
        self._width = width
        self.start = start
        self.parent = [-2] * size  # -2: not closed yet; -1: the start
        self.order: list[Cell] = []
        # Entries laid out exactly as in Java's PriorityQueue array, each one int:
        # key << 2b | cell << b | (parent cell + 1), b bits per cell. Ints, unlike tuples, cost
        # no tuple allocation and nothing for the garbage collector to track.
        self._cell_bits = bits = size.bit_length()
        self._heap: list[int] = [start << bits]  # key 0, parent -1
        self._fallback: dict[Cell, Cell] = {}

    def goal_for(self, target: Cell) -> Cell:
        """``target`` when reachable, otherwise the referee's nearest reachable cell."""
        if self.parent[target] != -2 or self._search_until(target):
            return target
        nearest = self._fallback.get(target)
        if nearest is None:
            width = self._width
            nearest = self.start
            best = _wrap_distance(nearest, target, width)
            for cell in self.order:  # expansion order: ties go to the cell expanded first
                d = _wrap_distance(cell, target, width)
                if d < best:
                    nearest, best = cell, d
            self._fallback[target] = nearest
        return nearest

    def _search_until(self, goal: Cell) -> bool:
        """Pop entries until ``goal`` is closed (True) or the heap is empty (False).

        Hot loop, so ``PriorityQueue.poll`` is inlined. ``offer`` needs no sift-up: a pushed key
        is the popped key + 1, the largest key the heap can hold, and Java only moves an entry
        up past a strictly greater parent. For the same reason the heap only ever holds two
        keys, the top's and the next one: a last entry with the top's key stays at the root.
        Only keys are compared (``entry >> key_shift``), as Java's comparator does.
        """
        heap, parent = self._heap, self.parent
        order, neighbours = self.order, self._neighbours
        bits = self._cell_bits
        key_shift, low = 2 * bits, (1 << bits) - 1
        while heap:
            top = heap[0]
            last = heap.pop()
            size = len(heap)
            if size:
                key, i, half = last >> key_shift, 0, size >> 1
                if key == top >> key_shift:
                    half = 0  # no child can be smaller
                while i < half:  # sift the last entry down from the root
                    c = 2 * i + 1
                    child = heap[c]
                    if c + 1 < size and child >> key_shift > heap[c + 1] >> key_shift:
                        c += 1
                        child = heap[c]
                    if key <= child >> key_shift:
                        break
                    heap[i] = child
                    i = c
                heap[i] = last
            cell = top >> bits & low
            if parent[cell] != -2:
                continue
            parent[cell] = (top & low) - 1
            order.append(cell)
            pushed = ((top >> key_shift) + 1) << key_shift | (cell + 1)
            for near in neighbours[cell]:
                if parent[near] == -2:
                    heap.append(pushed | near << bits)
            if cell == goal:
                return True
        return False


def _wrap_distance(a: Cell, b: Cell, width: int) -> int:
    ax, ay, bx, by = a % width, a // width, b % width, b // width
    return abs(ay - by) + min(abs(ax - bx), ax + width - bx, bx + width - ax)
