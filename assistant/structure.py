"""What each line of a report is: its title, headline, a dateline, a caption, a heading, body text, a list item,
a table row, or boilerplate (the "About X" and media-contact blocks).

The readers know some of this from the markup (an <h1>, a <figcaption>, a Markdown table) and pass it on as
hints keyed by the line's text; the rest is read from the line itself. The marks travel with the report, then with
each passage sentence (`Passage.kinds`), so that the composer and the refusal policy can tell a sentence that
answers from one that only frames the page: a headline, caption or dateline is context, never an answer alone.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

KINDS = ("title", "headline", "dateline", "caption", "heading", "body", "list item", "table row", "boilerplate")
CONTEXT_ONLY = frozenset({"title", "headline", "dateline", "caption"})

Mark = tuple[int, int, str]  # (start, end, kind) of one line of Report.text

# A press release's dateline: "BOSTON, March 3, 2021 /PRNewswire/ --", "LONDON, UK --", "(GLOBE NEWSWIRE) --".
_WIRE = r"(?:/\s*PRNewswire(?:-\w+)?\s*/|\((?:GLOBE NEWSWIRE|BUSINESS WIRE|Newswire)\)|/\s*EINPresswire(?:\.com)?\s*/)"
_DATELINE = re.compile(
    rf"^\**\s*(?:[A-Z][A-Za-z.'’\s-]{{1,40}},\s*){{0,3}}[A-Za-z.'’\s-]{{0,40}}?(?:,?\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},?\s+\d{{4}})?"
    rf"\**\s*{_WIRE}\s*(?:--|–|—|-)?\s*"
    rf"|^\**\s*[A-Z][A-Z.'’\s-]{{2,30}}(?:,\s*[A-Z][\w.'’\s-]{{1,30}}){{0,2}}(?:,?\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},?\s+\d{{4}})?"
    rf"\**\s*(?:--|–|—)\s*"
)
BULLET = re.compile(r"^(?:-|\d{1,2}[.)])\s+")  # a list item's marker in normalized text
# "Figure 2: ...", "Source: ...", "Image © Acme", "Chart - ...": a line that labels a picture or names a source.
# A figure a report states: a percentage, an amount of money or a scaled number (not "Tier 3", not "2030").
FIGURE = re.compile(r"\d\s*%|[$€£¥]\s*\d|\d(?:\.\d+)?\s*(?:billion|million|bn|mn)\b", re.IGNORECASE)
_CAPTION = re.compile(r"^(?:(?:figure|fig\.|chart|exhibit|graph|image|photo|picture|infographic)\s*\d*\s*[:.\-–—©]"
                      r"|source\s*:|image\s*(?:©|credit)|photo\s*(?:©|credit))", re.IGNORECASE)
# The heading of a block that speaks about the publisher or how to reach it, not about the market.
_BOILERPLATE_HEADING = re.compile(
    r"^(?:about (?!the (?:report|market|study|survey|research)\b|this\b)|media (?:contacts?|enquiries|inquiries|relations)\b|press (?:contacts?|enquiries|inquiries)\b|contacts?(?: us| information| details)?\s*:?$|"
    r"disclaimer\b|forward[- ]looking statements?\b|safe harbou?r\b|legal notice\b|for more information\b)",
    re.IGNORECASE)


def dateline_end(sentence: str) -> int:
    """Where a leading dateline ends in the sentence (0 when it has none)."""
    match = _DATELINE.match(sentence)
    return match.end() if match and match.end() < len(sentence) else 0


def is_dateline(sentence: str) -> bool:
    """The sentence is nothing but a dateline."""
    match = _DATELINE.match(sentence.strip())
    return bool(match) and match.end() >= len(sentence.strip()) - 2


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def looks_like_heading(line: str, last: bool) -> bool:
    """A short line that does not end like a sentence, and is not the last line of the text."""
    words = line.split()
    if not words or len(words) > 16 or BULLET.match(line) or last:
        return False
    if line[-1] in ".!?;,\"”" or (line.endswith(":") and len(words) > 6):
        return False
    return line[0].isupper() or line[0].isdigit()


def is_title_case(line: str) -> bool:
    """ "Beyond GPT-4: How Specialized Models are Driving 12.1% CAGR in the AI Market": most words capitalized and
    no sentence end, the way headlines, captions and scope banners are written."""
    words = line.split()
    capitalized = sum(1 for w in words if w[:1].isupper())
    return not line.rstrip().endswith((".", ":", "?", "!")) and len(words) >= 4 and capitalized >= 0.6 * len(words)


def mark_lines(text: str, hints: Mapping[str, str], title: str) -> tuple[Mark, ...]:
    """The kind of every non-blank line of `text`; `hints` maps a line's text to the kind its markup gave it."""
    lines: list[tuple[int, int, str]] = []
    position = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((position, position + len(raw), raw))
        position += len(raw) + 1
    title_key = _plain(title)
    first_dateline = next((i for i, (_, _, line) in enumerate(lines) if dateline_end(line) or is_dateline(line)), None)
    marks: list[Mark] = []
    in_boilerplate = False
    seen_body = False
    for i, (start, end, line) in enumerate(lines):
        hinted = hints.get(line)
        last = i == len(lines) - 1
        if hinted in ("heading", "headline") or (hinted is None and looks_like_heading(line, last)):
            in_boilerplate = bool(_BOILERPLATE_HEADING.match(line))
            if _plain(line) == title_key and title_key:
                kind = "title"
            elif hinted == "headline" or not seen_body:
                kind = "headline"
            else:
                kind = "heading"
        elif in_boilerplate and hinted not in ("table row",):
            kind = "boilerplate"
        elif hinted:
            kind = hinted
        elif first_dateline is not None and i < first_dateline and not BULLET.match(line):
            kind = "headline"  # a release's headline and sub-headline sit above its dateline
        elif _plain(line) == title_key and title_key:
            kind = "title"
        elif BULLET.match(line) and _numbered_heading(lines, i):
            kind = "heading"
        elif BULLET.match(line):
            kind = "list item"
        elif _CAPTION.match(line):
            kind = "caption"
        elif is_title_case(line):
            kind = "caption" if seen_body else "headline"  # a title-cased line frames the page, it does not report
        elif _is_deck(lines, i, marks, hints, seen_body):
            kind = "caption"
            seen_body = True  # the heading under a deck opens the body
        else:
            kind = "body"
        if kind in ("body", "list item", "table row"):
            seen_body = True
        marks.append((start, end, kind))
    return tuple(marks)


