"""Tables keep each cell a token and each row a sentence that names its figures (tables, markdown_text, HTML)."""

from __future__ import annotations

from pathlib import Path

from assistant.facts import extract_facts
from assistant.ingest import load_report
from assistant.markdown_text import markdown_to_text
from assistant.passages import split_passages
from assistant.tables import row_sentences


def test_rows_name_their_cells_and_skip_empty_ones() -> None:
    rows = row_sentences([["Canada", "15.5 million", "97%"], ["Mexico", "—", "n/a"]],
                         ["Country", "Installed (2024)", "Penetration (2030)"])
    assert rows == ["Country: Canada; Installed (2024): 15.5 million; Penetration (2030): 97%.",
                    "Country: Mexico."]
    assert row_sentences([["a", "b"]]) == ["a; b."]


def test_markdown_structure_comes_from_the_parser() -> None:
    text, _ = markdown_to_text("Heat Pump Outlook\n=================\n\nSee [the study][r] for more.\n\n[r]: http://x\n\n"
                            "1. First point.\n2. Second point\n   - nested point\n\n"
                            "| Region | Share |\n|---|---|\n| **Asia-Pacific** | 38.2% |\n\n"
                            "<script>alert(1)</script>\n\n```\ncode\n```\n")
    lines = text.splitlines()
    assert lines[0] == "Heat Pump Outlook"  # a setext heading, without its underline
    assert "See the study for more." in lines  # a reference link keeps its words
    assert "- First point." in lines and "- Second point" in lines and "- nested point" in lines
    assert "Region: Asia-Pacific; Share: 38.2%." in lines  # header and row never glued
    assert "alert" not in text and "code" not in text and "====" not in text


def test_html_table_cells_stay_separate_and_become_facts(tmp_path: Path) -> None:
    page = tmp_path / "pumps.html"
    page.write_text("<html><head><title>Heat Pump Market</title></head><body><h1>Heat Pump Market</h1>"
                    "<p>The global heat pump market is growing.</p><table><tr><th>Region</th><th>Share</th>"
                    "<th>Size</th></tr><tr><td>Asia-Pacific</td><td>38.2%</td><td>USD 4.1 billion</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    report = load_report(page)
    assert "Region: Asia-Pacific; Share: 38.2%; Size: USD 4.1 billion." in report.text
    assert "Asia-Pacific38.2%" not in report.text
    facts = extract_facts(report, split_passages(report))
    assert any(f.metric == "share" and f.value == 38.2 for f in facts)


def test_a_numbered_list_marker_is_part_of_its_item(tmp_path: Path) -> None:
    page = tmp_path / "list.txt"
    page.write_text("Tractor Market\n\nThe drivers are:\n1. Farm mechanization rises. It helps.\n", encoding="utf-8")
    report = load_report(page)
    sentences = [report.text[s:e] for p in split_passages(report) for s, e in p.sentences]
    assert "1." not in sentences
    assert any(s.startswith("1. Farm mechanization") for s in sentences)
