"""GameArena's house bots: ordinary bot files, run in the sandbox like any uploaded bot.

They are the demo opponents and the reference opponents of later features:

- ``random_mover``: every pac wanders to random floor cells;
- ``greedy``: every pac walks to the nearest pellet in sight;
- ``hunter``: greedy with memory of the map, SPEED, SWITCH, chasing and fleeing.

Each file is standalone (stdlib only, Python 3.11+), so the whole directory can be mounted
read-only as a bot's code directory and any one file used as the entry point.
"""

from __future__ import annotations

from pathlib import Path

from battles.sandbox import BotProgram

HOUSE_BOTS_DIR = Path(__file__).resolve().parent

HOUSE_BOTS: dict[str, Path] = {
    name: HOUSE_BOTS_DIR / f"{name}.py" for name in ("random_mover", "greedy", "hunter")
}


class UnknownHouseBotError(LookupError):
    def __init__(self, name: str) -> None:
        known = ", ".join(sorted(HOUSE_BOTS))
        super().__init__(f"no house bot named {name!r} (known: {known})")
        self.name = name


def house_bot_path(name: str) -> Path:
    """The entry file of the house bot `name`; raises UnknownHouseBotError for other names."""
    try:
        return HOUSE_BOTS[name]
    except KeyError:
        raise UnknownHouseBotError(name) from None


def house_bot_program(name: str) -> BotProgram:
    """The house bot `name`, ready for ``play_match`` (the bot files run on the system Python)."""
    return BotProgram.from_file(house_bot_path(name))
