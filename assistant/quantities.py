"""Finding and normalizing the quantities written in text: money, rates, years, periods, durations, numbers.

Pure functions, no I/O. Everything downstream (facts, the calculator router, the LLM guard) reads numbers
through this module, so a figure means the same thing wherever it is parsed:

- money: whole currency units with an ISO code ("US$ 8,934 million" -> 8934000000.0 "USD");
- rate: a percent number ("12.1 per cent" -> 12.1 "%");
- year: the year as written ("by 2031" -> 2031);
- period: its start year in `value` and both ends in `period` ("2025-2031" -> (2025, 2031));
- duration: years ("over 6 years", "seven years", "a decade");
- number: anything else numeric, scaled when a scale word follows ("19.7 bn" -> 19700000000.0, no currency).

A range is one quantity: its low end in `value`, its high end in `high` ("$1.2-1.5 billion" -> 1.2e9 and 1.5e9
USD; "8%-10%", "8 to 10 percent", "between USD 3.4 and 4.1 billion", "12–15 GW", "5-10 years"). A scale word or
currency written once applies to both ends. "from USD 3.4 billion to USD 5.1 billion" is a start and an end
value, not a range, and "2025-2031" stays a period. A minus sign is a sign only where it cannot be the hyphen
of a range: never right after a figure ("8%-10%", "12 -15").

Amounts are parsed with `Decimal` so "19,700 million" and "19.7 billion" give the same float.

Signs and notations a reader could take two ways are never guessed:
- a minus sign written against an amount of money is its sign: "-$5 billion", "$-5 billion", "USD -5 billion" and
  "-5 billion dollars" are all -5e9 USD (the sign is never dropped);
- e-notation is read, since it has one reading: "1.5e9 USD" is 1.5e9 USD, "2.5E+3" is 2500; a figure too large for
  a float ("1e400") is no quantity;
- a power ("10^308", "2**1024", "3 x 10^9", "10 to the power of 9", "10⁹") is found as a quantity of kind
  "unreadable" (value NaN, so it never equals any figure) with `problem` saying why: it is a formula, not a figure
  as reports write them, and the assistant does not evaluate formulas typed by a user.
`question_problems` lists every figure of a question that cannot be read unambiguously (those, figures that no
pattern reads such as "1,000,0000" or "$5.5.5 billion", and years outside 1900-2100 where a year is written; the
reasons state no figure the question does not, so a refusal stays backed by the question's own words);
the numeric route refuses a question that has any, with the reason.

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
    high: Optional[float] = None  # the high end of a range ("$1.2-1.5 billion"); `value` is its low end
    problem: Optional[str] = None  # for kind "unreadable" only: why it cannot be read as one figure


# --- building blocks of the patterns -------------------------------------------------------------

# E-notation first ("1.5e9"), so its mantissa is not read alone.
_NUM = r"(?:\d+(?:\.\d+)?[eE][+-]?\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_YEAR = r"(?:19\d{2}|20\d{2}|2100)"
# A number must not continue a word, a decimal, a percentage or an identifier such as "GPT-4"; currency
# symbols are excluded so a failed money match is not re-read as a plain number.
_START = r"(?<![\w.,$€£¥₹%])(?<![A-Za-z]-)"
# A minus sign is not a sign right after a figure and a space ("8% -10%", "12 -15"): it joins or separates.
_SIGN_OK = r"(?<![\d%]\s)"
# ...and must not run into letters or digits ("1e400", "5G", "1.2.3" are not quantities).
_END = r"(?![\w])(?![.,]\d)"
_SCALE_WORDS = r"trillion|billion|million|thousand|crore|lakh|bn|bln|mn|mln|mil|tn|trn"
_SCALE_ANY = _SCALE_WORDS + r"|k|m|b|t"
_CURRENCY_PREFIX = (
    r"U\.S\.\s?\$|US\s?\$|HK\$|A\$|C\$|S\$|USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|SGD|HKD|\$|€|£|¥|₹|Rs\.?"
)
# "pounds" of weight ("5 million pounds of beef", "pounds per acre") are not money.
_CURRENCY_SUFFIX = (
    r"USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|SGD|HKD"
    r"|(?:(?:U\.S\.|US|American|Australian|Canadian|Singapore|Hong\sKong)\s?)?dollars?"
    r"|euros?|(?:British\s|UK\s)?pounds?(?:\ssterling)?(?!\s+(?:of|per)\b)|(?:Japanese\s)?yen"
    r"|(?:Chinese\s)?yuan|renminbi|(?:Indian\s)?rupees?|Swiss\sfrancs?"
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

# Keys are upper case, without dots, one space between words: "U.S. dollars" -> "US DOLLARS".
_CURRENCIES: dict[str, str] = {
    "US$": "USD", "$": "USD", "DOLLAR": "USD", "DOLLARS": "USD", "US DOLLAR": "USD", "US DOLLARS": "USD",
    "USDOLLAR": "USD", "USDOLLARS": "USD", "AMERICAN DOLLAR": "USD", "AMERICAN DOLLARS": "USD",
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR",
    "£": "GBP", "POUND": "GBP", "POUNDS": "GBP", "POUND STERLING": "GBP", "POUNDS STERLING": "GBP",
    "BRITISH POUND": "GBP", "BRITISH POUNDS": "GBP", "UK POUND": "GBP", "UK POUNDS": "GBP",
    "BRITISH POUNDS STERLING": "GBP", "UK POUNDS STERLING": "GBP", "BRITISH POUND STERLING": "GBP",
    "UK POUND STERLING": "GBP",
    "¥": "JPY", "YEN": "JPY", "JAPANESE YEN": "JPY",
    "RMB": "CNY", "YUAN": "CNY", "CHINESE YUAN": "CNY", "RENMINBI": "CNY",
    "₹": "INR", "RS": "INR", "RUPEE": "INR", "RUPEES": "INR", "INDIAN RUPEE": "INR", "INDIAN RUPEES": "INR",
    "A$": "AUD", "AUSTRALIAN DOLLAR": "AUD", "AUSTRALIAN DOLLARS": "AUD",
    "C$": "CAD", "CANADIAN DOLLAR": "CAD", "CANADIAN DOLLARS": "CAD",
    "S$": "SGD", "SINGAPORE DOLLAR": "SGD", "SINGAPORE DOLLARS": "SGD",
    "HK$": "HKD", "HONG KONG DOLLAR": "HKD", "HONG KONG DOLLARS": "HKD",
    "SWISS FRANC": "CHF", "SWISS FRANCS": "CHF",
}
# A bare "pounds" after a number is money only with a scale word: "5 billion pounds", not "a 5 pound bag".
_BARE_POUNDS = {"POUND", "POUNDS"}
_ISO_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "AUD", "CAD", "CHF", "SGD", "HKD"}

_PERCENT = r"(?:%|(?:percentage\s+points?|percent|per\s?cent|pct)(?![A-Za-z]))"
# Units a bare "12 to 15" must be followed by to be read as one range ("12 to 15 GW"); with a dash it needs none.
_MEASURE = r"(?:[GMkT]Wh?|GWp|MWp|tonnes|tons|metric\s+tons|units)(?![A-Za-z])"
# What ends a range that is not a plain number: "5-10 years" is a duration, "8-10%" a rate.
_NOT_PLAIN = r"(?!\s?(?:%|percent|per\s?cent|pct|percentage|years?|yrs?|decades?|-?fold|x(?![A-Za-z])))"


def _range_patterns(kind: str, first: str, second: str, tail: str = "", start: str = _START,
                    dash: str = r"\s?[-–—]\s?", to: bool = True) -> list[tuple[str, re.Pattern[str]]]:
    """ "X-Y", "X–Y", "X to Y" and "between X and Y": `first` and `second` are the two ends, `tail` what follows."""
    separators = dash + (r"|\s+to\s+" if to else "")
    return [
        (kind, re.compile(rf"{start}{first}(?P<sep>{separators}){second}{tail}", re.IGNORECASE)),
        (kind, re.compile(rf"\bbetween\s+{first}(?P<sep>\s+and\s+){second}{tail}", re.IGNORECASE)),
    ]


_SCALE_1 = rf"(?:\s?(?P<scale>{_SCALE_ANY})(?![A-Za-z]))?"
_RANGE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    *_range_patterns(
        "money_range", rf"(?P<cur>{_CURRENCY_PREFIX})\s?(?P<num>{_NUM}){_SCALE_1}",
        rf"(?:(?P<cur2>{_CURRENCY_PREFIX})\s?)?(?P<num2>{_NUM})(?:\s?(?P<scale2>{_SCALE_ANY}))?{_END}",
        start=r"(?<![A-Za-z0-9])"),
    *_range_patterns(
        "money_range", rf"(?P<num>{_NUM}){_SCALE_1}",
        rf"(?P<num2>{_NUM})\s?(?:(?P<scale2>{_SCALE_ANY})\s?)?(?P<cur>{_CURRENCY_SUFFIX})(?![\w])"),
    *_range_patterns(
        "rate_range", rf"(?:{_SIGN_OK}(?P<sign>[-−+]))?(?P<num>{_NUM})(?:\s?{_PERCENT})?",
        rf"(?P<sign2>[-−+])?(?P<num2>{_NUM})\s?{_PERCENT}"),
    *_range_patterns(
        "duration_range", rf"(?:(?P<num>{_NUM})|(?P<word>{_WORD_NUMBER_RE}))",
        rf"(?:(?P<num2>{_NUM})|(?P<word2>{_WORD_NUMBER_RE}))[\s-](?:years?|yrs?)(?![A-Za-z])"),
    *_range_patterns(
        "number_range", rf"(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE_WORDS})(?![A-Za-z]))?",
        rf"(?P<num2>{_NUM})\s?(?P<scale2>{_SCALE_WORDS}){_END}"),
    # Plain numbers: "12-15", "12–15 GW", "between 12 and 15"; "12 to 15" only before a unit ("12 to 15 GW").
    *_range_patterns("plain_range", rf"(?P<num>{_NUM})", rf"(?P<num2>{_NUM}){_END}{_NOT_PLAIN}",
                     dash=r"-|\s?[–—]\s?", to=False),
    ("plain_range", re.compile(
        rf"{_START}(?P<num>{_NUM})(?P<sep>\s+to\s+)(?P<num2>{_NUM}){_END}(?=\s?{_MEASURE})", re.IGNORECASE)),
]

# A sign before a currency: not after a word, a figure or a closing bracket ("$1.2-$1.5 billion" is a range).
_MONEY_SIGN = r"(?<![\w.,%)\]])(?<![\d%]\s)"
# A figure written as a power: "10^308", "2**1024", "3 x 10^9", "10⁹", "10 to the power of 9".
_POWER = (
    r"\d[\d,.]*\s?(?:[x×*]|times)\s?10\s?(?:\^|\*\*)\s?[-−+]?\d+"
    r"|\d[\d,.]*\s?(?:\^|\*\*)\s?[-−+]?\d+"
    r"|\d[\d,.]*[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+"
    r"|\d[\d,.]*\s+to\s+the\s+(?:power\s+of\s+[-−]?\d+|\d+(?:st|nd|rd|th)(?:\s+power)?)"
)
_UNREADABLE_POWER = (
    rf"(?<![\w.,])(?:(?:[-−]\s?)?(?:{_CURRENCY_PREFIX})\s?)?[-−]?(?:{_POWER})"
    rf"(?:\s?(?:{_SCALE_WORDS})(?![A-Za-z]))?(?:\s?(?:{_CURRENCY_SUFFIX})(?![\w]))?"
)

# Patterns in priority order: when two candidates start at the same place, the earlier pattern wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Phone numbers and dates ("001-626-842-1666", "2024-05-01") are read as nothing at all.
    ("skip", re.compile(r"(?<![\w+])\+?\d{1,4}(?:[-.]\d{2,4}){2,}(?![\w])|\(\d{3}\)\s?\d{3}[-.\s]\d{4}(?!\d)")),
    ("power", re.compile(_UNREADABLE_POWER, re.IGNORECASE)),
    ("period", re.compile(
        rf"\b(?:from|between)\s+(?:the\s+years?\s+)?(?:FY\s?)?(?P<a>{_YEAR})"
        rf"\s*(?:to|and|through|thru|until|till|-|–|—)\s*(?:FY\s?)?(?P<b>{_YEAR}){_END}",
        re.IGNORECASE)),
    ("period", re.compile(
        rf"{_START}(?P<a>{_YEAR})(?:\s*[-–—/]\s*|\s+(?:to|through|thru|until|till)\s+)(?P<b>{_YEAR}|\d{{2}}){_END}",
        re.IGNORECASE)),
    *_RANGE_PATTERNS,
    # A minus sign against an amount is its sign: "-$5 billion", "$-5 billion", "USD -5 billion".
    ("money", re.compile(
        rf"(?:{_MONEY_SIGN}(?P<sign>[-−–])|(?<![A-Za-z0-9])(?P<minus>minus\s+)?)(?P<cur>{_CURRENCY_PREFIX})\s?"
        rf"(?:(?P<innersign>[-−])\s?)?"
        rf"(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE_ANY}))?{_END}",
        re.IGNORECASE)),
    ("money", re.compile(
        rf"{_START}(?:(?P<minus>minus\s+)|{_SIGN_OK}(?P<sign>[-−]))?(?P<num>{_NUM})\s?(?:(?P<scale>{_SCALE_ANY})\s?)?"
        rf"(?P<cur>{_CURRENCY_SUFFIX})(?![\w])",
        re.IGNORECASE)),
    ("rate", re.compile(rf"{_START}(?:{_SIGN_OK}(?P<sign>[-−+]))?(?P<num>{_NUM})\s?{_PERCENT}", re.IGNORECASE)),
    ("duration", re.compile(
        rf"{_START}(?:{_SIGN_OK}(?P<sign>[-−]))?(?:(?P<num>{_NUM})|(?P<word>{_WORD_NUMBER_RE}))"
        r"[\s-](?:years?|yrs?)(?![A-Za-z])",
        re.IGNORECASE)),
    ("decades", re.compile(
        rf"\b(?:(?P<num>\d+)|(?P<word>a|{_WORD_NUMBER_RE}))\s+decades?\b", re.IGNORECASE)),
    ("year", re.compile(rf"(?<![A-Za-z0-9])FY\s?'?(?P<num>{_YEAR}){_END}", re.IGNORECASE)),
    ("end_of_decade", re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+decade\b", re.IGNORECASE)),
    ("number", re.compile(rf"{_START}(?P<num>{_NUM})\s?(?P<scale>{_SCALE_WORDS}){_END}", re.IGNORECASE)),
    ("number", re.compile(rf"{_START}(?:{_SIGN_OK}(?P<sign>[-−]))?(?P<num>{_NUM}){_END}")),
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


def _currency_key(raw: str) -> str:
    """ "U.S. $" -> "US$", "U.S. dollars" -> "US DOLLARS", "Rs." -> "RS"."""
    key = re.sub(r"\s+", " ", raw.replace(".", " ").strip()).upper()
    key = re.sub(r"\bU S\b", "US", key)
    return re.sub(r"\s+\$", "$", key)


def _currency_code(raw: str) -> str:
    key = _currency_key(raw)
    return key if key in _ISO_CODES else _CURRENCIES[key]


def _is_bare_pounds(raw: str, scale: Optional[str]) -> bool:
    return not scale and _currency_key(raw) in _BARE_POUNDS


# After an amount written without its scale word, a range's other end with one ("USD 5.4 to 4.1 billion", a range
# that does not hold up): the scale may be the amount's too, so the amount is not read at all.
_OTHER_END = rf"(?:(?:{_CURRENCY_PREFIX})\s?)?{_NUM}\s?(?:{_SCALE_ANY})(?![A-Za-z])"
_DANGLING_RANGE = re.compile(rf"(?:\s?[-–—]\s?|\s+to\s+){_OTHER_END}", re.IGNORECASE)
_DANGLING_AND = re.compile(rf"\s+and\s+{_OTHER_END}", re.IGNORECASE)
_AFTER_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
# "from USD 3.4 billion to USD 5.1 billion" and "up by USD 1 billion to USD 5 billion" are a start and an end
# value, or a change and a total: not a range.
_NOT_A_RANGE_BEFORE = re.compile(r"(?:\bfrom\b[^.;:,!?]{0,40}|\b(?:by|up|down)\s*)$", re.IGNORECASE)
# Two figures each written in full ("$2bn to $5bn", "8% to 10%") are a range only where the text says so: after
# "valued at", "a CAGR of", "worth"..., or with one year for both ("USD 3.4 billion to USD 4.1 billion in 2024").
# Elsewhere they are a start and an end ("What CAGR takes $2bn to $5bn in 6 years?").
_RANGE_CUE_BEFORE = re.compile(
    r"\b(?:at|of|worth|about|around|approximately|roughly|some|nearly|almost|estimated|valued|range|ranging|"
    r"reach(?:es|ed|ing)?|account(?:s|ed|ing)?\s+for)\s+$", re.IGNORECASE)
_RANGE_CUE_AFTER = re.compile(
    rf"\s*(?:in|for|as\s+of)\s+(?:FY\s?)?{_YEAR}(?![\d\-–—/])(?!\s*(?:to|and|through)\s+\d)", re.IGNORECASE)
# A growth rate "8% to 10% a year" is one range of rates.
_RATE_CUE_AFTER = re.compile(r"\s*(?:(?:a|per|each|every)\s+year|annually|per\s+annum|yearly|CAGR|compound)\b",
                             re.IGNORECASE)
# "increase between €1.8bn and €3.3bn", "the difference between 8% and 10%": two figures compared, not a range.
_CHANGE_BEFORE = re.compile(
    r"\b(?:increase[sd]?|grow(?:s|n|th)?|grew|rise[sn]?|rose|change[sd]?|difference|gap|go(?:es)?|went|"
    r"jump(?:s|ed)?|climb(?:s|ed)?|expand(?:s|ed)?|move[sd]?|multiple|cagr)\b[^.;:!?]{0,40}$", re.IGNORECASE)
_COMPARE_BEFORE = re.compile(r"\b(?:difference|gap|compare[sd]?|comparing|versus|vs)\b[^.;:!?]{0,40}$", re.IGNORECASE)


def _amount(match: re.Match[str]) -> Optional[float]:
    number = _decimal(match.group("num"))
    if number is None:
        return None
    scale = match.groupdict().get("scale")
    if scale:
        number *= _SCALES[scale.lower()]
    # "minus $118.5 billion" is written-out "-$118.5 billion"
    if match.groupdict().get("sign") in ("-", "−", "–") or match.groupdict().get("innersign") in ("-", "−") \
            or match.groupdict().get("minus"):
        number = -number
    return _finite(number)


def _end_value(match: re.Match[str], suffix: str) -> Optional[Decimal]:
    """One end of a range, unscaled: "12", "-2" or "ten"."""
    word = match.groupdict().get("word" + suffix)
    if word:
        return Decimal(_WORD_NUMBERS[word.lower()])
    number = _decimal(match.group("num" + suffix))
    if number is not None and match.groupdict().get("sign" + suffix) in ("-", "−"):
        number = -number
    return number


def _range_candidate(kind: str, match: re.Match[str]) -> Optional[Quantity]:
    """A range "X-Y" as one quantity (low end, high end), or None when the two numbers are no range."""
    start, end, text = match.start(), match.end(), match.group(0)
    groups = match.groupdict()
    separator = groups["sep"].strip().lower()
    before = match.string[max(0, start - 60) : start]
    if separator == "to" and _NOT_A_RANGE_BEFORE.search(before):
        return None
    # Each end written in full: its own scale word, its own currency, its own "%".
    if kind == "rate_range":
        in_full = match.end("num") != match.start("sep")  # "8% to 10%", not "8 to 10%"
    else:
        in_full = bool(groups.get("scale")) or (not groups.get("scale2") and bool(groups.get("cur2")))
    if in_full and separator == "to" and not (
            _RANGE_CUE_BEFORE.search(before) or _RANGE_CUE_AFTER.match(match.string, end)
            or (kind == "rate_range" and _RATE_CUE_AFTER.match(match.string, end))):
        return None
    if in_full and separator == "and" and (_COMPARE_BEFORE if kind == "rate_range" else _CHANGE_BEFORE).search(before):
        return None
    if groups.get("sign2") and separator not in ("to", "and"):
        return None  # "8%--10%": a dash and a sign are too many
    low, high = _end_value(match, ""), _end_value(match, "2")
    if low is None or high is None:
        return None
    scale, scale2 = groups.get("scale"), groups.get("scale2")
    if scale and not scale2:
        return None  # "USD 3.4 billion to 4.1": the other end has no scale word
    if kind == "plain_range" and any(re.fullmatch(_YEAR, groups[g]) for g in ("num", "num2")):
        return None  # "05-2024", "2031-2025": a date or two years, not a range
    if scale2:
        high *= _SCALES[scale2.lower()]
        low *= _SCALES[(scale or scale2).lower()]
    unit = {"rate_range": "%", "duration_range": "years"}.get(kind, "")
    if kind == "money_range":
        cur = groups["cur"]
        if _is_bare_pounds(cur, scale2):
            return None
        unit = _currency_code(cur)
        if groups.get("cur2") and _currency_code(groups["cur2"]) != unit:
            return None  # "USD 3 billion to EUR 4 billion"
    low_value, high_value = _finite(low), _finite(high)
    if low_value is None or high_value is None or not low_value < high_value:
        return None
    kind = {"money_range": "money", "rate_range": "rate", "duration_range": "duration"}.get(kind, "number")
    return Quantity(kind, low_value, unit, start, end, text, None, high_value)


def _candidate(kind: str, match: re.Match[str]) -> Optional[Quantity]:
    """Turn one regex match into a Quantity, or None when the match does not hold up."""
    start, end, text = match.start(), match.end(), match.group(0)
    if kind == "skip":
        return Quantity("skip", 0.0, "", start, end, text)
    if kind == "power":
        return Quantity("unreadable", math.nan, "", start, end, text,
                        problem=f"{text.strip()!r} is written as a power, a formula rather than a figure; write the "
                                "amount out in digits with its scale word, or in e-notation")
    if kind.endswith("_range"):
        return _range_candidate(kind, match)
    if kind == "period":
        first = int(match.group("a"))
        last_text = match.group("b")
        last = first // 100 * 100 + int(last_text) if len(last_text) == 2 else int(last_text)
        if last <= first:
            return None
        return Quantity("period", float(first), "period", start, end, text, (first, last))
    if kind == "money":
        value = _amount(match)
        if value is None or _is_bare_pounds(match.group("cur"), match.group("scale")):
            return None
        if not match.group("scale") and (_DANGLING_RANGE.match(match.string, end) or (
                _DANGLING_AND.match(match.string, end) and _AFTER_BETWEEN.search(match.string, 0, start))):
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
    return [q for q in _read(text) if q.kind != "skip"]


def _read(text: str) -> list[Quantity]:
    """Every quantity in `text`, the spans read as nothing (phone numbers, dates) included as kind "skip"."""
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
    return _resolve_decade_ends(accepted)


# Anything a reader would take for a figure: digits, with separators, decimals or an exponent; not a part of a name
# ("GPT-4", "Q3"). Atomic, so that a figure run into a word ("$5.29billionto") is taken whole, never cut short into
# another figure ("5.2") that a message would then quote.
_FIGURE_TOKEN = re.compile(r"(?<![A-Za-z\d.,])(?<![A-Za-z]-)(?>\d(?:[\d.,]*\d)?)(?>[eE][+-]?\d+)?")
# A plain integer with letters after it is a name or an ordinal ("5G", "2nd", "4K"), not a figure; any figure with an
# "x" after it is a multiple ("1.5x").
_NAME_SUFFIX = re.compile(r"[A-Za-z]")
_MULTIPLE_SUFFIX = re.compile(r"[xX×](?![A-Za-z])")
# Where a year is written: "in 9999", "by 2500", "2025 to 2150".
_YEAR_SLOT = re.compile(
    r"(?:\b(?:in|by|until|till|through|thru|since|before|after|year|FY)|\b(?:19|20)\d{2}\s*(?:to|through|and|-|–|—))\s*$",
    re.IGNORECASE)
# ...and no unit after it ("by 5000 units" is a count).
_NO_UNIT_AFTER = re.compile(
    r"\s*(?:$|[?.!,;:)]|(?:and|or|to|at|from|if|when|with|for|what|how|is|will|would|compared|versus|vs)\b)",
    re.IGNORECASE)


def figure_tokens(text: str) -> list[str]:
    """Every figure of `text` as written, whole, read or not: what a refusal may quote back as the user's own."""
    return [token.group(0) for token in _FIGURE_TOKEN.finditer(text)]


