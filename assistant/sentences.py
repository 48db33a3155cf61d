"""The one sentence splitter: report text at ingest (`passages`) and answer text in the guard split alike.

A sentence ends at "." "!" or "?" (with any closing quotes, brackets and citation markers "[1]" after it) when
white space and a capital, a digit, a currency sign or an opening quote follow. It never ends
- inside a number ("12.1", "1,000.5"), since no space follows the dot;
- after an abbreviation ("approx.", "Inc.", "U.S.", "bn.", "e.g.") or an initial ("J. Smith", "A.P. Moller");
- at an ellipsis ("grew... Then"), which trails off rather than ends;
- after a list marker ("1. Itron", or "2." of a list run into one line), which belongs to its item;
- before a company's suffix ("Amazon.com. Inc., BIZZBY"), which ends a name.
A line break always ends a sentence: lines are headings, list items and table rows.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "vs", "inc", "ltd", "co", "corp", "plc", "llc", "mr", "mrs", "ms", "dr", "prof", "no",
    "nos", "fig", "figs", "approx", "est", "vol", "dept", "govt", "avg", "u.s", "u.k", "u.s.a", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "st", "jr", "sr", "bn", "mn", "mln", "bln",
    "tn", "pp", "ref", "cf", "al", "incl", "excl",
})
_MARKERS = r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*+"  # possessive: a marker stays with its sentence
_END = re.compile(rf"(?:[.!?]+|…)[\"'”’)\]]*{_MARKERS}(?=\s+[\"'“‘(\[]?[A-Z0-9$€£¥₹])")
LIST_MARKER = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_COMPANY_SUFFIX = re.compile(r"\s+(?:Inc|Ltd|LLC|Corp|Co|PLC|AG|GmbH|S\.A|N\.V|B\.V)\b\.?(?:,|\s|$)")


def sentence_ends(line: str) -> list[int]:
    """Offsets in `line` (one line of text) where a sentence ends, the line's own end excluded."""
    marker = LIST_MARKER.match(line)
    ends = []
    for match in _END.finditer(line):
        if marker and match.end() <= marker.end():
            continue  # "1. Itron ...": the list marker is part of its item
        stop = match.group(0).rstrip()
        if stop.startswith(("..", "…")):
            continue  # an ellipsis trails off
        word = re.search(r"(\S+)$", line[: match.start()])
        token = word.group(1).lower().rstrip(".") if word else ""
        token = token.lstrip("(\"'“‘[")
        if token in ABBREVIATIONS or _INITIALS.fullmatch(token):
            continue  # "approx.", "J. Smith"
        if word and re.fullmatch(r"\d{1,2}", token) and line[: word.start()].rstrip().endswith((".", ":", ";")):
            continue  # "leads. 2. Landis+Gyr": the marker of a numbered list run into one line
        if _COMPANY_SUFFIX.match(line, match.end()):
            continue  # "Amazon.com. Inc., BIZZBY": a company's suffix ends no sentence, it ends the name
        ends.append(match.end())
    return ends


def line_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line, trimmed of white space; empty pieces dropped."""
    spans = []
    cursor = 0
    for end in sentence_ends(line) + [len(line)]:
        piece = line[cursor:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((cursor + lead, cursor + len(piece.rstrip())))
        cursor = end
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, line by line."""
    return [line[s:e] for line in text.splitlines() for s, e in line_spans(line)]
