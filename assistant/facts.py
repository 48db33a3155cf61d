"""The facts table: every market figure (size or CAGR) a report states, with its market and source sentence.

A fact is extracted from one sentence: a money amount in a sentence about a market is a size (its year is
the year written next to it; an amount written without currency, "19.7 bn", takes the currency of the same
sentence), a percentage next to "CAGR"/"growth rate" is a CAGR (its period is the year range in the same
sentence). The market is named by the sentence itself ("the global market for X", "the X market", "the X
niche"), else by a market the report names elsewhere that the sentence mentions, else by the nearest
earlier sentence under the same heading, the heading, the report title, and finally the market the report
names most often. A figure in a sentence about a region ("North America ... USD 91.4 billion") belongs to
"North America <market>", not to the whole market.

A figure the report gives as a range ("$1.2-1.5 billion", "a CAGR of 8%-10%", "12–15 GW") keeps both ends: its
low end in `value`, its high end in `value_high`; `fact_value_text` shows both ("USD 1.2–1.5 billion").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable, Optional, Sequence

from .acronyms import defined_acronyms, expand
from .asking import FIGURE_NOUNS
from .models import Fact, MarketQAError, Passage, Report
from .passages import dateline_end
from .structure import CONTEXT_ONLY
from .quantities import MASS_UNIT, Quantity, find_quantities, format_amount, format_number, format_range, in_tonnes
from .regions import RegionMention, find_regions, is_region_word, regions_in

# Words that end a market name when scanning away from the word "market": never a part of a name.
NAME_BOUNDARY_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "its", "it", "their", "our", "your", "his", "her", "my",
    "of", "for", "in", "on", "at", "by", "to", "from", "with", "and", "or", "as", "is", "are", "was", "were", "be",
    "been", "being", "will", "would", "can", "could", "should", "may", "might", "has", "have", "had", "what",
    "which", "who", "how", "why", "when", "where", "whose", "does", "do", "did", "than", "then", "so", "such",
    "into", "about", "over", "under", "between", "within", "across", "per", "via", "if", "whether", "much",
    "many", "big", "global", "worldwide", "overall", "total", "entire", "whole", "domestic", "international",
    "regional", "local", "broader", "wider", "same", "target", "leading", "latest", "projected", "estimated",
    "expected", "forecast", "forecasted", "current", "future", "growing", "booming", "explosive", "rapidly",
    "fast-growing", "reach", "reached", "reaches", "grow", "grows", "grew", "size", "value", "valued", "worth",
    "say", "says", "said", "state", "states", "stated", "give", "gives", "imply", "implies", "forecasts", "own",
    "report", "report's", "reports", "figure", "figures", "both", "each", "every", "all", "any", "other",
    "cagr", "rate", "growth", "we", "you", "they", "i", "versus", "vs", "vs.", "compare", "compared", "bigger",
    "larger", "smaller", "faster", "slower", "biggest", "largest", "fastest", "also", "only", "just", "even",
    "including", "include", "includes", "new", "massive", "huge", "vast", "major", "key", "significant", "further",
    "fastest-growing", "smallest", "second-largest", "alone", "billion", "million",
    "trillion", "thousand", "bn", "mn", "tn", "usd", "dollar", "dollars", "eur", "euro", "euros",
    # Adjectives that size or age a market without naming one ("large markets such as the United States").
    "large", "small", "big", "emerging", "mature", "developed", "developing", "untapped", "lucrative", "niche",
    "addressable", "end-use", "such", "notable", "prominent", "dominant", "sizeable", "sizable", "considerable",
    "substantial", "single", "individual", "national", "country", "countries", "region", "regions",
}
# "third-largest", "second-fastest-growing", "5th-biggest": a rank, not a name.
_RANKED = re.compile(r"^(?:\w+-)?(?:largest|biggest|fastest|smallest|slowest|leading)(?:-\w+)?$", re.IGNORECASE)
# In "market research", "market share"... the words before "market" do not name a market.
_NOT_A_MARKET_AFTER = {
    "research", "researcher", "researchers", "share", "shares", "leader", "leaders", "player", "players",
    "participant", "participants", "force", "forces", "condition", "conditions", "cap", "capitalization",
    # Research firms' names: "Coherent Market Insights", "Allied Market Research", "Future Market Insights".
    "insights", "insight", "intelligence", "analytics", "consulting", "reports", "watch", "us",
}
# Words that say nothing about which market is meant; a name needs at least one other word to be matched.
_GENERIC = {"ai", "model", "market", "global", "technology", "industry", "system", "solution", "service"}
_TRAILING_GENERIC = {
    "market", "markets", "industry", "sector", "value", "size", "space", "segment", "revenue", "niche", "submarket",
}
# What a market sells, named after a name that is already whole: two reports call one market with and without it.
_OFFERING = {"service", "solution", "product"}
_LEADING_GENERIC = {"the", "global", "worldwide", "overall", "total", "entire"}
_WORD = r"(?:\d+[A-Za-z]|[A-Za-z])[\w&'’.\-]*"  # "3D printing", "5G": a name may start with digits glued to letters
# Words after which the preceding words name a market (or a part of one: "the Nordic oat-based cheese niche").
_MARKET_WORD = re.compile(r"\b(?:markets?|niche|segment|sub-?market)\b", re.IGNORECASE)
# Before it, "industry" and "sector" in running text close a market's name as "market" does ("the offshore wind
# sector"; not a heading's "Recent Industry Developments"); after them a name rarely follows ("the market for
# drones", never "the industry for drones").
_MARKET_WORD_AFTER_NAME = re.compile(r"\b(?:(?i:markets?|niche|segment|sub-?market)|industry|sector)\b")
_WORLDWIDE = re.compile(r"\b(global|globally|worldwide|world)\b", re.IGNORECASE)
_TRAILING_WORDS = re.compile(rf"((?:{_WORD}[ \t]+){{1,8}})$")
_LEADING_WORDS = re.compile(rf"\s+for\s+((?:{_WORD}[ \t]*){{1,8}})")

_SIZE_CUE = re.compile(r"market|industry|valu|worth|size|revenue|sales|reach|exceed|surpass|cross|cagr|forecast|project|"
                       r"estimat|spending|generat",
                       re.IGNORECASE)
_CAGR_AFTER = re.compile(
    r"^.{0,30}?\b(cagr|compound annual growth|annual growth rate|growth rate)", re.IGNORECASE | re.S
)
_CAGR_BEFORE = re.compile(
    r"\b(cagr|compound annual growth rate|growth rate|growing at|grow at|expanding at|expand at|annual rate)"
    r"\b[^%]{0,30}$",
    re.IGNORECASE | re.S,
)
# A share: a percentage that something holds of the market (not a growth rate).
_SHARE_CUE = re.compile(r"\bshares?\b|\baccount(?:s|ed)? for\b|\bheld\b|\bholds?\b|\bcaptur\w+|\bcontribut\w+|"
                        r"\bof (?:the )?(?:global |total |overall )?(?:market|demand|revenues?|sales)\b", re.IGNORECASE)
# A year named by pointing back to the sentence before: "accounted for 47.2% of revenue that year".
_THAT_YEAR = re.compile(r"\b(?:that|the same) year\b", re.IGNORECASE)
# Words of growth: a percentage near them is a rate of change, not a part of the whole.
_GROWTH_CUE = re.compile(r"\b(?:cagr|grow\w*|rate|ris\w+|increas\w*|expand\w*|declin\w*|fell|fall\w*|drop\w*|up|"
                         r"down|annual\w*|a year|per year|year-over-year|y-?o-?y|compound\w*|surg\w+|jump\w*)\b",
                         re.IGNORECASE)
# "... 63.8% of hardware and service revenue", "71.3% of that capacity": what the percentage is a part of.
_SHARE_OF = re.compile(r"^\s*of (?:the |its |that |this |all )?(?:[\w-]+ ){0,3}(?:market|demand|revenues?|sales|value|"
                       r"shipments|capacity|installations|spending|output|production)\b", re.IGNORECASE)
# A volume or capacity: a scaled number, or one with a unit of measure, that is not money.
_UNIT_AFTER = re.compile(rf"^\s*(GWh|MWh|TWh|kWh|GW|MW|kW|TW|{MASS_UNIT}|[a-z][a-z-]+(?:\s+units)?)\b")
# A unit of measure that says a number counts things, not money, even in a sentence with an amount of money.
_MEASURE_AFTER = re.compile(rf"^\s*(?:GWh|MWh|TWh|kWh|GW|MW|kW|TW|{MASS_UNIT}|units)\b")
_NOT_A_UNIT = {"in", "by", "to", "from", "of", "for", "and", "or", "at", "the", "a", "an", "over", "during", "between",
               "with", "as", "is", "are", "was", "were", "will", "until", "through", "than", "each", "per", "year",
               "years", "annually", "globally", "worldwide", "this", "that", "months", "month", "weeks", "week",
               "days", "day", "hours", "hour", "minutes",  # durations count time, not the market
               "respondents", "participants", "interviewees"}  # a survey's size is no volume of the market
# Clause boundaries: a region in another clause ("..., as Asia-Pacific leads") does not own the figure.
_CLAUSE = re.compile(r"[;,(]|\s[-–—]\s|\b(?:as|while|whereas|with|led by|driven by|and)\b", re.IGNORECASE)
_YEAR_AFTER_WINDOW = 40
_YEAR_BEFORE_WINDOW = 60


# --- market names -------------------------------------------------------------------------------


def _lowercase_words(text: str) -> set[str]:
    return set(re.findall(r"\b[a-z][a-z\-]*\b", text))


def _display(tokens: Sequence[str], lowercase: set[str]) -> str:
    """Lower-case the words the text also writes in lower case, keep acronyms and proper names:
    ["Large-scale", "AI", "Models"] -> "large-scale AI models",
    ["European", "EV", "Battery"] -> "European EV battery"."""
    words = []
    for token in tokens:
        word = token.lower()
        words.append(word if word in lowercase or _singular(word) in lowercase or word + "s" in lowercase else token)
    return " ".join(words)


def _clean(tokens: list[str]) -> list[str]:
    tokens = [t.strip(".'’") for t in tokens]
    while tokens and tokens[0].lower() in _LEADING_GENERIC:
        tokens = tokens[1:]
    return [t for t in tokens if t]


def _names_before_market(text: str, lowercase: set[str], sectors: bool = True) -> list[tuple[int, str]]:
    names = []
    for match in (_MARKET_WORD_AFTER_NAME if sectors else _MARKET_WORD).finditer(text):
        following = re.match(r"\s+([A-Za-z]+)", text[match.end() : match.end() + 40])
        if following and following.group(1).lower() in _NOT_A_MARKET_AFTER:
            continue
        before = text[max(0, match.start() - 200) : match.start()]
        # "the Cell and Gene Therapy (CGT) market": the name is before the acronym it is given.
        acronym = _ACRONYM_BEFORE.search(before)
        before = before[: acronym.start()] + " " if acronym else before
        run = _TRAILING_WORDS.search(before)
        if not run:
            continue
        tokens = run.group(1).split()[::-1]
        kept: list[str] = []
        for i, token in enumerate(tokens):
            starts_name = i + 2 >= len(tokens) or tokens[i + 2].lower() in NAME_BOUNDARY_WORDS
            if token.lower() == "and" and kept and i + 1 < len(tokens) and starts_name and \
                    _coordinated(tokens[i + 1], kept[0], first=i + 2 >= len(tokens)):
                kept[:0] = [tokens[i + 1], token]  # "cell and gene therapy": one name of two things sold together
                break
            if token.lower() in NAME_BOUNDARY_WORDS or token.lower().endswith(("'s", "’s")) or _RANKED.match(token):
                break
            kept.insert(0, token)
        kept = _clean(kept[-6:])
        if kept:
            end = match.start() - (len(text[max(0, match.start() - 200) : match.start()]) - len(before.rstrip()))
            names.append((end - len(" ".join(kept)), _display(kept, lowercase)))
    return names


_ACRONYM_BEFORE = re.compile(r"\s\([A-Z][A-Za-z0-9&-]{1,9}\)\s*$")


def _coordinated(word: str, next_word: str, first: bool = False) -> bool:
    """`word and next_word` joins two things a market sells ("Cell and Gene Therapy", "hardware and software"):
    two words of the same kind, written alike (but for the capital a `first` word of a line may have), neither a
    place, a figure nor a function word."""
    plain = word.strip(".,;:'’")
    alike = plain[:1].isupper() == next_word[:1].isupper() or (first and plain[:1].isupper())
    return (plain.isalpha() and plain.lower() not in NAME_BOUNDARY_WORDS and not is_region_word(plain)
            and not is_region_word(next_word) and alike and plain == word)


def _names_after_market(text: str, lowercase: set[str]) -> list[tuple[int, str]]:
    names = []
    for match in _MARKET_WORD.finditer(text):
        run = _LEADING_WORDS.match(text, match.end())
        if not run:
            continue
        kept: list[str] = []
        for token in run.group(1).split():
            if token.lower() in NAME_BOUNDARY_WORDS or _RANKED.match(token):
                break
            kept.append(token)
            if token.endswith((".", ",")):
                break
        kept = _clean(kept[:6])
        if kept:
            names.append((run.start(1), _display(kept, lowercase)))
    return names


def market_names(text: str, context: Optional[str] = None, sectors: bool = True) -> list[tuple[int, str]]:
    """(position, name) of every market the text names: "the X market", "the market for X", and with `sectors`
    "the X industry", "the X sector". Words that `context` (default: the text itself) writes in lower case are
    lower-cased in the names."""
    return _market_names(text, _lowercase_words(text if context is None else context), sectors)


def _market_names(text: str, lowercase: set[str], sectors: bool = True) -> list[tuple[int, str]]:
    found = _names_before_market(text, lowercase, sectors) + _names_after_market(text, lowercase)
    return sorted((position, name) for position, name in found if _is_name(name))


# The ways a report cuts a market, not things sold: "the largest application segment of the probiotics market".
_SEGMENTATION = {"application", "type", "product type", "end user", "end use", "component", "form", "ingredient",
                 "distribution channel", "channel", "deployment", "offering", "segment", "category", "vertical"}


def _is_name(name: str) -> bool:
    """A market's name says what is sold: not only digits, not only a place ("the Chinese market"), and not a way
    of segmenting it ("application")."""
    key = market_key(name)
    # "the wound-type segment", "the end-use category": named by the way it cuts the market, not by what it sells.
    cut = re.split(r"[\s-]+", key)[-1] in _SEGMENTATION
    return bool(key) and key not in _SEGMENTATION and not cut and not key.replace(" ", "").isdigit() and \
        not is_region_word(name) and not all(is_region_word(word) for word in name.split())


def _tokens(text: str) -> list[str]:
    words = re.sub(r"['’]s\b", "", text.lower())
    return [_singular(w) for w in re.split(r"[^a-z0-9&]+", words) if w]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def market_key(name: str) -> str:
    """Normalized market name: "Large-scale AI Models", "large scale AI model market", "large-scale AI" all
    give "large scale ai". "AI model(s)" counts as "AI" because reports use both for one market. A region is
    written by its one name: "Chinese e-bicycle" and "China e-bicycle" are one market."""
    for region in reversed(find_regions(name)):
        name = name[:region.start] + region.region + name[region.end:]
    tokens = _tokens(name)
    while tokens and tokens[0] in _LEADING_GENERIC:
        tokens = tokens[1:]
    while tokens and (tokens[-1] in _TRAILING_GENERIC or _singular(tokens[-1]) in _TRAILING_GENERIC):
        tokens = tokens[:-1]
    if len(tokens) >= 2 and tokens[-1] == "model" and tokens[-2] == "ai":
        tokens = tokens[:-1]
    if len(tokens) > 2 and _singular(tokens[-1]) in _OFFERING:
        tokens = tokens[:-1]  # "Buy Now Pay Later services" is the "buy now pay later" market; "IT services" stays
    return " ".join(tokens)


# --- extraction ---------------------------------------------------------------------------------


def _nearest_name(names: list[tuple[int, str]], position: int) -> Optional[str]:
    if not names:
        return None
    return min(names, key=lambda item: abs(item[0] - position))[1]


def _distinctive_keys(names: Sequence[str]) -> list[tuple[list[str], str]]:
    """(key words, name) for the names that say which market they mean, longest key first."""
    keys: dict[str, str] = {}
    for name in names:
        key = market_key(name)
        if key and set(key.split()) - _GENERIC:
            keys.setdefault(key, name)
    return sorted(((k.split(), n) for k, n in keys.items()), key=lambda item: -len(item[0]))


def _known_mentioned(sentence: str, known: Sequence[tuple[list[str], str]]) -> Optional[str]:
    """A market the report names elsewhere, mentioned in this sentence without the word "market"."""
    tokens = _tokens(sentence)
    for key, name in known:
        if any(tokens[i : i + len(key)] == key for i in range(len(tokens) - len(key) + 1)):
            return name
    return None


# "climb 5.6% a year", "grow 8% annually": a rate per year is a compound annual growth rate, however it is named.
_PER_YEAR = re.compile(r"^\s*(?:a|per|each|every)\s+year\b|^\s*(?:annually|per annum|yearly)\b", re.IGNORECASE)


# A measure as the subject of its own verb: "e-commerce sales surpassed", "Apple's revenue reached" (not "forecasts
# sales of", "lifted spending to").
_MEASURE = re.compile(r"\b([A-Za-z][\w&'’-]*)\s+(?:sales|revenues?|spending|turnover|income|profits?)\s+"
                      r"(?:\w+ed|rose|grew|fell|hit|stood|are|is|was|were|reach(?:es)?|totals?|exceeds?|surpass(?:es)?|"
                      r"tops?)\b", re.IGNORECASE)


def _measures_something_else(sentence: str, q: Quantity) -> bool:
    """The amount's clause measures a thing of its own ("e-commerce sales", "Apple's revenue"), in a sentence that
    names no market: that is no figure for the report's market."""
    start, _ = _clause_bounds(sentence, q)
    found = list(_MEASURE.finditer(sentence[start:q.start]))
    if not found:
        return False
    return re.sub(r"['’]s$", "", found[-1].group(1).lower()) not in _OWN_MEASURE


