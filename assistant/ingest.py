"""Reading reports (.txt, .md, .html, .pdf) into normalized text with web junk removed.

Each report is normalized exactly once, here; every offset elsewhere refers to `Report.text`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .firms import detect_firm
from .markdown_text import markdown_to_text
from .tables import row_sentences
from .models import MarketQAError, Report

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
METADATA_FILE = "metadata.json"  # optional sidecar: {"file name": {"doc", "title", "publisher", "year"}}
MAX_REPORT_BYTES = 20 * 1024 * 1024


class UnreadableReport(MarketQAError):
    """A file in the corpus that cannot be read as a report; ingest skips it with a warning."""


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    content_hash: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def list_corpus(corpus_dir: Path) -> list[CorpusFile]:
    """The report files of a corpus folder, sorted by name, with the hash of their bytes."""
    if not corpus_dir.exists():
        raise MarketQAError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise MarketQAError(f"corpus path is not a folder: {corpus_dir}")
    files = []
    for path in sorted(corpus_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith("."):
            files.append(CorpusFile(path, sha256_bytes(path.read_bytes())))
    return files


# --- junk removal -------------------------------------------------------------------------------

_JUNK_LINE_PATTERNS = [
    r"free sample",
    r"^\(?https?://\S+\)?$",
    r"^(e-?mail|tel|phone|fax|add|address|en|jp|web|website)\s*:",
    r"^contact us\b",
    r"^if you have any queries regarding this report",
    r"^(explore|see|view|browse|read) (our )?(latest |more |other |related )?(trending )?(reports|articles|news)\b",
    r"^(related|trending|popular|recent) (reports|posts|articles)\b",
    r"^(leave a (comment|reply)|post a comment|your email address will not be published)",
    r"required fields are marked",
    r"you may use these html tags",
    r"(コメント|カテゴリー|メールアドレス|投稿者|次のHTML)",
    r"^(share|tweet|print|subscribe)( this)?( article| report)?$",
    r"^(all rights reserved|copyright\b|©)",
    r"^\*+$",
]
_LIST_OF_OTHERS = re.compile(
    r"^(?:#+\s*)?\**\s*(related|trending|popular|recent|similar|other|more|latest|you may also like|see also|also read|"
    r"browse|explore)\b[\w\s]{0,30}\b(reports?|posts?|articles?|news|stories|research|like)\b\W*$"
    r"|^(?:#+\s*)?\**\s*(more from|read more|further reading|recommended for you|don't miss)\b[\w\s'&-]{0,40}\W*$",
    re.IGNORECASE,
)
# In a block of links to other stories: a quoted teaser ("> Wind Turbine Market: ..."), its wrapped continuation
# (a line that starts in lower case) or a rule line.
_OTHERS_CONTINUATION = re.compile(r"^(?:>|[a-z]|[-=_*]{3,}$)")
# A line that stops on a comma or a word that cannot end a phrase ("... to grow from") is wrapped, not finished.
_UNFINISHED = re.compile(r"(?:,|\b(?:of|from|to|at|in|by|for|and|or|the|a|an|with|on|than|as))\s*$", re.IGNORECASE)
_JUNK_LINE = re.compile("|".join(f"(?:{p})" for p in _JUNK_LINE_PATTERNS), re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*•·▪●◦‣]|\d{1,2}[.)])\s+")
_CONTACT_DETAIL = re.compile(
    r"(@[\w-]+\.\w+|https?://|\bsuite \d+|\b\d{3}[-\s]\d{3}[-\s]\d{4}\b|^[A-Z][\w&.,' -]{0,40}\b(inc|ltd|llc|gmbh|co)\.?$)",
    re.IGNORECASE,
)


def _is_link_list_item(line: str) -> bool:
    """A bare navigation entry such as '- Art' or '- Help Post': a bullet of one to three words, no sentence."""
    if not _BULLET.match(line):
        return False
    body = _BULLET.sub("", line)
    return len(body.split()) <= 3 and not re.search(r"[.:;,%$\d]", body)


def remove_junk(lines: list[str]) -> list[str]:
    """Drop banners, link lists, contact blocks and comment forms, keeping the report's own lines."""
    kept: list[str] = []
    in_contact_block = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            kept.append(line)
            i += 1
            continue
        # A run of 4+ bare one-to-three-word bullets is a navigation list, not content.
        run_end = i
        while run_end < len(lines) and lines[run_end] and _is_link_list_item(lines[run_end]):
            run_end += 1
        if run_end - i >= 4:
            if kept and kept[-1].rstrip().endswith(":") and len(kept[-1].split()) <= 8:
                kept.pop()  # the list's own heading, e.g. "Explore Our Latest Trending Reports:"
            i = run_end
            continue
        if _LIST_OF_OTHERS.search(line):
            # "Related reports:", "Popular posts": the block under it is about other markets, as far as its lines
            # are list items, short link titles or name a market; a line of the report's own prose ends it.
            i += 1
            while i < len(lines) and not lines[i]:
                i += 1
            first = i
            while i < len(lines) and lines[i] and (_BULLET.match(lines[i]) or len(lines[i].split()) <= 5
                                                   or re.search(r"\bmarkets?\b", lines[i], re.IGNORECASE)
                                                   or _OTHERS_CONTINUATION.match(lines[i])
                                                   or (i > first and _UNFINISHED.search(lines[i - 1]))):
                i += 1  # an item wrapped over lines goes with it: its line before stops mid-phrase
            continue
        if re.match(r"^contact us\b", line, re.IGNORECASE):
            in_contact_block = True
        if _JUNK_LINE.search(line) or (in_contact_block and (_CONTACT_DETAIL.search(line) or len(line.split()) <= 6)):
            i += 1
            continue
        in_contact_block = False  # the first line of real prose ends a contact block
        kept.append(line)
        i += 1
    return kept


