"""Numeric questions: routing between the calculator and plain look-ups in the facts table.

`answer_numeric` executes a question frame (assistant/frame.py: what is asked, the linked markets and firms,
the typed numbers) from the facts table and the calculator only, so every figure it shows is either a stated
fact (cited) or a calculation whose inputs are shown (typed by the user, or stated in a report and cited). It
returns None for frames that are not about market figures, or whose market it cannot resolve; retrieval
answers those instead.

Routes: "calculator" for anything computed (CAGR, projections, base values, years to a target, doubling
time, growth multiples, differences, consistency checks); "retrieval" for figures stated in the reports
(including "which market grows faster" and "do the reports agree", which compare stated figures);
"refusal" when an input is missing, the market, year or region is not covered, or the arithmetic is
impossible.

A size asked for a year the reports do not state is computed when the year lies inside the span the
reports' own forecast covers (a stated size and CAGR around it) and refused outside it, unless the
question asks to apply a growth rate.

A figure given as a range ("USD 1.2-1.5 billion", "8-10%"), stated or typed, is shown with both ends and never
computed with or compared by one end: a calculation or comparison that needs it is refused, saying so.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Sequence

from . import calculator as calc
from .asking import is_comparative
from .audit import AuditFlag, ConsistencyCheck, consistency_checks, percent_text, period_text
from .calculator import CalculationError
from .facts import fact_value_text, market_key
from .frame import QuestionFrame, question_vocabulary
from .models import Calculation, CalculationInput, Fact, MarketQAError
from .quantities import MONEY_NOUN, Quantity, amounts_equal, format_amount, format_number, mentions_currency
from .regions import regions_in


@dataclass
class NumericAnswer:
    route: str  # "calculator", "retrieval" or "refusal"
    text: str  # with [n] markers; n = 1-based index into `sources`
    sources: list[Fact]  # fact i is cited as [i+1]; figures stated in one sentence share its citation
    value: Optional[float]
    unit: Optional[str]  # "%", an ISO code, "years", "x"
    calculation: Optional[Calculation]
    series: list[dict[str, Any]] = field(default_factory=list)  # year-by-year trajectory for charts
    value_range: Optional[dict[str, Any]] = None  # a range stated as the answer: {"low", "high", "unit"}




class _Refuse(Exception):
    """The question cannot be answered from the facts: becomes a refusal."""

    def __init__(self, text: str, sources: Sequence[Fact] = ()) -> None:
        super().__init__(text)
        self.text = text
        self.sources = list(sources)


class _NotMine(Exception):
    """The question is not about the market figures after all: retrieval should answer it."""


# --- the question, as the executors read it ------------------------------------------------------


class _Question:
    """The frame's typed quantities, flattened for the executors."""

    def __init__(self, frame: QuestionFrame, source_names: Optional[dict[str, str]] = None) -> None:
        q = frame.quantities
        self.frame = frame
        self._source_names = source_names or {}
        self.text = frame.text
        self.amounts, self.amount_years = q.amounts, q.amount_years
        self.rates, self.durations, self.years, self.period = q.rates, q.durations, q.years, q.period
        self.markets = frame.entities.market_names
        self.regions = frame.entities.regions

    def source_name(self, doc: str) -> str:
        """How an answer names a report: its research firm, with the report's id when the firm has several."""
        return self._source_names.get(doc, doc)


def plan(frame: QuestionFrame) -> Optional[str]:
    """Which executor answers the frame; None when it is not about the market figures (retrieval answers).

    The intent says what is asked; the typed quantities settle what can be computed from what is given."""
    q = frame.quantities
    intent = frame.intent
    if intent not in _EXECUTORS:
        return None
    if intent == "compute_multiple_time" and q.multiplier is None:
        return None
    if intent == "compute_target_year" and not q.amounts:
        return "compute_multiple_time" if q.multiplier is not None else None
    if intent == "check_consistency" and len(q.amounts) >= 2:
        return "compute_cagr"
    if intent.startswith("lookup") and len({r.region for r in frame.entities.regions}) >= 2 and \
            is_comparative(frame.text):
        # "Does North America or Western Europe grow faster?": regions set against each other, each in its own
        # words ("6.2% and 9.8% respectively"): retrieval quotes the sentences that state both.
        return None
    if intent in ("compute_factor", "compute_difference") and not (q.amounts or q.years or q.multiplier) and \
            frame.clause_intent not in ("compute_factor", "compute_difference", "compare_arithmetic"):
        return None  # nothing typed and no asking for a change or a multiple: "What's the price of the report?"
    return intent


def is_computation(frame: QuestionFrame) -> bool:
    """True when the frame asks for arithmetic (the calculator), not for a stated figure."""
    return frame.is_computation


# --- formatting ----------------------------------------------------------------------------------


def _headline(value: float, unit: Optional[str]) -> float:
    """The value as reported in the answer object: whole currency units, else four decimals (the text shows two).
    Below a million, money keeps the decimals its text shows ("USD 3,967.19"), so the text states the result."""
    if unit not in (None, "%", "years", "x"):
        return float(round(value)) if abs(value) >= 1e6 else round(value, 3)
    if value != 0 and abs(value) < 0.01:
        return float(f"{value:.4g}")
    return round(value, 4)


def _range_of(value: float, high: Optional[float], unit: Optional[str]) -> Optional[dict[str, Any]]:
    """Both ends of a stated range, as the answer object reports them; None for a single figure."""
    if high is None:
        return None
    return {"low": _headline(value, unit), "high": _headline(high, unit), "unit": unit}


def _years(count: float) -> str:
    """ "1 year", "7 years", "2.5 years"."""
    return f"{format_number(count, 2)} year{'' if count == 1 else 's'}"


def _show(value: float, unit: Optional[str]) -> str:
    if unit == "%":
        return percent_text(value)
    if unit == "years":
        return f"{format_number(value, 2)} years"
    if unit == "x":
        return f"{format_number(value, 2)} times"
    return format_amount(value, unit or "")


@dataclass
class _Input:
    """A number used in a calculation: typed in the question (fact None) or stated in a report."""

    name: str
    value: float
    unit: str
    year: Optional[int] = None
    fact: Optional[Fact] = None
    written: str = ""
    high: Optional[float] = None  # the high end of a range; `value` is then its low end
    derivation: str = ""  # how a rate no report states was computed: "implied by $8 billion in 2019 [1] to ..."


