"""Compile the engine with mypyc: ``python -m battles.engine.native_build [--force] [--status]``.

Needs mypy (which ships mypyc), setuptools and a C compiler with the Python headers; the setup
scripts install the first two from ``.ci/requirements-build.txt``. A build that cannot be made
leaves the engine on its sources, which are always correct, only slower; the exit status says
so (2) and the message says what is missing.

The build is made in a private directory beside the others and renamed into place only when
complete, so concurrent builds and running processes never see half of one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from battles.engine import native

KEEP_BUILDS = 3  # per interpreter: switching branches back and forth should not rebuild


class BuildError(Exception):
    """The compiled engine cannot be built here; the message says why."""


def build(digest: str) -> Path:
    """Compile the engine for the sources with ``digest``, replacing any build of them."""
    root = Path(native.builds_dir())
    _check_toolchain()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        output = work / "lib"
        _compile(work, output)
        (output / "COMPLETE").write_text(_manifest(digest))
        final = root / native.build_name(digest)
        if final.exists():  # --force, or another process finished first
            shutil.rmtree(final, ignore_errors=True)
        os.replace(output, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune(root, keep=final)
    return final


def _check_toolchain() -> None:
    try:
        import mypyc.build  # noqa: F401
        import setuptools  # noqa: F401
    except ImportError as error:
        raise BuildError(
            f"mypyc or setuptools is missing ({error}); pip install -r .ci/requirements-build.txt"
        ) from error
    if shutil.which(os.environ.get("CC", "cc")) is None and shutil.which("gcc") is None:
        raise BuildError("no C compiler found (install gcc, or set CC)")


def _compile(work: Path, output: Path) -> None:
    """mypycify + setuptools' build_ext, in this process, with everything under ``work``."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    sources = [str(Path(native.PACKAGE_DIR, f"{name}.py")) for name in native.COMPILED]
    # mypy must not read the project's configuration (Django plugins, per-module options): the
    # engine is checked strictly on its own, which is also how CI checks it.
    os.environ["MYPY_CACHE_DIR"] = str(work / "mypy-cache")
    previous = Path.cwd()
    os.chdir(Path(native.PACKAGE_DIR).parent.parent)  # module names are read from the paths
    try:
        modules = mypycify(
            ["--config-file=", "--strict", *sources],
            opt_level="3",
            group_name=native.LIBRARY.removesuffix("__mypyc"),
            target_dir=str(work / "c"),
        )
        dist = Distribution({"name": "gamearena-engine", "ext_modules": modules})
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(output)
        command.build_temp = str(work / "objects")
        command.ensure_finalized()
        command.run()
    except SystemExit as error:  # mypyc exits on a type error
        raise BuildError(f"mypyc stopped (exit status {error.code}); see above") from error
    except Exception as error:  # setuptools raises CompileError, LinkError, ...
        raise BuildError(f"{type(error).__name__}: {str(error)[:300]}") from error
    finally:
        os.chdir(previous)


def _manifest(digest: str) -> str:
    from importlib.metadata import version

    return "\n".join(
        [
            f"digest {digest}",
            f"python {sys.version.split()[0]} ({sys.implementation.cache_tag})",
            f"mypy {version('mypy')}",
            f"modules {' '.join(native.COMPILED)}",
            f"built {time.strftime('%Y-%m-%dT%H:%M:%S%z')}",
            "",
        ]
    )


def _prune(root: Path, keep: Path) -> None:
    """Keep the newest few builds of this interpreter; a loaded one may be removed safely
    (the process keeps its mapping), it is only not found by the next one."""
    tag = f"{sys.implementation.cache_tag}-"
    builds = sorted(
        (path for path in root.iterdir() if path.name.startswith(tag) and path != keep),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for stale in builds[KEEP_BUILDS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--status", action="store_true", help="say what this process runs")
    args = parser.parse_args(argv)
    if args.status:
        print(native.status().describe())
        return 0 if native.status().compiled else 1
    digest = native.source_digest()
    if not args.force and native.find_build(native.builds_dir(), digest) is not None:
        print(f"engine build {native.build_name(digest)} is up to date")
        return 0
    print(f"compiling the engine with mypyc ({len(native.COMPILED)} modules, about 20 s)")
    started = time.perf_counter()
    try:
        final = build(digest)
    except BuildError as error:
        print(f"engine build failed: {error}; the engine runs its Python sources", file=sys.stderr)
        return 2
    print(f"engine build {final.name} ready in {time.perf_counter() - started:.0f} s: {final}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
