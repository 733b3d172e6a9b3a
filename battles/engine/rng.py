"""``java.util.Random``, bit for bit (spec 3.2): CodinGame seeds must give the referee's maps."""

from __future__ import annotations

_MULTIPLIER = 0x5DEECE66D
_MASK = (1 << 48) - 1


class JavaRandom:
    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = (seed ^ _MULTIPLIER) & _MASK

    def next_bits(self, bits: int) -> int:
        self._state = (self._state * _MULTIPLIER + 0xB) & _MASK
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
            state = (state * _MULTIPLIER + 0xB) & _MASK
            if i & -i == i:
                j = (i * (state >> 17)) >> 31
            else:
                bits = state >> 17
                j = bits % i
                while bits - j + (i - 1) >= 1 << 31:  # Java's rejection rule, as in next_int
                    state = (state * _MULTIPLIER + 0xB) & _MASK
                    bits = state >> 17
                    j = bits % i
            items[i - 1], items[j] = items[j], items[i - 1]
        self._state = state
