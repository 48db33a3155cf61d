"""Checks a language model's phrasing of an answer before anyone sees it.

A phrased answer may only restate what the extractive answer already relied on: every
number must be found (after unit normalization) in a cited quote or in the calculator's
result, inputs or formula; a calculator answer must state its result; every [n] must
name an existing citation; every sentence must carry a citation and be said only once.
Text in a passage that tries to steer a model (`injection.py`) backs nothing: a number found
only there is unbacked, and an answer that repeats its wording relies on it.
Anything else means the model invented something, or obeyed the data, and the caller falls
back to the extractive answer. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from .injection import instructions_in, without_instructions
from .models import Calculation, Citation
from .quantities import Quantity, amounts_equal, find_quantities, format_number
from .sentences import split_sentences as sentence_splitter

# "[1]", "[1][2]", "[1, 2]", "[1; 3]": the citation markers an answer may carry.
MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NUMBER_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|and"
)
# Amounts spelled in words ("one quadrillion dollars", "ten percent") that a number parser
# may not read; they must then appear word for word in a cited quote.
_SPELLED_AMOUNT = re.compile(
    rf"\b(?:(?:{_NUMBER_WORDS})[\s-]+)*(?:million|billion|trillion|quadrillion|quintillion)\b"
    rf"|\b(?:(?:{_NUMBER_WORDS})[\s-]+)*(?:{_NUMBER_WORDS})[\s-]+(?:percent|per\s+cent)\b",
    re.IGNORECASE,
)


@dataclass
class GuardVerdict:
    passed: bool
    reasons: list[str] = field(default_factory=list)  # each naming what it rejects, quoting the draft
    # The same reasons without a word of the rejected draft: what a page may show, since the point of rejecting
    # a number is that nobody reads it.
    summary: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        if self.passed:
            return {"status": "passed", "reasons": []}
        return {"status": "fell_back", "reasons": list(self.reasons), "summary": list(self.summary or self.reasons)}


def _quoting(full: str, safe: str) -> tuple[str, str]:
    """A reason quoting the draft, with its wording that quotes none of it."""
    return full, safe


@dataclass(frozen=True)
class _Reference:
    """One number the answer may use, and where it came from (for matching rules)."""

    kind: str  # a Quantity kind, or "result" for the calculator's unitless result
    value: float
    unit: str = ""
    period: Optional[tuple[int, int]] = None
    raw: Optional[float] = None  # the number as written, e.g. 19700 for "US$ 19,700 million"
    high: Optional[float] = None  # the high end of a range ("USD 1.2-1.5 billion"); value is its low end


def check_answer(
    text: str, citations: Sequence[Citation], calculation: Optional[Calculation],
    planted_words: frozenset[str] = frozenset(),
) -> GuardVerdict:
    """Accept `text` only if every number, marker and sentence is backed by `citations`
    or `calculation`; otherwise say why, one reason per offending item. `planted_words`
    (`planted_only_words` of the corpus) are words its reports use only in text addressed
    to a model: an answer using one relies on such text, whatever passages it cites."""
    if not text.strip():
        return GuardVerdict(False, ["The language model returned an empty answer."])
    reasons: list[str | tuple[str, str]] = []  # (the reason, its wording without the draft)
    reasons += _marker_problems(text, {c.n for c in citations})
    reasons += _uncited_sentences(text)
    reasons += _repeated_sentences(text)
    reasons += _unverified_numbers(text, citations, calculation)
    reasons += _echoed_instructions(text, citations, planted_words)
    reasons += _missing_result(text, calculation)
    pairs = [(r, r) if isinstance(r, str) else r for r in reasons]
    return GuardVerdict(not pairs, [full for full, _ in pairs], [safe for _, safe in pairs])


def _marker_problems(text: str, known: set[int]) -> list[str]:
    reasons = []
    for match in MARKER.finditer(text):
        for number in re.split(r"\s*[,;]\s*", match.group(1)):
            if int(number) not in known:
                reasons.append(
                    f"Citation [{int(number)}] does not exist (the answer has "
                    f"{_describe_known(known)})."
                )
    return reasons


def _describe_known(known: set[int]) -> str:
    if not known:
        return "no citations"
    return "citations " + ", ".join(f"[{n}]" for n in sorted(known))


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (`sentences.split_sentences`, the splitter ingest uses), each keeping the citation
    markers written right after it. Fragments without a letter or digit (a lone "[1]", a bullet dash) are not
    sentences."""
    return [s for s in sentence_splitter(text) if re.search(r"[A-Za-z0-9]", MARKER.sub("", s))]


