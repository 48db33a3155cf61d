"""The facts table (assistant/facts.py) and its consistency audit (assistant/audit.py), on the real seed reports
read by the real ingest and passage splitter, and on small reports written for the test."""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.audit import AuditFlag, audit, consistency_checks, describe_verdict
from assistant.facts import (
    canonical_markets,
    clipped_variant,
    extract_facts,
    fact_value_text,
    facts_from_rows,
    facts_to_rows,
    headline_subject,
    market_key,
    market_names,
)
from assistant.ingest import list_corpus, load_metadata, load_report
from assistant.models import Fact, MarketQAError, Report
from assistant.passages import split_passages
from assistant.quantities import find_quantities

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QY = "large-scale-ai-models-qyresearch"
STRATEGIC = "large-scale-ai-models-strategic-insights"
MULTIMODAL = "multimodal-ai-market-value"


@lru_cache(maxsize=1)
def seed_reports() -> dict[str, Report]:
    metadata = load_metadata(CORPUS)
    reports = [load_report(f.path, metadata.get(f.path.name)) for f in list_corpus(CORPUS)]
    return {r.doc: r for r in reports}


@lru_cache(maxsize=1)
def seed_facts() -> tuple[Fact, ...]:
    return tuple(f for r in seed_reports().values() for f in extract_facts(r, split_passages(r)))


def make_report(text: str, doc: str = "test-report", title: str = "Test report") -> tuple[Report, list[Fact]]:
    report = Report(doc=doc, title=title, text=text, source=f"{doc}.txt", content_hash="0" * 64)
    return report, extract_facts(report, split_passages(report))


def facts_of(doc: str) -> list[Fact]:
    return [f for f in seed_facts() if f.doc == doc]


# --- the seed reports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, market, metric, value, unit, year, period",
    [
        (QY, "large-scale AI models", "size", 8_934_000_000, "USD", 2024, None),
        (QY, "large-scale AI models", "size", 19_700_000_000, "USD", 2031, None),
        (QY, "large-scale AI models", "cagr", 12.1, "%", None, (2025, 2031)),
        (STRATEGIC, "large-scale AI models", "size", 8_934_000_000, "USD", 2024, None),
        (STRATEGIC, "large-scale AI models", "size", 19_700_000_000, "USD", 2031, None),
        (STRATEGIC, "large-scale AI models", "cagr", 12.1, "%", None, (2025, 2031)),
        (MULTIMODAL, "multimodal AI", "size", 523_700_000_000, "USD", 2035, None),
        (MULTIMODAL, "multimodal AI", "cagr", 44.52, "%", None, (2025, 2035)),
    ],
)
def test_required_seed_facts(doc, market, metric, value, unit, year, period) -> None:
    matches = [
        f for f in facts_of(doc)
        if (f.market, f.metric, f.value, f.unit, f.year, f.period) == (market, metric, value, unit, year, period)
    ]
    assert matches, [(f.market, f.metric, f.value, f.year, f.period) for f in facts_of(doc)]


def test_every_quote_is_the_sentence_at_its_offsets() -> None:
    reports = seed_reports()
    assert seed_facts()
    for fact in seed_facts():
        text = reports[fact.doc].text
        assert text[fact.start : fact.end] == fact.quote
        assert fact.value_text in fact.quote
        assert fact.passage.startswith(fact.doc + "#")
    passages = {p.id: p for r in reports.values() for p in split_passages(r)}
    for fact in seed_facts():
        passage = passages[fact.passage]
        assert (fact.start, fact.end) in passage.sentences


def test_the_seed_sentence_with_three_figures() -> None:
    sentence = next(f.quote for f in facts_of(QY) if "8,934" in f.quote)
    assert sentence.startswith("The global market for Large-scale AI Models was estimated")
    in_sentence = [(f.metric, f.value, f.year, f.period) for f in facts_of(QY) if f.quote == sentence]
    assert in_sentence == [
        ("size", 8.934e9, 2024, None), ("size", 19.7e9, 2031, None), ("cagr", 12.1, None, (2025, 2031)),
    ]


def test_seed_facts_name_only_the_two_markets_and_no_junk() -> None:
    assert {f.market for f in seed_facts()} == {"large-scale AI models", "multimodal AI"}
    assert {f.metric for f in seed_facts()} == {"size", "cagr"}
    assert {f.value for f in seed_facts() if f.metric == "size"} == {8.934e9, 19.7e9, 523.7e9}
    assert {f.value for f in seed_facts() if f.metric == "cagr"} == {12.1, 44.52}
    for fact in seed_facts():
        for junk in ("19-year", "100,000+", "tens of millions", "multi-billion", "Suite 369", "Tel:"):
            assert junk not in fact.quote


