"""Answers and tables as HTML for the web UI: pure functions of what `Assistant` returns (no Gradio here).

Everything taken from a report, and everything the user types, is shown as text: `escape_text` writes every
character that HTML, Markdown or Gradio's HTML templates could read as markup as a numeric entity.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional, Sequence

from .audit import AuditFlag, ConsistencyCheck, describe_verdict
from .models import Answer, Calculation, Citation, Fact
from .quantities import format_money, format_number

if TYPE_CHECKING:
    from .core import Assistant

NON_MONEY_UNITS = {"%", "years", "x"}

# --- text safety ------------------------------------------------------------------------------------------------

# Characters that start HTML (tags, entities, attributes), Markdown (links, images, emphasis, code, tables,
# headings, escapes, autolinks) or a Gradio HTML template (`${…}`, `{{…}}`).
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "&<>\"'`[]()*_~${}|#!\\:@"}
_WWW = re.compile(r"(?i)\bwww\.")
_MARKER = re.compile(r"\[(\d+)\]")


def escape_text(text: str) -> str:
    """`text` shown as itself inside HTML or Markdown: markup characters become numeric entities.

    A superset of `html.escape(text, quote=True)`: that covers & < > " ', and Markdown needs more."""
    escaped = "".join(_ENTITIES.get(ch, ch) for ch in text)
    return _WWW.sub(lambda m: m.group(0)[:3] + "&#46;", escaped)  # "www.x" is an autolink in GFM


def _multiline(text: str) -> str:
    """Escaped text with its line breaks kept as <br>. In a chat message (Markdown, given stripped text) this is one
    line, so no line of the text can start a block (a list, a code block) or end an HTML block."""
    return "<br>".join(escape_text(line) for line in text.split("\n"))


def linked_markers(text: str, known: set[int]) -> str:
    """Escaped `text` with each [n] that names a shown source turned into a jump to it (#cite-n)."""
    parts = []
    position = 0
    for match in _MARKER.finditer(text):
        parts.append(escape_text(text[position:match.start()]))
        n = int(match.group(1))
        marker = f"&#91;{n}&#93;"
        parts.append(f'<a class="mqa-ref" href="#cite-{n}">{marker}</a>' if n in known else marker)
        position = match.end()
    parts.append(escape_text(text[position:]))
    return "".join(parts)


# --- rendering an answer ------------------------------------------------------------------------------------------


def format_amount(value: float, unit: Optional[str]) -> str:
    if unit == "%":
        return f"{format_number(value, 2)}%"
    if unit == "years":
        return f"{format_number(value, 2)} years"
    if unit == "x":
        return f"{format_number(value, 3)}×"
    if unit:
        return format_money(value, unit)
    return format_number(value, 4)


def _sources(answer: Answer) -> list[Citation]:
    return answer.citations or answer.closest


def answer_markdown(answer: Answer) -> str:
    """The chat message for an answer: its text with [n] markers, and how the question was understood."""
    known = {c.n for c in _sources(answer)}
    lines = ["<br>".join(linked_markers(line, known) for line in answer.answer.strip().split("\n"))]
    if answer.rewritten_question:
        lines.append(f"<em>Understood as:</em> {escape_text(answer.rewritten_question)}")
    if answer.route == "refusal":
        lines.append('<em class="mqa-not-answer-note">Not answered. The closest material is shown under Evidence; '
                     'it is not an answer.</em>')
    elif answer.route == "calculator":
        lines.append("<em>Calculated by the deterministic calculator; formula, inputs and chart under "
                     "Evidence.</em>")
    return "\n\n".join(lines)


def _highlighted_passage(citation: Citation, highlight: bool = True) -> str:
    """The whole passage with the quoted sentence(s) inside <mark> (or, not cited, a plain <span>)."""
    text, quote = citation.text, citation.quote
    tag = "mark" if highlight else 'span class="mqa-quote"'
    close = tag.split()[0]
    at = text.find(quote) if quote else -1
    if at < 0:  # the quote is not inside the passage text: show it above the passage
        marked = f"<{tag}>{_multiline(quote)}</{close}>" if quote else ""
        return f'{marked}<div class="mqa-passage">{_multiline(text)}</div>'
    return (f'<div class="mqa-passage">{_multiline(text[:at])}<{tag}>{_multiline(quote)}</{close}>'
            f"{_multiline(text[at + len(quote):])}</div>")


