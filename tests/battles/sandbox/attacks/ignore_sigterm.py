# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
sys.stdin.readline()
print("ready")
time.sleep(30)
