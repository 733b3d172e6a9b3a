# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
sys.stdout.write("a\nb\nc\n")  # three answers at once: one per turn, as on CodinGame
for _ in sys.stdin:
    pass
