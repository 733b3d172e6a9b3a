"""The compiled engine build: used only when it matches the sources, never stale, never silent.

The rest of the engine suite runs twice (.ci/test): on whatever this process loaded (the build,
when one matches) and again with GAMEARENA_ENGINE=pure, so both builds meet every checkpoint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import battles.engine.game
from battles.engine import native
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[3]
SUFFIX = EXTENSION_SUFFIXES[0]


def run_engine(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports the engine under ``env``."""
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


WHICH = (
    "import battles.engine.game as g; from battles.engine import native; "
    "print(g.__file__); print(native.status().describe())"
)


def fake_build(root: Path, digest: str, *, complete: bool = True) -> Path:
    """A directory shaped like a build (empty files: only ever inspected, never loaded)."""
    build = root / native.build_name(digest)
    modules = build / "battles" / "engine"
    modules.mkdir(parents=True)
    (build / f"{native.LIBRARY}{SUFFIX}").touch()
    for name in native.COMPILED:
        (modules / f"{name}{SUFFIX}").touch()
    if complete:
        (build / "COMPLETE").write_text("digest\n")
    return build


def test_a_build_counts_only_when_complete_and_whole(tmp_path: Path) -> None:
    assert native.find_build(str(tmp_path), "feed") is None
    fake_build(tmp_path / "half", "feed", complete=False)
    assert native.find_build(str(tmp_path / "half"), "feed") is None
    whole = fake_build(tmp_path / "whole", "feed")
    assert native.find_build(str(tmp_path / "whole"), "feed") == str(whole)
    (whole / "battles" / "engine" / f"game{SUFFIX}").unlink()
    assert native.find_build(str(tmp_path / "whole"), "feed") is None


def test_any_edit_to_any_engine_source_changes_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "engine"
    shutil.copytree(native.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("_native", "__py*"))
    assert native.source_digest(str(copy)) == native.source_digest()
    for name in ("game.py", "types.py", "native.py"):  # compiled or not, all count
        original = (copy / name).read_text()
        (copy / name).write_text(original + "\n# an edit\n")
        assert native.source_digest(str(copy)) != native.source_digest()
        (copy / name).write_text(original)
    (copy / "new_module.py").write_text("")
    assert native.source_digest(str(copy)) != native.source_digest()


def test_a_build_for_other_sources_is_never_loaded(tmp_path: Path) -> None:
    fake_build(tmp_path, "0123456789abcdef")  # would fail to load: the files are empty
    result = run_engine(WHICH, GAMEARENA_ENGINE="auto", GAMEARENA_ENGINE_BUILD_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    module, decision = result.stdout.splitlines()
    assert module.endswith("game.py")
    assert decision.startswith("pure Python: no build for these sources")
    assert "python -m battles.engine.native_build" in decision


def test_pure_mode_runs_the_sources_even_with_a_build() -> None:
    result = run_engine(WHICH, GAMEARENA_ENGINE="pure")
    assert result.returncode == 0, result.stderr
    module, decision = result.stdout.splitlines()
    assert module == os.path.join(native.PACKAGE_DIR, "game.py")
    assert decision == "pure Python: GAMEARENA_ENGINE=pure"


def test_native_mode_without_a_build_is_an_error_naming_the_fix(tmp_path: Path) -> None:
    result = run_engine(WHICH, GAMEARENA_ENGINE="native", GAMEARENA_ENGINE_BUILD_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ImportError: GAMEARENA_ENGINE=native, but there is no build" in result.stderr
    assert "python -m battles.engine.native_build" in result.stderr


def test_an_unknown_mode_is_refused() -> None:
    result = run_engine(WHICH, GAMEARENA_ENGINE="turbo")
    assert result.returncode != 0
    assert "GAMEARENA_ENGINE must be one of auto, pure, native, not 'turbo'" in result.stderr


def test_this_process_runs_the_build_when_one_matches_the_sources() -> None:
    """CI builds the engine first (.ci/test), so there this runs the compiled engine; a
    missing build fails there and skips elsewhere, like a missing service."""
    if native.mode() == "pure":
        assert not native.status().compiled
        assert battles.engine.game.__file__.endswith("game.py")
        return
    if native.find_build(native.builds_dir(), native.source_digest()) is None:
        service_missing("no compiled engine build: python -m battles.engine.native_build")
    assert native.status().compiled, native.status().describe()
    assert battles.engine.game.__file__.endswith(SUFFIX)
    assert battles.engine.game.__file__.startswith(native.builds_dir())


@pytest.mark.parametrize("seed", [1, 42, -7])
def test_the_compiled_and_the_pure_engine_play_identical_games(seed: int) -> None:
    """Snapshots after every turn, from both engines, for the same seed and lines."""
    code = (
        "import json, sys\n"
        "from battles.engine.benchmark import TargetPolicy\n"
        "from battles.engine.game import Game\n"
        f"game = Game.from_seed({seed}); policy = TargetPolicy(game, {seed}); frames = []\n"
        "w = game.grid.width\n"
        "while not game.over:\n"
        "    orders = policy.choose(game)\n"
        "    texts = {p: game.input_for(p) for p in game.players_to_ask()}\n"
        "    game.play_turn({p: ' | '.join(f'MOVE {n} {c % w} {c // w}' for n, c in orders[p])"
        " for p in texts})\n"
        "    frames.append([texts, game.snapshot()])\n"
        "print(json.dumps([frames, str(game.outcome)]))\n"
    )
    if native.find_build(native.builds_dir(), native.source_digest()) is None:
        service_missing("no compiled engine build: python -m battles.engine.native_build")
    pure = run_engine(code, GAMEARENA_ENGINE="pure")
    compiled = run_engine(code, GAMEARENA_ENGINE="native")
    assert pure.returncode == 0, pure.stderr
    assert compiled.returncode == 0, compiled.stderr
    assert len(pure.stdout) > 10_000  # every turn's inputs and snapshot
    assert compiled.stdout == pure.stdout


def test_a_failed_build_says_why_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """No C compiler: exit status 2, one clear line, no half-made build to be found later."""
    result = subprocess.run(
        [sys.executable, "-m", "battles.engine.native_build"],
        cwd=ROOT,
        env={**os.environ, "GAMEARENA_ENGINE_BUILD_DIR": str(tmp_path), "CC": "/bin/false"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "engine build failed: CompileError" in result.stderr
    assert result.stderr.rstrip().endswith("the engine runs its Python sources")
    assert list(tmp_path.iterdir()) == []