def test_duplicates_from_different_sentences_are_kept_with_their_source() -> None:
    sizes_2031 = [f for f in seed_facts() if f.metric == "size" and f.year == 2031]
    assert {f.doc for f in sizes_2031} == {QY, STRATEGIC}
    assert len({(f.doc, f.start) for f in sizes_2031}) == len(sizes_2031) >= 3
    undated = [f for f in facts_of(MULTIMODAL) if f.metric == "size" and f.year is None]
    assert [f.value_text for f in undated] == ["USD 523.7 billion"]  # "the future market value of USD 523.7 billion"


# --- reports written for the test ---------------------------------------------------------------


def test_market_from_context_and_period_words() -> None:
    _, facts = make_report(
        "European EV Battery Market Outlook\n"
        "In 2023, the European EV battery market was valued at €40.5 billion. "
        "It is expected to expand at a CAGR of 18.2% from 2024 to 2030, reaching €130 billion by 2030. "
        "Lithium prices fell 35% last year, and the top five suppliers hold a 70% share.\n"
    )
    rows = [(f.market, f.metric, f.value, f.unit, f.year, f.period) for f in facts]
    assert rows == [
        ("European EV battery", "size", 40.5e9, "EUR", 2023, None),
        ("European EV battery", "cagr", 18.2, "%", None, (2024, 2030)),
        ("European EV battery", "size", 130e9, "EUR", 2030, None),
        # A share is a figure too; the fall in lithium prices is no figure of the market.
        ("European EV battery", "share", 70.0, "%", None, None),
    ]


def test_market_for_phrase_and_heading_fallback() -> None:
    _, facts = make_report(
        "Cloud Gaming Market Report\n\n"
        "The market for cloud gaming services reached $6.7 billion in 2024.\n\n"
        "Growth Outlook\n\n"
        "Revenue should rise at a 29.4% compound annual growth rate over 2025-2030.\n",
        title="Cloud Gaming Market Report",
    )
    assert [(f.market, f.metric, f.value) for f in facts] == [
        ("cloud gaming services", "size", 6.7e9),
        ("cloud gaming services", "cagr", 29.4),  # the heading's market, named as the report names it
    ]


def test_amounts_outside_market_sentences_are_not_facts() -> None:
    _, facts = make_report(
        "Acme Corp raised $300 million from investors in 2022. The CEO earns $2 million a year. "
        "Its headcount grew 15% in 2023.\n"
    )
    assert facts == []


# --- market names --------------------------------------------------------------------------------


def test_market_key_normalizes_the_ways_a_market_is_written() -> None:
    same = ["Large-scale AI Models", "large scale AI model market", "large-scale AI", "the global Large-scale AI "
            "Models market", "LARGE-SCALE AI MODELS"]
    assert {market_key(n) for n in same} == {"large scale ai"}
    assert market_key("Multimodal AI Market Value") == market_key("multimodal AI") == "multimodal ai"
    assert market_key("large language models") != market_key("large-scale AI models")


def test_what_a_market_sells_is_dropped_only_from_a_name_already_whole() -> None:
    assert market_key("Buy Now Pay Later services") == market_key("buy now pay later")
    assert market_key("sun care products market") == market_key("sun care")
    assert market_key("IT services") != market_key("IT")  # "it" alone would be every question's pronoun


# --- rows ----------------------------------------------------------------------------------------


def test_rows_round_trip_through_json_and_csv() -> None:
    facts = list(seed_facts())
    rows = facts_to_rows(facts)
    assert rows[0].keys() >= {"market", "metric", "value", "unit", "year", "period", "doc", "passage", "quote",
                              "start", "end", "value_text", "value_high"}
    assert facts_from_rows(json.loads(json.dumps(rows))) == facts
    assert facts_from_rows(_through_csv(rows)) == facts


@pytest.mark.parametrize(
    "row",
    [{"market": "x"}, {**facts_to_rows([Fact("m", "size", 1.0, "USD", 2024, None, "d", "d#0", "q", 0, 1)])[0],
                       "period": "2025 to 2031"},
     {**facts_to_rows([Fact("m", "size", 1.0, "USD", 2024, None, "d", "d#0", "q", 0, 1)])[0], "value": "lots"}],
)
def test_malformed_rows_raise_a_clear_error(row: dict) -> None:
    with pytest.raises(MarketQAError, match="facts table"):
        facts_from_rows([row])


