# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys

sys.stdin.readline()
sys.stderr.write("giving up\n")
sys.exit(3)