def question_problems(text: str) -> list[str]:
    """Why figures of `text` cannot be read unambiguously, one sentence each; empty when every figure reads one
    way. A question with any is refused by the numeric route rather than computed on a guess."""
    found = _read(text)
    problems = [q.problem for q in found if q.kind == "unreadable" and q.problem]
    for token in _FIGURE_TOKEN.finditer(text):
        if _MULTIPLE_SUFFIX.match(text, token.end()) or (
                _NAME_SUFFIX.match(text, token.end()) and not re.search(r"[.,eE]", token.group(0))):
            continue
        if not any(q.start <= token.start() and token.end() <= q.end for q in found):
            problems.append(f"the figure {token.group(0)!r} cannot be read as one number"
                            + (" (it is too large)" if re.search(r"[eE]", token.group(0)) else ""))
    for q in found:
        if q.kind == "number" and re.fullmatch(r"\d{4}", q.text) and not re.fullmatch(_YEAR, q.text) \
                and _YEAR_SLOT.search(text, 0, q.start) and _NO_UNIT_AFTER.match(text, q.end):
            problems.append(f"{q.text} stands where a year is written, but it is outside the years read (the 1900s "
                            "and 2000s), and as an amount it has no unit")
    return list(dict.fromkeys(problems))


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
    if abs(value) >= 1e15:  # past a float's 15 significant digits its binary noise would print as digits of the figure
        text = format(Decimal(f"{value:.15g}"), ",f")
    else:
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


