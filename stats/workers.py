"""Workers' heartbeats: each Celery worker notes when it starts and after every task it ran,
so /metrics can tell a live worker from a silent one (gamearena/metrics.py).

Celery's own heartbeats are events, sent only when events are enabled and read only by an
event consumer; a row per worker in the database is visible to every web process.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import task_postrun, worker_ready

logger = logging.getLogger(__name__)


def _beat(hostname: str | None) -> None:
    if not hostname:  # a task run eagerly, in the caller's process: no worker to note
        return
    from stats.services import worker_heartbeat_record

    try:
        worker_heartbeat_record(hostname=hostname)
    except Exception:  # a heartbeat must never fail the task it follows
        logger.exception("worker %s: its heartbeat was not recorded", hostname)


def on_worker_ready(sender: Any = None, **_: Any) -> None:
    _beat(getattr(sender, "hostname", None))


def on_task_postrun(sender: Any = None, **_: Any) -> None:
    request = getattr(sender, "request", None)
    if request is not None and not getattr(request, "is_eager", False):
        _beat(getattr(request, "hostname", None))


def connect() -> None:
    worker_ready.connect(on_worker_ready, weak=False, dispatch_uid="stats.worker_ready")
    task_postrun.connect(on_task_postrun, weak=False, dispatch_uid="stats.task_postrun")
