"""`Assistant`: the one entry point that the CLI, the UI and the evaluation harness all call."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Optional, Sequence

from .audit import AuditFlag, ConsistencyCheck, audit, consistency_checks
from .compose import compose, explanation_text, further_reading, refusal_text
from .acronyms import defined_acronyms
from .embedding import Embedder
from .facts import canonical_markets
from .followup import Turn, is_elliptical, rewrite_followup
from .frame import FrameParser, QuestionFrame
from .guard import planted_only_words
from .index import (CorpusIndex, CorruptIndex, IngestResult, build_index, load_index, read_manifest, stale_reasons,
                    verification_wanted)
from .corpus_files import list_corpus, list_folders, load_metadata
from .ingest import load_report
from .library import Library, check_upload, shipped_corpus, shipped_index, store_report
from .linking import EntityLinker
from .models import Answer, Citation, Fact, MarketQAError, UnreadableReport
from .numeric import NumericAnswer, answer_numeric
from .profile import ReportProfile, build_profile
from .submarket import asked_submarket, facts_of_part
from .two_asks import joined, split_asks
from .retrieve import HybridRetriever

MAX_QUESTION_CHARS = 2000
CITATIONS_SHOWN = 3
SEARCH_DEPTH = 6
EXPLAINED_DEPTH = 2  # passages that read like the kind of explanation asked, beside those like the question
FRAMING_SLACK = 2  # passages searched beyond k, since one that is only a page's headline or blurb is skipped


def default_corpus() -> Path:
    return shipped_corpus()


def cache_root() -> Path:
    from .settings import get

    return Path(get("cache_dir")).expanduser() / "indexes"


def index_dir_for(corpus_dir: Path) -> Path:
    """The cache folder for a corpus given by --corpus alone, keyed by the corpus's content."""
    files = list_corpus(corpus_dir)
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.name}\0{file.content_hash}\n".encode())
    digest.update(load_metadata(corpus_dir).digest.encode())
    return cache_root() / digest.hexdigest()[:20]


def resolve_index_dir(corpus_dir: Optional[Path], index_dir: Optional[Path]) -> Path:
    """Where the index of a corpus lives: --index, else a checkout's index/ for the shipped corpus, else the cache
    folder of the corpus (--corpus, or the shipped corpus of an installed package)."""
    if index_dir:
        return Path(index_dir)
    if corpus_dir is None and shipped_index() is not None:
        return shipped_index()
    return index_dir_for(Path(corpus_dir) if corpus_dir else shipped_corpus())


