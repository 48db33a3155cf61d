"""Page chrome removed from report lines (assistant/junk.py), checked on made-up lines of each trait and against
the junk a helper labelled, without reading the code, in every shipped and evaluation corpus."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from assistant.ingest import _decode, normalize_text
from assistant.junk import is_chrome, remove_junk
from assistant.models import UnreadableReport

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("line", [
    "Home > Business > Energy > Lithium-ion Battery Market Set to Triple by 2032",
    "Print | Email | Share on LinkedIn | Share on X",
    "Sign in · Subscribe · Today's e-paper",
    "[Tweet] [Share on LinkedIn] [Email]",
    "This website uses cookies. Continued use of the site means you accept our cookie policy.",
    "Newsletter: Sign up for the monthly Transportation Efficiencies digest. [Subscribe]",
    "Sponsored Track every pallet in real time with ColdTrace sensors.",
    ">> Request sample pages of the report <<",
    "Press Office, 555 Example Road, Stamford, CT 00000, USA",
    "For E.S.T Office Hours Call +1-646-555-0177",
    "Contact: Acme Research, 12 Harbour Street, Leeds · +44 113 555 0100 · press@acme.example, weekdays 9 to 5 only",
    "Kestrel_Market_Intelligence_Logo.jpg",
    "Payment options: PayPal, credit card or bank transfer.",
])
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Region | Share | USD 4.1 billion",  # a table row: it holds figures
    "Acme Research | Press Release | Chicago, 3 April 2025",  # a dated byline names the publisher
    "Report overview · Healthcare IT · Base year: 2022 · Forecast period: 2023–2031",
    "The market for cookies and biscuits grew 4.2% in 2024.",
    "Asia-Pacific is expected to expand at a CAGR of 20.3% over 2025-2033.",
    "Hyperscale operators account for over 70% of net absorption.",
    "Shoppers who pay with credit cards made 41% of online purchases in 2024.",  # a payments market's own figure
])
def test_report_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_a_comment_section_runs_to_the_publishers_blurb() -> None:
    lines = ["The market grew 5% in 2024.", "", "Join the conversation (2)", "", "logistics_lou 14 Apr 2025", "",
             "I think it's more like $90 billion.", "", "About Acme Research", "Acme Research is a research firm."]
    assert [line for line in remove_junk(lines) if line] == ["The market grew 5% in 2024.", "About Acme Research",
                                                             "Acme Research is a research firm."]


def test_teasers_of_other_markets_go_with_their_block() -> None:
    lines = ["Related Reports", "", "Data Center Colocation Market - the global market stands at USD 105.91 billion.",
             "", "Automotive Battery Market - estimated at USD 64.17 billion in 2025.", "", "About Mordor Intelligence"]
    assert [line for line in remove_junk(lines) if line] == ["About Mordor Intelligence"]
    quoted = ["Demand rose 5%.", "> Feb. 06, 2025 - Drone Market to Reach US$ 4 Billion", "by 2030, a CAGR of 7.3%.",
              "> Military Drone Market - valued at $12.0 billion", "", "Heat pumps lead."]
    assert [line for line in remove_junk(quoted) if line] == ["Demand rose 5%.", "Heat pumps lead."]
    # A list of other stories under a heading that names none of them ("You may also like").
    liked = ["### You may also like", "- Modest fashion retail sales seen at US$ 375 billion by 2027",
             "- Islamic finance assets forecast to grow 9.2% a year to 2026", "", "Halal food sales rose 8%."]
    assert [line for line in remove_junk(liked) if line] == ["Halal food sales rose 8%."]


def test_a_contact_block_goes_whole() -> None:
    text = normalize_text("Sales rose.\n\nContacts\n\nMarketVault.com\nSofia Brennan, Senior Press Manager\n"
                          "press@marketvault.example\nFor U.S./ CAN Toll Free Call +1-800-555-0188\n")
    assert text == "Sales rose.\n"


@pytest.mark.parametrize("data, expected", [
    ("Café market grew 5% in 2024, £ 2 billion.".encode("latin-1"), "Café market grew 5% in 2024, £ 2 billion."),
    ("Heat pumps: the market grows fast in Europe and Asia.".encode("utf-16-le"),
     "Heat pumps: the market grows fast in Europe and Asia."),
    ("Рынок тепловых насосов растет на 12% в год".encode("cp1251"), "Рынок тепловых насосов растет на 12% в год"),
])
def test_encodings_are_detected(data: bytes, expected: str) -> None:
    assert _decode(data, "x.txt").lstrip("\ufeff") == expected


def test_binary_without_nul_bytes_is_not_a_report() -> None:
    junk = bytes(range(1, 32)) * 300
    with pytest.raises(UnreadableReport, match="binary"):
        _decode(junk, "blob.txt")


def _junk_leaks():
    spec = importlib.util.spec_from_file_location("junk_leaks", ROOT / "eval" / "tools" / "junk_leaks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["junk_leaks"] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_junk_is_dropped_from_every_corpus_but_three_known_lines() -> None:
    tool = _junk_leaks()
    labels = tool.load_labels()
    assert sum(map(len, labels.values())) > 300
    kept = {(key, phrase) for key, _, phrase in tool.kept_junk(labels)}
    # Calls to action and a tab strip written as plain prose, with no trait a rule could read without the words.
    assert kept == {
        ("eval/real_test/continuous-glucose-monitors-b.md",
         "Ask for country-level breakdowns or a company-share deep dive."),
        ("eval/real_dev2/lithium-ion-batteries-a.html", "Report Description Table of Content Request Sample"),
        ("eval/real_dev2/lithium-ion-batteries-a.html",
         "Detailed segment shares, country-level forecasts and company profiles are available"),
    }
