"""Hybrid retrieval: dense FAISS search fused with BM25, and the best-matching sentence inside a passage.

Four rankings are fused: passages by their own vector (text with report title and section heading), passages by
their best-matching sentence (a whole passage's vector blurs a one-sentence answer such as a key-players list), the
same for the question's focus (without the words most passages share), and BM25 (dense similarity misses exact
tokens: "8,934", "BFSI", company names). Reciprocal-rank fusion combines them
without calibrating their scores against each other.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np

from .embedding import Embedder
from .index import CorpusIndex
from .models import Passage

RRF_K = 10  # small: with few passages every one appears in every ranking, so only the top ranks should count
CANDIDATES = 50
TERM_WEIGHT = 0.6  # a sentence's score: its cosine plus this much of the question's term weight it has
# BM25 counts twice: it is one ranking against three dense ones. Weights and RRF_K were chosen by top-3 recall and
# MRR on both gold sets (eval/retrieval_questions.jsonl and eval/other_questions.jsonl), not on one alone.
WEIGHTS = {"passage": 1.0, "sentence": 1.0, "focus": 1.0, "bm25": 2.0}

STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been being both but by can could did do does
    doing down during each few for from further had has have having he her here hers how i if in into is it its itself
    just me more most my no nor not of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours tell me please give show list name say said
    according report reports""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'-]*|\d+(?:[.,]\d+)*")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def key_terms(text: str) -> list[str]:
    """Stemmed content words and numbers of a text, in order, without stop words."""
    words = [re.sub(r"'s$", "", w.lower().strip("'-")) for w in _WORD.findall(text.replace("’", "'"))]  # "who's"
    words = [w.replace(",", "") for w in words if w and w not in STOPWORDS]
    return [w if w[0].isdigit() else _stemmer().stemWord(w) for w in words]


def matching_terms(text: str) -> list[str]:
    """Key terms for matching a question against a sentence: a region counts as one term however it is written,
    so "the US" in a question meets "United States" or "U.S." in a table row."""
    from .regions import find_regions

    parts, end = [], 0
    for mention in find_regions(text):
        parts += [text[end:mention.start], " region" + re.sub(r"[^a-z]", "", mention.region.lower()) + " "]
        end = mention.end
    return key_terms("".join(parts) + text[end:])


def _common_words(texts: list[str], share: float = 0.4) -> set[str]:
    if len(texts) < 5:
        return set()  # too few passages to tell a report's subject from what a question asks
    frequency: dict[str, int] = {}
    for text in texts:
        for word in set(re.findall(r"[a-z0-9][a-z0-9&'-]*", text.lower())):
            frequency[word] = frequency.get(word, 0) + 1
    return {w for w, n in frequency.items() if n > share * len(texts)}


@dataclass(frozen=True)
class Hit:
    row: int  # passage index in the CorpusIndex
    passage: Passage
    score: float  # fused reciprocal-rank score, used for ranking
    similarity: float  # cosine similarity between question and passage, reported to users


@dataclass(frozen=True)
class Query:
    """A question prepared once: its vector, its focus's vector, and its key terms weighted by rarity."""

    text: str
    vector: np.ndarray
    focus: str
    focus_vector: np.ndarray | None
    terms: dict[str, float]  # stemmed key term -> inverse sentence frequency


@dataclass(frozen=True)
class SentenceScore:
    cosine: float  # best of question and focus similarity
    coverage: float  # share of the question's term weight found in the sentence (0..1)

    @property
    def score(self) -> float:
        return self.cosine + TERM_WEIGHT * self.coverage


