"""The Gradio web UI. It only renders what `Assistant` returns: retrieval, numbers and refusals all happen there.

Gradio is imported here and in app.py only (the library and the CLI never load it). Everything taken from a report,
and everything the user types, is shown as text: `escape_text` writes every character that HTML, Markdown or
Gradio's HTML templates could read as markup as a numeric entity before it goes into a message or a panel.

The page is served first; the Assistant (torch, sentence-transformers, the index) loads in a background thread,
and a question that arrives before it is ready waits visibly.
"""

from __future__ import annotations

import base64
import os
import queue
import re
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

# Before gradio (and matplotlib) are imported: no analytics, no hub, no display.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import gradio as gr
from gradio.components.plot import PlotData

from .audit import AuditFlag, ConsistencyCheck, describe_verdict
from .charts import figure_png, series_points, trajectory_figure
from .core import MAX_UPLOAD_BYTES, Assistant
from .ingest import SUPPORTED_SUFFIXES
from .models import Answer, Calculation, Citation, Fact, MarketQAError
from .quantities import format_money, format_number

EXAMPLES = [
    "What was the large-scale AI models market worth in 2024?",
    "What CAGR do the report's own 2024 and 2031 figures imply?",
    "How big will the large-scale AI models market be in 2028 at the stated CAGR?",
    "How long until the multimodal AI market doubles?",
    "Who are the key players in the large-scale AI models market?",
]
NON_MONEY_UNITS = {"%", "years", "x"}
DEFAULT_CONCURRENCY = 4  # measured on 2 cores: more parallel questions only lengthen the p95 (GIL, CPU)

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


def _highlighted_passage(citation: Citation) -> str:
    """The whole passage with the quoted sentence(s) inside <mark>."""
    text, quote = citation.text, citation.quote
    at = text.find(quote) if quote else -1
    if at < 0:  # the quote is not inside the passage text: show it above the passage
        marked = f"<mark>{_multiline(quote)}</mark>" if quote else ""
        return f'{marked}<div class="mqa-passage">{_multiline(text)}</div>'
    return (f'<div class="mqa-passage">{_multiline(text[:at])}<mark>{_multiline(quote)}</mark>'
            f"{_multiline(text[at + len(quote):])}</div>")


def _citation_html(citation: Citation) -> str:
    meta = (f"{escape_text(citation.passage)} · characters {citation.start}–{citation.end} · "
            f"score {format_number(citation.score, 3)}")
    return (f'<li class="mqa-source" id="cite-{citation.n}"><div class="mqa-source-head">'
            f'<span class="mqa-n">&#91;{citation.n}&#93;</span> <strong class="mqa-title">'
            f'{escape_text(citation.title)}</strong></div><div class="mqa-meta">{meta}</div>'
            f"{_highlighted_passage(citation)}</li>")


