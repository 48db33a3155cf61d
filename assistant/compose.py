"""The extractive composer: answers built only from sentences of the retrieved passages, each cited.

Deterministic: the same question over the same index always gives the same answer.
Refusal is decided from evidence, not from a score alone: is the question's subject in the reports at all, is the
asked-for year, region, company or metric in the chosen sentences, and does a question that asks for a figure get a
sentence that states one about the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .facts import match_market
from .models import Citation
from .passages import is_instruction
from .quantities import find_quantities
from .retrieve import Hit, HybridRetriever, Query, SentenceScore, key_terms

MIN_SENTENCE_SIMILARITY = 0.30  # below this no sentence means what the question asks (calibrated on eval/)
MIN_FIGURE_COVERAGE = 0.5  # a sentence giving a figure must share this much of the question's term weight
EXTRA_SENTENCE_MARGIN = 0.08  # further sentences join the answer when this close to the best one
MAX_ANSWER_SENTENCES = 3

_LIST_QUESTION = re.compile(
    r"\b(companies|players|firms|vendors|providers|competitors|segments|sectors|applications|types|categories|"
    r"drivers|trends|examples|industries|factors|forces|verticals|leaders|uses|use cases|fields|areas|kinds)\b"
    r"|^(list|name)\b|\bwho are\b|\bwhat (drives|is driving)\b",
    re.IGNORECASE,
)
_REGIONS = (
    "europe", "european", "asia", "asian", "africa", "african", "america", "american", "latin", "china", "chinese",
    "japan", "japanese", "india", "indian", "germany", "german", "france", "french", "uk", "britain", "british",
    "canada", "brazil", "korea", "australia", "mexico", "russia", "italy", "spain", "middle east", "apac", "emea",
    "nordic", "singapore", "indonesia", "saudi", "uae", "usa",
)
_MARKET_SUBJECT = re.compile(
    r"\b((?:[\w&'-]+\s+){1,3})(?:market|industry|sector)\b(?!-)"
    r"|\bmarket (?:size |value |share )?(?:of|for) ((?:[\w&'-]+\s*){1,3})",
    re.IGNORECASE,
)
_ACRONYM_QUESTION = re.compile(r"\b([A-Z][A-Za-z&]{1,9})\b (?:stand for|mean)\b|\bwhat is ([A-Z]{2,})\?")
_ENUMERATION = re.compile(r"(?:[^,]+,){3}|\binclud(?:e|es|ing)\b|:$")
# "hundreds of millions of dollars" states an amount; "billions or trillions of parameters" states no count.
_VERBAL_AMOUNT = re.compile(
    r"\b(tens|hundreds|thousands|millions|billions|trillions)\s+of\s+(?:[\w-]+\s+){0,3}?(dollars|euros|pounds|yen)\b",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(r"^(they|it|this|these|that|those|such|its|their)\b", re.IGNORECASE)
MIN_TERM_COVERAGE = 0.2  # with less of the question's terms, only a close match in meaning counts
CLOSE_MEANING = 0.45
# Asking for one of these (a stem) means a sentence that talks about it: "share" answered with a size is no answer.
_METRICS = {
    "share": r"share|%|percent", "price": r"pric", "cost": r"cost", "revenu": r"revenue|sales|turnover",
    "user": r"user", "employe": r"employ|staff|headcount", "paramet": r"parameter", "profit": r"profit|margin|earning",
    "margin": r"margin", "fund": r"fund|raised", "salari": r"salar", "publish": r"publish|releas|announc|according to",
    "subscrib": r"subscri", "download": r"download", "stock": r"stock", "valuat": r"valu",
}
_FIGURE_QUESTION = re.compile(
    r"\bhow (much|many|big|large)\b|\bwhat (is|was|were|will be|are)\s+(the\s+)?([\w'’-]+\s+){0,2}"
    r"(size|value|worth|price|cost|share|revenue|number|percentage|valuation|count)\b|\bworth\b"
    r"|\bwhat (share|percentage|proportion|portion|fraction)\b",
    re.IGNORECASE,
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
    scored: SentenceScore
    score: float  # scored.score plus a small preference for the better-ranked passage


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question.strip()))


def _entities(question: str, retriever: HybridRetriever) -> list[str]:
    """Names in the question (capitalized words past the first), other than those every report shares."""
    titles = " ".join(r.title for r in retriever.index.reports.values()).lower()
    tokens = re.findall(r"[A-Za-z][\w&.'-]*[\w]|[A-Z]", question)
    names = []
    for position, token in enumerate(tokens):
        plain = re.sub(r"'s$", "", token)
        if position == 0 or not plain[0].isupper() or plain.lower() in retriever.common_words:
            continue
        if plain.lower() in titles or plain.lower() in ("ai", "i"):
            continue
        names.append(plain)
    return names


def missing_subject(question: str, retriever: HybridRetriever) -> list[str]:
    """Names, years and regions the question is about that no indexed report mentions."""
    words = retriever.corpus_words
    missing = []
    lowered = question.lower()
    for year in re.findall(r"\b(?:19|20)\d\d\b", question):
        if year not in words:
            missing.append(f"the year {year}")
    for region in _REGIONS:
        if re.search(rf"\b{region}\b", lowered) and region.split()[0] not in words:
            missing.append(region.title() if len(region) > 3 else region.upper())
    for name in _entities(question, retriever):
        if name.lower() not in words:
            missing.append(name)
    for match in _MARKET_SUBJECT.finditer(question):
        phrase = (match.group(1) or match.group(2) or "").lower().split()
        if match.group(1):  # only the run of content words right before "market"
            run: list[str] = []
            for word in reversed(phrase):
                if not key_terms(word):
                    break
                run.insert(0, word)
            phrase = run
        for word in phrase:
            stem = key_terms(word)
            if stem and word not in words and stem[0] not in words:
                missing.append(word)
    return list(dict.fromkeys(missing))


def _candidates(hits: Sequence[Hit], retriever: HybridRetriever, query: Query) -> list[_Candidate]:
    wants_list = is_list_question(query.text)
    acronym = _ACRONYM_QUESTION.search(query.text)
    expansion = re.compile(rf"\b{re.escape(acronym.group(1))}\s*\([A-Z]") if acronym else None
    result = []
    for rank, hit in enumerate(hits):
        for j, scored in enumerate(retriever.sentence_scores(hit.row, query)):
            bonus = 0.03 * (len(hits) - rank) / len(hits)
            sentence = _sentence_text(retriever, hit, j)
            if "instruction" in hit.passage.flags and is_instruction(sentence):
                continue  # text aimed at a model is data, never an answer
            if expansion and expansion.search(sentence):
                bonus += 0.3  # "BFSI (Banking, ...)" is what "What does BFSI stand for?" asks
            if wants_list and _ENUMERATION.search(sentence):
                bonus += 0.15  # a list question is answered by a sentence that lists
            result.append(_Candidate(rank, hit, j, scored, scored.score + bonus))
    return sorted(result, key=lambda c: (-c.score, c.hit_rank, c.sentence))


def _sentence_text(retriever: HybridRetriever, hit: Hit, j: int) -> str:
    return retriever.index.reports[hit.passage.doc].text[slice(*hit.passage.sentences[j])]


def _is_bullet(text: str) -> bool:
    return bool(re.match(r"^(?:-|\d{1,2}[.)])\s", text))


def _list_items(retriever: HybridRetriever, best: _Candidate) -> list[tuple[int, int]]:
    """The chosen sentence's whole list: its introduction and every bullet line of the run, across passages."""
    index = retriever.index
    text = index.reports[best.hit.passage.doc].text
    rows = [i for i, p in enumerate(index.passages)
            if p.doc == best.hit.passage.doc and p.heading == best.hit.passage.heading]
    flat = [(row, j) for row in rows for j in range(len(index.passages[row].sentences))]

    def on_bullet_line(item: tuple[int, int]) -> bool:
        start = index.passages[item[0]].sentences[item[1]][0]
        return _is_bullet(text[text.rfind("\n", 0, start) + 1 :])

    at = flat.index((best.hit.row, best.sentence))
    first = at
    if not on_bullet_line(flat[at]):
        if at + 1 >= len(flat) or not on_bullet_line(flat[at + 1]):
            return [flat[at]]  # neither in a list nor introducing one
    else:
        while first > 0 and on_bullet_line(flat[first - 1]):
            first -= 1
        if first > 0:
            first -= 1  # the sentence that introduces the list
    last = at
    while last + 1 < len(flat) and on_bullet_line(flat[last + 1]):
        last += 1
    return flat[first : last + 1]


