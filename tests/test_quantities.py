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
    format_number,
    format_range,
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
        if q.high is not None:  # a range: low end in value, high end above it, both finite
            assert q.kind in {"money", "rate", "number", "duration"}
            assert math.isfinite(q.high) and q.high > q.value


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


# --- ranges, currency words and signs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, low, high, unit",
    [
        ("$1.2-1.5 billion", "money", 1.2e9, 1.5e9, "USD"),
        ("USD 1.2–1.5 bn", "money", 1.2e9, 1.5e9, "USD"),
        ("between USD 3.4 and 4.1 billion", "money", 3.4e9, 4.1e9, "USD"),
        ("valued at USD 3.4 billion to USD 4.1 billion", "money", 3.4e9, 4.1e9, "USD"),
        ("USD 3.4 billion to USD 4.1 billion in 2024", "money", 3.4e9, 4.1e9, "USD"),
        ("expected to reach $5bn to $8bn", "money", 5e9, 8e9, "USD"),
        ("USD 3.4 to 4.1 billion", "money", 3.4e9, 4.1e9, "USD"),
        ("estimated at $800 million to $1.2 billion", "money", 0.8e9, 1.2e9, "USD"),
        ("$1.2B-$1.5B", "money", 1.2e9, 1.5e9, "USD"),
        ("3.4-4.1 billion USD", "money", 3.4e9, 4.1e9, "USD"),
        ("between 3 and 4 billion euros", "money", 3e9, 4e9, "EUR"),
        ("12–15 GW", "number", 12, 15, ""),
        ("12-15 GW", "number", 12, 15, ""),
        ("12 to 15 GW", "number", 12, 15, ""),
        ("between 12 and 15", "number", 12, 15, ""),
        ("1.2 - 1.5 million units", "number", 1.2e6, 1.5e6, ""),
        ("8%-10%", "rate", 8, 10, "%"),
        ("8-10%", "rate", 8, 10, "%"),
        ("8 to 10 percent", "rate", 8, 10, "%"),
        ("between 8% and 10%", "rate", 8, 10, "%"),
        ("a CAGR of 8% to 10%", "rate", 8, 10, "%"),
        ("growing 8% to 10% a year", "rate", 8, 10, "%"),
        ("can account for 25% to 30%", "rate", 25, 30, "%"),
        ("6.2–7.0 per cent", "rate", 6.2, 7.0, "%"),
        ("between -2% and 3%", "rate", -2, 3, "%"),
        ("5-10 years", "duration", 5, 10, "years"),
        ("five to ten years", "duration", 5, 10, "years"),
    ],
)
def test_a_range_is_one_quantity_with_both_ends(text: str, kind: str, low: float, high: float, unit: str) -> None:
    (q,) = [q for q in find_quantities(text) if q.kind != "year"]
    assert (q.kind, q.unit) == (kind, unit)
    # The range as written, from its first figure (or "between") to its last; the unit counted is the facts' to read.
    assert text.removesuffix(" GW").removesuffix(" units").removesuffix(" a year").removesuffix(" in 2024").endswith(
        q.text)
    assert amounts_equal(q.value, low) and amounts_equal(q.high, high)


