# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import json
import sys
import time

config = json.loads(sys.stdin.readline())
time.sleep(config["sleep"])  # stands for heavy imports or precomputation before the first answer
print("ready")
sys.stdin.readline()
