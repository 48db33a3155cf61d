"""The trajectory chart: what it draws is exactly the calculator's series, with the report's stated points marked."""

from __future__ import annotations

import threading

import pytest
from matplotlib.collections import PathCollection

from assistant.calculator import trajectory
from assistant.charts import axis_scale, figure_png, series_points, trajectory_figure

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def cagr_series(start: float, start_year: int, end: float, end_year: int) -> list[dict]:
    """A series as the calculator builds one: every year from start to end, the two ends stated."""
    rate = ((end / start) ** (1 / (end_year - start_year)) - 1) * 100
    points = trajectory(start, start_year, rate, end_year)
    return [{"year": y, "value": v, "stated": y in (start_year, end_year)} for y, v in points]


def drawn(figure) -> tuple[list, list, list]:
    axes = figure.axes[0]
    line = axes.get_lines()[0]
    scatter = next(c for c in axes.collections if isinstance(c, PathCollection))
    stated = [value for point in scatter.get_offsets() for value in point]  # flat: year, value, year, value…
    return list(line.get_xdata()), list(line.get_ydata()), stated


def test_draws_every_year_and_marks_the_stated_points() -> None:
    series = cagr_series(8_934e6, 2024, 19_700e6, 2031)
    figure = trajectory_figure(series, unit="USD")
    years, values, stated = drawn(figure)
    assert years == list(range(2024, 2032))
    assert values == pytest.approx([p["value"] / 1e9 for p in series])
    assert stated == pytest.approx([2024, 8.934, 2031, 19.7])
    axes = figure.axes[0]
    assert axes.get_ylabel() == "USD billion"
    assert axes.get_title() == "Market size 2024–2031"
    assert all(float(t).is_integer() for t in axes.get_xticks())
    labels = {text.get_text() for text in axes.texts}
    assert {"8.934", "19.7"} <= labels
    assert axes.get_ylim()[0] == 0


def test_a_projection_labels_its_calculated_end_year() -> None:
    points = trajectory(8_934e6, 2024, 12.1, 2028)
    series = [{"year": y, "value": v, "stated": y == 2024} for y, v in points]
    figure = trajectory_figure(series, unit="USD")
    _, _, stated = drawn(figure)
    assert stated == pytest.approx([2024, 8.934])
    labels = {text.get_text() for text in figure.axes[0].texts}
    assert f"{points[-1][1] / 1e9:.3f}".rstrip("0") in labels


def test_stated_figures_alone_are_not_joined_by_a_line() -> None:
    """Two stated sizes say nothing about the years between them: points only, no invented line."""
    figure = trajectory_figure([{"year": 2024, "value": 8.934e9, "stated": True},
                                {"year": 2031, "value": 19.7e9, "stated": True}])
    axes = figure.axes[0]
    assert axes.get_lines() == []
    scatter = next(c for c in axes.collections if isinstance(c, PathCollection))
    assert [v for point in scatter.get_offsets() for v in point] == pytest.approx([2024, 8.934, 2031, 19.7])
    assert axes.get_title() == "Stated market size 2024–2031"


def test_nothing_to_draw_gives_no_figure() -> None:
    assert trajectory_figure([]) is None
    assert trajectory_figure([{"year": 2024, "value": 1e9, "stated": True}]) is None
    assert trajectory_figure([{"year": 2024, "value": 1e9}, {"year": 2024, "value": 2e9}]) is None


def test_malformed_points_are_dropped_and_points_sorted() -> None:
    points = series_points([{"year": 2026, "value": 3.0}, {"year": "x", "value": 1.0}, {"value": 2.0},
                            {"year": 2025, "value": float("nan")}, {"year": 2024, "value": 1.0, "stated": True}])
    assert [(p.year, p.value, p.stated) for p in points] == [(2024, 1.0, True), (2026, 3.0, False)]


@pytest.mark.parametrize("values, expected", [
    ([8.934e9, 19.7e9], (1e9, "billion")),
    ([523.7e9], (1e9, "billion")),
    ([2.5e12], (1e12, "trillion")),
    ([450e6, 999e6], (1e6, "million")),
    ([12_000.0], (1e3, "thousand")),
    ([12.0], (1.0, "")),
])
def test_axis_scale(values: list[float], expected: tuple[float, str]) -> None:
    assert axis_scale(values) == expected


def test_renders_png_the_same_from_many_threads() -> None:
    """The UI draws charts for several sessions at once: no pyplot state, identical output."""
    series = cagr_series(1.2e9, 2024, 3.4e9, 2030)
    expected = figure_png(trajectory_figure(series))
    assert expected.startswith(PNG_MAGIC) and len(expected) > 10_000
    results: list[bytes] = []
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            results.append(figure_png(trajectory_figure(series)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [expected] * 6


def test_chart_of_a_real_cagr_answer(seed_assistant) -> None:
    """The chart of the seed CAGR question marks exactly the figures its citations quote."""
    answer = seed_assistant.ask("What CAGR do the report's own 2024 and 2031 figures imply?")
    assert answer.route == "calculator" and answer.series
    figure = trajectory_figure(answer.series)
    years, _, stated = drawn(figure)
    assert (years[0], years[-1]) == (2024, 2031)
    inputs = {i.year: i for i in answer.calculation.inputs}
    assert stated == pytest.approx([2024, inputs[2024].value / 1e9, 2031, inputs[2031].value / 1e9])
    quotes = " ".join(c.quote for c in answer.citations)
    assert "8,934 million" in quotes and "19,700 million" in quotes
