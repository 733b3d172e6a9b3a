"""Unified diffs between two versions of a bot's code, as text and as data.

Pure Python, no Django. The text form is the classic `diff -u` output; the structured
form lists the same lines (hunk headers included) with old and new line numbers, so a
page can render a side-by-side or inline view without parsing the text. Both come from
one pass over the same hunks, so they always agree.

Lines are split on "\\n" only (not on "\\r", form feeds or Unicode separators, which
`str.splitlines` would also split on, misnumbering code), and a missing newline at the end
of a file is a real difference, shown as git does: "\\ No newline at end of file".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

DEFAULT_CONTEXT_LINES = 3
NO_NEWLINE_MARKER = "\\ No newline at end of file"

DiffOp = Literal["hunk", "equal", "insert", "delete"]
PREFIX: dict[DiffOp, str] = {"equal": " ", "insert": "+", "delete": "-"}


@dataclass(frozen=True)
class DiffLine:
    op: DiffOp
    old_no: int | None  # 1-based line number in the old code; None for inserts and headers
    new_no: int | None  # 1-based line number in the new code; None for deletes and headers
    text: str  # the line without its newline; the "@@ ... @@" header for op="hunk"
    missing_newline: bool = False  # the last line of a file that does not end in "\n"


@dataclass(frozen=True)
class CodeDiff:
    old_label: str
    new_label: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def insertions(self) -> int:
        return sum(1 for line in self.lines if line.op == "insert")

    @property
    def deletions(self) -> int:
        return sum(1 for line in self.lines if line.op == "delete")

    @property
    def text(self) -> str:
        """The unified diff text; empty when the two codes are identical."""
        if not self.lines:
            return ""
        out = [f"--- {self.old_label}\n", f"+++ {self.new_label}\n"]
        for line in self.lines:
            if line.op == "hunk":
                out.append(f"{line.text}\n")
                continue
            out.append(f"{PREFIX[line.op]}{line.text}\n")
            if line.missing_newline:
                out.append(f"{NO_NEWLINE_MARKER}\n")
        return "".join(out)


def split_lines(code: str) -> list[str]:
    """Lines with their "\\n" kept; only the last may lack one."""
    parts = code.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def diff_code(
    old: str, new: str, *, old_label: str, new_label: str, context: int = DEFAULT_CONTEXT_LINES
) -> CodeDiff:
    old_lines, new_lines = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines)
    lines: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        lines.append(_hunk_header(group))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(
                    _line("equal", old_lines[i], i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)
                )
                continue
            if tag in ("replace", "delete"):
                lines.extend(_line("delete", old_lines[i], i + 1, None) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                lines.extend(_line("insert", new_lines[j], None, j + 1) for j in range(j1, j2))
    return CodeDiff(old_label=old_label, new_label=new_label, lines=lines)


def _line(op: DiffOp, raw: str, old_no: int | None, new_no: int | None) -> DiffLine:
    has_newline = raw.endswith("\n")
    text = raw[:-1] if has_newline else raw
    return DiffLine(op=op, old_no=old_no, new_no=new_no, text=text, missing_newline=not has_newline)


def _hunk_header(group: list[tuple[str, int, int, int, int]]) -> DiffLine:
    first, last = group[0], group[-1]
    old_range = _unified_range(first[1], last[2])
    new_range = _unified_range(first[3], last[4])
    return DiffLine(op="hunk", old_no=None, new_no=None, text=f"@@ -{old_range} +{new_range} @@")


def _unified_range(start: int, stop: int) -> str:
    # The conventions of `diff -u` (and difflib): "n" for one line, "n,len" otherwise,
    # and an empty range names the line *before* the position.
    length = stop - start
    if length == 1:
        return str(start + 1)
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a side-by-side view: the old line on the left, the new on the right.

    A changed block pairs its deleted lines with its inserted lines in order; the longer
    side's extra lines face an empty cell (`None` number and op "empty").
    """

    op: DiffOp  # "hunk" for a header row, else "equal" or "change"-like via the sides' ops
    left_op: str
    left_no: int | None
    left_text: str
    right_op: str
    right_no: int | None
    right_text: str


def side_by_side(diff: CodeDiff) -> list[SideBySideRow]:
    rows: list[SideBySideRow] = []
    deletes: list[DiffLine] = []
    inserts: list[DiffLine] = []

    def flush() -> None:
        for index in range(max(len(deletes), len(inserts))):
            old = deletes[index] if index < len(deletes) else None
            new = inserts[index] if index < len(inserts) else None
            rows.append(
                SideBySideRow(
                    op="delete" if new is None else "insert",
                    left_op="delete" if old else "empty",
                    left_no=old.old_no if old else None,
                    left_text=old.text if old else "",
                    right_op="insert" if new else "empty",
                    right_no=new.new_no if new else None,
                    right_text=new.text if new else "",
                )
            )
        deletes.clear()
        inserts.clear()

    for line in diff.lines:
        if line.op == "delete":
            if inserts:  # a delete after inserts starts a new changed block
                flush()
            deletes.append(line)
            continue
        if line.op == "insert":
            inserts.append(line)
            continue
        flush()
        left = "hunk" if line.op == "hunk" else "equal"
        rows.append(
            SideBySideRow(line.op, left, line.old_no, line.text, left, line.new_no, line.text)
        )
    flush()
    return rows
