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
    assert body["message"] == "Rolled back to version 1"
    assert body["bot"]["version_number"] == 4
    assert body["version"]["version_number"] == 4
    assert owner_api.get(f"/api/bots/{owner_bot.pk}").json()["bot"]["code"] == CODE_V1


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
