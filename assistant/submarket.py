"""A part of a market the question asks about: "the battery-electric tractor segment", "the compact tractor market".

A word written right before a linked market's name narrows it when the market's own reports use the two together:
they then name a part of the market ("battery-electric tractors"), and the market's own figure (all tractors) does
not answer. A word the reports never put there ("projected", "overall") narrows nothing and is left alone, so the
check needs no list of such words: the reports decide.

The figure for the part is then looked for among the facts whose sentence names it; when none does, the facts
table has no answer and retrieval, which reads every sentence, answers or refuses.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional, Sequence

from .facts import NAME_BOUNDARY_WORDS
from .frame import QuestionFrame
from .models import Fact
from .retrieve import key_terms

# The word before a name: a word of letters, hyphens allowed ("battery-electric").
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z-]*[A-Za-z])\s+$")


def _qualifier_before(frame: QuestionFrame, position: int) -> Optional[str]:
    match = _LAST_WORD.search(frame.text[:position])
    if match is None or not key_terms(match.group(1)) or match.group(1).lower() in NAME_BOUNDARY_WORDS:
        return None  # "the", "its", "global", "projected": no word that names a part
    word = match.group(1)
    taken = [(r.start, r.end) for r in frame.entities.regions]
    if any(start <= match.start(1) < end for start, end in taken):
        return None  # "European heat pump market": a region is not a part of the market's offer
    if any(word.lower() in firm.firm.lower().split() for firm in frame.entities.firms):
        return None
    return word


def asked_submarket(frame: QuestionFrame,
                    texts_of: Callable[[frozenset[str]], Iterable[str]]) -> Optional[tuple[str, str]]:
    """The first linked market whose reports name the part the question asks about, with the narrowing word:
    ("tractor", "battery-electric") for "the battery-electric tractor segment"; None when the question asks
    about whole markets. `texts_of(docs)` gives the text of some reports: only the market's own are read."""
    for link in frame.entities.markets:
        if link.end <= link.position:
            continue
        word = _qualifier_before(frame, link.position)
        if word is None:
            continue
        named = frame.text[link.position:link.end]
        phrase = re.compile(rf"\b{re.escape(word)}\s+{re.escape(named)}", re.IGNORECASE)
        if any(phrase.search(text) for text in texts_of(link.docs)):
            return link.market, word
    return None


def facts_of_part(facts: Sequence[Fact], market: str, word: str) -> list[Fact]:
    """The facts, with those of `market` kept only when their sentence names the part."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    return [f for f in facts if f.market != market or pattern.search(f.quote)]

