"""The evaluation harness: question files, contract scoring, metrics, reports and a llama-index baseline.

Scoring follows the question-file rules of CONTRACT.md exactly; `run_eval` adds the measurements around it
(accuracy per kind, numeric and citation accuracy, refusal precision/recall, retrieval recall@k and MRR,
latency percentiles) so a change to the assistant can be judged by one report.
"""

from __future__ import annotations

import json
import math
import re
import sys
from functools import lru_cache
from os.path import relpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence

from .models import MarketQAError, Report

if TYPE_CHECKING:
    from .embedding import Embedder

KINDS = ("fact", "numeric", "comparison", "unanswerable")
TEXT_RULES = ("contains_any", "contains_all", "not_contains", "cite_any")
EXPECT_KEYS = set(TEXT_RULES) | {"value", "rel_tol", "unit", "refuse"}
DEFAULT_REL_TOL = 0.01
RECALL_AT = (1, 3, 5)
RETRIEVAL_DEPTH = max(RECALL_AT)  # MRR is computed over the same top-5 list

Ask = Callable[[str], dict]
Retrieve = Callable[[str, int], list[str]]


# --- question files ---------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _validate_expect(expect: Any) -> Optional[str]:
    """The first problem with an `expect` object, or None when it is well formed."""
    if not isinstance(expect, dict):
        return "'expect' must be an object"
    if not expect:
        return "'expect' names no rule"
    unknown = sorted(set(expect) - EXPECT_KEYS)
    if unknown:
        return f"unknown rule {unknown[0]!r} in 'expect' (known: {', '.join(sorted(EXPECT_KEYS))})"
    for rule in TEXT_RULES:
        if rule in expect:
            strings = expect[rule]
            if not isinstance(strings, list) or not strings:
                return f"'{rule}' must be a non-empty list of strings"
            if not all(isinstance(s, str) and s.strip() for s in strings):
                return f"'{rule}' must hold only non-empty strings"
    if "value" in expect and not _is_number(expect["value"]):
        return "'value' must be a number"
    if "rel_tol" in expect:
        if "value" not in expect:
            return "'rel_tol' needs a 'value'"
        if not _is_number(expect["rel_tol"]) or expect["rel_tol"] < 0:
            return "'rel_tol' must be a number >= 0"
    if "unit" in expect:
        if "value" not in expect:
            return "'unit' needs a 'value'"
        if not isinstance(expect["unit"], str) or not expect["unit"]:
            return "'unit' must be a non-empty string"
    if "refuse" in expect and not isinstance(expect["refuse"], bool):
        return "'refuse' must be true or false"
    return None


