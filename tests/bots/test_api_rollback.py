"""POST /api/bots/<id>/rollback/<n>."""

from __future__ import annotations

from rest_framework.test import APIClient

from bots.models import Bot
from tests.bots.support import CODE_V1, CODE_V3, assert_error


def rollback_url(bot: Bot, number: int) -> str:
    return f"/api/bots/{bot.pk}/rollback/{number}"


def test_rollback_answers_with_the_message_and_the_bot_at_a_new_version(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = owner_api.post(rollback_url(owner_bot, 1))

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Rolled back to version 1 as version 4"
    assert body["new_version"] is True
    assert body["bot"]["version_number"] == 4
    assert body["version"]["version_number"] == 4
    assert owner_api.get(f"/api/bots/{owner_bot.pk}").json()["bot"]["code"] == CODE_V1


def test_rollback_to_the_current_code_creates_nothing_and_says_so(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = owner_api.post(rollback_url(owner_bot, 3))

    assert response.status_code == 200
    body = response.json()
    assert body["new_version"] is False
    assert body["message"] == (
        "Rolled back to version 3: its code is already the current version 3, "
        "so no new version was created"
    )
    assert (body["bot"]["version_number"], body["version"]["version_number"]) == (3, 3)
    assert Bot.objects.get(pk=owner_bot.pk).versions.count() == 3


def test_rollback_and_resubmission_agree_on_identical_code(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    resubmitted = owner_api.post(
        "/api/bots", {"name": "pacman", "code": CODE_V3}, format="json"
    ).json()
    rolled_back = owner_api.post(rollback_url(owner_bot, 3)).json()

    assert resubmitted["new_version"] is rolled_back["new_version"] is False
    assert resubmitted["version"] == rolled_back["version"]


def test_a_second_rollback_to_the_same_version_creates_nothing(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    first = owner_api.post(rollback_url(owner_bot, 1)).json()
    second = owner_api.post(rollback_url(owner_bot, 1)).json()

    assert (first["new_version"], first["version"]["version_number"]) == (True, 4)
    assert (second["new_version"], second["version"]["version_number"]) == (False, 4)
    assert second["message"].startswith("Rolled back to version 1: ")
    assert Bot.objects.get(pk=owner_bot.pk).versions.count() == 4


def test_rollback_of_an_inactive_bot_says_it_is_inactive(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    owner_api.delete(f"/api/bots/{owner_bot.pk}")

    body = owner_api.post(rollback_url(owner_bot, 1)).json()

    assert body["message"].startswith("Rolled back to version 1 as version 4. ")
    assert "pacman is inactive" in body["message"]
    assert body["bot"]["is_active"] is False


def test_rollback_takes_an_optional_description(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.post(
        rollback_url(owner_bot, 2), {"description": "v3 was worse"}, format="json"
    )

    assert response.json()["version"]["description"] == "v3 was worse"


def test_rollback_to_a_missing_version_is_version_not_found_and_changes_nothing(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    assert_error(owner_api.post(rollback_url(owner_bot, 8)), 404, "version_not_found")

    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.version_number, fresh.code, fresh.versions.count()) == (3, CODE_V3, 3)


def test_rollback_with_an_unknown_field_changes_nothing(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = owner_api.post(rollback_url(owner_bot, 1), {"force": True}, format="json")

    assert_error(response, 400, "unknown_field")
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3


def test_a_stranger_cannot_roll_back(stranger_api: APIClient, owner_bot: Bot) -> None:
    assert_error(stranger_api.post(rollback_url(owner_bot, 1)), 404, "not_found")
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3


def test_anonymous_callers_cannot_roll_back(anonymous_api: APIClient, owner_bot: Bot) -> None:
    assert_error(anonymous_api.post(rollback_url(owner_bot, 1)), 401, "not_authenticated")
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3


def test_rollback_is_post_only(owner_api: APIClient, owner_bot: Bot) -> None:
    assert_error(owner_api.get(rollback_url(owner_bot, 1)), 405, "method_not_allowed")
