"""Finding and normalizing the quantities written in text: money, rates, years, periods, durations, numbers.

Pure functions, no I/O. Everything downstream (facts, the calculator router, the LLM guard) reads numbers
through this module, so a figure means the same thing wherever it is parsed:

- money: whole currency units with an ISO code ("US$ 8,934 million" -> 8934000000.0 "USD");
- rate: a percent number ("12.1 per cent" -> 12.1 "%");
- year: the year as written ("by 2031" -> 2031);
- period: its start year in `value` and both ends in `period` ("2025-2031" -> (2025, 2031));
- duration: years ("over 6 years", "seven years", "a decade");
- number: anything else numeric, scaled when a scale word follows ("19.7 bn" -> 19700000000.0, no currency).

Amounts are parsed with `Decimal` so "19,700 million" and "19.7 billion" give the same float.

"the end of the decade" is resolved against the year nearest to it in the same text (a period counts by
its start year): the end of that year's decade is the next multiple of ten (2024 -> 2030, 2030 -> 2040).
With no year in the text, the current calendar year is the reference.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Optional

from .models import MarketQAError


class QuantityError(MarketQAError):
    """Text that should hold exactly one quantity of a kind does not."""


@dataclass(frozen=True)
class Quantity:
    kind: str  # "money" | "rate" | "year" | "period" | "duration" | "number"
    value: float
    unit: str  # ISO code for money, "%", "year", "period", "years", "" for numbers
    start: int  # span of the matched text in the input string
    end: int
    text: str  # input[start:end]
    period: Optional[tuple[int, int]] = None  # for kind "period" only


# --- building blocks of the patterns -------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_YEAR = r"(?:19\d{2}|20\d{2}|2100)"
# A number must not continue a word, a decimal or an identifier such as "GPT-4"; currency symbols are
# excluded so a failed money match is not re-read as a plain number.
_START = r"(?<![\w.,$€£¥₹])(?<![A-Za-z]-)"
# ...and must not run into letters or digits ("1e400", "5G", "1.2.3" are not quantities).
_END = r"(?![\w])(?![.,]\d)"
_SCALE_WORDS = r"trillion|billion|million|thousand|crore|lakh|bn|bln|mn|mln|mil|tn|trn"
_SCALE_ANY = _SCALE_WORDS + r"|k|m|b|t"
_CURRENCY_PREFIX = (
    r"US\$|HK\$|A\$|C\$|S\$|USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|SGD|HKD|\$|€|£|¥|₹|Rs\.?"
)
_CURRENCY_SUFFIX = (
    r"USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|SGD|HKD|(?:US\s)?dollars?|euros?|pounds\ssterling"
    r"|yen|yuan|renminbi|rupees?"
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_WORD_NUMBER_RE = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))

_SCALES: dict[str, Decimal] = {
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
    "lakh": Decimal(10) ** 5, "crore": Decimal(10) ** 7,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "mil": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "bln": Decimal(10) ** 9, "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "trn": Decimal(10) ** 12, "t": Decimal(10) ** 12,
}

_CURRENCIES: dict[str, str] = {
    "US$": "USD", "$": "USD", "DOLLAR": "USD", "DOLLARS": "USD", "US DOLLAR": "USD", "US DOLLARS": "USD",
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR",
    "£": "GBP", "POUNDS STERLING": "GBP",
    "¥": "JPY", "YEN": "JPY",
    "RMB": "CNY", "YUAN": "CNY", "RENMINBI": "CNY",
    "₹": "INR", "RS": "INR", "RS.": "INR", "RUPEE": "INR", "RUPEES": "INR",
    "A$": "AUD", "C$": "CAD", "S$": "SGD", "HK$": "HKD",
}
_ISO_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "AUD", "CAD", "CHF", "SGD", "HKD"}

# Patterns in priority order: when two candidates start at the same place, the earlier pattern wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Phone numbers and dates ("001-626-842-1666", "2024-05-01") are read as nothing at all.
    ("skip", re.compile(r"(?<![\w+])\+?\d{1,4}(?:[-.]\d{2,4}){2,}(?![\w])|\(\d{3}\)\s?\d{3}[-.\s]\d{4}(?!\d)")),
    ("period", re.compile(
        rf"\b(?:from|between)\s+(?:the\s+years?\s+)?(?:FY\s?)?(?P<a>{_YEAR})"
        rf"\s*(?:to|and|through|thru|until|till|-|–|—)\s*(?:FY\s?)?(?P<b>{_YEAR}){_END}",
        re.IGNORECASE)),
    ("period", re.compile(
        rf"{_START}(?P<a>{_YEAR})(?:\s*[-–—/]\s*|\s+(?:to|through|thru|until|till)\s+)(?P<b>{_YEAR}|\d{{2}}){_END}",
        re.IGNORECASE)),
    ("money", re.compile(
        rf"(?<![A-Za-z0-9])(?P<cur>{_CURRENCY_PREFIX})\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE_ANY}))?{_END}",
        re.IGNORECASE)),
    ("money", re.compile(
        rf"{_START}(?P<num>{_NUM})\s?(?:(?P<scale>{_SCALE_ANY})\s?)?(?P<cur>{_CURRENCY_SUFFIX})(?![\w])",
        re.IGNORECASE)),
    ("rate", re.compile(
        rf"{_START}(?P<sign>[-−+])?(?P<num>{_NUM})\s?"
        r"(?:%|(?:percentage\s+points?|percent|per\s?cent|pct)(?![A-Za-z]))",
        re.IGNORECASE)),
    ("duration", re.compile(
        rf"{_START}(?P<sign>[-−])?(?:(?P<num>{_NUM})|(?P<word>{_WORD_NUMBER_RE}))[\s-](?:years?|yrs?)(?![A-Za-z])",
        re.IGNORECASE)),
    ("decades", re.compile(
        rf"\b(?:(?P<num>\d+)|(?P<word>a|{_WORD_NUMBER_RE}))\s+decades?\b", re.IGNORECASE)),
    ("year", re.compile(rf"(?<![A-Za-z0-9])FY\s?'?(?P<num>{_YEAR}){_END}", re.IGNORECASE)),
    ("end_of_decade", re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+decade\b", re.IGNORECASE)),
    ("number", re.compile(rf"{_START}(?P<num>{_NUM})\s?(?P<scale>{_SCALE_WORDS}){_END}", re.IGNORECASE)),
    ("number", re.compile(rf"{_START}(?P<sign>[-−])?(?P<num>{_NUM}){_END}")),
]


def _decimal(text: str) -> Optional[Decimal]:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _finite(value: Decimal) -> Optional[float]:
    try:
        result = float(value)
    except (OverflowError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _currency_code(raw: str) -> str:
    key = re.sub(r"\s+", " ", raw.strip()).upper()
    return key if key in _ISO_CODES else _CURRENCIES[key]


def _amount(match: re.Match[str]) -> Optional[float]:
    number = _decimal(match.group("num"))
    if number is None:
        return None
    scale = match.groupdict().get("scale")
    if scale:
        number *= _SCALES[scale.lower()]
    if match.groupdict().get("sign") in ("-", "−"):
        number = -number
    return _finite(number)


def _candidate(kind: str, match: re.Match[str]) -> Optional[Quantity]:
    """Turn one regex match into a Quantity, or None when the match does not hold up."""
    start, end, text = match.start(), match.end(), match.group(0)
    if kind == "skip":
        return Quantity("skip", 0.0, "", start, end, text)
    if kind == "period":
        first = int(match.group("a"))
        last_text = match.group("b")
        last = first // 100 * 100 + int(last_text) if len(last_text) == 2 else int(last_text)
        if last <= first:
            return None
        return Quantity("period", float(first), "period", start, end, text, (first, last))
    if kind == "money":
        value = _amount(match)
        if value is None:
            return None
        return Quantity("money", value, _currency_code(match.group("cur")), start, end, text)
    if kind == "rate":
        value = _amount(match)
        return None if value is None else Quantity("rate", value, "%", start, end, text)
    if kind in ("duration", "decades"):
        word = match.group("word")
        if word is not None:
            count: Optional[float] = 1.0 if word.lower() == "a" else float(_WORD_NUMBERS[word.lower()])
        else:
            count = _amount(match)
        if count is None:
            return None
        return Quantity("duration", count * (10 if kind == "decades" else 1), "years", start, end, text)
    if kind == "year":
        return Quantity("year", float(match.group("num")), "year", start, end, text)
    if kind == "end_of_decade":
        return Quantity("year", 0.0, "year", start, end, text)  # resolved once all years are known
    value = _amount(match)
    if value is None:
        return None
    digits = match.group("num")
    is_year = (
        not match.groupdict().get("scale")
        and not match.groupdict().get("sign")
        and re.fullmatch(_YEAR, digits) is not None
    )
    if is_year:
        return Quantity("year", value, "year", start, end, text)
    return Quantity("number", value, "", start, end, text)


def _resolve_decade_ends(found: list[Quantity]) -> list[Quantity]:
    anchors = [
        (q.start, int(q.value)) for q in found if q.kind == "period" or (q.kind == "year" and q.value)
    ]
    resolved = []
    for q in found:
        if q.kind == "year" and not q.value:
            if anchors:
                reference = min(anchors, key=lambda anchor: abs(anchor[0] - q.start))[1]
            else:
                reference = date.today().year
            q = Quantity("year", float((reference // 10 + 1) * 10), "year", q.start, q.end, q.text)
        resolved.append(q)
    return resolved


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order of position, non-overlapping. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    candidates: list[tuple[int, int, Quantity]] = []
    for priority, (kind, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            quantity = _candidate(kind, match)
            if quantity is not None:
                candidates.append((quantity.start, priority, quantity))
    candidates.sort(key=lambda item: (item[0], item[1]))
    accepted: list[Quantity] = []
    taken_until = 0
    for start, _, quantity in candidates:
        if start >= taken_until:
            accepted.append(quantity)
            taken_until = quantity.end
    return _resolve_decade_ends([q for q in accepted if q.kind != "skip"])


def _exactly_one(text: str, kind: str, label: str) -> Quantity:
    found = [q for q in find_quantities(text) if q.kind == kind]
    if len(found) == 1:
        return found[0]
    if not found:
        hint = ""
        if kind == "money" and any(q.kind == "number" for q in find_quantities(text)):
            hint = " (a number without a currency is not an amount of money)"
        raise QuantityError(f"No {label} found in {text[:80]!r}{hint}.")
    raise QuantityError(f"Expected one {label} in {text[:80]!r}, found {len(found)}.")


def parse_money(text: str) -> Quantity:
    """The single money amount in `text`; QuantityError when there is none or more than one."""
    return _exactly_one(text, "money", "money amount")


def parse_rate(text: str) -> Quantity:
    """The single percentage in `text`; QuantityError when there is none or more than one."""
    return _exactly_one(text, "rate", "percentage")


def amounts_equal(a: float, b: float, rel_tol: float = 1e-9) -> bool:
    """True when two amounts are the same figure, whatever scale word they were written with."""
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)


_DISPLAY_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_number(value: float, decimals: int = 3) -> str:
    """Thousands separators, at most `decimals` decimals, no trailing zeros: 8934.0 -> "8,934"."""
    if not math.isfinite(value):
        raise QuantityError(f"Cannot format a non-finite number ({value}).")
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_CURRENCY_WORD = re.compile(rf"(?:{_CURRENCY_PREFIX})\s?\d|\b(?:{_CURRENCY_SUFFIX})\b|\bin\s+(?:US\s+)?(?:dollars|euros)\b",
                            re.IGNORECASE)


def mentions_currency(text: str) -> bool:
    """ "worth in US dollars", "USD", "$5bn": the text asks about money."""
    return bool(_CURRENCY_WORD.search(text))


def format_amount(value: float, unit: str) -> str:
    """Money as format_money does; any other unit after the number: "17 million units", "12.5 GW"."""
    if not unit or unit in _ISO_CODES:
        return format_money(value, unit)
    return f"{format_money(value, '')} {unit}"


def format_money(value: float, unit: str) -> str:
    """A readable amount: format_money(19.7e9, "USD") -> "USD 19.7 billion"."""
    if not math.isfinite(value):
        raise QuantityError(f"Cannot format a non-finite amount ({value}).")
    prefix = f"{unit} " if unit else ""
    for scale, word in _DISPLAY_SCALES:
        if abs(value) >= scale:
            return f"{prefix}{format_number(value / scale)} {word}"
    # Below a thousand, three decimals: "USD 1.625" reads back as what it was.
    return f"{prefix}{format_number(value, 3 if abs(value) < 1000 else 2)}"
