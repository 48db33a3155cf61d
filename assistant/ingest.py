"""Reading reports (.txt, .md, .html, .pdf) into normalized text with web junk removed.

Each report is normalized exactly once, here; every offset elsewhere refers to `Report.text`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Optional

# The corpus folder's files and metadata are read in corpus_files; callers import them from here as before.
from .corpus_files import (MAX_REPORT_BYTES, SUPPORTED_SUFFIXES, CorpusFile, list_corpus, load_metadata,  # noqa: F401
                           read_report_bytes, sha256_bytes)
from .firms import detect_firm
from .markdown_text import markdown_to_text
from .html_text import html_to_text
from .pdf_text import pdf_to_text, reflow
from .models import Report, UnreadableReport
from .junk import remove_junk
from .readable import has_sentence_with_words, junk_reason
from .structure import mark_lines

MAX_DETECT_BYTES = 256 * 1024  # enough bytes to tell an encoding; detection is slow on whole files
MAX_CONTROL_SHARE = 0.01  # text has next to no control characters; a binary file is full of them


# --- normalization ------------------------------------------------------------------------------


def normalize_line(line: str) -> str:
    """One line as it reads in Report.text (without junk removal): NFKC, single spaces, bullets as '- '."""
    line = unicodedata.normalize("NFKC", line).replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"[ \t\f\v]+", " ", line).strip()
    line = re.sub(r"^(?:[•·▪●◦‣]|\*(?=\s))\s*", "- ", line)  # "* item" in plain text; "*bold*" stays
    line = re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", line)  # "2032” ." -> "2032”."
    return "" if re.fullmatch(r"[-=_*~#]{3,}", line) else line  # a rule line separates, says nothing


def normalize_text(raw: str) -> str:
    """Unicode NFKC, one space between words, bullets as '- ', one blank line between blocks, no junk."""
    text = unicodedata.normalize("NFKC", raw).replace("\r\n", "\n").replace("\r", "\n")
    lines = remove_junk([normalize_line(line) for line in text.split("\n")])
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n" if text.strip() else ""


# --- format readers -----------------------------------------------------------------------------


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _unicode_encoding(data: bytes) -> Optional[str]:
    """The UTF encoding that a byte-order mark names, or that the zero bytes of UTF-16 without one show: Latin text
    in UTF-16 has a zero byte in every other place, after each letter (LE) or before it (BE), and mostly ASCII
    letters in the places between."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[: 4096 - 4096 % 2]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, letters, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        ascii_text = sum(1 for b in letters if 0x20 <= b < 0x7F or b in b"\t\n\r")
        if zeros.count(0) > 0.3 * pairs and letters.count(0) < 0.05 * pairs and ascii_text > 0.7 * pairs:
            return encoding
    return None


def _decode(data: bytes, name: str) -> str:
    """UTF-8 when the bytes are UTF-8 (the common case, and one a detector can mistake for another); UTF-16 or
    UTF-32 when a byte-order mark or UTF-16's zero bytes say so; otherwise what charset-normalizer finds: Latin-1,
    cp1252, Shift JIS... Bytes that decode only to control characters are a binary file, whatever their name."""
    unicode_encoding = _unicode_encoding(data)
    if unicode_encoding:
        try:
            return _refuse_control_characters(data.decode(unicode_encoding), name)
        except UnicodeDecodeError:
            pass  # not what it looked like: let the detector judge
    text = None
    if b"\x00" not in data[:MAX_DETECT_BYTES]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    if text is None:
        from charset_normalizer import from_bytes

        matches = from_bytes(data[:MAX_DETECT_BYTES])
        best = matches.best()
        if best is None:
            raise UnreadableReport(f"{name}: binary file, not a text report")
        encoding = best.encoding
        # On a short text the detector cannot tell one-byte Latin code pages apart ("£" or "Ł"); when Windows-1252
        # reads the bytes as cleanly as its pick, take it, as browsers do for a legacy page.
        if any(m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches):
            encoding = "cp1252"
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableReport(f"{name}: binary file, not a text report (not {best.encoding} text)") from exc
    return _refuse_control_characters(text, name)


