"""Line diff of two article versions as rows of a side-by-side table (escaped by the template, never raw HTML)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "changed", "removed", "added"
    old_number: int | None
    old_text: str
    new_number: int | None
    new_text: str


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow | None]:
    """Changed lines with `context` unchanged lines around them; None marks skipped unchanged lines."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffRow | None] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(None)
        for tag, i1, i2, j1, j2 in group:
            rows.extend(_rows_for(tag, old_lines, new_lines, i1, i2, j1, j2))
    return rows


def _rows_for(tag: str, old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int) -> list[DiffRow]:
    if tag == "equal":
        return [DiffRow("same", i + 1, old[i], j + 1, new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
    if tag == "delete":
        return [DiffRow("removed", i + 1, old[i], None, "") for i in range(i1, i2)]
    if tag == "insert":
        return [DiffRow("added", None, "", j + 1, new[j]) for j in range(j1, j2)]
    rows = []
    for offset in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + offset, j1 + offset
        rows.append(DiffRow(
            "changed" if i < i2 and j < j2 else ("removed" if i < i2 else "added"),
            i + 1 if i < i2 else None, old[i] if i < i2 else "",
            j + 1 if j < j2 else None, new[j] if j < j2 else "",
        ))
    return rows
