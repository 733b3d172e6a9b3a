# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
sys.stdout.buffer.write(b"\xff\xfe\x00garbage\n")
sys.stdin.readline()