def _refuse_control_characters(text: str, name: str) -> str:
    sample = text[:MAX_DETECT_BYTES]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if control > MAX_CONTROL_SHARE * max(1, len(sample)):
        raise UnreadableReport(f"{name}: binary file, not a text report")
    return text


# --- metadata -----------------------------------------------------------------------------------


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", text).lower()).strip("-")
    return slug[:80] or "report"


def _guess_title(text: str, fallback: str) -> str:
    quoted = re.search(r"(?:latest|new) report [“\"”]\s*(.{10,160}?)\s*[.]?[”\"]", text)
    if quoted:
        return quoted.group(1).rstrip(".")
    lines = [line.strip() for line in text.split("\n", 12)[:12] if line.strip()]
    # A letterhead ("HALCYON POWER ANALYTICS", "FJORDLINE RESEARCH AS — Tromsø / Oslo") names the sender, not the
    # report: the title is the line under it.
    while len(lines) > 1 and _is_letterhead(lines[0]) and _could_be_title(lines[1]):
        lines.pop(0)
    if lines and _could_be_title(lines[0]):
        return lines[0]
    return fallback


def _could_be_title(line: str) -> bool:
    return len(line.split()) <= 25 and not line.endswith(".")


def _is_letterhead(line: str) -> bool:
    """An all-capitals name of up to six words, perhaps followed by a dash and the sender's towns."""
    name = re.split(r"\s[—–|-]\s", line, maxsplit=1)[0]
    return 0 < len(name.split()) <= 6 and any(c.isalpha() for c in name) and name == name.upper()


def _guess_year(text: str) -> Optional[int]:
    match = re.search(r"(?:published|released|©|copyright)\D{0,20}((?:19|20)\d\d)\b", text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _refuse_junk(text: str, name: str) -> None:
    reason = junk_reason(text)
    if reason:
        raise UnreadableReport(f"{name}: {reason}")


def load_report(path: Path, metadata: Optional[dict] = None, data: Optional[bytes] = None) -> Report:
    """Read one report file into a normalized Report; raises UnreadableReport when it can't."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableReport(f"{path.name}: unsupported file type {suffix or '(none)'}")
    data = read_report_bytes(path) if data is None else data
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableReport(f"{path.name}: larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB")
    html_title = None
    hints: dict[str, str] = {}
    if suffix == ".pdf":
        raw, html_title, hints = pdf_to_text(data, path.name)
        fmt = "pdf"
    else:
        decoded = _decode(data, path.name)
        if suffix not in (".html", ".htm"):
            _refuse_junk(decoded, path.name)  # before parsing: junk is slow to parse, split and embed
        if suffix in (".html", ".htm"):
            raw, html_title, hints = html_to_text(decoded)
            fmt = "html"
        elif suffix in (".md", ".markdown"):
            (raw, hints), fmt = markdown_to_text(decoded), "md"
        else:
            raw, fmt = reflow(decoded), "txt"
    _refuse_junk(raw, path.name)
    text = normalize_text(raw)
    if len(text.split()) < 5 or not has_sentence_with_words(text):
        raise UnreadableReport(f"{path.name}: no readable text (no sentence in words)")
    meta = metadata or {}
    fallback_title = path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
    title = meta.get("title") or (normalize_text(html_title).strip() if html_title else None) or _guess_title(
        text, fallback_title
    )
    return Report(
        doc=meta.get("doc") or slugify(path.stem),
        title=title,
        text=text,
        marks=mark_lines(text, {normalize_line(line): kind for line, kind in hints.items()}, title),
        source=path.name,
        content_hash=sha256_bytes(data),
        publisher=meta.get("publisher") or detect_firm(f"{title}\n{text}"),  # "X Market to 2030 | Acme Research"
        year=meta.get("year") or _guess_year(text),
        format=fmt,
    )


def with_unique_doc(report: Report, taken: set[str]) -> Report:
    """Two files may slugify alike ("a.md", "a.txt"): suffix the later one so doc ids stay unique."""
    doc, n = report.doc, 2
    while doc in taken:
        doc = f"{report.doc}-{n}"
        n += 1
    return report if doc == report.doc else replace(report, doc=doc)
