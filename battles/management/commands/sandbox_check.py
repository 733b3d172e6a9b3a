"""manage.py sandbox_check: run the canary attacks and print the state of every layer, and the
bots' runtime (their Python and numpy).

Exit code 0 when every check passes, 1 otherwise, so deployment scripts can gate on it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from battles.sandbox import LayerCheck, SandboxMode, SelfTestReport, bot_runtime, self_test
from battles.sandbox_policy import sandbox_mode


class Command(BaseCommand):
    help = "Run a canary set of attacks in the sandbox and report each isolation layer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mode",
            choices=[mode.value for mode in SandboxMode],
            help="default: GAMEARENA_SANDBOX",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        mode = SandboxMode(options["mode"]) if options["mode"] else configured_mode()
        self.stderr.write(f"running the sandbox self-test in {mode.value} mode…")
        report = self_test(mode)
        # Apart from the self-test: the runner gates play on that one, and a bot runtime
        # without numpy is a setup step left undone, not a hole in the sandbox.
        runtime = bot_runtime(mode)
        if options["json"]:
            self.stdout.write(json.dumps(report_json(report, runtime)))
        else:
            self.write_report(report, runtime)
        failed = len(report.failures) + (not runtime.ok)
        if failed:
            raise CommandError(f"{failed} sandbox check(s) failed", returncode=1)

    def write_report(self, report: SelfTestReport, runtime: LayerCheck) -> None:
        self.stdout.write(f"mode:  {report.mode.value}")
        self.stdout.write(f"level: {report.level}")
        for check in (*report.checks, runtime):
            mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"  {mark} {check.name:<16} {check.detail}")
        for missing in report.level.degraded:
            self.stdout.write(self.style.WARNING(f"  degraded: {missing}"))


def configured_mode() -> SandboxMode:
    # The check reports on the configured mode even where that mode may not play matches.
    try:
        return sandbox_mode()
    except Exception:
        return SandboxMode.NONE


def report_json(report: SelfTestReport, runtime: LayerCheck) -> dict[str, Any]:
    return {
        "mode": report.mode.value,
        "level": str(report.level),
        "ok": report.ok and runtime.ok,
        "bot_runtime": {"ok": runtime.ok, "detail": runtime.detail},
        "degraded": list(report.level.degraded),
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in report.checks],
    }
