"""An answer as a Markdown document, with its citations and its calculation: what `marketqa ask --format markdown`
prints and what the UI offers to copy or download.

Text from reports and questions is data: every character that Markdown or HTML would read as markup is escaped,
so a quote holding "<script>" or "[click](javascript:...)" shows as those characters wherever the file is opened.
"""

from __future__ import annotations

import re
from typing import Any


# Emphasis, code, links and images (a "(" is harmless once "[" is escaped), table cells and strike-through.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\d+)\.(?=\s)|^([-+])(?=\s)")  # "1. " and "- " would start a list
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md(text: Any) -> str:
    """`text` as Markdown that shows it as written (one line)."""
    plain = " ".join(str(text).split())
    plain = _MARKUP.sub(r"\\\1", plain)
    plain = "".join(_ENTITIES.get(ch, ch) for ch in plain)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2)}", plain)


def _amount(value: Any, unit: Any, formula: str = "") -> str:
    """A figure as the UI shows it: an amount in the scale its formula writes it in ("USD 8,934 million")."""
    if value is None:
        return "—"
    from .render import as_in_formula

    return as_in_formula(float(value), unit, formula)


def answer_to_markdown(answer: dict[str, Any]) -> str:
    """The answer object (`Answer.to_dict()`) as Markdown: question, answer, calculation, cited sources with their
    quotes, then the passages only retrieved beside them (or, for a refusal, the closest material, labelled)."""
    lines = [f"## {_md(answer['question'])}", "", _md(answer["answer"]), ""]
    if answer.get("rewritten_question"):
        lines += [f"*Understood as:* {_md(answer['rewritten_question'])}", ""]
    calculation = answer.get("calculation")
    if calculation:
        lines += [f"**Calculation** ({_md(calculation['kind'])}): {_md(calculation['formula'])} = "
                  f"{_md(_amount(calculation['result'], answer.get('unit')))}", "",
                  "| input | value | year | from |", "|---|---|---|---|"]
        for item in calculation["inputs"]:
            source = f"[{item['citation']}]" if item.get("citation") else "typed in the question"
            shown = _amount(item["value"], item["unit"], calculation["formula"])
            lines.append(f"| {_md(item['name'])} | {_md(shown)} | "
                         f"{item['year'] if item.get('year') is not None else '—'} | {_md(source)} |")
        lines.append("")
    citations = answer.get("citations") or []
    cited = [c for c in citations if c.get("cited", True)]
    others = [c for c in citations if not c.get("cited", True)]
    if answer.get("route") == "refusal":
        others, cited = answer.get("closest") or [], []
    for heading, group in (("Sources (cited)", cited), ("Also retrieved, not cited" if answer.get("route") !=
                           "refusal" else "Closest material (not an answer)", others)):
        if not group:
            continue
        lines += [f"### {heading}", ""]
        for c in group:
            lines += [f"{_md('[' + str(c['n']) + ']')} **{_md(c['title'])}** ({_md(c['passage'])}, characters "
                      f"{c['start']}–{c['end']})", "", f"> {_md(c['quote'])}", ""]
    guard = answer.get("guard")
    if guard and guard.get("status") != "skipped":
        reasons = guard.get("summary") or guard.get("reasons") or []
        lines += [f"*LLM guard: {_md(guard['status'])}*" + (f" — {_md('; '.join(map(str, reasons)))}" if reasons
                                                              else ""), ""]
    return "\n".join(lines).rstrip() + "\n"
