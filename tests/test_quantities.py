"""Quantities in text (assistant/quantities.py): what is found, how it is normalized, what is not a quantity."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.models import MarketQAError
from assistant.quantities import (
    Quantity,
    QuantityError,
    amounts_equal,
    find_quantities,
    format_money,
    parse_money,
    parse_rate,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("US$ 8,934 million", 8_934_000_000, "USD"),
        ("USD 523.7 billion", 523_700_000_000, "USD"),
        ("$1.6 trillion", 1_600_000_000_000, "USD"),
        ("€40m", 40_000_000, "EUR"),
        ("$2.03T", 2_030_000_000_000, "USD"),
        ("$19.7 Billion", 19_700_000_000, "USD"),
        ("US$19.7B", 19_700_000_000, "USD"),
        ("£3.5bn", 3_500_000_000, "GBP"),
        ("¥120 billion", 120_000_000_000, "JPY"),
        ("RMB 45 billion", 45_000_000_000, "CNY"),
        ("Rs 500 crore", 5_000_000_000, "INR"),
        ("40 million euros", 40_000_000, "EUR"),
        ("5 billion US dollars", 5_000_000_000, "USD"),
        ("19.7 billion USD", 19_700_000_000, "USD"),
        ("$ 250", 250, "USD"),
    ],
)
def test_money_is_whole_currency_units_with_iso_code(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.kind, q.unit) == ("money", unit)
    assert q.value == value
    assert q.text == text


@pytest.mark.parametrize(
    "text, value",
    [("44.52%", 44.52), ("a CAGR of 12.1 percent", 12.1), ("12.1 per cent", 12.1), ("-5%", -5.0), ("3 pct", 3.0),
     ("2.5 percentage points", 2.5), ("12.1%CAGR", 12.1)],
)
def test_rates_are_percent_numbers(text: str, value: float) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit) == ("rate", value, "%")


@pytest.mark.parametrize(
    "text, period",
    [("2025-2035", (2025, 2035)), ("2025–2031", (2025, 2031)), ("from 2024 to 2031", (2024, 2031)),
     ("during the forecast period 2025-2031", (2025, 2031)), ("between 2025 and 2035", (2025, 2035)),
     ("(2021-2025)", (2021, 2025)), ("2025-31", (2025, 2031)), ("2024 through 2030", (2024, 2030))],
)
def test_periods(text: str, period: tuple[int, int]) -> None:
    q = only(text)
    assert (q.kind, q.period, q.value, q.unit) == ("period", period, float(period[0]), "period")


@pytest.mark.parametrize(
    "text, years",
    [("over 6 years", 6), ("seven years", 7), ("a 10-year horizon", 10), ("a decade", 10), ("two decades", 20),
     ("6.5 years", 6.5), ("0 years", 0)],
)
def test_durations(text: str, years: float) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit) == ("duration", years, "years")


@pytest.mark.parametrize("text, year", [("by 2031", 2031), ("in 2024", 2024), ("FY2024", 2024), ("Q3 2026", 2026)])
def test_years(text: str, year: int) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit) == ("year", year, "year")


def test_end_of_decade_is_relative_to_the_nearest_year() -> None:
    found = find_quantities("Sales were flat in 2024 but should double through the end of the decade.")
    assert [(q.kind, q.value) for q in found] == [("year", 2024), ("year", 2030)]
    later = find_quantities("From 2031 the market grows until the end of the decade.")
    assert later[-1].value == 2040


def test_end_of_decade_without_any_year_uses_the_current_year() -> None:
    q = only("through the end of the decade")
    assert q.kind == "year" and q.value == (date.today().year // 10 + 1) * 10
    assert q.text == "the end of the decade"


def test_scaled_numbers_without_currency_are_numbers() -> None:
    q = only("19.7 bn")
    assert (q.kind, q.value, q.unit) == ("number", 19_700_000_000, "")
    assert only("8,934").value == 8934 and only("8,934").kind == "number"


def test_the_same_amount_written_two_ways_compares_equal() -> None:
    assert amounts_equal(only("19,700 million").value, only("19.7 billion").value)
    assert amounts_equal(parse_money("US$ 19,700 million").value, parse_money("$19.7 Billion").value)
    assert not amounts_equal(parse_money("$19.7 billion").value, parse_money("$19.8 billion").value)
    assert amounts_equal(19.7e9, 19.7e9 * (1 + 1e-3), rel_tol=1e-2)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("systems like GPT-4 and DALL·E", []),
        ("with its 19-year history", [("duration", 19.0)]),
        ("serving 60,000+ clients", [("number", 60000.0)]),
        ("Tel: 001-626-842-1666(US)", []),
        ("call (626) 842-1666 now", []),
        ("17890 Castleton Street Suite 369", [("number", 17890.0), ("number", 369.0)]),
        ("historical analysis (2021-2025) and forecast (2026-2032)", [("period", 2021.0), ("period", 2026.0)]),
        ("1e400", []),
        ("version 1.2.3", []),
        ("5G and H100 chips", []),
        ("grows 8% a year", [("rate", 8.0)]),
        ("it costs $40 more", [("money", 40.0)]),
        ("2031-2025", [("year", 2031.0), ("year", 2025.0)]),
        ("tens of millions of dollars and a multi-billion-dollar budget", []),
    ],
)
def test_things_that_are_not_what_they_seem(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(q.kind, q.value) for q in find_quantities(text)] == expected


def test_a_sentence_of_the_seed_report() -> None:
    sentence = (
        "The global market for Large-scale AI Models was estimated to be worth US$ 8,934 million in 2024 and is "
        "forecast to reach a readjusted size of US$ 19,700 million by 2031, growing at a remarkable CAGR of 12.1% "
        "during the forecast period 2025-2031 ."
    )
    found = find_quantities(sentence)
    assert [(q.kind, q.value, q.unit) for q in found] == [
        ("money", 8_934_000_000, "USD"), ("year", 2024, "year"), ("money", 19_700_000_000, "USD"),
        ("year", 2031, "year"), ("rate", 12.1, "%"), ("period", 2025, "period"),
    ]
    assert all(sentence[q.start : q.end] == q.text for q in found)


def test_money_in_the_seed_corpus_is_only_the_market_figures() -> None:
    money = set()
    for path in sorted(CORPUS.glob("*.txt")):
        money |= {(q.value, q.unit) for q in find_quantities(path.read_text(encoding="utf-8")) if q.kind == "money"}
    assert money == {(8.934e9, "USD"), (19.7e9, "USD"), (523.7e9, "USD")}


def test_parse_money_and_rate_want_exactly_one() -> None:
    assert parse_money("about US$ 8,934 million").value == 8.934e9
    assert parse_rate("a CAGR of 12.1% a year").value == 12.1
    with pytest.raises(QuantityError, match="currency"):
        parse_money("19.7 bn")
    with pytest.raises(QuantityError, match="found 2"):
        parse_money("$1 billion or $2 billion")
    with pytest.raises(QuantityError, match="No percentage"):
        parse_rate("no rate here")
    assert issubclass(QuantityError, MarketQAError)


def test_format_money() -> None:
    assert format_money(19.7e9, "USD") == "USD 19.7 billion"
    assert format_money(8.934e9, "USD") == "USD 8.934 billion"
    assert format_money(2.03e12, "EUR") == "EUR 2.03 trillion"
    assert format_money(40e6, "GBP") == "GBP 40 million"
    assert format_money(12345.678, "USD") == "USD 12,345.68"
    with pytest.raises(QuantityError):
        format_money(math.inf, "USD")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=1e15, allow_nan=False), st.sampled_from(["USD", "EUR", "GBP", "JPY"]))
def test_format_money_reads_back(value: float, unit: str) -> None:
    parsed = parse_money(format_money(value, unit))
    assert parsed.unit == unit
    assert amounts_equal(parsed.value, value, rel_tol=1e-3)


HOSTILE = [
    "1e400", "$999999999999999999999 trillion", "9" * 400, "$" + "9" * 400 + " billion", "-5%", "0 years",
    "−12%", "٣٤٥", "１２３", "12,,345", "1,2,3,4", "$$$", "US$", "2025--2031", "2031-2025", "%%%", "–", "\x00",
    "\u200b12%", "12.1.1%", "$.5bn", ".5%", "2100-2099", "1999–2000", "FY", "end of the decade", "1" * 5000 + "%",
]


def _check_invariants(text: str, found: list[Quantity]) -> None:
    last_end = 0
    for q in found:
        assert q.kind in {"money", "rate", "year", "period", "duration", "number"}
        assert math.isfinite(q.value)
        assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
        assert q.start >= last_end  # in order, non-overlapping
        last_end = q.end
        assert (q.period is not None) == (q.kind == "period")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings(text: str) -> None:
    _check_invariants(text, find_quantities(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE),
                          st.sampled_from(["US$ 8,934 million", "12.1%", "2025-2031", "by 2031", " ", "seven years"])),
                max_size=8))
def test_find_quantities_never_raises(parts: list[str]) -> None:
    text = " ".join(parts)
    _check_invariants(text, find_quantities(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_parsers_raise_only_quantity_errors(text: str) -> None:
    for parse in (parse_money, parse_rate):
        try:
            q = parse(text)
        except QuantityError:
            continue
        assert math.isfinite(q.value)
