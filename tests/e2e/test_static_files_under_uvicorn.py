"""The run command's server (uvicorn) serves the admin's and the API docs' assets.

Django's development server serves static files by itself; uvicorn does not, so without
help the admin and Swagger UI pages load with no styles or scripts. They must work with
DEBUG on (development) and off (a real instance), without a collectstatic step.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.live_server import LiveServer, live_server

ASSETS = [
    ("/static/admin/css/base.css", "text/css"),
    ("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", "text/javascript"),
    ("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css", "text/css"),
    ("/favicon.ico", "image/x-icon"),
]


@pytest.fixture(scope="module", params=[True, False], ids=["DEBUG on", "DEBUG off"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("static-server")
    with live_server(directory, [], debug=bool(request.param)) as running:
        yield running


@pytest.mark.parametrize(("path", "content_type"), ASSETS)
def test_static_assets_are_served(server: LiveServer, path: str, content_type: str) -> None:
    status, served_type, body = server.get_raw(path)

    assert status == 200
    assert served_type.startswith(content_type)
    assert len(body) > 100


def test_the_api_docs_page_names_assets_that_are_served(server: LiveServer) -> None:
    status, _, page = server.get_raw("/api/docs/")

    assert status == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
