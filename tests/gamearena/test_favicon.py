"""Browsers ask every page for /favicon.ico: it is served, and the pages link it."""

from __future__ import annotations

import pytest
from django.test import Client


def test_favicon_ico_is_an_icon() -> None:
    response = Client().get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.getvalue().startswith(b"\x00\x00\x01\x00")  # the ICO signature


@pytest.mark.django_db
def test_the_home_page_links_the_favicon() -> None:
    response = Client().get("/")

    assert response.status_code == 200
    assert b'<link rel="icon" href="/favicon.ico"' in response.content