# --- normalization ------------------------------------------------------------------------------


def normalize_text(raw: str) -> str:
    """Unicode NFKC, one space between words, bullets as '- ', one blank line between blocks, no junk."""
    text = unicodedata.normalize("NFKC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\f\v]+", " ", line).strip()
        line = re.sub(r"^[•·▪●◦‣]\s*", "- ", line)
        line = re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", line)  # "2032” ." -> "2032”."
        lines.append("" if re.fullmatch(r"[-=_*~#]{3,}", line) else line)  # a rule line separates, says nothing
    lines = remove_junk(lines)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n" if text.strip() else ""


# --- format readers -----------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableReport(f"{name}: binary file, not a text report")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableReport(f"{name}: not valid UTF-8 text")


_HTML_DROP = ["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg", "button",
              "template", "select", "input"]
_HTML_BLOCKS = ["p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br",
                "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "figcaption"]


# Page furniture named by its class or id, for pages built of plain <div>s ("div soup") without semantic tags.
_JUNK_CLASS = re.compile(
    r"(?:^|[-_\s])(related|popular|trending|sidebar|widget|comments?|cookies?|consent|share|sharing|social|"
    r"newsletter|subscribe|menu|navbar|nav|breadcrumbs?|footer|banner|advert|ads|promo|sample-cta|cta)(?:[-_\s]|$)",
    re.IGNORECASE,
)


def _is_page_furniture(tag) -> bool:
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(names.strip()) and _JUNK_CLASS.search(names) is not None


def _table_to_lines(soup, table) -> None:
    """An HTML table becomes one paragraph per row, cells named by their headers (`tables.row_sentences`):
    get_text("") would glue "Asia-Pacific", "38.2%" and "USD 4.1 billion" into one token."""
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    rows = [r for r in rows if any(r)]
    first = table.find("tr")
    has_header = bool(first) and first.find("td") is None and first.find("th") is not None
    header, body = (rows[0], rows[1:]) if has_header and rows else ([], rows)
    caption = table.find("caption")
    lines = ([caption.get_text(" ", strip=True)] if caption else []) + row_sentences(body, header)
    replacement = soup.new_tag("div")
    for line in lines:
        paragraph = soup.new_tag("p")
        paragraph.string = line
        replacement.append(paragraph)
    table.replace_with(replacement)


def _html_to_text(source: str) -> tuple[str, Optional[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo", "complementary"]}):
        tag.decompose()
    for tag in [t for t in soup.find_all(True) if t.name not in ("html", "body", "main", "article")
                and _is_page_furniture(t)]:
        if not tag.decomposed:
            tag.decompose()
    if soup.head:
        soup.head.decompose()
    for table in soup.find_all("table"):
        _table_to_lines(soup, table)
    # Source line breaks inside a paragraph are plain white space in HTML.
    for string in soup.find_all(string=True):
        if not string.find_parent("pre"):
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for tag in soup.find_all("li"):
        tag.insert(0, "- ")
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    body = soup.body or soup
    text = body.get_text("")
    if not title:
        heading = soup.find(["h1", "h2"])
        title = heading.get_text(" ", strip=True) if heading else None
    return text, title


def _pdf_to_text(data: bytes, name: str) -> tuple[str, Optional[str]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableReport(f"{name}: unreadable PDF ({exc})") from exc
    text = _reflow("\n".join(pages))  # a sentence may run across a page break
    if not text.strip():
        raise UnreadableReport(f"{name}: PDF has no extractable text (scanned image?)")
    return text, title


def _reflow(page: str) -> str:
    """Undo a PDF's hard line wrapping: a long line that does not end a sentence continues on the next line."""
    lines = [line.rstrip() for line in page.split("\n")]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        continues = (
            previous
            and line
            and len(previous) >= 0.7 * longest
            and not re.search(r"[.!?:][\"'”’)]*$", previous)
            and not _BULLET.match(line)
        )
        if continues:
            out[-1] = f"{previous} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


# --- metadata -----------------------------------------------------------------------------------


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", text).lower()).strip("-")
    return slug[:80] or "report"


def _guess_title(text: str, fallback: str) -> str:
    quoted = re.search(r"(?:latest|new) report [“\"”]\s*(.{10,160}?)\s*[.]?[”\"]", text)
    if quoted:
        return quoted.group(1).rstrip(".")
    first = text.split("\n", 1)[0].strip()
    if first and len(first.split()) <= 25 and not first.endswith("."):
        return first
    return fallback


def _guess_year(text: str) -> Optional[int]:
    match = re.search(r"(?:published|released|©|copyright)\D{0,20}((?:19|20)\d\d)\b", text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def load_metadata(corpus_dir: Path) -> dict[str, dict]:
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MarketQAError(f"{path}: invalid metadata file ({exc})") from exc
    if not isinstance(data, dict):
        raise MarketQAError(f"{path}: metadata must be an object keyed by file name")
    return data


def load_report(path: Path, metadata: Optional[dict] = None, data: Optional[bytes] = None) -> Report:
    """Read one report file into a normalized Report; raises UnreadableReport when it can't."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableReport(f"{path.name}: unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableReport(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableReport(f"{path.name}: larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB")
    html_title = None
    if suffix == ".pdf":
        raw, html_title = _pdf_to_text(data, path.name)
        fmt = "pdf"
    else:
        decoded = _decode(data, path.name)
        if suffix in (".html", ".htm"):
            raw, html_title = _html_to_text(decoded)
            fmt = "html"
        elif suffix in (".md", ".markdown"):
            raw, fmt = markdown_to_text(decoded), "md"
        else:
            raw, fmt = _reflow(decoded), "txt"
    text = normalize_text(raw)
    if len(text.split()) < 5:
        raise UnreadableReport(f"{path.name}: no readable report text")
    meta = metadata or {}
    fallback_title = path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
    title = meta.get("title") or (normalize_text(html_title).strip() if html_title else None) or _guess_title(
        text, fallback_title
    )
    return Report(
        doc=meta.get("doc") or slugify(path.stem),
        title=title,
        text=text,
        source=path.name,
        content_hash=sha256_bytes(data),
        publisher=meta.get("publisher") or detect_firm(text),
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