# --- audit ---------------------------------------------------------------------------------------


def test_seed_reports_are_consistent_within_rounding_and_raise_no_flag() -> None:
    # A 2024 base year with a 2025-2031 forecast period is how reports write a forecast: 11.96% against a stated
    # 12.1% is rounding, not a mismatch.
    assert audit(seed_facts()) == []
    checks = consistency_checks(seed_facts())
    assert sorted((c.doc, c.verdict) for c in checks) == [(QY, "rounding"), (STRATEGIC, "rounding")]
    for check in checks:
        assert check.base_year_convention and round(check.implied, 2) == 11.96
        message = describe_verdict(check)
        for words in ("12.1%", "2025-2031", "11.96%", "7 years", "within rounding"):
            assert words in message
        json.dumps(check.to_dict())


@pytest.mark.parametrize("stated, period, verdict", [
    (14.87, (2020, 2025), "consistent"),  # (20 / 10) ^ (1 / 5) - 1 = 14.87%, as printed
    (14.9, (2020, 2025), "consistent"),  # 14.87 prints as 14.9 with one decimal
    (15.2, (2020, 2025), "rounding"),
    (15.2, (2021, 2025), "rounding"),  # the forecast period starts the year after the base year
    (15.2, (2022, 2025), "inconsistent"),  # another period altogether
    (20.0, (2020, 2025), "inconsistent"),
])
def test_a_verdict_per_stated_cagr(stated: float, period: tuple[int, int], verdict: str) -> None:
    facts = [_fact("a", "size", 10e9, 2020), _fact("a", "size", 20e9, 2025), _fact("a", "cagr", stated, period=period)]
    [check] = consistency_checks(facts)
    assert check.verdict == verdict
    kinds = [f.kind for f in audit(facts)]
    assert ("period_mismatch" in kinds) == (period == (2022, 2025))


def test_consistency_check_uses_the_sizes_of_the_cagr_sentence() -> None:
    checks = [c for c in consistency_checks(seed_facts()) if c.doc == STRATEGIC]
    assert len(checks) == 1
    check = checks[0]
    assert check.start.quote == check.stated.quote == check.end.quote
    assert (check.start.year, check.end.year, check.years) == (2024, 2031, 7)
    assert not check.period_matches and abs(check.difference) < 0.5


def _fact(doc: str, metric: str, value: float, year=None, period=None, market="widgets") -> Fact:
    unit = "USD" if metric == "size" else "%"
    return Fact(market, metric, value, unit, year, period, doc, f"{doc}#0", "q", 0, 1)


def test_audit_flags_a_cagr_the_figures_do_not_support() -> None:
    facts = [_fact("a", "size", 10e9, 2020), _fact("a", "size", 20e9, 2025),
             _fact("a", "cagr", 20.0, period=(2020, 2025))]
    flags = audit(facts)
    assert [f.kind for f in flags] == ["cagr_mismatch"]
    expected = ((20 / 10) ** (1 / 5) - 1) * 100
    assert flags[0].implied == pytest.approx(expected)
    assert "14.87%" in flags[0].message and "below the stated 20%" in flags[0].message


def test_audit_passes_consistent_figures() -> None:
    facts = [_fact("a", "size", 10e9, 2020), _fact("a", "size", 20e9, 2025),
             _fact("a", "cagr", 14.9, period=(2020, 2025))]
    assert audit(facts) == []
    assert audit([_fact("a", "cagr", 14.9)]) == []
    assert audit([]) == []


def test_audit_flags_reports_that_disagree() -> None:
    facts = [_fact("a", "size", 19.7e9, 2031), _fact("b", "size", 21.0e9, 2031), _fact("c", "size", 19.75e9, 2031)]
    flags = audit(facts)
    assert [f.kind for f in flags] == ["source_disagreement"]
    assert {f.doc for f in flags[0].facts} == {"a", "b", "c"}
    assert "a says USD 19.7 billion" in flags[0].message and "b says USD 21 billion" in flags[0].message
    assert audit([_fact("a", "size", 19.7e9, 2031), _fact("b", "size", 19.75e9, 2031)]) == []  # within 1%
    assert audit([_fact("a", "size", 19.7e9, 2031), _fact("b", "size", 25e9, 2030)]) == []  # different years
    assert isinstance(flags[0], AuditFlag)


