"""The guard that every language-model answer must pass (assistant/guard.py)."""

from __future__ import annotations

import pytest

from assistant.guard import GuardVerdict, check_answer, split_sentences
from seed_citations import (
    MULTIMODAL,
    MULTIMODAL_RATE,
    MULTIMODAL_VALUE,
    QY_SIZE,
    QYRESEARCH,
    STRATEGIC,
    STRATEGIC_OUTLOOK,
    cagr_calculation,
    seed_citation,
)

QY = [seed_citation(1, QYRESEARCH, QY_SIZE)]
TWO_REPORTS = [seed_citation(1, QYRESEARCH, QY_SIZE), seed_citation(2, STRATEGIC, STRATEGIC_OUTLOOK)]
MULTI = [seed_citation(1, MULTIMODAL, MULTIMODAL_VALUE), seed_citation(2, MULTIMODAL, MULTIMODAL_RATE)]


def test_faithful_answer_passes() -> None:
    text = (
        "The global large-scale AI models market was worth US$ 8,934 million in 2024 [1]. "
        "It is forecast to reach US$ 19,700 million by 2031, a CAGR of 12.1% over 2025-2031 [1]."
    )
    verdict = check_answer(text, QY, None)
    assert verdict == GuardVerdict(True, [])
    assert verdict.to_dict() == {"status": "passed", "reasons": []}


def test_changed_percentage_is_caught() -> None:
    text = "The market is forecast to grow at a CAGR of 12.5% over 2025-2031 [1]."
    verdict = check_answer(text, QY, None)
    assert not verdict.passed
    assert verdict.to_dict()["status"] == "fell_back"
    assert len(verdict.reasons) == 1 and "12.5%" in verdict.reasons[0]


def test_changed_rate_in_second_report_is_caught() -> None:
    assert check_answer("Multimodal AI grows 44.52% a year over 2025-2035 [2].", MULTI, None).passed
    verdict = check_answer("Multimodal AI grows 45.52% a year over 2025-2035 [2].", MULTI, None)
    assert not verdict.passed and "45.52%" in verdict.reasons[0]


def test_changed_amount_is_caught() -> None:
    verdict = check_answer("Multimodal AI should be worth USD 532.7 billion by 2035 [1].", MULTI, None)
    assert not verdict.passed and "532.7" in verdict.reasons[0]


def test_unit_normalized_amounts_pass() -> None:
    # The quote says "US$ 19,700 million"; the same amount in billions is fine.
    assert check_answer("The market should reach US$ 19.7 billion by 2031 [1].", QY, None).passed
    assert check_answer("By 2031 the market reaches $19,700 million [2].", TWO_REPORTS, None).passed


def test_wrong_scale_is_caught() -> None:
    verdict = check_answer("The market should reach US$ 19.7 million by 2031 [1].", QY, None)
    assert not verdict.passed and "19.7 million" in verdict.reasons[0]


def test_invented_citation_is_caught() -> None:
    verdict = check_answer("The market should reach US$ 19,700 million by 2031 [7].", QY, None)
    assert not verdict.passed
    assert verdict.reasons == ["Citation [7] does not exist (the answer has citations [1])."]


def test_invented_citation_inside_a_group_is_caught() -> None:
    verdict = check_answer("The CAGR is 12.1% [1, 3].", TWO_REPORTS, None)
    assert not verdict.passed and "[3]" in verdict.reasons[0]
    assert check_answer("The CAGR is 12.1% [1, 2].", TWO_REPORTS, None).passed
    assert check_answer("The CAGR is 12.1% [1][2].", TWO_REPORTS, None).passed


def test_uncited_sentence_is_caught() -> None:
    text = "The market should reach US$ 19,700 million by 2031 [1]. That makes it a great investment."
    verdict = check_answer(text, QY, None)
    assert not verdict.passed
    assert verdict.reasons == ['The sentence "That makes it a great investment." cites no passage.']


def test_marker_after_the_full_stop_counts_for_its_sentence() -> None:
    text = "The market was worth US$ 8,934 million in 2024. [1] It grows at 12.1% a year.[1]"
    assert check_answer(text, QY, None).passed


def test_empty_answer_is_rejected() -> None:
    for text in ("", "   \n "):
        verdict = check_answer(text, QY, None)
        assert not verdict.passed and "empty" in verdict.reasons[0]


def test_citation_markers_are_not_numbers() -> None:
    # "[2]" must not be read as the number 2; nothing in the quote says 2.
    assert check_answer("Large-scale AI models grow at 12.1% a year [1][2].", TWO_REPORTS, None).passed


def test_number_outside_the_quote_is_rejected() -> None:
    # 44.52% is in the cited passage's text but not in the quote the answer relied on.
    citation = seed_citation(1, MULTIMODAL, MULTIMODAL_VALUE)
    assert "44.52%" in citation.text and "44.52%" not in citation.quote
    verdict = check_answer("Multimodal AI grows 44.52% a year [1].", [citation], None)
    assert not verdict.passed and "44.52%" in verdict.reasons[0]


