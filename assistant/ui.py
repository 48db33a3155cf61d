"""The Gradio web UI. It only renders what `Assistant` returns: retrieval, numbers and refusals all happen there,
and the HTML of an answer is `assistant/render.py`'s.

Gradio is imported here only (the library and the CLI never load it).

The page is served first; the Assistant (torch, sentence-transformers, the index) loads in a background thread,
and a question that arrives before it is ready waits visibly.
"""

from __future__ import annotations

import base64
import json
import tempfile
import os
import queue
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

from .charts import figure_png, series_points, trajectory_figure
from .core import Assistant
from .export import answer_to_markdown
from .history import log_answer, recent
from .ingest import SUPPORTED_SUFFIXES
from .library import DEFAULT_COLLECTION, Library, max_upload_bytes
from .models import Answer, MarketQAError, answer_from_dict
from .render import (  # noqa: F401 - escape_text, linked_markers: the UI's escaping, tested through it
    FACT_COLUMNS, FLAG_COLUMNS, NON_MONEY_UNITS, REPORT_COLUMNS, _multiline, answer_markdown, escape_text,
    evidence_html, fact_rows, flag_rows, library_names, linked_markers, message_html, report_rows, sources_html)

EXAMPLES = [
    "What was the large-scale AI models market worth in 2024?",
    "What CAGR do the report's own 2024 and 2031 figures imply?",
    "How big will the large-scale AI models market be in 2028 at the stated CAGR?",
    "How long until the multimodal AI market doubles?",
    "Who are the key players in the large-scale AI models market?",
]
DEFAULT_CONCURRENCY = 4  # measured on 2 cores: more parallel questions only lengthen the p95 (GIL, CPU)

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


VIEW_COUNT = 7  # the outputs of `answer_views`