def _citation_html(citation: Citation, label: str = "", highlight: bool = True) -> str:
    meta = (f"{escape_text(citation.passage)} · characters {citation.start}–{citation.end} · "
            f"score {format_number(citation.score, 3)}")
    badge = f' <span class="mqa-badge">{label}</span>' if label else ""
    return (f'<li class="mqa-source" id="cite-{citation.n}"><div class="mqa-source-head">'
            f'<span class="mqa-n">&#91;{citation.n}&#93;</span> <strong class="mqa-title">'
            f'{escape_text(citation.title)}</strong>{badge}</div><div class="mqa-meta">{meta}</div>'
            f"{_highlighted_passage(citation, highlight)}</li>")


# What each calculation is, in words: the evidence panel's heading (the answer JSON keeps the kind's name).
CALCULATION_KINDS = {
    "cagr": "growth rate (CAGR)", "projection": "projected size", "base_value": "size in an earlier year",
    "value_in_year": "size in a given year", "years_to_target": "years to reach a size",
    "doubling_time": "years to double", "growth_factor": "growth multiple", "difference": "change in size",
    "first_year": "first year at a size",
}


def as_in_formula(value: float, unit: Optional[str], formula: str) -> str:
    """An input amount in the scale the formula writes it in ("USD 8,934 million" beside "(19,700 / 8,934)"), so
    the numbers in the table are the numbers in the formula."""
    if unit and unit not in NON_MONEY_UNITS:
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
            written = format_number(value / scale)
            if abs(value) >= scale and re.search(rf"(?<![\d.,]){re.escape(written)}(?![\d.,]*\d)", formula):
                return f"{unit} {written} {word}"
    return format_amount(value, unit)


def _calculation_html(calculation: Calculation, answer: Answer, titles: dict[int, str]) -> str:
    rows = []
    for item in calculation.inputs:
        if item.citation is None:
            source = "typed in the question"
        else:
            title = escape_text(titles.get(item.citation, ""))
            source = f'<a class="mqa-input-source" href="#cite-{item.citation}">&#91;{item.citation}&#93; {title}</a>'
        rows.append(f"<tr><td>{escape_text(item.name)}</td><td>"
                    f"{escape_text(as_in_formula(item.value, item.unit, calculation.formula))}"
                    f"</td><td>{item.year if item.year is not None else '—'}</td><td>{source}</td></tr>")
    result = format_amount(calculation.result, answer.unit)
    kind = CALCULATION_KINDS.get(calculation.kind, calculation.kind.replace("_", " "))
    return (f'<div class="mqa-calc"><div class="mqa-section">Calculation · {escape_text(kind)}</div>'
            f'<code class="mqa-formula">{escape_text(calculation.formula)} = {escape_text(result)}</code>'
            f'<table class="mqa-inputs"><thead><tr><th>input</th><th>value</th><th>year</th><th>from</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>')


GUARD_STATUS = {
    "passed": "passed: the language model's wording is shown",
    "fell_back": "rejected the language model's reply: the extractive answer is shown",
    "skipped": "not used",
}


def _guard_html(guard: dict[str, Any]) -> str:
    status = str(guard.get("status", "unknown"))
    model = " ".join(str(guard[key]) for key in ("backend", "model") if guard.get(key))
    # The summary quotes nothing of a rejected draft (the reasons do, for the JSON of the command line).
    reasons = "".join(f"<li>{escape_text(str(r))}</li>" for r in guard.get("summary") or guard.get("reasons") or [])
    label = f"LLM guard{f' ({model})' if model else ''}: {GUARD_STATUS.get(status, status)}"
    css = "mqa-guard-passed" if status == "passed" else "mqa-guard-rejected" if status == "fell_back" else ""
    return (f'<div class="mqa-guard {css}"><strong>{escape_text(label)}</strong>'
            f'{f"<ul>{reasons}</ul>" if reasons else ""}</div>')