@pytest.mark.parametrize(
    "text, expected",
    [
        # A start and an end value, each with its year: not a range.
        ("from USD 3.4 billion in 2024 to USD 5.1 billion by 2030",
         [("money", 3.4e9, None), ("year", 2024, None), ("money", 5.1e9, None), ("year", 2030, None)]),
        ("grow from USD 3.4 billion to USD 5.1 billion by 2030",
         [("money", 3.4e9, None), ("money", 5.1e9, None), ("year", 2030, None)]),
        ("rising from 8% to 10%", [("rate", 8, None), ("rate", 10, None)]),
        # Two figures each written in full, with nothing saying they are a range: a start and an end, as questions
        # write them.
        ("USD 3.4 billion to USD 4.1 billion", [("money", 3.4e9, None), ("money", 4.1e9, None)]),
        ("What CAGR takes $2bn to $5bn in 6 years?",
         [("money", 2e9, None), ("money", 5e9, None), ("duration", 6, None)]),
        ("$5bn to $11bn over 2024-2031", [("money", 5e9, None), ("money", 11e9, None), ("period", 2024, None)]),
        ("By how many euros does it increase between €1.8bn and €3.3bn?",
         [("money", 1.8e9, None), ("money", 3.3e9, None)]),
        ("the difference between 8% and 10%", [("rate", 8, None), ("rate", 10, None)]),
        # A change and the total it leads to.
        ("revenue rose by $1 billion to $5 billion", [("money", 1e9, None), ("money", 5e9, None)]),
        ("2025-2031", [("period", 2025, None)]),
        ("between 2025 and 2030", [("period", 2025, None)]),
        ("USD 3 billion to EUR 4 billion", [("money", 3e9, None), ("money", 4e9, None)]),
        ("10%-8%", [("rate", 10, None), ("rate", 8, None)]),  # high below low: two figures, neither negative
        ("05-2024", [("number", 5, None), ("year", 2024, None)]),
        ("pages 12 to 15", [("number", 12, None), ("number", 15, None)]),
        # The scale word of a range that does not hold up is not guessed: "$1.5" is no amount of 1.5 dollars.
        ("$1.5-1.2 billion", [("number", 1.2e9, None)]),
    ],
)
def test_what_is_not_a_range(text: str, expected: list) -> None:
    assert [(q.kind, q.value, q.high) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("3.4 billion U.S. dollars", 3.4e9, "USD"),
        ("3.4 billion US dollars", 3.4e9, "USD"),
        ("U.S. $3.4 billion", 3.4e9, "USD"),
        ("US $3.4 billion", 3.4e9, "USD"),
        ("4.6 billion euros", 4.6e9, "EUR"),
        ("5 million pounds", 5e6, "GBP"),
        ("2 billion British pounds", 2e9, "GBP"),
        ("2 billion pounds sterling", 2e9, "GBP"),
        ("120 billion yen", 120e9, "JPY"),
        ("120 billion Japanese yen", 120e9, "JPY"),
        ("3 billion Swiss francs", 3e9, "CHF"),
        ("45 billion Chinese yuan", 45e9, "CNY"),
        ("40 billion Indian rupees", 40e9, "INR"),
        ("2 billion Australian dollars", 2e9, "AUD"),
        ("2 billion Canadian dollars", 2e9, "CAD"),
    ],
)
def test_currency_words(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.kind, q.unit, q.text) == ("money", unit, text)
    assert amounts_equal(q.value, value)


@pytest.mark.parametrize("text", ["5 million pounds of beef", "a 5 pound bag", "30 pounds per square inch"])
def test_pounds_of_weight_are_not_money(text: str) -> None:
    assert not [q for q in find_quantities(text) if q.kind == "money"]


@pytest.mark.parametrize(
    "text, value",
    [("growth of -5%", -5.0), ("sales declined by -5%", -5.0), ("(-3.2%)", -3.2), ("a change of −12%", -12.0),
     ("2023: -4%", -4.0)],
)
def test_a_minus_sign_is_a_sign_where_nothing_joins_it(text: str, value: float) -> None:
    assert [(q.kind, q.value) for q in find_quantities(text) if q.kind != "year"] == [("rate", value)]


@pytest.mark.parametrize("text", ["8%-10%", "8% -10%", "10%-8%", "12-15", "12 -15", "5-10 years", "3-5 million",
                                  "40-100 HP", "8%–10%", "$1.2-1.5 billion", "1.2bn-1.5bn", "2.5%-3%"])
def test_the_hyphen_between_two_figures_is_never_a_minus_sign(text: str) -> None:
    found = find_quantities(text)
    assert found and all(q.value >= 0 for q in found), found