def _states_figure(sentence: str) -> bool:
    if _VERBAL_AMOUNT.search(sentence):
        return True
    return any(q.kind in ("money", "rate", "number", "duration") for q in find_quantities(sentence))


def _with_continuation(retriever: HybridRetriever, candidate: _Candidate) -> list[tuple[int, int]]:
    """The chosen sentence plus the next ones that lean on it ("They could deploy..."), even past a passage end."""
    passages = retriever.index.passages
    text = retriever.index.reports[candidate.hit.passage.doc].text
    items = [(candidate.hit.row, candidate.sentence)]
    while len(items) < 3:
        row, j = items[-1]
        if j + 1 < len(passages[row].sentences):
            following = (row, j + 1)
        elif row + 1 < len(passages) and passages[row + 1].doc == passages[row].doc:
            following = (row + 1, 0)
        else:
            break
        sentence = text[slice(*passages[following[0]].sentences[following[1]])]
        if not _CONTINUATION.match(sentence) or _is_bullet(sentence):
            break
        items.append(following)
    return items


def _evidence_gaps(question: str, query: Query, chosen: list[_Candidate], retriever: HybridRetriever) -> list[str]:
    """What the question asks for that the chosen sentences do not say."""
    said = " ".join(_sentence_text(retriever, c.hit, c.sentence) for c in chosen)
    said_lower = said.lower()
    gaps = []
    asked = set(key_terms(question))
    for metric, evidence in _METRICS.items():
        if any(t.startswith(metric) for t in asked) and not re.search(evidence, said_lower):
            word = next(w for w in re.findall(r"[a-z]+", question.lower()) if w.startswith(metric))
            gaps.append(f"the passages that match say nothing about “{word}”")
    for name in _entities(question, retriever):
        if name.lower() not in said_lower:
            gaps.append(f"nothing about {name} in the passages that match")
    for year in re.findall(r"\b(?:19|20)\d\d\b", question):
        if year not in said:
            gaps.append(f"no figure for {year}")
    # A question about one market is not answered from a report about another.
    markets = sorted({f.market for f in retriever.index.facts})
    asked_market = match_market(question, markets) if markets else None
    if asked_market:
        market_docs = {f.doc for f in retriever.index.facts if f.market == asked_market}
        if not any(c.hit.passage.doc in market_docs for c in chosen) and match_market(said, [asked_market]) is None:
            gaps.append(f"the passages that match are not about the {asked_market} market")
    if _FIGURE_QUESTION.search(question):
        stating = [c for c in chosen if _states_figure(_sentence_text(retriever, c.hit, c.sentence))]
        if not any(c.scored.coverage >= MIN_FIGURE_COVERAGE for c in stating):
            gaps.append("no sentence states that figure")
    return gaps


