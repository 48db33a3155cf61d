"""Reading reports: junk removal on the real seeds, metadata, and the four formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import UnreadableReport, list_corpus, load_metadata, load_report, normalize_text
from assistant.models import MarketQAError

from support import SEED_CORPUS

JUNK = [
    "Trending Reports", "\n- Art\n", "Help Post", "Giochi", "free sample", "Contact Us", "qyresearch.com",
    "global@qyresearch.com", "001-626-842-1666", "Castleton Street", "コメント", "投稿者", "HTML タグ", "メールアドレス",
]


@pytest.fixture(scope="module")
def seeds():
    metadata = load_metadata(SEED_CORPUS)
    return {f.path.name: load_report(f.path, metadata.get(f.path.name)) for f in list_corpus(SEED_CORPUS)}


def test_seed_reports_lose_their_web_junk_and_keep_their_content(seeds) -> None:
    assert len(seeds) == 3
    for report in seeds.values():
        for junk in JUNK:
            assert junk.lower() not in report.text.lower(), (report.doc, junk)
    text = "\n".join(r.text for r in seeds.values())
    for kept in ["USD 523.7 billion by 2035", "US$ 8,934 million in 2024", "44.52%", "Xiaomi", "BFSI",
                 "For investors, it offers a high-potential investment"]:
        assert kept in text


def test_seed_metadata_names_doc_title_and_publisher(seeds) -> None:
    qy = seeds["large-scale-ai-models-qyresearch.txt"]
    assert qy.doc == "large-scale-ai-models-qyresearch"
    assert qy.publisher == "QYResearch"
    assert qy.title.startswith("Large-scale AI Models – Global Market Share")
    assert seeds["multimodal-ai-market-value.txt"].title.startswith("The Future Billion-Dollar Valuation")


def test_normalization_is_idempotent(seeds) -> None:
    for report in seeds.values():
        assert normalize_text(report.text) == report.text


def test_html_loses_scripts_navigation_and_footer(tmp_path: Path) -> None:
    page = tmp_path / "drones.html"
    page.write_text(
        "<html><head><title>Drone Delivery Market Report</title><script>var x = 'USD 999 billion';</script></head>"
        "<body><nav><a href='/'>Home</a><a href='/r'>Reports</a></nav>"
        "<h1>Drone Delivery Market</h1><p>The drone delivery market was worth USD 1.2 billion in 2023.</p>"
        "<ul><li>Zipline leads medical deliveries.</li><li>Wing serves suburbs.</li></ul>"
        "<footer>Copyright 2024 Example Corp. Privacy policy.</footer></body></html>",
        encoding="utf-8",
    )
    report = load_report(page)
    assert report.title == "Drone Delivery Market Report"
    assert "USD 1.2 billion in 2023" in report.text
    assert "- Zipline leads medical deliveries." in report.text
    for junk in ("999", "Home", "Privacy policy", "var x"):
        assert junk not in report.text
    assert report.format == "html"


def test_markdown_links_and_markup_are_flattened(tmp_path: Path) -> None:
    page = tmp_path / "kelp.md"
    page.write_text("# Kelp Farming Market\n\nThe **kelp** market is [growing fast](javascript:alert(1)).\n",
                    encoding="utf-8")
    report = load_report(page)
    assert report.text.startswith("Kelp Farming Market\n\n")
    assert "The kelp market is growing fast." in report.text
    assert "javascript" not in report.text


def test_pdf_text_is_reflowed_into_sentences(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    sentence = ("The global heat pump market was valued at USD 60.2 billion in 2024 and is expected to reach "
                "USD 113.6 billion by 2032, growing at a CAGR of 8.3% over the forecast period, says the report.")
    pdf.multi_cell(0, 6, sentence)
    path = tmp_path / "heat-pumps.pdf"
    pdf.output(str(path))
    report = load_report(path)
    assert sentence in report.text  # the hard line breaks are gone
    assert report.format == "pdf"


def test_a_plain_text_list_item_wrapped_on_indented_lines_is_one_item(tmp_path: Path) -> None:
    page = tmp_path / "kelp.txt"
    page.write_text(
        "Kelp Farming Market Report\n\n"
        "The kelp farming market was valued at USD 16.7 billion in 2023, the report says.\n\n"
        "Key findings:\n"
        "* Asia Pacific held the largest share of the kelp farming market,\n"
        "  about 61% of revenue in 2023.\n"
        "* Food applications led demand.\n", encoding="utf-8")
    text = load_report(page).text
    assert ("- Asia Pacific held the largest share of the kelp farming market, about 61% of revenue in 2023.\n"
            "- Food applications led demand.") in text


def test_a_wire_s_list_of_earlier_releases_is_dropped(tmp_path: Path) -> None:
    page = tmp_path / "kelp.txt"
    page.write_text(
        "Kelp Farming Market Report\n\n"
        "The kelp farming market was valued at USD 16.7 billion in 2023, the report says.\n\n"
        "EARLIER ON THIS WIRE\n\n"
        "* Seaweed Snacks Market to reach USD 3.1 billion by 2030, says Acme Research\n"
        "* Algae Protein Market grows at 7.4% a year\n", encoding="utf-8")
    text = load_report(page).text
    assert "16.7 billion" in text and "Seaweed" not in text and "Algae" not in text


def test_unreadable_files_raise_a_clear_error(tmp_path: Path) -> None:
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary" * 20)
    with pytest.raises(UnreadableReport, match="binary"):
        load_report(binary)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(UnreadableReport):
        load_report(broken)


def test_missing_corpus_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(MarketQAError, match="not found"):
        list_corpus(tmp_path / "nope")


def test_a_related_report_wrapped_over_lines_goes_with_its_block(tmp_path: Path) -> None:
    """The other market's figures on the wrapped lines are not the report's; prose after a link title stays."""
    path = tmp_path / "robots.txt"
    path.write_text(
        "Industrial Robots Market to Reach US$79.58 Billion by 2022\n\n"
        "The industrial robots market will reach US$79.58 billion by 2022.\n\n"
        "Related Reports:\n"
        "  * Battery Energy Storage System Market - forecast to grow from\n"
        "    $2.9 billion in 2020 to $12.1 billion by 2025, at a CAGR of\n"
        "    32.8%; the above-500 MWh segment is expected to grow fastest.\n\n"
        "Popular posts\n"
        "Wind Turbine Market Outlook\n"
        "Analysts expect Asia to lead adoption of industrial robots in the coming years.\n",
        encoding="utf-8")
    text = load_report(path).text
    assert "$2.9 billion" not in text and "32.8%" not in text and "Battery Energy" not in text
    assert "Analysts expect Asia to lead adoption" in text
    assert "US$79.58 billion by 2022." in text


@pytest.mark.parametrize("head, title", [
    ("HALCYON POWER ANALYTICS\nSolar PV Inverter Market Report 2025 - Executive Summary\n",
     "Solar PV Inverter Market Report 2025 - Executive Summary"),
    ("FJORDLINE RESEARCH AS — Tromsø / Oslo\n\nNordic Heat Pump Outlook 2025\n", "Nordic Heat Pump Outlook 2025"),
    # An all-capitals headline is the title itself, not a letterhead.
    ("GLOBAL HEAT PUMP MARKET TO REACH USD 90 BILLION BY 2030\n\nLONDON, May 1, 2024 -- Sales grew 5%.\n",
     "GLOBAL HEAT PUMP MARKET TO REACH USD 90 BILLION BY 2030"),
])
def test_a_letterhead_is_not_the_title(tmp_path: Path, head: str, title: str) -> None:
    page = tmp_path / "report.txt"
    page.write_text(head + "\nThe market was valued at USD 4.2 billion in 2024.\n", encoding="utf-8")
    assert load_report(page).title == title


def test_a_bold_line_of_its_own_stays_a_line_of_its_own() -> None:
    """ "**About Acme Research**" over the block's text is a heading in all but name: it must not run into the
    sentence below ("About Acme Research Acme Research is a firm"), which would misname the publisher."""
    from assistant.markdown_text import markdown_to_text

    text, _ = markdown_to_text("**About Market.us**\nMarket.us is a market research firm in New York.\n\n"
                               "The market grew **fast**\nlast year.\n")
    assert "About Market.us\nMarket.us is a market research firm" in text
    assert "The market grew fast last year." in text  # emphasis inside a line is no heading