def test_audit_reads_a_stated_range_as_both_ends() -> None:
    from dataclasses import replace

    ranged = replace(_fact("a", "size", 1.2e9, 2024), value_high=1.5e9)
    inside, outside = _fact("b", "size", 1.4e9, 2024), _fact("b", "size", 1.9e9, 2024)
    assert audit([ranged, inside]) == []  # 1.4 lies within 1.2-1.5: the reports agree
    flags = audit([ranged, outside])
    assert [f.kind for f in flags] == ["source_disagreement"]
    assert "a says USD 1.2–1.5 billion" in flags[0].message  # both ends, never the low end alone
    # A CAGR range cannot be checked against the report's own sizes: no one rate to compare.
    rates = [_fact("a", "size", 10e9, 2020), _fact("a", "size", 20e9, 2025),
             replace(_fact("a", "cagr", 8.0, period=(2020, 2025)), value_high=10.0)]
    assert audit(rates) == []


def test_regional_figures_are_not_the_whole_market() -> None:
    _, facts = make_report(
        "The global EV charging market was valued at USD 30 billion in 2024 and is set to reach USD 95 billion by "
        "2031. North America was the second-largest region, with revenue of USD 9 billion in 2024.\n"
    )
    assert [(f.market, f.value, f.year) for f in facts] == [
        ("EV charging", 30e9, 2024), ("EV charging", 95e9, 2031), ("North America EV charging", 9e9, 2024),
    ]


def test_a_niche_is_named_by_itself() -> None:
    _, facts = make_report(
        "The global plant-based dairy market was worth USD 24.6 billion in 2024. Within Europe, the Nordic "
        "oat-based cheese niche alone was worth about €40m in 2024.\n"
    )
    assert [(f.market, f.value, f.unit) for f in facts] == [
        ("plant-based dairy", 24.6e9, "USD"), ("Nordic oat-based cheese", 40e6, "EUR"),
    ]


def test_an_amount_without_currency_takes_the_currency_of_its_sentence() -> None:
    _, facts = make_report(
        "Atlas values the global vertical farming market at USD 5.6 billion in 2023 and expects it to reach "
        "19.7 bn by 2030, a compound annual growth rate of 19.7% over 2023-2030.\n"
    )
    assert [(f.metric, f.value, f.unit, f.year, f.period, f.value_text) for f in facts] == [
        ("size", 5.6e9, "USD", 2023, None, "USD 5.6 billion"),
        ("size", 19.7e9, "USD", 2030, None, "19.7 bn"),
        ("cagr", 19.7, "%", None, (2023, 2030), "19.7%"),
    ]


def test_a_rate_per_year_is_a_cagr_and_a_title_region_owns_unregioned_figures(tmp_path) -> None:
    from assistant.ingest import load_report
    from assistant.passages import split_passages

    page = tmp_path / "meters.txt"
    page.write_text("North American Smart Meter Base to Reach 180.9 Million Units by 2030\n\n"
                    "The base will grow from 152.4 million units in 2024. Shipments are forecast to climb 5.6% a "
                    "year through 2030.\n", encoding="utf-8")
    report = load_report(page)
    facts = extract_facts(report, split_passages(report))
    assert any(f.metric == "cagr" and f.value == 5.6 for f in facts)
    volumes = [f for f in facts if f.metric == "volume" and f.year == 2024]
    assert volumes and all(f.market.startswith("North America") for f in volumes)


def test_a_region_is_one_market_key_however_it_is_written() -> None:
    assert market_key("Chinese e-bicycle") == market_key("China e-bicycle")
    assert market_key("North American smart meters") == market_key("North America smart meter")
    assert market_key("Chinese e-bicycle") != market_key("e-bicycle")


def test_a_plural_acronym_defines_the_singular_too() -> None:
    from assistant.acronyms import defined_acronyms

    found = defined_acronyms("Small modular reactors (SMRs) are entering pilot stages.")
    assert found["SMR"] == found["SMRs"] == "Small modular reactors"


# --- ranges --------------------------------------------------------------------------------------------------------

RANGES = (
    "The global solar inverter market was valued at $1.2-1.5 billion in 2024 and is expected to reach USD 3.1 billion "
    "by 2030, growing at a CAGR of 8%-10% over 2025-2030. Installed solar inverter capacity reached 12–15 GW in 2024, "
    "and shipments could reach 20 to 25 GW by 2030.\n"
)


