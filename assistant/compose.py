"""The extractive composer: answers built only from sentences of the retrieved passages, each cited.

Deterministic: the same question over the same index always gives the same answer.
Refusal is decided from evidence, not from a score alone: is the question's subject in the reports at all, is the
asked-for year, region, company or metric in the chosen sentences, and does a question that asks for a figure get a
sentence that states one about the same thing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from .acronyms import abbreviates
from .asking import PERSON_NOUNS, asks_for_a_person, is_comparative, is_superlative
from .frame import FIGURE_TYPES, QuestionFrame
from .models import Citation, Passage
from .passages import is_dateline
from .structure import CONTEXT_ONLY, FIGURE, is_title_case
from .profile import ReportProfile
from .quantities import MASS_UNIT, MONEY_NOUN, amounts_equal, find_quantities, measured_mass, mentions_currency
from .regions import find_regions, is_region_word, regions_in
from .retrieve import TERM_WEIGHT, Hit, HybridRetriever, Query, SentenceScore, key_terms, matching_terms

MIN_SENTENCE_SIMILARITY = 0.30  # below this no sentence means what the question asks (calibrated on eval/)
MIN_FIGURE_COVERAGE = 0.5  # a sentence giving a figure must share this much of the question's term weight
EXTRA_SENTENCE_MARGIN = 0.08  # further sentences join the answer when this close to the best one
MAX_ANSWER_SENTENCES = 3
MIN_TERM_COVERAGE = 0.2  # with less of the question's terms, only a close match in meaning counts
CLOSE_MEANING = 0.45
CONTEXT_SENTENCES = 2  # the sentences before an answer that may name what it is about
ANSWER_TYPE_BONUS = 0.15  # a sentence holding the type of thing asked for (a region, a list of firms, a %)
# A sentence that explains growth the way asked (drivers, restraints) outranks one that only names the market.
EXPLANATION_BONUS = 0.3
LEADER_MARGIN = 0.25  # how far below the best sentence one saying which leads may score and still answer
ASKED_NOUN_BONUS = 0.3  # as strong as a defined acronym's expansion: the one noun a "which X" question asks about
HEADING_BONUS = 0.1  # a sentence under a heading that names what is asked
NAME_BONUS = 0.03  # per company a sentence names, for a question asking who the players are ...
MAX_NAMES_WEIGHED = 10  # ... up to this many
FURNITURE_PENALTY = 0.5  # the publisher's blurb answers who the publisher is, nothing about the market

# (A comma right before three digits groups thousands, "US$ 7,920.27 million"; it separates no items.)
_ENUMERATION = re.compile(r"(?:[^,]+,(?!\d{3})){3}|\binclud(?:e|es|ing)\b|:$")
# "hundreds of millions of dollars" states an amount; "billions or trillions of parameters" states no count.
_VERBAL_AMOUNT = re.compile(
    r"\b(tens|hundreds|thousands|millions|billions|trillions)\s+of\s+(?:[\w-]+\s+){0,3}?(dollars|euros|pounds|yen)\b",
    re.IGNORECASE,
)
_COUNT_IN_WORDS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen)\s+"
                             r"(?:[a-z-]+\s+){0,2}[a-z]+s\b", re.IGNORECASE)
# How a sentence that splits a market opens: "By application,", "In terms of end use,", "On the basis of type,".
_SPLIT_BY = re.compile(r"\W*(?:by|in terms of|on the basis of|based on)\s+([\w -]{3,30}?)\s*[,:]", re.IGNORECASE)
# A report's title quoted in a sentence: "... the report 'Solid-State Battery Market: Technology, Application ...'".
_QUOTED_TITLE = re.compile(r"[\"“‘'][^\"”’']*\b(?:Market|Report|Study|Outlook|Forecast)\b[^\"”’']*[\"”’']")
_CONTINUATION = re.compile(r"^(they|it|this|these|that|those|such|its|their)\b", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*(?:-|–|—|to|through|and)\s*(?:19|20)?\d\d\b")
# Three or more names in a row, separated by commas or "and": a list of companies.
_NAME_LIST = re.compile(r"(?:[A-Z][\w&.+'-]*(?:\s+[A-Z(][\w&.+'()-]*)*\s*,\s*){2,}(?:and\s+)?[A-Z]")
# What a sentence that explains growth sounds like, by kind: its meaning, not its words, is compared with the
# candidate sentences (cosine with the model's sentence vectors). A kind with an opposite (below) is measured by
# several plain examples, written for this purpose and not taken from any report, since one example leaves the
# model's sense of a kind to one sentence's wording; the others by their first example.
_EXPLANATIONS: dict[str, tuple[str, ...]] = {
    "drivers": ("Growth is driven by rising demand, increasing adoption and supportive government policy.",
                "The main growth driver is rising demand from consumers.",
                "Increasing investment and falling prices are fuelling the expansion of the market.",
                "Several factors are propelling growth, including urbanization and higher incomes.",
                "Strong demand creates significant opportunities for vendors.",
                "Adoption is boosted by incentives and subsidies."),
    "restraints": ("High costs, regulatory hurdles and limited infrastructure restrain growth and remain the main "
                   "challenge.",
                   "The main challenge is the high cost of the equipment.",
                   "Growth is held back by a shortage of skilled workers and strict regulation.",
                   "Barriers such as high upfront prices and technical limitations hamper adoption.",
                   "Risks include supply shortages, rising energy prices and safety concerns.",
                   "Concerns over data privacy could slow the market."),
    "trends": ("Key trends and opportunities include new product launches, partnerships and emerging applications.",),
    "definition": ("It refers to a technology or product category defined as follows.",),
}
# A small sentence model hears "the main driver" and "the main challenge" as alike: what tells a restraint from
# a driver is which of the two a sentence is nearer. (Not the other way round: reports mostly write about growth,
# and a sentence on the market's growth, size figures included, is a fair answer to what drives it.)
_OPPOSITE = {"restraints": "drivers"}
CONTRAST_SPAN = 0.1  # nearer its own kind than the opposite by this much counts fully
# Words that ask without saying what ("what does X do", "how many"): not evidence either way.
_GENERIC_ASKING = ("what", "which", "how", "many", "much", "does", "do", "have", "has", "is", "are", "the", "report",
                   "say", "says", "according", "market")
# Words whose "'s" is "is" or "has", never a possessive: "who's", "what's", "it's".
_CONTRACTED = frozenset("who what where when why how which it that there here let he she".split())
# Function words that open sentences capitalized; a capitalized first word beyond these may be a name.
_SENTENCE_STARTERS = frozenset("the a an this that these those its their it they in on at by for from with as of "
                               "among key major leading other some most all both each such while although "
                               "however and but or".split())
_ACRONYM_TOKEN = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}s?\b")


@dataclass
class Composition:
    text: str
    citations: list[Citation]
    refused: bool
    reasons: list[str]
    value: Optional[float] = None  # the headline figure, when the answering sentence states the one asked for
    unit: Optional[str] = None
    value_range: Optional[dict] = None  # a stated range as the headline: {"low", "high", "unit"}


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: int  # index in hit.passage.sentences
    scored: SentenceScore
    score: float  # scored.score plus a small preference for the better-ranked passage


MAX_LIST_ITEMS = 12  # a list longer than this is cut: the answer stays readable, the citation has the rest


def wants_list(frame: QuestionFrame) -> bool:
    """Key players, segments, applications: answered by a sentence that lists, or a list with its header."""
    return frame.task == "list"


def prefers_enumeration(frame: QuestionFrame) -> bool:
    """Drivers, restraints and trends are often listed too: such a sentence is preferred, not the whole list."""
    return wants_list(frame) or frame.answer_type in ("drivers", "restraints", "trends")


def _entities(question: str, retriever: HybridRetriever) -> list[str]:
    """Names in the question (capitalized words past the first), other than those every report shares."""
    titles = " ".join(r.title for r in retriever.index.reports.values()).lower()
    names: list[str] = []
    for match in re.finditer(r"[A-Za-z][\w&.'-]*[\w]|[A-Z]", question):
        token = match.group(0)
        plain = re.sub(r"'s$", "", token)
        # A sentence's first word is capitalized for being first: "... deployments. What?"
        first = not re.search(r"[^\W\d_]", question[:match.start()]) or bool(
            re.search(r"[.?!]\s*[\"'“‘(]?\s*$", question[:match.start()]))
        # A possessive names its owner however it is typed ("what's stratasys's share?"), when the reports never
        # write that word in lower case ("what's", "product's" are no names).
        named = plain[0].isupper() or (plain != token and len(plain) > 2 and plain.lower() not in
                                       retriever.lowercase_words and plain.lower() not in _CONTRACTED)
        if first or not named or plain.lower() in retriever.common_words:
            continue
        if plain.lower() in titles or plain.lower() in ("ai", "i") or is_region_word(plain) or _is_month(plain):
            continue
        if _UNIT_OR_PERIOD.fullmatch(plain):
            continue  # "40 Mt", "Q2 2022", "FY24": a unit or a part of a year, no name
        names.append(plain)
    return names


_UNIT_OR_PERIOD = re.compile(rf"{MASS_UNIT}|[GMkT]Wh?|GWp|MWp|Q[1-4]|H[12]|FY\d{{2,4}}|CY\d{{2,4}}")


def _is_month(word: str) -> bool:
    """ "Dec", "December", "Sept.": a date in the question, which a report writes its own way, not a name."""
    word = word.lower().rstrip(".")
    return word in _MONTHS or word == "sept"


_MONTHS = frozenset(m.lower() for m in list(calendar.month_name) + list(calendar.month_abbr) if m)


def _named_things(frame: QuestionFrame, retriever: HybridRetriever) -> list[str]:
    """Companies, segments and other names the question asks about, beyond the markets, firms and regions it
    links: the sentences that answer must name them."""
    linked = " ".join([m.market for m in frame.entities.markets] + [f.firm for f in frame.entities.firms]
                      + [f.named_as for f in frame.entities.firms]  # "FBI" for Fortune Business Insights
                      + [frame.text[m.position:m.end] for m in frame.entities.markets if m.end > m.position]).lower()
    places = {w for r in frame.entities.regions for w in r.text.lower().split()}  # "United States"
    names = [n for n in _entities(frame.text, retriever) if n.lower() not in linked and n.lower() not in places]
    return names + [p for p in frame.entities.unknown_markets if p.lower() not in linked]


def _asked_terms(frame: QuestionFrame, names: Sequence[str]) -> set[str]:
    """The question's key terms beyond the names and markets it names: what it asks about them."""
    named = " ".join(list(names) + frame.entities.market_names + [f.firm for f in frame.entities.firms])
    terms = set(key_terms(frame.text)) - set(key_terms(named)) - set(key_terms(" ".join(_GENERIC_ASKING)))
    return {t for t in terms if not frame.entities.names_a_firm(t)}


