# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""A well-behaved multi-file bot: answers every line with its echo, via a sibling module."""

import sys

from helper import answer

for line in sys.stdin:
    print(answer(line.rstrip("\n")))
