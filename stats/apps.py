from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Ladder statistics"

    def ready(self) -> None:
        from stats import workers

        workers.connect()  # workers' heartbeats, for /metrics
