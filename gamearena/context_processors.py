"""What every page's frame (templates/base.html) needs, whichever view rendered it."""

from __future__ import annotations

from django.http import HttpRequest

from gamearena.env import arena_settings


def site(request: HttpRequest) -> dict[str, object]:
    # The warning belongs on every page, not only the leaderboard: it is about the instance.
    return {"unsafe_sandbox": arena_settings()["SANDBOX_MODE"] == "none"}
