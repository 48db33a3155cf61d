"""The growth calculator (assistant/calculator.py) against hand-computed values, numpy-financial and itself."""

from __future__ import annotations

import itertools
import math
import re

import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assistant import calculator as calc
from assistant.calculator import CalculationError
from assistant.models import MarketQAError

# numpy-financial divides by the rate internally and warns at rate 0; its answers are still checked.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

# Golden values computed by hand with Python's decimal module at 40 digits, e.g.
# (Decimal(19700) / Decimal(8934)) ** (Decimal(1) / Decimal(7)) - 1.
GOLDEN = [
    (calc.cagr, (8934, 19700, 7), 11.95926526011077603878),
    (calc.cagr, (50, 120, 6), 15.70937300687179178478),
    (calc.projection, (8934, 12.1, 4), 14108.095750138854),
    (calc.projection, (2.03, 8, 5), 2.982735995904),
    (calc.base_value, (523.7, 44.52, 10), 13.17659037044930972720),
    (calc.value_in_year, (523.7, 2035, 44.52, 2030), 83.06973201476157106128),
    (calc.value_in_year, (8934, 2024, 12.1, 2028), 14108.095750138854),
    (calc.years_to_target, (8934, 15000, 12.1), 4.536690490193980949183),
    (calc.doubling_time, (12.1,), 6.068466447977833356558),
    (calc.multiple, (8934, 19700), 2.205059323931049921648),
    (calc.growth_factor, (12.1, 7), 2.224535230500091630241),
]


@pytest.mark.parametrize("function, args, expected", GOLDEN)
def test_golden_values(function, args, expected: float) -> None:
    assert math.isclose(function(*args), expected, rel_tol=1e-12)


def test_the_seed_cagr_rounds_to_11_96() -> None:
    assert round(calc.cagr(8_934_000_000, 19_700_000_000, 7), 2) == 11.96


# --- numpy-financial as an independent reference -------------------------------------------------

amounts = st.floats(min_value=1e-3, max_value=1e13, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-60, max_value=150, allow_nan=False)
whole_years = st.integers(min_value=1, max_value=40)


@settings(max_examples=200, deadline=None)
@given(amounts, st.floats(min_value=0.2, max_value=20), whole_years)
def test_cagr_matches_npf_rate(start: float, ratio: float, years: int) -> None:
    end = start * ratio
    reference = float(npf.rate(years, 0, -start, end)) * 100
    assume(math.isfinite(reference))  # npf.rate is an iterative solver and may not converge
    assert math.isclose(calc.cagr(start, end, years), reference, rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(amounts, rates, whole_years)
def test_projection_matches_npf_fv(start: float, rate: float, years: int) -> None:
    reference = float(npf.fv(rate / 100, years, 0, -start))
    assume(math.isfinite(reference))
    assert math.isclose(calc.projection(start, rate, years), reference, rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(amounts, rates, whole_years)
def test_base_value_matches_npf_pv(end: float, rate: float, years: int) -> None:
    reference = float(npf.pv(rate / 100, years, 0, -end))
    assume(math.isfinite(reference) and reference > 0)
    assert math.isclose(calc.base_value(end, rate, years), reference, rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(amounts, st.floats(min_value=0.5, max_value=150), st.floats(min_value=1.01, max_value=100))
def test_years_to_target_matches_npf_nper(start: float, rate: float, ratio: float) -> None:
    target = start * ratio
    reference = float(npf.nper(rate / 100, 0, -start, target))
    assert math.isclose(calc.years_to_target(start, target, rate), reference, rel_tol=1e-9)


@pytest.mark.parametrize("rate", [1, 7, 12.1, 44.52, 100])
def test_doubling_time_matches_npf_nper(rate: float) -> None:
    assert math.isclose(calc.doubling_time(rate), float(npf.nper(rate / 100, 0, -1, 2)), rel_tol=1e-12)


# --- round trips ---------------------------------------------------------------------------------

years_any = st.floats(min_value=0.25, max_value=60)


@settings(max_examples=300, deadline=None)
@given(amounts, rates, years_any)
def test_cagr_of_a_projection_is_the_rate(start: float, rate: float, years: float) -> None:
    end = calc.projection(start, rate, years)
    assume(end > 0 and math.isfinite(end) and end / start > 1e-300)
    assert math.isclose(calc.cagr(start, end, years), rate, rel_tol=1e-7, abs_tol=1e-7)


@settings(max_examples=200, deadline=None)
@given(amounts, rates, years_any)
def test_base_value_undoes_projection(start: float, rate: float, years: float) -> None:
    end = calc.projection(start, rate, years)
    assume(end > 1e-300)
    assert math.isclose(calc.base_value(end, rate, years), start, rel_tol=1e-9)
    assert math.isclose(calc.growth_factor(rate, years) * start, end, rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(amounts, rates.filter(lambda r: abs(r) > 0.5), years_any)
def test_years_to_target_undoes_projection(start: float, rate: float, years: float) -> None:
    end = calc.projection(start, rate, years)
    assume(end > 1e-300)
    assert math.isclose(calc.years_to_target(start, end, rate), years, rel_tol=1e-7)


@settings(max_examples=200, deadline=None)
@given(amounts, st.integers(1900, 2100), rates, st.integers(1, 40))
def test_value_in_year_and_trajectory_agree_with_projection(value: float, year: int, rate: float, span: int) -> None:
    assert math.isclose(calc.value_in_year(value, year, rate, year + span), calc.projection(value, rate, span),
                        rel_tol=1e-9)
    # Going back and forth returns the value.
    back = calc.value_in_year(calc.value_in_year(value, year, rate, year + span), year + span, rate, year)
    assert math.isclose(back, value, rel_tol=1e-9)
    path = calc.trajectory(value, year, rate, year + span)
    assert [y for y, _ in path] == list(range(year, year + span + 1))
    assert path[0][1] == value
    assert math.isclose(path[-1][1], calc.projection(value, rate, span), rel_tol=1e-9)
    if rate > 1e-3:
        assert all(a[1] < b[1] for a, b in itertools.pairwise(path))


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: calc.cagr(0, 10, 5), "start value must be greater than zero"),
        (lambda: calc.cagr(-1, 10, 5), "start value must be greater than zero"),
        (lambda: calc.cagr(10, 0, 5), "end value must be greater than zero"),
        (lambda: calc.cagr(10, 20, 0), "number of years must be greater than zero"),
        (lambda: calc.cagr(10, 20, -3), "number of years must be greater than zero"),
        (lambda: calc.projection(10, -100, 5), "shrink the value to nothing"),
        (lambda: calc.projection(10, -250, 5), "shrink the value to nothing"),
        (lambda: calc.projection(1e300, 1e6, 1e6), "out of range"),
        (lambda: calc.cagr(1e-300, 1e300, 1e-3), "out of range"),
        (lambda: calc.base_value(1, 1e6, 1e6), "out of range"),
        (lambda: calc.years_to_target(10, 5, 12), "never reaches"),
        (lambda: calc.years_to_target(10, 20, -5), "never reaches"),
        (lambda: calc.years_to_target(10, 20, 0), "does not change"),
        (lambda: calc.years_to_target(10, 20, 1e-300), "too small to register"),
        (lambda: calc.doubling_time(0), "does not change"),
        (lambda: calc.span_years(2031, 2024), "must come after the start year"),
        (lambda: calc.trajectory(10, 2031, 5, 2024), "must come after the start year"),
        (lambda: calc.trajectory(10, 2000, 5, 2900), "too long"),
        (lambda: calc.cagr(float("nan"), 10, 5), "finite number"),
        (lambda: calc.projection(10, float("inf"), 5), "finite number"),
        (lambda: calc.cagr("10", 20, 5), "must be a number"),  # type: ignore[arg-type]
        (lambda: calc.cagr(True, 20, 5), "must be a number"),
    ],
)
def test_invalid_inputs_raise_one_error_type_with_a_message(call, message: str) -> None:
    with pytest.raises(CalculationError, match=re.escape(message)):
        call()
    assert issubclass(CalculationError, MarketQAError)


wild = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30))


