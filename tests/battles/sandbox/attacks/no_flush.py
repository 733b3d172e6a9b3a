# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

for line in sys.stdin:
    sys.stdout.write("got " + line)  # never flushes: -u must make this reach the referee
