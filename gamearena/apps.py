from __future__ import annotations

from django.apps import AppConfig


class GameArenaConfig(AppConfig):
    name = "gamearena"
    verbose_name = "GameArena"

    def ready(self) -> None:
        # Importing registers the system checks (gamearena.E0xx / W0xx).
        from gamearena import checks  # noqa: F401