class HybridRetriever:
    def __init__(self, index: CorpusIndex, embedder: Embedder) -> None:
        from llama_index.core.schema import TextNode
        from llama_index.retrievers.bm25 import BM25Retriever

        self.index = index
        self.embedder = embedder
        self._row_of = {p.id: i for i, p in enumerate(index.passages)}
        nodes = [TextNode(id_=p.id, text=p.embedding_text()) for p in index.passages]
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._bm25 = BM25Retriever.from_defaults(
            nodes=nodes, similarity_top_k=min(CANDIDATES, len(nodes)), verbose=False
        )
        # Words found in most passages (the corpus's own market name, "market", "report") carry no signal; nor do
        # the words most passages of one report share (that report's market name) when scoring its sentences, nor
        # its title and its firm's name: a sentence of Mordor's report need not say "Mordor" to answer for it.
        self._common_words = _common_words([p.text for p in index.passages])
        self._doc_common_words = {
            doc: _common_words([p.text for p in index.passages if p.doc == doc]) | self._common_words
            | set(re.findall(r"[a-z0-9][a-z0-9&'-]*", f"{report.title} {report.publisher or ''}".lower()))
            for doc, report in index.reports.items()
        }
        # Sentence rows grouped by passage, each sentence's key terms, and how rare each term is.
        self._sentence_rows: dict[int, list[int]] = {}
        self._sentence_terms: list[frozenset[str]] = []
        sentence_frequency: dict[str, int] = {}
        for row, (passage_row, j) in enumerate(index.sentence_rows):
            self._sentence_rows.setdefault(passage_row, []).append(row)
            passage = index.passages[passage_row]
            # A sentence is read under its section heading: "Regional analysis" makes its sentences about regions.
            sentence = index.reports[passage.doc].text[slice(*passage.sentences[j])]
            terms = frozenset(matching_terms(f"{passage.heading} {sentence}"))
            self._sentence_terms.append(terms)
            for term in terms:
                sentence_frequency[term] = sentence_frequency.get(term, 0) + 1
        # A cache per retriever: a class-level one would keep every replaced index alive after an ingest.
        self.embed_query = lru_cache(maxsize=512)(self._embed_query)
        total = max(1, len(index.sentence_rows))
        self._idf = {t: math.log(1 + total / n) for t, n in sentence_frequency.items()}
        self._unseen_idf = math.log(1 + total)

    @property
    def common_words(self) -> set[str]:
        """Words most passages share: the corpus's own subject, not what a question asks."""
        return self._common_words

    @cached_property
    def corpus_words(self) -> frozenset[str]:
        """Every word and stemmed term of the indexed reports: is a name, year or region mentioned at all?"""
        words: set[str] = set()
        for report in self.index.reports.values():
            words.update(w.lower() for w in re.findall(r"[\w&'-]+", report.text))
            words.update(key_terms(report.text))
        return frozenset(words)

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words the reports write in lower case somewhere: common words, not names ("product", not "Stratasys")."""
        return frozenset(w for report in self.index.reports.values() for w in re.findall(r"\b[a-z][\w&'-]*", report.text))

    @cached_property
    def corpus_regions(self) -> frozenset[str]:
        """Every region the indexed reports name (canonical names)."""
        from .regions import regions_in

        return frozenset().union(*(regions_in(r.text) for r in self.index.reports.values()))

    def row_of(self, passage_id: str) -> int:
        return self._row_of[passage_id]

    def _embed_query(self, text: str) -> np.ndarray:
        vector = self.embedder.embed_one(text)
        vector.setflags(write=False)
        return vector

    def prepare(self, question: str) -> Query:
        focus = self.focus(question)
        return Query(question, self.embed_query(question), focus, self.embed_query(focus) if focus else None,
                     self._weighted_terms(focus or question))

    def _weighted_terms(self, text: str) -> dict[str, float]:
        return {t: self._idf.get(t, self._unseen_idf) for t in matching_terms(text)}

    def focus(self, question: str, doc: str | None = None) -> str:
        """The question without words that most passages share: what it asks, not which market it is about."""
        common = self._doc_common_words[doc] if doc else self._common_words
        words = question.split()
        kept = [w for w in words if w.lower().strip("?.,!'\"()") not in common]
        return " ".join(kept) if len(kept) >= 2 and len(kept) < len(words) else ""

    def _dense_rankings(self, query_vector: np.ndarray, rows: list[int] | None = None) -> tuple[list[int], list[int]]:
        """Passages ranked by their own vector, and by their best-matching sentence (only `rows` when given)."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        if rows is not None:
            # A scoped search ranks the scope's own passages exactly: a global top-50 could leave it empty.
            passage_scores = self.index.passage_vectors[rows] @ query_vector
            by_passage = [rows[i] for i in np.argsort(-passage_scores, kind="stable")]
            sentence_rows = [s for row in rows for s in self._sentence_rows.get(row, [])]
            sentence_scores = self.index.sentence_vectors[sentence_rows] @ query_vector if sentence_rows else []
            order = np.argsort(-np.asarray(sentence_scores), kind="stable")
            by_sentence = list(dict.fromkeys(self.index.sentence_rows[sentence_rows[i]][0] for i in order))
            return by_passage, by_sentence

        query = query_vector.tolist()
        n = min(CANDIDATES, len(self.index.passages))
        dense = self.index.passage_store.query(VectorStoreQuery(query_embedding=query, similarity_top_k=n))
        sentences = self.index.sentence_store.query(
            VectorStoreQuery(query_embedding=query, similarity_top_k=min(4 * CANDIDATES, len(self.index.sentence_rows)))
        )
        # The first time one of a passage's sentences appears is that passage's rank.
        by_sentence = list(dict.fromkeys(self.index.sentence_rows[int(i)][0] for i in sentences.ids))
        return [int(i) for i in dense.ids], by_sentence

    def search(self, query: Query, k: int = 5, filters=None) -> list[Hit]:
        """The top-k passages; `filters` (llama-index MetadataFilters on "doc", operator IN or EQ) scopes the
        search to some reports, e.g. those of the research firm a question names."""
        docs = _filtered_docs(filters)
        rows = [i for i, p in enumerate(self.index.passages) if p.doc in docs] if docs is not None else None
        if rows == []:
            return []
        by_passage, by_sentence = self._dense_rankings(query.vector, rows)
        rankings = [(WEIGHTS["passage"], by_passage), (WEIGHTS["sentence"], by_sentence)]
        if query.focus_vector is not None:
            # Only at sentence level: a whole passage's vector is dominated by the words the focus leaves out.
            rankings.append((WEIGHTS["focus"], self._dense_rankings(query.focus_vector, rows)[1]))
        lexical = [self._row_of[hit.node.node_id] for hit in self._bm25.retrieve(query.text)]
        if docs is not None:
            lexical = [row for row in lexical if self.index.passages[row].doc in docs]
        rankings.append((WEIGHTS["bm25"], lexical))
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        similarity = self.index.passage_vectors @ query.vector
        ranked = sorted(fused, key=lambda row: (-fused[row], -similarity[row], row))[:k]
        return [Hit(row, self.index.passages[row], fused[row], float(similarity[row])) for row in ranked]

    def sentence_scores(self, passage_row: int, query: Query) -> list[SentenceScore]:
        """Each sentence of a passage scored by meaning and by the rarity-weighted share of question terms it has.

        Both use the question's focus within the passage's report: a sentence that only repeats the report's
        market name must not beat the one that answers.
        """
        rows = self._sentence_rows.get(passage_row, [])
        if not rows:
            return []
        focus = self.focus(query.text, self.index.passages[passage_row].doc)
        terms = self._weighted_terms(focus) if focus else query.terms
        vectors = self.index.sentence_vectors[rows]
        cosines = vectors @ query.vector
        for extra in (query.focus_vector, self.embed_query(focus) if focus else None):
            if extra is not None:
                cosines = np.maximum(cosines, vectors @ extra)
        weight = sum(terms.values()) or 1.0
        return [
            SentenceScore(float(cosine), sum(w for t, w in terms.items() if t in self._sentence_terms[row]) / weight)
            for row, cosine in zip(rows, cosines)
        ]

    def joint_coverage(self, query: Query, sentences: Sequence[tuple[int, int]]) -> float:
        """The share of the question's term weight that some sentence of several has: "US versus Canada" is covered
        by the US row and the Canada row together."""
        if not sentences:
            return 0.0
        focus = self.focus(query.text, self.index.passages[sentences[0][0]].doc)
        terms = self._weighted_terms(focus) if focus else query.terms
        found = frozenset().union(*(self._sentence_terms[self._sentence_rows[row][j]] for row, j in sentences))
        return sum(w for t, w in terms.items() if t in found) / (sum(terms.values()) or 1.0)

    def sentence_vector(self, passage_row: int, sentence: int) -> np.ndarray:
        return self.index.sentence_vectors[self._sentence_rows[passage_row][sentence]]


def _filtered_docs(filters) -> frozenset[str] | None:
    """The report ids a llama-index MetadataFilters object allows (key "doc"), or None for no filter."""
    if filters is None:
        return None
    allowed: frozenset[str] | None = None
    for condition in filters.filters:
        if condition.key != "doc":
            raise ValueError(f"unsupported metadata filter key {condition.key!r}; only 'doc' is indexed")
        values = condition.value if isinstance(condition.value, (list, tuple)) else [condition.value]
        found = frozenset(str(v) for v in values)
        allowed = found if allowed is None else allowed & found
    return allowed
