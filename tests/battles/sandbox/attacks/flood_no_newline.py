# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
for _ in range(8000):  # 500 MiB at most, without a single newline
    sys.stdout.write("x" * 65536)