_SCALES = {"billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "trillion": 1e12}
_DECIMALS = st.decimals(min_value="0.1", max_value="999.9", places=1, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(_DECIMALS, _DECIMALS, st.sampled_from(sorted(_SCALES)), st.sampled_from(["-", "–", " – ", " to "]),
       st.sampled_from(["", "$", "USD ", "US$ ", "€"]), st.sampled_from(["", " in 2030", " by 2031, up"]))
def test_a_generated_range_gives_both_ends_scaled(a, b, scale, separator, currency, after) -> None:
    low, high = sorted((a, b))
    if low == high:
        return
    text = f"The market is {currency}{low}{separator}{high} {scale}{after}."
    found = [q for q in find_quantities(text) if q.kind in ("money", "number")]
    assert len(found) == 1, found
    q = found[0]
    assert q.kind == ("money" if currency else "number")
    assert amounts_equal(q.value, float(low) * _SCALES[scale]) and amounts_equal(q.high, float(high) * _SCALES[scale])
    assert all(x.value >= 0 for x in find_quantities(text))


@settings(max_examples=300, deadline=None)
@given(_DECIMALS, _DECIMALS, st.sampled_from(["-", "–", " - ", " to "]),
       st.sampled_from(["%", " percent", " per cent"]), st.booleans())
def test_a_generated_rate_range_is_never_negative(a, b, separator, percent, both) -> None:
    first = f"{a}{percent}" if both else f"{a}"
    text = f"a CAGR of {first}{separator}{b}{percent} over 2025-2030"
    rates = [q for q in find_quantities(text) if q.kind == "rate"]
    assert rates and all(q.value >= 0 and (q.high is None or q.high > q.value) for q in rates), rates
    if a < b:
        assert [(q.value, q.high) for q in rates] == [(float(a), float(b))]


@pytest.mark.parametrize(
    "low, high, unit, shown",
    [(1.2e9, 1.5e9, "USD", "USD 1.2–1.5 billion"), (0.8e9, 1.2e9, "USD", "USD 0.8–1.2 billion"),
     (5e6, 1.2e9, "EUR", "EUR 5 million–1.2 billion"), (8, 10, "%", "8–10%"), (-2, 3, "%", "-2% – 3%"),
     (12, 15, "GW", "12–15 GW"), (1.2e6, 1.5e6, "units", "1.2–1.5 million units"), (5, 10, "years", "5–10 years"),
     (250, 300, "USD", "USD 250–300")],
)
def test_format_range(low: float, high: float, unit: str, shown: str) -> None:
    assert format_range(low, high, unit) == shown


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=1e14, allow_nan=False), st.floats(min_value=1.01, max_value=50),
       st.sampled_from(["USD", "EUR", "GBP", "JPY", "%", "%-"]))
def test_format_range_reads_back(low: float, factor: float, unit: str) -> None:
    high = low * factor
    if unit.startswith("%"):
        low, high = min(low, 500.0), min(low, 500.0) * factor
        if unit == "%-":  # a range from a fall to a rise: "-2% – 3%"
            low, unit = -low, "%"
    q = only(format_range(low, high, unit))
    assert q.unit == unit and q.high is not None
    assert amounts_equal(q.value, low, rel_tol=1e-2) and amounts_equal(q.high, high, rel_tol=1e-2)


# --- figures that read one way, or not at all (issue 11) -------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("-$5 billion", -5e9), ("$-5 billion", -5e9), ("USD -5 billion", -5e9), ("−5 billion dollars", -5e9),
    ("–$3bn", -3e9), ("1.5e9 USD", 1.5e9), ("2.5E+3 dollars", 2500.0), ("$5e-3", 0.005),
])
def test_a_sign_or_an_exponent_of_money_is_kept(text: str, value: float) -> None:
    from assistant.quantities import find_quantities

    [q] = find_quantities(text)
    assert q.kind == "money" and q.unit in ("USD",) and q.value == value


@pytest.mark.parametrize("text", ["10^308 dollars", "2**1024 USD", "$3 x 10^9", "10⁹ USD",
                                  "10 to the power of 9 dollars", "USD 2^40"])
def test_a_power_is_an_unreadable_quantity_that_equals_nothing(text: str) -> None:
    from assistant.quantities import find_quantities, question_problems

    [q] = find_quantities(text)
    assert q.kind == "unreadable" and q.text == text and math.isnan(q.value)
    assert question_problems(f"What CAGR takes {text} to $5 billion in 5 years?") == [q.problem]


