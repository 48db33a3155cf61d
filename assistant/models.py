"""Plain data types shared by every module: reports, passages, facts and the answer object.

The answer object's JSON shape is fixed by CONTRACT.md; `Answer.to_dict` produces it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional


class MarketQAError(Exception):
    """Bad usage or bad input: the CLI prints the message on one line and exits 2."""


class UnreadableReport(MarketQAError):
    """A file in the corpus that cannot be read as a report; ingest skips it with a warning."""


@dataclass(frozen=True)
class Report:
    """One source report after normalization. All offsets in the system refer to `text`."""

    doc: str  # readable id, e.g. "large-scale-ai-models-qyresearch"
    title: str
    text: str  # normalized text (web junk removed); offsets refer to this
    source: str  # file name inside the corpus folder
    content_hash: str  # sha256 of the raw file bytes
    publisher: Optional[str] = None
    year: Optional[int] = None
    format: str = "txt"
    warnings: tuple[str, ...] = ()  # e.g. passages flagged as instructions at ingest
    marks: tuple[tuple[int, int, str], ...] = ()  # (start, end, kind) of each line: see assistant/structure.py


@dataclass(frozen=True)
class Passage:
    """A run of whole sentences of one report, under one section heading."""

    id: str  # "<doc>#<n>", stable while the report is unchanged
    doc: str
    title: str
    heading: str  # nearest section heading above the passage ("" if none)
    text: str  # == report.text[start:end]
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...] = ()  # absolute (start, end) spans in report.text
    flags: tuple[str, ...] = ()  # e.g. ("instruction",) for text that tries to steer a model
    kinds: tuple[str, ...] = ()  # the structure kind of each sentence ("body", "dateline", ...: structure.KINDS)
    flagged: tuple[int, ...] = ()  # indices of the sentences that try to steer a model: never quoted

    def __post_init__(self) -> None:
        object.__setattr__(self, "flagged", tuple(self.flagged))  # read back from JSON as a list

    def quotable(self, j: int) -> bool:
        """May sentence `j` be quoted, cited or shown? Not when it is addressed to a model."""
        return j not in self.flagged

    def embedding_text(self) -> str:
        """What gets embedded: title and heading give the passage its context."""
        context = " — ".join(part for part in (self.title, self.heading) if part)
        return f"{context}\n{self.text}" if context else self.text


@dataclass(frozen=True)
class Fact:
    """One market figure stated in a report (see assistant/facts.py)."""

    market: str  # canonical market name, e.g. "large-scale AI models"
    metric: str  # "size", "cagr", "share" (a percentage held) or "volume" (units, GW, tonnes)
    value: float  # whole currency units for size, percent number for cagr and share, the count for volume
    unit: str  # ISO currency code for size, "%" for cagr and share, the unit counted for volume
    year: Optional[int]  # the year a size refers to
    period: Optional[tuple[int, int]]  # the period a CAGR refers to
    doc: str
    passage: str  # passage id
    quote: str  # the sentence stating the figure
    start: int  # offsets of `quote` in the report's normalized text
    end: int
    value_text: str = ""  # the figure as written, e.g. "US$ 8,934 million"
    value_high: Optional[float] = None  # the high end of a range ("$1.2-1.5 billion"); `value` is then its low end


@dataclass
class Citation:
    n: int
    doc: str
    title: str
    passage: str
    text: str  # the whole cited passage
    quote: str  # the exact sentence(s) relied on
    start: int  # offsets of `quote` in the report's normalized text
    end: int
    score: float


@dataclass
class CalculationInput:
    name: str
    value: float
    unit: str
    year: Optional[int] = None
    citation: Optional[int] = None  # None when the user typed the number


@dataclass
class Calculation:
    kind: str  # cagr, projection, base_value, value_in_year, years_to_target, doubling_time, growth_factor
    formula: str
    inputs: list[CalculationInput]
    result: float
    # Further figures the answer's text states beside the result, each a calculation of its own: the gap in
    # percentage points to a stated rate ("difference"), a rate implied by a report's sizes ("cagr"), the first
    # calendar year at a target ("first_year"). Nothing in an answer is computed outside a shown calculation.
    steps: list["Calculation"] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    answer: str
    route: str  # "retrieval", "calculator" or "refusal"
    citations: list[Citation] = field(default_factory=list)
    value: Optional[float] = None
    unit: Optional[str] = None
    calculation: Optional[Calculation] = None
    latency_ms: float = 0.0
    id: Optional[str] = None
    # Fields beyond the contract's minimum (the contract allows additions):
    rewritten_question: Optional[str] = None  # a follow-up made explicit
    closest: list[Citation] = field(default_factory=list)  # refusals: nearest material, not an answer
    guard: Optional[dict[str, Any]] = None  # LLM guard verdict
    series: list[dict[str, Any]] = field(default_factory=list)  # year-by-year trajectory for charts
    intent: Optional[str] = None  # what the question parser read the question as asking (see assistant/frame.py)
    linked: Optional[dict[str, Any]] = None  # the markets, firms and regions it names, and their reports
    value_range: Optional[dict[str, Any]] = None  # when the figure asked for is a stated range: {"low", "high", "unit"}
    error: Optional[str] = None  # why a question-file line was not answered (bad input); None when it was

    def cited_numbers(self) -> set[int]:
        """The citations the answer rests on: those its text marks with [n], and those a calculation's inputs come
        from. The others were retrieved beside them, for reading around, and are not evidence for it."""
        marked = {int(n) for n in _MARKER.findall(self.answer)}
        inputs = {item.citation for item in self.calculation.inputs} if self.calculation else set()
        return {c.n for c in self.citations if c.n in marked | inputs}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        cited = self.cited_numbers()
        for citation in data["citations"]:
            citation["cited"] = citation["n"] in cited
        ordered = {"id": data.pop("id"), "question": data.pop("question")}
        ordered.update(data)
        return ordered


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """An answer object read back (from the history): `Answer.to_dict` undone, fields it added dropped."""
    known = {f.name for f in fields(Answer)}

    def citation(item: dict[str, Any]) -> Citation:
        return Citation(**{f.name: item[f.name] for f in fields(Citation)})

    def calculation(item: dict[str, Any]) -> Calculation:
        return Calculation(item["kind"], item["formula"], [CalculationInput(**i) for i in item["inputs"]],
                           item["result"], [calculation(step) for step in item.get("steps") or []])

    values = {k: v for k, v in data.items() if k in known}
    values["citations"] = [citation(c) for c in data.get("citations") or []]
    values["closest"] = [citation(c) for c in data.get("closest") or []]
    values["calculation"] = calculation(data["calculation"]) if data.get("calculation") else None
    return Answer(**values)


_MARKER = re.compile(r"\[(\d+)\]")