# An amount that is money paid into something (a budget, a funding round, an investment), not a market's size.
_SPENT_AFTER = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:of|in)\s+(?:new\s+|public\s+|federal\s+|government\s+)?"
                          r"(?:spending|funding|investments?|financing|grants?|subsid\w+|venture\s+capital)\b",
                          re.IGNORECASE)
_SPENT_BEFORE = re.compile(r"\b(?:rais(?:e|es|ed|ing)|invest(?:s|ed|ing)?|authori[sz](?:e|es|ed|ing)|allocat(?:e|es|ed|ing)|"
                           r"pledg(?:e|es|ed|ing)|earmark(?:s|ed)?|put|puts|pour(?:s|ed)?|secur(?:e|es|ed))\s+"
                           r"(?:(?:more\s+than|over|nearly|almost|about|around|some|an?\s+additional)\s+)?$",
                           re.IGNORECASE)


def _is_money_spent(sentence: str, q: Quantity) -> bool:
    start, _ = _clause_bounds(sentence, q)
    return bool(_SPENT_AFTER.match(sentence[q.end:]) or _SPENT_BEFORE.search(sentence[start:q.start]))


# Words before "sales" or "revenue" that leave them the market's own: "global sales", "its revenue".
_OWN_MEASURE = {"market", "markets", "industry", "sector", "global", "worldwide", "total", "overall", "annual", "its",
                "their", "the", "of", "in", "and", "whose", "yearly", "combined", "category", "segment", "retail",
                "net", "gross", "product", "unit", "world", "regional", "with", "a", "an", "by", "for", "to", "at",
                "as", "on", "from", "higher", "lower", "record"}


