"""Splitting a normalized report into sentences and passages.

A passage is a run of whole sentences under one section heading, at most `max_words` long, so that one
passage holds one idea. Offsets are absolute positions in `Report.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Passage, Report

# Chosen by measuring top-3 retrieval recall on eval/retrieval_questions.jsonl (see README, "Passage size").
DEFAULT_MAX_WORDS = 90
CHUNKING_VERSION = 13  # bump when splitting changes, so stored passages are rebuilt

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "prof", "no", "fig", "approx",
    "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "st", "jr",
}
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before white space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^(?:-|\d{1,2}[.)])\s+")
# A press release's dateline: "BOSTON, March 3, 2021 /PRNewswire/ --", "LONDON, UK --", "(GLOBE NEWSWIRE) --".
_WIRE = r"(?:/\s*PRNewswire(?:-\w+)?\s*/|\((?:GLOBE NEWSWIRE|BUSINESS WIRE|Newswire)\)|/\s*EINPresswire(?:\.com)?\s*/)"
_DATELINE = re.compile(
    rf"^\**\s*(?:[A-Z][A-Za-z.'’\s-]{{1,40}},\s*){{0,3}}[A-Za-z.'’\s-]{{0,40}}?(?:,?\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},?\s+\d{{4}})?"
    rf"\**\s*{_WIRE}\s*(?:--|–|—|-)?\s*"
    rf"|^\**\s*[A-Z][A-Z.'’\s-]{{2,30}}(?:,\s*[A-Z][\w.'’\s-]{{1,30}}){{0,2}}(?:,?\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},?\s+\d{{4}})?"
    rf"\**\s*(?:--|–|—)\s*"
)
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|any)\b.{0,30}"
    r"\b(instructions?|prompts?|rules|directions)\b|\b(system prompt|you are now|as an ai (language )?model|"
    r"new instructions?:)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """A line of the normalized text: a heading, a bullet or a paragraph."""

    kind: str  # "heading", "bullet", "paragraph"
    start: int
    end: int
    blank_before: bool


def is_instruction(text: str) -> bool:
    """Text that tries to steer a language model; such passages are flagged and never quoted as answers."""
    return bool(_INSTRUCTION.search(text))


def _is_heading(line: str, next_line: str | None) -> bool:
    words = line.split()
    if not words or len(words) > 16 or _BULLET.match(line) or next_line is None:
        return False
    if line[-1] in ".!?;,\"”" or (line.endswith(":") and len(words) > 6):
        return False
    return line[0].isupper() or line[0].isdigit()


def blocks(text: str) -> list[Block]:
    lines = []
    position = 0
    for raw in text.split("\n"):
        lines.append((raw, position))
        position += len(raw) + 1
    result: list[Block] = []
    blank_before = True
    content = [(line, start) for line, start in lines if line.strip()]
    following = {start: (content[i + 1][0] if i + 1 < len(content) else None) for i, (_, start) in enumerate(content)}
    for line, start in lines:
        if not line.strip():
            blank_before = True
            continue
        if _BULLET.match(line):
            kind = "bullet"
        elif _is_heading(line, following[start]):
            kind = "heading"
        else:
            kind = "paragraph"
        result.append(Block(kind, start, start + len(line), blank_before))
        blank_before = False
    return result


def dateline_end(sentence: str) -> int:
    """Where a leading dateline ends in the sentence (0 when it has none)."""
    match = _DATELINE.match(sentence)
    return match.end() if match and match.end() < len(sentence) else 0


def is_dateline(sentence: str) -> bool:
    """The sentence is nothing but a dateline."""
    match = _DATELINE.match(sentence.strip())
    return bool(match) and match.end() >= len(sentence.strip()) - 2


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute spans of the sentences in text[start:end] (a single line), trimmed of white space. A leading
    dateline is a unit of its own: it is where the release was issued, not part of what it says."""
    spans = []
    cursor = start
    dateline = dateline_end(text[start:end])
    if dateline:
        spans.append((start, start + len(text[start:start + dateline].rstrip())))
        cursor = start + dateline
    segment = text[start:end]
    marker = _BULLET.match(segment)
    for match in _SENTENCE_END.finditer(segment):
        stop = start + match.end()
        if stop <= cursor or (marker and match.end() <= marker.end()):
            continue  # "1. Itron ...": a list marker is part of its item, not a sentence
        word = re.search(r"(\S+)$", text[cursor : start + match.start()])
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):  # "A.P. Moller", "J. Smith"
            continue
        spans.append((cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def split_passages(report: Report, max_words: int = DEFAULT_MAX_WORDS) -> list[Passage]:
    """Group a report's sentences into passages that never cross a heading and prefer paragraph breaks."""
    text = report.text
    passages: list[Passage] = []
    heading = ""
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0][0], current[-1][1]
        body = text[start:end]
        passages.append(
            Passage(
                id=f"{report.doc}#{len(passages)}",
                doc=report.doc,
                title=report.title,
                heading=heading,
                text=body,
                start=start,
                end=end,
                sentences=tuple(current),
                flags=("instruction",) if is_instruction(body) else (),
            )
        )
        current.clear()

    for block in blocks(text):
        if block.kind == "heading":
            flush()
            heading = text[block.start : block.end].rstrip(":")
            continue
        spans = sentence_spans(text, block.start, block.end)
        words_now = sum(_word_count(text, s, e) for s, e in current)
        block_words = sum(_word_count(text, s, e) for s, e in spans)
        # Bullets may stretch a passage by half, so a list stays with its introduction.
        limit = max_words if block.kind == "paragraph" else max_words * 3 // 2
        if current and words_now + block_words > limit and (block.kind == "paragraph" or block.blank_before):
            flush()
        for span in spans:
            words_now = sum(_word_count(text, s, e) for s, e in current)
            if current and words_now + _word_count(text, *span) > limit:
                flush()
            current.append(span)
    flush()
    return passages