@pytest.mark.parametrize("question, named", [
    ("What CAGR takes 1,000,0000 dollars to $5 billion in 5 years?", "1,000,0000"),
    ("What CAGR takes $5.5.5 billion to $9 billion in 5 years?", "5.5.5"),
    ("What CAGR takes 1e400 USD to $9 billion in 5 years?", "1e400"),
    ("What is $5 billion in 2024 worth in 9999 at 8% a year?", "9999"),
    ("What CAGR takes $5 billion to $9 billion from 2025 to 2150?", "2150"),
])
def test_question_problems_name_the_figure(question: str, named: str) -> None:
    from assistant.quantities import question_problems

    [problem] = question_problems(question)
    assert named in problem


@pytest.mark.parametrize("question, named", [
    ("WhatCAGRtakesamarketfrom$5.29billionto$2.84billion?", ["5.29", "2.84"]),
    ("How many years to reach US$10.17billionat 9% a year?", ["10.17"]),
    ("Is 30.0%CAGR consistent with growth from $82.18billionin 2024?", ["82.18"]),
])
def test_a_figure_run_into_a_word_is_named_whole_never_cut_into_another_figure(question: str, named: list) -> None:
    """A message quoting "5.2" of "$5.29billionto" would state a figure the user never wrote."""
    from assistant.quantities import question_problems

    problems = question_problems(question)
    assert [p.split("'")[1] for p in problems] == named
    assert all(p.split("'")[1] in question for p in problems)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_every_figure_a_problem_names_is_written_in_the_question(amount, glued: str) -> None:
    from assistant.quantities import question_problems

    question = f"What CAGR takes a market from ${amount:,}{glued}to $9 billion in 5 years?"
    for problem in question_problems(question):
        assert problem.split("'")[1] in question


@pytest.mark.parametrize("question", [
    "What CAGR takes US$ 8,934 million in 2024 to US$ 19,700 million in 2031?",
    "How long does GPT-4's 5G market take to grow 3-fold at 8% a year from Q3 2024?",
    "Call 001-626-842-1666 about the 2nd largest market in 2030.", "grows by 5000 units in 2030",
    "How long does a market growing 8% a year take to grow 1.5x, or 2.5×?",
])
def test_plain_questions_have_no_problems(question: str) -> None:
    from assistant.quantities import question_problems

    assert question_problems(question) == []


def test_money_beside_a_bare_number_is_a_problem_and_a_scaled_one_takes_its_currency() -> None:
    from assistant.frame import read_quantities

    mixed = read_quantities("What CAGR takes $3 billion to 9 in 5 years?")
    assert any("without a currency" in p for p in mixed.problems)
    carried = read_quantities("What CAGR takes $3 billion to 9 billion in 5 years?")
    assert not carried.problems and [(a.kind, a.unit, a.value) for a in carried.amounts] == [
        ("money", "USD", 3e9), ("money", "USD", 9e9)]
    negative = read_quantities("What CAGR takes -5 to 10 in 3 years?")
    assert [a.value for a in negative.amounts] == [-5.0, 10.0] and negative.problems


@pytest.mark.parametrize("value", [4.9e50, 4701487010465347584e12, -1.2345e20, 1e15, 2**80])
def test_a_huge_number_prints_no_digits_beyond_a_floats_precision(value: float) -> None:
    """Past 15 significant digits a float's binary noise ("490,000,000,000,000,017,945,...") is no digit of the
    figure: those places print as zeros, and the text still reads back as the value."""
    from decimal import Decimal

    text = format_number(value)
    digits = text.replace(",", "").lstrip("-")
    assert digits.rstrip("0")[:15] == f"{abs(Decimal(f'{value:.15g}')):f}".replace(".", "").rstrip("0")[:15]
    assert set(digits[15:]) <= {"0"}
    assert math.isclose(float(text.replace(",", "")), value, rel_tol=1e-14)


def test_masses_are_tonnes_whatever_the_prefix() -> None:
    from assistant.quantities import in_tonnes

    assert in_tonnes(40, "Mt") == (40e6, "tonnes") and in_tonnes(905, "mtpa") == (905e6, "tonnes")
    assert in_tonnes(1.27, "gigatonnes") == (1.27e9, "tonnes") and in_tonnes(5, "MT") == (5.0, "tonnes")
    assert in_tonnes(12, "GW") is None
