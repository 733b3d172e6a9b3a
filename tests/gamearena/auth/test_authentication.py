"""The authentication class DRF imports is a module of its own, not also a URLconf."""

from __future__ import annotations

import gamearena.auth
import gamearena.auth.authentication
import gamearena.auth.urls


def test_the_auth_package_is_neither_a_urlconf_nor_lazy() -> None:
    assert not hasattr(gamearena.auth, "urlpatterns")
    assert not hasattr(gamearena.auth, "__getattr__")
    assert not hasattr(gamearena.auth.authentication, "urlpatterns")
    assert gamearena.auth.urls.urlpatterns
