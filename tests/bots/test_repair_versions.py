"""manage.py repair_versions [--dry-run]."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from django.core.management import call_command

from bots.models import Bot, BotVersion
from tests.bots.support import CODE_V1, CODE_V2, CODE_V3

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def repair(*args: str) -> str:
    out = StringIO()
    call_command("repair_versions", *args, stdout=out)
    return out.getvalue()


def test_a_counter_out_of_sync_is_set_to_the_highest_version(owner_bot: Bot) -> None:
    Bot.objects.filter(pk=owner_bot.pk).update(version_number=7)

    output = repair()

    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3
    assert f"bot {owner_bot.pk} 'pacman' of owner: version_number 7 -> 3" in output
    assert "1 bot(s) checked, 1 changed." in output


def test_a_bot_without_versions_gets_version_1_with_its_code(owner: User) -> None:
    bot = Bot.objects.create(owner=owner, name="legacy", code=CODE_V1, version_number=4)

    output = repair()

    version = BotVersion.objects.get(bot=bot)
    assert (version.version_number, version.code) == (1, CODE_V1)
    assert Bot.objects.get(pk=bot.pk).version_number == 1
    assert "has no versions" in output


def test_code_changed_outside_versioning_is_recorded_as_a_new_version(owner_bot: Bot) -> None:
    Bot.objects.filter(pk=owner_bot.pk).update(code="print('edited in a shell')\n")

    repair()

    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert fresh.version_number == 4
    assert fresh.versions.get(version_number=4).code == "print('edited in a shell')\n"
    assert [v.code for v in fresh.versions.order_by("version_number")][:3] == [
        CODE_V1,
        CODE_V2,
        CODE_V3,
    ]


def test_dry_run_reports_every_change_and_makes_none(owner_bot: Bot, owner: User) -> None:
    Bot.objects.filter(pk=owner_bot.pk).update(version_number=9)
    legacy = Bot.objects.create(owner=owner, name="legacy", code=CODE_V1)

    output = repair("--dry-run")

    assert "would fix" in output
    assert "version_number 9 -> 3" in output
    assert "legacy" in output
    assert "2 bot(s) checked, 2 would change. Dry run: nothing was written." in output
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 9
    assert not BotVersion.objects.filter(bot=legacy).exists()


def test_bots_in_sync_are_left_alone_and_a_second_run_changes_nothing(owner_bot: Bot) -> None:
    Bot.objects.filter(pk=owner_bot.pk).update(version_number=1)
    repair()
    updated_at = Bot.objects.get(pk=owner_bot.pk).updated_at

    output = repair()

    assert "1 bot(s) checked, 0 changed." in output
    assert Bot.objects.get(pk=owner_bot.pk).updated_at == updated_at
