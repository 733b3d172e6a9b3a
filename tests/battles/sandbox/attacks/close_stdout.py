# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import os
import sys
import time

sys.stdin.readline()
os.close(1)
time.sleep(30)
