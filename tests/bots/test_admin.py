"""The bots admin, driven through the test client by pytest-django's `admin_client` superuser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client

from bots.models import Bot, BotVersion
from bots.services import bot_submit
from tests.bots.support import CODE_V1, CODE_V3

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHANGELIST = "/admin/bots/bot/"


def run_action(client: Client, action: str, bots: list[Bot], **extra: str) -> object:
    data = {"action": action, "_selected_action": [str(bot.pk) for bot in bots], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_the_change_page_shows_versions_inline_with_escaped_monospaced_code(
    admin_client: Client, owner: User
) -> None:
    bot = bot_submit(owner=owner, name="sneaky", code="print('<script>alert(1)</script>')\n").bot

    page = admin_client.get(f"{CHANGELIST}{bot.pk}/change/").content.decode()

    assert "<pre" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_the_list_searches_by_name_and_owner_and_filters_by_activity(
    admin_client: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    by_owner = admin_client.get(CHANGELIST, {"q": "opponent"}).context["cl"].result_list
    by_name = admin_client.get(CHANGELIST, {"q": "pacman"}).context["cl"].result_list
    Bot.objects.filter(pk=opponent_bot.pk).update(is_active=False)
    inactive = admin_client.get(CHANGELIST, {"is_active__exact": "0"}).context["cl"].result_list

    assert [bot.pk for bot in by_owner] == [opponent_bot.pk]
    assert [bot.pk for bot in by_name] == [owner_bot.pk]
    assert [bot.pk for bot in inactive] == [opponent_bot.pk]


def test_the_deactivate_and_activate_actions_switch_bots(
    admin_client: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    run_action(admin_client, "deactivate", [owner_bot, opponent_bot])
    assert not Bot.objects.filter(is_active=True).exists()

    run_action(admin_client, "activate", [owner_bot])
    assert list(Bot.objects.filter(is_active=True)) == [owner_bot]


def test_the_rollback_action_first_asks_which_version(admin_client: Client, owner_bot: Bot) -> None:
    response = run_action(admin_client, "rollback_to_version", [owner_bot])

    page = response.content.decode()  # type: ignore[attr-defined]
    assert 'name="version_number"' in page
    assert "currently version 3" in page
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3


def test_the_rollback_action_creates_a_new_version_through_the_model_method(
    admin_client: Client, owner_bot: Bot, opponent_bot: Bot
) -> None:
    response = run_action(
        admin_client,
        "rollback_to_version",
        [owner_bot, opponent_bot],
        apply="yes",
        version_number="2",
    )

    fresh = Bot.objects.get(pk=owner_bot.pk)
    assert (fresh.version_number, fresh.code) == (4, fresh.versions.get(version_number=2).code)
    # The opponent's bot has only version 1: it is reported and left alone.
    assert Bot.objects.get(pk=opponent_bot.pk).version_number == 1
    reported = {str(message) for message in response.context["messages"]}  # type: ignore[attr-defined]
    assert reported == {
        "pacman: rolled back to version 2 (now version 4).",
        "ghostbuster: has no version 2; unchanged.",
    }


def test_adding_a_bot_in_the_admin_gives_it_version_1(admin_client: Client, owner: User) -> None:
    response = admin_client.post(
        f"{CHANGELIST}add/", {"owner": owner.pk, "name": "from-admin", "code": CODE_V1}
    )

    assert response.status_code == 302
    bot = Bot.objects.get(name="from-admin")
    assert list(bot.versions.values_list("version_number", "code")) == [(1, CODE_V1)]


def test_code_typed_in_the_admin_is_stored_with_plain_newlines(
    admin_client: Client, owner: User
) -> None:
    # Browsers send textarea lines with CRLF endings whatever the user typed.
    admin_client.post(
        f"{CHANGELIST}add/",
        {"owner": owner.pk, "name": "typed", "code": CODE_V1.replace("\n", "\r\n")},
    )

    assert Bot.objects.get(name="typed").code == CODE_V1


def test_the_admin_add_form_applies_the_api_rules(admin_client: Client, owner: User) -> None:
    response = admin_client.post(
        f"{CHANGELIST}add/", {"owner": owner.pk, "name": "bad name", "code": " "}
    )

    assert response.status_code == 200
    assert not Bot.objects.exists()


def test_editing_a_bot_cannot_change_its_code(admin_client: Client, owner_bot: Bot) -> None:
    admin_client.post(
        f"{CHANGELIST}{owner_bot.pk}/change/",
        {
            "owner": owner_bot.owner.pk,
            "name": "pacman",
            "is_active": "on",
            "code": "print('sneaky edit')\n",
            "versions-TOTAL_FORMS": "3",
            "versions-INITIAL_FORMS": "3",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            **{
                f"versions-{i}-id": str(v.pk)
                for i, v in enumerate(owner_bot.versions.order_by("-version_number"))
            },
            **{f"versions-{i}-bot": str(owner_bot.pk) for i in range(3)},
        },
    )

    assert Bot.objects.get(pk=owner_bot.pk).code == CODE_V3
    assert BotVersion.objects.filter(bot=owner_bot).count() == 3