def _is_cagr(sentence: str, rate: Quantity, others: Sequence[Quantity]) -> bool:
    # In a table row ("Share of revenue: 38.3%; CAGR 2025-2031: 8.4%") the next cell's "CAGR" says nothing of this
    # one, and a cell whose own header names a share is a share. (A row label before the cell, "Market snapshot:
    # CAGR (2025-2030); Value: 5.9%", still names it.)
    if _SHARE_CUE.search(_cell_header(sentence, rate)):
        return False
    cell_end = sentence.find(";", rate.end)
    following = sentence[rate.end : cell_end if cell_end >= 0 else len(sentence)]
    if _PER_YEAR.match(following):
        return True
    after = _CAGR_AFTER.match(following)
    if after and not any(q.kind == "rate" and rate.end <= q.start < rate.end + after.end() for q in others):
        return True
    before = _CAGR_BEFORE.search(sentence[max(0, rate.start - 60) : rate.start])
    return before is not None


def _is_share(sentence: str, rate: Quantity, quantities: Sequence[Quantity] = ()) -> bool:
    """A percentage held of something: said in its clause, after it ("of revenue"), or by its table cell's header
    ("Revenue share, 2024: 58.0%"); or carried on from the clauses before it with no talk of growth between: "held
    the largest share of the market, 36.4% in 2024", "accounted for 38.5% of revenue, ahead of Europe at 34.0%"."""
    if (_SHARE_CUE.search(_clause_of(sentence, rate)) or _SHARE_OF.match(sentence[rate.end :])
            or _SHARE_CUE.search(_cell_header(sentence, rate))):
        return True
    if _GROWTH_CUE.search(_clause_of(sentence, rate)) or ";" in sentence[:rate.start]:
        return False  # a growth rate, or a table row's other cell
    earlier = [q for q in quantities if q.kind == "rate" and q.end <= rate.start]
    since = sentence[earlier[-1].end if earlier else 0 : rate.start]
    if _GROWTH_CUE.search(since):
        return False
    if earlier:
        return _is_share(sentence, earlier[-1], quantities)  # "..., followed by Europe at 25%": the same kind
    return bool(_SHARE_CUE.search(since))