def _numbered_heading(lines: Sequence[tuple[int, int, str]], i: int) -> bool:
    """ "3. Commercial space tourism" between paragraphs: a numbered section's heading, not an item of a list (no
    item beside it), so it heads what follows and never answers alone."""
    line = lines[i][2]
    numbered = re.match(r"^\d{1,2}[.)]\s+", line)
    beside = [lines[j][2] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return bool(numbered) and looks_like_heading(line[numbered.end():], i == len(lines) - 1) and not any(
        BULLET.match(other) for other in beside)


def _is_deck(lines: Sequence[tuple[int, int, str]], i: int, marks: Sequence[Mark], hints: Mapping[str, str],
             seen_body: bool) -> bool:
    """A page's deck: the one line between its headline and its first heading that states no figure ("The X
    Market is segmented by Type, Application and Region."). It describes the page; the body after the heading
    reports."""
    if seen_body or not marks or marks[-1][2] not in ("headline", "title") or i + 1 >= len(lines):
        return False
    line, following = lines[i][2], lines[i + 1][2]
    if FIGURE.search(line):
        return False  # a figure: the lead of the report itself
    return hints.get(following) in ("heading", "headline") or (
        following not in hints and looks_like_heading(following, i + 1 == len(lines) - 1))


def kind_at(marks: Sequence[Mark], position: int) -> str:
    """The kind of the line holding `position` ("body" when the report has no marks)."""
    lo, hi = 0, len(marks)
    while lo < hi:
        mid = (lo + hi) // 2
        if marks[mid][1] < position:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(marks) and marks[lo][0] <= position <= marks[lo][1]:
        return marks[lo][2]
    return "body"
