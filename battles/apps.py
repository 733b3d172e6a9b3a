from __future__ import annotations

from django.apps import AppConfig


class BattlesConfig(AppConfig):
    name = "battles"
    verbose_name = "Battles"

    def ready(self) -> None:
        # Importing registers the sandbox and engine system checks (gamearena.E001-E004, W001,
        # W004).
        from battles import checks  # noqa: F401
