"""Turning what names a bot (a seat of a battle, or what a person typed) into a BotProgram.

A bot is named as one of:
  - ``house:<name>``: a house bot shipped with GameArena (battles/housebots);
  - a path to a Python file: a developer's own bot, staged *alone* (nothing beside it is
    visible to it, so it cannot read its opponent or a database that happens to sit there);
  - a path to a directory: a multi-file bot, staged whole, entry ``main.py``;
  - ``<owner>/<name>`` or ``<owner>/<name>@<version>``: a stored bot, its active version or
    the given one, looked up through the bots selectors.

Stored and house code is handed to the sandbox as text (``BotProgram.from_source``), so it is
written once, straight into the sandbox's staging directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from battles.housebots import HOUSE_BOTS, UnknownHouseBotError, house_bot_path
from battles.sandbox import BotProgram
from bots.errors import BotNotFoundError, BotVersionNotFoundError
from bots.selectors import bot_get_by_name, bot_version_active, bot_version_get

if TYPE_CHECKING:
    from battles.models import BattleSeat
    from bots.models import BotVersion

STORED_BOT = re.compile(
    r"^(?P<owner>[\w.@+-]+)/(?P<name>[A-Za-z0-9_.-]{1,64})(?:@(?P<version>\d{1,9}))?$"
)
HOUSE_PREFIX = "house:"
STORED_ENTRY = "bot.py"
DIRECTORY_ENTRY = "main.py"


class BotSourceError(ValueError):
    """The bot could not be found; the message says what was looked for."""


@dataclass(frozen=True)
class ResolvedBot:
    label: str  # how the bot is shown in progress lines, summaries and replays
    program: BotProgram
    version: BotVersion | None = None  # a stored bot's pinned version
    house_bot: str = ""  # a house bot's name

    @property
    def storable(self) -> bool:
        """Whether a battle of this bot can be stored (files on disk have no identity)."""
        return self.version is not None or bool(self.house_bot)


def resolve_bot(spec: str, *, interpreter: Path) -> ResolvedBot:
    """The bot named by ``spec``; raises BotSourceError saying what was looked for."""
    if spec.startswith(HOUSE_PREFIX):
        return house_bot(spec.removeprefix(HOUSE_PREFIX), interpreter=interpreter)
    path = Path(spec).expanduser()
    if path.is_file():
        return ResolvedBot(label=path.name, program=file_program(path, interpreter))
    if path.is_dir():
        if not (path / DIRECTORY_ENTRY).is_file():
            raise BotSourceError(f"directory {path} has no {DIRECTORY_ENTRY} to run")
        program = BotProgram(
            code_dir=path.resolve(), entry=DIRECTORY_ENTRY, interpreter=interpreter
        )
        return ResolvedBot(label=f"{path.name}/", program=program)
    match = STORED_BOT.match(spec)
    if match is None:
        raise BotSourceError(
            f"{spec!r} is neither a file, a directory, house:<name> nor <owner>/<name>[@<version>]"
        )
    version = stored_version(match["owner"], match["name"], match["version"])
    return stored_bot(version, interpreter=interpreter)


def house_bot(name: str, *, interpreter: Path) -> ResolvedBot:
    try:
        path = house_bot_path(name)
    except UnknownHouseBotError:
        known = ", ".join(sorted(HOUSE_BOTS))
        raise BotSourceError(f"no house bot {name!r}; house bots: {known}") from None
    program = BotProgram.from_source(
        path.read_text(encoding="utf-8"), entry=path.name, interpreter=interpreter
    )
    return ResolvedBot(label=f"{HOUSE_PREFIX}{name}", program=program, house_bot=name)


def stored_bot(version: BotVersion, *, interpreter: Path) -> ResolvedBot:
    program = BotProgram.from_source(version.code, entry=STORED_ENTRY, interpreter=interpreter)
    bot = version.bot
    label = f"{bot.owner.get_username()}/{bot.name}@{version.version_number}"
    return ResolvedBot(label=label, program=program, version=version)


def seat_bot(seat: BattleSeat, *, interpreter: Path) -> ResolvedBot:
    """The program a battle's seat plays: its pinned version, or its house bot."""
    if seat.bot_version is not None:
        return stored_bot(seat.bot_version, interpreter=interpreter)
    return house_bot(seat.house_bot, interpreter=interpreter)


def file_program(path: Path, interpreter: Path) -> BotProgram:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BotSourceError(f"cannot read {path} as UTF-8 text: {error}") from None
    return BotProgram.from_source(source, entry=path.name, interpreter=interpreter)


def stored_version(owner: str, name: str, number: str | None) -> BotVersion:
    try:
        bot = bot_get_by_name(owner_username=owner, name=name)
        if number is None:
            return bot_version_active(bot=bot)
        return bot_version_get(bot=bot, version_number=int(number))
    except BotNotFoundError:
        raise BotSourceError(f"no stored bot {owner}/{name}") from None
    except BotVersionNotFoundError:
        raise BotSourceError(
            f"{owner}/{name} has no version {number} (latest: {bot.version_number})"
        ) from None
