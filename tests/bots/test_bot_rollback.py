"""Bot.rollback: an old version's code becomes current again as a new version."""

from __future__ import annotations

import pytest

from bots.errors import BotVersionNotFoundError
from bots.models import Bot
from tests.bots.support import CODE_V1, CODE_V3


def test_rollback_creates_a_new_version_with_the_old_code(owner_bot: Bot) -> None:
    version = owner_bot.rollback(1)

    assert (version.version_number, version.code) == (4, CODE_V1)
    assert version.description == "Rolled back to version 1"
    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.code, fresh.version_number) == (CODE_V1, 4)
    assert (owner_bot.code, owner_bot.version_number) == (CODE_V1, 4)


def test_rollback_never_rewrites_or_deletes_history(owner_bot: Bot) -> None:
    before = list(
        owner_bot.versions.order_by("version_number").values_list("version_number", "code")
    )

    owner_bot.rollback(1)

    after = list(
        owner_bot.versions.order_by("version_number").values_list("version_number", "code")
    )
    assert after[:3] == before
    assert after[3] == (4, CODE_V1)


def test_rollback_to_a_missing_version_changes_nothing(owner_bot: Bot) -> None:
    with pytest.raises(BotVersionNotFoundError):
        owner_bot.rollback(9)

    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.code, fresh.version_number, fresh.versions.count()) == (CODE_V3, 3, 3)


def test_rollback_to_the_current_code_returns_the_current_version_and_creates_none(
    owner_bot: Bot,
) -> None:
    version, created = owner_bot.rollback_outcome(3)

    assert (version.version_number, created) == (3, False)
    assert owner_bot.versions.count() == 3
    assert owner_bot.rollback(3).version_number == 3


def test_rollback_accepts_a_description_for_the_new_version(owner_bot: Bot) -> None:
    version = owner_bot.rollback(2, description="v3 lost to everyone")

    assert version.description == "v3 lost to everyone"


@pytest.mark.django_db(transaction=True)
def test_append_version_refuses_to_run_outside_a_transaction(owner_bot: Bot) -> None:
    # Without the transaction there is no row lock, and without the lock numbers can collide.
    with pytest.raises(RuntimeError, match="row lock"):
        owner_bot.append_version(code="print(1)\n")
