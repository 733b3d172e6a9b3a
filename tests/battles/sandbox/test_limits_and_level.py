"""Limits, programs, the seccomp program, staging and the reported level: plain values."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from battles.sandbox import (
    BotProcess,
    BotProgram,
    Limits,
    SandboxError,
    SandboxMode,
    launch,
    process,
    sandbox_level,
)
from battles.sandbox.cgroups import CgroupSupport
from battles.sandbox.launch import bwrap_argv, nproc_budget, prlimit_argv, stage_code
from battles.sandbox.level import SandboxLevel
from battles.sandbox.seccomp import SECCOMP_DENIED, seccomp_program, seccomp_supported


def test_default_limits_follow_the_game_and_the_study() -> None:
    limits = Limits()
    assert (limits.first_answer_ms, limits.answer_ms) == (1000, 50)
    assert limits.max_line_bytes == 65536
    assert limits.open_files == 256
    assert limits.pids == 64


@pytest.mark.parametrize("field", ["answer_ms", "memory_mb", "pids", "tmp_mb", "open_files"])
def test_limits_refuse_non_positive_values(field: str) -> None:
    zero: dict[str, Any] = {field: 0}
    with pytest.raises(ValueError, match=field):
        Limits(**zero)


def test_limits_refuse_a_privileged_seat_uid_range() -> None:
    with pytest.raises(ValueError, match="seat_uid_first"):
        Limits(seat_uid_first=0)


@pytest.mark.parametrize("entry", ["/etc/passwd", "../other/main.py", ""])
def test_a_program_entry_must_stay_inside_its_code_dir(entry: str) -> None:
    with pytest.raises(ValueError, match="entry"):
        BotProgram(Path("/tmp"), entry)


def test_a_program_from_a_file_is_its_directory_and_its_name(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text("print(1)\n")
    assert BotProgram.from_file(tmp_path / "bot.py") == BotProgram(tmp_path, "bot.py")


def test_python_bots_run_unbuffered_without_environment_or_user_site() -> None:
    program = BotProgram(Path("/x"), "main.py")
    argv = bwrap_argv(program, Path("/tmp/gamearena-x"), Limits(), None)
    assert argv[argv.index("--") + 1 :] == ["/usr/bin/python3", "-E", "-s", "-u", "/bot/main.py"]


def test_bwrap_gets_every_namespace_and_no_host_path_but_usr_and_the_code() -> None:
    argv = bwrap_argv(BotProgram(Path("/x")), Path("/tmp/gamearena-x"), Limits(), 5)
    for flag in (
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ):
        assert flag in argv
    assert argv[argv.index("--cap-drop") + 1] == "ALL"
    assert argv[argv.index("--seccomp") + 1] == "5"
    binds = [argv[i + 1] for i, arg in enumerate(argv) if arg in ("--bind", "--ro-bind")]
    assert binds == ["/usr", "/tmp/gamearena-x/bot"]
    # Symlinks only lead back into /usr: the root's usr/bin style links, the alternatives.
    targets = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--symlink"]
    assert all(t.startswith(("usr/", "/usr/")) for t in targets), targets
    assert "--bind" not in argv  # nothing of the host is writable


def test_rlimits_are_hard_and_nproc_only_with_a_seat_uid() -> None:
    argv = prlimit_argv(Limits(), nproc=None, address_space=True)
    assert "--nofile=256:256" in argv
    assert "--core=0:0" in argv
    assert not any(arg.startswith("--nproc") for arg in argv)
    assert any(arg.startswith("--as=") for arg in argv)
    assert "--nproc=64:64" in prlimit_argv(Limits(), nproc=64, address_space=False)


def test_a_seat_uid_gets_exactly_the_pids_limit_and_a_shared_uid_a_budget_above_its_load() -> None:
    limits = Limits(pids=10)
    assert nproc_budget(limits, seat=True) == 10
    assert nproc_budget(limits, seat=False) > 10  # this very process already counts


@pytest.mark.skipif(not seccomp_supported(), reason="the filter exists for x86_64 only")
def test_the_seccomp_program_checks_the_architecture_first_and_allows_by_default() -> None:
    program = seccomp_program()
    assert len(program) % 8 == 0
    insns = [struct.unpack("<HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    assert insns[0] == (0x20, 0, 0, 4)  # load seccomp_data.arch
    assert insns[1][3] == 0xC000003E  # AUDIT_ARCH_X86_64
    assert insns[2] == (0x06, 0, 0, 0x80000000)  # otherwise kill the process
    assert insns[-1] == (0x06, 0, 0, 0x7FFF0000)  # default: allow
    denied = {k for code, _, _, k in insns if code == 0x15}
    assert set(SECCOMP_DENIED.values()) <= denied
    assert len(insns) < 4096
    assert seccomp_program() is program  # built once per process


def test_staging_copies_regular_files_only_and_never_follows_symlinks(tmp_path: Path) -> None:
    code = tmp_path / "code"
    (code / "pkg").mkdir(parents=True)
    (code / "main.py").write_text("import pkg.mod\n")
    (code / "pkg" / "mod.py").write_text("X = 1\n")
    (code / "secret").symlink_to("/etc/hostname")
    staging = stage_code(BotProgram(code))
    try:
        copied = sorted(str(p.relative_to(staging / "bot")) for p in (staging / "bot").rglob("*"))
        assert copied == ["main.py", "pkg", "pkg/mod.py"]
        assert oct((staging / "bot" / "main.py").stat().st_mode & 0o777) == "0o644"
    finally:
        shutil.rmtree(staging)


def test_a_missing_entry_file_is_an_infrastructure_error(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="not found"):
        BotProcess.start(BotProgram(tmp_path, "main.py"), mode=SandboxMode.NONE)


def test_an_interpreter_outside_usr_is_refused_in_bwrap_mode(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print(1)\n")
    (tmp_path / "python3").write_text("")  # exists, but the sandbox only mounts /usr
    program = BotProgram(tmp_path, interpreter=tmp_path / "python3")
    with pytest.raises(SandboxError, match="not under /usr"):
        BotProcess.start(program, mode=SandboxMode.BWRAP)


def test_what_no_retry_can_fix_is_a_permanent_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.py").write_text("print(1)\n")
    (tmp_path / "python3").write_text("")
    attempts = [
        (BotProgram(tmp_path, "other.py"), SandboxMode.NONE, "not found"),
        (BotProgram(tmp_path, interpreter=tmp_path / "python3"), SandboxMode.BWRAP, "/usr"),
        (BotProgram(tmp_path, interpreter=Path("/usr/bin/nope")), SandboxMode.NONE, "not exist"),
    ]
    for program, mode, message in attempts:
        with pytest.raises(SandboxError, match=message) as error:
            BotProcess.start(program, mode=mode)
        assert error.value.permanent, message

    (tmp_path / "more.py").write_text("X = 1\n")
    monkeypatch.setattr(launch, "MAX_CODE_FILES", 1)
    with pytest.raises(SandboxError, match="too large") as error:
        BotProcess.start(BotProgram(tmp_path), mode=SandboxMode.NONE)
    assert error.value.permanent

    monkeypatch.setattr(process, "sandbox_level", lambda *_: _level(bwrap_version=None))
    with pytest.raises(SandboxError, match="not installed") as error:
        BotProcess.start(BotProgram(tmp_path), mode=SandboxMode.BWRAP)
    assert error.value.permanent


def test_a_launch_the_host_could_not_do_now_is_a_transient_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.py").write_text("print(1)\n")

    def no_fork(*_args: object, **_kwargs: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", no_fork)
    with pytest.raises(SandboxError, match="cannot launch the bot") as error:
        BotProcess.start(BotProgram(tmp_path), mode=SandboxMode.NONE)
    assert not error.value.permanent
    assert not SandboxError("any").permanent, "transient unless said otherwise"


@pytest.mark.bwrap
def test_a_cgroup_that_cannot_be_created_is_a_transient_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.py").write_text("print(1)\n")

    def no_cgroup(**_kwargs: object) -> None:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(process, "cgroup_support", lambda _parent: CgroupSupport(True, True, True))
    monkeypatch.setattr(process, "BotCgroup", no_cgroup)
    with pytest.raises(SandboxError, match="cgroup") as error:
        BotProcess.start(BotProgram(tmp_path), mode=SandboxMode.BWRAP)
    assert not error.value.permanent


def _level(**overrides: object) -> SandboxLevel:
    values: dict[str, object] = {
        "mode": SandboxMode.BWRAP,
        "bwrap_version": "bubblewrap 0.8.0",
        "namespaces": True,
        "seccomp": True,
        "rlimits": True,
        "seat_uid": True,
        "unprivileged": True,
        "nproc": True,
        "cgroup_memory": True,
        "cgroup_pids": True,
        "cgroup_kill": True,
    }
    values.update(overrides)
    return SandboxLevel(**values)  # type: ignore[arg-type]


def test_the_full_level_has_a_short_label_and_nothing_degraded() -> None:
    level = _level()
    assert str(level) == "bwrap+seccomp+rlimits+uid+cgroup(memory,pids,kill)"
    assert level.degraded == ()
    assert level.usable


def test_a_host_without_cgroups_is_reported_as_degraded() -> None:
    level = _level(cgroup_memory=False, cgroup_pids=False, cgroup_kill=False)
    assert str(level) == "bwrap+seccomp+rlimits+uid, no cgroup: memory by RLIMIT_AS"
    assert "no memory cgroup: memory limited by RLIMIT_AS" in level.degraded


def test_a_missing_bwrap_makes_bwrap_mode_unusable_and_says_so() -> None:
    level = _level(bwrap_version=None, namespaces=False)
    assert not level.usable
    assert any("bubblewrap" in reason for reason in level.degraded)


def test_none_mode_is_labelled_unsafe() -> None:
    level = sandbox_level(SandboxMode.NONE)
    assert level.mode is SandboxMode.NONE
    assert "UNSAFE" in str(level)
    assert not level.namespaces
    assert not level.seccomp