def compose(question: str, hits: Sequence[Hit], retriever: HybridRetriever, query: Query,
            citations_wanted: int = 3) -> Composition:
    reasons = [f"the reports do not mention {m}" for m in missing_subject(question, retriever)]
    candidates = _candidates(hits, retriever, query)
    if not candidates:
        reasons.append("no passage could be used")
    elif (max(c.scored.cosine for c in candidates) < MIN_SENTENCE_SIMILARITY
          and max(c.scored.coverage for c in candidates) < MIN_FIGURE_COVERAGE):
        # Short questions ("Who are the key players?") match little in meaning but fully in key terms.
        closest = max(c.scored.cosine for c in candidates)
        reasons.append(f"no sentence matches the question closely (best sentence similarity {closest:.2f})")
    elif candidates[0].scored.coverage < MIN_TERM_COVERAGE and candidates[0].scored.cosine < CLOSE_MEANING:
        reasons.append("no sentence shares the question's key terms")
    if reasons:
        return Composition("", _closest(hits, retriever, query, citations_wanted), True, reasons)

    best = candidates[0]
    chosen = [best]
    if not is_list_question(question):
        best_text = _sentence_text(retriever, best.hit, best.sentence)
        for candidate in candidates[1:8]:
            if candidate.score < best.score - EXTRA_SENTENCE_MARGIN or len(chosen) >= MAX_ANSWER_SENTENCES:
                break
            if set(key_terms(_sentence_text(retriever, candidate.hit, candidate.sentence))) == set(
                    key_terms(best_text)):
                continue  # the same sentence stated again in another report adds nothing
            chosen.append(candidate)
    gaps = _evidence_gaps(question, query, chosen, retriever)
    if gaps:
        return Composition("", _closest(hits, retriever, query, citations_wanted), True, list(dict.fromkeys(gaps)))

    # Sentences grouped by passage, best passage first; a list question gets its whole list.
    groups: dict[int, list[int]] = {}
    if is_list_question(question):
        for row, j in _list_items(retriever, best):
            groups.setdefault(row, []).append(j)
    else:
        for candidate in chosen:
            for row, j in _with_continuation(retriever, candidate):
                groups.setdefault(row, []).append(j)
    citations: list[Citation] = []
    parts: list[str] = []
    for row, sentences in groups.items():
        passage = retriever.index.passages[row]
        text = retriever.index.reports[passage.doc].text
        sentences = sorted(j for j in set(sentences) if not is_instruction(text[slice(*passage.sentences[j])]))
        if not sentences:
            continue
        citation = _citation(len(citations) + 1, retriever, row, sentences, query)
        citations.append(citation)
        said = " ".join(retriever.index.reports[citation.doc].text[slice(*retriever.index.passages[row].sentences[j])]
                        for j in sentences)
        parts.append(f"{said} [{citation.n}]")
    for hit in hits:
        if len(citations) >= citations_wanted:
            break
        if hit.row not in groups:
            citations.append(best_sentence_citation(len(citations) + 1, retriever, hit, query))
    return Composition(" ".join(parts), citations, False, [])


