"""Report profiles: firm, acronyms, regions, datelines and headline subjects, on text written here."""

from __future__ import annotations

import pytest

from assistant.acronyms import abbreviates, defined_acronyms, expand
from assistant.facts import headline_subject
from assistant.firms import detect_firm
from assistant.passages import dateline_end, is_dateline, sentence_spans
from assistant.profile import release_place
from assistant.regions import find_regions, is_region_word


@pytest.mark.parametrize(
    "text, firm",
    [
        ("CHICAGO, Jan. 9, 2020 /PRNewswire/ -- According to a new report by Acme Research, sales rose.", "Acme Research"),
        ("The market grew 8%.\n\nAbout Borealis Insights\nBorealis Insights is a research firm.", "Borealis Insights"),
        ("Pedal Analytics - Market Brief - May 2024\nPedal Analytics values the market at $4bn.", "Pedal Analytics"),
        ("Handset Watch estimates that shipments fell 3% in 2023.", "Handset Watch"),
        ("According to Mordor Intelligence. That is a large number.", "Mordor Intelligence"),
        ("The market grew 8% in 2023, led by North America.", None),
        ("Sun care sales rose 6% in 2024.\n\nAbout Us\n\nMeridian Market Insights offers syndicated research.",
         "Meridian Market Insights"),
        ("Sun care sales rose 6% in 2024.\n\n## About Us\nContact Us for a sample.", None),
        # A company's suffix makes a name of generic words a firm, written without the suffix.
        ("according to a report from Global Market Insights Inc. (GMI), demand will rise.\n\n"
         "Global Market Insights Inc. is a market research and consulting company.", "Global Market Insights"),
        # A name ends at a sentence end, and a pronoun after one leaves the name before it.
        ("Growth is strongest in North America. Kestrel Data projects a 9% rise.", "Kestrel Data"),
        ("Those figures come from Kestrel Data. He expects a 9% rise. According to Kestrel Data, demand rose.",
         "Kestrel Data"),
        # A trademark sign is no part of the name, and does not keep the name from its cue.
        ("REDDING, Calif., March 7, 2023 /PRNewswire/ -- Kestrel Research® has published a market study.",
         "Kestrel Research"),
        ("Widget Market to Hit USD 18.1 Billion by 2030, Says MarketsandMarketsTM\n\nMarketsandMarkets™ expects "
         "strong demand.", "MarketsandMarkets"),

        # A trade paper's write-up: the firm credited with the figures, not the paper its "About" block describes.
        ("Tidal power will reach 2.1 GW by 2030, according to a new forecast by Harbor Energy Analytics (HEA).\n\n"
         "About Coastline News\nCoastline News is a news platform covering marine energy.", "Harbor Energy Analytics"),
        # A headline that ends on whose forecast it is names the firm; an agency cited for a year, not a figure,
        # is no publisher.
        ("Halal Food Market to Reach US$ 2,043.20 Bn by End of 2027, Says Kestrel Market Insights\n\nThe market will "
         "grow.\n\nAccording to the World Health Organization (WHO), by 2030 a quarter of people will be Muslim.",
         "Kestrel Market Insights"),
        # Without figures beside the credit, the "About" block still names the publisher.
        ("Interest in tidal power is rising, according to Harbor Energy Analytics.\n\nAbout Coastline Research\n"
         "Coastline Research is a market research firm.", "Coastline Research"),
    ],
)
def test_the_research_firm_is_read_from_the_text(text: str, firm: str | None) -> None:
    assert detect_firm(text) == firm


def test_an_acronym_over_a_list_or_one_names_capitals_is_defined() -> None:
    found = defined_acronyms("Carbon capture, utilization, and storage (CCUS) is growing, says BloombergNEF's (BNEF).")
    assert found == {"CCUS": "Carbon capture utilization and storage", "BNEF": "BloombergNEF"}


