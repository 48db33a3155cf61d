"""Consistency checks on the facts table: do a report's own figures support its stated CAGR, and do
reports agree with each other? Pure functions over facts.

Each check of a stated CAGR against the report's own sizes gets a verdict: "consistent" (equal as printed),
"rounding" (within 0.5 percentage points, over the figures' years or a forecast period that starts the year after
the base year, as in the seed: 12.1% for 2025-2031 beside sizes for 2024 and 2031) or "inconsistent".

Flag kinds:
- "period_mismatch": the CAGR is stated for one period, the sizes are given for other years, and not by the
  base-year convention above;
- "cagr_mismatch": the sizes imply a CAGR more than 0.5 percentage points from the stated one;
- "source_disagreement": two reports give the same market figure (same metric and year or period)
  with values more than 1% apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Union

from .calculator import cagr, cagr_formula
from .facts import fact_to_row, fact_value_text, market_key
from .models import Fact
from .quantities import format_money, format_number

CAGR_TOLERANCE_POINTS = 0.5
SOURCE_TOLERANCE = 0.01


@dataclass(frozen=True)
class AuditFlag:
    market: str
    kind: str  # "period_mismatch" | "cagr_mismatch" | "source_disagreement"
    message: str  # a sentence with the numbers
    facts: tuple[Fact, ...]  # the facts involved
    implied: Optional[float]  # the CAGR the figures imply (percent), None for source disagreements

    def to_dict(self) -> dict[str, Any]:
        return {
            "market": self.market,
            "kind": self.kind,
            "message": self.message,
            "implied": self.implied,
            "facts": [fact_to_row(f) for f in self.facts],
        }


@dataclass(frozen=True)
class ConsistencyCheck:
    """A stated CAGR next to the CAGR implied by the same report's first and last stated sizes."""

    market: str
    doc: str
    stated: Fact  # the CAGR fact
    start: Fact  # the earliest size fact
    end: Fact  # the latest size fact
    implied: float  # percent a year over start.year..end.year

    @property
    def years(self) -> int:
        assert self.start.year is not None and self.end.year is not None
        return self.end.year - self.start.year

    @property
    def period_matches(self) -> bool:
        return self.stated.period is None or self.stated.period == (self.start.year, self.end.year)

    @property
    def base_year_convention(self) -> bool:
        """A 2024 base year with a 2025-2031 forecast: the rate is stated from the year after the first size."""
        period = self.stated.period
        return period is not None and self.start.year is not None and period == (self.start.year + 1, self.end.year)

    @property
    def verdict(self) -> str:
        """ "consistent", "rounding" or "inconsistent" (see the module's docstring)."""
        if not (self.period_matches or self.base_year_convention) or abs(self.difference) > CAGR_TOLERANCE_POINTS:
            return "inconsistent"
        return "consistent" if abs(self.difference) <= _printed_precision(self.stated) else "rounding"

    @property
    def difference(self) -> float:
        """Implied minus stated, in percentage points."""
        return self.implied - self.stated.value

    @property
    def formula(self) -> str:
        return cagr_formula(self.start.value, self.end.value, self.years)

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "market": self.market, "verdict": self.verdict, "stated": self.stated.value,
                "implied": round(self.implied, 4), "message": describe_verdict(self),
                "facts": [fact_to_row(f) for f in (self.stated, self.start, self.end)]}


def _printed_precision(fact: Fact) -> float:
    """Half a unit of the last digit the report printed: 12.1% stands for anything from 12.05% to 12.15%."""
    printed = re.search(r"\d+(?:\.(\d+))?", fact.value_text or format_number(fact.value, 6))
    decimals = len(printed.group(1) or "") if printed else 0
    return 0.5 * 10 ** -decimals


def describe_verdict(check: ConsistencyCheck) -> str:
    """The verdict, and why, as one sentence after the figures."""
    if check.verdict == "consistent":
        return f"{describe_check(check)} Consistent: the stated rate, as printed."
    if check.verdict == "rounding":
        why = (f" The stated period ({period_text(check.stated.period)}) starts the year after the base year "
               f"{check.start.year}, the usual way of writing a forecast." if check.base_year_convention
               and not check.period_matches and check.stated.period else "")
        return (f"{describe_check(check)} Consistent within rounding: {format_number(abs(check.difference), 2)} "
                f"percentage points apart.{why}")
    return f"{describe_check(check)} Inconsistent: {format_number(abs(check.difference), 2)} percentage points apart."


def period_text(period: tuple[int, int]) -> str:
    return f"{period[0]}-{period[1]}"


def percent_text(value: float) -> str:
    return f"{format_number(value, 2)}%"


def _size_text(fact: Fact) -> str:
    return fact.value_text or format_money(fact.value, fact.unit)


def _stated_text(fact: Fact) -> str:
    """A source's figure as it reads in a disagreement: a range with both ends."""
    if fact.value_high is not None:
        return fact_value_text(fact)
    return _size_text(fact) if fact.metric == "size" else percent_text(fact.value)


def _groups(facts: Sequence[Fact]) -> dict[tuple[str, str], list[Fact]]:
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        groups.setdefault((market_key(fact.market), fact.doc), []).append(fact)
    return groups


