# mypy: ignore-errors
# (run by the bots' interpreter inside the sandbox, not project code)
"""Says which Python runs bots and which of the libraries contest bots import it offers."""

import json
import sys

found = {"python": sys.version.split()[0]}
try:
    import numpy

    found["numpy"] = numpy.__version__
except ImportError as error:
    found["numpy"] = None
    found["error"] = str(error)
sys.stdin.readline()
print(json.dumps(found))