def test_a_noun_after_a_name_is_no_forecast_and_a_clipped_name_is_its_firm() -> None:
    text = ("WoodMac: CCUS needs a seven-fold boost, says WoodMac\n\nWood Mackenzie, an energy intelligence group, "
            "expects more. Policy lags CCUS projects in many places, and CCUS projects need 45Q credits.\n\n"
            "About Offshore Energy\nOffshore Energy is a news site.")
    assert detect_firm(text) == "Wood Mackenzie"


def test_acronyms_defined_in_the_text_and_names_written_with_them() -> None:
    found = defined_acronyms("The remote patient monitoring (RPM) and electric vehicle (EV) markets, and heat "
                             "pumps (HPs).")
    # A plural acronym ("HPs") defines its singular too.
    assert found == {"RPM": "remote patient monitoring", "EV": "electric vehicle", "HPs": "heat pumps",
                     "HP": "heat pumps"}
    assert expand("EV charging station", found) == "electric vehicle charging station"


@pytest.mark.parametrize(
    "line, dateline",
    [
        ("BOSTON, March 3, 2021 /PRNewswire/ -- According to a new report", "BOSTON, March 3, 2021 /PRNewswire/ -- "),
        ("LONDON, UK -- The global base of chargers will grow.", "LONDON, UK -- "),
        ("Hyderabad, Jan. 07, 2026 (GLOBE NEWSWIRE) -- The market", "Hyderabad, Jan. 07, 2026 (GLOBE NEWSWIRE) -- "),
        ("The market grew, as Asia leads -- fast.", ""),
    ],
)
def test_a_dateline_is_a_unit_of_its_own(line: str, dateline: str) -> None:
    assert line[: dateline_end(line)] == dateline
    spans = sentence_spans(line, 0, len(line))
    if dateline:
        assert line[slice(*spans[0])] == dateline.strip() and is_dateline(line[slice(*spans[0])])
        assert not is_dateline(line[slice(*spans[1])])


def test_regions_one_vocabulary() -> None:
    assert [r.region for r in find_regions("Asia-Pacific led, the U.S. followed, then Middle East & Africa")] == [
        "Asia Pacific", "United States", "Middle East and Africa"]
    assert find_regions("priced in US$ and US dollars, let us see") == []
    assert is_region_word("European") and not is_region_word("us")


def test_a_headline_names_its_subject_without_the_word_market() -> None:
    assert headline_subject("North American Smart Electricity Meter Base to Reach 180.9 Million Units by 2030",
                            set()) == "Smart Electricity Meter"
    assert headline_subject("Quarterly results: record revenue", set()) is None


def test_a_firm_name_does_not_run_over_a_line_break() -> None:
    text = ("Market Analysis by Mordor Intelligence\n\nMordor Intelligence estimates the market at USD 153.87 billion."
            "\n\nAbout Mordor Intelligence\n\nMordor Intelligence is a market intelligence and advisory firm.\n")
    assert detect_firm(text) == "Mordor Intelligence"


@pytest.mark.parametrize("short, text, named", [
    ("VW", "Ford and Volkswagen are prioritizing LFP cells.", True),
    ("GM", "In 2024 General Motors said so.", True),
    ("FDA", "the US Food and Drug Administration (USFDA) proposed a rule", True),
    ("P&G", "Procter & Gamble leads the category.", True),
    ("GM", "Global Market Insights said so.", False),  # a name's last words are its head
    ("US", "Unilever said so.", False),
    ("gm", "General Motors", False),
])
def test_an_abbreviation_names_what_its_letters_begin(short: str, text: str, named: bool) -> None:
    assert abbreviates(short, text) is named


@pytest.mark.parametrize("text, place", [
    ("Halal food\n\nSEATTLE, Nov. 24, 2021 /PRNewswire/ -- The market will grow.", "Seattle"),
    ("**NEW DELHI, Oct. 8, 2025 /PRNewswire/ --** The market will grow.", "New Delhi"),
    ("St. Paul, Minn., May 2, 2024 (GLOBE NEWSWIRE) -- The market will grow.", "St. Paul"),
    ("The market will grow 8% by 2030, led by Seattle.", None),
])
def test_a_release_is_placed_by_its_dateline(text: str, place: str | None) -> None:
    assert release_place(text) == place
