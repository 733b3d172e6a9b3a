"""The browsable API: session-authenticated HTML pages over the same endpoints."""

from __future__ import annotations

from django.test import Client

from bots.models import Bot


def test_a_signed_in_owner_can_browse_their_bots_and_versions(
    client: Client, owner_bot: Bot
) -> None:
    client.force_login(owner_bot.owner)

    listing = client.get("/api/bots", HTTP_ACCEPT="text/html")
    versions = client.get(f"/api/bots/{owner_bot.pk}/versions", HTTP_ACCEPT="text/html")

    assert listing.status_code == 200
    assert listing["Content-Type"].startswith("text/html")
    assert "pacman" in listing.content.decode()
    assert "avoid ghosts" in versions.content.decode()


def test_session_writes_need_the_csrf_token(owner_bot: Bot) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner_bot.owner)

    response = client.post(
        "/api/bots", {"name": "x", "code": "print(1)"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Bot.objects.count() == 1
