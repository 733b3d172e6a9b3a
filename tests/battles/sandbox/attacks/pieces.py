# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys
import time

sys.stdin.readline()
for piece in ("MO", "VE 0 ", "1 2\r", "\n"):  # one line, arriving in four reads
    sys.stdout.write(piece)
    time.sleep(0.02)
sys.stdin.readline()