def _same_cell(sentence: str, a: Quantity, b: Quantity) -> bool:
    return sentence.count(";", min(a.start, b.start), max(a.end, b.end)) == 0


def _cell_header(sentence: str, q: Quantity) -> str:
    """In a table row read as "Header: value; Header: value", the header of the cell holding `q` ("" if none)."""
    cell = sentence[sentence.rfind(";", 0, q.start) + 1 : q.start]
    return cell.rsplit(":", 1)[0] if ":" in cell else ""


def _says_worldwide(sentence: str) -> bool:
    return _WORLDWIDE.search(sentence) is not None


def _clause_region(sentence: str, q: Quantity, regions: Sequence[RegionMention]) -> Optional[RegionMention]:
    """The region of the clause that states the figure: "North America held USD 91.4 billion" is North America's,
    "USD 143.76 billion by 2031, as Asia-Pacific leads" is the whole market's."""
    start, end = _clause_bounds(sentence, q)
    clause = sentence[start:end]
    if _says_worldwide(clause):
        return None
    inside = [r for r in regions if start <= r.start < end]
    if inside:
        return _the_region_named(sentence, inside)
    # "North America was the second-largest region, with revenue of USD 9 billion": a region before the figure, as
    # the sentence's subject, owns it; one in a later clause ("..., as Asia-Pacific leads") does not.
    before = [r for r in regions if r.end <= q.start]
    return _the_region_named(sentence, before) if before and not _says_worldwide(sentence[: q.start]) else None


