"""A profile of each report, read once from its text: who published it, which markets it covers and under
which other names, where and when.

Real releases name their research firm once, in the lead sentence ("According to a new report by Acme
Research, ...") or in the closing "About Acme Research" block; the sentences that answer questions do not
repeat it. The profile keeps that name so a question that names the firm finds the firm's report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .acronyms import defined_acronyms
from .facts import market_key, market_names
from .firms import detect_firm
from .models import Fact, Report
from .regions import is_region_word, regions_in
from .structure import dateline_end

_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|to|through)\s*((?:19|20)\d\d)\b")
_BASE_YEAR = re.compile(r"\bbase year\D{0,12}((?:19|20)\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReportProfile:
    doc: str
    firm: Optional[str]
    markets: tuple[str, ...]  # the market names the report uses, most used first
    aliases: dict[str, str] = field(default_factory=dict)  # acronym -> market name ("RPM" -> "remote ...")
    acronyms: dict[str, str] = field(default_factory=dict)  # every acronym the text defines -> its expansion
    regions: frozenset[str] = frozenset()
    base_year: Optional[int] = None
    forecast_period: Optional[tuple[int, int]] = None
    place: Optional[str] = None  # where the release was issued, from its dateline: "Seattle"


def build_profile(report: Report, facts: Sequence[Fact], acronyms: Optional[dict[str, str]] = None) -> ReportProfile:
    """The report's profile; `acronyms` are those its text defines, when already read."""
    text = report.text
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for _, name in market_names(report.title, context=text) + market_names(text):
        key = market_key(name)
        if key and not is_region_word(name):
            counts[key] += 1
            spelled.setdefault(key, name)
    for fact in facts:
        key = market_key(fact.market)
        counts[key] += 2
        spelled.setdefault(key, fact.market)
    markets = tuple(spelled[k] for k, n in counts.most_common() if n >= 2 or k in {market_key(f.market) for f in facts})
    aliases = {}
    defined = defined_acronyms(text) if acronyms is None else acronyms
    for acronym, expansion in defined.items():
        key = market_key(expansion)
        owner = next((m for m in markets if market_key(m) == key or market_key(m).endswith(key)), None)
        aliases[acronym] = owner or expansion
    periods = Counter(tuple(map(int, m.groups())) for m in _YEAR_RANGE.finditer(text)
                      if int(m.group(2)) > int(m.group(1)))
    cagr_periods = Counter(f.period for f in facts if f.metric == "cagr" and f.period)
    forecast = (cagr_periods or periods).most_common(1)[0][0] if (cagr_periods or periods) else None
    base = _BASE_YEAR.search(text)
    return ReportProfile(
        doc=report.doc,
        firm=report.publisher or detect_firm(text),
        markets=markets,
        aliases=aliases,
        acronyms=defined,
        regions=frozenset(regions_in(text)),
        base_year=int(base.group(1)) if base else None,
        forecast_period=forecast,
        place=release_place(text),
    )


def release_place(text: str) -> Optional[str]:
    """The city of the report's dateline ("SEATTLE, Nov. 24, 2021 /PRNewswire/ --" gives "Seattle"): readers call
    a release by it ("the Seattle release")."""
    for line in text.splitlines():
        line = line.strip().lstrip("*# ").strip()
        if line and dateline_end(line):
            place = re.match(r"[A-Za-z.'’ -]{3,40}?(?=\s*(?:,|/|\*|--|–|—))", line)
            words = place.group(0).split() if place else []
            if 0 < len(words) <= 3 and not re.search(r"\d", place.group(0)):
                return " ".join(w.capitalize() if w.isupper() else w for w in words)
    return None
