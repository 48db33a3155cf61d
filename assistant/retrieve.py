"""Hybrid retrieval: dense FAISS search fused with BM25, and the best-matching sentence inside a passage.

Four rankings are fused: passages by their own vector (text with report title and section heading), passages by
their best-matching sentence (a whole passage's vector blurs a one-sentence answer such as a key-players list), the
same for the question's focus (without the words most passages share), and BM25 (dense similarity misses exact
tokens: "8,934", "BFSI", company names). Reciprocal-rank fusion combines them
without calibrating their scores against each other.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .embedding import Embedder
from .index import CorpusIndex
from .models import Passage

RRF_K = 10  # small: with few passages every one appears in every ranking, so only the top ranks should count
CANDIDATES = 50
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


def key_terms(text: str) -> list[str]:
    """Stemmed content words and numbers of a text, in order, without stop words."""
    words = [w.lower().strip("'-") for w in _WORD.findall(text)]
    words = [w.replace(",", "") for w in words if w and w not in STOPWORDS]
    return [w if w[0].isdigit() else _stemmer().stemWord(w) for w in words]


@dataclass(frozen=True)
class Hit:
    row: int  # passage index in the CorpusIndex
    passage: Passage
    score: float  # fused reciprocal-rank score, used for ranking
    similarity: float  # cosine similarity between question and passage, reported to users


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
        # Words found in most passages (the corpus's own market name, "market", "report") carry no signal.
        document_frequency: dict[str, int] = {}
        for p in index.passages:
            for word in set(re.findall(r"[a-z0-9][a-z0-9&'-]*", p.text.lower())):
                document_frequency[word] = document_frequency.get(word, 0) + 1
        self._common_words = {w for w, n in document_frequency.items() if n > 0.4 * len(index.passages)}
        # Sentence rows grouped by passage, for quote selection.
        self._sentence_rows: dict[int, list[int]] = {}
        for row, (passage_row, _) in enumerate(index.sentence_rows):
            self._sentence_rows.setdefault(passage_row, []).append(row)

    def embed_query(self, question: str) -> np.ndarray:
        return self.embedder.embed_one(question)

    def focus(self, question: str) -> str:
        """The question without words that most passages share: what it asks, not which market it is about."""
        words = question.split()
        kept = [w for w in words if w.lower().strip("?.,!'\"()") not in self._common_words]
        return " ".join(kept) if len(kept) >= 2 and len(kept) < len(words) else ""

    def _dense_rankings(self, query_vector: np.ndarray) -> tuple[list[int], list[int]]:
        """Passages ranked by their own vector, and by their best-matching sentence."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        query = query_vector.tolist()
        n = min(CANDIDATES, len(self.index.passages))
        dense = self.index.passage_store.query(VectorStoreQuery(query_embedding=query, similarity_top_k=n))
        sentences = self.index.sentence_store.query(
            VectorStoreQuery(query_embedding=query, similarity_top_k=min(4 * CANDIDATES, len(self.index.sentence_rows)))
        )
        # The first time one of a passage's sentences appears is that passage's rank.
        by_sentence = list(dict.fromkeys(self.index.sentence_rows[int(i)][0] for i in sentences.ids))
        return [int(i) for i in dense.ids], by_sentence

    def search(self, question: str, k: int = 5, query_vector: np.ndarray | None = None) -> list[Hit]:
        if query_vector is None:
            query_vector = self.embed_query(question)
        by_passage, by_sentence = self._dense_rankings(query_vector)
        rankings = [(WEIGHTS["passage"], by_passage), (WEIGHTS["sentence"], by_sentence)]
        focus = self.focus(question)
        if focus:
            # Only at sentence level: a whole passage's vector is dominated by the words the focus leaves out.
            rankings.append((WEIGHTS["focus"], self._dense_rankings(self.embed_query(focus))[1]))
        lexical = [self._row_of[hit.node.node_id] for hit in self._bm25.retrieve(question)]
        rankings.append((WEIGHTS["bm25"], lexical))
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        similarity = self.index.passage_vectors @ query_vector
        ranked = sorted(fused, key=lambda row: (-fused[row], -similarity[row], row))[:k]
        return [Hit(row, self.index.passages[row], fused[row], float(similarity[row])) for row in ranked]

    def sentence_scores(self, passage_row: int, query_vector: np.ndarray, question_terms: set[str]) -> list[float]:
        """Score each sentence of a passage by meaning (cosine) and by overlap with the question's key terms."""
        rows = self._sentence_rows.get(passage_row, [])
        passage = self.index.passages[passage_row]
        text = self.index.reports[passage.doc].text
        cosines = self.index.sentence_vectors[rows] @ query_vector if rows else np.zeros(0)
        scores = []
        for (start, end), cosine in zip(passage.sentences, cosines):
            terms = set(key_terms(text[start:end]))
            overlap = len(terms & question_terms) / max(1, len(question_terms))
            scores.append(float(cosine) + 0.5 * overlap)
        return scores