def test_spelled_out_amount_is_rejected() -> None:
    verdict = check_answer("The market is worth one quadrillion dollars [1].", QY, None)
    assert not verdict.passed
    assert "quadrillion" in verdict.reasons[0]


def test_duration_may_restate_a_period_span() -> None:
    assert check_answer("Multimodal AI grows 44.52% a year over a decade [2].", MULTI, None).passed
    verdict = check_answer("Multimodal AI grows 44.52% a year over eight years [2].", MULTI, None)
    assert not verdict.passed and "eight years" in verdict.reasons[0]


def test_years_and_periods() -> None:
    assert check_answer("Growth runs over the 2025-2031 forecast period [1].", QY, None).passed
    # Both ends stated in the quote as years: fine.
    assert check_answer("Between 2024 and 2031 the market more than doubles [1].", QY, None).passed
    verdict = check_answer("Growth runs over the 2026-2031 forecast period [1].", QY, None)
    assert not verdict.passed and "2026" in verdict.reasons[0]
    assert not check_answer("The market reaches US$ 19,700 million by 2030 [1].", QY, None).passed


@pytest.mark.parametrize(
    ("shown", "passes"),
    [("11.96%", True), ("11.959%", True), ("12.0%", True), ("11.97%", False), ("11.9%", False)],
)
def test_calculator_result_may_be_rounded_to_its_shown_precision(shown: str, passes: bool) -> None:
    calculation = cagr_calculation()  # result 11.9593 %
    text = f"Growing from US$ 8,934 million in 2024 to US$ 19,700 million in 2031 implies {shown} a year [1]."
    verdict = check_answer(text, QY, calculation)
    assert verdict.passed is passes, verdict.reasons


def test_calculator_inputs_and_formula_numbers_are_allowed() -> None:
    calculation = cagr_calculation()
    text = (
        "The calculator divides 19,700 by 8,934 and spreads the growth over 7 years, "
        "giving 11.96% a year [1]."
    )
    assert check_answer(text, QY, calculation).passed
    # Without the calculation, 11.96% has nothing to stand on.
    assert not check_answer(text, QY, None).passed


def test_every_offending_item_gets_its_own_reason() -> None:
    text = "The CAGR is 12.5% [4]. It will be US$ 30 billion by 2031."
    reasons = check_answer(text, QY, None).reasons
    assert len(reasons) == 4
    assert any("[4]" in r for r in reasons)
    assert any("cites no passage" in r for r in reasons)
    assert any("12.5%" in r for r in reasons)
    assert any("30 billion" in r for r in reasons)


def test_a_step_of_the_calculation_backs_the_figure_it_computes() -> None:
    """The gap between the implied and the stated rate is a step of the calculation: restating it is backed,
    and a gap the steps do not compute is not."""
    from dataclasses import replace

    from assistant.models import Calculation, CalculationInput

    gap = Calculation("difference", "12.1 - 11.9593", [CalculationInput("stated rate", 12.1, "%"),
                                                      CalculationInput("implied rate", 11.9593, "%")], 0.1407)
    text = ("Growing from US$ 8,934 million in 2024 to US$ 19,700 million in 2031 implies 11.96% a year, "
            "0.14 percentage points below the stated 12.1% [1].")
    assert check_answer(text, QY, replace(cagr_calculation(), steps=[gap])).passed
    assert not check_answer(text, QY, cagr_calculation()).passed
    assert not check_answer(text.replace("0.14", "0.41"), QY, replace(cagr_calculation(), steps=[gap])).passed


def test_sentence_split_keeps_decimals_and_markers() -> None:
    text = "It grows 12.1% a year [1]. It reaches US$ 19.7 billion. [1]\n- a list item [1]"
    assert split_sentences(text) == [
        "It grows 12.1% a year [1].",
        "It reaches US$ 19.7 billion. [1]",
        "- a list item [1]",
    ]


def test_calculator_answer_must_state_its_result() -> None:
    # True numbers, wrong answer: the report's 12.1% is not the CAGR the calculation implies.
    text = "The market grows at a CAGR of 12.1% from US$ 8,934 million in 2024 [1]."
    verdict = check_answer(text, QY, cagr_calculation())
    assert verdict.reasons == ["The answer does not state the calculated result (11.96)."]


def test_repeated_sentence_is_rejected() -> None:
    sentence = "Multimodal AI should be worth USD 523.7 billion by 2035 [1]."
    assert check_answer(sentence, MULTI, None).passed
    verdict = check_answer(f"{sentence}\n\n{sentence[:-5]}. [1]", MULTI, None)
    assert not verdict.passed
    assert verdict.reasons == [f'The sentence "{sentence[:-5]}. [1]" is repeated.']
