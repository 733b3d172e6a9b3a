"""manage.py reports a configuration mistake in one line that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environ.update(GAMEARENA_VAR_DIR=str(tmp_path), **overrides)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_without_debug_or_a_secret_key_manage_py_prints_one_line_naming_the_run_command(
    tmp_path: Path,
) -> None:
    result = run_manage(tmp_path)

    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for words in ("SECRET_KEY", "DEBUG=1", "bash .ci/serve"):
        assert words in lines[0]


def test_a_bad_setting_value_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = run_manage(tmp_path, DEBUG="1", GAMEARENA_TURN_TIMEOUT_MS="soon")

    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "manage.py: GAMEARENA_TURN_TIMEOUT_MS must be a whole number, got 'soon'"
    ]


def test_with_debug_on_manage_py_works(tmp_path: Path) -> None:
    result = run_manage(tmp_path, DEBUG="1", GAMEARENA_SANDBOX="bwrap")

    assert result.returncode == 0, result.stderr
    assert "System check identified" in result.stdout