@settings(max_examples=300, deadline=None)
@given(wild, wild, wild)
def test_any_input_gives_a_finite_number_or_a_calculation_error(a, b, c) -> None:
    for call in (lambda: calc.cagr(a, b, c), lambda: calc.projection(a, b, c), lambda: calc.base_value(a, b, c),
                 lambda: calc.years_to_target(a, b, c), lambda: calc.growth_factor(a, b),
                 lambda: calc.time_to_multiply(a, b), lambda: calc.value_in_year(a, 2024, b, 2030)):
        try:
            result = call()
        except CalculationError:
            continue
        assert math.isfinite(result)


# --- formulas ------------------------------------------------------------------------------------


def test_formulas_show_the_actual_numbers() -> None:
    assert calc.cagr_formula(8.934e9, 19.7e9, 7) == "(19,700 / 8,934) ^ (1 / 7) - 1"
    assert calc.projection_formula(8.934e9, 12.1, 4) == "8.934 billion × (1 + 0.121) ^ 4"
    assert calc.projection_formula(500e6, -5, 3) == "500 million × (1 - 0.05) ^ 3"
    assert calc.base_value_formula(523.7e9, 44.52, 10) == "523.7 billion / (1 + 0.4452) ^ 10"
    assert calc.years_to_target_formula(8.934e9, 15e9, 12.1) == "ln(15,000 / 8,934) / ln(1 + 0.121)"
    assert calc.time_to_multiply_formula(12.1, 2) == "ln(2) / ln(1 + 0.121)"
    assert calc.growth_factor_formula(7, 10) == "(1 + 0.07) ^ 10"
    assert calc.multiple_formula(8.934e9, 19.7e9) == "19,700 / 8,934"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 10**6), st.integers(1, 30), st.sampled_from([1.0, 1e3, 1e6, 1e9]))
def test_cagr_formula_recomputes_to_the_result(start: int, end: int, years: int, scale: float) -> None:
    formula = calc.cagr_formula(start * scale, end * scale, years)
    match = re.fullmatch(r"\(([\d,.]+) / ([\d,.]+)\) \^ \(1 / (\d+)\) - 1", formula)
    assert match, formula
    top, bottom, n = (_number(g) for g in match.groups())
    recomputed = ((top / bottom) ** (1 / n) - 1) * 100
    assert math.isclose(recomputed, calc.cagr(start * scale, end * scale, years), rel_tol=1e-6, abs_tol=1e-9)
