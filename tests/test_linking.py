"""The entity linker (assistant/linking.py) and the report profiles it links to, on reports written here."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from assistant.acronyms import defined_acronyms
from assistant.embedding import Embedder
from assistant.facts import canonical_markets, extract_facts
from assistant.linking import EntityLinker
from assistant.models import Report
from assistant.passages import split_passages
from assistant.profile import build_profile

REPORTS = {
    "monitoring": (
        "BOSTON, March 3, 2021 /PRNewswire/ -- According to a new report by Acme Research, the remote patient "
        "monitoring (RPM) market will reach USD 4.2 billion by 2027. The RPM market stood at USD 1.9 billion in 2021.\n"
    ),
    "pumps": (
        "Heat pump demand report\n\nThe global heat pump market was worth USD 58.3 billion in 2023, according to "
        "Borealis Insights. The heat pump market is forecast to reach USD 97.1 billion by 2030.\n"
    ),
    "bikes": (
        "Pedal Analytics expects the e-bike market to grow from USD 37.5 billion in 2023 to USD 119.7 billion by "
        "2032. The e-bike market is led by Europe.\n"
    ),
    "cells": (
        "Cell report\n\nThe global lithium-ion battery market was worth USD 70.8 billion in 2025 and the lithium-ion "
        "battery market will reach USD 222 billion by 2031. The North America data center market stood at USD 154 "
        "billion in 2025, and the North America data center market will reach USD 253 billion by 2030.\n"
    ),
    "tea": (
        "According to Larkspur Market Intelligence, the kombucha market will pass USD 7.9 billion by 2027.\n"
    ),
    "phones": (
        "Handset Watch estimates that the smartphones market was worth USD 485 billion in 2023. The smartphones "
        "market is mature.\n"
    ),
}


def _embed(texts) -> np.ndarray:
    return Embedder().embed(list(texts))


# A second library: two firms' reports on one market, one writing a word of its name clipped ("Li-ion" for
# "lithium-ion"), and a market known by an initialism no report defines ("MDx").
OTHER_REPORTS = {
    "recycling-a": (
        "According to Kestrel Research, the lithium-ion battery recycling market will reach USD 38.2 billion by 2030.\n"
    ),
    "recycling-b": (
        "Osprey Insights expects the Li-ion battery recycling market to reach USD 6.9 billion by 2030.\n"
    ),
    "diagnostics": (
        "Wren Analytics values the molecular diagnostics market at USD 23.2 billion in 2022.\n"
    ),
    # Two firms whose names share words: "Business ... Insights" of the one is no mention of the other.
    "wounds-a": (
        "According to Fortune Business Insights, the wound care market will reach USD 29.9 billion by 2030.\n"
    ),
    "wounds-b": (
        "According to Business Market Insights, the North America wound care market will reach US$ 11,178.22 million "
        "by 2028.\n"
    ),
    "therapy": (
        "Juniper Vale Research expects the global Cell and Gene Therapy (CGT) market to reach USD 78 billion by "
        "2032.\n"
    ),
    # One market in two word orders, one firm whose name begins with "The", and a three-word name.
    "drones-a": "According to Kite Analytics, the drone delivery market will reach USD 6.8 billion by 2026.\n",
    "drones-b": (
        "The Skyline Research Company expects the delivery drone market to reach USD 18.8 billion by 2026.\n"
    ),
    "models": "Harrow Insights expects the large-scale AI models market to reach USD 19.7 billion by 2031.\n",
}


@lru_cache(maxsize=2)
def linker(library: str = "main") -> EntityLinker:
    """Built as the Assistant builds it: facts named one way across the corpus, then profiles, then links."""
    texts = REPORTS if library == "main" else OTHER_REPORTS
    reports = [Report(doc=doc, title=doc, text=text, source=f"{doc}.txt", content_hash="0" * 64)
               for doc, text in texts.items()]
    acronyms = {a: e for r in reports for a, e in defined_acronyms(r.text).items()}
    facts = canonical_markets([f for r in reports for f in extract_facts(r, split_passages(r))], acronyms)
    profiles = [build_profile(r, [f for f in facts if f.doc == r.doc]) for r in reports]
    market_docs: dict[str, set[str]] = {}
    for fact in facts:
        market_docs.setdefault(fact.market, set()).add(fact.doc)
    return EntityLinker(profiles, market_docs, embed=_embed, acronyms=acronyms)


def markets(question: str) -> list[str]:
    return linker().link(question).market_names


def test_exact_names_link_whatever_the_case_plural_or_leading_words() -> None:
    assert markets("How big is the global Heat Pump market?") == ["heat pump"]
    assert markets("What will heat pumps be worth in 2030?") == ["heat pump"]


def test_an_acronym_the_report_defines_links_to_its_market() -> None:
    assert markets("What is the RPM market worth in 2027?") == ["remote patient monitoring"]


def test_a_clipped_word_or_initials_link_when_another_word_is_written_out() -> None:
    assert markets("What will the Li-ion market be worth in 2026?") == ["lithium-ion battery"]
    assert markets("How big is the NA data center market?") == ["North America data center"]
    assert linker().link("How big is the NQ data center market?").market_names != ["North America data center"]


def test_hyphen_and_space_do_not_matter() -> None:
    assert markets("How big will the ebike market be in 2032?") == ["e-bike"]
    assert markets("What does the e bike market reach?") == ["e-bike"]


def test_a_synonym_links_by_meaning_and_an_unrelated_market_does_not() -> None:
    assert markets("How big is the cell phones market?") == ["smartphones"]
    entities = linker().link("How big will the quantum computing market be in 2030?")
    assert entities.markets == [] and entities.unknown_markets == ["quantum computing"]


def test_two_markets_are_linked_in_the_order_the_question_names_them() -> None:
    assert markets("Which grows faster, e-bikes or heat pumps?") == ["e-bike", "heat pump"]


def test_firms_link_by_their_distinctive_name_and_scope_the_reports() -> None:
    entities = linker().link("What does Borealis expect for 2030?")
    assert [f.firm for f in entities.firms] == ["Borealis Insights"] and entities.docs() == {"pumps"}
    assert [f.firm for f in linker().link("according to acme research, how big is RPM?").firms] == ["Acme Research"]
    assert linker().link("How big is the heat pump market?").docs() is None


def test_a_firm_is_not_read_as_a_market_and_a_market_outside_its_reports_is_dropped() -> None:
    entities = linker().link("What does Pedal Analytics say about the heat pump market?")
    assert [f.firm for f in entities.firms] == ["Pedal Analytics"]
    assert entities.markets == []  # heat pumps are in Borealis's report only


def test_regions_come_from_the_one_vocabulary() -> None:
    regions = linker().link("What share do North American and APAC buyers have, in US$ terms?").regions
    assert [r.region for r in regions] == ["North America", "Asia Pacific"]


def test_a_firm_scopes_only_the_market_it_covers() -> None:
    entities = linker().link("Which is bigger: the heat pump market or Pedal Analytics' e-bike market?")
    assert entities.market_names == ["heat pump", "e-bike"]
    assert entities.docs() == {"pumps", "bikes"}  # the e-bike report by the firm, the heat pump one by its name
    assert linker().link("How big is Pedal Analytics' e-bike market?").docs() == {"bikes"}


def test_a_short_firm_name_and_its_letters_link_only_as_whole_words() -> None:
    assert [f.firm for f in linker().link("What is Borealis's figure for 2030?").firms] == ["Borealis Insights"]
    assert linker().link("Is the heat pump market reported using US dollars?").firms == []
    assert [f.firm for f in linker().link("what does pedalanalytics expect?").firms] == ["Pedal Analytics"]


def test_a_market_only_other_firms_cover_is_kept_aside_not_answered_from_the_named_firm() -> None:
    entities = linker().link("What does Pedal Analytics say about the heat pump market?")
    assert entities.markets == [] and [m.market for m in entities.outside_firms] == ["heat pump"]
    assert linker().link("What does Pedal Analytics say about the e-bike market?").outside_firms == []


def test_a_firm_is_called_by_its_initials_or_its_clipped_words() -> None:
    assert [f.firm for f in linker().link("LMI: kombucha 2027?").firms] == ["Larkspur Market Intelligence"]
    assert [f.firm for f in linker().link("What does LarkMarket expect for kombucha?").firms] == [
        "Larkspur Market Intelligence"]
    assert linker().link("lmi kombucha 2027?").firms == []  # initials count in capitals only
    assert linker().link("Is the Larkwood timber market growing?").firms == []  # each piece clips a word of it


def test_a_market_one_report_writes_with_a_clipped_word_is_the_same_market_as_another_reports() -> None:
    found = linker("other").link("Whose 2030 lithium-ion battery recycling forecast is bigger, Kestrel's or Osprey's?")
    assert found.market_names == ["lithium-ion battery recycling"]
    assert found.markets[0].docs == {"recycling-a", "recycling-b"}
    assert linker("other").link("Li-ion battery recycling market in 2030?").markets[0].docs == {"recycling-a",
                                                                                               "recycling-b"}


def test_a_mixed_case_initialism_links_to_the_one_market_its_capitals_spell() -> None:
    # No report defines "MDx"; its capitals are the initials of one market's words.
    def named(question: str) -> list[str]:
        return linker("other").link(question).market_names

    assert named("How big will the MDx market be in 2030?") == ["molecular diagnostics"]
    # All capitals are left to the acronyms reports define, and capitals that spell no market link nothing.
    assert named("How big will the MD market be in 2030?") == []
    assert named("How big will the QZx market be in 2030?") == []


def test_a_firm_named_in_full_does_not_also_name_a_firm_sharing_its_words() -> None:
    entities = linker("other").link("How big will wound care be by 2030, according to Fortune Business Insights?")
    assert [f.firm for f in entities.firms] == ["Fortune Business Insights"]
    alone = linker("other").link("What does Business Market Insights expect?")
    assert [f.firm for f in alone.firms] == ["Business Market Insights"]


def test_a_firm_called_by_its_initials_is_linked_and_its_initials_are_its_name() -> None:
    entities = linker("other").link("What growth does BMI give for wound care in North America?")
    assert [(f.firm, f.named_as) for f in entities.firms] == [("Business Market Insights", "BMI")]
    assert entities.names_a_firm("BMI") and not entities.names_a_firm("FBX")


def test_a_market_of_two_things_sold_together_keeps_both_in_its_name() -> None:
    entities = linker("other").link("How big will the cell and gene therapy market be in 2032?")
    assert [m.lower() for m in entities.market_names] == ["cell and gene therapy"]
    assert [m.lower() for m in linker("other").link("What will the CGT market reach?").market_names] == \
        ["cell and gene therapy"]


def test_one_market_written_in_two_word_orders_is_one_market() -> None:
    entities = linker("other").link("How big will the drone delivery market be in 2026?")
    assert len(entities.markets) == 1 and entities.markets[0].docs == {"drones-a", "drones-b"}


def test_a_firm_whose_name_drops_the_article_is_called_by_initials_with_it() -> None:
    entities = linker("other").link("What does TSRC expect for drone delivery?")
    assert [f.firm for f in entities.firms] == ["Skyline Research Company"] and entities.docs() == {"drones-b"}


def test_a_long_name_missing_one_word_links_and_a_short_one_does_not() -> None:
    assert linker("other").link("Who are the leading vendors of large AI models?").market_names == \
        ["large-scale AI models"]
    # "AI models" alone is every AI market's pair of generic words; "wound" alone is half of "wound care".
    assert linker("other").link("Who sells AI models?").markets == []
    assert linker("other").link("Who sells wound dressings?").markets == []


def test_a_release_called_by_its_dateline_city_is_its_firms() -> None:
    firms = linker().link("What does the Boston release say about the RPM market?").firms
    assert [(f.firm, f.named_as, f.docs) for f in firms] == [("Acme Research", "Boston", frozenset({"monitoring"}))]
    assert linker().link("How big is the RPM market in Boston?").firms == []


def test_names_run_together_are_one_thing_not_two_markets() -> None:
    assert markets("What will e-bike-grade lithium-ion batteries be worth by 2031?") == ["lithium-ion battery"]
    assert markets("Which is bigger, e-bikes or lithium-ion batteries?") == ["e-bike", "lithium-ion battery"]


def test_a_firm_is_called_by_its_first_word_in_its_own_capitals() -> None:
    texts = {"food": "According to MarkWell Advisors, the halal food market will reach USD 5.2 trillion by 2030.\n",
             "tour": "Orbit Trends Research expects the space tourism market to reach USD 12.6 billion by 2031.\n"}
    reports = [Report(doc=d, title=d, text=t, source=f"{d}.txt", content_hash="0" * 64) for d, t in texts.items()]
    facts = [f for r in reports for f in extract_facts(r, split_passages(r))]
    own = EntityLinker([build_profile(r, [f for f in facts if f.doc == r.doc]) for r in reports],
                       {f.market: {f.doc} for f in facts}, embed=_embed)
    assert [f.firm for f in own.link("By what factor does MarkWell expect halal food to grow?").firms] == [
        "MarkWell Advisors"]
    assert [f.firm for f in own.link("What does Orbit's space tourism report expect?").firms] == [
        "Orbit Trends Research"]


def test_the_other_name_a_report_defines_for_its_firm_calls_it() -> None:
    text = ("According to research company BloombergNEF's (BNEF) outlook, the CCUS market will reach USD 9 billion.\n\n"
            "About BNEF\nBNEF is a research provider.\n")
    report = Report(doc="ccus", title="CCUS outlook", text=text, source="ccus.txt", content_hash="0" * 64)
    facts = extract_facts(report, split_passages(report))
    profile = build_profile(report, facts)
    assert profile.firm == "BNEF"
    own = EntityLinker([profile], {f.market: {f.doc} for f in facts}, embed=_embed,
                       acronyms=defined_acronyms(text))
    assert [(f.firm, f.named_as) for f in own.link("What does BloombergNEF expect for CCUS?").firms] == [
        ("BNEF", "BloombergNEF")]
