"""Splitting a normalized report into sentences and passages.

A passage is a run of whole sentences under one section heading, at most `max_words` long, so that one
passage holds one idea. Offsets are absolute positions in `Report.text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .injection import flagged_sentences, is_instruction
from .models import Passage, Report
from .sentences import line_spans
from .structure import BULLET, dateline_end, is_dateline, kind_at, looks_like_heading

__all__ = ["blocks", "dateline_end", "is_dateline", "is_instruction", "sentence_spans", "split_passages"]

# Chosen by measuring top-3 retrieval recall on eval/retrieval_questions.jsonl (see README, "Passage size").
DEFAULT_MAX_WORDS = 90
# Bump when splitting, flagging or fact reading changes, so stored passages and facts are rebuilt
# (29: per-sentence `flagged`; 30: sizes an industry is projected to cross; 31: a publisher written with ® or ™;
# 33: "the X industry/sector" names a market, a firm credited with figures, "up from X in YEAR" dates X only;
# 34: a company suffix after a full stop ends no sentence).
CHUNKING_VERSION = 40


@dataclass(frozen=True)
class Block:
    """A line of the normalized text: a heading, a bullet or a paragraph."""

    kind: str  # "heading", "bullet", "paragraph"
    start: int
    end: int
    blank_before: bool


def blocks(text: str, marks=()) -> list[Block]:
    """The lines of `text` as blocks; `marks` (`structure.mark_lines`) say which lines are headings, list items
    or table rows. A table row or caption is never a heading, however short."""
    lines = []
    position = 0
    for raw in text.split("\n"):
        lines.append((raw, position))
        position += len(raw) + 1
    result: list[Block] = []
    blank_before = True
    content = [(line, start) for line, start in lines if line.strip()]
    last = content[-1][1] if content else -1
    for line, start in lines:
        if not line.strip():
            blank_before = True
            continue
        marked = kind_at(marks, start) if marks else None
        if BULLET.match(line) or marked == "list item":
            kind = "bullet"
        elif (marked is None or marked in ("heading", "headline", "title")) and looks_like_heading(line, start == last):
            kind = "heading"
        else:
            kind = "paragraph"
        result.append(Block(kind, start, start + len(line), blank_before))
        blank_before = False
    return result


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute spans of the sentences in text[start:end] (a single line), trimmed of white space. A leading
    dateline is a unit of its own: it is where the release was issued, not part of what it says."""
    spans = []
    cursor = start
    dateline = dateline_end(text[start:end])
    if dateline:
        spans.append((start, start + len(text[start:start + dateline].rstrip())))
        cursor = start + dateline
    spans += [(cursor + s, cursor + e) for s, e in line_spans(text[cursor:end])]
    return spans


def _word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _sentence_kind(report: Report, span: tuple[int, int]) -> str:
    sentence = report.text[span[0]:span[1]]
    if is_dateline(sentence):
        return "dateline"
    return kind_at(report.marks, span[0]) if report.marks else "body"


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
        flagged = flagged_sentences([text[s:e] for s, e in current])
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
                kinds=tuple(_sentence_kind(report, span) for span in current),
                flags=("instruction",) if flagged else (),
                flagged=flagged,
            )
        )
        current.clear()

    for block in blocks(text, report.marks):
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
