"""Follow-up questions made explicit, deterministically: the market in focus is carried from earlier turns.

"And what about 2030?" after "How big will the large-scale AI models market be in 2028?" becomes
"How big will the large-scale AI models market be in 2030?". The rewrite is shown to the user.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence, Union

from .linking import EntityLinker, LinkedEntities
from .models import Answer
from .retrieve import key_terms

Turn = Union[str, Answer]  # an earlier question, or the answer object it got

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WHAT_ABOUT = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+|in\s+|for\s+)?(.+?)\s*\??$", re.IGNORECASE)
_CUE = re.compile(r"^(?:and|also|then|so|plus)\b[\s,]*", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(that market|this market|the same market|that|it|its|this one|they|their)\b", re.IGNORECASE)


def _question_of(turn: Turn) -> str:
    if isinstance(turn, Answer):
        return turn.rewritten_question or turn.question
    return str(turn)


def _one_market(linker: EntityLinker, text: str) -> Optional[str]:
    markets = list(dict.fromkeys(linker.link(text).market_names))
    return markets[0] if len(markets) == 1 else None


# Words that only point back at the earlier question: "Same question for X", "and the same in 2030?".
_POINTING = frozenset({"same", "question", "market", "one", "also", "again", "ditto"})


def is_elliptical(question: str, linked: LinkedEntities) -> bool:
    """True when the question says nothing beyond names and years ("2030?", "And in 2031?", "Same question for
    multimodal AI"): what it asks is the earlier question's, or, with none, not said at all."""
    spans = [(m.position, m.end) for m in linked.markets if m.end > m.position] + \
        [(r.start, r.end) for r in linked.regions] + [(y.start(), y.end()) for y in _YEAR.finditer(question)]
    rest = question
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    for firm in linked.firms:
        rest = re.sub(re.escape(firm.firm), " ", rest, flags=re.IGNORECASE)
    # A link may cover fewer words than the name it found ("multimodal" of "multimodal AI"): the name's words go.
    named = " ".join(list(_POINTING) + linked.market_names)
    return bool(spans or linked.firms) and not set(key_terms(rest)) - set(key_terms(named))


def _restated(previous: str, question: str, linked: LinkedEntities, focus: Optional[str]) -> Optional[str]:
    """The earlier question with the years and the market the elliptical one names put in: "And in 2031?" after
    "How big will X be in 2028?" is "How big will X be in 2031?"."""
    rewritten = previous
    years = _YEAR.findall(question)
    if years:
        before = _YEAR.findall(previous)
        rewritten = previous.replace(before[-1], years[-1]) if before else f"{previous.rstrip(' ?')} in {years[-1]}?"
    named = [m for m in linked.markets if m.end > m.position]
    if named and focus and named[0].market != focus:
        rewritten = _replace_market(rewritten, focus, named[0].market)
    return rewritten if rewritten != previous else None


def rewrite_followup(question: str, history: Sequence[Turn], linker: EntityLinker) -> Optional[str]:
    """The question with the earlier turn's market made explicit, or None when it stands on its own."""
    if not history:
        return None
    previous = _question_of(history[-1])
    focus = _one_market(linker, previous)
    linked = linker.link(question)
    if is_elliptical(question, linked):
        return _restated(previous, question, linked, focus)
    about = _WHAT_ABOUT.match(question.strip())
    if about and _YEAR.fullmatch(about.group(1).strip()):
        year = about.group(1).strip()
        years = _YEAR.findall(previous)
        if len(years) == 1:
            return _YEAR.sub(year, previous, count=1)
        if years:
            return previous.replace(years[-1], year)
        return f"{previous.rstrip(' ?')} in {year}?"  # "What CAGR ...?" then "And what about 2028?"
    if focus is None:
        return None
    current = _one_market(linker, question)
    if about:
        target = re.sub(r"\s+(?:market|industry|sector)$", "", about.group(1).strip(), flags=re.IGNORECASE)
        if current and current != focus:
            return _replace_market(previous, focus, target)
    if current is None and len(question.split()) <= 15:
        if _PRONOUN.search(question):
            return _PRONOUN.sub(f"the {focus} market", question, count=1)
        if _CUE.match(question):  # "And the CAGR?", "Also its key players?"
            rest = _CUE.sub("", question).rstrip("?")
            return f"{rest[:1].upper()}{rest[1:]} for the {focus} market?"
        return None  # a question that names no market and does not lean on the last one stands alone
    if current is not None and current != focus and _PRONOUN.search(question.split(current)[0] if current in
                                                                     question else question):
        # "How does that compare with multimodal AI?": "that" is the earlier market.
        return _PRONOUN.sub(f"the {focus} market", question, count=1)
    return None


def _replace_market(previous: str, focus: str, target: str) -> str:
    pattern = re.compile(re.escape(focus), re.IGNORECASE)
    if pattern.search(previous):
        return pattern.sub(target, previous, count=1)
    # The earlier question named the market its own way ("RPM", "heat pump"): swap the words that linked.
    words = [w for w in focus.split() if len(w) > 2]
    for word in sorted(words, key=len, reverse=True):
        spelled = re.search(rf"\b{re.escape(word[:5])}\w*", previous, re.IGNORECASE)
        if spelled:
            return previous[:spelled.start()] + target + previous[spelled.end():]
    return f"{previous.rstrip('?')} (for {target})?"