def _calculation_html(calculation: Calculation, answer: Answer, titles: dict[int, str]) -> str:
    rows = []
    for item in calculation.inputs:
        if item.citation is None:
            source = "typed in the question"
        else:
            title = escape_text(titles.get(item.citation, ""))
            source = f'<a class="mqa-input-source" href="#cite-{item.citation}">&#91;{item.citation}&#93; {title}</a>'
        rows.append(f"<tr><td>{escape_text(item.name)}</td><td>{escape_text(format_amount(item.value, item.unit))}"
                    f"</td><td>{item.year if item.year is not None else '—'}</td><td>{source}</td></tr>")
    result = format_amount(calculation.result, answer.unit)
    return (f'<div class="mqa-calc"><div class="mqa-section">Calculation · {escape_text(calculation.kind)}</div>'
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
    reasons = "".join(f"<li>{escape_text(str(r))}</li>" for r in guard.get("reasons") or [])
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
    """Every cited passage with the quoted words highlighted; for refusals the closest material, labelled."""
    sources = _sources(answer)
    if not sources:
        return ""
    refused = answer.route == "refusal"
    heading = "Closest material (NOT an answer)" if refused else "Sources"
    return (f'<div class="mqa-evidence{" mqa-closest" if refused else ""}"><div class="mqa-section">{heading}</div>'
            f'<ol class="mqa-sources">'
            f'{"".join(_citation_html(c) for c in sources)}</ol></div>')


def answer_chart(answer: Answer) -> Optional[PlotData]:
    """The trajectory chart of an answer that carries a series (calculator answers, stated sizes), or None."""
    if not answer.series:
        return None
    money = [i.unit for i in (answer.calculation.inputs if answer.calculation else []) if i.unit not in NON_MONEY_UNITS]
    unit = money[0] if money else (answer.unit or "")
    points = tuple((p.year, p.value, p.stated) for p in series_points(answer.series))
    image = _chart_image(points, unit)
    # gr.Plot passes PlotData through as it is (a figure would be drawn and encoded again on every answer).
    return PlotData(type="matplotlib", plot=image) if image else None


@lru_cache(maxsize=256)
def _chart_image(points: tuple[tuple[int, float, bool], ...], unit: str) -> Optional[str]:
    """The chart as a PNG data URL. Cached: drawing takes ~0.25 s of CPU, and many users ask the same questions."""
    figure = trajectory_figure([{"year": y, "value": v, "stated": s} for y, v, s in points], unit=unit)
    if figure is None:
        return None
    return "data:image/png;base64," + base64.b64encode(figure_png(figure)).decode("ascii")


def answer_views(answer: Optional[Answer], note: str = "", kind: str = "info") -> tuple:
    """Outputs for one answer (or for a note when there is none): evidence, chart, sources, answer JSON."""
    if answer is None:
        return message_html(note, kind), gr.update(value=None, visible=False), "", None
    figure = answer_chart(answer)
    return (evidence_html(answer), gr.update(value=figure, visible=figure is not None), sources_html(answer),
            answer.to_dict())


def message_html(text: str, kind: str = "info") -> str:
    return f'<div class="mqa-message mqa-{kind}">{escape_text(text)}</div>'


# --- tables -------------------------------------------------------------------------------------------------------

# "flagged": passages holding text addressed to an AI model (planted instructions), never quoted.
REPORT_COLUMNS = ["title", "file", "passages", "facts", "flagged", "added"]
FACT_COLUMNS = ["market", "metric", "value", "to", "unit", "year", "period", "stated as", "report", "quote"]
FLAG_COLUMNS = ["market", "kind", "implied CAGR %", "message"]


def report_rows(assistant: Assistant) -> list[list[Any]]:
    index = assistant.index
    entries = index.manifest.get("reports", {})
    facts: dict[str, int] = {}
    for fact in index.facts:
        facts[fact.doc] = facts.get(fact.doc, 0) + 1
    rows = []
    for doc, report in sorted(index.reports.items(), key=lambda item: item[1].title.lower()):
        entry = entries.get(doc, {})
        added = str(entry.get("added", "")).replace("T", " ")[:16]
        flagged = sum(1 for row in index.report_passages(doc) if index.passages[row].flagged)
        rows.append([report.title, report.source, entry.get("passages", len(index.report_passages(doc))),
                     facts.get(doc, 0), flagged, added])
    return rows


def fact_rows(facts: Sequence[Fact]) -> list[list[Any]]:
    """One row per fact; "to" holds a range's high end ("value" its low end), and is empty for a single figure."""
    return [[f.market, f.metric, f.value, f.value_high, f.unit, f.year,
             f"{f.period[0]}-{f.period[1]}" if f.period else None, f.value_text, f.doc, f.quote] for f in facts]


def flag_rows(flags: Sequence[AuditFlag], checks: Sequence[ConsistencyCheck] = ()) -> list[list[Any]]:
    """A verdict per stated CAGR first (consistent, rounding, inconsistent), then the flags."""
    return [[c.market, c.verdict, round(c.implied, 2), describe_verdict(c)] for c in checks] + \
        [[f.market, f.kind, None if f.implied is None else round(f.implied, 2), f.message] for f in flags]


# --- the Assistant, loaded in the background ------------------------------------------------------------------------


class AssistantService:
    """Owns the Assistant. `start()` loads it in a background thread so the page can be served first."""

    def __init__(self, factory: Callable[[], Assistant]) -> None:
        self._factory = factory
        self.ready = threading.Event()
        self.assistant: Optional[Assistant] = None
        self.error: Optional[str] = None
        self.started = time.monotonic()
        self.load_seconds: Optional[float] = None

    def start(self) -> threading.Thread:
        self.started = time.monotonic()
        thread = threading.Thread(target=self._load, name="marketqa-load", daemon=True)
        thread.start()
        return thread

    def _load(self) -> None:
        try:
            assistant = self._factory()
            assistant.load()  # builds the index first when it is missing or stale (progress bar on stderr)
            assistant.embedder.model()  # so the first question does not wait for the model either
            self.assistant = assistant
        except MarketQAError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown in the page and the terminal; the server stays up
            traceback.print_exc()
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.load_seconds = time.monotonic() - self.started
            if self.error:
                print(f"marketqa: the assistant could not start: {self.error}", file=sys.stderr, flush=True)
            else:
                print(f"marketqa: model and index ready ({self.load_seconds:.1f} s)", file=sys.stderr, flush=True)
            self.ready.set()

    def get(self) -> Assistant:
        """The Assistant, waiting for it to finish loading."""
        self.ready.wait()
        if self.assistant is None:
            raise MarketQAError(f"the assistant could not start: {self.error}")
        return self.assistant

    def status_markdown(self) -> str:
        if not self.ready.is_set():
            waited = time.monotonic() - self.started
            return (f"**Loading the model and the index…** ({waited:.0f} s so far). You can already ask; "
                    "questions are answered as soon as it is ready.")
        if self.assistant is None:
            return f"**The assistant could not start:** {escape_text(self.error or 'unknown error')}"
        index = self.assistant.index
        return (f"**Ready** · {len(index.reports)} reports · {len(index.passages)} passages · "
                f"{len(index.facts)} facts")


# --- event handlers -------------------------------------------------------------------------------------------------

_DONE = object()
Streamed = Union[str, Answer]


def ask_streaming(assistant: Assistant, question: str, history: Sequence[Answer]) -> Iterator[Streamed]:
    """Runs `assistant.ask` and yields the text streamed so far by the LLM (if one is configured), then the Answer."""
    tokens: queue.Queue[object] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["answer"] = assistant.ask(question, history=list(history), on_token=tokens.put)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            tokens.put(_DONE)

    threading.Thread(target=work, name="marketqa-ask", daemon=True).start()
    text = ""
    while (item := tokens.get()) is not _DONE:
        text += str(item)
        yield text
    if "error" in outcome:
        raise outcome["error"]
    yield outcome["answer"]


@dataclass
class Handlers:
    service: AssistantService

    def respond(self, message: str, chat: list[dict[str, Any]], answers: list[Optional[Answer]]) -> Iterator[tuple]:
        """Outputs: textbox, chatbot, answers state, evidence, chart, sources, answer JSON."""
        if not (message or "").strip():
            yield (gr.skip(),) * 7
            return
        chat = [*(chat or []), {"role": "user", "content": _multiline(message.strip())}]
        answers = list(answers or [])
        if not self.service.ready.is_set():
            waiting = {"role": "assistant", "content": "<em>Loading the model and the index. Your question will be "
                                                       "answered as soon as they are ready…</em>"}
            yield "", [*chat, waiting], answers, *answer_views(None, "Loading the model and the index…", "loading")
        answer: Optional[Answer] = None
        problem = "no answer"
        try:
            assistant = self.service.get()
            history = [a for a in answers if a is not None]
            for item in ask_streaming(assistant, message, history):
                if isinstance(item, Answer):
                    answer = item
                    continue
                model = getattr(assistant.phraser, "model", "") or "the language model"
                streaming = {"role": "assistant", "content": f"{_multiline(item.strip())}\n\n<em>Phrasing with "
                                                            f"{escape_text(str(model))}; the guard checks it…</em>"}
                yield "", [*chat, streaming], answers, *(gr.skip(),) * 4
        except MarketQAError as exc:
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - one bad question must not break the session
            traceback.print_exc()
            problem = f"internal error ({type(exc).__name__}: {exc})"
        if answer is None:
            chat.append({"role": "assistant", "content": f"<strong>Error:</strong> {escape_text(problem)}"})
            yield "", chat, [*answers, None], *answer_views(None, problem, "error")
            return
        chat.append({"role": "assistant", "content": answer_markdown(answer)})
        yield "", chat, [*answers, answer], *answer_views(answer)

    @staticmethod
    def select(answers: list[Optional[Answer]], event: gr.SelectData) -> tuple:
        """Clicking a message shows the evidence of that turn's answer. Outputs: as `answer_views`."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        turn = int(index) // 2  # messages alternate: question, answer
        answer = answers[turn] if 0 <= turn < len(answers) else None
        if answer is None:
            return (gr.skip(),) * 4
        return answer_views(answer)

    def tables(self) -> tuple:
        """Outputs: status, reports table, facts table, flags table."""
        assistant = self.service.assistant
        if assistant is None:
            return self.service.status_markdown(), gr.skip(), gr.skip(), gr.skip()
        return (self.service.status_markdown(), report_rows(assistant), fact_rows(assistant.facts()),
                flag_rows(assistant.audit_flags(), assistant.consistency()))

    def on_page_load(self) -> Iterator[tuple]:
        """Shows the loading state at once, then the tables when the Assistant is ready."""
        while not self.service.ready.is_set():
            yield self.tables()
            self.service.ready.wait(2.0)
        yield self.tables()

    def add_report(self, path: Optional[str], progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple:
        """Outputs: file box, upload message, status, reports table, facts table, flags table."""
        if not path:
            return (gr.skip(),) * 6
        name = Path(path).name
        try:
            # Gradio refuses files over MAX_UPLOAD_BYTES (launch's max_file_size); Assistant.add_report checks the
            # type, the size and that the file can be read before it touches the corpus.
            data = Path(path).read_bytes()
            progress(0.1, desc="Waiting for the model" if not self.service.ready.is_set() else f"Checking {name}")
            assistant = self.service.get()
            progress(0.2, desc=f"Indexing {name}")
            result = assistant.add_report(name, data)
            progress(1.0, desc="Indexed")
        except MarketQAError as exc:
            return (None, message_html(f"Could not add the report: {exc}", "error"), *self.tables())
        except Exception as exc:  # noqa: BLE001 - a broken upload must never take the app down
            traceback.print_exc()
            return (None, message_html(f"Could not add the report ({type(exc).__name__}: {exc})", "error"),
                    *self.tables())
        docs = result.reports_new + result.reports_changed
        if docs:
            names = ", ".join(f"“{result.index.reports[d].title}”" for d in docs if d in result.index.reports)
            passages = sum(len(result.index.report_passages(d)) for d in docs)
            text = (f"Added {names}: {_count(passages, 'passage')} ({result.embedded_passages} embedded) in "
                    f"{result.seconds:.1f} s. You can ask about it now.")
            flagged = sum(1 for d in docs for row in result.index.report_passages(d)
                          if result.index.passages[row].flagged)
            if flagged:
                text += (f" {_count(flagged, 'passage')} hold text addressed to an AI model; it is never quoted "
                         "(see the flagged column of Reports).")
        else:
            text = f"{name} is already indexed, unchanged."
        if result.skipped:
            text += " Skipped: " + "; ".join(result.skipped)
        return (None, message_html(text, "ok"), *self.tables())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- layout ---------------------------------------------------------------------------------------------------------

CSS = """
.mqa-evidence { font-size: 0.92rem; line-height: 1.45; }
.mqa-section { font-weight: 600; margin: 0.8em 0 0.3em; }
.mqa-asked, .mqa-rewritten { color: var(--body-text-color-subdued); margin-bottom: 0.3em; }
.mqa-sources { padding-left: 0; list-style: none; }
.mqa-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.7em;
  margin-bottom: 0.6em; scroll-margin-top: 1em; }
