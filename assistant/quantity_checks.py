"""The invariant every answer keeps: each number in its text is backed by a cited quote or by a shown calculation.

The check is the LLM guard's own number check (`guard._unverified_numbers`: same parser, same matching rules,
results matched at the precision they are shown with), applied to any answer, extractive ones included, so
that what the guard demands of a language model the assistant demands of itself. A calculation's `steps` (a
gap in percentage points, an implied rate) back the figures they compute, as the main calculation does.

A refusal may also restate what the question typed, read by the same parser (so "-$5 billion" typed is not
backed by "$5 billion" said): naming the figure it cannot use is how it says why. It may state a report's
figure only when it cites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .guard import _unverified_numbers
from .models import Answer, Calculation
from .quantities import find_quantities


@dataclass(frozen=True)
class _Quote:
    """What the guard reads of a citation: its quote."""

    quote: str


def unbacked_numbers(answer: Answer) -> list[str]:
    """One sentence per number of `answer.answer` that neither a cited quote nor the calculation (nor, for a
    refusal, the question) backs; empty when every number is backed."""
    quotes: list[_Quote] = [_Quote(c.quote) for c in answer.citations]
    text = answer.answer
    if answer.route == "refusal":
        quotes.append(_Quote(answer.question))
        # A figure no parser reads as a value ("10^308") is backed only by being the question's own words.
        for quantity in find_quantities(text):
            if quantity.kind == "unreadable" and quantity.text in answer.question:
                text = text[:quantity.start] + " " * len(quantity.text) + text[quantity.end:]
    calculations: Sequence[Optional[Calculation]] = [None]
    if answer.calculation is not None:
        calculations = [answer.calculation, *answer.calculation.steps]
    # A number is backed when the quotes and any one of the calculations back it.
    reasons: Optional[list[str]] = None
    for calculation in calculations:
        found = _unverified_numbers(text, quotes, calculation)
        reasons = found if reasons is None else [r for r in reasons if r in found]
    return reasons or []
