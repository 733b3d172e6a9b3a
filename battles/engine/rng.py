"""``java.util.Random``, bit for bit, so CodinGame seeds give its maps (docs/rules.md §3.2)."""

from __future__ import annotations

TYPE_CHECKING = False  # start-up time: see records.py
if TYPE_CHECKING:
    from typing import Final

# Final: the compiled build (native.py) inlines them instead of reading module globals.
_MULTIPLIER: Final = 0x5DEECE66D
_MASK: Final = (1 << 48) - 1
_LOW: Final = (1 << 24) - 1


def _advance(state: int) -> int:
    """``(state * 0x5DEECE66D + 0xB) mod 2**48`` with no product beyond 60 bits.

    The plain product has 83 bits: an arbitrary-precision multiplication for the interpreter
    and a slow path for compiled code. With state = high * 2**24 + low, only high * M mod 2**24
    matters of the high half.
    """
    high, low = state >> 24, state & _LOW
    return (low * _MULTIPLIER + ((high * _MULTIPLIER & _LOW) << 24) + 0xB) & _MASK


class JavaRandom:
    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = (seed ^ _MULTIPLIER) & _MASK

    def next_bits(self, bits: int) -> int:
        self._state = _advance(self._state)
        value = self._state >> (48 - bits)
        # Java reads the result as a signed 32-bit int (only visible for bits == 32).
        return value - (1 << 32) if value >= 1 << 31 else value

    def next_int(self, bound: int) -> int:
        """Uniform in [0, bound), with Java's rejection rule for non-powers of two."""
        if bound <= 0:
            raise ValueError("bound must be positive")
        if bound & -bound == bound:
            return (bound * self.next_bits(31)) >> 31
        while True:
            bits = self.next_bits(31)
            value = bits % bound
            # Java rejects the draw when bits - value + (bound - 1) overflows a signed int.
            if bits - value + (bound - 1) < 1 << 31:
                return value

    def shuffle[T](self, items: list[T]) -> None:
        """``Collections.shuffle(list, random)`` for a random-access list.

        ``next_int`` inlined (map generation shuffles thousands of times per game): the state
        stays in a local and ``next_bits(31)`` is ``state >> 17``, never negative.
        """
        state = self._state
        for i in range(len(items), 1, -1):
            state = _advance(state)
            if i & -i == i:
                j = (i * (state >> 17)) >> 31
            else:
                bits = state >> 17
                j = bits % i
                while bits - j + (i - 1) >= 1 << 31:  # Java's rejection rule, as in next_int
                    state = _advance(state)
                    bits = state >> 17
                    j = bits % i
            items[i - 1], items[j] = items[j], items[i - 1]
        self._state = state
