# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

for _ in sys.stdin:
    for _ in range(160):  # 10 MiB of stderr per turn, then a proper answer
        sys.stderr.write("e" * 65536)
    print("done")
