"""Turning what a person types for a bot into a runnable BotProgram.

A bot is named as one of:
  - ``house:<name>``: a house bot shipped with GameArena (battles/housebots);
  - a path to a Python file: a developer's own bot; its directory is visible to it, so
    multi-file bots keep working;
  - ``<owner>/<name>`` or ``<owner>/<name>@<version>``: a stored bot, its active code or
    the given version's code.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from battles.housebots import HOUSE_BOTS, UnknownHouseBotError, house_bot_path
from battles.sandbox import BotProgram
from bots.models import Bot, BotVersion

STORED_BOT = re.compile(
    r"^(?P<owner>[\w.@+-]+)/(?P<name>[A-Za-z0-9_.-]{1,64})(?:@(?P<version>\d+))?$"
)
STORED_ENTRY = "bot.py"


class BotSourceError(ValueError):
    """The bot could not be found; the message says what was looked for."""


@dataclass(frozen=True)
class ResolvedBot:
    label: str  # how the bot is shown in progress lines, summaries and replays
    program: BotProgram


@contextmanager
def resolve_bot(spec: str, *, interpreter: Path) -> Iterator[ResolvedBot]:
    """Yield the bot named by ``spec``; stored code lives in a temporary directory until exit."""
    if spec.startswith("house:"):
        yield house_bot(spec.removeprefix("house:"), interpreter=interpreter)
        return
    path = Path(spec).expanduser()
    if path.is_file():
        yield ResolvedBot(label=path.name, program=program_for(path, interpreter))
        return
    match = STORED_BOT.match(spec)
    if match is None:
        raise BotSourceError(
            f"{spec!r} is neither a file, house:<name> nor <owner>/<name>[@<version>]"
        )
    label, code = stored_code(match["owner"], match["name"], match["version"])
    with materialised(code) as code_dir:
        yield ResolvedBot(
            label=label,
            program=BotProgram(code_dir=code_dir, entry=STORED_ENTRY, interpreter=interpreter),
        )


def house_bot(name: str, *, interpreter: Path) -> ResolvedBot:
    try:
        path = house_bot_path(name)
    except UnknownHouseBotError:
        known = ", ".join(sorted(HOUSE_BOTS))
        raise BotSourceError(f"no house bot {name!r}; house bots: {known}") from None
    return ResolvedBot(label=f"house:{name}", program=program_for(path, interpreter))


def program_for(path: Path, interpreter: Path) -> BotProgram:
    path = path.resolve()
    return BotProgram(code_dir=path.parent, entry=path.name, interpreter=interpreter)


def stored_code(owner: str, name: str, version: str | None) -> tuple[str, str]:
    bot = Bot.objects.filter(owner__username=owner, name=name).first()
    if bot is None:
        raise BotSourceError(f"no stored bot {owner}/{name}")
    if version is None:
        return f"{owner}/{name}@{bot.version_number}", bot.code
    stored = BotVersion.objects.filter(bot=bot, version_number=int(version)).first()
    if stored is None:
        raise BotSourceError(
            f"{owner}/{name} has no version {version} (latest: {bot.version_number})"
        )
    return f"{owner}/{name}@{version}", stored.code


@contextmanager
def materialised(code: str) -> Iterator[Path]:
    """A private (0700) directory holding ``code`` as the entry file, removed afterwards.

    Bot code is private to its owner, so it is not made readable here: the sandbox copies it
    into its own staging directory for the bot's unprivileged uid (battles/sandbox/launch.py).
    """
    directory = Path(tempfile.mkdtemp(prefix="gamearena-bot-"))
    try:
        (directory / STORED_ENTRY).write_text(code, encoding="utf-8")
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
