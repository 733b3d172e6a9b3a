"""A new version becomes active only after a qualification battle against a house bot without
a fault; until then (and for good, if it fails) the previous version stays active.

Two tests play real games (one pass, one failure); the rest stop before the game is played
(its enqueue waits for a commit that the test's transaction never makes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from battles.models import Battle
from bots.models import Bot, BotVersion
from bots.qualification import version_activate
from bots.services import bot_rollback, bot_submit
from stats.ladder import ladder_tick, ladder_versions
from stats.outcomes import battle_abandon_record
from tests.battles.conftest import CRASHER, STILL

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("qualification_on")]
Status = BotVersion.Qualification


@pytest.fixture
def active_bot(owner: User, settings: Any) -> Bot:
    """`owner/pacman` whose version 1 (STILL, never faults) qualified before the test."""
    settings.GAMEARENA = {**settings.GAMEARENA, "QUALIFICATION": False}
    bot = bot_submit(owner=owner, name="pacman", code=STILL).bot
    settings.GAMEARENA = {**settings.GAMEARENA, "QUALIFICATION": True}
    return bot


def versions(bot: Bot) -> dict[int, str]:
    return dict(bot.versions.values_list("version_number", "qualification_status"))


def test_a_new_version_waits_pending_while_the_previous_one_stays_active(
    active_bot: Bot, owner: User
) -> None:
    result = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    active_bot.refresh_from_db()
    assert result.new_version
    assert result.version.version_number == 2
    assert versions(active_bot) == {1: Status.QUALIFIED, 2: Status.PENDING}
    assert (active_bot.version_number, active_bot.code) == (1, STILL)
    battle = result.version.qualification_battle
    assert battle is not None
    assert (battle.reason, battle.schedule_reason, battle.rated) == (
        "qualification",
        "qualification",
        False,
    )
    assert [seat.display_name for seat in battle.seats.order_by("seat")] == [
        "owner/pacman v2",
        "house:greedy",
    ]


def test_resubmitting_the_pending_code_creates_nothing_more(active_bot: Bot, owner: User) -> None:
    bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    again = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    assert not again.new_version
    assert Battle.objects.filter(reason=Battle.Reason.QUALIFICATION).count() == 1


def test_a_rollback_qualifies_like_a_submission(active_bot: Bot, owner: User) -> None:
    bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    result = bot_rollback(bot=active_bot, version_number=1)

    active_bot.refresh_from_db()
    assert result.new_version
    assert result.version.code == STILL
    assert versions(active_bot) == {1: Status.QUALIFIED, 2: Status.PENDING, 3: Status.PENDING}
    assert active_bot.version_number == 1
    assert Battle.objects.filter(reason=Battle.Reason.QUALIFICATION).count() == 2


def test_a_rollback_to_the_pending_newest_version_creates_nothing(
    active_bot: Bot, owner: User
) -> None:
    bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    result = bot_rollback(bot=active_bot, version_number=2)

    assert not result.new_version
    assert result.version.version_number == 2


def test_a_first_version_enters_the_ladder_only_once_qualified(owner: User) -> None:
    version = bot_submit(owner=owner, name="newcomer", code=STILL).version

    assert version.qualification_status == Status.PENDING
    assert version.bot.version_number == 1  # its code, the only one it has, for asked battles
    assert ladder_versions() == []


def test_a_qualification_lost_to_the_platform_ends_in_error_and_may_be_retried(
    active_bot: Bot, owner: User
) -> None:
    pending = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n").version
    battle = pending.qualification_battle
    assert battle is not None

    battle_abandon_record(battle=battle)
    retried = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    pending.refresh_from_db()
    assert pending.qualification_status == Status.ERROR
    assert "platform fault" in pending.qualification_reason
    assert retried.new_version
    assert retried.version.version_number == 3


@pytest.mark.usefixtures("unsafe_sandbox")
def test_a_version_that_plays_without_a_fault_becomes_active(
    active_bot: Bot, owner: User, owner_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")

    active_bot.refresh_from_db()
    assert (active_bot.version_number, active_bot.code) == (2, STILL + "# v2\n")
    shown = owner_api.get(f"/api/bots/{active_bot.pk}/versions/2").json()["version"]
    assert shown["qualification"]["status"] == "qualified"
    assert shown["qualification"]["fault"] == ""
    assert shown["qualification"]["battle"] is not None


@pytest.mark.usefixtures("unsafe_sandbox")
def test_a_version_that_crashes_never_becomes_active_and_its_owner_sees_why(
    active_bot: Bot,
    owner: User,
    owner_api: APIClient,
    stranger_api: APIClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        bot_submit(owner=owner, name="pacman", code=CRASHER)

    active_bot.refresh_from_db()
    assert (active_bot.version_number, active_bot.code) == (1, STILL)
    assert versions(active_bot) == {1: Status.QUALIFIED, 2: Status.FAILED}
    shown = owner_api.get(f"/api/bots/{active_bot.pk}/versions").json()["versions"][0]
    assert shown["qualification"]["status"] == "failed"
    assert shown["qualification"]["fault"] == "crashed"
    assert shown["qualification"]["fault_turn"] == 1
    assert shown["qualification"]["reason"].startswith("crashed on turn 1")
    assert shown["qualification"]["stderr_excerpt"] == "ZeroDivisionError: division by zero"
    assert stranger_api.get(f"/api/bots/{active_bot.pk}/versions").status_code == 404


def test_an_older_version_qualifying_last_never_replaces_a_newer_active_one(
    active_bot: Bot, owner: User
) -> None:
    older = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n").version
    newer = bot_submit(owner=owner, name="pacman", code=STILL + "# v3\n").version

    assert version_activate(version=newer)
    assert not version_activate(version=older)

    active_bot.refresh_from_db()
    assert (active_bot.version_number, active_bot.code) == (3, STILL + "# v3\n")


def test_a_qualification_battle_that_expired_in_the_queue_ends_in_error_at_the_next_tick(
    active_bot: Bot, owner: User
) -> None:
    pending = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n").version
    battle = pending.qualification_battle
    assert battle is not None
    Battle.objects.filter(pk=battle.pk).update(status=Battle.Status.EXPIRED)

    ladder_tick()

    pending.refresh_from_db()
    assert pending.qualification_status == Status.ERROR


def test_activation_starts_the_versions_rating_from_the_version_it_replaces(
    active_bot: Bot, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stats import services

    started: list[tuple[int, int]] = []

    def rating_start_version(*, version: BotVersion) -> None:
        active = Bot.objects.get(pk=version.bot_id).version_number
        started.append((version.version_number, active))

    monkeypatch.setattr(services, "rating_start_version", rating_start_version, raising=False)
    pending = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n").version

    version_activate(version=pending)

    assert started == [(2, 1)]  # called for v2 while v1 was still the active version


def test_the_answer_to_an_upload_says_the_version_waits_for_its_qualification(
    active_bot: Bot, owner: User
) -> None:
    upload = bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n")
    rollback = bot_rollback(bot=active_bot, version_number=1)

    assert upload.message.startswith("Created version 2. It becomes the active version once")
    assert rollback.message.startswith("Rolled back to version 1 as version 3. It becomes")
    assert rollback.message.endswith("stays active")  # rollback messages end bare, as before