def _the_region_named(sentence: str, regions: Sequence[RegionMention]) -> RegionMention:
    """The first region, unless another is called the region: "volumes in China will give the Asia-Pacific region
    the highest growth rate, 22.8%" is Asia-Pacific's figure."""
    return next((r for r in regions if re.match(r"\s*region\b", sentence[r.end:], re.IGNORECASE)), regions[0])


def _clause_bounds(sentence: str, q: Quantity) -> tuple[int, int]:
    bounds = [0] + [m.start() for m in _CLAUSE.finditer(sentence)] + [len(sentence)]
    return max(b for b in bounds if b <= q.start), min((b for b in bounds if b > q.start), default=len(sentence))


def _clause_of(sentence: str, q: Quantity) -> str:
    start, end = _clause_bounds(sentence, q)
    return sentence[start:end]


def _volume_unit(sentence: str, q: Quantity) -> Optional[str]:
    """ "7.6 million units", "12 GW", "152.4 million smart meters": the unit a non-money quantity is counted in."""
    scaled = any(c.isalpha() for c in q.text)
    following = _UNIT_AFTER.match(sentence[q.end : q.end + 40])
    word = following.group(1) if following else None
    if word and word.lower() not in _NOT_A_UNIT and word.lower() not in NAME_BOUNDARY_WORDS:  # "46.7 million it moved"
        if word.isupper() or word.lower().endswith(("s", "units")) or scaled:
            return word
    return "units" if scaled and q.value >= 1e5 and re.search(r"\bunits?\b", sentence, re.IGNORECASE) else None


def _is_scaled_number(q: Quantity) -> bool:
    """ "19.7 bn": an amount written without its currency."""
    return q.kind == "number" and q.value >= 1000 and any(c.isalpha() for c in q.text)


def _size_year(money: Quantity, quantities: Sequence[Quantity]) -> Optional[int]:
    def clear_between(a: int, b: int, alike: bool = False) -> bool:
        return not any((q.kind == "money" or _is_scaled_number(q) or alike and q.kind == money.kind == "number")
                       and a <= q.start < b for q in quantities)

    years = [q for q in quantities if q.kind == "year"]
    # A year after the amount is another amount's when one of its kind comes between: "reach 330 GW, up from 34 GW
    # in 2020" dates only the 34 GW. (A year before one dates all that follow: "in 2021, 13 GW ..., taking it to
    # 46 GW".)
    after = [q for q in years if 0 <= q.start - money.end <= _YEAR_AFTER_WINDOW
             and clear_between(money.end, q.start, alike=True)]
    if after:
        return int(min(after, key=lambda q: q.start).value)
    before = [q for q in years if 0 <= money.start - q.end <= _YEAR_BEFORE_WINDOW and clear_between(q.end, money.start)]
    if before:
        return int(max(before, key=lambda q: q.start).value)
    # "In 2023, North America held over 49.6% market share, with revenue totaling USD 5.3 Billion": the one year
    # of a sentence, opening it, dates what it goes on to state, however far on.
    if len(years) == 1 and not any(q.kind == "period" for q in quantities) and years[0].end <= money.start \
            and clear_between(years[0].end, money.start):
        return int(years[0].value)
    return None


def _cagr_period(rate: Quantity, quantities: Sequence[Quantity]) -> Optional[tuple[int, int]]:
    periods = [q for q in quantities if q.kind == "period" and q.period]
    if not periods:
        return None
    following = [q for q in periods if q.start >= rate.end]
    chosen = min(following, key=lambda q: q.start) if following else max(periods, key=lambda q: q.start)
    return chosen.period


# A headline's subject ends where its verb begins: "North American Smart Electricity Meter Base to Reach ...".
_HEADLINE_VERB = re.compile(
    r"\s(?:to|will|is|are|set|expected|projected|forecast|poised|worth|valued|grows?|grew|reach(?:es)?|hits?|"
    r"surges?|rises?|climbs?|soars?|jumps?|doubles?|expands?|could|may|can|market)\b", re.IGNORECASE)
_HEADLINE_TAIL = {"base", "installed", "sales", "shipments", "demand", "revenue", "revenues", "size", "value",
                  "spending", "volume", "volumes", "capacity", "installations", "deployments", "growth", "units"}


