"""The engine's compiled build: the same sources compiled by mypyc, used only when it matches them.

The engine is plain typed Python, and stays the one source of truth. ``python -m
battles.engine.native_build`` compiles the hot modules with mypyc (about twice the speed of the
interpreter on the benchmark); the build lands in a directory named after the interpreter's ABI
and a digest of every source file of this package, so an edit to any of them makes the build
unmatched and the engine silently runs its sources again until the next build. There is no way
for a stale build to shadow edited code.

``GAMEARENA_ENGINE`` chooses: ``auto`` (default: the build when it matches, else the sources),
``pure`` (always the sources; the test suite runs once this way) or ``native`` (the build, and
an ``ImportError`` naming the fix when there is none). ``GAMEARENA_ENGINE_BUILD_DIR`` moves the
builds (default: ``_native`` beside this file).

Hot code is written for both: plain typed Python that mypyc turns into C. Two habits matter to
the compiled build: call methods as ``obj.method(...)`` (a direct C call; a bound method kept in
a local is a generic Python call), and keep hot data in ints and lists rather than tuples (no
allocation, nothing for the garbage collector to track).

This module is imported by the package's ``__init__`` before any other engine module, so it
imports nothing heavy: a fresh process that plays one game pays about a millisecond for it.
"""

from __future__ import annotations

import os
import sys
import zlib

# Paths are plain strings here: pathlib costs a fresh process about 15 ms of imports.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# The modules worth compiling: everything the referee loop runs each turn. records.py and
# types.py stay interpreted (mypyc cannot compile an exception that subclasses a builtin one,
# and nothing in them is hot); scenario.py is for tests.
COMPILED = ("rng", "grid", "mapgen", "commands", "game", "benchmark")
LIBRARY = "gamearena_engine__mypyc"  # mypyc's shared runtime module for the group
MODES = ("auto", "pure", "native")


class Status:
    """Which engine this process runs and why (for benchmarks, checks and bug reports)."""

    __slots__ = ("build", "compiled", "reason")

    def __init__(self, compiled: bool, reason: str, build: str | None) -> None:
        self.compiled = compiled
        self.reason = reason
        self.build = build

    def __repr__(self) -> str:
        return f"Status(compiled={self.compiled}, reason={self.reason!r})"

    def describe(self) -> str:
        return f"{'compiled (mypyc)' if self.compiled else 'pure Python'}: {self.reason}"


_status: list[Status] = []


def status() -> Status:
    """The decision ``activate`` took in this process (pure Python if it never ran)."""
    return _status[0] if _status else Status(False, "the engine package was not imported", None)


def mode() -> str:
    chosen = os.environ.get("GAMEARENA_ENGINE", "auto").strip().lower() or "auto"
    if chosen not in MODES:
        raise ImportError(f"GAMEARENA_ENGINE must be one of {', '.join(MODES)}, not {chosen!r}")
    return chosen


def builds_dir() -> str:
    configured = os.environ.get("GAMEARENA_ENGINE_BUILD_DIR", "").strip()
    return configured or os.path.join(PACKAGE_DIR, "_native")


def source_digest(package_dir: str = PACKAGE_DIR) -> str:
    """A digest of every ``.py`` file of the package, by name and content.

    Two 32-bit checksums (CRC-32 and Adler-32) rather than a cryptographic hash: this detects
    edits, nobody attacks it, and ``hashlib`` would add several milliseconds to a cold start.
    """
    crc, adler = 0, 1
    for name in sorted(entry for entry in os.listdir(package_dir) if entry.endswith(".py")):
        with open(os.path.join(package_dir, name), "rb") as source:
            chunk = name.encode() + b"\0" + source.read() + b"\0"
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    return f"{crc:08x}{adler:08x}"


def build_name(digest: str) -> str:
    """Builds are per interpreter ABI (``cpython-313``) and per source digest."""
    return f"{sys.implementation.cache_tag}-{digest}"


def find_build(root: str, digest: str) -> str | None:
    """The complete build for ``digest`` under ``root``, or None.

    A build is complete once its ``COMPLETE`` file exists (written last, then the directory is
    renamed into place), and usable when every compiled module of this interpreter is there.
    """
    build = os.path.join(root, build_name(digest))
    if not os.path.isfile(os.path.join(build, "COMPLETE")):
        return None
    suffix = _extension_suffix()
    wanted = [os.path.join(build, library_file(suffix))] + [
        os.path.join(compiled_dir(build), name + suffix) for name in COMPILED
    ]
    return build if all(os.path.isfile(path) for path in wanted) else None


def compiled_dir(build: str) -> str:
    """Where a build keeps the package's compiled modules."""
    return os.path.join(build, "battles", "engine")


def library_file(suffix: str) -> str:
    return f"{LIBRARY}{suffix}"


def _extension_suffix() -> str:
    from importlib.machinery import EXTENSION_SUFFIXES

    return EXTENSION_SUFFIXES[0]  # the ABI-tagged one, e.g. .cpython-313-x86_64-linux-gnu.so


def activate(package_path: list[str]) -> Status:
    """Put the matching build first on the package's ``__path__`` (called by ``__init__``).

    From then on ``import battles.engine.grid`` finds the compiled module before the source.
    Nothing is loaded when the mode is ``pure`` or no build matches the sources.
    """
    chosen = mode()
    if chosen == "pure":
        return _decide(Status(False, "GAMEARENA_ENGINE=pure", None))
    root, digest = builds_dir(), source_digest()
    build = find_build(root, digest)
    if build is None:
        reason = (
            f"no build for these sources ({build_name(digest)} under {root}); "
            "run `python -m battles.engine.native_build`"
        )
        if chosen == "native":
            raise ImportError(f"GAMEARENA_ENGINE=native, but there is {reason}")
        return _decide(Status(False, reason, None))
    _load_library(build)
    package_path.insert(0, compiled_dir(build))
    return _decide(Status(True, f"build {os.path.basename(build)} matches the sources", build))


def _decide(decision: Status) -> Status:
    _status[:] = [decision]
    return decision


def _load_library(build: str) -> None:
    """Load mypyc's shared library by path, so the build needs no entry on ``sys.path``: each
    compiled module imports it by name and finds it in ``sys.modules``."""
    if LIBRARY in sys.modules:
        return
    from importlib.machinery import ExtensionFileLoader, ModuleSpec

    path = os.path.join(build, library_file(_extension_suffix()))
    loader = ExtensionFileLoader(LIBRARY, path)
    spec = ModuleSpec(LIBRARY, loader, origin=path)
    module = loader.create_module(spec)
    sys.modules[LIBRARY] = module
    loader.exec_module(module)