def _citation(n: int, retriever: HybridRetriever, row: int, sentences: list[int], query: Query) -> Citation:
    """Cite sentences of one passage; the score is the question's cosine similarity to the whole passage."""
    passage = retriever.index.passages[row]
    start = passage.sentences[sentences[0]][0]
    end = passage.sentences[sentences[-1]][1]
    similarity = float(retriever.index.passage_vectors[row] @ query.vector)
    return Citation(n=n, doc=passage.doc, title=passage.title, passage=passage.id, text=passage.text,
                    quote=retriever.index.reports[passage.doc].text[start:end], start=start, end=end,
                    score=round(similarity, 4))


def best_sentence_citation(n: int, retriever: HybridRetriever, hit: Hit, query: Query) -> Citation:
    scores = retriever.sentence_scores(hit.row, query)
    best = max(range(len(scores)), key=lambda j: scores[j].score) if scores else 0
    return _citation(n, retriever, hit.row, [best], query)


def _closest(hits: Sequence[Hit], retriever: HybridRetriever, query: Query, wanted: int) -> list[Citation]:
    return [best_sentence_citation(n, retriever, hit, query) for n, hit in enumerate(hits[:wanted], start=1)]


def refusal_text(reasons: Sequence[str]) -> str:
    return (
        "The indexed reports don't answer this question"
        + (f": {'; '.join(reasons)}." if reasons else ".")
        + " The closest material is listed below; it is not an answer."
    )
