"""A question that asks for two figures at once: "How big will X be in 2026, and at what CAGR?".

The parser reads what the last asking clause asks (the CAGR); the clause before it asks for something else (the
size). Each is answered from the facts table on its own, and the two answers are put side by side, their
citations numbered as one list.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from .linking import LinkedEntities
from .models import Calculation
from .numeric import NumericAnswer

# ", and at what CAGR?", " and how many ...": a second question word after "and" starts a second ask.
_SECOND_ASK = re.compile(r"(?:,\s*|\s+)and\s+(?:(?:at|by|in|with|to)\s+)?(?:what|how|which|when)\b", re.IGNORECASE)
_MARKER = re.compile(r"\[(\d+)\]")
_ROUTE_RANK = {"refusal": 0, "retrieval": 1, "calculator": 2}


def split_asks(question: str, entities: LinkedEntities) -> Optional[tuple[str, str]]:
    """The two questions a question asking twice holds, each standing alone: the words up to the second ask, and
    the second ask with the market and firms the question names ("at what CAGR for the X market according to
    Y?"); None when it asks once."""
    found = _SECOND_ASK.search(question)
    if found is None or found.start() == 0 or len(entities.market_names) != 1:
        return None
    first = question[:found.start()].rstrip(" ,;")
    second = question[found.start():].strip(" ,;?")
    second = re.sub(r"^and\s+", "", second, flags=re.IGNORECASE)
    if len(first.split()) < 3:
        return None
    second += f" for the {entities.market_names[0]} market"
    if entities.firms:
        second += " according to " + " and ".join(f.firm for f in entities.firms)
    return first + "?", second[:1].upper() + second[1:] + "?"


def joined(first: NumericAnswer, second: NumericAnswer) -> NumericAnswer:
    """Both answers in one: the first's text, then the second's, with one numbering of the sentences they cite
    (a sentence both cite keeps one number)."""
    sources = list(first.sources)
    spans = [(f.doc, f.start, f.end) for f in sources]
    renumbered: dict[int, int] = {}
    for n, fact in enumerate(second.sources, start=1):
        if (fact.doc, fact.start, fact.end) not in spans:
            sources.append(fact)
            spans.append((fact.doc, fact.start, fact.end))
        renumbered[n] = spans.index((fact.doc, fact.start, fact.end)) + 1
    text = _MARKER.sub(lambda m: f"[{renumbered.get(int(m.group(1)), int(m.group(1)))}]", second.text)
    calculation = first.calculation or (_renumbered(second.calculation, renumbered) if second.calculation else None)
    leading = first if first.route != "refusal" or second.route == "refusal" else second
    return NumericAnswer(
        route=max(first.route, second.route, key=lambda route: _ROUTE_RANK.get(route, 0)),
        text=f"{first.text} {text}",
        sources=sources,
        value=leading.value,
        unit=leading.unit,
        calculation=calculation,
        series=first.series or second.series,
        value_range=leading.value_range,
    )


def _renumbered(calculation: Calculation, numbers: dict[int, int]) -> Calculation:
    inputs = [replace(item, citation=numbers.get(item.citation, item.citation)) if item.citation else item
              for item in calculation.inputs]
    return replace(calculation, inputs=inputs, steps=[_renumbered(step, numbers) for step in calculation.steps])
