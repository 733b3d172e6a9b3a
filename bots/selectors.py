"""Reads of the bots app.

`access_bot` is the one gate to a bot's private data (code, versions, diffs): it returns
the bot only to its owner and raises BotNotFoundError for everybody else, exactly as for
a bot that does not exist, so the API never reveals which private ids exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from bots.diffing import CodeDiff, diff_code
from bots.errors import BotNotFoundError, BotVersionNotFoundError
from bots.models import Bot, BotVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

PUBLIC_LIST_DEFAULT_LIMIT = 50
PUBLIC_LIST_MAX_LIMIT = 200
PUBLIC_LIST_MAX_OFFSET = 10**9


def access_bot(*, user: User | AnonymousUser, bot_id: int) -> Bot:
    if not user.is_authenticated:
        raise BotNotFoundError()
    bot = Bot.objects.select_related("owner").filter(pk=bot_id, owner=user).first()
    if bot is None:
        raise BotNotFoundError()
    return bot


def bot_list(*, owner: User) -> QuerySet[Bot]:
    """The owner's bots, active and inactive, by name (code is not loaded)."""
    return Bot.objects.filter(owner=owner).select_related("owner").defer("code").order_by("name")


@dataclass(frozen=True)
class PublicBotPage:
    bots: list[Bot]
    count: int
    limit: int
    offset: int


def bot_list_public(
    *, owner_username: str | None = None, limit: int = PUBLIC_LIST_DEFAULT_LIMIT, offset: int = 0
) -> PublicBotPage:
    """Everybody's bots, strongest first: public profile data only, never code."""
    bots = Bot.objects.select_related("owner").defer("code")
    if owner_username is not None:
        bots = bots.filter(owner__username=owner_username)
    page = list(bots.order_by("-elo_rating", "name", "pk")[offset : offset + limit])
    return PublicBotPage(bots=page, count=bots.count(), limit=limit, offset=offset)


def bot_version_list(*, bot: Bot) -> QuerySet[BotVersion]:
    """A bot's versions, newest first, without their code (a list never needs it)."""
    return (
        bot.versions.defer("code")
        .select_related("qualification_battle")
        .order_by("-version_number")
    )


def bot_version_get(*, bot: Bot, version_number: int) -> BotVersion:
    version = (
        bot.versions.filter(version_number=version_number)
        .select_related("qualification_battle")
        .first()
    )
    if version is None:
        raise BotVersionNotFoundError(f"This bot has no version {version_number}.")
    return version


def bot_version_diff(*, bot: Bot, old_number: int, new_number: int) -> CodeDiff:
    """Unified diff from version `old_number` to version `new_number` of one bot."""
    codes: dict[int, Any] = dict(
        bot.versions.filter(version_number__in={old_number, new_number}).values_list(
            "version_number", "code"
        )
    )
    for number in (old_number, new_number):
        if number not in codes:
            raise BotVersionNotFoundError(f"This bot has no version {number}.")
    return diff_code(
        codes[old_number], codes[new_number], old_label=f"v{old_number}", new_label=f"v{new_number}"
    )


def bot_get_by_name(*, owner_username: str, name: str) -> Bot:
    """A bot by its public label ``owner/name``; BotNotFoundError when there is none."""
    bot = Bot.objects.select_related("owner").filter(owner__username=owner_username, name=name)
    found = bot.first()
    if found is None:
        raise BotNotFoundError(f"No bot {owner_username}/{name}.")
    return found


def bot_get_public(*, bot_id: int) -> Bot:
    """Any user's bot by id, for public uses (playing against it): its code is not loaded."""
    bot = Bot.objects.select_related("owner").defer("code").filter(pk=bot_id).first()
    if bot is None:
        raise BotNotFoundError()
    return bot


def bot_version_active(*, bot: Bot) -> BotVersion:
    """The version a battle plays for `bot`: pinned, so later uploads never change a battle."""
    return bot_version_get(bot=bot, version_number=bot.version_number)


def bot_version_codes(*, bot: Bot) -> list[tuple[int, str]]:
    """Every version's number and code, newest first: the owner's page shows them all."""
    return list(bot.versions.order_by("-version_number").values_list("version_number", "code"))
