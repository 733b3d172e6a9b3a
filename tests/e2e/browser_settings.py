"""The served settings for the browser tests: battles are played as they are asked for.

The run command plays battles in a separate worker process; here the web process plays them
itself (Celery eager), so a battle requested in the browser is finished when its page opens,
without a worker to start and wait for. Bots run in the plain-process sandbox, allowed
explicitly: the browser tests are about pages, and run on machines without bubblewrap.
"""

from __future__ import annotations

from tests.e2e.served_settings import *  # noqa: F403
from tests.e2e.served_settings import GAMEARENA

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
GAMEARENA = {**GAMEARENA, "SANDBOX_MODE": "none", "ALLOW_UNSAFE_SANDBOX": True}
