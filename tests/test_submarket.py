"""A part of a market (assistant/submarket.py): the whole market's figure never answers for a part the reports
name, and a word the reports never put before the name narrows nothing. Real model, real index, a corpus of its
own written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import Assistant

KETTLES = (
    "# Smart Kettle Market Outlook\n\n"
    "The global smart kettle market was valued at USD 1.2 billion in 2024 and is expected to reach USD 2.0 billion "
    "by 2030, growing at a CAGR of 8.9% from 2024 to 2030.\n\n"
    "## Segments\n\n"
    "Cordless smart kettles held a 58% share of units sold in 2024, as buyers move away from corded bases. "
    "Gooseneck smart kettles appeal to pour-over coffee drinkers.\n\n"
    "## Key players\n\nBrewSense, Kettlewise and Pourly lead the market.\n"
)


@pytest.fixture(scope="module")
def kettles(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    corpus = tmp_path_factory.mktemp("kettles")
    (corpus / "kettles.md").write_text(KETTLES, encoding="utf-8")
    assistant = Assistant(corpus, tmp_path_factory.mktemp("kettles-index"), progress=False)
    assistant.ingest()
    return assistant


@pytest.mark.parametrize("question", [
    "How big will the cordless smart kettle market be in 2030?",
    "What is the gooseneck smart kettle segment worth in 2024?",
])
def test_a_part_the_reports_name_is_not_answered_with_the_whole_markets_figure(kettles: Assistant, question) -> None:
    """The cordless sentence states a share, so "cordless" is no unknown word: only the part check keeps the whole
    market's USD 2.0 billion from answering for cordless kettles."""
    answer = kettles.ask(question)
    assert answer.route != "calculator"
    assert "2.0 billion" not in answer.answer and "1.2 billion" not in answer.answer


@pytest.mark.parametrize("question, figure", [
    ("How big will the global smart kettle market be in 2030?", "2.0 billion"),
    ("How big will the worldwide smart kettle market be in 2030?", "2.0 billion"),
    ("What was the smart kettle market worth in 2024?", "1.2 billion"),
])
def test_the_whole_market_is_still_answered_from_its_figure(kettles: Assistant, question: str, figure: str) -> None:
    answer = kettles.ask(question)
    assert answer.route == "retrieval" and figure in answer.answer and answer.citations


def test_the_parts_own_figure_answers_for_the_part(kettles: Assistant) -> None:
    answer = kettles.ask("What share of units sold do cordless smart kettles hold?")
    assert "58%" in answer.answer and answer.citations