def headline_subject(title: str, lowercase: set[str], body: Optional[str] = None) -> Optional[str]:
    """What a release headline is about when it does not write "X market": its words before the verb, without
    region or measure words ("smart electricity meter"). Given the `body`, only as many of its leading words as
    the body itself writes, when it writes some: "E-Bikes Catch On Outside China" is about "e-bikes"."""
    verb = _HEADLINE_VERB.search(title)
    if verb is None:
        return None
    subject = re.split(r"\s[–—-]\s|:|\|", title[: verb.start()])[0]
    for region in reversed(find_regions(subject)):
        subject = subject[: region.start] + subject[region.end :]
    words = [w.strip(",:;'\"“”") for w in subject.split()]
    words = [w for w in words if w and w.lower() not in _LEADING_GENERIC]
    while words and words[-1].lower() in _HEADLINE_TAIL:
        words.pop()
    if not words or len(words) > 6 or any(c.isdigit() for w in words for c in w):
        return None
    if body is not None:
        written = f" {' '.join(_tokens(body))} "
        repeated = [n for n in range(len(words), 0, -1) if f" {' '.join(_tokens(' '.join(words[:n])))} " in written]
        words = words[:repeated[0]] if repeated else words  # a body that never repeats it leaves it whole
    name = _display(words, lowercase)
    return name if _is_name(name) else None


def _top(q: Quantity) -> float:
    """The high end of a range, else the figure."""
    return q.value if q.high is None else q.high


def _defined_subject(text: str) -> Optional[str]:
    """A report that never writes "the X market" is about the thing it defines and keeps naming: "Carbon capture,
    utilization, and storage (CCUS) ... CCUS ... CCUS". (A defined metric, "compound annual growth rate (CAGR)",
    is no subject.)"""
    uses = Counter()
    for acronym, expansion in defined_acronyms(text).items():
        if not any(w in FIGURE_NOUNS for w in market_key(expansion).split()):
            uses[acronym] = len(re.findall(rf"\b{re.escape(acronym)}\b", text))
    best = uses.most_common(1)
    return best[0][0] if best and best[0][1] >= 3 else None


def extract_facts(report: Report, passages: Sequence[Passage]) -> list[Fact]:
    """Every market size and CAGR stated in the report, each with its market, passage and sentence."""
    text = report.text
    lowercase = _lowercase_words(text)
    title_names = [name for _, name in _market_names(report.title, lowercase)]
    if not title_names:
        subject = headline_subject(report.title, lowercase, text[len(report.title):] if text.startswith(
            report.title) else text)
        title_names = [subject] if subject else []
    text_names = [name for _, name in _market_names(text, lowercase)]
    counts = Counter(market_key(name) for name in title_names + text_names)
    # A name written once in passing ("a market for content creation") is not the report's subject.
    report_names = title_names + [name for name in text_names if counts[market_key(name)] >= 2]
    known = _distinctive_keys(report_names)
    dominant = None
    if counts:
        top_key = counts.most_common(1)[0][0]
        dominant = max((n for n in title_names + text_names if market_key(n) == top_key), key=len)
    else:
        dominant = _defined_subject(text)
    # A report whose title names one region ("North American Smart Electricity Meter Base to Reach ...") is about
    # that region: a figure its sentences give without naming a region is that region's.
    # The region must qualify the name ("North American Smart ... Meter"), not stand elsewhere in the headline
    # ("E-Bikes Catch On Outside China").
    subject_words = {name.split()[0].lower() for name in title_names if name.split()}
    title_regions = sorted({r.region for r in find_regions(report.title)
                            if report.title[r.end:].split()[:1]
                            and report.title[r.end:].split()[0].lower().strip(",:;") in subject_words})
    report_region = title_regions[0] if len(title_regions) == 1 else None
    facts: list[Fact] = []
    kinds_of: dict[tuple[int, int], str] = {}  # each sentence's structure kind
    last_heading: Optional[str] = None
    context_name: Optional[str] = None
    last_year: Optional[int] = None  # the latest year written, for "that year" in the next sentence
    for passage in passages:
        if passage.heading != last_heading:
            last_heading, context_name = passage.heading, None
        spans = passage.sentences or ((passage.start, passage.end),)
        kinds = dict(zip(passage.sentences, passage.kinds))
        kinds_of.update(kinds)
        for start, end in spans:
            sentence = text[start:end]
            names = _market_names(sentence, lowercase)
            mentioned = _known_mentioned(sentence, known)
            quantities = find_quantities(sentence) if any(c.isdigit() for c in sentence) else []
            fallback = (
                mentioned
                or context_name
                or _nearest_name(_market_names(passage.heading, lowercase), 0)
                or (title_names[0] if title_names else None)
                or dominant
            )
            currencies = [q for q in quantities if q.kind == "money"]
            # The dateline's city and country ("PUNE, India /PRNewswire/ --") say where the release was issued.
            regions = [r for r in find_regions(sentence) if r.start >= dateline_end(sentence)] if quantities else []
            table_row = kinds.get((start, end)) == "table row"
            for q in quantities:
                # A table row's year is in its own cell ("Share (2024): 38%; CAGR 2025-2030: 9%").
                cell = [x for x in quantities if _same_cell(sentence, q, x)] if table_row else quantities
                metric = None
                unit = q.unit
                counted = q.kind == "number" and _MEASURE_AFTER.match(sentence[q.end : q.end + 40]) is not None
                if _is_scaled_number(q) and currencies and not counted:
                    # "USD 5.6 billion in 2023 ... 19.7 bn by 2030": the currency of the same sentence.
                    unit = min(currencies, key=lambda c: abs(c.start - q.start)).unit
                if (q.kind == "money" or unit != q.unit) and q.value > 0 and _SIZE_CUE.search(sentence):
                    if not (names or mentioned) and _measures_something_else(sentence, q):
                        continue  # "global e-commerce sales surpassed US$ 6.6 trillion": not this market's size
                    if _is_money_spent(sentence, q):
                        continue  # "authorising $1.2 billion of spending", "raised $19 million": money paid out
                    metric = "size"
                elif q.kind == "rate" and -100 < q.value and _top(q) < 1000 and _is_cagr(sentence, q, quantities):
                    metric = "cagr"
                # A share below 100%: 100% is the whole (a table's "Total" row, "shares may not add to 100%").
                elif q.kind == "rate" and 0 < q.value and _top(q) < 100 and _is_share(sentence, q, quantities):
                    metric = "share"
                elif q.kind == "number" and q.value > 0 and (counted or not currencies) and _volume_unit(sentence, q):
                    metric, unit = "volume", _volume_unit(sentence, q) or ""
                if metric is None:
                    continue
                market = _nearest_name(names, q.start) or fallback
                if market is None:
                    continue
                region = _clause_region(sentence, q, regions) if metric != "share" else None
                if region is not None and not regions_in(market):
                    market = f"{region.text} {market}"
                elif report_region and not regions_in(market) and not (region or regions):
                    market = f"{report_region} {market}"
                value, value_high, value_text = q.value, q.high, q.text
                if metric == "volume" and (mass := in_tonnes(1.0, unit)) is not None:
                    # "40 Mt", "1.27 gigatonnes": a mass in tonnes, shown as written.
                    value, value_high, value_text = q.value * mass[0], q.high and q.high * mass[0], f"{q.text} {unit}"
                    unit = mass[1]
                facts.append(
                    Fact(
                        market=market,
                        metric=metric,
                        value=value,
                        unit=unit,
                        year=(_size_year(q, cell) or (last_year if _THAT_YEAR.search(sentence) else None))
                        if metric in ("size", "volume", "share") else None,
                        period=_cagr_period(q, quantities) if metric == "cagr" else None,
                        doc=report.doc,
                        passage=passage.id,
                        quote=sentence,
                        start=start,
                        end=end,
                        value_text=value_text,
                        value_high=value_high,
                    )
                )
            if names or mentioned:
                context_name = _nearest_name(names, len(sentence)) or mentioned
            stated_years = [int(q.value) for q in quantities if q.kind == "year"]
            last_year = stated_years[-1] if stated_years else last_year
    framing = {(f.start, f.end) for f in facts if kinds_of.get((f.start, f.end)) in CONTEXT_ONLY}
    return _unify_names(_stated_in_body(facts, framing), report_names, defined_acronyms(text))


