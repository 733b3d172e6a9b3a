# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""Answers its first turn, then busy-loops on the second: over any CPU budget."""

import sys
import time

sys.stdin.readline()
print("first", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    pass