def answer_views(answer: Optional[Answer], note: str = "", kind: str = "info") -> tuple:
    """Outputs for one answer (or for a note when there is none): evidence, chart, sources, the answer as
    Markdown, the two files to download (Markdown, JSON), and last the answer JSON (the API's last output)."""
    if answer is None:
        hidden = gr.update(value=None, visible=False)
        return message_html(note, kind), hidden, "", "", hidden, hidden, None
    figure = answer_chart(answer)
    shown = answer.to_dict()
    if shown.get("guard") and shown["guard"].get("status") == "fell_back":
        shown["guard"] = {**shown["guard"], "reasons": shown["guard"].get("summary", [])}  # no rejected draft
    markdown = answer_to_markdown(shown)
    folder = Path(tempfile.mkdtemp(prefix="marketqa-answer-"))
    (folder / "answer.md").write_text(markdown, encoding="utf-8")
    (folder / "answer.json").write_text(json.dumps(shown, indent=2, ensure_ascii=False), encoding="utf-8")
    return (evidence_html(answer), gr.update(value=figure, visible=figure is not None), sources_html(answer),
            markdown, gr.update(value=str(folder / "answer.md"), visible=True),
            gr.update(value=str(folder / "answer.json"), visible=True), shown)


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
            yield (gr.skip(),) * (3 + VIEW_COUNT)
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
                # The draft is never shown: a number the guard would reject must not reach the page even for a
                # moment. What shows is that a draft is being written, and how far it has got.
                model = getattr(assistant.phraser, "model", "") or "the language model"
                words = len(item.split())
                streaming = {"role": "assistant", "content": f'<em class="mqa-drafting">Draft, being checked: '
                             f"{escape_text(str(model))} has written {_count(words, 'word')}. The guard checks every "
                             "number and citation in it before anything is shown.</em>"}
                yield "", [*chat, streaming], answers, *(gr.skip(),) * VIEW_COUNT
        except MarketQAError as exc:
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - one bad question must not break the session
            traceback.print_exc()
            problem = f"internal error ({type(exc).__name__}: {exc})"
        if answer is None:
            chat.append({"role": "assistant", "content": f"<strong>Error:</strong> {escape_text(problem)}"})
            yield "", chat, [*answers, None], *answer_views(None, problem, "error")
            return
        log_answer(answer, "ui")
        chat.append({"role": "assistant", "content": answer_markdown(answer)})
        yield "", chat, [*answers, answer], *answer_views(answer)

    @staticmethod
    def select(answers: list[Optional[Answer]], event: gr.SelectData) -> tuple:
        """Clicking a message shows the evidence of that turn's answer. Outputs: as `answer_views`."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        turn = int(index) // 2  # messages alternate: question, answer
        answer = answers[turn] if 0 <= turn < len(answers) else None
        if answer is None:
            return (gr.skip(),) * VIEW_COUNT
        return answer_views(answer)

    def tables(self) -> tuple:
        """Outputs: status, reports table, facts table, flags table, the removable reports."""
        assistant = self.service.assistant
        if assistant is None:
            return self.service.status_markdown(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        names = library_names(assistant)
        return (self.service.status_markdown(), report_rows(assistant), fact_rows(assistant.facts()),
                flag_rows(assistant.audit_flags(), assistant.consistency()),
                gr.update(choices=names, value=None, interactive=bool(names)))

    def on_page_load(self) -> Iterator[tuple]:
        """Shows the loading state at once, then the tables when the Assistant is ready."""
        while not self.service.ready.is_set():
            yield self.tables()
            self.service.ready.wait(2.0)
        yield self.tables()

    def remove_report(self, name: Optional[str]) -> tuple:
        """Outputs: upload message, status, reports table, facts table, flags table, removable reports."""
        if not name:
            return (message_html("Pick a report of your library to remove.", "error"), *self.tables())
        try:
            result = self.service.get().remove_report(name)
        except MarketQAError as exc:
            return (message_html(f"Could not remove the report: {exc}", "error"), *self.tables())
        except Exception as exc:  # noqa: BLE001 - a failed removal must never take the app down
            traceback.print_exc()
            return (message_html(f"Could not remove the report ({type(exc).__name__}: {exc})", "error"),
                    *self.tables())
        return (message_html(f"Removed {name} from your library; {_count(len(result.index.reports), 'report')} "
                             f"remain, none embedded again ({result.seconds:.1f} s).", "ok"), *self.tables())

    def add_report(self, path: Optional[str], progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple:
        """Outputs: file box, upload message, status, reports table, facts table, flags table, removable reports."""
        if not path:
            return (gr.skip(),) * 7
        name = Path(path).name
        try:
            # Gradio refuses files over max_upload_bytes() (launch's max_file_size); Assistant.add_report checks the
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
        if assistant.library is not None:
            text += f" Kept in your library ({assistant.library.reports_dir}); the shipped corpus is not changed."
        if result.skipped:
            text += " Skipped: " + "; ".join(result.skipped)
        return (None, message_html(text, "ok"), *self.tables())


HISTORY_COLUMNS = ["asked at", "where", "route", "question"]
HISTORY_SHOWN = 200


def history_rows() -> tuple:
    """Outputs: the history table (newest first) and the log ids of its rows."""
    entries = recent(HISTORY_SHOWN)[::-1]
    rows = [[e["asked_at"].replace("T", " "), e["face"], e["answer"]["route"], e["answer"]["question"]]
            for e in entries]
    return rows or [["", "", "", "No questions asked yet."]], [e["id"] for e in entries]


def reopen(ids: list[int], event: gr.SelectData) -> tuple:
    """A clicked history row: its answer's evidence, shown in Chat. Outputs: the tabs, then as `answer_views`."""
    row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
    if not 0 <= int(row) < len(ids):
        return (gr.skip(),) * (1 + VIEW_COUNT)
    wanted = ids[int(row)]
    entry = next((e for e in recent(None) if e["id"] == wanted), None)
    if entry is None:
        return (gr.skip(),) * (1 + VIEW_COUNT)
    return (gr.Tabs(selected="chat"), *answer_views(answer_from_dict(entry["answer"])))


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
.mqa-badge { font-size: 0.75em; font-weight: 600; padding: 0 0.4em; border-radius: 4px; background: #fde68a;
  color: #111; }
.mqa-also summary { cursor: pointer; color: var(--body-text-color-subdued); margin: 0.4em 0; }
.mqa-also .mqa-source { border-style: dotted; }
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
.mqa-drafting { color: var(--body-text-color-subdued); }
/* A phone (390 px): tables scroll sideways instead of squeezing a column to a letter per line, and the
   evidence comes right under the question box, the examples being a desktop convenience. */
@media (max-width: 640px) {
  #facts-table, #flags-table, #reports-table { overflow-x: auto; }
  #facts-table .table-wrap { min-width: 1400px; }
  #flags-table .table-wrap { min-width: 760px; }
  #reports-table .table-wrap { min-width: 820px; }
  #examples { display: none; }
  #chat { height: 55vh !important; }
}
.mqa-loading { background: rgba(234, 179, 8, 0.12); border: 1px solid #ca8a04; }
"""

# The system's own fonts: a web font would be fetched from the network (never, offline), and its bold would
# fall back to another typeface.
_SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial",
                 "sans-serif"]
_SYSTEM_MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


def _theme():
    return gr.themes.Default(font=_SYSTEM_FONTS, font_mono=_SYSTEM_MONO)


THEME = _theme()

INTRO = ("Ask about the indexed market-research reports. Every answer cites the passages it comes from; every "
         "computed figure comes from a deterministic calculator, with its formula and inputs shown.")


def build_ui(service: AssistantService) -> gr.Blocks:
    handlers = Handlers(service)
    upload_types = sorted(SUPPORTED_SUFFIXES)
    with gr.Blocks(title="marketqa", analytics_enabled=False) as demo:
        gr.Markdown(f"# marketqa\n{INTRO}")
        status = gr.Markdown(service.status_markdown(), elem_id="status")
        answers = gr.State([])
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat"):
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
                        gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Example questions",
                                    elem_id="examples")
                        clear = gr.Button("New conversation", size="sm")
                    with gr.Column(scale=2):
                        gr.Markdown("### Evidence")
                        evidence = gr.HTML(message_html("Ask a question: its sources, calculation and chart show here. "
                                                        "Click an earlier answer to see its evidence again."),
                                           elem_id="evidence", js_on_load=None)
                        # The figure titles itself; a label drawn over it would cover its top at phone width.
                        chart = gr.Plot(label="Market trajectory", show_label=False, elem_id="chart", format="png",
                                        visible=False)
                        sources = gr.HTML("", elem_id="sources", js_on_load=None)
                        with gr.Accordion("Answer JSON", open=False):
                            answer_json = gr.JSON(elem_id="answer-json")
                        with gr.Accordion("Export: copy or download", open=False):
                            export = gr.Code(language="markdown", label="Answer as Markdown", elem_id="export",
                                             interactive=False, lines=6)
                            with gr.Row():
                                download_md = gr.DownloadButton("Download Markdown", elem_id="download-md",
                                                                visible=False, size="sm")
                                download_json = gr.DownloadButton("Download JSON", elem_id="download-json",
                                                                  visible=False, size="sm")
            with gr.Tab("Reports") as reports_tab:
                gr.Markdown(f"Add a report ({', '.join(upload_types)}; up to {max_upload_bytes() / 1e6:g} MB). It is "
                            "stored in your report library (in the --corpus folder, if the app was started with one), "
                            "never in the shipped corpus, and indexed right away: ask about it as soon as it is listed "
                            "below.")
                upload = gr.File(label="Add a report", file_types=upload_types, type="filepath", elem_id="upload")
                upload_message = gr.HTML("", elem_id="upload-message", js_on_load=None)
                with gr.Row():
                    removable = gr.Dropdown([], label="A report of your library", elem_id="remove-choice",
                                            interactive=False, scale=4)
                    remove = gr.Button("Remove from library", elem_id="remove", scale=1, size="sm")
                reports = gr.Dataframe(headers=REPORT_COLUMNS,
                                       datatype=["str", "str", "str", "number", "number", "number", "str"],
                                       interactive=False, elem_id="reports-table", label="Indexed reports", wrap=True,
                                       column_widths=["34%", "24%", "10%", "8%", "6%", "7%", "11%"])
            with gr.Tab("Facts") as facts_tab:
                gr.Markdown("Market figures stated in the reports, and the consistency checks of each report's stated "
                            "CAGR against its own figures. Sort or filter with the ⋮ menu of a column header.")
                facts = gr.Dataframe(headers=FACT_COLUMNS, datatype=["str", "str", "number", "number", "str", "number",
                                                                     "str", "str", "str", "str"],
                                     interactive=False, elem_id="facts-table", label="Facts", wrap=True,
                                     show_search="search",
                                     column_widths=["12%", "6%", "9%", "6%", "5%", "5%", "8%", "10%", "12%", "27%"])
                flags = gr.Dataframe(headers=FLAG_COLUMNS, datatype=["str", "str", "number", "str"],
                                     interactive=False, elem_id="flags-table", wrap=True,
                                     label="Audit: a verdict per stated CAGR, then the flags",
                                     column_widths=["14%", "12%", "10%", "64%"])
            with gr.Tab("History", id="history") as history_tab:
                gr.Markdown("The questions asked so far, here and with `marketqa ask` (newest first; `marketqa logs` "
                            "reads the same). Click one to reopen its answer and evidence in Chat.")
                history = gr.Dataframe(headers=HISTORY_COLUMNS, datatype=["str", "str", "str", "str"],
                                       interactive=False, elem_id="history-table", label="History", wrap=True,
                                       column_widths=["18%", "8%", "12%", "62%"])
                history_ids = gr.State([])

        views = [evidence, chart, sources, export, download_md, download_json, answer_json]
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
        table_outputs = [status, reports, facts, flags, removable]
        # The progress of an upload shows in its message box, not over every table of the tab.
        upload.upload(handlers.add_report, inputs=[upload], outputs=[upload, upload_message, *table_outputs],
                      concurrency_limit=1, concurrency_id="ingest", api_name="add_report",
                      show_progress_on=[upload_message])
        remove.click(handlers.remove_report, inputs=[removable], outputs=[upload_message, *table_outputs],
                     concurrency_limit=1, concurrency_id="ingest", api_name="remove_report",
                     show_progress_on=[upload_message])
        history_tab.select(history_rows, outputs=[history, history_ids], api_visibility="private",
                           show_progress="hidden")
        history.select(reopen, inputs=[history_ids], outputs=[tabs, *views], api_visibility="private",
                       show_progress="hidden")
        for tab in (reports_tab, facts_tab):  # another session may have added a report meanwhile
            tab.select(handlers.tables, outputs=table_outputs, api_visibility="private", show_progress="hidden")
        demo.load(handlers.on_page_load, outputs=table_outputs, concurrency_limit=None,
                  concurrency_id="page-load", api_visibility="private", show_progress="hidden")
    return demo


@dataclass(frozen=True)
class ServeOptions:
    corpus_dir: Optional[Path]
    index_dir: Optional[Path]
    collection: str = DEFAULT_COLLECTION  # the library answered from beside the shipped corpus (not with --corpus)
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
        own = options.corpus_dir is not None or options.index_dir is not None
        library = None if own else Library.open(options.collection)
        return Assistant(options.corpus_dir, options.index_dir, phraser=phraser, progress=True, library=library)

    return make


def serve(options: ServeOptions, started: Optional[float] = None) -> None:
    """Serves the page, then loads the Assistant in the background; blocks until interrupted."""
    service = AssistantService(_factory(options))
    demo = build_ui(service)
    demo.queue(default_concurrency_limit=options.concurrency)
    demo.launch(server_name=options.host, server_port=options.port, auth=options.auth, share=False,
                prevent_thread_lock=True, quiet=True, ssr_mode=False, mcp_server=False, pwa=False,
                enable_monitoring=False, max_file_size=max_upload_bytes(), footer_links=["api", "settings"],
                theme=THEME, css=CSS)
    host = f"[{options.host}]" if ":" in options.host else options.host
    took = f" (page served {time.perf_counter() - started:.1f} s after start)" if started is not None else ""
    print(f"marketqa UI running on http://{host}:{options.port}{took}", flush=True)
    service.start()
    try:
        demo.block_thread()
    finally:
        demo.close()