def load_questions(path: str | Path) -> list[dict]:
    """Read and validate a JSONL question file; any problem raises MarketQAError naming its line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise MarketQAError(f"question file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MarketQAError(f"cannot read question file {path}: {exc}") from None
    questions: list[dict] = []
    first_line_of: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem = None
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MarketQAError(f"{path}: line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            problem = "each line must be a JSON object"
        elif not isinstance(item.get("id"), str) or not item["id"].strip():
            problem = "'id' must be a non-empty string"
        elif item["id"] in first_line_of:
            problem = f"duplicate id {item['id']!r} (first used on line {first_line_of[item['id']]})"
        elif item.get("kind") not in KINDS:
            problem = f"'kind' must be one of {', '.join(KINDS)} (got {item.get('kind')!r})"
        elif not isinstance(item.get("question"), str) or not item["question"].strip():
            problem = "'question' must be a non-empty string"
        elif "note" in item and not isinstance(item["note"], str):
            problem = "'note' must be a string"
        else:
            problem = _validate_expect(item.get("expect"))
        if problem:
            raise MarketQAError(f"{path}: line {number}: {problem}")
        first_line_of[item["id"]] = number
        questions.append(item)
    if not questions:
        raise MarketQAError(f"{path}: no questions in the file")
    return questions


# --- scoring ----------------------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Case-insensitive, whitespace-collapsed form used by every text rule."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _contains(text: str, needle: str) -> bool:
    return _normalize(needle) in _normalize(text)


def passage_rank(passages: Sequence[str], cite_any: Sequence[str]) -> Optional[int]:
    """1-based rank of the first passage holding one of the `cite_any` strings; None if none does."""
    for rank, passage in enumerate(passages, start=1):
        if any(_contains(passage, cite) for cite in cite_any):
            return rank
    return None


def score(question: dict, answer: dict) -> list[str]:
    """Names of the rules the answer fails ([] means correct), per the question-file rules of CONTRACT.md.

    A failed `value` rule is reported as "value" (figure missing or outside rel_tol) and/or "unit"
    (unit differs); a wrong refusal decision, stated or implied, as "refuse".
    """
    expect = question["expect"]
    text = answer.get("answer") or ""
    failed: list[str] = []
    if "contains_any" in expect and not any(_contains(text, s) for s in expect["contains_any"]):
        failed.append("contains_any")
    if "contains_all" in expect and not all(_contains(text, s) for s in expect["contains_all"]):
        failed.append("contains_all")
    if "not_contains" in expect and any(_contains(text, s) for s in expect["not_contains"]):
        failed.append("not_contains")
    if "value" in expect:
        target = float(expect["value"])
        rel_tol = float(expect.get("rel_tol", DEFAULT_REL_TOL))
        given = answer.get("value")
        if not _is_number(given) or abs(given - target) > rel_tol * abs(target):
            failed.append("value")
        if "unit" in expect and answer.get("unit") != expect["unit"]:
            failed.append("unit")
    refused = answer.get("route") == "refusal"
    # The contract: a question whose expect has no refuse rule must not be refused.
    if refused != bool(expect.get("refuse", False)):
        failed.append("refuse")
    if "cite_any" in expect:
        cited = [c.get("text") or "" for c in answer.get("citations") or []]
        if not any(_contains(t, s) for t in cited for s in expect["cite_any"]):
            failed.append("cite_any")
    return failed


# --- running and measuring --------------------------------------------------------------------------------


def _ratio(hits: int, total: int) -> Optional[float]:
    return hits / total if total else None


def _percentile(values: Sequence[float], q: float) -> Optional[float]:
    if not values:
        return None
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q))


def _retrieval_metrics(ranks: Sequence[Optional[int]]) -> dict[str, Any]:
    """recall@k and MRR over questions that have a passage to find (rank None = not in the top RETRIEVAL_DEPTH)."""
    metrics: dict[str, Any] = {"n_retrieval": len(ranks)}
    for k in RECALL_AT:
        metrics[f"recall@{k}"] = _ratio(sum(1 for r in ranks if r is not None and r <= k), len(ranks))
    metrics["mrr"] = sum(1 / r for r in ranks if r is not None) / len(ranks) if ranks else None
    return metrics


def _metrics(entries: Sequence[dict]) -> dict[str, Any]:
    n = len(entries)
    correct = sum(1 for e in entries if e["correct"])
    numeric = [e for e in entries if e["has_value_rule"]]
    cited = [e for e in entries if e["has_cite_rule"]]
    refused = [e for e in entries if e["route"] == "refusal"]
    should_refuse = [e for e in entries if e["should_refuse"]]
    latencies = [e["latency_ms"] for e in entries if _is_number(e.get("latency_ms"))]
    metrics: dict[str, Any] = {
        "n": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "errors": sum(1 for e in entries if e.get("error")),
        "n_numeric": len(numeric),
        "numeric_accuracy": _ratio(sum(1 for e in numeric if not {"value", "unit"} & set(e["failed"])), len(numeric)),
        "n_cited": len(cited),
        "citation_accuracy": _ratio(sum(1 for e in cited if "cite_any" not in e["failed"]), len(cited)),
        "n_refused": len(refused),
        "n_should_refuse": len(should_refuse),
        "refusal_precision": _ratio(sum(1 for e in refused if e["should_refuse"]), len(refused)),
        "refusal_recall": _ratio(sum(1 for e in should_refuse if e["route"] == "refusal"), len(should_refuse)),
        # Answers (not refusals) whose citations are all from reports other than those of the market or firm the
        # question names: a confident answer about the wrong market.
        "wrong_subject": sum(1 for e in entries if e.get("wrong_subject")),
        "answerable_refused": sum(1 for e in entries if e["route"] == "refusal" and not e["should_refuse"]),
    }
    metrics.update(_retrieval_metrics([e["retrieval_rank"] for e in entries if "retrieval_rank" in e]))
    metrics["latency_p50_ms"] = _percentile(latencies, 50)
    metrics["latency_p95_ms"] = _percentile(latencies, 95)
    return metrics


def _wrong_subject(answer: dict) -> bool:
    """An answer that cites only reports outside the ones its question names (by market or firm)."""
    named = set((answer.get("linked") or {}).get("docs") or [])
    cited = {c.get("doc") for c in answer.get("citations") or []}
    return answer.get("route") != "refusal" and bool(named) and bool(cited) and not cited & named


def _as_dict(answer: Any) -> dict:
    return answer.to_dict() if hasattr(answer, "to_dict") else dict(answer)


def _evaluate_one(question: dict, ask: Ask, retrieve: Optional[Retrieve],
                  baseline_retrieve: Optional[Retrieve]) -> dict[str, Any]:
    expect = question["expect"]
    entry: dict[str, Any] = {"id": question["id"], "kind": question["kind"], "question": question["question"]}
    try:
        answer = _as_dict(ask(question["question"]))
        failed = score(question, answer)
    except Exception as exc:  # one broken answer must not sink the whole run; it is reported and counted
        # Scored as an empty answer too, so every per-rule metric counts the failure.
        answer = {}
        failed = ["error"] + score(question, answer)
        entry["error"] = f"{type(exc).__name__}: {exc}"
    entry.update(
        answer=answer.get("answer"),
        route=answer.get("route"),
        intent=answer.get("intent"),
        wrong_subject=_wrong_subject(answer),
        value=answer.get("value"),
        unit=answer.get("unit"),
        citations=[c.get("passage") for c in answer.get("citations") or []],
        quotes=[c.get("quote") for c in answer.get("citations") or []],  # what each citation quotes (junk checks)
        latency_ms=answer.get("latency_ms"),
        failed=failed,
        correct=not failed,
        has_value_rule="value" in expect,
        has_cite_rule="cite_any" in expect,
        should_refuse=expect.get("refuse") is True,
    )
    if "cite_any" in expect:
        for key, retriever in (("retrieval_rank", retrieve), ("baseline_rank", baseline_retrieve)):
            if retriever is not None:
                entry[key] = passage_rank(retriever(question["question"], RETRIEVAL_DEPTH)[:RETRIEVAL_DEPTH],
                                          expect["cite_any"])
    return entry


def run_eval(ask: Ask, retrieve: Optional[Retrieve], questions: Sequence[dict], *,
             baseline_retrieve: Optional[Retrieve] = None, progress: bool = True) -> dict[str, Any]:
    """Ask every question, score it, and measure retrieval; returns the full report (JSON-ready).

    `ask(question)` returns an answer object (CONTRACT shape); `retrieve(question, k)` returns ranked passage
    texts and is used for recall@k/MRR on questions with `cite_any`; `baseline_retrieve` is measured the same way.
    """
    from tqdm import tqdm

    entries = [
        _evaluate_one(q, ask, retrieve, baseline_retrieve)
        for q in tqdm(questions, desc="evaluating", unit="question", disable=not progress, file=sys.stderr)
    ]
    kinds = [kind for kind in KINDS if any(e["kind"] == kind for e in entries)]
    by_kind = {kind: _metrics([e for e in entries if e["kind"] == kind]) for kind in kinds}
    baseline = None
    if baseline_retrieve is not None:
        baseline = {"summary": _retrieval_metrics([e["baseline_rank"] for e in entries if "baseline_rank" in e]),
                    "by_kind": {kind: _retrieval_metrics([e["baseline_rank"] for e in entries
                                                          if e["kind"] == kind and "baseline_rank" in e])
                                for kind in kinds}}
    summary = _metrics(entries)
    summary["retrieval_depth"] = RETRIEVAL_DEPTH
    return {"summary": summary, "by_kind": by_kind, "questions": entries, "baseline": baseline}


# --- presenting -------------------------------------------------------------------------------------------

_COLUMNS = [
    ("n", "n"), ("accuracy", "acc"), ("numeric_accuracy", "numeric"), ("citation_accuracy", "cited"),
    ("refusal_precision", "ref P"), ("refusal_recall", "ref R"), ("recall@1", "R@1"), ("recall@3", "R@3"),
    ("recall@5", "R@5"), ("mrr", "MRR"), ("wrong_subject", "wrong mkt"), ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
]


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in ("n", "wrong_subject"):
        return str(value)
    if key.startswith("latency"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def _rows(report: dict) -> list[tuple[str, dict]]:
    rows = [("all", report["summary"])] + list(report["by_kind"].items())
    if report.get("baseline"):
        rows.append(("baseline (llama-index)", {**report["baseline"]["summary"], "n": None}))
    return rows


def format_table(report: dict) -> str:
    """A plain-text table: overall, per kind and (when measured) the baseline retriever."""
    header = ["scope"] + [label for _, label in _COLUMNS]
    body = [[scope] + [_cell(key, metrics.get(key)) for key, _ in _COLUMNS] for scope, metrics in _rows(report)]
    widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(cells))

    lines = [line(header), "  ".join("-" * w for w in widths)] + [line(row) for row in body]
    summary = report["summary"]
    lines.append(f"\naccuracy {summary['accuracy']:.3f} ({summary['correct']}/{summary['n']} correct"
                 + (f", {summary['errors']} errors" if summary.get("errors") else "") + ")")
    return "\n".join(lines)


def _plot_accuracy(report: dict, path_png: Path) -> None:
    # Figure + Agg canvas directly: no global pyplot/backend state in a library used by the web UI too.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = ["all"] + list(report["by_kind"])
    values = [report["summary"]["accuracy"]] + [m["accuracy"] for m in report["by_kind"].values()]
    counts = [report["summary"]["n"]] + [m["n"] for m in report["by_kind"].values()]
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    bars = axes.bar(labels, values, color=["#4c72b0"] + ["#55a868"] * (len(labels) - 1))
    for bar, value, count in zip(bars, values, counts):
        axes.annotate(f"{value:.0%} (n={count})", (bar.get_x() + bar.get_width() / 2, value),
                      ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("accuracy")
    axes.set_title("marketqa evaluation: accuracy per kind")
    figure.tight_layout()
    figure.savefig(path_png, format="png")


def _markdown_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _md_escape(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def write_markdown(report: dict, path_md: str | Path, path_png: str | Path) -> None:
    """Markdown summary (tables, failures) plus a bar chart PNG of accuracy per kind, linked from the Markdown."""
    path_md, path_png = Path(path_md), Path(path_png)
    path_md.parent.mkdir(parents=True, exist_ok=True)
    path_png.parent.mkdir(parents=True, exist_ok=True)
    _plot_accuracy(report, path_png)
    summary = report["summary"]
    lines = [
        "# marketqa evaluation",
        "",
        f"Accuracy **{summary['accuracy']:.1%}** ({summary['correct']}/{summary['n']} questions correct"
        + (f", {summary['errors']} errors" if summary.get("errors") else "") + ").",
        "",
        f"![accuracy per kind]({Path(relpath(path_png, path_md.parent)).as_posix()})",
        "",
        "## Metrics",
        "",
    ]
    lines += _markdown_table(["scope"] + [label for _, label in _COLUMNS],
                             ([scope] + [_cell(key, m.get(key)) for key, _ in _COLUMNS] for scope, m in _rows(report)))
    lines += [
        "",
        "acc: every rule holds. numeric: value within tolerance (questions with a `value` rule). cited: a citation "
        "holds a `cite_any` string. ref P / ref R: refusal precision / recall. R@k, MRR: rank of the first of the "
        f"top {summary.get('retrieval_depth', RETRIEVAL_DEPTH)} retrieved passages holding a `cite_any` string. "
        "p50/p95: answer latency.",
        "",
        "## Failed questions",
        "",
    ]
    failures = [e for e in report["questions"] if not e["correct"]]
    if failures:
        lines += _markdown_table(
            ["id", "kind", "question", "failed", "route", "answer"],
            ([e["id"], e["kind"], _md_escape(e["question"]), ", ".join(e["failed"]), str(e.get("route") or "-"),
              _md_escape(e.get("error") or (e.get("answer") or "")[:160])] for e in failures),
        )
    else:
        lines.append("None.")
    path_md.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the llama-index baseline -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _embedding_adapter_class() -> type:
    """A llama-index BaseEmbedding over our Embedder (built lazily: llama-index is slow to import)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class EmbedderAdapter(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: "Embedder", **kwargs: Any) -> None:
            super().__init__(model_name=embedder.name, **kwargs)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_one(query).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_one(text).tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return EmbedderAdapter


def baseline_retriever(reports: Sequence[Report], embedder: "Embedder") -> Retrieve:
    """Plain llama-index: one Document per report, default chunking, same embedding model, vector top-k."""
    from llama_index.core import Document, VectorStoreIndex

    documents = [Document(text=report.text, id_=report.doc) for report in reports]
    index = VectorStoreIndex.from_documents(documents, embed_model=_embedding_adapter_class()(embedder))

    def retrieve(question: str, k: int) -> list[str]:
        nodes = index.as_retriever(similarity_top_k=k).retrieve(question)
        return [node.node.get_content() for node in nodes]

    return retrieve
