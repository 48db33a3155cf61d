"""Hostile figures through the real assistant over the shipped corpus (real model, real index): a question whose
numbers cannot be read one way is refused with the reason and no calculation; readable edge cases are computed
on the figures as typed, refused by the calculator, or worded honestly; and in every answer, hostile or from the
seed questions, each number is backed by a cited quote or the calculation (assistant/quantity_checks.py).
"""

from __future__ import annotations

import json
import math
import re

import pytest

from assistant.models import Answer
from assistant.quantity_checks import unbacked_numbers
from hostile_questions import Hostile, hostile_questions
from support import ROOT

# A multiple or result shown as zero although it is not: "grows 0-fold", "0 times".
_SHOWN_AS_ZERO = re.compile(r"(?<![\d.,])0(?:\.0+)?(?:-fold| times)")


def judge(case: Hostile, answer: Answer) -> list[str]:
    """The failure classes of one answer: "misread" (a calculation on input that cannot be read one way, or on
    other values than typed), "unbacked" (a number in the text nothing shown backs), "degenerate" (a result
    worded as zero), "no reason" (a refusal that does not name the figure it cannot read)."""
    failures = []
    calculation = answer.calculation
    if case.refuse and answer.route == "calculator":
        failures.append("misread")
    if not case.refuse and calculation is not None and case.inputs:
        values = [i.value for i in calculation.inputs]
        if not all(any(math.isclose(v, want, rel_tol=1e-9) for v in values) for want in case.inputs):
            failures.append("misread")
    if unbacked_numbers(answer):
        failures.append("unbacked")
    if _SHOWN_AS_ZERO.search(answer.answer):
        failures.append("degenerate")
    if case.refuse and answer.route == "refusal" and case.names and case.names not in answer.answer:
        failures.append("no reason")
    return failures


def _finite_json(answer: Answer) -> None:
    json.loads(json.dumps(answer.to_dict(), allow_nan=False))  # raises on NaN or infinity


HOSTILE = hostile_questions()


def test_the_hostile_set_is_large_and_varied() -> None:
    assert len(HOSTILE) >= 100
    assert {c.kind for c in HOSTILE} >= {"exponent", "negative money", "year as amount", "unparsed", "mixed units",
                                         "huge/tiny", "percent > 100", "zero/negative period"}


def test_hostile_questions_are_never_computed_on_misread_figures(seed_assistant) -> None:
    failed = {}
    for case in HOSTILE:
        answer = seed_assistant.ask(case.question)
        _finite_json(answer)
        if case.refuse:
            assert answer.calculation is None, case.question
        problems = judge(case, answer)
        if problems:
            failed[case.question] = (problems, answer.route, answer.answer[:300])
    assert not failed, json.dumps(failed, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("question, fragment", [
    ("What CAGR takes 10^308 dollars to $20 billion in 5 years?", "written as a power"),
    ("If -$5 billion grows at 8% a year, what is it worth after 6 years?", "negative amount"),
    ("What is $5 billion in 2024 worth in 9999 at 8% a year?", "outside the years read"),
    ("What CAGR takes $3 billion to 9 in 5 years?", "without a currency"),
    ("What CAGR takes 1,000,0000 dollars to $5 billion in 5 years?", "cannot be read as one number"),
])
def test_a_refusal_says_which_figure_it_cannot_read(seed_assistant, question: str, fragment: str) -> None:
    answer = seed_assistant.ask(question)
    assert answer.route == "refusal" and answer.calculation is None
    assert fragment in answer.answer


def test_a_scientific_figure_is_read_as_written(seed_assistant) -> None:
    answer = seed_assistant.ask("What CAGR takes 1.5e9 USD to 3e9 USD in 5 years?")
    assert answer.route == "calculator"
    assert [i.value for i in answer.calculation.inputs] == [1.5e9, 3e9]
    assert answer.value == pytest.approx((2 ** (1 / 5) - 1) * 100, abs=1e-4)


def test_a_multiple_too_small_to_show_is_not_called_zero(seed_assistant) -> None:
    answer = seed_assistant.ask(
        "By what factor does the market grow from 99,999,999,999,999,991,611,392 dollars to 9 dollars?")
    assert not _SHOWN_AS_ZERO.search(answer.answer)
    assert not unbacked_numbers(answer)


def test_a_target_centuries_away_is_answered_without_a_chart_and_states_no_figure_of_its_own(seed_assistant) -> None:
    """The answer is the calculation; only the year-by-year chart, which would run past two centuries, is left out."""
    answer = seed_assistant.ask("How many years to grow from $2 billion to 49e49 billion dollars at 9.6% a year?")
    assert answer.route == "calculator" and answer.series == []
    assert answer.value == pytest.approx(math.log(4.9e59 / 2e9) / math.log(1.096), rel=1e-6)
    assert not unbacked_numbers(answer)


@pytest.mark.parametrize("question", [
    "How many years to grow from $2 billion to $9 billion at 1e-300% a year?",  # 1 + 1e-302 is 1 in a float
    "How many years does a $2 billion market take to reach $9 billion at 0% a year?",
])
def test_a_rate_too_small_to_grow_is_refused_without_a_figure_the_user_did_not_write(seed_assistant, question) -> None:
    answer = seed_assistant.ask(question)
    assert answer.route == "refusal" and "never reaches" in answer.answer
    assert not unbacked_numbers(answer)


def test_a_rate_asked_from_an_amount_and_a_percentage_is_not_computed_as_something_else(seed_assistant) -> None:
    """ "What CAGR takes $5 bn to 40 percent?" mixes two kinds of figure: no value grown at 40% is passed off."""
    answer = seed_assistant.ask("What CAGR takes a market from ¥23999.38 trillion to 23999.38 percent in 6 years?")
    assert answer.route != "calculator"


def _seed_questions() -> list[dict]:
    with open(ROOT / "eval" / "seed_questions.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_every_number_of_every_seed_answer_is_backed(seed_assistant) -> None:
    unbacked = {}
    for row in _seed_questions():
        answer = seed_assistant.ask(row["question"])
        reasons = unbacked_numbers(answer)
        if reasons:
            unbacked[row["id"]] = (answer.route, answer.answer[:300], reasons)
    assert not unbacked, json.dumps(unbacked, indent=1, ensure_ascii=False)


def test_the_check_catches_an_invented_figure(seed_assistant) -> None:
    """The invariant is no tautology: the same answer with one figure changed fails it."""
    answer = seed_assistant.ask("What CAGR takes US$ 8,934 million in 2024 to US$ 19,700 million in 2031?")
    assert answer.route == "calculator" and not unbacked_numbers(answer)
    answer.answer = answer.answer.replace("11.96%", "12.96%", 1)
    assert unbacked_numbers(answer)
