"""Tables as text: one line per row, each cell named by its column header.

A row read as "Canada | 15.5 million | 97%" means nothing once quoted alone; "Country: Canada; Smart meters
installed (2024): 15.5 million; Expected penetration (2030): 97%." says what each figure is, keeps every cell a
separate token (so "38.2%" is never glued to the next cell) and can be cited as a sentence.
"""

from __future__ import annotations

import re
from typing import Sequence

_EMPTY_CELL = re.compile(r"^[\s\-–—_.]*$|^n/?a$", re.IGNORECASE)


def _clean(cell: str) -> str:
    return re.sub(r"\s+", " ", cell).strip().rstrip(";")


def row_sentences(rows: Sequence[Sequence[str]], header: Sequence[str] = ()) -> list[str]:
    """Each body row as one sentence-like line; a table without a header joins its cells with "; "."""
    header = [_clean(h) for h in header]
    lines = []
    for row in rows:
        cells = [_clean(c) for c in row]
        parts = []
        for i, cell in enumerate(cells):
            if _EMPTY_CELL.match(cell):
                continue
            name = header[i] if i < len(header) else ""
            parts.append(f"{name}: {cell}" if name and name.lower() != cell.lower() else cell)
        if parts:
            line = "; ".join(parts)
            lines.append(line if line.endswith((".", "!", "?")) else line + ".")
    return lines