.mqa-source:target { outline: 2px solid var(--color-accent); }
.mqa-meta { font-size: 0.8em; color: var(--body-text-color-subdued); margin: 0.15em 0 0.4em; }
.mqa-passage { white-space: normal; }
.mqa-evidence mark { background: #fde68a; color: #111; padding: 0 1px; border-radius: 2px; }
.mqa-closest mark { background: #e5e7eb; }
.mqa-closest .mqa-source { border-style: dashed; }
.mqa-calc { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.7em; }
.mqa-formula { display: block; padding: 0.4em 0.5em; margin: 0.3em 0; font-size: 0.95em; }
.mqa-inputs { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.mqa-inputs th, .mqa-inputs td { border-bottom: 1px solid var(--border-color-primary); padding: 0.2em 0.4em;
  text-align: left; }
.mqa-not-answer { border: 2px solid #dc2626; border-radius: 8px; padding: 0.5em 0.7em; margin: 0.5em 0;
  background: rgba(220, 38, 38, 0.08); }
.mqa-guard { border-left: 4px solid #6b7280; padding: 0.3em 0.6em; margin: 0.4em 0; }
.mqa-guard-passed { border-color: #16a34a; }
.mqa-guard-rejected { border-color: #dc2626; }
.mqa-message { padding: 0.4em 0.6em; border-radius: 6px; }
.mqa-error { background: rgba(220, 38, 38, 0.1); border: 1px solid #dc2626; }
.mqa-ok { background: rgba(22, 163, 74, 0.1); border: 1px solid #16a34a; }
.mqa-loading { background: rgba(234, 179, 8, 0.12); border: 1px solid #ca8a04; }
"""

INTRO = ("Ask about the indexed market-research reports. Every answer cites the passages it comes from; every "
         "computed figure comes from a deterministic calculator, with its formula and inputs shown.")


def build_ui(service: AssistantService) -> gr.Blocks:
    handlers = Handlers(service)
    upload_types = sorted(SUPPORTED_SUFFIXES)
    with gr.Blocks(title="marketqa", analytics_enabled=False) as demo:
        gr.Markdown(f"# marketqa\n{INTRO}")
        status = gr.Markdown(service.status_markdown(), elem_id="status")
        answers = gr.State([])
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Conversation", elem_id="chat", height=520, latex_delimiters=[],
                                         allow_tags=False, buttons=[], feedback_options=None,
                                         placeholder="Ask a question about the reports, or pick an example below.")
                    with gr.Row():
                        question = gr.Textbox(placeholder="e.g. What CAGR do the report's own 2024 and 2031 "
                                              "figures imply?", show_label=False, scale=5, elem_id="question",
                                              max_lines=4, submit_btn=False)
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Example questions")
                    clear = gr.Button("New conversation", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("### Evidence")
                    evidence = gr.HTML(message_html("Ask a question: its sources, calculation and chart show here. "
                                                    "Click an earlier answer to see its evidence again."),
                                       elem_id="evidence", js_on_load=None)
                    chart = gr.Plot(label="Market trajectory", elem_id="chart", format="png", visible=False)
                    sources = gr.HTML("", elem_id="sources", js_on_load=None)
                    with gr.Accordion("Answer JSON", open=False):
                        answer_json = gr.JSON(elem_id="answer-json")
        with gr.Tab("Reports") as reports_tab:
            gr.Markdown(f"Add a report ({', '.join(upload_types)}; up to {MAX_UPLOAD_BYTES // 10**6} MB). It is "
                        "indexed right away and can be asked about as soon as it is listed below.")
            upload = gr.File(label="Add a report", file_types=upload_types, type="filepath", elem_id="upload")
            upload_message = gr.HTML("", elem_id="upload-message", js_on_load=None)
            reports = gr.Dataframe(headers=REPORT_COLUMNS,
                                   datatype=["str", "str", "number", "number", "number", "str"],
                                   interactive=False, elem_id="reports-table", label="Indexed reports", wrap=True,
                                   column_widths=["40%", "26%", "9%", "7%", "7%", "11%"])
        with gr.Tab("Facts") as facts_tab:
            gr.Markdown("Market figures stated in the reports, and the consistency checks of each report's stated "
                        "CAGR against its own figures. Sort or filter with the ⋮ menu of a column header.")
            facts = gr.Dataframe(headers=FACT_COLUMNS, datatype=["str", "str", "number", "number", "str", "number",
                                                                 "str", "str", "str", "str"],
                                 interactive=False, elem_id="facts-table", label="Facts", wrap=True,
                                 show_search="search",
                                 column_widths=["12%", "6%", "9%", "6%", "5%", "5%", "8%", "10%", "12%", "27%"])
            flags = gr.Dataframe(headers=FLAG_COLUMNS, datatype=["str", "str", "number", "str"], interactive=False,
                                 elem_id="flags-table", label="Audit: a verdict per stated CAGR, then the flags", wrap=True,
                                 column_widths=["14%", "12%", "10%", "64%"])

        views = [evidence, chart, sources, answer_json]
        ask_outputs = [question, chatbot, answers, *views]
        question.submit(handlers.respond, inputs=[question, chatbot, answers], outputs=ask_outputs, api_name="ask")
        send.click(handlers.respond, inputs=[question, chatbot, answers], outputs=ask_outputs,
                   api_visibility="undocumented")
        chatbot.select(handlers.select, inputs=[answers], outputs=views, api_visibility="private",
                       show_progress="hidden")
        # Both the chatbot's own clear button and "New conversation" forget the history used for follow-ups.
        chatbot.clear(lambda: ([], *answer_views(None, "New conversation.")), outputs=[answers, *views],
                      api_visibility="private")
        clear.click(lambda: ("", [], [], *answer_views(None, "New conversation.")), outputs=ask_outputs,
                    api_visibility="private")
        # Ingestion is serialized (one upload at a time); questions keep running in parallel meanwhile.
        upload.upload(handlers.add_report, inputs=[upload],
                      outputs=[upload, upload_message, status, reports, facts, flags],
                      concurrency_limit=1, concurrency_id="ingest", api_name="add_report")
        for tab in (reports_tab, facts_tab):  # another session may have added a report meanwhile
            tab.select(handlers.tables, outputs=[status, reports, facts, flags], api_visibility="private",
                       show_progress="hidden")
        demo.load(handlers.on_page_load, outputs=[status, reports, facts, flags], concurrency_limit=None,
                  concurrency_id="page-load", api_visibility="private", show_progress="hidden")
    return demo


@dataclass(frozen=True)
class ServeOptions:
    corpus_dir: Optional[Path]
    index_dir: Optional[Path]
    host: str = "127.0.0.1"
    port: int = 7860
    auth: Optional[tuple[str, str]] = None
    concurrency: int = DEFAULT_CONCURRENCY
    llm_overrides: dict[str, Any] = field(default_factory=dict)  # on top of the MARKETQA_LLM_* settings


def _factory(options: ServeOptions) -> Callable[[], Assistant]:
    def make() -> Assistant:
        from .llm import build_phraser, load_config

        config = load_config(options.llm_overrides)
        phraser = build_phraser(config) if config else None
        return Assistant(options.corpus_dir, options.index_dir, phraser=phraser, progress=True)

    return make


def serve(options: ServeOptions, started: Optional[float] = None) -> None:
    """Serves the page, then loads the Assistant in the background; blocks until interrupted."""
    service = AssistantService(_factory(options))
    demo = build_ui(service)
    demo.queue(default_concurrency_limit=options.concurrency)
    demo.launch(server_name=options.host, server_port=options.port, auth=options.auth, share=False,
                prevent_thread_lock=True, quiet=True, ssr_mode=False, mcp_server=False, pwa=False,
                enable_monitoring=False, max_file_size=MAX_UPLOAD_BYTES, footer_links=["api", "settings"],
                theme=gr.themes.Default(), css=CSS)
    host = f"[{options.host}]" if ":" in options.host else options.host
    took = f" (page served {time.perf_counter() - started:.1f} s after start)" if started is not None else ""
    print(f"marketqa UI running on http://{host}:{options.port}{took}", flush=True)
    service.start()
    try:
        demo.block_thread()
    finally:
        demo.close()
