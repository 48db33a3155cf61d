"""The deterministic growth calculator: every computed figure the assistant shows comes from here.

Pure functions on plain floats, no I/O and no eval. Rates are percent numbers at the API (12.1 means 12.1%),
amounts are positive numbers in any one unit, durations are years (fractions allowed). Any input that
makes the arithmetic meaningless raises CalculationError with a sentence a user can act on; no function
returns NaN or infinity.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Callable

from .models import MarketQAError
from .quantities import format_number


class CalculationError(MarketQAError):
    """The inputs do not allow the requested calculation."""


MAX_TRAJECTORY_YEARS = 200  # a chart of more points than this is a typo, not a forecast


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise CalculationError(f"The {name} must be a number, got {value!r}.")
    result = float(value)
    if not math.isfinite(result):
        raise CalculationError(f"The {name} must be a finite number, got {value!r}.")
    return result


def _positive(value: object, name: str) -> float:
    result = _number(value, name)
    if result <= 0:
        raise CalculationError(f"The {name} must be greater than zero, got {format_number(result, 6)}.")
    return result


def _years(value: object, name: str = "number of years") -> float:
    return _positive(value, name)


def _growth(rate: object) -> float:
    """1 + r for a percent rate; rates of -100% or below have no meaning for a compounding value."""
    percent = _number(rate, "growth rate")
    if percent <= -100:
        # The limit is said in words: a refusal states no figure the question or a report does not.
        raise CalculationError(f"A growth rate of {format_number(percent, 6)}% a year would shrink the value to "
                               "nothing or below within a year, so it cannot compound.")
    return 1 + percent / 100


def _finite_result(compute: Callable[[], float], what: str) -> float:
    try:
        result = compute()
    except (OverflowError, ZeroDivisionError, ValueError):
        raise CalculationError(f"The {what} is out of range for these inputs.") from None
    if not math.isfinite(result):
        raise CalculationError(f"The {what} is out of range for these inputs.")
    return result


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent that takes `start` to `end` in `years`."""
    first, last, span = _positive(start, "start value"), _positive(end, "end value"), _years(years)
    return _finite_result(lambda: (math.exp(math.log(last / first) / span) - 1) * 100, "growth rate")


def projection(start: float, rate: float, years: float) -> float:
    """Value after `years` of growth at `rate` percent a year."""
    first, factor, span = _positive(start, "start value"), _growth(rate), _years(years)
    return _finite_result(lambda: first * factor**span, "projected value")


def base_value(end: float, rate: float, years: float) -> float:
    """Starting value that grows to `end` in `years` at `rate` percent a year."""
    last, factor, span = _positive(end, "end value"), _growth(rate), _years(years)
    return _finite_result(lambda: last / factor**span, "base value")


def value_in_year(value: float, year: int, rate: float, target_year: int) -> float:
    """Value in `target_year` of a quantity worth `value` in `year` growing at `rate` percent a year.

    `target_year` may lie before `year`: the value is then discounted back at the same rate.
    """
    anchor, factor = _positive(value, "known value"), _growth(rate)
    span = _number(target_year, "target year") - _number(year, "year of the known value")
    return _finite_result(lambda: anchor * factor**span, "value")


def years_to_target(start: float, target: float, rate: float) -> float:
    """Years of growth at `rate` percent a year for `start` to reach `target`."""
    first, last, factor = _positive(start, "start value"), _positive(target, "target value"), _growth(rate)
    if factor == 1:
        raise CalculationError("At this growth rate the value does not change (the rate is nil, or too small to register "
                               "in a calculation), so it never reaches the target.")
    span = _finite_result(lambda: math.log(last / first) / math.log(factor), "number of years")
    if span < 0:
        direction = "grows" if factor > 1 else "shrinks"
        raise CalculationError(
            f"The value {direction} at {format_number((factor - 1) * 100, 6)}% a year, "
            f"so it never reaches {format_number(last, 6)} from {format_number(first, 6)}."
        )
    return span


def time_to_multiply(rate: float, factor: float) -> float:
    """Years for a value to be multiplied by `factor` at `rate` percent a year (2 = doubling)."""
    return years_to_target(1.0, _positive(factor, "multiple"), rate)


def doubling_time(rate: float) -> float:
    """Years for a value to double at `rate` percent a year."""
    return time_to_multiply(rate, 2.0)


