"""The settings module as a whole, imported in a fresh interpreter with a chosen environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_SECRET = "from django.conf import settings; print(settings.SECRET_KEY)"


def import_settings(
    environ: dict[str, str], code: str = "import gamearena.settings"
) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")
    }
    env = {**clean, "DJANGO_SETTINGS_MODULE": "gamearena.settings", **environ}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_without_debug_a_missing_secret_key_is_refused(tmp_path: Path) -> None:
    result = import_settings({"GAMEARENA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_in_development_the_generated_secret_key_is_kept_between_processes(tmp_path: Path) -> None:
    environ = {"DEBUG": "1", "GAMEARENA_VAR_DIR": str(tmp_path)}
    first = import_settings(environ, PRINT_SECRET)
    second = import_settings(environ, PRINT_SECRET)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_bad_ttl_stops_start_up_with_its_name(tmp_path: Path) -> None:
    result = import_settings(
        {"DEBUG": "1", "GAMEARENA_VAR_DIR": str(tmp_path), "BATTLE_TTL_SECONDS": "-5"}
    )
    assert "BATTLE_TTL_SECONDS must be at least 1, got -5" in result.stderr
