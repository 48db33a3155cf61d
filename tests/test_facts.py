"""The facts table (assistant/facts.py) and its consistency audit (assistant/audit.py), on the real seed reports
read by the real ingest and passage splitter, and on small reports written for the test."""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.audit import AuditFlag, audit, consistency_checks
from assistant.facts import (
    extract_facts,
    facts_from_rows,
    facts_to_rows,
    market_key,
)
from assistant.ingest import list_corpus, load_metadata, load_report
from assistant.models import Fact, MarketQAError, Report
from assistant.passages import split_passages

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
        ("cloud gaming", "cagr", 29.4),
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


# --- rows ----------------------------------------------------------------------------------------


def test_rows_round_trip_through_json_and_csv() -> None:
    facts = list(seed_facts())
    rows = facts_to_rows(facts)
    assert rows[0].keys() >= {"market", "metric", "value", "unit", "year", "period", "doc", "passage", "quote",
                              "start", "end", "value_text"}
    assert facts_from_rows(json.loads(json.dumps(rows))) == facts
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    buffer.seek(0)
    assert facts_from_rows(list(csv.DictReader(buffer))) == facts


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


def test_seed_audit_flags_the_period_mismatch_in_both_large_scale_reports() -> None:
    flags = audit(seed_facts())
    assert sorted((f.kind, f.facts[0].doc) for f in flags) == [("period_mismatch", QY), ("period_mismatch", STRATEGIC)]
    for flag in flags:
        assert flag.market == "large-scale AI models"
        assert flag.implied is not None and round(flag.implied, 2) == 11.96
        for words in ("12.1%", "2025-2031", "2024-2031", "11.96%", "7 years"):
            assert words in flag.message
        assert {f.metric for f in flag.facts} == {"size", "cagr"}
        json.dumps(flag.to_dict())


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
