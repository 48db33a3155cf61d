"""PDF to text: pypdf's text layer, tables through pdfplumber when it is installed, and a clear word for a PDF
that has no text at all.

pypdf reads a table as lines of cells run together ("Asia-Pacific 38.2% USD 4.1 billion"). pdfplumber (the
optional `pdf` extra) finds the table's cells, so each row becomes one line with its cells named by the header
(`tables.row_sentences`), and the page text around it is read without the table.
"""

from __future__ import annotations

import io
import re
from typing import Optional

from .models import UnreadableReport
from .tables import row_sentences

_BULLET = re.compile(r"^(?:[-*•·▪●◦‣]|\d{1,2}[.)])\s+")
SCANNED = "scanned PDF: no text to index; OCR is not supported"


def reflow(page: str) -> str:
    """Undo hard line wrapping: a long line that does not end a sentence continues on the next line, and so does
    a list item on its indented lines ("* Acme: the market was\n  predicted to reach ...")."""
    lines = [line.rstrip() for line in page.split("\n")]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    in_item = False
    for line in lines:
        previous = out[-1] if out else ""
        bullet = bool(_BULLET.match(line.lstrip()))
        hanging = in_item and line[:1] in (" ", "\t") and line.strip() and not bullet
        continues = hanging or (
            previous
            and line
            and len(previous) >= 0.7 * longest
            and not re.search(r"[.!?:][\"'”’)]*$", previous[-12:])  # the tail: a joined line grows long
            and not _BULLET.match(line)
        )
        if continues:
            out[-1] = f"{previous} {line.lstrip()}"
        else:
            out.append(line)
            in_item = bullet
    return "\n".join(out)


def _tables_and_text(data: bytes, hints: dict[str, str]) -> Optional[list[str]]:
    """Each page's text with its tables as named rows, or None when pdfplumber is not installed or finds no table
    (pypdf's text is then used as it is)."""
    try:
        import pdfplumber
    except ImportError:
        return None
    pages: list[str] = []
    found = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            if not tables:
                pages.append(reflow(page.extract_text() or ""))
                continue
            found = True
            parts: list[str] = []
            top = 0.0
            for table in tables:
                x0, table_top, x1, bottom = table.bbox
                if table_top > top:
                    parts.append(reflow(page.crop((0, top, page.width, table_top)).extract_text() or ""))
                rows = [[cell or "" for cell in row] for row in table.extract() if any(row)]
                lines = row_sentences(rows[1:], rows[0]) if len(rows) > 1 else row_sentences(rows)
                for line in lines:
                    hints[line] = "table row"
                parts.append("\n\n" + "\n".join(lines) + "\n\n")
                top = bottom
            if top < page.height:
                parts.append(reflow(page.crop((0, top, page.width, page.height)).extract_text() or ""))
            pages.append("\n".join(parts))
    return pages if found else None


def pdf_to_text(data: bytes, name: str) -> tuple[str, Optional[str], dict[str, str]]:
    """The PDF's text, its metadata title, and the kinds of the lines known from its tables."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    hints: dict[str, str] = {}
    try:
        reader = PdfReader(io.BytesIO(data))
        # A PDF encrypted with an empty user password (a common "no copying" setting) opens without one; AES needs
        # the `cryptography` package, a dependency.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableReport(f"{name}: encrypted PDF (needs a password); save it without one to index it")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except DependencyError as exc:
        raise UnreadableReport(f"{name}: encrypted PDF that needs the `cryptography` package to open ({exc})") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError, AttributeError, IndexError,
            ZeroDivisionError, RecursionError) as exc:  # a malformed PDF breaks pypdf in all of these ways
        raise UnreadableReport(f"{name}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not "".join(pages).strip():
        raise UnreadableReport(f"{name}: {SCANNED}")
    try:
        with_tables = _tables_and_text(data, hints)
    except Exception:  # noqa: BLE001 - pdfplumber fails in many ways; pypdf's text is still good then
        hints.clear()
        with_tables = None
    text = "\n".join(with_tables) if with_tables else reflow("\n".join(pages))  # a sentence may cross a page break
    return text, (str(title) if title else None), hints
