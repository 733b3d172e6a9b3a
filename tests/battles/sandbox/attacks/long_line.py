# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
sys.stdout.write("1" * 10_000_000 + "\n")  # a 10 MB "number": legal text, absurd size
sys.stdin.readline()