def evidence_html(answer: Answer) -> str:
    """The top of the evidence panel: how the question was understood, the guard verdict, the calculation with
    its inputs' sources, and for refusals the label saying that what follows is not an answer."""
    parts = [f'<div class="mqa-evidence" data-route="{escape_text(answer.route)}">',
             f'<div class="mqa-asked">Evidence for: <q>{escape_text(answer.question)}</q></div>']
    if answer.rewritten_question:
        parts.append(f'<div class="mqa-rewritten">Understood as: <q>{escape_text(answer.rewritten_question)}</q></div>')
    if answer.guard:
        parts.append(_guard_html(answer.guard))
    if answer.calculation is not None:
        titles = {c.n: c.title for c in answer.citations}
        parts.append(_calculation_html(answer.calculation, answer, titles))
    if answer.route == "refusal":
        parts.append('<div class="mqa-not-answer"><strong>Not an answer.</strong> The indexed reports do not '
                     "answer this question. The passages below are the closest material they contain, shown for "
                     "reference only.</div>")
    parts.append("</div>")
    return "".join(parts)


def sources_html(answer: Answer) -> str:
    """The cited passages, labelled "cited", with the quoted words highlighted; then, collapsed and without a
    highlight, the passages retrieved beside them that the answer does not rest on. For refusals the closest
    material, labelled as not an answer."""
    if answer.route == "refusal" or not answer.citations:
        sources = _sources(answer)
        if not sources:
            return ""
        return ('<div class="mqa-evidence mqa-closest"><div class="mqa-section">Closest material (NOT an answer)'
                f'</div><ol class="mqa-sources">{"".join(_citation_html(c) for c in sources)}</ol></div>')
    cited = answer.cited_numbers()
    rest = [c for c in answer.citations if c.n not in cited]
    parts = ['<div class="mqa-evidence"><div class="mqa-section">Sources</div><ol class="mqa-sources mqa-cited">',
             "".join(_citation_html(c, "cited") for c in answer.citations if c.n in cited), "</ol>"]
    if rest:
        # <details> opens by itself when the browser follows a link to an element inside it ([n] or #cite-n).
        parts.append(f'<details class="mqa-also"><summary>Also retrieved, not cited ({len(rest)})</summary>'
                     f'<ol class="mqa-sources">{"".join(_citation_html(c, highlight=False) for c in rest)}</ol>'
                     "</details>")
    parts.append("</div>")
    return "".join(parts)



def message_html(text: str, kind: str = "info") -> str:
    return f'<div class="mqa-message mqa-{kind}">{escape_text(text)}</div>'


# --- tables -------------------------------------------------------------------------------------------------------

# "flagged": passages holding text addressed to an AI model (planted instructions), never quoted.
REPORT_COLUMNS = ["title", "file", "where", "passages", "facts", "flagged", "added"]
FACT_COLUMNS = ["market", "metric", "value", "to", "unit", "year", "period", "stated as", "report", "quote"]
FLAG_COLUMNS = ["market", "kind", "implied CAGR %", "message"]


def report_rows(assistant: "Assistant") -> list[list[Any]]:
    index = assistant.index
    entries = index.manifest.get("reports", {})
    facts: dict[str, int] = {}
    for fact in index.facts:
        facts[fact.doc] = facts.get(fact.doc, 0) + 1
    mine = set(library_names(assistant))
    rows = []
    for doc, report in sorted(index.reports.items(), key=lambda item: item[1].title.lower()):
        entry = entries.get(doc, {})
        added = str(entry.get("added", "")).replace("T", " ")[:16]
        flagged = sum(1 for row in index.report_passages(doc) if index.passages[row].flagged)
        where = "your library" if report.source in mine else "shipped" if assistant.library else "corpus"
        rows.append([report.title, report.source, where, entry.get("passages", len(index.report_passages(doc))),
                     facts.get(doc, 0), flagged, added])
    return rows


def library_names(assistant: "Assistant") -> list[str]:
    """The file names of the reports a user added (the only ones that can be removed)."""
    return assistant.library.names() if assistant.library is not None else []


def fact_rows(facts: Sequence[Fact]) -> list[list[Any]]:
    """One row per fact; "to" holds a range's high end ("value" its low end), and is empty for a single figure."""
    return [[f.market, f.metric, f.value, f.value_high, f.unit, f.year,
             f"{f.period[0]}-{f.period[1]}" if f.period else None, f.value_text, f.doc, f.quote] for f in facts]


def flag_rows(flags: Sequence[AuditFlag], checks: Sequence[ConsistencyCheck] = ()) -> list[list[Any]]:
    """A verdict per stated CAGR first (consistent, rounding, inconsistent), then the flags."""
    return [[c.market, c.verdict, round(c.implied, 2), describe_verdict(c)] for c in checks] + \
        [[f.market, f.kind, None if f.implied is None else round(f.implied, 2), f.message] for f in flags]
