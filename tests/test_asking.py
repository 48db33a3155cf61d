"""What a "which ..." question asks for, read from the noun it asks about (assistant/asking.py)."""

from __future__ import annotations

import pytest

from assistant.asking import (asked_entity, asked_noun, asks_about_no_figure, asks_for_one, is_comparative,
                              is_superlative)


@pytest.mark.parametrize("masked, noun, entity", [
    ("Which growth mechanism holds the largest share of the {market} market?", "mechanism", "segment"),
    ("Which {market} segment is growing fastest?", "segment", "segment"),
    ("Which customer group is growing fastest in {market}?", "group", "segment"),
    ("Which vendor leads the {region} {market} market?", "vendor", "organizations"),
    ("Which companies does the {market} report profile?", "companies", "organizations"),
    ("Which two markets were the largest for {market} in {year}?", "markets", "region"),
    ("Which country is expected to have the higher penetration?", "country", "region"),
    ("What CAGR does {firm} give?", "cagr", None),
    ("Which year will it reach {amount}?", "year", None),
    ("Which {market} forecast implies faster growth?", "forecast", None),
    ("Which is forecast to grow faster?", None, None),
    ("What factors drive growth?", "factors", None),  # "what" + a plain noun asks for an explanation
])
def test_the_noun_asked_about_decides_the_kind_of_answer(masked: str, noun, entity) -> None:
    assert asked_noun(masked) == noun
    assert asked_entity(masked, market_named=True) == entity


def test_superlatives_and_comparatives() -> None:
    assert is_superlative("Aeroponics is the fastest-growing segment")
    assert not is_superlative("North America was the second-largest region")  # not the leader
    assert not is_superlative("built on top of these models")
    assert is_comparative("Which grows faster, A or B?") and is_comparative("US versus Canada")
    assert not is_comparative("Which region grows fastest?")


@pytest.mark.parametrize("masked, expected", [
    ("What technique allows {market} models to be trained more efficiently?", True),
    ("What unit are {market} shipments counted in?", True),
    ("What market size does the report give for YEAR?", False),
    ("What share of revenue comes from {region}?", False),
    ("What CAGR does {firm} forecast?", False),
    ("How big is the {market} market?", False),  # no noun asked about
])
def test_a_noun_of_no_figure_asks_for_no_number(masked: str, expected: bool) -> None:
    assert asks_about_no_figure(masked) is expected


def test_how_many_organisations_a_question_wants() -> None:
    assert not asks_for_one("Who are the leading companies in {market}?")
    assert asks_for_one("Who holds the biggest share of the {market} market?")
    assert not asks_for_one("Which vendors lead the {market} market?")


def test_led_by_is_a_superlative_but_led_lighting_is_not() -> None:
    assert is_superlative("The market is led by two U.S.-based vendors, Itron and Aclara.")
    assert not is_superlative("Falling prices of horticultural LED lighting help growth.")
