"""GameArena's project package: settings, URLs, the Celery app (loaded with Django, so that
``@shared_task`` functions bind to it in every process)."""

from __future__ import annotations

from gamearena.celery import app as celery_app

__all__ = ["celery_app"]
