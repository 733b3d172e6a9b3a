# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import sys
import time

sys.stdin.readline()
print("first")
sys.stdin.readline()
time.sleep(30)