def _says(text: str, name: str, acronyms: dict[str, str]) -> bool:
    """The text names it: as written, by its words (a phrase), or by what the acronym stands for, defined or
    not ("VW" for Volkswagen)."""
    lowered = text.lower()
    if name.lower() in lowered:
        return True
    expansion = acronyms.get(name) or acronyms.get(name.rstrip("s"))
    if expansion and expansion.lower() in lowered:
        return True
    if abbreviates(name, text):
        return True
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) > 2]
    return len(words) > 1 and all(re.search(rf"\b{re.escape(w[:5])}", lowered) for w in words)


def _unmentioned(word: str, words: frozenset[str]) -> bool:
    """No report writes the word: not as typed, not with a plural "s" ("SMR" where reports write "SMRs"), and,
    for a hyphenated pair of names ("Umicore-Audi"), not each name on its own."""
    if word in words or word + "s" in words:
        return False
    parts = [p for p in word.split("-") if len(p) > 2]
    return len(parts) < 2 or any(p not in words and p + "s" not in words for p in parts)


def missing_subject(frame: QuestionFrame, retriever: HybridRetriever,
                    profiles: Optional[dict[str, ReportProfile]] = None) -> list[str]:
    """Markets, names, regions and years the question is about that no indexed report mentions, the subject
    first: a question about quantum computing in 2030 is refused for quantum computing, not for the year."""
    words = retriever.corpus_words
    missing = []
    phrases = [(p, any) for p in frame.entities.unknown_markets]
    tail = _TAIL_PHRASE.search(frame.text)
    if tail and not frame.entities.markets and not any(r.start >= tail.start(1) for r in frame.entities.regions):
        # "Who are the key players in quantum computing?": what the question ends on is its subject, though it
        # says no "market". It is only read so, not parsed: it may end on a verb ("...of the space industry picked
        # up?"), so most of its words must be missing, not one.
        phrases.append((tail.group(1), lambda missed: sum(missed) * 2 >= len(missed)))
    for phrase, enough in phrases:
        missed = [w not in words and key_terms(w)[0] not in words
                  for w in re.findall(r"[\w&'-]+", phrase.lower()) if key_terms(w)]
        if missed and enough(missed):
            missing.append(re.sub(r"\s+(?:market|industry|sector)s?$", "", phrase.strip(), flags=re.IGNORECASE))
    # "EPA" where a report defines "US Environmental Protection Agency (USEPA)".
    expansions = [e for p in (profiles or {}).values() for e in p.acronyms.values()]
    for name in _named_things(frame, retriever):
        if any(_unmentioned(w, words) for w in re.findall(r"[\w&'-]+", name.lower())
               if len(w) > 2 and not is_region_word(w)) \
                and not any(abbreviates(name, e) for e in expansions):
            missing.append(name)
    covered = retriever.corpus_regions
    for region in frame.entities.regions:
        if region.region not in covered:
            missing.append(region.text)
    scoped = _scoping_years(frame, [(profiles or {}).get(d) for m in frame.entities.markets for d in m.docs])
    for year in re.findall(r"\b(?:19|20)\d\d\b", frame.text):
        if year not in words and year not in scoped:
            missing.append(f"the year {year}")
    # "quantum" is said by "quantum computing": one reason per thing.
    kept = list(dict.fromkeys(missing))
    return [m for m in kept if not any(m != other and m.lower() in other.lower() for other in kept)]


