# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys
import time

sys.stdin.readline()
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    pass