def test_a_range_keeps_both_ends_and_shows_both() -> None:
    _, facts = make_report(RANGES, title="Solar inverter market outlook")
    rows = [(f.metric, f.value, f.value_high, f.unit, f.year, f.period, fact_value_text(f)) for f in facts]
    assert rows == [
        ("size", 1.2e9, 1.5e9, "USD", 2024, None, "USD 1.2–1.5 billion"),
        ("size", 3.1e9, None, "USD", 2030, None, "USD 3.1 billion"),
        ("cagr", 8.0, 10.0, "%", None, (2025, 2030), "8–10%"),
        # Capacity ranges are volumes like any capacity, with both ends and their unit.
        ("volume", 12.0, 15.0, "GW", 2024, None, "12–15 GW"),
        ("volume", 20.0, 25.0, "GW", 2030, None, "20–25 GW"),
    ]
    assert all(f.value >= 0 for f in facts)  # "8%-10%" is no -10% growth rate
    assert {f.market for f in facts} == {"solar inverter"}


def test_a_start_and_an_end_value_are_two_facts_not_a_range() -> None:
    _, facts = make_report("The global heat pump market is projected to grow from USD 3.4 billion in 2024 to USD 5.1 "
                           "billion by 2030. Sales are expected to grow from USD 5.1 billion to USD 6 billion by "
                           "2032.\n")
    assert [(f.value, f.value_high, f.year) for f in facts] == [
        (3.4e9, None, 2024), (5.1e9, None, 2030), (5.1e9, None, None), (6e9, None, 2032)]


def test_currency_words_and_units_of_count() -> None:
    _, facts = make_report(
        "The global hybrid inverter market generated revenue of about 3.4 billion U.S. dollars in 2024. The European "
        "inverter market is expected to be worth about 4.6 billion euros in 2024. Microinverter shipments totalled "
        "12.5 million units in 2024, and microinverter market revenue fell to USD 1.2-1.5 billion.\n"
    )
    rows = [(f.metric, f.value, f.value_high, f.unit, f.year) for f in facts]
    assert rows == [
        ("size", 3.4e9, None, "USD", 2024),
        ("size", 4.6e9, None, "EUR", 2024),
        # 12.5 million units counts things: it takes no currency from the amount later in its sentence.
        ("volume", 12.5e6, None, "units", 2024),
        ("size", 1.2e9, 1.5e9, "USD", 2024),
    ]


def _through_csv(rows: list[dict]) -> list[dict]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    buffer.seek(0)
    return list(csv.DictReader(buffer))


def test_ranges_round_trip_and_old_tables_still_load() -> None:
    _, facts = make_report(RANGES, title="Solar inverter market outlook")
    rows = facts_to_rows(facts)
    assert [r["value_high"] for r in rows] == [1.5e9, None, 10.0, 15.0, 25.0]
    assert facts_from_rows(json.loads(json.dumps(rows))) == facts
    assert facts_from_rows(_through_csv(rows)) == facts
    # A table written before ranges were kept has no value_high: every fact reads as a single figure.
    old = [{k: v for k, v in row.items() if k != "value_high"} for row in facts_to_rows(seed_facts())]
    assert facts_from_rows(old) == list(seed_facts())
    assert all(f.value_high is None for f in facts_from_rows(old))
    with pytest.raises(MarketQAError, match="value_high"):
        facts_from_rows([{**rows[0], "value_high": "lots"}])


# The calculator (assistant/numeric.py) with facts stated as ranges: frames built by hand, so no model is loaded.


def _range_answer(question: str, intent: str, task: str, answer_type: str, asked: str):
    from assistant.frame import QuestionFrame, read_quantities
    from assistant.linking import LinkedEntities, MarketLink
    from assistant.numeric import answer_numeric

    _, facts = make_report(RANGES, title="Solar inverter market outlook")
    entities = LinkedEntities(markets=[MarketLink("solar inverter", "exact", 1.0, 0, frozenset({"test-report"}))])
    frame = QuestionFrame(question, intent, task, answer_type, entities, read_quantities(question), future=True,
                          asked=asked)
    return answer_numeric(frame, facts)