class _Sources:
    """The facts an answer cites, in the order of their [n] markers: one per sentence, so three figures
    from one sentence are all cited as that sentence."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []

    def cite(self, fact: Fact) -> int:
        for i, known in enumerate(self.facts):
            if (known.doc, known.start, known.end) == (fact.doc, fact.start, fact.end):
                return i + 1
        self.facts.append(fact)
        return len(self.facts)

    def mark(self, item: _Input) -> str:
        return f" [{self.cite(item.fact)}]" if item.fact is not None else ""

    def describe(self, item: _Input) -> str:
        """How an input reads in the answer: "US$ 8,934 million in 2024 [1]"."""
        text = item.written or _show(item.value, item.unit)
        if item.year is not None:
            text += f" in {item.year}"
        return text + self.mark(item)

    def calculation_input(self, item: _Input) -> CalculationInput:
        citation = self.cite(item.fact) if item.fact is not None else None
        return CalculationInput(item.name, item.value, item.unit, item.year, citation)


def _from_fact(name: str, fact: Fact) -> _Input:
    year = fact.year if fact.metric in ("size", "volume") else None
    written = fact.value_text if fact.value_high is None else fact_value_text(fact)  # a range: both ends
    if fact.metric == "volume" and fact.unit.lower() not in written.lower():
        written = f"{written} {fact.unit}"  # "7.6 million" counts units
    return _Input(name, fact.value, fact.unit, year, fact, written, fact.value_high)


def _high(item: _Input) -> Optional[float]:
    if item.high is not None:
        return item.high
    return item.fact.value_high if item.fact is not None else None


def _refuse_ranges(items: Sequence[_Input]) -> None:
    """A range is not one figure: refuse a calculation or comparison that would use one end of it."""
    ranged = [i for i in items if _high(i) is not None]
    if not ranged:
        return
    sources = _Sources()
    by_market: dict[str, list[str]] = {}
    typed: list[str] = []
    for item in ranged:
        if item.fact is None:
            typed.append(item.written)
            continue
        what = {"cagr": "a CAGR of ", "share": "a share of "}.get(item.fact.metric, "")
        by_market.setdefault(item.fact.market, []).append(what + sources.describe(item))
    said = []
    if by_market:
        reports = "The report gives" if len({f.doc for f in sources.facts}) == 1 else "The reports give"
        listed = " and ".join(f"for the {market} market: {'; '.join(dict.fromkeys(parts))}"
                              for market, parts in by_market.items())
        said.append(f"{reports} a range, not a single figure, {listed}.")
    if typed:
        said.append(f"The question gives a range, not a single figure: {'; '.join(dict.fromkeys(typed))}.")
    raise _Refuse(
        " ".join(said) + " I do not calculate or compare with one end of a range; ask again with one figure (its "
        "low or its high end) to compute from it.",
        sources.facts,
    )


def _rate_text(item: _Input, sources: _Sources) -> str:
    """ "12.1% a year (the CAGR stated for 2025-2031 [1])" for a stated rate, "8% a year" for a typed one."""
    text = f"{item.written or percent_text(item.value)} a year"
    if item.derivation:
        return f"{text} ({item.derivation})"
    if item.fact is None:
        return text
    period = f" for {period_text(item.fact.period)}" if item.fact.period else ""
    return f"{text} (the CAGR stated{period}{sources.mark(item)})"


def _typed_note(inputs: Sequence[_Input]) -> str:
    return " All inputs were given in the question." if all(i.fact is None for i in inputs) else ""


def _same_currency(*items: _Input) -> Optional[str]:
    """The one currency of the amounts (None when none is written); refuses mixed currencies."""
    units = {i.unit for i in items if i.unit}
    if len(units) > 1:
        raise _Refuse(
            f"The amounts are in different currencies ({', '.join(sorted(units))}); "
            "I do not convert currencies, so the calculation cannot be done."
        )
    return units.pop() if units else None


def _series(points: Sequence[tuple[int, float]], stated: dict[int, float]) -> list[dict[str, Any]]:
    return [{"year": year, "value": stated.get(year, value), "stated": year in stated} for year, value in points]


def _trajectory(value: float, year: int, rate: float, other_year: int, stated: dict[int, float]) -> list[dict]:
    """Year-by-year values between `year` and `other_year` for a value growing at `rate`."""
    first, last = sorted((year, other_year))
    if first == last or last - first > calc.MAX_TRAJECTORY_YEARS:  # the answer stands without a chart
        return []
    start_value = calc.value_in_year(value, year, rate, first)
    return _series(calc.trajectory(start_value, first, rate, last), stated)


# --- the facts table ---------------------------------------------------------------------------


class _Facts:
    def __init__(self, facts: Sequence[Fact], scoped: bool = False) -> None:
        self.all = list(facts)
        self.scoped = scoped  # only the reports of the firm or market the question names
        names: dict[str, str] = {}
        for fact in self.all:
            names.setdefault(market_key(fact.market), fact.market)
        self.names = list(names.values())

    def of(self, market: str) -> list[Fact]:
        key = market_key(market)
        return [f for f in self.all if market_key(f.market) == key]

    def sizes(self, market: str) -> list[Fact]:
        """Money sizes; for a market the reports measure only in units or capacity, those volumes."""
        facts = self.of(market)
        money = [f for f in facts if f.metric == "size" and f.value > 0]
        return money or [f for f in facts if f.metric == "volume" and f.value > 0]

    def dated_sizes(self, market: str, years: Sequence[int] = ()) -> dict[int, list[Fact]]:
        """Stated sizes by year: in money, unless only the volumes (units, GW) are stated for the years asked."""
        def by_year(metric: str) -> dict[int, list[Fact]]:
            found: dict[int, list[Fact]] = {}
            for fact in self.of(market):
                if fact.metric == metric and fact.value > 0 and fact.year is not None:
                    found.setdefault(fact.year, []).append(fact)
            return dict(sorted(found.items()))

        money, volume = by_year("size"), by_year("volume")
        if years and not all(y in money for y in years) and volume and all(y in volume for y in years):
            return volume
        return money or volume

    def rates(self, market: str) -> list[Fact]:
        found = [f for f in self.of(market) if f.metric == "cagr"]
        return sorted(found, key=lambda f: f.period is None)  # statements with a period first


def _prefer(candidates: Sequence[Fact], doc: Optional[str]) -> Fact:
    return next((f for f in candidates if f.doc == doc), candidates[0])


def _stated_list(sizes: dict[int, list[Fact]], sources: _Sources) -> str:
    return "; ".join(sources.describe(_from_fact("size", facts[0])) for facts in sizes.values())


def _resolve_market(
    q: _Question, facts: _Facts, need: Optional[Callable[[str], bool]] = None
) -> str:
    """The one market the question is about. When it cannot be told from the linked entities, retrieval
    answers instead: a name that did not link is no reason to refuse."""
    if q.frame.entities.unknown_markets and not q.markets:
        raise _NotMine()  # a market no report states figures for: the refusal policy decides, from evidence
    if q.frame.entities.outside_firms and not q.markets:
        raise _Refuse(_outside_firms_text(q.frame.entities))
    known = {market_key(m): m for m in facts.names}
    named = [known[market_key(m)] for m in q.markets if market_key(m) in known]
    if named:
        market = named[0]
    elif q.markets:
        raise _NotMine()  # the market is in the reports' text but has no figures
    else:
        candidates = [m for m in facts.names if need is None or need(m)]
        if len(facts.names) == 1:
            market = facts.names[0]
        elif len(candidates) == 1:
            market = candidates[0]
        elif facts.scoped and candidates and (main := _main_market(facts, candidates)):
            market = main  # "p&s quantum: growth multiple?": the market the named firm's report is about
        else:
            raise _NotMine()
    _check_region(q, facts, market)
    return market


def _main_market(facts: _Facts, candidates: Sequence[str]) -> Optional[str]:
    """Of the markets in the reports a question is scoped to, the one most of their figures are about, when most
    are: a report's subject, not a figure it mentions in passing."""
    counts = {m: len(facts.of(m)) for m in candidates}
    best = max(counts, key=lambda m: counts[m])
    return best if counts[best] > sum(counts.values()) / 2 else None


def _implied_rate(facts: _Facts, market: str, sources: _Sources) -> Optional[tuple[_Input, str, list[_Input]]]:
    """The CAGR a report's own first and last dated sizes for a market imply, when it states none: the rate as an
    input that reads "39.98% a year (implied by $8 billion in 2019 [1] to $43 billion in 2024 [1])", its formula,
    and the start, end and rate inputs."""
    sizes = facts.dated_sizes(market)
    if len(sizes) < 2:
        return None
    first = sizes[min(sizes)][0]
    own = {year: [f for f in pool if f.doc == first.doc and f.unit == first.unit] for year, pool in sizes.items()}
    own = {year: pool for year, pool in own.items() if pool}
    if len(own) < 2:
        return None
    start, end = _from_fact("start", own[min(own)][0]), _from_fact("end", own[max(own)][0])
    assert start.year is not None and end.year is not None
    years = calc.span_years(start.year, end.year)
    value = calc.cagr(start.value, end.value, years)
    rate = _Input("rate", value, "%", None, None, percent_text(round(value, 2)),
                  derivation=f"implied by {sources.describe(start)} to {sources.describe(end)}")
    return rate, calc.cagr_formula(start.value, end.value, years), [start, end, rate]


def _outside_firms_text(entities) -> str:
    return (f"{entities.outside_firms_reason()}, so its figures cannot answer this; the "
            f"{entities.outside_firms[0].market} figures in the library come from other firms' reports.")


def _check_region(q: _Question, facts: _Facts, market: str) -> None:
    """A figure for the whole market does not answer a question about one region."""
    # A region that is part of another named market's name ("wearables or the North American data center
    # market") is that market's, not this one's.
    others = {region for name in q.markets if name != market for region in regions_in(name)}
    asked = list(dict.fromkeys(r.region for r in q.regions
                               if r.region not in others or r.region in regions_in(market)))
    if not asked:
        return
    stated = set(regions_in(market))
    for fact in facts.of(market):
        stated |= regions_in(fact.quote)
    # Named as a place, whatever the question wrote ("European" -> Europe).
    missing = [region for region in asked if region not in stated]
    if missing:
        raise _Refuse(
            f"The reports do not give {market} figures for {', '.join(missing)}; their figures are for the market "
            "as a whole."
        )


def _market_rate(facts: _Facts, market: str, doc: Optional[str] = None) -> _Input:
    rates = facts.rates(market)
    if not rates:
        raise _Refuse(f"The reports state no growth rate (CAGR) for the {market} market, so this cannot be computed.")
    with_period = [f for f in rates if f.period] or rates
    return _from_fact("rate", _prefer(with_period, doc))


def _typed(name: str, quantity: Quantity, facts: _Facts, market: Optional[str], year: Optional[int] = None) -> _Input:
    """A number from the question; when it is a figure the reports state for the market named, that fact is
    cited for it."""
    unit = quantity.unit if quantity.kind in ("money", "rate") else ""
    item = _Input(name, quantity.value, unit, year, None, quantity.text, quantity.high)
    own = facts.of(market) if market is not None else []
    # "Gartner's 455,772 units in 2016": an amount the question takes from a report it names is cited there, even
    # when the market is not resolved. A rate alone ("5%"), or an amount in a question that names no report, is
    # too common a figure to be traced to some report.
    elsewhere = facts.all if quantity.kind != "rate" and facts.scoped else []
    for fact, of_market in [(f, True) for f in own] + [(f, False) for f in elsewhere]:
        if not of_market and (year is None or fact.year is None or fact.metric == "cagr"):
            continue
        same_kind = (fact.metric == "cagr") == (quantity.kind == "rate")
        same_year = year is None or fact.metric == "cagr" or fact.year == year
        same_unit = not unit or fact.unit == unit
        # A typed figure is one end of a stated range only when it is that same range.
        same_range = (fact.value_high is None) == (quantity.high is None) and (
            quantity.high is None or amounts_equal(fact.value_high or 0.0, quantity.high, rel_tol=1e-6))
        if same_kind and same_year and same_unit and same_range and \
                amounts_equal(fact.value, quantity.value, rel_tol=1e-6):
            stated_year = fact.year if fact.metric == "size" else None
            return _Input(name, quantity.value, unit or fact.unit, stated_year, fact, quantity.text, quantity.high)
    return item


def _rate_input(q: _Question, facts: _Facts, market: Optional[str], doc: Optional[str] = None) -> _Input:
    if q.rates:
        return _typed("rate", q.rates[0], facts, market)
    if market is None:
        raise _Refuse("The question gives no growth rate.")
    return _market_rate(facts, market, doc)