# The phrase a question ends on after a preposition: "... in quantum computing?", "... for smart kettles?".
_TAIL_PHRASE = re.compile(r"\b(?:in|for|of|about|on)\s+(?:the\s+)?([A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,3})\s*\??\s*$",
                          re.IGNORECASE)


def is_furniture(sentence: str, title: str, kind: str = "body") -> bool:
    """A dateline, headline, caption or the title repeated (by its structure mark, or read from the sentence when a
    reader could not tell): never an answer on its own."""
    if kind in CONTEXT_ONLY or is_dateline(sentence):
        return True
    if kind in ("list item", "table row"):
        return False  # "3. Kawasaki Heavy Industries Ltd. (Japan)" is a list's item, however capitalized
    if kind == "heading" and not sentence.rstrip().endswith(":") and not FIGURE.search(sentence):
        return True  # "3. Commercial space tourism": a section's name heads the answer, it does not say one
    plain = re.sub(r"\W+", " ", sentence).strip().lower()
    if plain and plain == re.sub(r"\W+", " ", title).strip().lower():
        return True
    return is_title_case(sentence)


def _names_its_firm(candidate: _Candidate, retriever: HybridRetriever, profiles: dict[str, ReportProfile]) -> bool:
    profile = profiles.get(candidate.hit.passage.doc)
    sentence = _sentence_text(retriever, candidate.hit, candidate.sentence)
    return bool(profile and profile.firm) and profile.firm.lower() in sentence.lower()


def _firm_of(candidate: _Candidate, profiles: dict[str, ReportProfile]) -> Optional[str]:
    profile = profiles.get(candidate.hit.passage.doc)
    return profile.firm if profile else None


def _describes_firm(sentence: str, profile: Optional[ReportProfile]) -> bool:
    """ "Mordor Intelligence is a market intelligence and advisory firm.": the publisher's own blurb, wherever it
    stands."""
    if profile is None or not profile.firm:
        return False
    return bool(re.match(rf"\W*{re.escape(profile.firm)}\s+(?:is|are)\s+(?:a|an|the|one)\b", sentence, re.IGNORECASE))


def _holds_answer_type(frame: QuestionFrame, sentence: str, firm: Optional[str],
                       common: frozenset[str] = frozenset()) -> bool:
    """Does the sentence contain the kind of thing the question asks for? (`common`: the words the reports write
    in lower case, which name no company.)"""
    kind = frame.answer_type
    if kind == "region":
        # "Which region grows fastest?" is answered by the sentence that says which leads, not by any region named.
        return bool(find_regions(sentence)) and (not is_superlative(frame.text) or is_superlative(sentence))
    if kind == "organizations":
        # "Which vendors lead?" is answered by "The market is led by Itron and Aclara" as well as by a list.
        names = _proper_names(sentence, firm, common)
        return bool(_NAME_LIST.search(sentence)) or sentence.rstrip().endswith(":") or names >= 2 \
            or (is_superlative(frame.text) and is_superlative(sentence) and names >= 1)
    if kind == "firm":
        return bool(firm) and firm.lower() in sentence.lower()
    if kind == "period":
        return bool(_YEAR_RANGE.search(sentence))
    if kind in ("money", "percent", "quantity"):
        wanted = {"money": ("money",), "percent": ("rate",), "quantity": ("number", "money")}[kind]
        return any(q.kind in wanted for q in find_quantities(sentence))
    if kind == "segments":
        return bool(_ENUMERATION.search(sentence))
    if kind == "leader":
        if not is_superlative(sentence):
            return False
        if frame.asked_entity == "organizations":
            return _proper_names(sentence, None, common) > 0
        # "Which segment grows fastest?" is not answered by the region that does.
        noun = frame.asked_noun or ""
        return not regions_in(sentence) or bool(noun) and noun.rstrip("s") in sentence.lower()
    return False


def _answers_by_type(frame: QuestionFrame, sentence: str, common: frozenset[str]) -> bool:
    """The sentence holds what is asked so plainly that sharing no word with the question does not matter: a
    period, a region, a leader, or a list of companies (names in a row, or three at least) for a question that asks
    for no figure."""
    if frame.answer_type in ("period", "region", "leader"):
        return _holds_answer_type(frame, sentence, None, common)
    if frame.answer_type == "organizations" and not frame.asks_figure:
        return bool(_NAME_LIST.search(sentence)) or _proper_names(sentence, None, common) >= 3
    return False


def _states_period(sentence: str, period: Optional[tuple[int, int]]) -> bool:
    """The sentence writes the report's forecast period as a range of years ("from 2022 to 2028")."""
    if period is None:
        return False
    for match in _YEAR_RANGE.finditer(sentence):
        years = [int(y) for y in re.findall(r"\d{2,4}", match.group(0))]
        if len(years) == 2 and years[1] < 100:
            years[1] += years[0] // 100 * 100  # "2022-28"
        if tuple(years) == tuple(period):
            return True
    return False


# What a sentence naming a market's companies sounds like (made-up firms), to search a firm's reports with: "Which
# vendors lead?" shares no word with "The report names the following as top players: Airbus, Amazon, ...". Only
# a search aid: which sentence answers is still decided by the names it holds.
_PLAYERS_TEXT = ("Key players operating in the market include Acme Corp., Globex, Initech and Umbrella Group. The "
                 "leading companies profiled in the report are Northwind, Contoso Ltd. and Fabrikam Inc.")


def explanation_text(kind: str) -> Optional[str]:
    """What a sentence answering this kind of question sounds like, as one text to search a report with (restraints,
    companies); None for other kinds."""
    if kind == "organizations":
        return _PLAYERS_TEXT
    return " ".join(_EXPLANATIONS[kind]) if kind in _OPPOSITE else None