@pytest.mark.parametrize(
    "question, intent, task, answer_type, asked, shown",
    [
        ("What CAGR do the solar inverter market sizes imply from 2024 to 2030?", "compute_cagr", "compute",
         "percent", "rate", ["USD 1.2–1.5 billion in 2024 [1]"]),
        ("What will the solar inverter market be worth in 2027?", "compute_value", "compute", "money", "money",
         ["USD 1.2–1.5 billion in 2024 [1]", "a CAGR of 8–10% [1]"]),
        ("How long until the solar inverter market doubles?", "compute_multiple_time", "compute", "years", "years",
         ["a CAGR of 8–10% [1]"]),
        ("What is the CAGR from $1-2 billion in 2020 to $3 billion in 2030?", "compute_cagr", "compute", "percent",
         "rate", ["The question gives a range, not a single figure: $1-2 billion."]),
    ],
)
def test_the_calculator_refuses_to_use_one_end_of_a_range(question, intent, task, answer_type, asked, shown) -> None:
    answer = _range_answer(question, intent, task, answer_type, asked)
    assert answer is not None and answer.route == "refusal" and answer.value is None
    assert "a range, not a single figure" in answer.text and "one end of a range" in answer.text
    for words in shown:
        assert words in answer.text


@pytest.mark.parametrize(
    "question, intent, answer_type, asked, shown, ends",
    [
        ("How big is the solar inverter market in 2024?", "lookup_size", "money", "money",
         "USD 1.2–1.5 billion in 2024", {"low": 1.2e9, "high": 1.5e9, "unit": "USD"}),
        ("What CAGR is forecast for the solar inverter market?", "lookup_cagr", "percent", "rate", "8–10% a year",
         {"low": 8.0, "high": 10.0, "unit": "%"}),
        ("What capacity does the solar inverter market have in 2024?", "lookup_volume", "quantity", "money",
         "12–15 GW in 2024", {"low": 12.0, "high": 15.0, "unit": "GW"}),
    ],
)
def test_a_stated_range_is_looked_up_with_both_ends(question, intent, answer_type, asked, shown, ends) -> None:
    answer = _range_answer(question, intent, "lookup", answer_type, asked)
    assert answer is not None and answer.route == "retrieval"
    assert shown in answer.text
    assert answer.value is None  # no one end as the headline figure
    assert answer.value_range == ends  # both ends, in the answer object too


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value="0.1", max_value="99.9", places=1),
       st.decimals(min_value="0.1", max_value="99.9", places=1),
       st.sampled_from(["-", "–", " to "]), st.sampled_from(["$", "USD ", "€"]))
def test_a_generated_range_in_a_market_sentence_is_one_size_fact(a, b, separator, currency) -> None:
    low, high = sorted((a, b))
    if low == high:
        return
    text = f"The global heat pump market was valued at {currency}{low}{separator}{high} billion in 2024.\n"
    _, facts = make_report(text)
    assert [(f.metric, f.year) for f in facts] == [("size", 2024)]
    fact = facts[0]
    assert fact.value == pytest.approx(float(low) * 1e9) and fact.value_high == pytest.approx(float(high) * 1e9)
    shown = fact_value_text(fact)  # "USD 1.2–1.5 billion", "USD 100–200 million": both ends, read back as the range
    (read,) = find_quantities(shown)
    assert shown.startswith(fact.unit + " ") and "–" in shown
    assert (read.value, read.high) == (pytest.approx(fact.value), pytest.approx(fact.value_high))


@pytest.mark.parametrize("sentence, share", [
    ("North America held the largest share of the global heat pump market, 36.4% in 2024.", 36.4),
    ("Europe accounted for 38.5% of global heat pump revenue in 2024, edging ahead of North America at 34.0%.", 34.0),
    ("Europe held 40% of global heat pump sales in 2024, followed by Asia at 31%.", 31.0),
])
def test_a_share_carries_on_to_the_clauses_after_it(sentence: str, share: float) -> None:
    _, facts = make_report(sentence + "\n", title="Heat pump market report")
    assert any(f.metric == "share" and f.value == share for f in facts)


@pytest.mark.parametrize("sentence", [
    "Europe held 40% of global heat pump sales in 2024, and is set to grow at 9.5% a year.",
    "The global heat pump market grew 12% in 2024, after a 3% rise in 2023.",
    "Shares may not add to 100% because of rounding in the global heat pump market table.",
])
def test_a_growth_rate_or_the_whole_is_not_a_share(sentence: str) -> None:
    _, facts = make_report(sentence + "\n", title="Heat pump market report")
    assert not [f for f in facts if f.metric == "share" and f.value in (9.5, 12.0, 3.0, 100.0)]


