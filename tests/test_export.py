"""An answer exported as Markdown (`marketqa ask --format markdown`, the UI's Export): the answer, its calculation
and its cited quotes, with report text escaped so that it shows as written wherever the file is opened."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from assistant.export import answer_to_markdown
from assistant.models import Answer, Citation
from support import run_cli


def test_cited_and_retrieved_passages_are_told_apart(seed_assistant) -> None:
    answer = seed_assistant.ask("What CAGR do the report's own 2024 and 2031 figures imply?").to_dict()
    markdown = answer_to_markdown(answer)
    assert "(19,700 / 8,934) ^ (1 / 7) - 1 = 11.96%" in markdown
    cited, _, rest = markdown.partition("### Also retrieved, not cited")
    assert "### Sources (cited)" in cited and "\\[1\\] **Large-scale AI Models" in cited
    assert rest and "\\[1\\]" not in rest  # [1] is cited, so it is not among the others
    assert "| start | USD 8,934 million | 2024 | \\[1\\] |" in markdown  # as the formula writes it


def test_report_text_in_a_quote_is_shown_never_rendered() -> None:
    quote = 'Leader: <script>alert(1)</script> [click](javascript:alert(1)) **bold** | cell'
    citation = Citation(1, "d", "Title <b>x</b>", "d#0", quote, quote, 0, len(quote), 0.5)
    markdown = answer_to_markdown(Answer("q?", "- The leader is named [1].", "retrieval",
                                         citations=[citation]).to_dict())
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script>" not in html and "<b>" not in html and "<a " not in html and "<strong>bold" not in html
    assert "<li>" not in html  # the answer's leading "- " starts no list
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ask_format_markdown_prints_the_same(tmp_path: Path, seed_index_dir: Path) -> None:
    result = run_cli("ask", "--format", "markdown", "--index", str(seed_index_dir),
                     "What was the large-scale AI models market worth in 2024?",
                     env={"MARKETQA_DATA": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## What was the large-scale AI models market worth in 2024?")
    assert "US$ 8,934 million in 2024 \\[1\\]" in result.stdout and "### Sources (cited)" in result.stdout
