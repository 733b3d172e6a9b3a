"""bots.diffing: unified diffs as text and as lines (pure; no database)."""

from __future__ import annotations

import difflib
import re

from hypothesis import given
from hypothesis import strategies as st

from bots.diffing import CodeDiff, diff_code, split_lines

lines_of_code = st.lists(st.sampled_from(["a", "b", "c", "", "  pass", "x = 1\r"]), max_size=25)


@st.composite
def code_texts(draw: st.DrawFn) -> str:
    text = "\n".join(draw(lines_of_code))
    return text + "\n" if draw(st.booleans()) else text


def apply(diff: CodeDiff, old: str) -> str:
    """Patch `old` with the structured lines only, as a page or a client would."""
    old_lines, result, position = split_lines(old), [], 0
    for line in diff.lines:
        if line.op == "hunk":
            header = re.match(r"@@ -(\d+)(?:,(\d+))?", line.text)
            assert header is not None
            start, length = int(header[1]), int(header[2] or "1")
            hunk_start = start if length == 0 else start - 1
            result += old_lines[position:hunk_start]
            position = hunk_start
        elif line.op == "insert":
            result.append(line.text + ("" if line.missing_newline else "\n"))
        else:
            assert old_lines[position].rstrip("\n") == line.text
            assert line.old_no == position + 1
            if line.op == "equal":
                result.append(old_lines[position])
            position += 1
    return "".join(result + old_lines[position:])


@given(code_texts(), code_texts())
def test_applying_the_structured_diff_to_the_old_code_gives_the_new_code(
    old: str, new: str
) -> None:
    assert apply(diff_code(old, new, old_label="v1", new_label="v2"), old) == new


@given(lines_of_code, lines_of_code)
def test_the_text_is_exactly_what_difflib_writes_when_every_line_ends_in_a_newline(
    old_lines: list[str], new_lines: list[str]
) -> None:
    old, new = (
        "".join(f"{line}\n" for line in old_lines),
        "".join(f"{line}\n" for line in new_lines),
    )

    expected = "".join(
        difflib.unified_diff(split_lines(old), split_lines(new), fromfile="v1", tofile="v2")
    )

    assert diff_code(old, new, old_label="v1", new_label="v2").text == expected


@given(code_texts())
def test_identical_code_has_an_empty_diff(code: str) -> None:
    diff = diff_code(code, code, old_label="v1", new_label="v2")

    assert (diff.text, diff.lines, diff.insertions, diff.deletions) == ("", [], 0, 0)


def test_a_missing_final_newline_is_a_difference_shown_as_git_does() -> None:
    diff = diff_code("a\nb\n", "a\nb", old_label="v1", new_label="v2")

    assert diff.text == (
        "--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"
    )
    assert [(line.op, line.missing_newline) for line in diff.lines[1:]] == [
        ("equal", False),
        ("delete", False),
        ("insert", True),
    ]


def test_only_newlines_split_lines_so_carriage_returns_and_form_feeds_stay_inside_a_line() -> None:
    assert split_lines("a\rb\x0cc\u2028d\ne") == ["a\rb\x0cc\u2028d\n", "e"]


def test_far_apart_changes_make_separate_hunks_with_three_lines_of_context() -> None:
    old = "".join(f"line {n}\n" for n in range(1, 21))
    new = old.replace("line 2\n", "line two\n").replace("line 19\n", "line nineteen\n")

    headers = [
        line.text
        for line in diff_code(old, new, old_label="a", new_label="b").lines
        if line.op == "hunk"
    ]

    assert headers == ["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"]


def test_diffing_from_empty_code_inserts_every_line() -> None:
    diff = diff_code("", "a\nb\n", old_label="v1", new_label="v2")

    assert diff.text == "--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+a\n+b\n"
    assert (diff.insertions, diff.deletions) == (2, 0)