def explanation_closeness(kind: str, retriever: HybridRetriever) -> Optional[Callable[[np.ndarray], float]]:
    """For drivers, restraints, trends and definitions: how much a sentence vector reads like one, from 0 to 1."""
    if kind not in _EXPLANATIONS:
        return None

    def nearness(of: str, vector: np.ndarray) -> float:
        # The mean of the two nearest examples: one example alone is too much its own wording.
        scores = sorted((float(retriever.embed_query(example) @ vector) for example in _EXPLANATIONS[of]),
                        reverse=True)
        return sum(scores[:2]) / len(scores[:2])

    def closeness(vector: np.ndarray) -> float:
        if kind not in _OPPOSITE:
            return min(1.0, max(0.0, (float(retriever.embed_query(_EXPLANATIONS[kind][0]) @ vector) - 0.2) / 0.3))
        near = nearness(kind, vector)
        # With the opposite kind to tell them apart, a long sentence that is only faintly either still counts. As
        # near to both, half; nearer the opposite by CONTRAST_SPAN, nothing.
        contrast = 0.5 + (near - nearness(_OPPOSITE[kind], vector)) / (2 * CONTRAST_SPAN)
        return min(1.0, max(0.0, (near - 0.1) / 0.2)) * min(1.0, max(0.0, contrast))

    return closeness


def _proper_names(sentence: str, firm: Optional[str] = None, common: frozenset[str] = frozenset()) -> int:
    """How many proper names a sentence has: runs of capitalized words that are no region and, at the sentence
    start, no plain English word capitalized there ("Itron and Aclara lead", not "The report..."). The report's own
    firm and titles ("... Market Report") are not the companies asked about, nor a run of words the reports write
    in lower case elsewhere (`common`): "Based on ...", "the Large-scale AI Models market"."""
    count = 0
    own = firm.split()[0] if firm else None
    sentence = re.sub(r"[\"“][^\"”]*[\"”]", " ", sentence)  # a quoted report title
    for match in re.finditer(r"\b[A-Z][\w&+.'-]*(?:\s+[A-Z][\w&+.'-]*)*", sentence):
        words = [w.rstrip(".'") for w in match.group(0).split()]
        if own in words or any(w in ("Market", "Markets", "Report") for w in words):
            continue
        if match.start() == 0 and words[0].lower() in _SENTENCE_STARTERS:
            words = words[1:]
        if len(words) == 1 and words[0].isupper():
            continue  # "USD", "CAGR", "AI": an abbreviation alone is rarely the name of a company
        if common and all(w.lower() in common or w.isupper() for w in words):
            continue
        if words and not is_region_word(" ".join(words)) and not all(is_region_word(w) for w in words):
            count += 1
    return count


