"""manage.py sandbox_check: the state of every sandbox layer, and a failing exit when one fails."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from battles.management.commands import sandbox_check
from battles.sandbox import LayerCheck


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
    assert "ok   bot_runtime      /usr/bin/python3 3." in text
    assert ", numpy " in text


def test_sandbox_check_fails_on_a_bot_runtime_without_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = LayerCheck("bot_runtime", False, "/usr/bin/python3 3.11.2, numpy missing: ...")
    monkeypatch.setattr(sandbox_check, "bot_runtime", lambda _mode: missing)
    out, text = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"sandbox check\(s\) failed"):
        call_command("sandbox_check", "--mode", "none", "--json", stdout=out, stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("sandbox_check", "--mode", "none", stdout=text, stderr=StringIO())
    report = json.loads(out.getvalue())
    assert report["bot_runtime"] == {"ok": False, "detail": missing.detail}
    assert f"FAIL bot_runtime      {missing.detail}" in text.getvalue()