def _stated_in_body(facts: list[Fact], framing: set[tuple[int, int]]) -> list[Fact]:
    """A headline's or caption's figure that the body states too is the body's: the fact cites the sentence that
    says it, not the page's frame ("Driving 12.1% CAGR in the Large-scale AI Market")."""
    def key(f: Fact) -> tuple:
        return (f.metric, round(f.value, 9), f.unit, f.year, f.period)

    in_body = {key(f) for f in facts if (f.start, f.end) not in framing}
    return [f for f in facts if (f.start, f.end) not in framing or key(f) not in in_body]


def _unify_names(facts: list[Fact], report_names: Sequence[str], acronyms: dict[str, str]) -> list[Fact]:
    """One display name per market within a report: the longest way the report writes it, with the acronyms it
    defines read out ("EV charging station" and "electric vehicle charging station" are one market)."""
    longest: dict[str, str] = {}

    def key_of(name: str) -> str:
        return market_key(expand(name, acronyms))

    for name in list(report_names) + [f.market for f in facts]:
        key = key_of(name)
        if key not in longest or len(expand(name, acronyms)) > len(expand(longest[key], acronyms)):
            longest[key] = name
    return [f if longest[key_of(f.market)] == f.market else _replace_market(f, longest[key_of(f.market)])
            for f in facts]


def clipped_variant(short: str, long: str) -> bool:
    """Is `short` the market `long` with a word clipped, as reports write it ("Li-ion battery recycling" for
    "lithium-ion battery recycling")? The same words in the same order, one or more cut to their first two
    letters (three would take "bio-plastics" for "biodegradable plastics"). A word written in capitals is an acronym, not a clipping: "AI chips" is no "aircraft chips"."""
    written = re.findall(r"[A-Za-z0-9]+", short)
    a, b = market_key(short).split(), market_key(long).split()
    if len(a) != len(b) or a == b:
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        if not (len(x) == 2 and x.isalpha() and y.startswith(x) and len(y) >= 5) or \
                any(w.lower() == x and w.isupper() for w in written):
            return False
    return True


def merge_clipped(names: Sequence[str]) -> dict[str, str]:
    """Market key -> the key of the market it clips a word of, for every such name among `names`."""
    by_length: dict[int, list[str]] = {}
    for name in names:
        by_length.setdefault(len(market_key(name).split()), []).append(name)
    merged: dict[str, str] = {}
    for group in by_length.values():
        for short in group:
            long = next((n for n in group if clipped_variant(short, n)), None)
            if long is not None:
                merged[market_key(short)] = market_key(long)
    return merged


def merge_reordered(keys: Sequence[str]) -> dict[str, str]:
    """Market key -> the key of the same words in another order ("delivery drone" -> "drone delivery"): the
    first of `keys` (in their order of preference) stands for the others."""
    first: dict[tuple[str, ...], str] = {}
    merged: dict[str, str] = {}
    for key in keys:
        words = tuple(sorted(key.split()))
        if len(words) < 2:
            continue
        into = first.setdefault(words, key)
        if into != key:
            merged[key] = into
    return merged