@pytest.mark.parametrize("text, name", [
    ("Sales in the global 3D printing market reached USD 8.4 billion in 2020.", "3D printing"),
    ("North America became the third-largest e-bike market, with sales of USD 2.1 billion in 2023.", "e-bike"),
    ("China, the largest single country smartphone market, took USD 90 billion in 2024.", "smartphone"),
])
def test_market_names_keep_digits_and_drop_ranks(text: str, name: str) -> None:
    assert name in [n for _, n in market_names(text)]
    assert not [n for _, n in market_names(text) if n.lower().split()[0] in ("d", "third-largest", "single")]


def test_a_place_alone_is_not_a_market_name() -> None:
    assert market_names("Growth in the Chinese market slowed, and the European market stalled.") == []


def test_a_headline_subject_is_what_the_body_repeats() -> None:
    title = "E-Bikes Catch On Outside China, Lifting Global Market Growth Through 2024"
    body = "Global demand for e-bikes is forecast to rise 3.7% a year. E-bike sales jumped."
    assert headline_subject(title, set(), body).lower() == "e-bikes"


def test_that_year_is_the_year_the_sentence_before_names() -> None:
    _, facts = make_report("Cobot shipments reached 61,000 units in 2024. Light models accounted for 47.2% of "
                           "global cobot revenue that year.\n", title="Collaborative robot market")
    assert [(f.value, f.year) for f in facts if f.metric == "share"] == [(47.2, 2024)]


def test_a_way_of_segmenting_is_not_a_market_name() -> None:
    names = [n for _, n in market_names("Food & beverage is the largest application segment of the probiotics market, "
                                        "and capsules lead the form segment of the market.")]
    assert "probiotics" in names and not {"application", "form"} & {n.lower() for n in names}


def test_an_amount_that_measures_something_else_is_no_size_of_the_market() -> None:
    _, facts = make_report(
        "Buy Now Pay Later Market Update\n\n"
        "The buy now pay later market is expected to be valued at US$ 48.7 billion in 2026.\n\n"
        "Global e-commerce sales surpassed US$ 6.6 trillion in 2023, according to UNCTAD.\n\n"
        "North America was the largest region, with revenue of US$ 19.2 billion in 2026.\n",
        title="Buy Now Pay Later Market Update")
    sizes = {f.value for f in facts if f.metric == "size"}
    assert 48.7e9 in sizes and 19.2e9 in sizes
    assert 6.6e12 not in sizes


def test_money_paid_out_is_no_size_of_the_market() -> None:
    _, facts = make_report(
        "Quantum Computing Market Outlook\n\n"
        "The quantum computing market will grow from $89.6 million in 2019 to $1,866.8 million by 2030.\n\n"
        "In the U.S., Congress authorised more than $1.2 billion of spending on quantum science in 2019.\n\n"
        "In Canada, startup Qubitline raised $45 million in funding in 2021.\n\n"
        "Investment in the quantum computing market rose to $3 billion in 2024.\n",
        title="Quantum Computing Market Outlook")
    sizes = {f.value for f in facts if f.metric == "size"}
    assert {89.6e6, 1866.8e6} <= sizes
    assert not {1.2e9, 45e6} & sizes


@pytest.mark.parametrize("short, long, same", [
    ("Li-ion battery recycling", "lithium-ion battery recycling", True),
    ("li-ion batteries", "lithium-ion battery", True),
    ("AI chips", "aircraft chips", False),  # in capitals, a word is an acronym, not a clipping
    ("bio plastics", "biodegradable plastics", False),  # three letters are a prefix of their own ("bio-based")
    ("Li-ion battery", "lithium-ion battery recycling", False),  # another market: a word more
    ("heat pump", "heat pumps", False),  # the same market already, by its key
])
def test_a_clipped_word_names_the_same_market(short: str, long: str, same: bool) -> None:
    assert clipped_variant(short, long) is same


def test_facts_of_one_market_written_clipped_in_one_report_take_the_other_reports_name() -> None:
    reports = [Report(doc=doc, title=doc, text=text, source=f"{doc}.txt", content_hash="0" * 64) for doc, text in [
        ("a", "The lithium-ion battery recycling market will reach USD 38.2 billion by 2030."),
        ("b", "The Li-ion battery recycling market will reach USD 6.9 billion by 2030."),
    ]]
    facts = canonical_markets([f for r in reports for f in extract_facts(r, split_passages(r))], {})
    assert {f.market for f in facts} == {"lithium-ion battery recycling"}
    assert {f.doc for f in facts} == {"a", "b"}