def growth_factor(rate: float, years: float) -> float:
    """How many times a value is multiplied by `years` of growth at `rate` percent a year."""
    factor, span = _growth(rate), _years(years)
    return _finite_result(lambda: factor**span, "growth multiple")


def multiple(start: float, end: float) -> float:
    """How many times `end` is `start`."""
    first, last = _positive(start, "start value"), _positive(end, "end value")
    return _finite_result(lambda: last / first, "growth multiple")


def span_years(start_year: int, end_year: int) -> int:
    """Whole years between two calendar years; the end must come after the start."""
    first, last = _number(start_year, "start year"), _number(end_year, "end year")
    if last <= first:
        raise CalculationError(
            f"The end year ({last:g}) must come after the start year ({first:g})."
        )
    return int(last - first)


def trajectory(value: float, year: int, rate: float, end_year: int) -> list[tuple[int, float]]:
    """(year, value) for every calendar year from `year` to `end_year`, growing at `rate` percent a year."""
    first_year, last_year = int(_number(year, "start year")), int(_number(end_year, "end year"))
    span = span_years(first_year, last_year)
    if span > MAX_TRAJECTORY_YEARS:
        raise CalculationError(f"A trajectory over {span} years is too long to chart, over two centuries.")
    return [(y, value_in_year(value, first_year, rate, y)) for y in range(first_year, last_year + 1)]


# --- formulas with the actual numbers, for the answer text -----------------------------------------

_FORMULA_SCALES = (1e12, 1e9, 1e6, 1e3)
_SCALE_NAMES = {1e12: "trillion", 1e9: "billion", 1e6: "million", 1e3: "thousand", 1.0: ""}


def common_scale(*amounts: float) -> float:
    """The largest scale at which every amount is a whole number: (8.934e9, 19.7e9) -> 1e6."""
    for scale in _FORMULA_SCALES:
        scaled = [abs(a) / scale for a in amounts]
        if all(s >= 1 and abs(s - round(s)) < 1e-6 for s in scaled):
            return scale
    for scale in _FORMULA_SCALES:  # no whole-number scale: the largest at which all are >= 1
        if all(abs(a) / scale >= 1 for a in amounts):
            return scale
    return 1.0


def scale_name(scale: float) -> str:
    """The word for a scale from `common_scale`: 1e6 -> "million", 1 -> ""."""
    return _SCALE_NAMES.get(scale, "")


def _amount(value: float, scale: float) -> str:
    return format_number(value / scale, 4)


def _one_plus(rate: float) -> str:
    """ "(1 + 0.121)" for 12.1%, "(1 - 0.05)" for -5%."""
    sign = "-" if rate < 0 else "+"
    return f"(1 {sign} {format_number(abs(rate) / 100, 6)})"


def _scaled(value: float) -> str:
    """One amount with its scale word: 523.7e9 -> "523.7 billion"."""
    scale = next((s for s in (1e12, 1e9, 1e6) if abs(value) >= s), 1.0)
    name = _SCALE_NAMES[scale]
    return f"{_amount(value, scale)} {name}" if name else _amount(value, scale)


def cagr_formula(start: float, end: float, years: float) -> str:
    scale = common_scale(start, end)
    return f"({_amount(end, scale)} / {_amount(start, scale)}) ^ (1 / {format_number(years, 4)}) - 1"


def projection_formula(start: float, rate: float, years: float) -> str:
    return f"{_scaled(start)} × {_one_plus(rate)} ^ {format_number(years, 4)}"


def base_value_formula(end: float, rate: float, years: float) -> str:
    return f"{_scaled(end)} / {_one_plus(rate)} ^ {format_number(years, 4)}"


def years_to_target_formula(start: float, target: float, rate: float) -> str:
    scale = common_scale(start, target)
    return (
        f"ln({_amount(target, scale)} / {_amount(start, scale)}) / ln{_one_plus(rate)}"
    )


def time_to_multiply_formula(rate: float, factor: float) -> str:
    return f"ln({format_number(factor, 4)}) / ln{_one_plus(rate)}"


def growth_factor_formula(rate: float, years: float) -> str:
    return f"{_one_plus(rate)} ^ {format_number(years, 4)}"


def multiple_formula(start: float, end: float) -> str:
    scale = common_scale(start, end)
    return f"{_amount(end, scale)} / {_amount(start, scale)}"