def format_range(low: float, high: float, unit: str) -> str:
    """Both ends of a range, the scale word and unit written once: format_range(1.2e9, 1.5e9, "USD") ->
    "USD 1.2–1.5 billion"; "USD 0.8–1.2 billion", "8–10%", "12–15 GW", "5–10 years". Reads back as the range."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise QuantityError(f"Cannot format a non-finite range ({low}, {high}).")
    if unit == "%":
        if low < 0:  # "-2% – 3%": the sign of the low end is not lost in the dash
            return f"{format_number(low, 2)}% – {format_number(high, 2)}%"
        return f"{format_number(low, 2)}–{format_number(high, 2)}%"
    if unit == "years":
        return f"{format_number(low, 2)}–{format_number(high, 2)} years"
    money = not unit or unit in _ISO_CODES
    prefix = f"{unit} " if money and unit else ""
    suffix = "" if money else f" {unit}"
    for scale, word in _DISPLAY_SCALES:
        if abs(high) >= scale:
            if abs(low) >= scale / 100:
                return f"{prefix}{format_number(low / scale)}–{format_number(high / scale)} {word}{suffix}"
            return f"{format_money(low, unit if money else '')}–{format_money(high, '')}{suffix}"
    decimals = 3 if abs(high) < 1000 else 2
    return f"{prefix}{format_number(low, decimals)}–{format_number(high, decimals)}{suffix}"


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


# Masses in tonnes, whatever prefix or abbreviation a report writes: "40 Mt", "905 mtpa", "1.27 gigatonnes",
# "279 million tons". "MT" alone is a metric ton (Indian releases: "5 million MT"), "Mt" a megatonne.
_MASS_UNITS: dict[str, float] = {
    "tonnes": 1.0, "tonne": 1.0, "tons": 1.0, "ton": 1.0, "metric tons": 1.0, "metric tonnes": 1.0, "MT": 1.0,
    "kt": 1e3, "kilotonnes": 1e3, "kilotons": 1e3, "ktpa": 1e3,
    "Mt": 1e6, "Mtpa": 1e6, "mtpa": 1e6, "MTPA": 1e6, "megatonnes": 1e6, "megatons": 1e6,
    "Gt": 1e9, "GT": 1e9, "gigatonnes": 1e9, "gigatons": 1e9, "Gtpa": 1e9,
}
MASS_UNIT = r"(?:metric\s+tonnes|metric\s+tons|tonnes|tonne|tons|ton|MT|kt|kilotonnes|kilotons|ktpa|Mtpa|mtpa|MTPA|Mt|" \
    r"megatonnes|megatons|Gtpa|Gt|GT|gigatonnes|gigatons)"


def in_tonnes(value: float, unit: str) -> Optional[tuple[float, str]]:
    """A mass as tonnes ("1.27", "gigatonnes" -> 1.27e9, "tonnes"); None when the unit is no mass."""
    factor = _MASS_UNITS.get(re.sub(r"\s+", " ", unit)) or _MASS_UNITS.get(re.sub(r"\s+", " ", unit).lower())
    if factor is None:
        return None
    return value * factor, "tonnes"


# Nouns that measure in money only: "How much revenue ..." is not answered by a count of units or tonnes.
MONEY_NOUN = re.compile(r"\b(revenues?|worth|valuation|valued|spending|turnover|dollars?|euros?)\b", re.IGNORECASE)


def measured_mass(text: str, q: Quantity) -> Optional[tuple[float, str]]:
    """A number followed by a unit of mass ("279 million tons", "1.27 gigatonnes"), in tonnes."""
    unit = re.match(rf"\s*({MASS_UNIT})(?![A-Za-z])", text[q.end:q.end + 20])
    return in_tonnes(q.value, unit.group(1)) if unit and q.kind == "number" else None