@pytest.mark.parametrize("text, names", [
    ("The global Cell and Gene Therapy (CGT) market will be worth USD 78 Billion by 2032.", ["Cell and Gene Therapy"]),
    ("Cell and gene therapy market size", ["Cell and gene therapy"]),
    ("the food and beverage market is large", ["food and beverage"]),
    ("Sales rose and heat pump market revenue grew", ["heat pump"]),  # "rose and heat pump" is no name
    ("hardware and the software market grew", ["software"]),
    ("which wound-type segment should post a notable CAGR", []),  # a way of cutting the market, not a market
])
def test_market_names_of_two_things_sold_together(text: str, names: list[str]) -> None:
    assert [name for _, name in market_names(text)] == names


def test_the_one_year_opening_a_sentence_dates_its_figure_however_far_on() -> None:
    report = Report(doc="cgt", title="CGT", source="cgt.txt", content_hash="0" * 64, text=(
        "In 2023, North America held over 49.6% market share of the cell and gene therapy market, with revenue "
        "totaling USD 5.3 Billion.\n"))
    sizes = [f for f in extract_facts(report, split_passages(report)) if f.metric == "size"]
    assert [(f.value, f.year) for f in sizes] == [(5.3e9, 2023)]


def test_an_industry_or_sector_in_running_text_names_the_market_a_headline_does_not() -> None:
    report, facts = make_report(
        "Price Alone Will Not Decide Winners of the Tidal Power Prize\n\n"
        "Capital spending in the tidal power sector is expected to reach USD 40 billion by 2031, and bidders will no "
        "longer compete on price alone. The tidal power industry is maturing.\n",
        title="Price Alone Will Not Decide Winners of the Tidal Power Prize")
    assert {f.market for f in facts} == {"tidal power"}
    # A heading's "Recent Industry Developments" names no market.
    assert [name for _, name in market_names("### Recent Industry Developments")] == []


def test_a_year_after_two_amounts_dates_only_the_nearer_one() -> None:
    _, facts = make_report("In the tidal power market, installed capacity will reach 330 GW, up from 34 GW in 2020.\n")
    assert sorted((f.value, f.year) for f in facts if f.metric == "volume" and f.year) == [(34.0, 2020)]
    assert not [f for f in facts if f.value == 330.0 and f.year == 2020]
    # A year before the amounts dates them all.
    _, facts = make_report("In 2021, almost 13 GW of new capacity is due in the tidal power market, taking the total "
                           "to 46 GW.\n")
    assert sorted((f.value, f.year) for f in facts if f.metric == "volume") == [(13.0, 2021), (46.0, 2021)]


def test_the_region_a_sentence_calls_the_region_owns_its_figure() -> None:
    report = Report(doc="esim", title="eSIM phones", source="esim.txt", content_hash="0" * 64, text=(
        "The eSIM smartphone market keeps growing. The high shipment volumes in China will give the Asia-Pacific "
        "region the highest growth rate for eSIM "
        "smartphones from 2025 to 2030, a 22.8% compound annual growth rate (CAGR) for the period.\n"))
    rates = [f for f in extract_facts(report, split_passages(report)) if f.metric == "cagr"]
    assert [(f.market, f.value) for f in rates] == [("Asia-Pacific eSIM smartphone", 22.8)]


def test_a_report_naming_no_market_is_about_what_it_defines_and_masses_are_in_tonnes() -> None:
    report = Report(doc="ccus", title="Lessons from Petra Nova", source="ccus.txt", content_hash="0" * 64, text=(
        "Carbon capture, utilization, and storage (CCUS) draws enthusiasm. CCUS covers capture and storage. "
        "CCUS capacity stands at about 40 megatonnes per year today. IDTechEx expects CCUS capacity to reach "
        "1.27 gigatonnes per year by 2040.\n"))
    volumes = [(f.market, f.value, f.unit, f.year) for f in extract_facts(report, split_passages(report))
               if f.metric == "volume"]
    assert ("CCUS", 40e6, "tonnes", None) in volumes and ("CCUS", 1.27e9, "tonnes", 2040) in volumes


def test_a_surveys_size_is_no_volume_of_the_market() -> None:
    report = Report(doc="survey", title="Cannabis report", source="survey.txt", content_hash="0" * 64, text=(
        "The cannabis market will reach USD 91.5 billion by 2028. A 2019 survey of the cannabis market polled "
        "1,321 respondents in 2019.\n"))
    assert [f.metric for f in extract_facts(report, split_passages(report))] == ["size"]