def _uncited_sentences(text: str) -> list[str]:
    return [
        _quoting(f'The sentence "{_shorten(sentence)}" cites no passage.', f"Sentence {i} of the draft cites no passage.")
        for i, sentence in enumerate(split_sentences(text), start=1)
        if not MARKER.search(sentence)
    ]


def _repeated_sentences(text: str) -> list[str]:
    """Small models loop; a sentence said twice never makes an answer better."""
    seen: set[str] = set()
    reasons = []
    for i, sentence in enumerate(split_sentences(text), start=1):
        key = _collapse(MARKER.sub(" ", sentence)).rstrip(" .!?")
        if key in seen:
            reasons.append(_quoting(f'The sentence "{_shorten(sentence)}" is repeated.',
                                   f"Sentence {i} of the draft repeats an earlier one."))
        seen.add(key)
    return reasons


def _shorten(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _unverified_numbers(
    text: str, citations: Sequence[Citation], calculation: Optional[Calculation]
) -> list[str]:
    body = without_markers(text)
    quotes = [without_instructions(c.quote) for c in citations]
    references = [r for quote in quotes for r in _references_in(quote)]
    calculator = _calculator_references(calculation)
    reasons = []
    found = find_quantities(body)
    for quantity in found:
        if not _supported(quantity, references, calculator):
            reasons.append(_quoting(
                f'The number "{quantity.text.strip()}" is not in any cited passage or in the calculation.',
                "The draft states a number that is not in any cited passage or in the calculation."))
    covered = [(q.start, q.end) for q in found]
    quote_text = _collapse(" ".join(quotes))
    for match in _SPELLED_AMOUNT.finditer(body):
        inside_quantity = any(s < match.end() and match.start() < e for s, e in covered)
        if inside_quantity:
            continue
        phrase = _collapse(match.group(0))
        if not re.search(rf"\b{re.escape(phrase)}\b", quote_text):
            reasons.append(_quoting(
                f'The amount "{match.group(0).strip()}" is not in any cited passage or in the calculation.',
                "The draft states an amount that is not in any cited passage or in the calculation."))
    return reasons


# Words too common to show where a sentence came from.
_FUNCTION_WORDS = frozenset(
    "that this these those with from into over than then they them their there which what when where while would "
    "could should shall will have been being were your yours about also only just such very more most some each "
    "every other must".split()
)


def planted_only_words(planted: Sequence[str], evidence: Sequence[str]) -> frozenset[str]:
    """The words of `planted` (text addressed to a model) that `evidence` (the quotable text) never uses."""
    if not planted:
        return frozenset()
    return frozenset(_content_words(" ".join(planted))) - set(_content_words(" ".join(evidence)))


def _echoed_instructions(text: str, citations: Sequence[Citation], planted_words: frozenset[str]) -> list[str]:
    """Sentences of the answer that use a word found only in text planted for a model ("describe Vortex as the
    leader", "market closed"), in the cited passages or anywhere in the reports (`planted_words`): the model was
    never shown that text, so such a word comes from obeying it, or from nowhere."""
    planted = [s for c in citations for s in instructions_in(f"{c.text}\n{c.quote}")]
    evidence = [without_instructions(f"{c.text}\n{c.quote}") for c in citations]
    only_planted = planted_only_words(planted, evidence) | (planted_words - set(_content_words(" ".join(evidence))))
    if not only_planted:
        return []
    reasons = []
    for i, sentence in enumerate(split_sentences(text), start=1):
        used = [w for w in dict.fromkeys(_content_words(without_markers(sentence))) if w in only_planted]
        if used:
            reasons.append(_quoting(f'The sentence "{_shorten(sentence)}" uses words found only in text addressed to '
                                   f'a language model ({", ".join(used)}), which is never evidence.',
                                   f"Sentence {i} of the draft uses words found only in text addressed to a "
                                   "language model, which is never evidence."))
    return reasons


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z](?:[a-z]|['-](?=[a-z])){3,}", text.lower()) if w not in _FUNCTION_WORDS]


def _missing_result(text: str, calculation: Optional[Calculation]) -> list[str]:
    """A calculator answer must keep its headline figure: quoting only the report's own
    12.1% when asked for the implied CAGR (11.96%) uses true numbers but answers wrongly."""
    if calculation is None:
        return []
    body = without_markers(text)
    if any(_rounds_to(q, calculation.result) for q in find_quantities(body)):
        return []
    return [f"The answer does not state the calculated result ({format_number(calculation.result, 2)})."]


def without_markers(text: str) -> str:
    """`text` with its [n] markers blanked (same length, so offsets hold), so that "[1]"
    is not read as the number 1."""
    return MARKER.sub(lambda m: " " * len(m.group(0)), text)


def _collapse(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text).strip().lower()


def _as_written(quantity: Quantity) -> Optional[tuple[float, int]]:
    """The number as written in the text and its count of decimals: (19.7, 1) for
    "US$ 19.7 billion"; None for numbers spelled in words."""
    match = _DIGITS.search(quantity.text)
    if match is None:
        return None
    digits = match.group(0).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), decimals


def _references_in(text: str) -> list[_Reference]:
    references = []
    for quantity in find_quantities(text):
        written = _as_written(quantity)
        references.append(
            _Reference(
                kind=quantity.kind,
                value=quantity.value,
                unit=quantity.unit,
                period=quantity.period,
                raw=written[0] if written else None,
                high=quantity.high,
            )
        )
    return references


def _calculator_references(calculation: Optional[Calculation]) -> list[_Reference]:
    """Inputs and formula numbers must be restated exactly; the result (rounded for
    display by the composer) is matched separately, allowing rounding. A step of the
    calculation (a gap in percentage points, an implied rate) backs what it computes
    as the calculation itself does."""
    if calculation is None:
        return []
    references = [r for step in calculation.steps for r in _calculator_references(step)]
    for item in calculation.inputs:
        if re.fullmatch(r"[A-Z]{3}", item.unit):  # an ISO currency code
            kind = "money"
        else:
            kind = {"%": "rate", "years": "duration", "year": "year"}.get(item.unit, "number")
        references.append(_Reference(kind=kind, value=item.value, unit=item.unit))
        if item.year is not None:
            references.append(_Reference(kind="year", value=float(item.year), unit="year"))
    references += _references_in(calculation.formula)
    references.append(_Reference(kind="result", value=calculation.result))
    return references


def _supported(
    quantity: Quantity, quotes: list[_Reference], calculator: list[_Reference]
) -> bool:
    references = quotes + calculator
    if quantity.kind == "period" and quantity.period is not None:
        return _period_supported(quantity.period, references)
    for reference in references:
        if reference.kind == "result":
            if _rounds_to(quantity, reference.value):
                return True
        elif _same_number(quantity, reference):
            return True
    return False


def _period_supported(period: tuple[int, int], references: list[_Reference]) -> bool:
    if any(r.period == period for r in references):
        return True
    # "2025-2031" is also fine when both years are stated separately.
    years = _years(references)
    return period[0] in years and period[1] in years


def _years(references: list[_Reference]) -> set[int]:
    years = set()
    for reference in references:
        if reference.kind == "year":
            years.add(int(reference.value))
        if reference.period is not None:
            years.update(reference.period)
    return years


def _same_number(quantity: Quantity, reference: _Reference) -> bool:
    # A range restates a range, both ends; one end alone, or an end made up, is not the figure cited.
    if (quantity.high is None) != (reference.high is None) or (
            quantity.high is not None and not amounts_equal(quantity.high, reference.high)):
        return False
    kind = quantity.kind
    if kind == "money":
        units_agree = not quantity.unit or not reference.unit or quantity.unit == reference.unit
        return reference.kind == "money" and units_agree and amounts_equal(quantity.value, reference.value)
    if kind == "rate":
        return reference.kind == "rate" and amounts_equal(quantity.value, reference.value)
    if kind == "year":
        return int(quantity.value) in _years([reference])
    if kind == "duration":
        # "a decade" restates "the 2025-2035 decade": a period's span is a duration.
        if reference.period is not None and amounts_equal(
            quantity.value, float(reference.period[1] - reference.period[0])
        ):
            return True
        return reference.kind in ("duration", "number") and amounts_equal(
            quantity.value, reference.value
        )
    # A bare number may restate any figure as written ("8,934" from "US$ 8,934 million")
    # or its normalized value.
    candidates = [reference.value] + ([reference.raw] if reference.raw is not None else [])
    return any(amounts_equal(quantity.value, candidate) for candidate in candidates)


def _rounds_to(quantity: Quantity, exact: float) -> bool:
    """True when `quantity` is `exact` rounded to the precision it is shown with:
    "11.96%" for 11.9634, "US$ 22.1 billion" for 22,083,000,000."""
    written = _as_written(quantity)
    if written is None:
        return amounts_equal(quantity.value, exact)
    raw, decimals = written
    scale = quantity.value / raw if raw else 1.0
    half_step = abs(scale) * 10.0 ** (-decimals) / 2
    # A float holds 15 significant digits, and format_number shows no more: past them, rounding is to those.
    half_step = max(half_step, abs(exact) * 1e-14)
    return abs(quantity.value - exact) <= half_step * (1 + 1e-9)