def canonical_markets(facts: Sequence[Fact], acronyms: dict[str, str]) -> list[Fact]:
    """One name per market across the whole corpus: "tractor" and "tractors", "EV charging station" and
    "electric vehicle charging station" (with EV defined in any report), "Li-ion" and "lithium-ion" battery
    recycling are one market, named as most reports name it."""
    clipped = merge_clipped(list({expand(f.market, acronyms) for f in facts}))
    names: dict[str, Counter[str]] = {}
    for fact in facts:
        key = market_key(expand(fact.market, acronyms))
        names.setdefault(clipped.get(key, key), Counter())[fact.market] += 1
    # "drone delivery" and "delivery drone" are one market, named as most facts name it.
    reordered = merge_reordered(sorted(names, key=lambda k: -sum(names[k].values())))
    for key, into in reordered.items():
        names[into].update(names.pop(key))
    clipped.update({key: reordered.get(into, into) for key, into in clipped.items()})
    clipped.update(reordered)
    # Written out beats an acronym ("remote patient monitoring" over "RPM"), then the most used, then the longest.
    chosen = {key: max(counter, key=lambda n: (expand(n, acronyms) == n, counter[n], len(n)))
              for key, counter in names.items()}
    chosen = {key: expand(name, acronyms) for key, name in chosen.items()}  # "RPM" is read out
    for key, into in clipped.items():
        while into in clipped and clipped[into] != key:  # "Li-ion" -> "Lit-ion" -> "lithium-ion", however unlikely
            into = clipped[into]
        if into in chosen:
            chosen[key] = chosen[into]

    def name_of(fact: Fact) -> str:
        return chosen[market_key(expand(fact.market, acronyms))]

    return [f if name_of(f) == f.market else _replace_market(f, name_of(f)) for f in facts]


def _replace_market(fact: Fact, market: str) -> Fact:
    row = fact_to_row(fact)
    row["market"] = market
    return fact_from_row(row)


# --- rows for CSV / JSON ------------------------------------------------------------------------

def fact_value_text(fact: Fact) -> str:
    """How a fact reads in a listing or an answer: as the report writes it, and a range always with both ends in
    one unit ("USD 1.2–1.5 billion", "8–10%", "12–15 GW"), never one end alone."""
    if fact.value_high is not None:
        return format_range(fact.value, fact.value_high, fact.unit)
    text = fact.value_text or (f"{format_number(fact.value, 2)}%" if fact.unit == "%" else
                               format_amount(fact.value, fact.unit))
    if fact.metric == "volume" and fact.unit.lower() not in text.lower() and not re.search(rf"\b{MASS_UNIT}$", text):
        text = f"{text} {fact.unit}"  # "589" counts GW
    return text


def fact_to_row(fact: Fact) -> dict[str, Any]:
    return {
        "market": fact.market,
        "metric": fact.metric,
        "value": fact.value,
        "unit": fact.unit,
        "year": fact.year,
        "period": f"{fact.period[0]}-{fact.period[1]}" if fact.period else None,
        "doc": fact.doc,
        "passage": fact.passage,
        "quote": fact.quote,
        "start": fact.start,
        "end": fact.end,
        "value_text": fact.value_text,
        "value_high": fact.value_high,
    }


def facts_to_rows(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    """Flat rows (period as "2025-2031", `value_high` empty unless the figure is a range) that survive both JSON
    and CSV."""
    return [fact_to_row(f) for f in facts]


def _optional(value: Any, field: str, convert, what: str):
    if value is None or value == "":
        return None
    try:
        return convert(value)
    except (TypeError, ValueError):
        raise MarketQAError(f"facts table: {field} must be {what}, got {value!r}") from None


def _optional_int(value: Any, field: str) -> Optional[int]:
    return _optional(value, field, int, "a whole number")


def _optional_float(value: Any, field: str) -> Optional[float]:
    return _optional(value, field, float, "a number")


def _period(value: Any) -> Optional[tuple[int, int]]:
    if value is None or value == "":
        return None
    if isinstance(value, (list, tuple)) and len(value) == 2:
        first, last = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{4}", value.strip()):
        first, last = value.strip().split("-")
    else:
        raise MarketQAError(f"facts table: period must look like 2025-2031, got {value!r}")
    return (_optional_int(first, "period") or 0, _optional_int(last, "period") or 0)


def fact_from_row(row: dict[str, Any]) -> Fact:
    try:
        return Fact(
            market=str(row["market"]),
            metric=str(row["metric"]),
            value=float(row["value"]),
            unit=str(row["unit"]),
            year=_optional_int(row.get("year"), "year"),
            period=_period(row.get("period")),
            doc=str(row["doc"]),
            passage=str(row["passage"]),
            quote=str(row["quote"]),
            start=int(row["start"]),
            end=int(row["end"]),
            value_text=str(row.get("value_text") or ""),
            value_high=_optional_float(row.get("value_high"), "value_high"),  # absent in tables written before ranges
        )
    except KeyError as missing:
        raise MarketQAError(f"facts table: a row lacks the field {missing}") from None
    except (TypeError, ValueError) as error:
        raise MarketQAError(f"facts table: malformed row ({error})") from None


def facts_from_rows(rows: Iterable[dict[str, Any]]) -> list[Fact]:
    """Facts back from `facts_to_rows` output (JSON values or CSV strings); rows without `value_high` (tables
    written before ranges were kept) read as single figures."""
    return [fact_from_row(row) for row in rows]
