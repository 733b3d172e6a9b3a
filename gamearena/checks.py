"""System checks with stable ids for the arena's configuration.

Values that cannot even be parsed fail earlier, at settings import (gamearena/env.py);
these checks catch combinations that parse but are wrong or unsafe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from gamearena.backends import cache_backend_name, database_engine_name
from gamearena.health import probe_cache


@register("gamearena", deploy=True)
def check_production_backends(
    app_configs: Sequence[Any] | None, **kwargs: Any
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if database_engine_name(settings.DATABASES["default"]) == "sqlite":
        messages.append(
            Warning(
                "The embedded SQLite database is meant for one machine and light use.",
                hint="Set DATABASE_URL=postgres://... for a deployment.",
                id="gamearena.W002",
            )
        )
    if cache_backend_name(settings.CACHES["default"]) == "local memory":
        messages.append(
            Warning(
                "Live battles are kept in a per-process memory cache: other processes "
                "(web workers, match workers) cannot see them.",
                hint="Set REDIS_URL=redis://... for a deployment.",
                id="gamearena.W003",
            )
        )
    return messages


@register("gamearena", deploy=True)
def check_cache_answers(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """A configured Redis that does not answer is worth knowing before the first battle."""
    if cache_backend_name(settings.CACHES["default"]) != "redis":
        return []
    probe = probe_cache()
    if probe["ok"]:
        return []
    return [
        Error(
            f"REDIS_URL is set but Redis does not answer ({probe['error']}).",
            hint="Start Redis or fix REDIS_URL; live battles are kept there.",
            id="gamearena.E005",
        )
    ]


@register(Tags.security, deploy=True)
def check_no_demo_password(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """seed_demo's superuser has a published password: no deployment may keep it.

    The demo user and every staff account are checked against the default demo password
    and GAMEARENA_DEMO_PASSWORD: one hash per account and password, so only accounts that
    can reach the admin are checked, not every user.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password
    from django.db import DatabaseError
    from django.db.models import Q

    from bots.management.commands.seed_demo import (
        DEFAULT_DEMO_PASSWORD,
        DEMO_USERNAME,
        demo_password,
    )

    candidates = {DEFAULT_DEMO_PASSWORD, demo_password()}
    accounts = get_user_model().objects.filter(
        Q(username=DEMO_USERNAME) | Q(is_staff=True) | Q(is_superuser=True)
    )
    try:
        rows = list(accounts.values_list("username", "password"))
    except DatabaseError:
        return []  # not migrated yet: no account can have any password
    exposed = sorted(
        username
        for username, encoded in rows
        # hashers.check_password, not User.check_password: a check must not rewrite hashes.
        if any(check_password(candidate, encoded) for candidate in candidates)
    )
    if not exposed:
        return []
    return [
        Error(
            f"Account(s) {', '.join(exposed)} still have the demo password that seed_demo "
            "prints: anybody can log in as them.",
            hint="Delete the demo user (manage.py shell) or give it a new password "
            "(manage.py changepassword demo).",
            id="gamearena.E006",
        )
    ]
