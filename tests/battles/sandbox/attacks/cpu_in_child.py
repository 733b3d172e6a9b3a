# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""Does its turn's work in a child process that has ended (and been reaped) before it answers."""

import os
import sys
import time

for _line in sys.stdin:
    child = os.fork()
    if child == 0:
        end = time.process_time() + 0.060
        while time.process_time() < end:
            pass
        os._exit(0)
    os.waitpid(child, 0)
    print("done", flush=True)
