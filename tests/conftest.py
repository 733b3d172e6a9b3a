"""Suite-wide fixtures and the rules for tests that need real services.

Tests that need PostgreSQL, Redis or bubblewrap run whenever those are reachable. When
one is missing they skip with the reason shown, except where GAMEARENA_REQUIRE_SERVICES=1
(CI sets it): there a missing service fails the test, so CI can never go green by
silently not running them.
"""

from __future__ import annotations

import functools
import os
import socket
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from tests.cast import api_client_for, make_user

REQUIRE_SERVICES = os.environ.get("GAMEARENA_REQUIRE_SERVICES") == "1"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def service_missing(reason: str) -> None:
    """Skip locally, fail in CI: the one place that decides what a missing service means."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (GAMEARENA_REQUIRE_SERVICES=1: required here)", pytrace=False)
    pytest.skip(reason)


def tcp_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def default_database_is_postgres() -> bool:
    return "postgresql" in django_settings.DATABASES["default"]["ENGINE"]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep_modules_on_one_worker(items)
    leave_out_alone_tests_when_parallel(config, items)
    # PostgreSQL-only tests need PostgreSQL as *the* database; the test command runs them
    # in a second pass with DATABASE_URL set (.ci/test), so here they are deferred, not lost.
    if default_database_is_postgres():
        return
    deferred = pytest.mark.skip(
        reason="needs PostgreSQL as the default database: .ci/test runs these in its "
        "PostgreSQL pass (DATABASE_URL=postgres://...)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(deferred)


def leave_out_alone_tests_when_parallel(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `alone` judge deadlines under a load they make themselves: beside other
    tests they would judge an unknown load. A parallel run leaves them out, and the test
    command runs them by themselves afterwards (.ci/test)."""
    if not (getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput")):
        return
    alone = [item for item in items if item.get_closest_marker("alone") is not None]
    if alone:
        config.hook.pytest_deselected(items=alone)
        items[:] = [item for item in items if item.get_closest_marker("alone") is None]


def keep_modules_on_one_worker(items: list[pytest.Item]) -> None:
    """A parallel run (.ci/test: pytest-xdist, --dist loadgroup) keeps each module's tests on
    one worker, so a module's expensive fixtures (a live server, real Celery workers) start
    once; a test marked `spread` is a group of its own, free to run beside its neighbours."""
    for item in items:
        if item.get_closest_marker("spread") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.fixture(autouse=True)
def isolated_cache(settings: Any) -> None:
    """A fresh key prefix per test, so no test sees another's cached values (STYLE #12)."""
    caches = {alias: dict(config) for alias, config in django_settings.CACHES.items()}
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    for config in caches.values():
        config["KEY_PREFIX"] = prefix
        if config["BACKEND"].endswith("LocMemCache"):
            config["LOCATION"] = prefix
    settings.CACHES = caches


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis for tests that talk to one directly; missing → skip or fail (CI)."""
    url = os.environ.get("REDIS_URL") or os.environ.get(
        "GAMEARENA_TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL
    )
    if not tcp_reachable(url, 6379):
        service_missing(f"Redis is not reachable at {url}")
    return url


ECHO_BOT = "import sys\nfor line in sys.stdin:\n    print('echo', line.strip(), flush=True)\n"


@functools.cache
def bwrap_problem() -> str | None:
    """None when a bot starts in the bubblewrap sandbox and answers here; else why not.

    Probed once per test session with a real bot, not by looking for the binary: bwrap can
    be installed yet unable to create namespaces (containers, AppArmor).
    """
    from battles.sandbox import BotProcess, BotProgram, SandboxError, SandboxMode

    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "echo.py").write_text(ECHO_BOT)
        try:
            with BotProcess.start(
                BotProgram(Path(directory), "echo.py"), mode=SandboxMode.BWRAP
            ) as bot:
                answer = bot.exchange("ping", 5000)
        except SandboxError as error:
            return f"the bubblewrap sandbox cannot start here: {error}"
    if answer.line != "echo ping":
        return f"a bot in the bubblewrap sandbox did not answer: {answer}"
    return None


@pytest.fixture(autouse=True)
def require_bwrap_for_marked_tests(request: pytest.FixtureRequest) -> None:
    """Tests marked bwrap run only where the sandbox works: skip locally, fail in CI."""
    if request.node.get_closest_marker("bwrap") is None:
        return
    problem = bwrap_problem()
    if problem is not None:
        service_missing(problem)


# What each service-dependent group of tests needs, how its skip reasons read, and the command
# that provides it. `sudo bash .ci/run` installs and starts all of them on Debian/Ubuntu.
UNTESTED_LAYERS = (
    (
        "bubblewrap sandbox",
        ("bubblewrap",),
        "sudo apt-get install bubblewrap (and allow unprivileged user namespaces if rootless)",
    ),
    (
        "PostgreSQL",
        ("PostgreSQL is not reachable", "postgres"),
        "sudo apt-get install postgresql && sudo pg_ctlcluster <version> main start",
    ),
    (
        "Redis",
        ("Redis",),
        "sudo apt-get install redis-server && redis-server --daemonize yes --bind 127.0.0.1",
    ),
    (
        "cgroups",
        ("cgroup",),
        "run the tests as root on a host with cgroups (as CI does)",
    ),
    (
        "Chromium (browser tests)",
        ("Chromium is not installed", "selenium is not installed"),
        "sudo apt-get install chromium chromium-driver",
    ),
    (
        "compiled engine",
        ("compiled engine",),
        "sudo apt-get install gcc python3-dev && .venv/bin/python -m battles.engine.native_build",
    ),
)
DEFERRED_TO_POSTGRES = "needs PostgreSQL as the default database"


def untested_layer_lines(skip_reasons: list[str]) -> list[str]:
    """The closing block's lines: per untested layer, how many tests skipped and the command
    that provides it. Skips deferred to the PostgreSQL pass of .ci/test are not "untested"."""
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for reason in skip_reasons:
        if DEFERRED_TO_POSTGRES in reason:
            continue
        for name, markers, _ in UNTESTED_LAYERS:
            if any(marker in reason for marker in markers):
                counts[name] = counts.get(name, 0) + 1
                examples.setdefault(name, reason)
                break
    lines = []
    for name, _, command in UNTESTED_LAYERS:
        if name in counts:
            lines += [
                f"{counts[name]:>4} skipped: {name} ({examples[name]})",
                f"      install: {command}",
            ]
    if lines:
        lines.append(
            "CI (GAMEARENA_REQUIRE_SERVICES=1) fails on these instead of skipping; "
            "`sudo bash .ci/run` installs and starts everything."
        )
    return lines


def pytest_unconfigure(config: pytest.Config) -> None:
    """Ends a run that skipped service-dependent tests with a block saying which layers went
    untested and how to get them, rather than only a count in pytest's summary line. (Here,
    not in pytest_terminal_summary: that one is printed above the short summary and the
    counts, where a skipped layer is easily scrolled past.)"""
    terminalreporter = config.pluginmanager.get_plugin("terminalreporter")
    if terminalreporter is None:
        return
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reasons.append(str(longrepr[2]).removeprefix("Skipped: "))
    lines = untested_layer_lines(reasons)
    if lines:
        terminalreporter.write_sep("=", "layers that went untested", yellow=True, bold=True)
        for line in lines:
            terminalreporter.write_line(line)


# -- the cast (tests/cast.py) and the sandbox every machine has ----------------------------


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("owner")


@pytest.fixture
def opponent(db: None) -> Any:
    return make_user("opponent")


@pytest.fixture
def stranger(db: None) -> Any:
    return make_user("stranger")


@pytest.fixture
def owner_api(owner: Any) -> Any:
    return api_client_for(owner)


@pytest.fixture
def opponent_api(opponent: Any) -> Any:
    return api_client_for(opponent)


@pytest.fixture
def stranger_api(stranger: Any) -> Any:
    return api_client_for(stranger)


@pytest.fixture
def anonymous_api(db: None) -> Any:
    return api_client_for(None)


@pytest.fixture
def unsafe_sandbox(settings: Any) -> None:
    """The plain-process mode, allowed explicitly: runs on any machine, bubblewrap or not."""
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": True,
    }


@pytest.fixture
def qualification_on(settings: Any) -> None:
    """New versions qualify before they become active, as in the product (the test settings
    turn it off so that submitting code plays no game)."""
    settings.GAMEARENA = {**settings.GAMEARENA, "QUALIFICATION": True}