def _named_market(q: _Question, facts: _Facts) -> Optional[str]:
    """The market the question names, else the one market whose stated figures the question types."""
    known = {market_key(m): m for m in facts.names}
    named = [known[market_key(m)] for m in q.markets if market_key(m) in known]
    if named:
        return named[0]
    owners = {
        market_key(f.market): f.market for f in facts.all for a, year in zip(q.amounts, q.amount_years, strict=True)
        if f.metric == "size" and year is not None and f.year == year and amounts_equal(f.value, a.value, rel_tol=1e-6)
    }
    if len(owners) == 1:
        return next(iter(owners.values()))
    # "Using Grand View's USD 12.8 billion 2020 base and its 2028 forecast": the market of the firm's report.
    return _main_market(facts, facts.names) if facts.scoped and facts.names else None


def _subject(market: Optional[str]) -> str:
    return f"the {market} market" if market else "the value"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- computations --------------------------------------------------------------------------------


@contextmanager
def _citing(*inputs: _Input) -> Iterator[None]:
    """Arithmetic the inputs make impossible is refused citing the reports those inputs come from: the reason names
    them ("the value grows at 44.52% a year, so it never reaches ..."), and a figure a refusal states is cited."""
    try:
        yield
    except CalculationError as error:
        sources = _Sources()
        for item in inputs:
            if item.fact is not None:
                sources.cite(item.fact)
        raise _Refuse(f"This cannot be calculated: {str(error).rstrip('.')}{_markers(sources)}.",
                      sources.facts) from None


def _markers(sources: _Sources) -> str:
    """ " [1] [2]": every source a refusal relies on, cited in its text."""
    return "".join(f" [{n}]" for n in range(1, len(sources.facts) + 1))


def _too_small_to_show(value: float, decimals: int = 2) -> bool:
    """A result that is not zero but would read as zero at the precision the answer shows it with."""
    return value != 0 and format_number(value, decimals) in ("0", "-0")


def _gap(sources: _Sources, a: _Input, b: _Input) -> Calculation:
    """The gap in percentage points between two rates, the larger less the smaller, as a calculation of its own: the
    figure "N percentage points above" is shown only as the result of a shown formula."""
    high, low = (a, b) if a.value >= b.value else (b, a)
    formula = f"{format_number(high.value, 4)} - {format_number(low.value, 4)}"
    return Calculation("difference", formula, [sources.calculation_input(high), sources.calculation_input(low)],
                       round(high.value - low.value, 4))


def _span(sources: _Sources, start: _Input, year: int, target_year: int) -> Calculation:
    """The years between a value's year and the year asked for, as a calculation: the year asked, which no report
    states, is then shown as an input."""
    first, last = sorted((year, target_year))
    asked = CalculationInput("year asked for", target_year, "year")
    known = CalculationInput(f"year of the {start.name} value", year, "year", None,
                             sources.cite(start.fact) if start.fact is not None else None)
    return Calculation("span", f"{last} - {first}", [asked, known] if target_year > year else [known, asked],
                       last - first)


def _computed(
    text: str, sources: _Sources, value: float, unit: Optional[str], kind: str, formula: str,
    inputs: Sequence[_Input], series: Optional[list[dict]] = None, steps: Sequence[Calculation] = (),
) -> NumericAnswer:
    _refuse_ranges(inputs)
    if _too_small_to_show(value, 2 if unit in ("%", "x", "years") else 3):
        raise _Refuse("The result of this calculation is so small that it would read as zero at the precision answers "
                      f"show, so it is not stated; the inputs differ by many orders of magnitude{_markers(sources)}.",
                      sources.facts)
    headline = _headline(value, unit)
    calculation = Calculation(kind, formula, [sources.calculation_input(i) for i in inputs], headline, list(steps))
    return NumericAnswer("calculator", text, list(sources.facts), headline, unit, calculation, series or [])


