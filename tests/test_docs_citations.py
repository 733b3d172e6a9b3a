"""The repository stands on its own: comments cite docs/, and every docs/ citation exists.

Code, tests and scenario files explain themselves by citing ``docs/rules.md §6.6`` or
``docs/sandbox.md §3.4``; a citation of material that is not in the repository (a rules
contract or a research note kept elsewhere, "spec 8.3", "the study §2", "notes/...") is a dead
end for a reader, and a ``§`` whose section was renumbered away is a wrong one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Files whose comments and prose are read by people: code, scripts, docs, scenario files.
CHECKED_SUFFIXES = {".py", ".sh", ".md", ".scn", ".toml", ".html", ".txt"}
CHECKED_DIRS = {".ci"}  # its scripts have no suffix
SKIPPED_PARTS = {".git", ".venv", "__pycache__", "_native", ".mypy_cache", ".ruff_cache", "var"}

# Citations of documents that live outside the repository, in the forms they took.
OUTSIDE_CITATIONS = re.compile(
    r"""
      \bspec(?:ification)?\s*(?:§|\d|section\b)   # "spec 8.3", "Spec 6.2:", "spec section 10"
    | (?<!\w)\(spec:                              # "(spec: the system Python)"
    | \bthe\s+spec\b                              # "the spec lives outside"
    | \b(?:the|sandbox)\s+study\b                 # "the study §4.6", "the sandbox study"
    | \bstudy\s*§                                 # "study §2.4"
    | (?<![\w./-])notes/                          # "notes/sandbox.md"
    | peer-arenas | engine-benchmark\.md | pac-rules
    | shared/spec | /work/shared | \.\./shared
    | ["']shared["']\s*/\s*["']spec["']           # a path built as ROOT / "shared" / "spec"
    | \b(?:in\s+|of\s+)?section\s+\d              # "section 2.6", "the vectors of section 12"
    """,
    re.IGNORECASE | re.VERBOSE,
)
SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")
DOC_NAME = re.compile(r"docs/([\w-]+\.md)")
# "docs/rules.md §6.1, §8.1": a run of sections right after the file's name.
DOC_NAME_RIGHT_BEFORE = re.compile(
    r"docs/([\w-]+\.md)`*\s*(?:§\s*\d+(?:\.\d+)*(?:\s+rules?\s+\d+)?\s*(?:,|and|or)?\s*)*$"
)
HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)
# A scenario file's opening comment names the rules sections that decide it: "[6.6 rule 2,
# 6.7]"; words after a number ("rule 2", "rounds") qualify it.
SCENARIO_SECTIONS = re.compile(r"\[([^\]]*\d[^\]]*)\]")
# How far back (characters) a bare "§N" may look for the docs/<file>.md it continues citing.
ATTRIBUTION_REACH = 300


def _is_checked(relative: Path) -> bool:
    if SKIPPED_PARTS & set(relative.parts):
        return False
    return relative.suffix in CHECKED_SUFFIXES or relative.parts[0] in CHECKED_DIRS


@cache
def project_files() -> tuple[Path, ...]:
    """Tracked files and new ones not ignored (git's view when git is there, else a walk)."""
    git = shutil.which("git")
    if git is not None and (ROOT / ".git").exists():
        listed = subprocess.run(
            [git, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [Path(name) for name in listed.split("\0") if name]
    else:
        names = [path.relative_to(ROOT) for path in ROOT.rglob("*") if path.is_file()]
    return tuple(sorted(n for n in names if _is_checked(n) and (ROOT / n).is_file()))


@cache
def anchors(doc: str) -> frozenset[str]:
    """The numbered sections of ``docs/<doc>``: "## 5. Protocol" gives "5", "### 5.4 ..." "5.4"."""
    path = DOCS / doc
    if not path.is_file():
        return frozenset()
    return frozenset(HEADING.findall(path.read_text(encoding="utf-8")))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def outside_citations() -> list[str]:
    found = []
    for relative in project_files():
        if relative.parts[0] == "docs" or relative == Path(__file__).relative_to(ROOT):
            continue
        text = (ROOT / relative).read_text(encoding="utf-8", errors="replace")
        for match in OUTSIDE_CITATIONS.finditer(text):
            line = text.splitlines()[_line_of(text, match.start()) - 1].strip()
            found.append(f"{relative}:{_line_of(text, match.start())}: {line}")
    return found


def broken_section_citations() -> list[str]:
    """Every ``§N`` that does not name an existing section of the docs/ file it cites.

    A ``§N`` cites the nearest ``docs/<file>.md`` before it (``docs/rules.md §6.6 rule 2, §6.7``);
    inside a docs/ file a bare ``§N`` cites that file itself.
    """
    broken = []
    for relative in project_files():
        if relative == Path(__file__).relative_to(ROOT):
            continue  # its own examples
        text = (ROOT / relative).read_text(encoding="utf-8", errors="replace")
        in_docs = relative.parts[0] == "docs"
        for match in SECTION.finditer(text):
            at = _line_of(text, match.start())
            before = text[max(0, match.start() - ATTRIBUTION_REACH) : match.start()]
            # In docs/ only "docs/<file>.md §N" leaves the file; elsewhere a §N continues the
            # last docs/ file named shortly before it.
            named = (DOC_NAME_RIGHT_BEFORE if in_docs else DOC_NAME).findall(before)
            if named:
                doc = named[-1]
            elif in_docs:
                doc = relative.name
            else:
                broken.append(f"{relative}:{at}: §{match.group(1)} does not say which docs/ file")
                continue
            if match.group(1) not in anchors(doc):
                broken.append(f"{relative}:{at}: docs/{doc} has no section §{match.group(1)}")
    return broken


def test_no_file_cites_material_outside_the_repository() -> None:
    offenders = outside_citations()
    assert not offenders, (
        "cite docs/rules.md, docs/sandbox.md or docs/benchmark.md (or just say why) instead of:\n"
        + "\n".join(offenders)
    )


def test_every_docs_section_citation_names_an_existing_section() -> None:
    broken = broken_section_citations()
    assert not broken, "\n".join(broken)


def test_every_scenario_cites_existing_rules_sections() -> None:
    rules = anchors("rules.md")
    broken = []
    scenarios = sorted((ROOT / "tests" / "battles" / "engine" / "scenarios").glob("*.scn"))
    assert scenarios
    for path in scenarios:
        lines = path.read_text(encoding="utf-8").splitlines()
        opening = " ".join(line.lstrip("# ") for line in lines[: _comment_length(lines)])
        cited = SCENARIO_SECTIONS.search(opening)
        if cited is None:
            broken.append(f"{path.name}: no [sections] in its opening comment")
            continue
        for part in cited.group(1).split(","):
            words = part.split()
            if words and words[0][0].isdigit() and words[0] not in rules:
                broken.append(f"{path.name}: docs/rules.md has no section §{words[0]}")
    assert not broken, "\n".join(broken)


def _comment_length(lines: list[str]) -> int:
    count = 0
    while count < len(lines) and lines[count].startswith("#"):
        count += 1
    return count


def test_the_citation_check_catches_what_it_claims_to() -> None:
    # The patterns, on the forms the repository used before docs/ existed.
    for text in (
        "(spec 8.3)",
        "Spec 6.2: timers tick",
        "spec §5",
        "spec section 10",
        "the sandbox study (section 2.6)",
        "the study §4.6",
        "see notes/sandbox.md §4",
        "shared/spec/engine-benchmark.md",
        'ROOT.parent / "shared" / "spec"',
        "the reference vectors of section 12",
    ):
        assert OUTSIDE_CITATIONS.search(text), text
    for text in (
        "docs/rules.md §8.3",
        "docs/sandbox.md §3.4",
        "a spectator",
        "inspect 5",
        "def resolve_bot(spec: str)",
    ):
        assert not OUTSIDE_CITATIONS.search(text), text
    assert {"5", "5.4", "13"} <= anchors("rules.md")
    assert "8" in anchors("sandbox.md")
