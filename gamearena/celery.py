"""The Celery app: workers that play battles (battles/tasks.py). Configured from Django's
settings (the CELERY_* names in gamearena/settings.py): one place for brokers and time limits.

Run a worker with ``celery -A gamearena worker`` (the README's run command starts one, with the
periodic sweep, beside the web server).
"""

from __future__ import annotations

import os

from celery import Celery

from gamearena import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamearena.settings")

broker.register()  # the embedded default's filesystem broker writes messages atomically
app = Celery("gamearena")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
