# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
sys.stdout.write("MOVE 0 1 2\x00\x1b[31mred\x1b[0m\r\n")
sys.stdin.readline()
