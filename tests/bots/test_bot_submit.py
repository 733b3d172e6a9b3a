"""bot_submit: the one way code enters the arena (bots/services.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bots.models import Bot, BotVersion
from bots.services import bot_submit
from bots.validation import CODE_MAX_LENGTH
from gamearena.errors import InvalidInputError
from tests.bots.support import CODE_V1, CODE_V2

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def test_a_new_name_creates_the_bot_with_version_1(owner: User) -> None:
    result = bot_submit(owner=owner, name="pacman", code=CODE_V1, description="hello")

    assert (result.created, result.new_version) == (True, True)
    bot = Bot.objects.get(owner=owner, name="pacman")
    assert (bot.code, bot.version_number, bot.is_active, bot.elo_rating) == (
        CODE_V1,
        1,
        True,
        1200.0,
    )
    version = bot.versions.get()
    assert (version.version_number, version.code, version.description) == (1, CODE_V1, "hello")
    assert result.version == version


def test_new_code_for_an_existing_name_creates_the_next_version(owner: User) -> None:
    bot_submit(owner=owner, name="pacman", code=CODE_V1)

    result = bot_submit(owner=owner, name="pacman", code=CODE_V2, description="faster")

    assert (result.created, result.new_version, result.version.version_number) == (False, True, 2)
    bot = Bot.objects.get(pk=result.bot.pk)
    assert (bot.code, bot.version_number) == (CODE_V2, 2)
    assert list(bot.versions.order_by("version_number").values_list("code", flat=True)) == [
        CODE_V1,
        CODE_V2,
    ]


def test_identical_code_creates_no_version_and_says_so(owner: User) -> None:
    bot_submit(owner=owner, name="pacman", code=CODE_V1)

    result = bot_submit(owner=owner, name="pacman", code=CODE_V1, description="ignored")

    assert (result.created, result.new_version, result.version.version_number) == (False, False, 1)
    assert "no new version" in result.message
    assert BotVersion.objects.count() == 1
    assert BotVersion.objects.get().description == ""


def test_the_same_name_belongs_separately_to_each_owner(owner: User, opponent: User) -> None:
    mine = bot_submit(owner=owner, name="pacman", code=CODE_V1)
    theirs = bot_submit(owner=opponent, name="pacman", code=CODE_V2)

    assert theirs.created
    assert mine.bot.pk != theirs.bot.pk
    assert Bot.objects.get(pk=mine.bot.pk).code == CODE_V1


def test_going_back_to_older_code_is_a_new_version_not_a_match_with_history(owner: User) -> None:
    bot_submit(owner=owner, name="pacman", code=CODE_V1)
    bot_submit(owner=owner, name="pacman", code=CODE_V2)

    result = bot_submit(owner=owner, name="pacman", code=CODE_V1)

    assert (result.new_version, result.version.version_number) == (True, 3)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "has space"}, "invalid_name"),
        ({"name": ""}, "invalid_name"),
        ({"name": "x" * 65}, "invalid_name"),
        ({"code": "   \n"}, "empty_code"),
        ({"code": "x" * (CODE_MAX_LENGTH + 1)}, "code_too_long"),
        ({"code": "print(1)\x00"}, "invalid_code"),
        ({"code": "print('\ud800')"}, "invalid_code"),
        ({"description": "d" * 501}, "description_too_long"),
    ],
)
def test_the_service_enforces_the_same_rules_as_the_api(
    owner: User, fields: dict[str, str], code: str
) -> None:
    arguments = {"name": "pacman", "code": CODE_V1, "description": ""} | fields

    with pytest.raises(InvalidInputError) as raised:
        bot_submit(owner=owner, **arguments)

    assert raised.value.code == code
    assert not Bot.objects.exists()


def test_names_may_use_letters_digits_underscore_dash_and_dot(owner: User) -> None:
    name = "Pac_Man-2.0" + "x" * 53  # 64 characters, the longest allowed

    assert bot_submit(owner=owner, name=name, code=CODE_V1).bot.name == name


def test_code_of_exactly_the_limit_is_accepted(owner: User) -> None:
    code = "#" * CODE_MAX_LENGTH

    assert bot_submit(owner=owner, name="big", code=code).bot.code == code


@pytest.mark.parametrize("name", [".", "..", "..."])
def test_names_made_only_of_dots_are_refused_by_the_service_too(owner: User, name: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        bot_submit(owner=owner, name=name, code=CODE_V1)

    assert raised.value.code == "invalid_name"
    assert not Bot.objects.exists()
