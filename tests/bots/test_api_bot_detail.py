"""GET /api/bots, and GET / PATCH / DELETE /api/bots/<id>."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from bots.models import Bot
from tests.bots.support import CODE_V3, assert_error

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def detail(bot: Bot) -> str:
    return f"/api/bots/{bot.pk}"


# --- GET /api/bots -------------------------------------------------------------------


def test_the_list_holds_the_callers_bots_only(
    owner_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    response = owner_api.get("/api/bots")

    assert response.status_code == 200
    assert [bot["id"] for bot in response.json()["bots"]] == [owner_bot.pk]
    assert "code" not in response.json()["bots"][0]


def test_the_list_is_empty_for_a_stranger(stranger_api: APIClient, owner_bot: Bot) -> None:
    assert stranger_api.get("/api/bots").json() == {"bots": []}


def test_the_list_needs_a_signed_in_caller(anonymous_api: APIClient) -> None:
    assert_error(anonymous_api.get("/api/bots"), 401, "not_authenticated")


def test_the_list_costs_the_same_queries_for_many_bots(
    owner_api: APIClient, owner: User, django_assert_num_queries: Any
) -> None:
    for index in range(5):
        Bot.objects.create(owner=owner, name=f"bot{index}", code="print(1)\n")

    # Authentication (token + user) and the one query for the list.
    with django_assert_num_queries(2):
        response = owner_api.get("/api/bots")

    assert len(response.json()["bots"]) == 5


# --- GET /api/bots/<id> --------------------------------------------------------------


def test_the_owner_sees_the_bot_with_its_current_code(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.get(detail(owner_bot))

    assert response.status_code == 200
    bot = response.json()["bot"]
    assert (bot["id"], bot["name"], bot["code"], bot["version_number"]) == (
        owner_bot.pk,
        "pacman",
        CODE_V3,
        3,
    )
    assert set(bot) >= {"elo_rating", "match_count", "win_count", "created_at", "updated_at"}


def test_a_stranger_gets_404_exactly_as_for_a_missing_bot(
    stranger_api: APIClient, owner_bot: Bot
) -> None:
    theirs = assert_error(stranger_api.get(detail(owner_bot)), 404, "not_found")
    missing = assert_error(stranger_api.get("/api/bots/999999"), 404, "not_found")

    assert theirs == missing


def test_anonymous_callers_get_401_for_a_bot(anonymous_api: APIClient, owner_bot: Bot) -> None:
    assert_error(anonymous_api.get(detail(owner_bot)), 401, "not_authenticated")


# --- PATCH /api/bots/<id> ------------------------------------------------------------


def test_the_owner_can_switch_a_bot_off_and_on(owner_api: APIClient, owner_bot: Bot) -> None:
    off = owner_api.patch(detail(owner_bot), {"is_active": False}, format="json")
    assert off.status_code == 200
    assert off.json()["bot"]["is_active"] is False
    assert Bot.objects.get(pk=owner_bot.pk).is_active is False

    on = owner_api.patch(detail(owner_bot), {"is_active": True}, format="json")
    assert on.json()["bot"]["is_active"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"is_active": "false"}, "invalid_is_active"),
        ({"is_active": 0}, "invalid_is_active"),
        ({"is_active": None}, "invalid_is_active"),
        ({"is_active": False, "code": "print(2)"}, "unknown_field"),
        ({"name": "renamed"}, "unknown_field"),
        ({"description": 7}, "invalid_description"),
        ({"description": "d" * 501}, "description_too_long"),
        ([], "body_not_object"),
    ],
)
def test_patch_accepts_only_a_boolean_is_active_and_a_description(
    owner_api: APIClient, owner_bot: Bot, body: Any, code: str
) -> None:
    response = owner_api.patch(detail(owner_bot), body, format="json")

    assert_error(response, 400, code)
    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.is_active, fresh.name, fresh.code, fresh.description) == (
        True,
        "pacman",
        CODE_V3,
        "",
    )


def test_patching_code_is_refused_as_an_unknown_field(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.patch(detail(owner_bot), {"code": "print(2)"}, format="json")

    fields = assert_error(response, 400, "unknown_field")["details"]["fields"]
    assert fields["code"][0]["code"] == "unknown_field"


def test_an_empty_patch_is_a_partial_update_that_changes_nothing(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    before = Bot.objects.get(pk=owner_bot.pk)

    response = owner_api.patch(detail(owner_bot), {}, format="json")

    assert response.status_code == 200
    assert response.json()["bot"]["is_active"] is True
    after = Bot.objects.get(pk=owner_bot.pk)
    assert (after.is_active, after.description, after.updated_at) == (
        before.is_active,
        before.description,
        before.updated_at,
    )


def test_patching_the_description_leaves_is_active_alone(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    owner_api.patch(detail(owner_bot), {"is_active": False}, format="json")

    response = owner_api.patch(detail(owner_bot), {"description": "Greedy, wary"}, format="json")

    assert response.status_code == 200
    assert response.json()["bot"]["description"] == "Greedy, wary"
    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.description, fresh.is_active, fresh.version_number) == ("Greedy, wary", False, 3)
    # The bot's description is its own: the versions' history is untouched.
    assert fresh.versions.get(version_number=3).description == "avoid ghosts"


def test_patching_is_active_leaves_the_description_alone(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    owner_api.patch(detail(owner_bot), {"description": "Greedy"}, format="json")

    owner_api.patch(detail(owner_bot), {"is_active": False}, format="json")

    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.description, fresh.is_active) == ("Greedy", False)


def test_an_empty_description_clears_it(owner_api: APIClient, owner_bot: Bot) -> None:
    owner_api.patch(detail(owner_bot), {"description": "Greedy"}, format="json")

    response = owner_api.patch(detail(owner_bot), {"description": ""}, format="json")

    assert response.json()["bot"]["description"] == ""


def test_a_stranger_cannot_patch_and_learns_nothing(
    stranger_api: APIClient, owner_bot: Bot
) -> None:
    response = stranger_api.patch(detail(owner_bot), {"is_active": False}, format="json")

    assert_error(response, 404, "not_found")
    assert Bot.objects.get(pk=owner_bot.pk).is_active is True


def test_anonymous_callers_cannot_patch(anonymous_api: APIClient, owner_bot: Bot) -> None:
    response = anonymous_api.patch(detail(owner_bot), {"is_active": False}, format="json")

    assert_error(response, 401, "not_authenticated")


# --- DELETE /api/bots/<id> -----------------------------------------------------------


def test_delete_deactivates_and_keeps_the_history(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.delete(detail(owner_bot))

    assert response.status_code == 200
    assert response.json()["bot"]["is_active"] is False
    assert "kept" in response.json()["message"]
    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.is_active, fresh.versions.count(), fresh.code) == (False, 3, CODE_V3)
    assert owner_api.get(detail(owner_bot)).status_code == 200


def test_a_stranger_cannot_delete(stranger_api: APIClient, owner_bot: Bot) -> None:
    assert_error(stranger_api.delete(detail(owner_bot)), 404, "not_found")
    assert Bot.objects.get(pk=owner_bot.pk).is_active is True


def test_anonymous_callers_cannot_delete(anonymous_api: APIClient, owner_bot: Bot) -> None:
    assert_error(anonymous_api.delete(detail(owner_bot)), 401, "not_authenticated")
    assert Bot.objects.get(pk=owner_bot.pk).is_active is True


def test_unsupported_methods_get_405_with_the_allowed_ones(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    error = assert_error(
        owner_api.put(detail(owner_bot), {}, format="json"), 405, "method_not_allowed"
    )

    assert set(error["details"]["allowed_methods"]) >= {"GET", "PATCH", "DELETE"}
