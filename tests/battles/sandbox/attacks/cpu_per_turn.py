# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""A fair bot: spends about 10 ms of its own CPU time on every turn, then answers."""

import sys
import time

for line in sys.stdin:
    end = time.process_time() + 0.010
    while time.process_time() < end:
        pass
    print("done", line.strip(), flush=True)