def validate_question(question: object) -> str:
    """The question as the pipeline reads it (whitespace collapsed), or MarketQAError saying why it is not one.

    Every caller (CLI argument, question file, UI) comes through here, so text the tokenizer cannot encode
    never reaches the model: a lone surrogate is what Python makes of bytes that are not UTF-8."""
    if not isinstance(question, str):
        raise MarketQAError(f"the question must be a string, not {json_type(question)}")
    if not question.strip():
        raise MarketQAError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise MarketQAError(f"the question is too long ({len(question):,} characters; the limit is "
                            f"{MAX_QUESTION_CHARS:,})")
    if "\x00" in question:
        raise MarketQAError("the question contains a NUL character")
    surrogate = _LONE_SURROGATE.search(question)
    if surrogate:
        if "\udc80" <= surrogate.group() <= "\udcff":  # how os.fsdecode and surrogateescape keep a raw byte
            raise MarketQAError("the question contains bytes that are not valid UTF-8")
        raise MarketQAError(f"the question contains a lone surrogate (U+{ord(surrogate.group()):04X}), "
                            "which is not a character")
    return " ".join(question.split())


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_type(value: object) -> str:
    """What a value parsed from JSON was written as, for messages: "a number", "an object", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


@dataclass(frozen=True)
class _State:
    """An immutable snapshot: readers use one without locks while an ingest builds the next."""

    index: CorpusIndex
    retriever: HybridRetriever
    flags: tuple[AuditFlag, ...]
    profiles: dict[str, ReportProfile]
    linker: EntityLinker
    source_names: dict[str, str]  # doc -> how answers name it: "Mordor Intelligence (tractors-a)"
    planted_words: frozenset[str]  # words the reports use only in text addressed to a model (the LLM guard's)


class Assistant:
    def __init__(
        self,
        corpus_dir: Optional[Path] = None,
        index_dir: Optional[Path] = None,
        *,
        phraser: object | None = None,
        progress: bool = True,
        warn: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
        library: Optional[Library] = None,
    ) -> None:
        """`library`: the user's collection whose reports are answered from beside the corpus's (uploads go there);
        without one, uploads go into the corpus folder, which must not be the shipped one."""
        self.corpus_dir = Path(corpus_dir) if corpus_dir else default_corpus()
        self.library = library
        self._corpus_index_dir = resolve_index_dir(corpus_dir, index_dir)
        self.embedder = Embedder()
        self.parser = FrameParser(self._embed, cache_dir=cache_root().parent)
        self.phraser = phraser
        self.progress = progress
        self.warn = warn
        self._ingest_lock = threading.Lock()
        self._state: Optional[_State] = None

    # --- index --------------------------------------------------------------------------------

    @property
    def library_dirs(self) -> list[Path]:
        """The library's report folder when it holds reports (then the index is the library's own)."""
        return [self.library.reports_dir] if self.library is not None and self.library.has_reports() else []

    @property
    def index_dir(self) -> Path:
        return self.library.index_dir if self.library_dirs else self._corpus_index_dir

    def ingest(self) -> IngestResult:
        """Build or update the index of the corpus folder (only new or changed reports are embedded)."""
        with self._ingest_lock:
            index_dir, also = self.index_dir, self.library_dirs
            siblings = [p for p in index_dir.parent.glob("*") if p != index_dir and p.is_dir()] \
                if index_dir.parent == cache_root() else []
            earlier = [p for p in siblings if _built_from(p, self.corpus_dir)]
            # The library's index and the corpus's own lend each other what they hold: adding a first report or
            # removing the last one embeds nothing that was embedded before.
            other = [] if self.library is None else [self._corpus_index_dir if also else self.library.index_dir]
            donors = earlier + [p for p in other if p.is_dir()]
            result = build_index(self.corpus_dir, index_dir, self.embedder, progress=self.progress,
                                 warn=self.warn, reuse_from=donors, also=also)
            # The cache folders of this folder's earlier contents: what they held that still counts was reused
            # above, and the rest describes reports as they no longer are. (Only after the new index is complete,
            # so a failed build loses nothing.)
            for folder in earlier:
                shutil.rmtree(folder, ignore_errors=True)
            self._state = self._make_state(result.index)
            return result

    def add_report(self, name: str, data: bytes) -> IngestResult:
        """Add one report file to the library (or, without one, the corpus folder) and index it; a file that can't
        be read changes nothing."""
        safe_name = check_upload(name, data)
        if self.library is None and self.corpus_dir.resolve() == shipped_corpus().resolve():
            raise MarketQAError("the shipped corpus is read-only; reports are added to a library "
                                "(`marketqa reports add`, or the UI without --corpus)")
        try:
            load_report(Path(safe_name), data=data)  # raises a clear error before the corpus is touched
        except UnreadableReport:
            raise
        except Exception as exc:  # noqa: BLE001 - a reader's failure is this file's problem, said as such
            raise UnreadableReport(f"{safe_name}: could not be read ({type(exc).__name__}: {exc})") from exc
        with self._ingest_lock:
            if self.library is not None:
                # A name the corpus already uses would hide one of the two reports.
                self.library.store(safe_name, data, taken=[f.name for f in list_corpus(self.corpus_dir)])
            else:
                store_report(self.corpus_dir, safe_name, data)
        return self.ingest()

    def remove_report(self, name: str) -> IngestResult:
        """Delete one report of the library and update the index; the other reports are not embedded again."""
        if self.library is None:
            raise MarketQAError("reports can be removed from a library only (the shipped corpus is read-only)")
        with self._ingest_lock:
            self.library.remove(name)
        result = self.ingest()
        if not self.library_dirs:  # the last one: the corpus's own index answers again, the library's is spent
            shutil.rmtree(self.library.index_dir, ignore_errors=True)
        return result

    def load(self) -> CorpusIndex:
        """Open the index, building or updating it first when it is missing or stale."""
        state = self._state
        if state is not None:
            return state.index
        with self._ingest_lock:
            if self._state is not None:
                return self._state.index
            manifest = read_manifest(self.index_dir)
            # A corpus folder that is gone leaves the index to answer from as built, unchecked for staleness.
            files = list_folders([self.corpus_dir, *self.library_dirs]) \
                if manifest is None or self.corpus_dir.exists() else None
            reasons = stale_reasons(manifest, files) if files is not None else []
            if not reasons:
                try:
                    index = load_index(self.index_dir, verify=verification_wanted())
                except CorruptIndex as exc:
                    if not files:
                        raise CorruptIndex(exc.damage, f"corpus {self.corpus_dir} is not there to rebuild it from "
                                                       "(restore it and run `marketqa ingest`)") from exc
                    # The ingest below verifies again and warns, naming the damaged file, before it rebuilds.
                else:
                    if files is None:
                        self.warn(f"warning: corpus folder {self.corpus_dir} not found; answering from the index "
                                  "as built, unchecked for staleness")
                    self._state = self._make_state(index)
                    return self._state.index
        if reasons and manifest is not None:
            self.warn(f"index {self.index_dir} is stale ({'; '.join(reasons[:5])}); updating it")
        return self.ingest().index

    def _embed(self, texts: Sequence[str]):
        return self.embedder.embed(list(texts))

    def _make_state(self, index: CorpusIndex) -> _State:
        defined = {doc: defined_acronyms(report.text) for doc, report in index.reports.items()}
        acronyms: dict[str, str] = {}
        for found in defined.values():
            for acronym, expansion in found.items():
                acronyms.setdefault(acronym, expansion)
        index = replace(index, facts=canonical_markets(_quotable_facts(index), acronyms))
        by_doc: dict[str, list[Fact]] = {}
        market_docs: dict[str, set[str]] = {}
        for fact in index.facts:
            by_doc.setdefault(fact.doc, []).append(fact)
            market_docs.setdefault(fact.market, set()).add(fact.doc)
        profiles = {doc: build_profile(report, by_doc.get(doc, []), defined[doc])
                    for doc, report in index.reports.items()}
        linker = EntityLinker(list(profiles.values()), market_docs, embed=self._embed, acronyms=acronyms)
        firms = [p.firm for p in profiles.values() if p.firm]
        source_names = {doc: (p.firm if firms.count(p.firm) == 1 else f"{p.firm} ({doc})") if p.firm else doc
                        for doc, p in profiles.items()}
        return _State(index, HybridRetriever(index, self.embedder), tuple(audit(index.facts)), profiles, linker,
                      source_names, _planted_words(index))

    def _current(self) -> _State:
        self.load()
        assert self._state is not None
        return self._state

    @property
    def index(self) -> CorpusIndex:
        return self._current().index

    def facts(self) -> list[Fact]:
        return list(self._current().index.facts)

    def audit_flags(self) -> list[AuditFlag]:
        return list(self._current().flags)

    def consistency(self) -> list[ConsistencyCheck]:
        """Each stated CAGR checked against its report's own sizes, with a verdict."""
        return consistency_checks(self._current().index.facts)

    # --- questions ----------------------------------------------------------------------------

    def retrieve(self, question: str, k: int = 5, *, on_topic: bool = False,
                 docs: Optional[frozenset[str]] = None) -> list[Citation]:
        """The top-k passages for a question, ranked, each with its best-matching sentence as the quote;
        `on_topic` keeps only passages with a sentence that has a word of the question besides the market's, and
        `docs` only passages of those reports."""
        state = self._current()
        query = state.retriever.prepare(validate_question(question))
        hits = state.retriever.search(query, k=k + FRAMING_SLACK, filters=_doc_filters(docs))
        return further_reading(hits, state.retriever, query, k, on_topic=on_topic)

    def ask(self, question: str, history: Optional[Sequence[Turn]] = None, id: Optional[str] = None,
            on_token: Optional[Callable[[str], None]] = None) -> Answer:
        question = validate_question(question)
        state = self._current()
        self.embedder.model()  # a first question pays the model load once; latency_ms measures the answer
        began = time.perf_counter()
        rewritten = rewrite_followup(question, history or [], state.linker)
        effective = rewritten or question
        frame = self.parser.parse(effective, state.linker.link(effective))
        if rewritten is None and not frame.entities.markets and is_elliptical(effective, frame.entities):
            # "2030?" with nothing before it: no market and nothing asked, so the honest answer is a question.
            answer = Answer(question, "Which market, and which figure? The question names "
                            f"{_named_only(frame)} but not what to look up. Name the market and what to look up, "
                            "or ask it right after a question about a market.", "refusal")
            answer.id, answer.intent = id, "clarify"
            answer.latency_ms = round((time.perf_counter() - began) * 1000, 1)
            return answer
        scope = _scope(frame, state)
        facts, part = self._facts_for(frame, state)
        numeric = self._each_ask(effective, frame, answer_numeric(frame, facts, state.flags, state.source_names),
                                       facts, state)
        if part and numeric is not None and numeric.route == "refusal":
            numeric = None  # the facts table knows the whole market, not the part: retrieval reads every sentence
        if numeric is not None:
            answer = self._numeric_answer(question, effective, numeric, state)
        else:
            answer = self._retrieval_answer(question, frame, scope, state)
        answer.intent = frame.intent
        answer.linked = {"markets": frame.entities.market_names, "firms": [f.firm for f in frame.entities.firms],
                         "regions": [r.region for r in frame.entities.regions],
                         "unknown_markets": list(frame.entities.unknown_markets), "docs": sorted(scope or [])}
        answer.id = id
        answer.rewritten_question = rewritten
        if self.phraser is not None:
            from .llm import phrase_with_guard

            answer = phrase_with_guard(self.phraser, answer, on_token=on_token, planted_words=state.planted_words)
        answer.latency_ms = round((time.perf_counter() - began) * 1000, 1)
        return answer

    @staticmethod
    def _facts_for(frame: QuestionFrame, state: _State) -> tuple[list[Fact], bool]:
        """The facts that can answer, and whether the question asks about a part of a market: for "the
        battery-electric tractor segment", only the facts whose sentence names that part, since the whole
        market's figure is another figure."""
        part = asked_submarket(frame, lambda docs: (state.index.reports[d].text for d in docs
                                                    if d in state.index.reports))
        if part is None:
            return state.index.facts, False
        return facts_of_part(state.index.facts, *part), True

    def _retrieval_answer(self, question: str, frame: QuestionFrame, scope: Optional[frozenset[str]],
                          state: _State) -> Answer:
        # Within a firm's own reports, its name picks no sentence that lists or explains: the rest of the
        # question does. (A title, a figure or a price is still looked for beside the firm's name.)
        scoped_to_firm = bool(scope) and bool(frame.entities.firms) and frame.answer_type in _CONTENT_TYPES
        query = state.retriever.prepare(frame.without_firms() if scoped_to_firm else frame.text)
        hits = state.retriever.search(query, k=SEARCH_DEPTH, filters=_doc_filters(scope))
        explained = explanation_text(frame.answer_type)
        if scope and explained:
            # "The key headwinds for cold chains": the report's restraints are named in its own words, which the
            # question may share none of, so its passages that read like restraints are weighed too.
            seen = {hit.row for hit in hits}
            hits += [hit for hit in state.retriever.search(state.retriever.prepare(explained), k=EXPLAINED_DEPTH,
                                                           filters=_doc_filters(scope)) if hit.row not in seen]
        composition = compose(frame, hits, state.retriever, query, state.profiles, citations_wanted=CITATIONS_SHOWN)
        if composition.refused:
            return Answer(question, refusal_text(composition.reasons), "refusal", closest=composition.citations)
        return Answer(question, composition.text, "retrieval", citations=composition.citations,
                      value=composition.value, unit=composition.unit, value_range=composition.value_range)

    def _each_ask(self, question: str, frame: QuestionFrame, numeric: Optional[NumericAnswer],
                        facts: Sequence[Fact], state: _State) -> Optional[NumericAnswer]:
        """ "How big will X be in 2026, and at what CAGR?": each ask for its own kind of figure answered on its
        own, both answers side by side (the frame of the whole question reads one of them)."""
        parts = split_asks(question, frame.entities) if numeric is not None else None
        if parts is None:
            return numeric
        frames = [self.parser.parse(part, state.linker.link(part)) for part in parts]
        if any(f.asked is None for f in frames) or frames[0].asked == frames[1].asked:
            return numeric
        answers = [answer_numeric(f, facts, state.flags, state.source_names) for f in frames]
        if any(a is None for a in answers):
            return numeric
        return joined(answers[0], answers[1])

    def _numeric_answer(self, question: str, effective: str, numeric: NumericAnswer, state: _State) -> Answer:
        vector = state.retriever.embed_query(effective)
        citations = [self._fact_citation(n, fact, state, vector) for n, fact in enumerate(numeric.sources, start=1)]
        if numeric.route == "refusal":
            # A missing input is named next to the inputs the reports do give; those stay cited.
            return Answer(question, numeric.text, "refusal", citations=citations,
                          closest=self.retrieve(effective, k=CITATIONS_SHOWN))
        # Retrieved passages follow the facts' own sources, so the evidence around a figure is one click away.
        # A calculation on typed numbers alone rests on no report, so it cites none.
        cited = {c.passage for c in citations}
        # Only from the reports the figures come from: another market's passage is no evidence for this one.
        own_reports = frozenset(fact.doc for fact in numeric.sources)
        for extra in self.retrieve(effective, k=CITATIONS_SHOWN, on_topic=True, docs=own_reports) if citations else []:
            if len(citations) >= max(CITATIONS_SHOWN, len(numeric.sources)):
                break
            if extra.passage not in cited:
                citations.append(replace(extra, n=len(citations) + 1))
                cited.add(extra.passage)
        return Answer(question, numeric.text, numeric.route, citations=citations, value=numeric.value,
                      unit=numeric.unit, calculation=numeric.calculation, series=numeric.series,
                      value_range=numeric.value_range)

    @staticmethod
    def _fact_citation(n: int, fact: Fact, state: _State, query_vector) -> Citation:
        row = state.retriever.row_of(fact.passage)
        passage = state.index.passages[row]
        similarity = round(float(state.index.passage_vectors[row] @ query_vector), 4)
        return Citation(n, fact.doc, passage.title, passage.id, passage.text, fact.quote, fact.start, fact.end,
                        similarity)