def _names_a_person(sentence: str, firm: Optional[str]) -> bool:
    """A run of capitalized words that is no role ("A Senior Analyst at ..."), firm, region or sentence start:
    "said Soeren Lassen, Head of Offshore Wind Research"."""
    own = set(firm.split()) if firm else set()
    for match in re.finditer(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+", sentence):
        words = match.group(0).split()
        if match.start() == 0 and words[0].lower() in _SENTENCE_STARTERS:
            words = words[1:]  # "The Report ...": capitalized for starting the sentence
        if len(words) < 2 or own & set(words) or any(w.lower() in PERSON_NOUNS for w in words):
            continue
        if not is_region_word(" ".join(words)) and not any(w in ("Market", "Markets", "Report") for w in words):
            return True
    return False


def _candidates(frame: QuestionFrame, hits: Sequence[Hit], retriever: HybridRetriever, query: Query,
                profiles: dict[str, ReportProfile]) -> list[_Candidate]:
    listing = prefers_enumeration(frame)
    # "What does BFSI stand for?": the sentence that spells it out, as the report defines it.
    defined = {a: e for p in profiles.values() for a, e in p.acronyms.items()}
    asked = [a for a in _ACRONYM_TOKEN.findall(frame.text) if a in defined or a.rstrip("s") in defined]
    expansions = [defined.get(a) or defined[a.rstrip("s")] for a in asked] if frame.intent == "define" else []
    explains = explanation_closeness(frame.answer_type, retriever)
    result = []
    # "Which country made up 76% of sales?": the sentence stating 76% names the country. (For "the title of the
    # report that projects 11 million units", the figure only says which report.)
    typed = [(q.kind, q.value) for q in frame.quantities.amounts + frame.quantities.rates] \
        if frame.answer_type in ("region", "organizations", "leader", "segments", "firm") else []
    # What the question asks beyond the markets it names: a section headed with it ("Drivers and challenges" for
    # "the biggest challenge") is where the answer is.
    # (The firm a question names is whose report, not what it asks about: a byline "Source: Acme Research" over
    # the lead is no section about anything.)
    named = frame.entities.market_names + [f.firm for f in frame.entities.firms] + \
        [f.named_as for f in frame.entities.firms]
    asked = set(key_terms(frame.text)) - set(key_terms(" ".join(named)))
    # The dimension a list question asks for, hyphens as spaces ("end-user segments" for "By end user: ...").
    split_terms = set(matching_terms(frame.text.replace("-", " "))) - \
        set(matching_terms(" ".join(named).replace("-", " ")))
    # "Which bank ...?", "Who is the research author ...?": with no type of answer to look for, the sentence that
    # names the noun asked about holds what is asked.
    asked_noun = set(key_terms(frame.asked_noun)) if frame.asked_noun and frame.answer_type == "any" else set()
    for rank, hit in enumerate(hits):
        profile = profiles.get(hit.passage.doc)
        title = retriever.index.reports[hit.passage.doc].title
        headed = bool(asked & set(key_terms(hit.passage.heading))) and hit.passage.heading.strip() != title.strip()
        for j, scored in enumerate(retriever.sentence_scores(hit.row, query)):
            bonus = 0.03 * (len(hits) - rank) / len(hits)
            if not hit.passage.quotable(j):
                continue  # text aimed at a model is data, never an answer
            sentence = _sentence_text(retriever, hit, j)
            kind = hit.passage.kinds[j] if j < len(hit.passage.kinds) else "body"
            framing = is_furniture(sentence, title, kind)
            if framing and frame.answer_type != "firm":
                continue  # a headline, caption or dateline frames the page: it never answers on its own
            if framing:
                bonus -= FURNITURE_PENALTY  # "...to 2030: Greenfield Analytics" names the publisher
            if any(e.lower() in sentence.lower() for e in expansions):
                bonus += 0.3
            if listing and _ENUMERATION.search(sentence):
                bonus += ANSWER_TYPE_BONUS  # a list question is answered by a sentence that lists
            if _holds_answer_type(frame, sentence, profile.firm if profile else None, retriever.lowercase_words):
                bonus += ANSWER_TYPE_BONUS
                if frame.intent == "list_players":
                    # "Who are the players?": the sentence naming more of them is the fuller answer.
                    bonus += NAME_BONUS * min(MAX_NAMES_WEIGHED, _proper_names(
                        sentence, profile.firm if profile else None, retriever.lowercase_words))
                if frame.answer_type == "period" and profile and _states_period(sentence, profile.forecast_period):
                    bonus += ANSWER_TYPE_BONUS  # the period the report's own CAGRs are stated over
            if explains is not None:
                bonus += EXPLANATION_BONUS * explains(retriever.sentence_vector(hit.row, j))
            if headed:
                bonus += HEADING_BONUS
            bonus -= TERM_WEIGHT * _title_only_coverage(sentence, query)
            if listing and _splits_by_asked(sentence, split_terms):
                bonus += ASKED_NOUN_BONUS  # "By application, the market covers ..." for "What are the applications?"
            if typed and _states_one_of(sentence, typed):
                bonus += ANSWER_TYPE_BONUS
            if asked_noun and asked_noun <= set(key_terms(sentence)):
                bonus += ASKED_NOUN_BONUS
            # "About <firm>" and media-contact blocks speak of the publisher, not the market.
            describes_firm = kind == "boilerplate" or _describes_firm(sentence, profile)
            if describes_firm and frame.answer_type not in ("firm", "company"):
                bonus -= FURNITURE_PENALTY
            result.append(_Candidate(rank, hit, j, scored, scored.score + bonus))
    return sorted(result, key=lambda c: (-c.score, c.hit_rank, c.sentence))


def _splits_by_asked(sentence: str, asked_terms: set[str]) -> bool:
    """The sentence splits the market by what the question asks about: "By application, ...", "In terms of end
    use, ...", "By end user: ..." (how reports open a segmentation) beside a question that asks for applications
    or end uses (`asked_terms`: its terms beyond the names of markets and firms)."""
    opening = _SPLIT_BY.match(sentence)
    return bool(opening) and bool(set(matching_terms(opening.group(1).replace("-", " "))) & asked_terms)


def _title_only_coverage(sentence: str, query: Query) -> float:
    """The share of the question's term weight that a sentence has only inside a quoted report title: "the Voltmark
    report 'Solid-State Battery Market: Technology, Application and Regional Forecast'" names no application."""
    titles = _QUOTED_TITLE.findall(sentence)
    if not titles or not query.terms:
        return 0.0
    inside = set(matching_terms(" ".join(titles)))
    outside = set(matching_terms(_QUOTED_TITLE.sub(" ", sentence)))
    return sum(w for t, w in query.terms.items() if t in inside and t not in outside) / sum(query.terms.values())


def _states_one_of(sentence: str, figures: Sequence[tuple[str, float]]) -> bool:
    return any(q.kind == kind and amounts_equal(q.value, value, rel_tol=1e-6)
               for q in find_quantities(sentence) for kind, value in figures)


def _sentence_text(retriever: HybridRetriever, hit: Hit, j: int) -> str:
    return retriever.index.reports[hit.passage.doc].text[slice(*hit.passage.sentences[j])]


def _is_bullet(text: str) -> bool:
    return bool(re.match(r"^(?:-|\d{1,2}[.)])\s", text))


def _introduces_list(retriever: HybridRetriever, candidate: _Candidate) -> bool:
    """ "Key companies profiled are:" / "Several trends will shape the market." followed by bullets."""
    passage = candidate.hit.passage
    text = retriever.index.reports[passage.doc].text
    end = passage.sentences[candidate.sentence][1]
    following = text[end:].lstrip(" ")
    return following.startswith("\n") and _is_bullet(following.lstrip())


def _list_items(retriever: HybridRetriever, best: _Candidate, whole: bool,
                lists_asked: Callable[[str], bool] = lambda header: True) -> list[tuple[int, int]]:
    """A list header with its list (every bullet line of the run, across passages); a bullet chosen by itself
    brings its whole list only when the question asks for the members of a set (`whole`) and the list is of
    those members: its header holds what is asked (`lists_asked`). A list of growth forces is not a list of
    companies because its sixth item names four."""
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
    elif not whole:
        return [flat[at]]  # "What do manufacturers use it for?": the item that says so
    else:
        while first > 0 and on_bullet_line(flat[first - 1]):
            first -= 1
        if first > 0:
            first -= 1  # the sentence that introduces the list
            header = index.passages[flat[first][0]].sentences[flat[first][1]]
            if not lists_asked(text[slice(*header)]):
                return [flat[at]]
    last = at
    while last + 1 < len(flat) and on_bullet_line(flat[last + 1]) and last - first < MAX_LIST_ITEMS:
        last += 1
    return flat[first : last + 1]


def _states_figure(sentence: str) -> bool:
    if _VERBAL_AMOUNT.search(sentence):
        return True
    sentence = re.sub(r"^\s*(?:-|\d{1,2}[.)])\s+", "", sentence)  # "6. Investment and Competition": a list number
    return any(q.kind in ("money", "rate", "number", "duration") for q in find_quantities(sentence))


def _preceding(retriever: HybridRetriever, candidate: _Candidate) -> list[str]:
    """The sentences just before the chosen one in its report, even across a passage start."""
    passages = retriever.index.passages
    text = retriever.index.reports[candidate.hit.passage.doc].text
    row, j = candidate.hit.row, candidate.sentence
    found: list[str] = []
    while len(found) < CONTEXT_SENTENCES:
        if j == 0:
            if row == 0 or passages[row - 1].doc != passages[row].doc or not passages[row - 1].sentences:
                break
            row, j = row - 1, len(passages[row - 1].sentences)
        j -= 1
        if passages[row].quotable(j):  # text aimed at a model names nothing an answer could be about
            found.insert(0, text[slice(*passages[row].sentences[j])])
    return found


def _with_continuation(retriever: HybridRetriever, candidate: _Candidate) -> list[tuple[int, int]]:
    """The chosen sentence plus the next ones that lean on it ("They could deploy..."), even past a passage end;
    a sentence that itself leans on the one before ("This is the largest single driver.") brings that one first."""
    passages = retriever.index.passages
    text = retriever.index.reports[candidate.hit.passage.doc].text
    items = [(candidate.hit.row, candidate.sentence)]
    row, j = items[0]
    chosen = text[slice(*passages[row].sentences[j])]
    if _CONTINUATION.match(chosen) and not _is_bullet(chosen):
        if j > 0:
            items.insert(0, (row, j - 1))
        elif row > 0 and passages[row - 1].doc == passages[row].doc and passages[row - 1].sentences:
            items.insert(0, (row - 1, len(passages[row - 1].sentences) - 1))
    while len(items) < 3:
        row, j = items[-1]
        if j + 1 < len(passages[row].sentences):
            following = (row, j + 1)
        elif row + 1 < len(passages) and passages[row + 1].doc == passages[row].doc:
            following = (row + 1, 0)
        else:
            break
        sentence = text[slice(*passages[following[0]].sentences[following[1]])]
        if not passages[following[0]].quotable(following[1]) or not _CONTINUATION.match(sentence) \
                or _is_bullet(sentence):
            break
        items.append(following)
    return items


def _contrasted(frame: QuestionFrame, candidates: Sequence[_Candidate], retriever: HybridRetriever,
                acronyms: dict[str, str]) -> list[_Candidate]:
    """ "Who holds the larger share, Landis+Gyr or Aclara?": for each thing set against another, the best sentence
    that names it (stating a figure, when one is asked for). Empty unless the question compares two or more named
    things and each has such a sentence."""
    names = _named_things(frame, retriever)
    # "US versus Canada": regions set against each other, each named however its sentence writes it.
    regions = list(dict.fromkeys(r.region for r in frame.entities.regions))
    things = [(name, lambda text, name=name: _says(text, name, acronyms)) for name in names] + [
        (region, lambda text, region=region: region in regions_in(text)) for region in regions]
    if len(things) < 2 or not is_comparative(frame.text):
        return []
    picks: list[_Candidate] = []
    for _, names_it in things:
        pick = next((c for c in candidates[:40] if names_it(_sentence_text(retriever, c.hit, c.sentence))
                     and (not frame.asks_figure or _states_figure(_sentence_text(retriever, c.hit, c.sentence)))),
                    None)
        if pick is None:
            return []
        if pick not in picks:
            picks.append(pick)
    return picks


def _scoping_years(frame: QuestionFrame, profiles: list[Optional[ReportProfile]]) -> set[str]:
    """Years that only scope a question asking for no figure ("the largest segment (forecast to 2026)"): those
    inside the forecast period of a report that answers it."""
    if frame.answer_type in FIGURE_TYPES or frame.asks_figure:
        return set()
    return {str(y) for p in profiles if p is not None and p.forecast_period
            for y in range(p.forecast_period[0], p.forecast_period[1] + 1)}


def _names_regions(frame: QuestionFrame, text: str, title: str, per_name: bool) -> bool:
    """The sentence (or its report's title) names the regions asked about; with `per_name` ("US versus Canada"),
    one of them is enough: each has its own sentence."""
    named = [r.region in regions_in(text) | regions_in(title) for r in frame.entities.regions]
    return not named or (any(named) if per_name else all(named))


def _evidence_gaps(frame: QuestionFrame, chosen: list[_Candidate], retriever: HybridRetriever, query: Query,
                   acronyms: dict[str, str], per_name: bool = False,
                   profiles: Optional[dict[str, ReportProfile]] = None) -> list[str]:
    """What the question asks for that the chosen sentences do not say. With `per_name`, each compared name
    needs only its own sentence."""
    texts = [_sentence_text(retriever, c.hit, c.sentence) for c in chosen]
    said = " ".join(texts)
    # "In 2019 the FDA proposed a rule. The proposal ... zinc oxide and titanium dioxide.": what a sentence is
    # about may be named just before it, in its own passage.
    context = " ".join([text for c in chosen for text in _preceding(retriever, c)] + texts)
    gaps = []
    names = _named_things(frame, retriever)
    for name in names:
        # A first name is said by the surname that follows it in the question ("Lucy King": "King said ...").
        surname = re.search(rf"\b{re.escape(name)}\s+([A-Z][a-z'’-]+)\b", frame.text)
        if not _says(context, name, acronyms) and not (surname and surname.group(1) in names
                                                        and _says(context, surname.group(1), acronyms)):
            gaps.append(f"nothing about {name} in the passages that match")
    # A year that only scopes a question asking for no figure ("the largest segment (forecast to 2026)") is met by
    # a report whose forecast period holds it, or by the sentences around the answer.
    scoped = _scoping_years(frame, [(profiles or {}).get(c.hit.passage.doc) for c in chosen])
    asks_figure = frame.answer_type in FIGURE_TYPES or frame.asks_figure
    period = frame.quantities.period or ()
    for year in re.findall(r"\b(?:19|20)\d\d\b", frame.text) if frame.answer_type != "firm" else []:
        # A period's ends ("grow faster over 2025-2030") may be written once, before the sentences that compare.
        if year not in (said if asks_figure and int(year) not in period else context) and year not in scoped:
            gaps.append(f"no figure for {year}")
    if frame.answer_type != "region":
        # "premiums in India": a sentence about the market as a whole does not answer for one region, unless the
        # whole report is about that region (its title says so).
        stated = regions_in(said)
        for c in chosen:
            stated |= regions_in(retriever.index.reports[c.hit.passage.doc].title)
            # ... or the market it is about is that region's ("the North America wound care market").
            stated |= set().union(*[regions_in(m.market) for m in frame.entities.markets
                                    if c.hit.passage.doc in m.docs])
        for region in frame.entities.regions:
            if region.region not in stated:
                gaps.append(f"nothing about {region.text} in the passages that match")
    # A question about one market is not answered from a report about another.
    # ("sub-orbital trips in space tourism": a segment one report names, in a market another covers, is asked about
    # in that market).
    if frame.entities.markets:
        asked = frame.entities.markets[0]
        if not any(c.hit.passage.doc in m.docs for c in chosen for m in frame.entities.markets):
            gaps.append(f"the passages that match are not about the {asked.market} market")
    if frame.answer_type == "leader" and not _holds_answer_type(frame, texts[0], None, retriever.lowercase_words):
        gaps.append("no sentence says which one leads")
    if asks_for_a_person(frame.text) and not any(_names_a_person(text, _firm_of(c, profiles or {}))
                                                  for c, text in zip(chosen, texts)):
        gaps.append("no sentence names the person asked about")  # "a Senior Analyst at X said ..." names no one
    if frame.intent == "company_fact":
        # What a report says about a company is there only when a sentence names it and says the asked thing:
        # "OpenAI's market share" is not answered by a sentence that names OpenAI without a share, nor "how many
        # employees" by a sentence with other numbers.
        # A company the reports' titles name ("…, Featuring Sonova Holding") is no name to look for in general,
        # but it is the one this question asks about.
        companies = list(dict.fromkeys(list(names) + list(frame.companies)))
        asked = _asked_terms(frame, companies)
        about = [text for text in texts if (per_name and any(_says(text, n, acronyms) for n in companies)
                                            or all(_says(text, n, acronyms) for n in companies))
                 and len(asked & set(key_terms(text))) >= len(asked) / 2
                 and (not frame.asks_figure or _states_figure(text))]
        if not about:
            gaps.append("no sentence says that about it")
    elif frame.answer_type in FIGURE_TYPES or frame.asks_figure:
        # A figure asked for must be stated, by a sentence that is about what the question names.
        # The names may be in the sentence just before ("Umicore teamed up with Audi. ... the partners found that
        # 90% ... can be recovered").
        # "How many health checks ...?" is answered by "two health checks": a count in words, for no money or rate.
        in_words = frame.answer_type not in ("money", "percent")
        stating = [c for c, text in zip(chosen, texts)
                   if (_states_figure(text) or in_words and _COUNT_IN_WORDS.search(text))
                   and (per_name or all(_says(" ".join(_preceding(retriever, c) + [text]), n, acronyms)
                                        for n in names))
                   and _names_regions(frame, text, retriever.index.reports[c.hit.passage.doc].title, per_name)]
        # A figure question answers with a sentence that shares its terms; a question that only asks "how much"
        # in passing ("Which segment grows fastest?") needs a stated figure, not the same words.
        needed = MIN_FIGURE_COVERAGE if frame.answer_type in ("money", "percent", "quantity") else 0.0
        # Things set against each other ("US versus Canada") are covered by their sentences together.
        joint = retriever.joint_coverage(query, [(c.hit.row, c.sentence) for c in stating]) if per_name else 0.0
        if not any(c.scored.coverage >= needed for c in stating) and not (stating and joint >= needed):
            gaps.append("no sentence states that figure")
    return gaps


def compose(frame: QuestionFrame, hits: Sequence[Hit], retriever: HybridRetriever, query: Query,
            profiles: dict[str, ReportProfile], citations_wanted: int = 3) -> Composition:
    reasons = [f"the reports do not mention {m}" for m in missing_subject(frame, retriever, profiles)]
    if frame.entities.outside_firms and not frame.entities.markets:
        reasons.append(frame.entities.outside_firms_reason())
    candidates = _candidates(frame, hits, retriever, query, profiles)
    stating: list[_Candidate] = []
    if frame.answer_type == "firm" and candidates:
        # Who published it: the sentence that names the report's firm, whatever else matches better. "Who
        # forecasts US$1.544 billion by 2026?": the report that states the figure, and the sentence that does.
        typed = [(q.kind, q.value) for q in frame.quantities.amounts + frame.quantities.rates]
        stating = [c for c in candidates if typed and _states_one_of(_sentence_text(retriever, c.hit, c.sentence), typed)]
        naming = [c for c in candidates if _names_its_firm(c, retriever, profiles)
                  and (not stating or c.hit.passage.doc == stating[0].hit.passage.doc)]
        if not naming:
            reasons.append("the reports that match do not name their publisher")
            return Composition("", further_reading(hits, retriever, query, citations_wanted), True, reasons)
        candidates = naming
    if frame.answer_type in ("leader", "region", "organizations") and candidates:
        # "Which source grows fastest?", "Which vendors lead?": only a sentence that holds what is asked (says which
        # one leads, names a region, names companies) answers, when one comes close.
        leading = [c for c in candidates if _holds_answer_type(frame, _sentence_text(retriever, c.hit, c.sentence),
                                                               _firm_of(c, profiles), retriever.lowercase_words)]
        if leading and leading[0].score >= candidates[0].score - LEADER_MARGIN:
            candidates = leading + [c for c in candidates if c not in leading]
    if not candidates:
        reasons.append("no passage could be used")
    elif (max(c.scored.cosine for c in candidates) < MIN_SENTENCE_SIMILARITY
          and max(c.scored.coverage for c in candidates) < MIN_FIGURE_COVERAGE):
        # Short questions ("Who are the key players?") match little in meaning but fully in key terms.
        # No score in the text: an answer states no figure that no quote or calculation backs.
        reasons.append("no sentence matches the question closely")
    elif candidates[0].scored.coverage < MIN_TERM_COVERAGE and candidates[0].scored.cosine < CLOSE_MEANING and not (
            (frame.entities.markets or frame.entities.firms) and _answers_by_type(frame, _sentence_text(
                retriever, candidates[0].hit, candidates[0].sentence), retriever.lowercase_words)):
        # A short question about a report it names ("Coherent tractors report: forecast period?") shares few words
        # with the sentence that answers, once the report's own words are set aside; holding the type asked for
        # (a period, a region, a list of companies for "Which companies lead?") is then the evidence.
        reasons.append("no sentence shares the question's key terms")
    elif frame.intent == "other" and candidates[0].scored.cosine < CLOSE_MEANING:
        reasons.append("the question is not about the reports")
    if reasons:
        return Composition("", further_reading(hits, retriever, query, citations_wanted), True, reasons)

    best = candidates[0]
    chosen = [best]
    if not wants_list(frame):
        best_text = _sentence_text(retriever, best.hit, best.sentence)
        for candidate in candidates[1:8]:
            if candidate.score < best.score - EXTRA_SENTENCE_MARGIN or len(chosen) >= MAX_ANSWER_SENTENCES:
                break
            if set(key_terms(_sentence_text(retriever, candidate.hit, candidate.sentence))) == set(
                    key_terms(best_text)):
                continue  # the same sentence stated again in another report adds nothing
            chosen.append(candidate)
    if stating and stating[0] not in chosen:
        chosen = chosen[:MAX_ANSWER_SENTENCES - 1] + stating[:1]
    acronyms = {a: e for p in profiles.values() for a, e in p.acronyms.items()}
    contrasted = _contrasted(frame, candidates, retriever, acronyms)
    if contrasted:
        chosen = contrasted
    gaps = _evidence_gaps(frame, chosen, retriever, query, acronyms, per_name=bool(contrasted), profiles=profiles)
    if gaps:
        return Composition("", further_reading(hits, retriever, query, citations_wanted), True, list(dict.fromkeys(gaps)))

    # Sentences grouped by passage, best passage first; a list question gets its whole list.
    groups: dict[int, list[int]] = {}
    if wants_list(frame) or (prefers_enumeration(frame) and _introduces_list(retriever, best)):
        # A list header brings its list; a bullet brings its list when the question asks for a set's members.
        for row, j in _list_items(retriever, best, frame.intent in ("list_players", "list_segments"),
                                  lambda header: _holds_answer_type(frame, header, _firm_of(best, profiles),
                                                                    retriever.lowercase_words)):
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
        answering = set(_answering_sentences(retriever, passage))
        sentences = sorted(j for j in set(sentences) if passage.quotable(j)
                           and (j in answering or frame.answer_type in ("firm", "company")))
        # One citation per run of adjacent sentences: a quote is one span of the text, and a caption, headline or
        # flagged sentence left out between two answering sentences must not ride along inside it.
        for run in _runs(sentences):
            citation = _citation(len(citations) + 1, retriever, row, run, query)
            citations.append(citation)
            said = " ".join(text[slice(*passage.sentences[j])] for j in run)
            parts.append(f"{said} [{citation.n}]")
    for hit in hits:
        if len(citations) >= citations_wanted:
            break
        if hit.row not in groups and says_something_asked(retriever, hit, query):
            citations.append(best_sentence_citation(len(citations) + 1, retriever, hit, query))
    value, unit, value_range = None, None, None
    own = citations[:len(parts)]  # the answer's own sentences, in order, not the further reading
    if frame.quantities.years:
        own.sort(key=lambda c: str(frame.quantities.years[-1]) not in c.quote)  # the one with the asked year first
    for citation in own:
        value, unit, value_range = headline_figure(frame, citation.quote)
        if value is not None or value_range is not None:
            break
    return Composition(" ".join(parts), citations, False, [], value, unit, value_range)


def headline_figure(frame: QuestionFrame, quote: str) -> tuple[Optional[float], Optional[str], Optional[dict]]:
    """The figure of the kind asked for that the answering sentence states: the one next to the asked year, else
    the only one, as (value, unit, None); a stated range as (None, None, {"low", "high", "unit"}). All None when
    the sentence states several and nothing tells them apart."""
    kinds = {"money": ("money",), "percent": ("rate",), "quantity": ("number",)}.get(frame.answer_type)
    if kinds is None and frame.asks_figure and frame.task in ("lookup", "other"):
        kinds = ("money", "rate")  # "How much did X raise?": a figure asked of a fact that is not a market's
    elif frame.task != "lookup":
        kinds = None
    if kinds is None:
        return None, None, None
    quantities = find_quantities(quote)
    figures = [q for q in quantities if q.kind in kinds and q.value > 0]
    if not figures and "money" in kinds and not mentions_currency(frame.text) and not MONEY_NOUN.search(frame.text):
        # "How much CO2 would be captured by 2030?" asks no money: "279 million tons" answers it.
        masses = [(q, mass) for q in quantities if (mass := measured_mass(quote, q)) is not None]
        if len(masses) == 1:
            return masses[0][1][0], masses[0][1][1], None
    if frame.answer_type == "quantity":
        figures = [q for q in figures if any(c.isalpha() for c in q.text)]  # "9 million", not a bare count
    years = [q for q in quantities if q.kind == "year"]
    asked = frame.quantities.years
    if asked and len(figures) > 1:
        # The figure the asked year follows ("USD 9 billion in 2030"), else the one it introduces ("2024: 47.23%").
        # Only when no other figure comes between: "from 986 million this year to 3.5 billion in 2027".
        near = [f for f in figures if any(int(y.value) == asked[-1] and 0 <= y.start - f.end <= 40
                                          and not any(f.end <= o.start < y.start for o in figures) for y in years)]
        near = near or [f for f in figures if any(int(y.value) == asked[-1] and 0 <= f.start - y.end <= 40
                                                  for y in years)]
        figures = near or figures
    if len(figures) > 1:
        # "Share of network endpoints: 64%": the figure whose own words (the few before it) are the question's.
        asked_terms = set(key_terms(frame.text))

        def echoed(f) -> int:
            # Its own words: back to the previous figure or cell break (";"), at most 40 characters.
            start = max([0, f.start - 40] + [q.end for q in quantities if q.end <= f.start]
                        + [quote.rfind(";", 0, f.start) + 1])
            return len(asked_terms & set(key_terms(quote[start:f.start])))

        best = max(echoed(f) for f in figures)
        leading = [f for f in figures if echoed(f) == best]
        figures = leading if best > 0 else figures
    if len(figures) != 1:
        return None, None, None
    figure = figures[0]
    unit = figure.unit if figure.kind != "number" else "units"  # a count: "3.5 billion (smartphones)"
    whole = (lambda v: float(round(v))) if figure.kind == "money" else (lambda v: v)
    if figure.high is not None:  # a range has no one headline value: both ends, as the answer's text states them
        return None, None, {"low": whole(figure.value), "high": whole(figure.high), "unit": unit}
    return whole(figure.value), unit, None


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """Sorted indices cut where they skip: [2, 3, 5] -> [[2, 3], [5]]."""
    runs: list[list[int]] = []
    for j in indices:
        if runs and j == runs[-1][-1] + 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    return runs


def _citation(n: int, retriever: HybridRetriever, row: int, sentences: list[int], query: Query) -> Citation:
    """Cite sentences of one passage; the score is the question's cosine similarity to the whole passage."""
    passage = retriever.index.passages[row]
    start = passage.sentences[sentences[0]][0]
    end = passage.sentences[sentences[-1]][1]
    similarity = float(retriever.index.passage_vectors[row] @ query.vector)
    return Citation(n=n, doc=passage.doc, title=passage.title, passage=passage.id, text=passage.text,
                    quote=retriever.index.reports[passage.doc].text[start:end], start=start, end=end,
                    score=round(similarity, 4))


def _answering_sentences(retriever: HybridRetriever, passage: Passage) -> list[int]:
    """The passage's sentences that say something of the market: not page furniture, not the publisher's blurb,
    never text aimed at a model."""
    text = retriever.index.reports[passage.doc].text
    title = retriever.index.reports[passage.doc].title
    kinds = passage.kinds or ("body",) * len(passage.sentences)
    return [j for j, kind in enumerate(kinds) if kind != "boilerplate" and passage.quotable(j)
            and not is_furniture(text[slice(*passage.sentences[j])], title, kind)]


def best_sentence_citation(n: int, retriever: HybridRetriever, hit: Hit, query: Query) -> Citation:
    """The passage's sentence closest to the question; furniture and blurbs only when the passage has nothing else,
    text aimed at a model never (callers pass passages with a quotable sentence)."""
    scores = retriever.sentence_scores(hit.row, query)
    usable = [j for j in _answering_sentences(retriever, hit.passage) if j < len(scores)] \
        or [j for j in range(len(scores)) if hit.passage.quotable(j)]
    best = max(usable, key=lambda j: scores[j].score) if usable else 0
    return _citation(n, retriever, hit.row, [best], query)


def says_something_asked(retriever: HybridRetriever, hit: Hit, query: Query) -> bool:
    """A passage worth citing next to an answer: a sentence of its own (not a page frame, not the blurb) that has
    one of the question's words besides the report's market name, when the question has such words. A passage
    that only names the market ("The X market is segmented by ...") tells the reader nothing about what was
    asked."""
    usable = _answering_sentences(retriever, hit.passage)
    scores = retriever.sentence_scores(hit.row, query)
    if not usable or not scores:
        return bool(usable)
    if not retriever.focus(query.text, hit.passage.doc):
        return True  # the question is only the market's name: every sentence of it is on topic
    return any(scores[j].coverage > 0 for j in usable if j < len(scores))


def further_reading(hits: Sequence[Hit], retriever: HybridRetriever, query: Query, wanted: int, *,
                    on_topic: bool = False) -> list[Citation]:
    """The best sentence of each of the first passages that say something of the market, numbered from 1: a
    passage that is only a page's headline, caption or the publisher's blurb is not evidence of anything.
    `on_topic`: only passages with a sentence that has a word of the question besides the market's name (for
    the reading shown next to an answer; a refusal's closest material is the nearest there is)."""
    readable = [hit for hit in hits if (says_something_asked(retriever, hit, query) if on_topic
                                        else _answering_sentences(retriever, hit.passage))][:wanted]
    return [best_sentence_citation(n, retriever, hit, query) for n, hit in enumerate(readable, start=1)]


def refusal_text(reasons: Sequence[str]) -> str:
    return (
        "The indexed reports don't answer this question"
        + (f": {'; '.join(reasons)}." if reasons else ".")
        + " The closest material is listed below; it is not an answer."
    )
