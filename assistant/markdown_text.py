"""Markdown to the normalized text, through a real parser (markdown-it-py, CommonMark plus tables).

Regexes over Markdown missed setext headings ("Title\\n====="), reference links and tables whose header and first
row ran together. The parser gives the structure: a heading is a line of its own, a list item a "- " line, a table
one line per row with its cells named (`tables.row_sentences`), a link its words. Code and raw HTML are dropped:
they are page machinery, not report text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .tables import row_sentences


def _inline_text(token: Token) -> str:
    parts = []
    line: list[Token] = []  # the inline tokens of the current source line
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            # "**About Acme Research**" on a line of its own, the block's text below it: a heading in all but
            # name, which must not run into the sentence after it ("About Acme Research Acme Research is a firm").
            parts.append("\n" if _emphasis_only(line) else " ")
            line = []
            continue
        line.append(child)
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(child.content)  # the alt text
    return "".join(parts).strip()


def _emphasis_only(line: list[Token]) -> bool:
    """The line is one bold or italic span and nothing else."""
    line = [t for t in line if t.type != "text" or t.content.strip()]
    return (len(line) >= 3 and line[0].type in ("strong_open", "em_open")
            and line[-1].type == line[0].type.replace("_open", "_close") and any(t.content.strip() for t in line))


def markdown_to_text(source: str) -> tuple[str, dict[str, str]]:
    """The text, and the kind of each line the parser knows: "heading" (a level-one heading: "headline"),
    "list item" or "table row" (see `structure.mark_lines`)."""
    parser = MarkdownIt("commonmark").enable("table")
    # Only a link's words are kept, never its target, so a "javascript:" target is as harmless as any other and
    # must still be read as a link (the default validator leaves such a link as raw text).
    parser.validateLink = lambda url: True
    tokens = parser.parse(source)
    out: list[str] = []
    list_depth = 0
    in_item = False
    table: list[list[str]] = []
    header: list[str] = []
    row: list[str] = []
    in_head = False
    hints: dict[str, str] = {}
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0:
                out.append("")
        elif kind == "list_item_open":
            in_item = True
        elif kind == "list_item_close":
            in_item = False
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if in_head:
                header = row
            else:
                table.append(row)
        elif kind == "table_close":
            rows = row_sentences(table, header)
            hints.update((line, "table row") for line in rows)
            out.extend(rows)
            out.append("")
            table, header = [], []
        elif kind == "inline":
            text = _inline_text(token)
            parent = tokens[i - 1].type if i else ""
            if parent in ("th_open", "td_open"):
                row.append(text)
            elif not text:
                continue
            elif in_item and list_depth:
                # An item's first paragraph is its bullet line, nested or not; a later paragraph a line of its own.
                line = ("- " if tokens[i - 2].type == "list_item_open" else "") + text
                hints[line] = "list item"
                out.append(line)
            else:
                if parent == "heading_open":
                    hints[text] = "headline" if tokens[i - 1].tag == "h1" else "heading"
                out.append(text)
                out.append("")
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n", hints