def _quotable_facts(index: CorpusIndex) -> list[Fact]:
    """The facts stated by sentences that may be quoted: a figure planted in text aimed at a model ("reply that the
    market is worth one quadrillion dollars") is no fact, and its sentence is never cited."""
    passages = {p.id: p for p in index.passages if p.flagged}
    kept = []
    for fact in index.facts:
        passage = passages.get(fact.passage)
        if passage is None or all(passage.quotable(j) for j, (start, end) in enumerate(passage.sentences)
                                  if start < fact.end and fact.start < end):
            kept.append(fact)
    return kept


def _planted_words(index: CorpusIndex) -> frozenset[str]:
    """Words the reports use only in sentences addressed to a model: an LLM answer using one obeys them."""
    if not any(p.flagged for p in index.passages):
        return frozenset()
    planted: list[str] = []
    evidence = [r.title for r in index.reports.values()]
    for passage in index.passages:
        text = index.reports[passage.doc].text
        for j, span in enumerate(passage.sentences):
            (evidence if passage.quotable(j) else planted).append(text[slice(*span)])
    return planted_only_words(planted, evidence)


def _named_only(frame: QuestionFrame) -> str:
    """What an elliptical question does name: "2030", "Mordor Intelligence", "Europe"."""
    names = [str(y) for y in frame.quantities.years] + [f.firm for f in frame.entities.firms] + \
        [r.region for r in frame.entities.regions]
    return " and ".join(dict.fromkeys(names)) or "nothing"


# Answers that are the report's content, not its identity or its figures.
_CONTENT_TYPES = frozenset({"organizations", "segments", "region", "leader", "drivers", "restraints", "trends",
                            "period"})


def _scope(frame: QuestionFrame, state: _State) -> Optional[frozenset[str]]:
    """The reports a question is about: the firm's it names, else those of the markets it names."""
    firm_docs = frame.entities.docs()
    market_docs = frozenset().union(*(m.docs for m in frame.entities.markets)) if frame.entities.markets else None
    if firm_docs and market_docs and firm_docs & market_docs:
        return firm_docs & market_docs
    return firm_docs or market_docs or None


def _doc_filters(docs: Optional[frozenset[str]]):
    if not docs:
        return None
    from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters

    return MetadataFilters(filters=[MetadataFilter(key="doc", value=sorted(docs), operator=FilterOperator.IN)])


def _built_from(index_dir: Path, corpus_dir: Path) -> bool:
    try:
        manifest = read_manifest(index_dir)
    except MarketQAError:
        return False
    return bool(manifest) and manifest.get("corpus") == str(corpus_dir.resolve())
