# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""A contest-style bot: imports numpy at start-up, as real contest bots do, and computes with it."""

import sys

import numpy as np

for line in sys.stdin:
    print("sum", int(np.arange(int(line)).sum()), flush=True)
