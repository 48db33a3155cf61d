"""The extractive composer: answers built only from sentences of the retrieved passages, each cited.

Deterministic: the same question over the same index always gives the same answer.
Refusal is decided from evidence: is the question's subject in the reports at all, is the asked-for year or
region there, does any sentence match the question in meaning and in key terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .models import Citation, Passage
from .retrieve import Hit, HybridRetriever, key_terms

MIN_SENTENCE_SIMILARITY = 0.32  # below this no sentence means what the question asks (calibrated on eval/)
MIN_TERM_COVERAGE = 0.34  # share of the question's key terms that the best passages must contain
EXTRA_SENTENCE_MARGIN = 0.10  # further sentences join the answer when this close to the best one

_LIST_QUESTION = re.compile(
    r"^(which|what|who|list|name)\b.*\b(companies|players|firms|vendors|providers|competitors|segments|sectors|"
    r"applications|types|categories|drivers|trends|examples|industries|models|factors|forces|verticals|leaders)\b"
    r"|^(who are|list|name)\b",
    re.IGNORECASE,
)
_REGIONS = (
    "europe", "european", "asia", "asian", "africa", "african", "america", "american", "latin", "china", "chinese",
    "japan", "japanese", "india", "indian", "germany", "german", "france", "french", "uk", "britain", "british",
    "canada", "brazil", "korea", "australia", "mexico", "russia", "italy", "spain", "middle east", "apac", "emea",
    "nordic", "singapore", "indonesia", "saudi", "uae", "us", "usa",
)
_MARKET_SUBJECT = re.compile(r"\b((?:[\w&'-]+\s+){1,3})(?:market|industry|sector)\b", re.IGNORECASE)
_GENERIC_SUBJECT_WORDS = frozenset(
    "the a an this that global overall total whole entire its their our which what how big large ai's of for in".split()
)


@dataclass
class Composition:
    text: str
    citations: list[Citation]
    refused: bool
    reasons: list[str]


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: int  # index in hit.passage.sentences
    score: float
    cosine: float


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question.strip()))


def _corpus_words(retriever: HybridRetriever) -> set[str]:
    cached = getattr(retriever, "_corpus_words", None)
    if cached is None:
        cached = set()
        for report in retriever.index.reports.values():
            cached.update(w.lower() for w in re.findall(r"[\w&'-]+", report.text))
            cached.update(key_terms(report.text))
        retriever._corpus_words = cached  # type: ignore[attr-defined]
    return cached


def missing_subject(question: str, retriever: HybridRetriever) -> list[str]:
    """Names, years and regions the question is about that no indexed report mentions."""
    words = _corpus_words(retriever)
    missing = []
    lowered = question.lower()
    for year in re.findall(r"\b(?:19|20)\d\d\b", question):
        if year not in words:
            missing.append(f"the year {year}")
    for region in _REGIONS:
        if re.search(rf"\b{region}\b", lowered) and region.split()[0] not in words:
            missing.append(region.title() if len(region) > 3 else region.upper())
    # Proper names (capitalized words not at the start of the question) must appear somewhere.
    tokens = re.findall(r"[A-Za-z][\w&'-]*", question)
    for position, token in enumerate(tokens):
        if position == 0 or not token[0].isupper() or token.lower() in words:
            continue
        if token.lower().rstrip("'s") in words:
            continue
        missing.append(token)
    for match in _MARKET_SUBJECT.finditer(question):
        subject = [w for w in match.group(1).lower().split() if w not in _GENERIC_SUBJECT_WORDS]
        absent = [w for w in subject if w not in words and key_terms(w) and key_terms(w)[0] not in words]
        if absent:
            missing.append(" ".join(absent))
    return list(dict.fromkeys(missing))


def _candidates(hits: Sequence[Hit], retriever: HybridRetriever, query_vector: np.ndarray,
                terms: set[str]) -> list[_Candidate]:
    result = []
    for rank, hit in enumerate(hits):
        if "instruction" in hit.passage.flags:
            continue  # text aimed at a model is data, never an answer
        scores = retriever.sentence_scores(hit.row, query_vector, terms)
        rows = [r for r in range(len(hit.passage.sentences))]
        sentence_rows = retriever._sentence_rows.get(hit.row, [])
        cosines = retriever.index.sentence_vectors[sentence_rows] @ query_vector if sentence_rows else []
        for j, score, cosine in zip(rows, scores, cosines):
            # A small preference for passages the fused ranking put first.
            result.append(_Candidate(rank, hit, j, score + 0.04 * (len(hits) - rank) / len(hits), float(cosine)))
    return sorted(result, key=lambda c: (-c.score, c.hit_rank, c.sentence))


def _list_span(passage: Passage, sentence: int, text: str) -> list[int]:
    """For list questions: the chosen sentence plus the bullets of its list, when it introduces or is one."""
    spans = passage.sentences
    chosen = text[spans[sentence][0] : spans[sentence][1]]
    is_bullet = lambda i: bool(re.match(r"^(?:-|\d{1,2}[.)])\s", text[spans[i][0] : spans[i][1]]))  # noqa: E731
    if not (chosen.rstrip().endswith(":") or is_bullet(sentence)):
        return [sentence]
    first = sentence
    while first - 1 >= 0 and (is_bullet(first) and (is_bullet(first - 1) or
                                                     text[spans[first - 1][0]:spans[first - 1][1]].endswith(":"))):
        first -= 1
    last = sentence
    while last + 1 < len(spans) and is_bullet(last + 1):
        last += 1
    return list(range(first, last + 1))


def compose(question: str, hits: Sequence[Hit], retriever: HybridRetriever, query_vector: np.ndarray,
            citations_wanted: int = 3) -> Composition:
    terms = set(key_terms(question))
    reasons = [f"the reports do not mention {m}" for m in missing_subject(question, retriever)]
    candidates = _candidates(hits, retriever, query_vector, terms)
    if not candidates:
        reasons.append("no passage could be used")
    else:
        best = candidates[0]
        if best.cosine < MIN_SENTENCE_SIMILARITY:
            reasons.append(f"no sentence matches the question closely (best similarity {best.cosine:.2f})")
        top_text = " ".join(h.passage.embedding_text() for h in hits[:3])
        covered = terms & set(key_terms(top_text))
        if terms and len(covered) / len(terms) < MIN_TERM_COVERAGE:
            reasons.append("most of the question's key terms appear in no retrieved passage")
    if reasons:
        return Composition("", _closest(hits, retriever, query_vector, terms, citations_wanted), True, reasons)

    chosen: dict[int, list[int]] = {}  # hit rank -> sentence indexes
    best = candidates[0]
    chosen[best.hit_rank] = [best.sentence]
    text_of = lambda c: retriever.index.reports[c.hit.passage.doc].text  # noqa: E731
    if is_list_question(question):
        chosen[best.hit_rank] = _list_span(best.hit.passage, best.sentence, text_of(best))
    else:
        for candidate in candidates[1:6]:
            if candidate.score < best.score - EXTRA_SENTENCE_MARGIN or sum(map(len, chosen.values())) >= 3:
                break
            sentence = text_of(candidate)[slice(*candidate.hit.passage.sentences[candidate.sentence])]
            if any(_same_sentence(sentence, text_of(c)[slice(*c.hit.passage.sentences[c.sentence])])
                   for c in candidates[:1]):
                continue  # the same sentence stated again in another report adds nothing
            chosen.setdefault(candidate.hit_rank, []).append(candidate.sentence)

    citations: list[Citation] = []
    parts: list[str] = []
    for rank in sorted(chosen, key=lambda r: (r != best.hit_rank, r)):
        hit = hits[rank]
        sentences = sorted(chosen[rank])
        citation = _citation(len(citations) + 1, hit, retriever, sentences)
        citations.append(citation)
        report_text = retriever.index.reports[hit.passage.doc].text
        said = " ".join(report_text[slice(*hit.passage.sentences[j])] for j in sentences)
        parts.append(f"{said} [{citation.n}]")
    cited_rows = {hits[r].row for r in chosen}
    for hit in hits:
        if len(citations) >= citations_wanted:
            break
        if hit.row not in cited_rows:
            scores = retriever.sentence_scores(hit.row, query_vector, terms)
            citations.append(_citation(len(citations) + 1, hit, retriever, [int(np.argmax(scores))]))
    return Composition(" ".join(parts), citations, False, [])


def _same_sentence(a: str, b: str) -> bool:
    return set(key_terms(a)) == set(key_terms(b))


def _citation(n: int, hit: Hit, retriever: HybridRetriever, sentences: list[int]) -> Citation:
    passage = hit.passage
    start = passage.sentences[sentences[0]][0]
    end = passage.sentences[sentences[-1]][1]
    return Citation(
        n=n,
        doc=passage.doc,
        title=passage.title,
        passage=passage.id,
        text=passage.text,
        quote=retriever.index.reports[passage.doc].text[start:end],
        start=start,
        end=end,
        score=round(hit.similarity, 4),
    )


def _closest(hits: Sequence[Hit], retriever: HybridRetriever, query_vector: np.ndarray, terms: set[str],
             wanted: int) -> list[Citation]:
    closest = []
    for hit in hits[:wanted]:
        scores = retriever.sentence_scores(hit.row, query_vector, terms)
        closest.append(_citation(len(closest) + 1, hit, retriever, [int(np.argmax(scores))] if scores else [0]))
    return closest


def refusal_text(reasons: Sequence[str]) -> str:
    return (
        "The indexed reports don't answer this question"
        + (f": {'; '.join(reasons)}." if reasons else ".")
        + " The closest material is listed below; it is not an answer."
    )
