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

from .guard import _unverified_numbers
from .models import Answer
from .quantities import figure_tokens, find_quantities


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
        # A figure no parser reads as a value ("10^308", "5.29" of "$5.29billionto") is backed only by being
        # the question's own words, a whole figure of it.
        typed = set(figure_tokens(answer.question))
        for quantity in find_quantities(text):
            if quantity.kind == "unreadable" and quantity.text in answer.question or quantity.text.strip() in typed:
                text = text[:quantity.start] + " " * len(quantity.text) + text[quantity.end:]
    return _unverified_numbers(text, quotes, answer.calculation)
