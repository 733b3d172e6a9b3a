"""Create the demo user, its API token and a few demo bots; idempotent.

Used by the run command (.ci/serve) so that a new user gets a working login, a token
and opponents straight away. Running it again changes nothing that already exists
(a demo bot whose code is unchanged gets no new version).

The demo user is a superuser with a published password, so the command runs only on a
development instance (DEBUG on); `check --deploy` fails while any account still has the
demo password (gamearena.E006).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from battles.housebots import HOUSE_BOTS
from bots.services import bot_submit

DEMO_USERNAME = "demo"
DEFAULT_DEMO_PASSWORD = "demo-arena-pass"  # noqa: S105 - a documented development login
DEMO_BOTS = {
    "random-mover": ("random_mover", "Moves every pac to a random cell."),
    "greedy": ("greedy", "Heads for the nearest pellet."),
    "hunter": ("hunter", "Greedy, with SPEED and SWITCH against nearby enemies."),
}


def demo_password() -> str:
    return os.environ.get("GAMEARENA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


class Command(BaseCommand):
    help = "Create the demo user (with an API token) and demo bots. Safe to run repeatedly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="host shown in the printed URL")
        parser.add_argument("--port", default="8000", help="port shown in the printed URL")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo makes a superuser with a published password, so it runs only on a "
                "development instance: set DEBUG=1 (bash .ci/serve does)."
            )
        password = demo_password()
        with transaction.atomic():
            user = ensure_demo_user(password)
            token, _ = Token.objects.get_or_create(user=user)
            created = ensure_demo_bots(user)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS("GameArena is ready."))
        self.stdout.write(f"  URL:        {url}")
        self.stdout.write(f"  API docs:   {url}api/docs/")
        self.stdout.write(f"  Admin:      {url}admin/")
        self.stdout.write(f"  Demo login: {DEMO_USERNAME} / {password}")
        self.stdout.write(f"  API token:  {token.key}")
        self.stdout.write(
            f"  Try:        curl -H 'Authorization: Bearer {token.key}' {url}api/bots"
        )
        if created:
            self.stdout.write(f"  Demo bots created: {', '.join(created)}")


def ensure_demo_user(password: str) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=DEMO_USERNAME)
    if created or not user.check_password(password):
        user.set_password(password)
        # The demo user manages the local instance, so the admin is usable at once.
        user.is_staff = user.is_superuser = True
        user.save()
    return user


def ensure_demo_bots(user: Any) -> list[str]:
    created = []
    for name, (house_name, description) in DEMO_BOTS.items():
        code = HOUSE_BOTS[house_name].read_text()
        result = bot_submit(owner=user, name=name, code=code, description=description)
        if result.created:
            created.append(name)
    return created
