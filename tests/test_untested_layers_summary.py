"""A run that skipped service-dependent tests ends by saying which layers went untested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import untested_layer_lines

ROOT = Path(__file__).resolve().parents[1]
# The suite's conftest loaded as a plugin, in a run of its own that has nothing else of ours.
PYTEST = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider"]
SKIPPING = """
import pytest
from tests.conftest import service_missing

@pytest.mark.parametrize("n", range(3))
def test_needs_bwrap(n):
    service_missing("the bubblewrap sandbox cannot start here: bwrap is not installed")

def test_needs_redis():
    service_missing("Redis is not reachable at redis://127.0.0.1:6379/15")

def test_runs():
    pass
"""


def test_the_run_ends_with_the_untested_layers_their_counts_and_install_commands(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    env.pop("GAMEARENA_REQUIRE_SERVICES", None)  # this run is about the local, skipping case
    done = subprocess.run(
        [*PYTEST, "-q", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    block = done.stdout.rsplit("layers that went untested", 1)[1].splitlines()[1:]
    assert block[0].split()[:4] == ["3", "skipped:", "bubblewrap", "sandbox"]
    assert "apt-get install bubblewrap" in block[1]
    assert block[2].split()[:3] == ["1", "skipped:", "Redis"]
    assert "redis-server" in block[3]
    assert ".ci/run" in block[4]
    assert len(block) == 5, "the block is the last thing printed"


def test_no_block_when_nothing_was_skipped_for_a_service() -> None:
    deferred = "needs PostgreSQL as the default database: .ci/test runs these in its pass"
    assert untested_layer_lines([deferred, "an unrelated skip"]) == []
    assert untested_layer_lines(["PostgreSQL is not reachable at 127.0.0.1:5432"])[0].startswith(
        "   1 skipped: PostgreSQL"
    )
