"""System checks of the battles app: may bots be run here, and how fast.

The ids keep their gamearena.* prefix: ids are a contract (deployments silence or watch them),
so moving a check to the app it belongs to does not rename it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from gamearena.env import arena_settings


@register(Tags.security)
def check_sandbox_mode(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    arena = arena_settings()
    if arena["SANDBOX_MODE"] != "none":
        return []
    if not (settings.DEBUG or arena["ALLOW_UNSAFE_SANDBOX"]):
        return [
            Error(
                "GAMEARENA_SANDBOX=none runs uploaded bot code without bubblewrap.",
                hint="Use the bwrap sandbox, or set DEBUG=1 (development) or "
                "GAMEARENA_ALLOW_UNSAFE_SANDBOX=1 if you only run your own bots.",
                id="gamearena.E001",
            )
        ]
    return [
        Warning(
            "UNSAFE: bots run WITHOUT bubblewrap (GAMEARENA_SANDBOX=none); only rlimits "
            "separate them from this server. Every match records this.",
            hint="Install bubblewrap and unset GAMEARENA_SANDBOX before running others' bots.",
            id="gamearena.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_sandbox_for_deploy(
    app_configs: Sequence[Any] | None, **kwargs: Any
) -> list[CheckMessage]:
    arena = arena_settings()
    if arena["SANDBOX_MODE"] == "none":
        return [
            Error(
                "A deployment must not run bots with GAMEARENA_SANDBOX=none.",
                hint="Install bubblewrap and use the default bwrap sandbox.",
                id="gamearena.E002",
            )
        ]
    if shutil.which("bwrap") is None:
        return [
            Error(
                "bubblewrap (bwrap) is not installed: no match can be played.",
                hint="apt-get install bubblewrap, then run manage.py sandbox_check.",
                id="gamearena.E003",
            )
        ]
    return []


@register()
def check_bot_interpreter(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    interpreter = arena_settings()["BOT_PYTHON"]
    if os.path.isabs(interpreter) and os.access(interpreter, os.X_OK):
        return []
    return [
        Error(
            f"GAMEARENA_BOT_PYTHON={interpreter!r} is not an executable absolute path.",
            hint="Point it at a system interpreter under /usr, e.g. /usr/bin/python3.",
            id="gamearena.E004",
        )
    ]


@register("gamearena", deploy=True)
def check_engine_build(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """The engine is correct either way; a deployment should not run at half speed unknowingly."""
    from battles.engine import native

    status = native.status()
    if status.compiled:
        return []
    return [
        Warning(
            f"The game engine runs its Python sources ({status.reason}): matches spend about "
            "twice the time in the rules.",
            hint="Run `python -m battles.engine.native_build` (needs a C compiler) and restart.",
            id="gamearena.W004",
        )
    ]