def consistency_checks(facts: Sequence[Fact]) -> list[ConsistencyCheck]:
    """One check per market, report and distinct stated CAGR, where the report also states two sizes."""
    checks = []
    # A range ("USD 1.2-1.5 billion", "8-10%") is no one figure to check or to compute from.
    points = [fact for fact in facts if fact.value_high is None]
    for (_, doc), group in _groups(points).items():
        sizes_by_year: dict[int, list[Fact]] = {}
        for fact in group:
            if fact.metric == "size" and fact.year is not None and fact.value > 0:
                sizes_by_year.setdefault(fact.year, []).append(fact)
        if len(sizes_by_year) < 2 or len({f.unit for fs in sizes_by_year.values() for f in fs}) != 1:
            continue
        stated_rates: dict[float, Fact] = {}
        for fact in group:
            if fact.metric == "cagr":
                known = stated_rates.get(fact.value)
                if known is None or (known.period is None and fact.period is not None):
                    stated_rates[fact.value] = fact  # the statement with a period says the most
        for stated in stated_rates.values():
            # Sizes written in the same sentence as the CAGR are the ones it was computed from.
            sizes = {
                year: next((f for f in fs if f.start == stated.start), fs[0]) for year, fs in sizes_by_year.items()
            }
            start, end = _size_pair(sizes, stated.period)
            if start is None or end is None or start.year is None or end.year is None:
                continue
            implied = cagr(start.value, end.value, end.year - start.year)
            checks.append(ConsistencyCheck(stated.market, doc, stated, start, end, implied))
    return checks


def _size_pair(sizes: dict[int, Fact], period: Optional[tuple[int, int]]) -> tuple[Optional[Fact], Optional[Fact]]:
    """The sizes at the ends of the stated period when given, else the earliest and latest stated sizes."""
    years = sorted(sizes)
    first = sizes.get(period[0]) if period else None
    last = sizes.get(period[1]) if period else None
    first = first or sizes[years[0]]
    last = last or sizes[years[-1]]
    if first.year is not None and last.year is not None and first.year >= last.year:
        return None, None
    return first, last


def describe_check(check: ConsistencyCheck) -> str:
    """The figures and what they imply, as one sentence."""
    stated = check.stated
    stated_part = f"a {percent_text(stated.value)} CAGR"
    if stated.period:
        stated_part += f" for {period_text(stated.period)}"
    return (
        f"The report {check.doc} states {stated_part}; its figures of {_size_text(check.start)} in "
        f"{check.start.year} and "
        f"{_size_text(check.end)} in {check.end.year} imply {percent_text(check.implied)} a year over the "
        f"{check.years} years {check.start.year}-{check.end.year}."
    )


def audit(facts: Sequence[Fact]) -> list[AuditFlag]:
    """Every inconsistency found in the facts table."""
    flags = []
    for check in consistency_checks(facts):
        involved = (check.stated, check.start, check.end)
        if not check.period_matches and not check.base_year_convention:
            assert check.stated.period is not None
            flags.append(AuditFlag(
                check.market, "period_mismatch",
                f"{describe_check(check)} The stated period ({period_text(check.stated.period)}) does not match "
                f"the years of the figures ({check.start.year}-{check.end.year}).",
                involved, check.implied,
            ))
        if abs(check.difference) > CAGR_TOLERANCE_POINTS:
            flags.append(AuditFlag(
                check.market, "cagr_mismatch",
                f"{describe_check(check)} That is {format_number(abs(check.difference), 2)} percentage points "
                f"{'above' if check.difference > 0 else 'below'} the stated {percent_text(check.stated.value)}.",
                involved, check.implied,
            ))
    flags.extend(_source_disagreements(facts))
    return flags


def _source_disagreements(facts: Sequence[Fact]) -> list[AuditFlag]:
    groups: dict[tuple[str, str, str, Union[int, tuple[int, int], None]], dict[str, Fact]] = {}
    for fact in facts:
        if fact.metric not in ("size", "cagr"):
            continue  # shares and volumes belong to a region, segment or unit the table does not key on
        when = fact.year if fact.metric == "size" else fact.period
        groups.setdefault((market_key(fact.market), fact.metric, fact.unit, when), {}).setdefault(fact.doc, fact)
    flags = []
    for (_, metric, _, when), by_doc in groups.items():
        if len(by_doc) < 2:
            continue
        # Stated ranges are intervals: two reports disagree when their figures do not overlap.
        ends = [(f.value, f.value if f.value_high is None else f.value_high) for f in by_doc.values()]
        highest_low, lowest_high = max(low for low, _ in ends), min(high for _, high in ends)
        if highest_low - lowest_high <= SOURCE_TOLERANCE * max(abs(highest_low), abs(lowest_high)):
            continue
        involved = tuple(by_doc.values())
        what = "market size" if metric == "size" else "CAGR"
        if when is not None:
            what += f" for {when if isinstance(when, int) else period_text(when)}"
        stated = "; ".join(
            f"{f.doc} says {_stated_text(f)}" for f in involved
        )
        flags.append(AuditFlag(
            involved[0].market, "source_disagreement",
            f"The reports disagree on the {involved[0].market} {what}: {stated}.", involved, None,
        ))
    return flags
