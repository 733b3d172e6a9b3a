# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
import time

time.sleep(30)  # never reads stdin: the referee's writes back up
