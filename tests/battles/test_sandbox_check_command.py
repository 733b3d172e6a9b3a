"""manage.py sandbox_check: the state of every sandbox layer, and a failing exit when one fails."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_sandbox_check_reports_that_the_unsafe_mode_contains_nothing() -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=r"sandbox check\(s\) failed"):
        call_command("sandbox_check", "--mode", "none", "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    checks = {check["name"]: check["ok"] for check in report["checks"]}
    assert report["mode"] == "none"
    assert report["ok"] is False
    assert checks["filesystem"] is False  # a plain process reads the host's files
    assert any("no isolation" in line for line in report["degraded"])


@pytest.mark.bwrap
def test_sandbox_check_passes_every_layer_in_the_bwrap_sandbox() -> None:
    out = StringIO()
    call_command("sandbox_check", "--mode", "bwrap", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "mode:  bwrap" in text
    assert "FAIL" not in text
    for layer in ("filesystem", "network", "seccomp", "uid"):
        assert f"ok   {layer}" in text
