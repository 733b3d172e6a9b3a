"""Each failed request is logged once, in the configuration the run command uses (DEBUG on)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]

# Django's logging set up from the product's settings, then requests that fail with 4xx.
REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.get("/api/no-such-endpoint")
client.get("/api/bots")
client.get("/no-such-page")
"""


def test_with_debug_on_every_4xx_is_printed_once(tmp_path: Path) -> None:
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ.update(
        DJANGO_SETTINGS_MODULE="gamearena.settings",
        DEBUG="1",
        GAMEARENA_VAR_DIR=str(tmp_path),
        LOG_LEVEL="INFO",
    )
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip

    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /api/no-such-endpoint") == 1, result.stderr
    assert lines.count("Unauthorized: /api/bots") == 1, result.stderr
    assert lines.count("Not Found: /no-such-page") == 1, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [("/api/no-such-endpoint", "Not Found"), ("/api/bots", "Unauthorized")],
)
def test_a_4xx_makes_one_log_record(
    caplog: pytest.LogCaptureFixture, settings: object, url: str, message: str
) -> None:
    APIClient().get(url)

    records = [r for r in caplog.records if r.name.startswith("django")]
    assert [r.getMessage() for r in records] == [f"{message}: {url}"]
