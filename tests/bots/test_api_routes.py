"""The bots routes: one viewset on a router, and numbers bounded to what the database stores."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from bots import urls
from bots.apis import BotViewSet
from bots.models import Bot
from gamearena.converters import BIG_INTEGER_MAX, INTEGER_MAX
from tests.bots.support import assert_error

HUGE = "99999999999999999999"  # past 2**64: SQLite's driver overflows on it


def test_every_bots_route_comes_from_the_viewset_on_a_router() -> None:
    assert isinstance(urls.router, SimpleRouter)
    assert urls.urlpatterns == urls.router.urls
    expected = {
        "/api/bots": ("bot-list", {"get": "list", "post": "create"}),
        "/api/bots/public": ("bot-public-list", {"get": "public"}),
        "/api/bots/1": (
            "bot-detail",
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
        ),
        "/api/bots/1/versions": ("bot-version-list", {"get": "versions"}),
        "/api/bots/1/versions/2": ("bot-version-detail", {"get": "version"}),
        "/api/bots/1/rollback/2": ("bot-rollback", {"post": "rollback"}),
        "/api/bots/1/versions/2/diff/3": ("bot-version-diff", {"get": "diff"}),
    }
    for path, (name, actions) in expected.items():
        match = resolve(path)
        view: Any = match.func  # DRF's as_view() sets .cls and .actions on it
        assert view.cls is BotViewSet, path
        routed = {method: act for method, act in view.actions.items() if method != "head"}
        assert (match.url_name, routed) == (name, actions), path
        assert reverse(name, kwargs=match.kwargs) == path


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/bots/{HUGE}"),
        ("patch", f"/api/bots/{HUGE}"),
        ("delete", f"/api/bots/{HUGE}"),
        ("get", f"/api/bots/{BIG_INTEGER_MAX + 1}"),
        ("get", f"/api/bots/{HUGE}/versions"),
        ("get", "/api/bots/{bot}/versions/" + HUGE),
        ("get", "/api/bots/{bot}/versions/" + str(INTEGER_MAX + 1)),
        ("get", "/api/bots/{bot}/versions/1/diff/" + HUGE),
        ("get", "/api/bots/{bot}/versions/" + HUGE + "/diff/1"),
        ("post", "/api/bots/{bot}/rollback/" + HUGE),
        ("get", "/api/bots/{bot}/versions/1/diff/" + "9" * 100_000),
    ],
)
def test_numbers_too_big_for_the_database_are_404_in_the_envelope(
    owner_api: APIClient, owner_bot: Bot, method: str, path: str
) -> None:
    response = getattr(owner_api, method)(path.format(bot=owner_bot.pk), {}, format="json")

    assert_error(response, 404, "not_found")
    assert Bot.objects.get(pk=owner_bot.pk).version_number == 3


def test_the_largest_storable_numbers_still_reach_the_views(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    assert_error(owner_api.get(f"/api/bots/{BIG_INTEGER_MAX}"), 404, "not_found")
    version = f"/api/bots/{owner_bot.pk}/versions/{INTEGER_MAX}"
    assert_error(owner_api.get(version), 404, "version_not_found")
    assert_error(owner_api.get(f"{version}/diff/1"), 404, "version_not_found")
    assert_error(
        owner_api.post(f"/api/bots/{owner_bot.pk}/rollback/{INTEGER_MAX}"), 404, "version_not_found"
    )


def test_leading_zeros_name_the_same_version(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.get(f"/api/bots/{owner_bot.pk}/versions/0002")

    assert response.json()["version"]["version_number"] == 2


@pytest.mark.postgres
@pytest.mark.parametrize("number", [INTEGER_MAX + 1, BIG_INTEGER_MAX + 1, int(HUGE)])
def test_on_postgresql_too_big_version_numbers_are_404(
    owner_api: APIClient, owner_bot: Bot, number: int
) -> None:
    base = f"/api/bots/{owner_bot.pk}"
    for path in (f"{base}/versions/{number}", f"{base}/versions/1/diff/{number}"):
        assert_error(owner_api.get(path), 404, "not_found")
    assert_error(owner_api.post(f"{base}/rollback/{number}"), 404, "not_found")
    assert_error(owner_api.get(f"/api/bots/{number}"), 404, "not_found")