def _answer_cagr(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    factor = q.frame.quantities.multiplier
    if factor is not None and not q.amounts and (q.durations or len(set(q.years)) >= 2):
        return _cagr_of_multiple(q, factor)
    if len(q.amounts) >= 2:
        market = _named_market(q, facts)
        start_year, end_year = q.amount_years[0], q.amount_years[1]
        if (start_year is None or end_year is None) and len(q.years) >= 2:
            start_year, end_year = q.years[0], q.years[-1]
        start = _typed("start", q.amounts[0], facts, market, start_year)
        end = _typed("end", q.amounts[1], facts, market, end_year)
        if q.durations:
            years = q.durations[0].value
        elif start_year is not None and end_year is not None:
            with _citing(start, end):
                years = calc.span_years(start_year, end_year)
        else:
            raise _Refuse("The question gives two amounts but not the number of years between them.")
    elif len(q.amounts) == 1 and _named_market(q, facts) is None:
        # A rate needs two amounts; with one typed and no market named, the other is nobody's.
        raise _Refuse(f"A growth rate needs two amounts, and the question gives one ({q.amounts[0].text.strip()}) "
                      "and names no market whose reports state the other.")
    else:
        market = _resolve_market(q, facts, lambda m: len(_wanted_sizes(q, facts, m, strict=False)) == 2)
        start, end = _wanted_sizes(q, facts, market, strict=True)
        assert start.year is not None and end.year is not None
        with _citing(start, end):
            years = calc.span_years(start.year, end.year)
    _same_currency(start, end)
    _refuse_ranges([start, end])
    with _citing(start, end):
        result = calc.cagr(start.value, end.value, years)
    formula = calc.cagr_formula(start.value, end.value, years)
    text = (
        f"Going from {sources.describe(start)} to {sources.describe(end)}, {_subject(market)} grows at a CAGR of "
        f"about {percent_text(result)} a year over {_years(years)}. "
        f"Formula: {formula} = {percent_text(result)}.{_typed_note([start, end])}"
    )
    series: list[dict] = []
    steps: list[Calculation] = []
    if q.rates:
        typed_rate = _typed("rate", q.rates[0], facts, market)
        _refuse_ranges([typed_rate])
        steps.append(_gap(sources, _Input("implied", result, "%"), typed_rate))
        text += (
            f" The stated {_rate_text(typed_rate, sources)} is {format_number(steps[-1].result, 2)} percentage points "
            f"{'above' if typed_rate.value > result else 'below'} that."
        )
    elif market is not None and start.fact is not None:
        stated_rates = facts.rates(market)
        if stated_rates:
            stated = _prefer(stated_rates, start.fact.doc)
            text += f" The report itself states {_rate_text(_from_fact('rate', stated), sources)}."
    if start.year is not None and end.year is not None and end.year > start.year:
        with _citing(start, end):
            series = _trajectory(start.value, start.year, result, end.year,
                                 {start.year: start.value, end.year: end.value})
    return _computed(text, sources, result, "%", "cagr", formula, [start, end], series, steps)


def _cagr_of_multiple(q: _Question, factor: float) -> NumericAnswer:
    """ "Tenfold between 2021 and 2031: what annual growth?": the rate that multiplies any size by the typed
    factor over the typed span."""
    first, last = (min(q.years), max(q.years)) if len(set(q.years)) >= 2 else (None, None)
    years = q.durations[0].value if q.durations else calc.span_years(first, last)
    multiple = _Input("multiple", factor, "x")
    result = calc.cagr(1.0, factor, years)
    formula = calc.cagr_formula(1.0, factor, years)
    span = f" ({first}-{last})" if first is not None else ""
    text = (f"Growing {format_number(factor, 2)}-fold over {_years(years)}{span} takes a CAGR of about "
            f"{percent_text(result)} a year. Formula: {formula} = {percent_text(result)}.{_typed_note([multiple])}")
    return _computed(text, _Sources(), result, "%", "cagr", formula, [multiple, _Input("years", years, "years")])


def _wanted_sizes(q: _Question, facts: _Facts, market: str, strict: bool) -> list[_Input]:
    """The two stated sizes a question means: the years it names, else the first and last stated."""
    sizes = facts.dated_sizes(market, sorted(set(q.years)))
    wanted = sorted(set(q.years))
    if len(wanted) >= 2:
        wanted = [wanted[0], wanted[-1]]
        missing = [y for y in wanted if y not in sizes]
        if missing:
            if not strict:
                return []
            sources = _Sources()
            raise _Refuse(
                f"The reports give no {market} market size for {' or '.join(map(str, missing))}, so this cannot "
                f"be computed. Stated sizes: {_stated_list(sizes, sources) or 'none'}.",
                sources.facts,
            )
    elif len(sizes) >= 2:
        wanted = [min(sizes), max(sizes)]
    else:
        if not strict:
            return []
        sources = _Sources()
        raise _Refuse(
            f"The reports state {'only one' if sizes else 'no'} dated size for the {market} market, so no growth "
            f"rate can be computed from them. Stated sizes: {_stated_list(sizes, sources) or 'none'}.",
            sources.facts,
        )
    first_candidates, last_candidates = sizes[wanted[0]], sizes[wanted[1]]
    # Both figures from one report when it states both.
    docs = [f.doc for f in first_candidates if any(g.doc == f.doc for g in last_candidates)]
    doc = docs[0] if docs else first_candidates[0].doc
    return [
        _from_fact("start", _prefer(first_candidates, doc)),
        _from_fact("end", _prefer(last_candidates, doc)),
    ]


def _anchor(facts: _Facts, market: str, target_year: int, doc: Optional[str]) -> Fact:
    """The stated size a value for `target_year` is computed from: the latest one before it, else the
    earliest one after it."""
    sizes = facts.dated_sizes(market)
    if not sizes:
        raise _Refuse(f"The reports state no dated size for the {market} market, so this cannot be computed.")
    before = [y for y in sizes if y < target_year]
    after = [y for y in sizes if y > target_year]
    year = max(before) if before else min(after) if after else target_year
    return _prefer(sizes[year], doc)


def _answer_typed_projection(q: _Question, facts: _Facts) -> NumericAnswer:
    """An amount typed in the question grown (or discounted) at a rate to a later (or earlier) year."""
    sources = _Sources()
    market = _named_market(q, facts)
    start_year = q.amount_years[0]
    if start_year is None and len(q.years) >= 2:
        start_year = q.years[0]
    start = _typed("start", q.amounts[0], facts, market, start_year)
    rate = _typed("rate", q.rates[0], facts, market)
    # The year asked for: not the amount's own, nor an end of the rate's stated period ("a 44.52% CAGR over
    # 2025-2035" says over which years the rate holds, not which year is wanted).
    targets = [y for y in q.years if y != start_year]
    targets = [y for y in targets if not (q.period and y in q.period)] or targets
    unit = start.unit or None
    if start_year is not None and targets:
        target_year = targets[-1]
        with _citing(start, rate):
            result = calc.value_in_year(start.value, start_year, rate.value, target_year)
        span = abs(target_year - start_year)
        if target_year > start_year:
            formula = calc.projection_formula(start.value, rate.value, span)
        else:
            formula = calc.base_value_formula(start.value, rate.value, span)
        direction = "grows" if target_year > start_year else "discounted back"
        text = (
            f"At {_rate_text(rate, sources)}, {sources.describe(start)} {direction} to about {_show(result, unit)} "
            f"in {target_year} ({_years(span)}). Formula: {formula} = {_show(result, unit)}."
            f"{_typed_note([start, rate])}"
        )
        with _citing(start, rate):
            series = _trajectory(start.value, start_year, rate.value, target_year, {start_year: start.value})
        return _computed(text, sources, result, unit, "value_in_year", formula, [start, rate], series,
                         [_span(sources, start, start_year, target_year)])
    if not q.durations:
        raise _Refuse("The question gives no number of years or target year to project to.")
    years = q.durations[0].value
    with _citing(start, rate):
        result = calc.projection(start.value, rate.value, years)
    formula = calc.projection_formula(start.value, rate.value, years)
    text = (
        f"Growing at {_rate_text(rate, sources)}, {sources.describe(start)} becomes about {_show(result, unit)} after "
        f"{format_number(years, 2)} years. Formula: {formula} = {_show(result, unit)}.{_typed_note([start, rate])}"
    )
    return _computed(text, sources, result, unit, "projection", formula, [start, rate])


def _answer_project(q: _Question, facts: _Facts) -> NumericAnswer:
    if q.amounts and q.rates:
        return _answer_typed_projection(q, facts)
    if q.amounts:
        raise _Refuse(f"The question gives {q.amounts[0].text} but no growth rate, so its future value cannot be "
                      "computed.")
    market = _resolve_market(q, facts, lambda m: bool(facts.dated_sizes(m)))
    rate = _rate_input(q, facts, market)
    sizes = facts.dated_sizes(market)
    if q.years:
        # "in 2027 ... from its 2024 value": the asked year is the one the reports do not state.
        unstated = [y for y in q.years if y not in sizes]
        target_year = unstated[-1] if unstated else q.years[-1]
    elif q.durations and sizes:
        if q.durations[0].value != int(q.durations[0].value):
            raise _Refuse("Give the number of years as a whole number to project a calendar year.")
        target_year = max(sizes) + int(q.durations[0].value)
    else:
        raise _Refuse("The question gives no year to compute the market size for.")
    return _value_in_year(q, facts, market, rate, target_year)


def _value_in_year(q: _Question, facts: _Facts, market: str, rate: _Input, target_year: int) -> NumericAnswer:
    sources = _Sources()
    doc = rate.fact.doc if rate.fact else None
    sizes = facts.dated_sizes(market)
    anchor = _from_fact("start", _anchor(facts, market, target_year, doc))
    assert anchor.year is not None
    if anchor.year == target_year:
        return _answer_lookup_size(q, facts)
    if anchor.fact is not None and anchor.fact.metric == "volume" and rate.fact is not None and \
            anchor.fact.unit.lower() not in rate.fact.quote.lower():
        # A CAGR stated for the market's value grows no count of units (or of anything else) it never mentions.
        raise _Refuse(f"The reports give no {market} figure for {target_year}, and its growth rate is not stated "
                      f"for {anchor.fact.unit}, so none is projected.", [anchor.fact])
    with _citing(anchor, rate):
        result = calc.value_in_year(anchor.value, anchor.year, rate.value, target_year)
    span = abs(target_year - anchor.year)
    if target_year > anchor.year:
        formula = calc.projection_formula(anchor.value, rate.value, span)
    else:
        formula = calc.base_value_formula(anchor.value, rate.value, span)
    unit = anchor.unit
    direction = "growing" if target_year > anchor.year else "discounting back"
    text = (
        f"At {_rate_text(rate, sources)}, the {market} market would be about {_show(result, unit)} in {target_year}, "
        f"{direction} from {sources.describe(anchor)} over {_years(span)}. Formula: {formula} = {_show(result, unit)}. "
        "This is a calculation, not a figure stated in the reports."
    )
    period = rate.fact.period if rate.fact is not None else None
    if period and not period[0] - 1 <= target_year <= period[1]:
        text += f" Note that the report gives the rate for {period_text(period)} only."
    if target_year in sizes:
        stated = _from_fact("stated", _prefer(sizes[target_year], doc))
        text += f" The report states {sources.describe(stated)}."
    with _citing(anchor, rate):
        series = _trajectory(anchor.value, anchor.year, rate.value, target_year, {anchor.year: anchor.value})
    return _computed(text, sources, result, unit, "value_in_year", formula, [anchor, rate], series,
                     [_span(sources, anchor, anchor.year, target_year)])


def _answer_base(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    if q.amounts and q.rates and q.durations:
        market = _named_market(q, facts)
        end = _typed("end", q.amounts[0], facts, market, q.amount_years[0])
        rate = _typed("rate", q.rates[0], facts, market)
        years = q.durations[0].value
        with _citing(end, rate):
            result = calc.base_value(end.value, rate.value, years)
        formula = calc.base_value_formula(end.value, rate.value, years)
        unit = end.unit or None
        text = (
            f"To reach {sources.describe(end)} after {format_number(years, 2)} years of growth at "
            f"{_rate_text(rate, sources)}, the starting value must be about {_show(result, unit)}. "
            f"Formula: {formula} = {_show(result, unit)}.{_typed_note([end, rate])}"
        )
        return _computed(text, sources, result, unit, "base_value", formula, [end, rate])
    if q.amounts and q.rates:
        return _answer_typed_projection(q, facts)

    market = _resolve_market(q, facts, lambda m: bool(facts.dated_sizes(m)) and bool(facts.rates(m)))
    sizes = facts.dated_sizes(market)
    if not sizes:
        raise _Refuse(f"The reports state no dated size for the {market} market, so no base value can be computed.")
    rate = _rate_input(q, facts, market)
    doc = rate.fact.doc if rate.fact else None
    stated_years = [y for y in q.years if y in sizes]
    end_year = max(stated_years) if stated_years else max(sizes)
    end = _from_fact("end", _prefer(sizes[end_year], doc))
    earlier = [y for y in q.years if y < end_year]
    if earlier:
        base_year = min(earlier)
    elif rate.fact is not None and rate.fact.period and rate.fact.period[0] < end_year:
        base_year = rate.fact.period[0]
    else:
        raise _Refuse("The question does not say which year's base value it wants.")
    years = end_year - base_year
    with _citing(end, rate):
        result = calc.base_value(end.value, rate.value, years)
    formula = calc.base_value_formula(end.value, rate.value, years)
    text = (
        f"The {market} forecast implies a {base_year} base of about {_show(result, end.unit)}: "
        f"{sources.describe(end)} discounted at {_rate_text(rate, sources)} over {_years(years)}. "
        f"Formula: {formula} = {_show(result, end.unit)}. This is a calculation, not a figure stated in the reports."
    )
    if base_year in sizes:
        stated = _from_fact("stated", _prefer(sizes[base_year], doc))
        text += f" The report states {sources.describe(stated)}."
    with _citing(end, rate):
        series = _trajectory(end.value, end_year, rate.value, base_year, {end_year: end.value})
    return _computed(text, sources, result, end.unit, "base_value", formula, [end, rate], series,
                     [_span(sources, end, end_year, base_year)])


def _answer_target(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    market = _named_market(q, facts)
    target = _typed("target", q.amounts[-1], facts, market)
    if len(q.amounts) >= 2:
        start = _typed("start", q.amounts[0], facts, market, q.amount_years[0])
        rate = _rate_input(q, facts, market)
    else:
        market = _resolve_market(q, facts, lambda m: bool(facts.dated_sizes(m)) and bool(facts.rates(m)))
        rate = _rate_input(q, facts, market)
        doc = rate.fact.doc if rate.fact else None
        sizes = facts.dated_sizes(market)
        if not sizes:
            raise _Refuse(f"The reports state no dated size for the {market} market, so this cannot be computed.")
        below = [y for y in sizes if _prefer(sizes[y], doc).value < target.value]
        if not below:
            first = _from_fact("stated", _prefer(sizes[min(sizes)], doc))
            text = (
                f"The {market} market is already above {target.written}{sources.mark(target)}: the reports state "
                f"{sources.describe(first)}."
            )
            headline = _headline(first.value, first.unit) if first.high is None else None
            return NumericAnswer("retrieval", text, list(sources.facts), headline, first.unit, None, [],
                                 _range_of(first.value, first.high, first.unit))
        start = _from_fact("start", _prefer(sizes[max(below)], doc))
    _same_currency(start, target)
    with _citing(start, target, rate):
        years = calc.years_to_target(start.value, target.value, rate.value)
    formula = calc.years_to_target_formula(start.value, target.value, rate.value)
    text = (
        f"Growing at {_rate_text(rate, sources)} from {sources.describe(start)}, {_subject(market)} reaches "
        f"{target.written}{sources.mark(target)} after about {format_number(years, 2)} years"
    )
    series: list[dict] = []
    steps: list[Calculation] = []
    if start.year is not None:
        whole_years = math.ceil(years - 1e-9)
        first_year = start.year + whole_years
        steps.append(Calculation(
            "first_year", f"{start.year} + ceil({format_number(years, 4)})",
            [CalculationInput("year of the start value", start.year, "year", None,
                              sources.cite(start.fact) if start.fact is not None else None),
             CalculationInput("years", round(years, 4), "years")], first_year))
        text += f", so {first_year} is the first year at or above it"
        with _citing(start, target, rate):
            series = _trajectory(start.value, start.year, rate.value, max(first_year, start.year + 1),
                                 {start.year: start.value})
    text += f". Formula: {formula} = {format_number(years, 2)} years.{_typed_note([start, target, rate])}"
    return _computed(text, sources, years, "years", "years_to_target", formula, [start, target, rate], series, steps)


def _answer_multiply(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    factor = q.frame.quantities.multiplier or 2.0
    market = _named_market(q, facts) if q.rates else _resolve_market(q, facts, lambda m: bool(facts.rates(m)))
    rate = _rate_input(q, facts, market)
    with _citing(rate):
        years = calc.time_to_multiply(rate.value, factor)
    formula = calc.time_to_multiply_formula(rate.value, factor)
    verb = {2.0: "double", 3.0: "triple", 4.0: "quadruple"}.get(
        factor, f"grow {format_number(factor, 2)}-fold" if factor > 1 else f"shrink to {format_number(factor, 2)} "
        "times its size")
    text = (
        f"At {_rate_text(rate, sources)}, {_subject(market)} takes about {format_number(years, 2)} years to {verb}. "
        f"Formula: {formula} = {format_number(years, 2)} years.{_typed_note([rate])}"
    )
    kind = "doubling_time" if factor == 2.0 else "years_to_target"
    inputs = [rate] + ([] if factor == 2.0 else [_Input("multiple", factor, "x")])
    return _computed(text, sources, years, "years", kind, formula, inputs)


def _two_sizes(q: _Question, facts: _Facts) -> tuple[Optional[str], _Input, _Input]:
    """Start and end amounts: typed in the question, else the market's stated sizes."""
    if len(q.amounts) >= 2:
        market = _named_market(q, facts)
        start = _typed("start", q.amounts[0], facts, market, q.amount_years[0])
        end = _typed("end", q.amounts[1], facts, market, q.amount_years[1])
        return market, start, end
    market = _resolve_market(q, facts, lambda m: len(_wanted_sizes(q, facts, m, strict=False)) == 2)
    start, end = _wanted_sizes(q, facts, market, strict=True)
    return market, start, end


def _firms_figures_pair(q: _Question, facts: _Facts) -> Optional[tuple[_Input, _Input]]:
    """ "How many times bigger is A's 2026 figure than B's?": with two firms named and nothing typed, A's size (for
    the year asked) and B's, each firm's own; None otherwise."""
    firms = q.frame.entities.firms
    if len(firms) != 2 or q.amounts or len({m.market for m in q.frame.entities.markets}) >= 2:
        return None
    pools = [_firm_figures(q, facts, link.docs, "size") for link in firms]
    if not all(pools):
        missing = next(link.firm for link, pool in zip(firms, pools) if not pool)
        year = f" for {q.years[-1]}" if q.years else ""
        raise _Refuse(f"{_possessive(missing)} reports state no market size{year} to set beside the other's.")
    first, second = _nearest_in_time(pools)
    return _from_fact(firms[0].firm, first), _from_fact(firms[1].firm, second)


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _answer_firms_arithmetic(pair: tuple[_Input, _Input], kind: str) -> NumericAnswer:
    """The first-named firm's figure against the second's: how many times it is ("factor"), or how far above it."""
    sources = _Sources()
    first, second = pair
    unit = _same_currency(first, second)
    if kind == "factor":
        with _citing(first, second):
            result = calc.multiple(second.value, first.value)
        formula, shown, result_unit = calc.multiple_formula(second.value, first.value), format_number(result, 2), "x"
        relation = f"{shown} times"
    else:
        result = first.value - second.value
        scale = calc.common_scale(first.value, second.value)
        formula = f"{format_number(first.value / scale, 4)} - {format_number(second.value / scale, 4)}"
        shown = f"{format_number(result / scale, 4)}{' ' + calc.scale_name(scale) if calc.scale_name(scale) else ''}"
        result_unit, relation = unit, f"{_show(abs(result), unit)} {'above' if result >= 0 else 'below'}"
    text = (f"{_possessive(first.name)} figure, {sources.describe(first)}, is {relation} {_possessive(second.name)}, "
            f"{sources.describe(second)}. Formula: {formula} = {shown}.")
    return _computed(text, sources, result, result_unit, "growth_factor" if kind == "factor" else "comparison",
                     formula, [second, first])


def _answer_difference(q: _Question, facts: _Facts) -> NumericAnswer:
    pair = _firms_figures_pair(q, facts)
    if pair is not None:
        return _answer_firms_arithmetic(pair, "difference")
    sources = _Sources()
    market, start, end = _two_sizes(q, facts)
    unit = _same_currency(start, end)
    result = end.value - start.value
    scale = calc.common_scale(start.value, end.value)
    formula = f"{format_number(end.value / scale, 4)} - {format_number(start.value / scale, 4)}"
    change = f"grows by {_show(result, unit)}" if result >= 0 else f"shrinks; the change is {_show(result, unit)}"
    text = (
        f"{_capitalized(_subject(market))} {change}, from {sources.describe(start)} to "
        f"{sources.describe(end)}. Formula: {formula} = {format_number(result / scale, 4)}"
        f"{' ' + calc.scale_name(scale) if calc.scale_name(scale) else ''}.{_typed_note([start, end])}"
    )
    return _computed(text, sources, result, unit, "comparison", formula, [start, end])


def _answer_factor(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    if q.rates and (q.durations or len(q.years) >= 2) and len(q.amounts) < 2:
        market = _named_market(q, facts)
        rate = _typed("rate", q.rates[0], facts, market)
        with _citing(rate):
            years = q.durations[0].value if q.durations else calc.span_years(q.years[0], q.years[-1])
            result = calc.growth_factor(rate.value, years)
        formula = calc.growth_factor_formula(rate.value, years)
        text = (
            f"Growing at {_rate_text(rate, sources)} for {format_number(years, 2)} years multiplies "
            f"{_subject(market)} by about {format_number(result, 2)}. Formula: {formula} = "
            f"{format_number(result, 2)}.{_typed_note([rate])}"
        )
        return _computed(text, sources, result, "x", "growth_factor", formula, [rate])
    pair = _firms_figures_pair(q, facts)
    if pair is not None:
        return _answer_firms_arithmetic(pair, "factor")
    if len(q.amounts) < 2:
        market = _resolve_market(q, facts, lambda m: bool(facts.of(m)))
        if not _wanted_sizes(q, facts, market, strict=False):
            return _factor_from_rate(q, facts, market)
    market, start, end = _two_sizes(q, facts)
    _same_currency(start, end)
    with _citing(start, end):
        result = calc.multiple(start.value, end.value)
    formula = calc.multiple_formula(start.value, end.value)
    # Below 1 the value shrinks: "grows 0.45-fold" would misstate it.
    change = f"grows {format_number(result, 2)}-fold" if result >= 1 else \
        f"shrinks to {format_number(result, 2)} times its start value"
    text = (
        f"{_capitalized(_subject(market))} {change}, from {sources.describe(start)} to "
        f"{sources.describe(end)}. Formula: {formula} = {format_number(result, 2)}.{_typed_note([start, end])}"
    )
    series: list[dict] = []
    if start.year is not None and end.year is not None and end.year > start.year:
        with _citing(start, end):
            implied = calc.cagr(start.value, end.value, end.year - start.year)
            series = _trajectory(start.value, start.year, implied, end.year,
                                 {start.year: start.value, end.year: end.value})
    return _computed(text, sources, result, "x", "growth_factor", formula, [start, end], series)


def _factor_from_rate(q: _Question, facts: _Facts, market: str) -> NumericAnswer:
    sources = _Sources()
    rate = _market_rate(facts, market)
    assert rate.fact is not None
    span = (q.years[0], q.years[-1]) if len(q.years) >= 2 else rate.fact.period
    if span is None:
        raise _Refuse(f"The reports give no period over which to compute the {market} growth multiple.")
    with _citing(rate):
        years = calc.span_years(*span)
        result = calc.growth_factor(rate.value, years)
    formula = calc.growth_factor_formula(rate.value, years)
    text = (
        f"At {_rate_text(rate, sources)}, the {market} market grows about {format_number(result, 2)}-fold over "
        f"{period_text(span)} ({years} years). Formula: {formula} = {format_number(result, 2)}."
    )
    return _computed(text, sources, result, "x", "growth_factor", formula, [rate])


# --- comparisons and checks ----------------------------------------------------------------------


def _compared_markets(q: _Question, facts: _Facts, by_size: bool) -> list[str]:
    """The markets the question names; when it names fewer than two, every market with the figure compared."""
    known = {market_key(m): m for m in facts.names}
    named = list(dict.fromkeys(known[market_key(m)] for m in q.markets if market_key(m) in known))
    if q.frame.entities.unknown_markets:
        raise _Refuse(f"The reports have no figures for the {q.frame.entities.unknown_markets[0]} market, so it "
                      "cannot be compared.")
    if len(named) >= 2:
        return named
    has_figure = [m for m in facts.names if (facts.dated_sizes(m) if by_size else facts.rates(m))]
    if len(has_figure) >= 2 and (not named or named[0] in has_figure):
        return named + [m for m in has_figure if m not in named]
    raise _Refuse(
        f"A comparison needs two markets with figures; the reports cover: {', '.join(facts.names) or 'none'}."
    )


def _answer_compare(q: _Question, facts: _Facts, arithmetic: bool) -> NumericAnswer:
    sources = _Sources()
    by_size = q.frame.choose("compare_size", "compare_growth") == "compare_size"
    markets = _compared_markets(q, facts, by_size)
    for market in markets:
        _check_region(q, facts, market)  # "Europe's CAGR": a comparison of global figures does not answer it
    items: list[tuple[str, _Input]] = []
    implied_by: list[tuple[str, str, list[_Input]]] = []  # rates no report states, computed from its sizes
    notes = []
    for market in markets:
        if by_size:
            sizes = facts.dated_sizes(market)
            if not sizes:
                raise _Refuse(f"The reports state no dated size for the {market} market.")
            wanted = [y for y in q.years if y in sizes]
            year = wanted[0] if wanted else max(sizes)
            if q.years and not wanted:
                notes.append(f" The reports state no {q.years[0]} size for {market}; its {year} figure is used.")
            items.append((market, _from_fact(market, sizes[year][0])))
        elif not facts.rates(market) and (implied := _implied_rate(facts, market, sources)) is not None:
            rate, formula, inputs = implied
            items.append((market, rate))
            implied_by.append((market, formula, inputs))
        else:
            items.append((market, _market_rate(facts, market)))
    _refuse_ranges([i for _, i in items])
    unit = "%" if not by_size else _same_currency(*(i for _, i in items))
    ranked = sorted(items, key=lambda item: item[1].value, reverse=True)
    (top_market, top), (_, second) = ranked[0], ranked[1]
    # Each figure named by its market and, when the reports come from different firms, by the firm that gives it.
    firms = {q.source_name(i.fact.doc) for _, i in ranked if i.fact is not None}
    listing = "; ".join(
        f"{m}{f' ({q.source_name(i.fact.doc)})' if len(firms) > 1 and i.fact is not None else ''}: "
        f"{_rate_text(i, sources) if not by_size else sources.describe(i)}" for m, i in ranked)
    verb = "grows faster" if not by_size else "is bigger"
    different_years = " Note that the figures are for different years." if by_size and top.year != second.year else ""
    different_years += "".join(notes)
    # A rate no report states is shown only beside the calculation that implies it.
    implied_steps = [Calculation("cagr", formula, [sources.calculation_input(i) for i in inputs[:2]],
                                 _headline(inputs[2].value, "%")) for _, formula, inputs in implied_by]
    if not arithmetic and implied_by:
        market, formula, inputs = implied_by[0]
        text = (f"The {top_market} market {verb}: {listing}. The reports state no CAGR for the {market} market; its "
                f"rate is implied by its own figures. Formula: {formula} = {percent_text(round(inputs[2].value, 2))}."
                f"{different_years}")
        return _computed(text, sources, inputs[2].value, "%", "cagr", formula, inputs[:2], steps=implied_steps[1:])
    if not arithmetic:
        text = f"The {top_market} market {verb}: {listing}.{different_years}"
        return NumericAnswer("retrieval", text, list(sources.facts), _headline(top.value, unit), unit, None, [])
    scale = calc.common_scale(top.value, second.value) if by_size else 1.0
    # Rates compare in percentage points; sizes as a multiple or a difference, as the question asks.
    if by_size and q.frame.choose("compute_factor", "compute_difference") == "compute_factor":
        with _citing(top, second):
            result = calc.multiple(second.value, top.value)
        formula = f"{format_number(top.value / scale, 4)} / {format_number(second.value / scale, 4)}"
        result_unit: Optional[str] = "x"
        shown = f"It is {format_number(result, 2)} times the other"
    else:
        result = top.value - second.value
        formula = f"{format_number(top.value / scale, 4)} - {format_number(second.value / scale, 4)}"
        result_unit = unit if by_size else "%"
        gap = _show(result, unit) if by_size else f"{format_number(result, 2)} percentage points"
        shown = f"The difference is {gap}"
    computed = format_number(result, 2) if result_unit in ("x", "%") else \
        f"{format_number(result / scale, 4)} {calc.scale_name(scale)}".rstrip()
    text = f"The {top_market} market {verb}: {listing}. {shown}. Formula: {formula} = {computed}.{different_years}"
    first = _Input("a", top.value, top.unit, top.year, top.fact, top.written)
    other = _Input("b", second.value, second.unit, second.year, second.fact, second.written)
    return _computed(text, sources, result, result_unit, "comparison", formula, [first, other], steps=implied_steps)


def _answer_sources(q: _Question, facts: _Facts) -> NumericAnswer:
    """Do the reports agree? Each report's figure for the same market, metric and year (for a CAGR: the period
    asked, else each report's own headline rate), and which report gives the higher one."""
    if q.years and not q.period:
        metric = "size"  # "for 2030": a year has a size, a rate has a period
    elif q.frame.asked == "rate":
        metric = "cagr"
    else:
        metric = "cagr" if q.frame.choose("lookup_cagr", "lookup_size") == "lookup_cagr" else "size"
    if len(q.frame.entities.firms) >= 2:
        return _answer_firms(q, facts, metric)
    market = _resolve_market(q, facts, lambda m: len({f.doc for f in facts.of(m)}) >= 2)
    groups: dict[Any, dict[str, Fact]] = {}
    candidates = facts.rates(market) if metric == "cagr" else facts.sizes(market)  # CAGRs with a period first
    for fact in candidates:
        if metric == "size" and fact.year is None:
            continue
        when = fact.year if metric == "size" else (fact.period if q.period else None)
        if metric == "size" and q.years and when not in q.years:
            continue
        if metric == "cagr" and q.period and when != q.period:
            continue
        groups.setdefault(when, {}).setdefault(fact.doc, fact)
    shared = {when: by_doc for when, by_doc in groups.items() if len(by_doc) >= 2}
    by_report: dict[str, list[Fact]] = {}
    for fact in candidates if metric == "size" and not q.years else []:
        if fact.year is not None:
            by_report.setdefault(fact.doc, []).append(fact)
    if not shared and len(by_report) >= 2:
        # No year both reports give: set them side by side at the years nearest each other.
        return _side_by_side([(q.source_name(doc), pool) for doc, pool in by_report.items()], metric, q)
    if not shared:
        return _answer_lookup_cagr(q, facts) if metric == "cagr" else _answer_lookup_size(q, facts)
    _refuse_ranges([_from_fact("rate" if metric == "cagr" else "size", f) for by_doc in shared.values()
                    for f in by_doc.values()])
    sources = _Sources()
    parts, verdicts = [], []
    for when, by_doc in sorted(shared.items(), key=lambda item: str(item[0])):
        ranked = sorted(by_doc.items(), key=lambda item: -item[1].value)
        values = [f.value for _, f in ranked]
        same = max(values) - min(values) <= 0.001 * max(abs(v) for v in values)
        verdicts.append(same)
        label = str(when) if metric == "size" else (period_text(when) if when else "each report's forecast period")
        stated = "; ".join(
            f"{q.source_name(doc)} gives "
            + (sources.describe(_from_fact("size", f)) if metric == "size" else _rate_text(_from_fact("rate", f), sources))
            for doc, f in ranked
        )
        if same:
            parts.append(f"For {label}, {stated} — the same figure.")
        else:
            # Both figures are shown and cited; how far apart they are is no figure any report states (this route
            # shows no calculation), so it is not stated.
            parts.append(f"For {label}, {stated} — they differ: {_possessive(q.source_name(ranked[0][0]))} figure is "
                         "the higher one.")
    what = "market size" if metric == "size" else "CAGR"
    verdict = "agree" if all(verdicts) else "disagree" if not any(verdicts) else "partly disagree"
    text = f"The reports {verdict} on the {market} {what}. " + " ".join(parts)
    value, unit = None, None
    if len(shared) == 1 and all(verdicts):
        fact = next(iter(next(iter(shared.values())).values()))
        value, unit = _headline(fact.value, fact.unit), fact.unit
    return NumericAnswer("retrieval", text, list(sources.facts), value, unit, None, [])


def _firm_figures(q: _Question, facts: _Facts, docs: frozenset[str], metric: str) -> list[Fact]:
    """A firm's own figures of the metric: for the market the question names when the firm states one for it,
    else its report's headline figures, since each firm names its market its own way ("EV charging stations",
    "EV charging units")."""
    kinds = ("cagr",) if metric == "cagr" else ("size", "volume")
    pool = [f for f in facts.all if f.doc in docs and f.metric in kinds and f.value > 0
            and (metric == "cagr" or f.year is not None)]
    if metric == "size" and q.years:
        pool = [f for f in pool if f.year in q.years]
    elif metric == "cagr" and q.period:
        pool = [f for f in pool if f.period == q.period] or pool
    named = {market_key(m) for m in q.markets}
    own = [f for f in pool if market_key(f.market) in named]
    return sorted(own or pool, key=lambda f: f.start)


def _nearest_in_time(figures: list[list[Fact]]) -> list[Fact]:
    """One dated size per firm, the years as close together as they can be (the latest such set on a tie): two
    firms "agree on the size" only for one year, and the nearest years are the fairest comparison."""
    def pick(year: int) -> list[Fact]:
        return [min(pool, key=lambda f: (abs(f.year - year), f.start)) for pool in figures]

    def spread(year: int) -> tuple[int, int]:
        years = [f.year for f in pick(year)]
        return max(years) - min(years), -year

    return pick(min({f.year for pool in figures for f in pool}, key=spread))


def _answer_firms(q: _Question, facts: _Facts, metric: str) -> NumericAnswer:
    """ "Which grows faster: the EV charging station market (Mordor) or the EV charging unit base (GlobalData)?":
    each named firm's own figure, side by side, and which is higher."""
    pools = []
    for link in q.frame.entities.firms:
        pool = _firm_figures(q, facts, link.docs, metric)
        if not pool:
            year = f" for {', '.join(map(str, dict.fromkeys(q.years)))}" if metric != "cagr" and q.years else ""
            raise _Refuse(f"{_possessive(link.firm)} reports state no {'CAGR' if metric == 'cagr' else 'market size'}"
                          f"{year} to set beside the other's.")
        pools.append((link.firm, pool))
    return _side_by_side(pools, metric, q)


# "Whose end-of-forecast size is largest?", "the starting size": each report's own last or first dated figure.
_FORECAST_END = re.compile(r"\b(?:end|final|last|horizon|terminal)\b", re.IGNORECASE)
_FORECAST_START = re.compile(r"\b(?:start(?:ing)?|base|baseline|initial|opening)\b", re.IGNORECASE)


def _each_at_its_end(q: _Question, figures: list[list[Fact]]) -> Optional[list[Fact]]:
    """Each report's figure at its own forecast end (or start), when the question asks for that and names no year."""
    if q.years:
        return None
    ends = [_FORECAST_END.search(q.text), _FORECAST_START.search(q.text)]
    if bool(ends[0]) == bool(ends[1]):
        return None
    pick = max if ends[0] else min
    return [pick(pool, key=lambda f: (f.year, -f.start)) for pool in figures]


def _side_by_side(pools: list[tuple[str, list[Fact]]], metric: str, q: Optional[_Question] = None) -> NumericAnswer:
    """Each source's figure (for sizes: at the years nearest each other, or at each one's forecast end or start
    when that is asked), and which is higher."""
    sources = _Sources()
    figures = [pool for _, pool in pools]
    at_ends = _each_at_its_end(q, figures) if q is not None and metric != "cagr" else None
    chosen = [pool[0] for pool in figures] if metric == "cagr" else at_ends or _nearest_in_time(figures)
    found = [(name, fact) for (name, _), fact in zip(pools, chosen)]
    _refuse_ranges([_from_fact(firm, fact) for firm, fact in found])
    ranked = sorted(found, key=lambda item: -item[1].value)
    if metric != "cagr" and len({f.unit for _, f in ranked}) > 1:
        raise _Refuse("The firms state their figures in different units (" +
                      ", ".join(sorted({f.unit for _, f in ranked})) + "), so they cannot be compared.")
    stated = "; ".join(
        f"{firm} gives the {fact.market} market " + (
            _rate_text(_from_fact("rate", fact), sources) if metric == "cagr" else sources.describe(
                _from_fact("size", fact)))
        for firm, fact in ranked)
    values = [f.value for _, f in ranked]
    same = max(values) - min(values) <= 0.001 * max(abs(v) for v in values)
    # How far apart the figures are is computed by no shown calculation on this route, so only which is higher.
    verdict = "the same figure" if same else f"{_possessive(ranked[0][0])} figure is the higher one"
    years = sorted({f.year for _, f in ranked}) if metric != "cagr" else []
    if len(years) > 1 and at_ends:
        text = (f"Each report's {'last' if _FORECAST_END.search(q.text) else 'first'} dated figure: {stated} — "
                f"{verdict}.")
    elif len(years) > 1:
        text = (f"The reports state no size for one same year, so they cannot agree or disagree exactly; the nearest "
                f"years are {' and '.join(map(str, years))}: {stated} — {verdict}.")
    else:
        text = f"The reports {'agree' if same else 'disagree'}: {stated} — {verdict}."
    return NumericAnswer("retrieval", text, list(sources.facts), None, None, None, [])


# A question that asks yes or no ("Is the stated CAGR consistent ...?"), answered so first.
_YES_NO = re.compile(r"^\W*(?:is|are|was|were|do|does|did|can|could|would|will|has|have|should)\b", re.IGNORECASE)


def _answer_audit(q: _Question, facts: _Facts, flags: Sequence[AuditFlag]) -> NumericAnswer:
    sources = _Sources()
    checks = consistency_checks(facts.all)
    market = _resolve_market(q, facts, lambda m: any(market_key(c.market) == market_key(m) for c in checks))
    mine = [c for c in checks if market_key(c.market) == market_key(market)]
    if not mine:
        raise _Refuse(
            f"The reports do not state both two dated sizes and a CAGR for the {market} market, so the stated "
            "figures cannot be checked against each other."
        )
    check: ConsistencyCheck = sorted(mine, key=lambda c: c.stated.period is None)[0]
    start, end = _from_fact("start", check.start), _from_fact("end", check.end)
    stated = _from_fact("rate", check.stated)
    _refuse_ranges([start, end, stated])
    gap = _gap(sources, _Input("implied", check.implied, "%"), stated)
    consistent = check.verdict != "inconsistent"
    implied = (f"figures, {sources.describe(start)} and {sources.describe(end)}, imply {percent_text(check.implied)} a "
               f"year over the {check.years} years {check.start.year}-{check.end.year}. "
               f"Formula: {check.formula} = {percent_text(check.implied)}.")
    if _YES_NO.match(q.text):
        text = (f"{'Yes, broadly' if consistent else 'Not exactly'}. The report states {_rate_text(stated, sources)}. "
                f"Its own {implied}")
    else:  # "What CAGR do the report's own figures imply?" is answered with that CAGR first
        text = f"The report's own {implied} The report states {_rate_text(stated, sources)}."
    if not check.period_matches and check.stated.period:
        text += (
            f" The stated period ({period_text(check.stated.period)}) starts the year after the base year "
            f"{check.start.year}, the usual way of writing a forecast." if check.base_year_convention else
            f" The stated period ({period_text(check.stated.period)}) does not match the years of the figures "
            f"({check.start.year}-{check.end.year})."
        )
    if abs(check.difference) > 0.5:
        side = "above" if check.difference > 0 else "below"
        text += f" The implied rate is {format_number(gap.result, 2)} percentage points {side} the stated one."
    else:
        text += f" The implied rate is within {format_number(gap.result, 2)} percentage points of the stated one."
    issues = [f for f in flags if market_key(f.market) == market_key(market) and check.stated in f.facts]
    if issues:
        text += f" Audit flags: {', '.join(sorted({f.kind.replace('_', ' ') for f in issues}))}."
    assert check.start.year is not None and check.end.year is not None
    series = _trajectory(start.value, check.start.year, check.implied, check.end.year,
                         {check.start.year: start.value, check.end.year: end.value})
    return _computed(text, sources, check.implied, "%", "cagr", check.formula, [start, end], series, [gap])


# --- look-ups ------------------------------------------------------------------------------------


def _echoing(q: _Question, candidates: Sequence[Fact]) -> Fact:
    """Of a market's figures, the one whose own sentence says what the question adds to the market's name
    ("What CAGR does IDC forecast for wristbands?": "Wristbands are forecast to grow at a CAGR of 1.9%"); the
    first when no sentence says more than another."""
    from .retrieve import key_terms

    named = " ".join(q.markets + [f.firm for f in q.frame.entities.firms])
    asked = set(key_terms(q.text)) - set(key_terms(named))

    def clause(fact: Fact) -> str:
        # Two figures of one sentence ("13 GW of new capacity is due, taking cumulative capacity to 46 GW"): the
        # words of the figure's own part of it, between commas.
        at = fact.quote.find(fact.value_text) if fact.value_text else -1
        if at < 0:
            return ""
        start = max(fact.quote.rfind(",", 0, at), fact.quote.rfind(";", 0, at)) + 1
        ends = [e for e in (fact.quote.find(",", at + len(fact.value_text)), fact.quote.find(";", at)) if e >= 0]
        return fact.quote[start:min(ends, default=len(fact.quote))]

    # The first of equals.
    def said(fact: Fact) -> int:
        return len(asked & set(key_terms(fact.quote)))

    best = [f for f in candidates if said(f) == max(map(said, candidates))]
    if len({f.value for f in best}) == 1:
        return best[0]  # one figure, read more than once: the first of equals
    # (The year asked dates both figures of a sentence: only words tell their clauses apart.)
    words = {t for t in asked if not t.isdigit()}
    return max(best, key=lambda f: len(words & set(key_terms(clause(f)))))


def _answer_lookup_cagr(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    market = _resolve_market(q, facts, lambda m: bool(facts.rates(m)))
    rates = facts.rates(market)
    sizes = facts.dated_sizes(market)
    if q.period is not None and q.period[0] in sizes and q.period[1] in sizes and not any(
            f.period == q.period for f in rates):
        return _answer_cagr(q, facts)  # not stated for that period, but the stated sizes give it, shown computed
    if not rates:
        raise _Refuse(f"The reports state no growth rate (CAGR) for the {market} market.")
    chosen = _echoing(q, rates)
    if q.period is not None:
        matching = [f for f in rates if f.period == q.period]
        if not matching:
            distinct = list({(f.value, f.period): f for f in reversed(rates) if f.period}.values()) or [chosen]
            listed = "; ".join(_rate_text(_from_fact("rate", f), sources) for f in reversed(distinct))
            raise _Refuse(
                f"The reports state no {market} CAGR for {period_text(q.period)}; they state {listed}.",
                sources.facts,
            )
        chosen = matching[0]
    rate = _from_fact("rate", chosen)
    text = f"The reports give the {market} market a growth rate of {_rate_text(rate, sources)}."
    others = {f.value: f for f in rates if f.doc != chosen.doc and abs(f.value - chosen.value) > 1e-9}
    for other in list(others.values())[:2]:
        text += f" Another report ({q.source_name(other.doc)}) states {_rate_text(_from_fact('rate', other), sources)}."
    headline = _headline(rate.value, "%") if rate.high is None else None  # a range has no one headline figure
    return NumericAnswer("retrieval", text, list(sources.facts), headline, "%", None, [],
                         _range_of(rate.value, rate.high, "%"))


def _covered_span(facts: _Facts, market: str) -> Optional[tuple[int, int]]:
    """Years the reports' own forecast covers: from the first stated size or CAGR period start to the last,
    when a CAGR is stated. Sizes inside it are computed, outside it refused."""
    rates = facts.rates(market)
    sizes = facts.dated_sizes(market)
    if not rates or not sizes:
        return None
    years = list(sizes) + [y for f in rates if f.period for y in f.period]
    return min(years), max(years)


def _answer_lookup_size(q: _Question, facts: _Facts) -> NumericAnswer:
    sources = _Sources()
    market = _resolve_market(q, facts, lambda m: bool(facts.sizes(m)))
    sizes = facts.dated_sizes(market)
    if sizes and (mentions_currency(q.text) or MONEY_NOUN.search(q.text)) and all(
            f.metric == "volume" for fs in sizes.values() for f in fs):
        stated = _stated_list(sizes, sources)
        raise _Refuse(f"The reports state the {market} market only in units, not in money: {stated}.", sources.facts)
    undated = [f for f in facts.sizes(market) if f.year is None]
    if not sizes and not undated:
        raise _Refuse(f"The reports state no size for the {market} market.")
    year: Optional[int] = None
    asked_years = list(dict.fromkeys(q.years))
    if len(asked_years) >= 2 and q.period is None and all(y in sizes for y in asked_years):
        # "What were the values for 2016 and for 2025?": each year asked, each as stated.
        items = [_from_fact("size", _echoing(q, sizes[y])) for y in asked_years]
        text = f"The reports put the {market} market at {', and '.join(sources.describe(i) for i in items)}."
        series = [{"year": y, "value": fs[0].value, "stated": True} for y, fs in sizes.items()
                  if fs[0].value_high is None]
        last = items[-1]
        return NumericAnswer("retrieval", text, list(sources.facts), _headline(last.value, last.unit)
                             if last.high is None else None, last.unit, None, series,
                             _range_of(last.value, last.high, last.unit))
    if q.years:
        asked = q.years[-1]
        if asked not in sizes:
            if not sizes and q.frame.asked == "volume":
                # No count of this market in the table ("986 million users ... to 3.5 billion in 2027" names what it
                # counts before the figures): the sentences may still state it, and retrieval reads them.
                raise _NotMine()
            covered = _covered_span(facts, market)
            if covered and covered[0] <= asked <= covered[1]:
                return _value_in_year(q, facts, market, _market_rate(facts, market), asked)
            raise _Refuse(
                f"The reports give no {market} market size for {asked}. Stated sizes: "
                f"{_stated_list(sizes, sources) or 'none'}.",
                sources.facts,
            )
        year = asked
    elif sizes:
        year = max(sizes) if q.frame.future else min(sizes)
    # Two figures for one year ("40.3 million units", and "44.4 million in the aggressive scenario"): the one whose
    # sentence says what the question adds.
    fact = _echoing(q, sizes[year] if year is not None else undated)
    item = _from_fact("size", fact)
    text = f"The reports put the {market} market at {sources.describe(item)}."
    scale = q.frame.quantities.scale
    if scale:
        divisor, word = scale
        shown = format_number(item.value / divisor, 4)
        if item.high is not None:
            shown += f"–{format_number(item.high / divisor, 4)}"
        text += f" In {word}s: {shown} {word} {item.unit}."
    others = [sizes[y][0] for y in sizes if y != year]
    if others and not q.years:
        text += " Other stated sizes: " + "; ".join(sources.describe(_from_fact("size", f)) for f in others) + "."
    # A range is no one point of the chart, and no one headline figure.
    series = [{"year": y, "value": fs[0].value, "stated": True} for y, fs in sizes.items() if fs[0].value_high is None]
    headline = _headline(item.value, item.unit) if item.high is None else None
    return NumericAnswer("retrieval", text, list(sources.facts), headline, item.unit, None, series,
                         _range_of(item.value, item.high, item.unit))


# --- entry points --------------------------------------------------------------------------------


def _refusal(text: str, sources: Sequence[Fact] = ()) -> NumericAnswer:
    return NumericAnswer("refusal", text, list(sources), None, None, None, [])


_EXECUTORS: dict[str, Callable[[_Question, _Facts, Sequence[AuditFlag]], NumericAnswer]] = {
    "check_sources": lambda q, table, flags: _answer_sources(q, table),
    "check_consistency": lambda q, table, flags: _answer_audit(q, table, flags),
    "compare_growth": lambda q, table, flags: _answer_compare(q, table, arithmetic=False),
    "compare_size": lambda q, table, flags: _answer_compare(q, table, arithmetic=False),
    "compare_arithmetic": lambda q, table, flags: _answer_compare(q, table, arithmetic=True),
    "compute_multiple_time": lambda q, table, flags: _answer_multiply(q, table),
    "compute_target_year": lambda q, table, flags: _answer_target(q, table),
    "compute_difference": lambda q, table, flags: _answer_difference(q, table),
    "compute_factor": lambda q, table, flags: _answer_factor(q, table),
    "compute_base": lambda q, table, flags: _answer_base(q, table),
    "compute_cagr": lambda q, table, flags: _answer_cagr(q, table),
    "compute_value": lambda q, table, flags: _answer_project(q, table),
    "lookup_cagr": lambda q, table, flags: _answer_lookup_cagr(q, table),
    "lookup_size": lambda q, table, flags: _answer_lookup_size(q, table),
    "lookup_volume": lambda q, table, flags: _answer_lookup_volume(q, table),
}


def _answer_lookup_volume(q: _Question, table: _Facts) -> NumericAnswer:
    """A volume; a question that reads like one but counts nothing ("GVR's 2028 number for legal cannabis?") is
    answered with the size when the reports state no volume for it. "How many ...?" counts, and never gets money."""
    try:
        return _answer_lookup_size(q, _Facts([f for f in table.all if f.metric != "size"], table.scoped))
    except (_Refuse, _NotMine):
        if re.search(r"\bhow\s+many\b", q.text, re.IGNORECASE):
            raise
        return _answer_lookup_size(q, table)


def _unexplained_words(frame: QuestionFrame, facts: _Facts) -> list[str]:
    """Words of the question that are neither how analysts ask (the examples' vocabulary) nor in the names it
    linked, nor in the sentences that state the figures of the markets it names."""
    from .retrieve import STOPWORDS, stem

    def stems(text: str) -> set[str]:
        return {stem(w.removesuffix("'s").strip("'")) for w in re.findall(r"[a-z][a-z']+", text.lower())}

    known = set(question_vocabulary())
    markets = frame.entities.market_names or facts.names
    firms = [f.firm for f in frame.entities.firms] + [f.named_as for f in frame.entities.firms]  # "AMR" too
    for name in list(markets) + firms + [r.text for r in frame.entities.regions]:
        known |= stems(name)
    for link in frame.entities.markets:
        known |= stems(frame.text[link.position:link.end])  # the question's own name for it ("cyber insurance")
    for market in markets:
        for fact in facts.of(market):
            known |= stems(fact.quote + " " + fact.market)
    words = [w.removesuffix("'s").strip("'") for w in re.findall(r"[a-z][a-z']+", frame.text.lower())]
    # A longer word shares its first five letters with a known one in another form: "charger" for "charging".
    prefixes = {k[:5] for k in known if len(k) >= 5}
    return [w for w in words if len(w) > 2 and w not in STOPWORDS and stem(w) not in known
            and not (len(w) >= 6 and w[:5] in prefixes)]


def answer_numeric(
    frame: QuestionFrame, facts: Sequence[Fact], flags: Sequence[AuditFlag] = (),
    source_names: Optional[dict[str, str]] = None,
) -> Optional[NumericAnswer]:
    """A numeric answer from the facts table and the calculator, or None when the frame is not about figures
    (or names a market the facts cannot resolve: retrieval answers then)."""
    executor = plan(frame)
    if frame.quantities.problems and (executor is not None or frame.is_computation):
        # Nothing is computed or looked up on a figure read one way of several.
        return _refusal("I cannot read the figures of this question unambiguously, so nothing was calculated: "
                        + "; ".join(frame.quantities.problems) + ".")
    if executor is None:
        return None
    typed_ranges = [a for a in frame.quantities.amounts if a.high is not None]
    if typed_ranges and executor.startswith("compute"):
        try:  # a range typed where one figure is computed with: refused, never replaced by a report's figure
            _refuse_ranges([_Input("typed", a.value, a.unit, None, None, a.text, a.high) for a in typed_ranges])
        except _Refuse as refusal:
            return _refusal(refusal.text)
    q = _Question(frame, source_names)
    scope = frame.entities.docs()
    table = _Facts([f for f in facts if f.doc in scope] if scope else facts, scoped=bool(scope))
    typed = frame.quantities.amounts or frame.quantities.rates or frame.quantities.multiplier is not None
    if not typed and _unexplained_words(frame, table):
        return None  # "the average claim size": not a market figure; retrieval answers or refuses from evidence
    try:
        return _EXECUTORS[executor](q, table, flags)
    except _NotMine:
        return None
    except _Refuse as refusal:
        return _refusal(refusal.text, refusal.sources)
    except CalculationError as error:  # on typed figures only: those from reports are cited by _citing
        return _refusal(f"This cannot be calculated: {error}")
    except MarketQAError as error:
        return _refusal(f"This cannot be answered: {error}")
