"""The question parser: one reading of a question, as a typed frame every later stage reads.

parse -> link -> plan -> execute -> compose -> guard. This module is the parse: the typed quantities (money,
rates, years, periods, durations) come from `quantities`, the entities from `linking`, and what is asked (the
intent: look up a size, compute an implied CAGR, list the key players, explain the restraints...) from the
nearest neighbours of the question among a few hundred labelled example questions
(`data/intent_examples.jsonl`), embedded with the model already loaded for retrieval. Names and numbers are
masked on both sides first ("{market}", "AMOUNT", "YEAR"), so what is compared is how the question asks, not
what it asks about. The examples are kept apart from every gold set (tests/test_frame.py checks it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from .asking import (ORGANISATION_NOUNS, asked_entity, asked_noun, asks_about_no_figure, asks_for_one, is_about_speed,
                     is_comparative, is_superlative)
from .linking import LinkedEntities
from .firms import FIRM_GENERIC
from .quantities import Quantity, find_quantities, question_problems

EXAMPLES = Path(__file__).resolve().parent / "data"  # intent_examples*.jsonl
# Chosen on the numeric unit-test questions (tests/test_numeric.py), a dev set: k 5-11, temperature 0.03-0.2 and
# lexical weight 0.3-0.7 all route 48-52 of its 56 questions right; the lexical weight matters most.
NEIGHBOURS = 7
LEXICAL_WEIGHT = 0.3  # the share of TF-IDF similarity beside the dense one
VOTE_TEMPERATURE = 0.1  # an example 0.1 less similar than the nearest counts e^-1 as much
CLAUSE_MARGIN = 0.03  # a clause overrides a figure reading only when clearly nearer another kind of question
CLAUSE_LEXICAL_WEIGHT = 0.6  # an asking clause is a few words: which words it uses decides more
UNSURE_VOTE = 0.35  # below this share of the vote, the asking clause decides what a question asks

# The task of each intent, and the type of answer a sentence must contain to answer it.
INTENTS: dict[str, tuple[str, str]] = {
    "lookup_size": ("lookup", "money"),
    "lookup_cagr": ("lookup", "percent"),
    "lookup_share": ("lookup", "percent"),
    "lookup_volume": ("lookup", "quantity"),
    "compute_cagr": ("compute", "percent"),
    "compute_value": ("compute", "money"),
    "compute_base": ("compute", "money"),
    "compute_target_year": ("compute", "years"),
    "compute_multiple_time": ("compute", "years"),
    "compute_difference": ("compute", "money"),
    "compute_factor": ("compute", "multiple"),
    "compare_growth": ("compare", "percent"),
    "compare_size": ("compare", "money"),
    "compare_arithmetic": ("compare", "number"),
    "check_sources": ("check", "number"),
    "check_consistency": ("check", "percent"),
    "list_players": ("list", "organizations"),
    "list_segments": ("list", "segments"),
    "list_applications": ("list", "segments"),
    "lookup_region": ("lookup", "region"),
    "lookup_leader": ("lookup", "leader"),  # the one segment or company that leads, is largest or grows fastest
    "explain_drivers": ("explain", "drivers"),
    "explain_restraints": ("explain", "restraints"),
    "explain_trends": ("explain", "trends"),
    "lookup_publisher": ("lookup", "firm"),
    "lookup_period": ("lookup", "period"),
    "define": ("explain", "definition"),
    "lookup_fact": ("lookup", "any"),  # any other fact a sentence states: a method, an example, a title, a reason
    "company_fact": ("other", "company"),
    "other": ("other", "any"),
}
# What a numeric question asks for, by intent: the executor follows from this and from what the question gives.
ASKED = {
    "lookup_size": "money", "compute_value": "money", "compute_base": "money", "compare_size": "money",
    "lookup_cagr": "rate", "compute_cagr": "rate", "compare_growth": "rate",
    "compute_target_year": "years", "compute_multiple_time": "years",
    "compute_factor": "multiple", "compute_difference": "difference",
    "lookup_share": "share", "lookup_volume": "volume",
}
# The clause that holds the question word says what is asked ("..., how big will it be in 2030?").
_QUESTION_WORD = re.compile(r"\b(what|which|how|when|by what|by how)\b", re.IGNORECASE)
# The asking clause names a growth rate ("what's the CAGR ...", "what annual growth rate ...").
_RATE_NOUN = re.compile(r"\b(cagr|growth rates?|rates? of growth|annual growth)\b", re.IGNORECASE)
_BY_HOW = re.compile(r"by\s+how\s+(?:many|much)\b", re.IGNORECASE)  # "by how much" asks for a change
# The asking clause names a multiple: "by what factor", "how many times", "what multiple", "ratio", "n-fold".
_NAMES_MULTIPLE = re.compile(r"\bby\s+what\s+(?:factor|multiple)\b|\bhow\s+many\s+times\b"
                             r"|\b(?:what|growth|a|the)\s+multiple\b|\bratio\b|\w-?fold\b", re.IGNORECASE)
# The asking clause names a gap: "how far apart", "the difference", "the gap between".
_NAMES_DIFFERENCE = re.compile(r"\bhow\s+far\s+apart\b|\bthe\s+(?:difference|gap)\b", re.IGNORECASE)
# "How many ...", "How much ..." ask for a number, whatever they count.
_HOW_MANY = re.compile(r"how\s+(?:many|much)\b", re.IGNORECASE)
# "Who ..." asks for a firm, a company or a person, never for a figure.
_WHO = re.compile(r"^\W*who\b", re.IGNORECASE)
# "When ...?" asks for a time; "How did ...?", "How is ...?" for a manner: neither is a figure looked up.
_WHEN = re.compile(r"when\b", re.IGNORECASE)
_HOW_MANNER = re.compile(r"how\s+(?:did|does|do|is|are|was|were|has|have|had|will|would|could|can|should|might)\b",
                         re.IGNORECASE)
# "Which forecast ...?", "Who expects ...?": one of the things named is asked for.
_PICKS_ONE = re.compile(r"^\W*(?:which|who)\b", re.IGNORECASE)
# "Why ..." asks for a reason, never for a figure, even when it compares ("Why will X outgrow Y?").
_WHY = re.compile(r"^\W*why\b", re.IGNORECASE)
# Grammar, not vocabulary: the tense says whether a size without a year means the forecast or the base.
_FUTURE = re.compile(r"\b(will|would|going to|by \d{4}|forecast\w*|project\w*|expected|predicted|future|reach\w*)\b",
                     re.IGNORECASE)
# A year in front of a noun, as its modifier ("the 2030 projection", "2023 LCAP forecast"), not "in 2030" or a range.
_YEAR_AS_MODIFIER = re.compile(r"\b(?:19|20)\d\d\s+(?!(?:and|to|through|or|until|till|from|in|on|for|by|vs|versus)\b)"
                               r"[A-Za-z]", re.IGNORECASE)
# A percent sign that follows no number ("% growth in 2016?"), or "in percent": a percentage is asked for.
_ASKS_PERCENT = re.compile(r"(?:^|[^\d\s.])\s*%|\bin\s+per\s?cent\b", re.IGNORECASE)
# What a period question asks for, by name: "which year", "the forecast period", "the horizon", "when".
_NAMES_YEARS = re.compile(r"\b(?:when|years?|period|horizon|time\s?frame|window|span)\b", re.IGNORECASE)
# "in billions", "How many billions of dollars ...": the scale the answer is wanted in.
_ASKED_SCALE = re.compile(r"\b(?:in|how\s+many)\s+(?:US\$?\s*|USD\s+)?(thousands|millions|billions|trillions)\b",
                          re.IGNORECASE)
_SCALES = {"thousands": (1e3, "thousand"), "millions": (1e6, "million"), "billions": (1e9, "billion"),
           "trillions": (1e12, "trillion")}
_FOLD_WORDS = {"two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0,
               "nine": 9.0, "ten": 10.0, "twelve": 12.0, "fifteen": 15.0, "twenty": 20.0, "hundred": 100.0}
_MULTIPLE = re.compile(r"\b(doubl|tripl|quadrupl)(?:e|es|ed|ing)\b|\b(\d+(?:\.\d+)?)\s?(?:x|-fold|fold)\b|\btwice\b"
                       rf"|\b({'|'.join(_FOLD_WORDS)})[\s-]?fold\b", re.IGNORECASE)
_MULTIPLES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}
# The preposition before an amount says its role: "grows to $100 billion" ends there, "from $3bn" starts there.
_END_OF_GROWTH = re.compile(r"\b(?:to|reach(?:es|ed)?|hits?|pass(?:es)?|become|becomes)\s+(?:about\s+|around\s+)?$",
                            re.IGNORECASE)


@dataclass
class Quantities:
    """The numbers a question writes, typed."""

    amounts: list[Quantity]  # money, or numbers (scaled or plain) that are not years
    amount_years: list[Optional[int]]  # the year written next to each amount ("$5 billion in 2024")
    rates: list[Quantity]
    durations: list[Quantity]
    years: list[int]  # every year written, in order (period ends included)
    period: Optional[tuple[int, int]]
    multiplier: Optional[float]  # "double", "triple", "3x"
    ends: list[bool]  # per amount: written as where growth ends ("to $100 billion", "reaches $5bn")
    scale: Optional[tuple[float, str]]  # "in billions": (1e9, "billion")
    # Why some figure cannot be read one way ("10^308", "-$5 billion", "in 9999", money beside a bare "9"): the
    # numeric route refuses rather than compute on a guess.
    problems: list[str] = field(default_factory=list)


@dataclass
class QuestionFrame:
    text: str
    intent: str
    task: str  # lookup, compute, compare, list, explain, check, other
    answer_type: str  # money, percent, organizations, region, drivers, ... (see INTENTS)
    entities: LinkedEntities
    quantities: Quantities
    future: bool  # the question asks about a forecast, not a stated past figure
    asked: Optional[str] = None  # for numeric questions: money, rate, years, multiple or difference
    asks_figure: bool = False  # the asking clause wants a number ("How much does the report cost?")
    asked_entity: Optional[str] = None  # "Which vendor leads?": a region, organizations or a segment
    asked_noun: Optional[str] = None  # the noun it asks about: "vendor"
    clause_intent: Optional[str] = None  # the nearest intent of the asking clause alone
    scores: dict[str, float] = field(default_factory=dict)  # vote per intent
    companies: tuple[str, ...] = ()  # capitalized names that are no market, firm or region: "Sonova" in "Sonova's share"
    chooser: Optional[Callable[[Sequence[str]], str]] = field(default=None, repr=False)

    def choose(self, *intents: str) -> str:
        """Of some intents, the one whose examples the question is nearest to ("how many times bigger" leans to
        a factor, not a difference), whatever the overall vote."""
        if self.chooser is None:
            return max(intents, key=lambda i: (self.scores.get(i, 0.0), -intents.index(i)))
        return self.chooser(intents)

    @property
    def is_computation(self) -> bool:
        return self.task == "compute" or self.intent in ("compare_arithmetic", "check_consistency")

    def without_firms(self) -> str:
        """The question without the research firms it names: once retrieval keeps to a firm's reports, its name
        says nothing about which sentence lists the players or the drivers, and a lead sentence that repeats it
        must not win for that. (The words around it stay: "in X's robotics study" names the market too.)"""
        firms = [f.firm for f in self.entities.firms] + [w for f in self.entities.firms for w in f.firm.split()
                                                          if w.lower() not in FIRM_GENERIC] + \
            [f.named_as for f in self.entities.firms if f.named_as]  # "BMI" for Business Market Insights
        if not firms:
            return self.text
        spans = [span for span in _name_spans(self.text, None, (), firms) if span[2] == "{firm}"]
        text = " ".join(re.sub(r"\{firm\}(?:'s|’s)?", " ", _masked(self.text, spans)).split()).strip(" ,:")
        return text if len(re.findall(r"[A-Za-z]{3,}", text)) >= 3 else self.text


def _attached_year(amount: Quantity, quantities: Sequence[Quantity]) -> Optional[int]:
    """ "US$ 8,934 million in 2024", "its 2024 size of US$ 8,934 million": the year that goes with an amount."""
    years = [q for q in quantities if q.kind == "year"]
    after = [q for q in years if 0 <= q.start - amount.end <= 12]
    if after:
        return int(after[0].value)
    before = [q for q in years if 0 <= amount.start - q.end <= 20]
    return int(before[-1].value) if before else None


def _typed_amounts(quantities: Sequence[Quantity], multiple: Optional[re.Match[str]]) -> tuple[list[Quantity], list[str]]:
    """The amounts a question types, and why any of them cannot be used as written. Every number that is no
    year, rate, duration or multiplier ("3-fold") is an amount, zero and negatives included, so none silently
    drops out and leaves a report's figure to stand in for it. Beside money in one currency, a number with a scale
    word ("to 19,700 million") is in that currency too; a bare number ("to 9") is refused: it could be anything."""
    money = [q for q in quantities if q.kind == "money"]
    numbers = [q for q in quantities if q.kind == "number"
               and not (multiple and multiple.start() <= q.start < multiple.end())]
    problems = [f"{q.text.strip()!r} is a negative amount, and growth and multiples are defined only for positive "
                "amounts" for q in money + numbers if q.value < 0]
    if not money:
        return numbers, problems
    currencies = {q.unit for q in money}
    carried = []
    for number in numbers:
        scaled = re.search(r"[A-Za-z]", number.text) is not None
        if scaled and len(currencies) == 1:
            carried.append(Quantity("money", number.value, next(iter(currencies)), number.start, number.end,
                                    number.text, None, number.high))
        else:
            carried.append(number)
            problems.append(f"the question mixes money ({money[0].text.strip()}) with a figure without a currency "
                            f"({number.text.strip()}); write the currency of {number.text.strip()}")
    return sorted(money + carried, key=lambda q: q.start), problems


def read_quantities(question: str) -> Quantities:
    quantities = find_quantities(question)
    multiple = _MULTIPLE.search(question)
    amounts, problems = _typed_amounts(quantities, multiple)
    years: list[int] = []
    period = None
    for q in quantities:
        if q.kind == "year":
            years.append(int(q.value))
        elif q.kind == "period" and q.period:
            years.extend(q.period)
            period = period or q.period
    multiplier = None
    if multiple:
        multiplier = _MULTIPLES[multiple.group(1).lower()] if multiple.group(1) else \
            float(multiple.group(2)) if multiple.group(2) else \
            _FOLD_WORDS[multiple.group(3).lower()] if multiple.group(3) else 2.0  # "twice"
    scale = _ASKED_SCALE.search(question)
    ends = [bool(_END_OF_GROWTH.search(question[max(0, a.start - 16): a.start])) for a in amounts]
    return Quantities(
        amounts=amounts,
        amount_years=[_attached_year(a, quantities) for a in amounts],
        rates=[q for q in quantities if q.kind == "rate"],
        durations=[q for q in quantities if q.kind == "duration"],
        years=years,
        period=period,
        multiplier=multiplier,
        ends=ends,
        scale=_SCALES[scale.group(1).lower()] if scale else None,
        problems=question_problems(question) + problems,
    )


# In braces, so a placeholder is never read as the word ("{year}" is a year written, "year" a word).
_PLACEHOLDER = {"money": "{amount}", "number": "{number}", "rate": "{rate}", "year": "{year}", "period": "{period}",
                "duration": "{duration}"}


_CAPITALIZED = re.compile(r"(?<=[^.?!:\s]\s)[A-Z][\w&.+-]*(?:\s+[A-Z][\w&.+-]*)*(?:'s|’s)?")


def _name_spans(question: str, entities: Optional[LinkedEntities] = None, markets: Sequence[str] = (),
                firms: Sequence[str] = ()) -> list[tuple[int, int, str]]:
    """Where the question's numbers and names are, each with its placeholder; the longer name wins an overlap.
    Capitalized names that are neither a market nor a firm are companies ("What is OpenAI's share?")."""
    spans: list[tuple[int, int, str]] = []
    for q in find_quantities(question):
        if q.kind in _PLACEHOLDER:
            spans.append((q.start, q.end, _PLACEHOLDER[q.kind]))
    if entities is not None:
        for region in entities.regions:
            spans.append((region.start, region.end, "{region}"))
    lowered = question.lower()
    for names, placeholder in ((firms, "{firm}"), (markets, "{market}")):
        for name in sorted(names, key=len, reverse=True):
            for match in re.finditer(re.escape(name.lower()), lowered):
                spans.append((match.start(), match.end(), placeholder))
    if entities is not None:
        for match in _CAPITALIZED.finditer(question):
            # "Li-ion" in "Li-ion recycling revenue" is a market's word, clipped: no company.
            if not any(s <= match.start() < e for s, e, _ in spans) and not match.group(0).isupper() \
                    and not entities.is_market_word(re.sub(r"['’]s$", "", match.group(0))):
                possessive = "'s" if match.group(0).endswith(("'s", "’s")) else ""
                spans.append((match.start(), match.end(), "{company}" + possessive))
    kept, last = [], 0
    for start, end, placeholder in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start >= last:
            kept.append((start, end, placeholder))
            last = end
    return kept


def _masked(question: str, spans: Sequence[tuple[int, int, str]]) -> str:
    text, last = [], 0
    for start, end, placeholder in spans:
        text.append(question[last:start] + placeholder)
        last = end
    text.append(question[last:])
    return "".join(text)


def mask(question: str, entities: Optional[LinkedEntities] = None, markets: Sequence[str] = (),
         firms: Sequence[str] = ()) -> str:
    """The question with its numbers and names replaced by placeholders: what is left is how it asks."""
    return _masked(question, _name_spans(question, entities, markets, firms))


def main_clause(question: str) -> str:
    """The question word and the words after it, in the clause that asks: "If it grows 8% a year from $3bn,
    how big will it be in 2030?" -> "how big will it be in"; the question's start when it has no question
    word ("Express the 2031 forecast in billions")."""
    clauses = [c.strip() for c in re.split(r"[,;:]|\.\s+|\bif\b", question) if c.strip()]
    asking = [c for c in clauses if _QUESTION_WORD.search(c)]
    if not asking:
        return " ".join(question.split()[:6])
    clause = asking[-1]
    return " ".join(clause[_QUESTION_WORD.search(clause).start():].split()[:8])


# Where a question says to look is not what it asks: "according to {firm}", "in {firm}'s report", "per the {firm}
# release", or a terse "{firm} {market}:" in front. Grammar around the firm placeholder, not question wording.
_SOURCE_PHRASE = re.compile(
    r",?\s*\(?\b(?:according to|per|in|from)\s+(?:the\s+)?\{firm\}(?:'s|’s)?"
    r"(?:\s+(?!(?:and|or|but|than|versus|vs|compared|with|to|for|of|on|at|by|from|in|is|are|was|were|does|do|did|will|"
    r"would|has|have)\b)[\w{}'’-]+){0,3}\)?", re.IGNORECASE)
_SOURCE_HEADER = re.compile(r"^\s*(?:\{(?:firm|market|region)\}(?:'s|’s)?\s*)+:\s*")


def asking_part(masked: str) -> str:
    """The masked question without the phrases that only name its source; the whole question when nothing of it
    would be left."""
    asking = _SOURCE_HEADER.sub("", _SOURCE_PHRASE.sub("", masked)).strip(" ,")
    return asking if re.search(r"[a-z]{3}", asking) else masked


class _Lexical:
    """TF-IDF over word unigrams and bigrams of the examples: dense vectors of a small model blur the one word
    that decides what is asked ("factor", "CAGR", "how many years"); exact words do not."""

    def __init__(self, texts: Sequence[str]) -> None:
        grams = [self._grams(t) for t in texts]
        frequency: dict[str, int] = {}
        for g in grams:
            for gram in set(g):
                frequency[gram] = frequency.get(gram, 0) + 1
        self._idf = {gram: float(np.log((1 + len(texts)) / (1 + n)) + 1) for gram, n in frequency.items()}
        self._rows = [self._vector(g) for g in grams]

    @staticmethod
    def _grams(text: str) -> list[str]:
        from .retrieve import stem

        # Words as written ("factor" is not "factors"), their stems ("restraint" is "restraints"), and pairs of
        # words. Placeholders are left to the dense side: the typed numbers are read structurally anyway.
        words = re.findall(r"\{?[a-z]+\}?", text.lower())
        plain = [w for w in words if not w.startswith("{")]
        pairs = [f"{a} {b}" for a, b in zip(words, words[1:]) if not a.startswith("{") and not b.startswith("{")]
        return plain + ["~" + stem(w) for w in plain] + pairs

    def _vector(self, grams: Sequence[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for gram in grams:
            if gram in self._idf:
                weights[gram] = weights.get(gram, 0.0) + self._idf[gram]
        norm = float(np.sqrt(sum(w * w for w in weights.values()))) or 1.0
        return {gram: w / norm for gram, w in weights.items()}

    def similarity(self, text: str) -> np.ndarray:
        query = self._vector(self._grams(text))
        return np.array([sum(w * row.get(g, 0.0) for g, w in query.items()) for row in self._rows], dtype=np.float32)


@dataclass(frozen=True)
class _Examples:
    labels: tuple[str, ...]
    vectors: np.ndarray  # unit rows, one per example
    clause_vectors: np.ndarray  # the same for each example's asking clause
    lexical: _Lexical
    clause_lexical: _Lexical


@lru_cache(maxsize=1)
def question_vocabulary() -> frozenset[str]:
    """Words analysts use to ask about market figures (from the labelled examples of the numeric intents, not
    from any report): "worth", "forecast", "projected"... A question word outside it names something ("the
    report's cost", "the average claim size"), and that thing must be in the source of the answer."""
    from .retrieve import stem

    words: set[str] = set()
    numeric = set(ASKED) | {"compare_arithmetic", "check_sources", "check_consistency"}
    for label, question in load_examples():
        if label not in numeric:
            continue
        words.update(stem(w.strip("'")) for w in re.findall(r"[a-z][a-z'-]+", mask(question).lower()))
    return frozenset(words)


@lru_cache(maxsize=1)
def load_examples() -> tuple[tuple[str, str], ...]:
    rows = []
    for path in sorted(EXAMPLES.glob("intent_examples*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["label"], row["question"]))
    return tuple(rows)


class FrameParser:
    """Turns a question into a frame; built once per process (the example vectors are cached on disk)."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray], cache_dir: Optional[Path] = None) -> None:
        self._embed = embed
        self._cache_dir = cache_dir
        self._examples: Optional[_Examples] = None

    def _load(self) -> _Examples:
        if self._examples is None:
            rows = load_examples()
            masked = [asking_part(mask(q)) for _, q in rows]
            texts = masked + [main_clause(q) for q in masked]
            digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
            cached = self._cache_dir / f"intent-vectors-{digest}.npy" if self._cache_dir else None
            vectors = None
            if cached is not None and cached.exists():
                try:
                    vectors = np.load(cached, allow_pickle=False)
                except (OSError, ValueError):
                    vectors = None
            if vectors is None or vectors.shape[0] != len(texts):
                vectors = np.asarray(self._embed(texts), dtype=np.float32)
                if cached is not None:
                    try:
                        cached.parent.mkdir(parents=True, exist_ok=True)
                        temporary = cached.with_suffix(".tmp.npy")
                        np.save(temporary, vectors)
                        temporary.replace(cached)
                    except OSError:
                        pass  # a read-only cache only costs the embedding next time
            self._examples = _Examples(tuple(label for label, _ in rows), vectors[:len(rows)], vectors[len(rows):],
                                       _Lexical(masked), _Lexical([main_clause(q) for q in masked]))
        return self._examples

    def classify(self, masked: str) -> tuple[dict[str, float], np.ndarray]:
        """Each intent's share of the neighbours' vote, and the similarity to every example."""
        examples = self._load()
        vector = np.asarray(self._embed([masked]))[0]
        similarity = (1 - LEXICAL_WEIGHT) * (examples.vectors @ vector) + LEXICAL_WEIGHT * examples.lexical.similarity(masked)
        top = np.argsort(-similarity)[:NEIGHBOURS]
        votes: dict[str, float] = {}
        best = float(similarity[top[0]])
        for i in top:
            # Nearer examples count for much more: a near-paraphrase outvotes several loosely similar ones.
            weight = float(np.exp((float(similarity[i]) - best) / VOTE_TEMPERATURE))
            votes[examples.labels[i]] = votes.get(examples.labels[i], 0.0) + weight
        total = sum(votes.values()) or 1.0
        return {label: v / total for label, v in votes.items()}, similarity

    def _nearest_of(self, similarity: np.ndarray, intents: Sequence[str]) -> str:
        """Of some intents, the one whose three nearest examples are nearest on average."""
        labels = np.asarray(self._load().labels)

        def closeness(intent: str) -> float:
            scores = np.sort(similarity[labels == intent])[::-1][:3]
            return float(scores.mean()) if scores.size else -1.0

        return max(intents, key=closeness)

    def _asked(self, masked: str, feasible: Callable[[str], bool] = lambda kind: True) -> tuple[str, str, float]:
        """What a question asks for, from its asking clause and the asking clauses of the examples: the nearest
        intent, and the nearest kind of figure among the numeric intents that the question's numbers allow."""
        examples = self._load()
        clause = main_clause(masked)
        vector = np.asarray(self._embed([clause]))[0]
        similarity = (1 - CLAUSE_LEXICAL_WEIGHT) * (examples.clause_vectors @ vector) + \
            CLAUSE_LEXICAL_WEIGHT * examples.clause_lexical.similarity(clause)
        labels = np.asarray(examples.labels)
        closeness = {}
        for intent in INTENTS:
            scores = np.sort(similarity[labels == intent])[::-1][:3]
            closeness[intent] = float(scores.mean()) if scores.size else -1.0
        by_kind: dict[str, float] = {}
        for intent, kind in ASKED.items():
            by_kind[kind] = max(by_kind.get(kind, -1.0), closeness[intent])
        best = max(closeness, key=lambda i: closeness[i])
        margin = closeness[best] - max(by_kind.values())  # how much nearer than the nearest figure question
        return best, max(by_kind, key=lambda kind: (feasible(kind), by_kind[kind])), margin

    def parse(self, question: str, entities: LinkedEntities) -> QuestionFrame:
        markets = [link.market for link in entities.markets] + list(entities.unknown_markets) + \
            [question[link.position:link.end] for link in entities.markets if link.end > link.position]
        firms = [f.firm for f in entities.firms] + [w for f in entities.firms for w in f.firm.split()
                                                    if w.lower() not in FIRM_GENERIC]
        spans = _name_spans(question, entities, markets, firms)
        masked = _masked(question, spans)
        # A word of a firm written its own way ("QY Research" for QYResearch) is that firm, not a company.
        companies = tuple(dict.fromkeys(
            name for start, end, placeholder in spans if placeholder.startswith("{company}")
            for name in [re.sub(r"['’]s$", "", question[start:end])] if not entities.names_a_firm(name)))
        asking = asking_part(masked)
        scores, similarity = self.classify(asking)
        quantities = read_quantities(question)
        intent = max(scores, key=lambda label: scores[label])
        if _WHO.search(question) and intent in ASKED:
            intent = max((label for label in scores if label not in ASKED), key=lambda label: scores[label],
                         default="lookup_publisher")
        asked = None
        clause_intent, kind, margin = self._asked(asking, lambda kind: _feasible(kind, quantities))
        if kind == "share" and not _ASKS_PERCENT.search(question) and not (_stems(question) & _share_words()):
            # "What's Freedonia's figure for global heat pump demand in 2027?" has the look of a share question
            # ("global", "demand") but none of the words share questions use ("share", "proportion", "account
            # for"): the whole question's nearest figure kind decides.
            kind = max((ASKED[i] for i in scores if i in ASKED and ASKED[i] != "share"),
                       key=lambda k: max(scores[i] for i in scores if ASKED.get(i) == k), default="money")
        if _NAMES_DIFFERENCE.search(question) and not _NAMES_MULTIPLE.search(question) and kind not in ("rate",
                                                                                                          "share"):
            # "How far apart are {firm} and {firm} on the 2028 market, in dollars?" (A gap between rates, "the
            # difference in CAGR", is a comparison's arithmetic, in points.)
            kind = "difference"
        elif _NAMES_MULTIPLE.search(question) and quantities.multiplier is None:
            # "By what factor does {firm} expect the {market} market to grow ...?" (A multiple typed, "grows
            # tenfold", is given, not asked.)
            kind = "multiple"
        elif kind == "multiple" and ASKED.get(intent, "multiple") != "multiple":
            # "What's {firm}'s 2028 number for ...?" comes near a ratio question in its first words, but names no
            # multiple: the whole question's reading decides what kind of figure it asks for.
            kind = ASKED[intent]
        clause = main_clause(masked)
        typed = bool(quantities.amounts or quantities.rates or quantities.multiplier is not None)
        no_figure = asks_about_no_figure(masked)
        # A look-up read into "When does X expect ...?" (a time) or "How did COVID-19 hit X?" (a manner): no figure.
        time_or_manner = not typed and (intent in _FIGURE_LOOKUPS or intent == "compute_target_year") and bool(
            _WHEN.match(clause) or _HOW_MANNER.match(clause))
        no_figure = no_figure or time_or_manner
        asks_figure = (clause_intent in ASKED or clause_intent == "compare_arithmetic" or bool(
            _HOW_MANY.match(clause))) and not _WHY.search(question) and not no_figure
        if (intent in _FIGURE_LOOKUPS or time_or_manner) and no_figure and not typed:
            # "What unit are shipments counted in?" reads like a volume question but asks for no number.
            intent = max((label for label in scores if label not in ASKED), key=lambda label: scores[label],
                         default="lookup_fact")
        if intent == "company_fact" and "{company}" not in masked and entities.markets:
            # "North America's vertical farming revenue": no company is named, so the possessive is no company's.
            intent = clause_intent if clause_intent in ASKED else max(
                (label for label in scores if label != "company_fact"), key=lambda label: scores[label],
                default=intent)
        percent_asked = intent not in ASKED and bool(_ASKS_PERCENT.search(question)) and not _WHY.search(question) \
            and intent not in ("compare_arithmetic", "check_sources", "check_consistency", "company_fact")
        if percent_asked:
            # "% growth in shipments from 2015 to 2016?": a percent sign with no number asks for a percentage,
            # whatever else the words ask about.
            intent = self._nearest_of(similarity, [i for i, kind in ASKED.items() if kind in ("rate", "share")])
            kind = ASKED[intent]
        if intent in ASKED or intent == "compare_arithmetic":
            asked = kind
            if not percent_asked and clause_intent not in ASKED and margin >= CLAUSE_MARGIN and clause_intent not in (
                    "compare_arithmetic", "check_sources", "check_consistency", "other", "company_fact"):
                # "Which research firm produced the USD 143.76 billion forecast?": the asking clause wants a firm.
                intent, asked = clause_intent, None

        if scores.get(intent, 1.0) < UNSURE_VOTE and clause_intent not in ASKED and clause_intent not in (
                intent, "other", "company_fact", "compare_arithmetic", "check_sources", "check_consistency",
                "lookup_leader") \
                and intent not in ASKED:
            # "In Berg Insight's report, what does AMR stand for?": when the whole question is read three ways,
            # the clause that asks says which.
            intent = clause_intent
        if intent == "lookup_publisher" and _asks_beyond_the_publisher(masked, entities):
            intent = "lookup_fact"
        # "Who holds the biggest share?" asks for a company; "Who published it?" stays the publisher.
        who_leads = bool(_WHO.search(question)) and is_superlative(question) and intent != "lookup_publisher"
        entity = "organizations" if who_leads else asked_entity(masked, bool(entities.markets))
        # ("Which operator runs the pilot that opens China's smartphone market to eSIM?": an organisation is asked
        # for, whatever markets the question names beside it.)
        entity_decides = bool(entity) and intent in _ENTITY_INTENTS and (
            len({m.market for m in entities.markets}) < 2
            or entity == "organizations" and not intent.startswith("compare"))
        if entity_decides:
            # "Which customer group grows fastest?" asks for a segment, "Which vendor leads?" for a company: the
            # noun asked about decides between questions the examples word alike.
            if entity == "region":
                intent = "lookup_region"
            elif entity == "organizations":
                intent = "lookup_leader" if is_superlative(question) and asks_for_one(masked) else "list_players"
            elif is_superlative(question):
                intent = "lookup_leader"
            if intent not in ASKED:
                asked, asks_figure = None, False
        if len(entities.firms) >= 2 and len({m.market for m in entities.markets}) < 2 and not entity_decides and (
                intent in ASKED or is_comparative(question)) and intent not in ("compare_arithmetic",
                                                                                "check_consistency"):
            # "Which forecast implies faster growth: Freedonia's or Frost & Sullivan's?": two firms' figures.
            intent, asked = "check_sources", "rate" if is_about_speed(question) else (asked or kind)
        elif len(entities.firms) >= 2 and len({m.market for m in entities.markets}) < 2 and intent in (
                "lookup_leader", "list_players", "lookup_publisher") and is_superlative(question) and quantities.years:
            # "Which forecaster has the highest 2030 outlook: A, B or C?": the firms named are the candidates,
            # and their figures for the year decide.
            intent, asked = "check_sources", "rate" if is_about_speed(question) else (asked or kind)
        if intent == "lookup_leader" and not is_superlative(question):
            # Only "which ... leads / is largest / grows fastest" asks for a leader; otherwise the next reading.
            # "Which segment is expected to post a rapid CAGR?" still asks for a segment, not for the rate.
            intent = max((label for label in scores if label != "lookup_leader" and not (
                entity_decides and INTENTS[label][1] in FIGURE_TYPES)), key=lambda label: scores[label], default="other")

        def choose(intents: Sequence[str]) -> str:
            return self._nearest_of(similarity, intents)

        comparisons = ("compare_growth", "compare_size", "compare_arithmetic")
        voted = sorted(scores, key=lambda label: -scores[label])[:3]
        if len({m.market for m in entities.markets}) >= 2 and intent not in ASKED and (
                clause_intent in comparisons or any(label in comparisons for label in voted)):
            # Two markets named and a comparison among the nearest examples: "How does that compare with X?"
            intent, asked = "compare_growth", kind
        if clause_intent == "compare_arithmetic" and intent in ASKED and len(entities.markets) >= 2:
            intent = clause_intent  # "How many percentage points faster ...": the asking clause wants the gap
        if asked in ("volume", "money") and _BY_HOW.match(main_clause(masked)) and (
                len(set(quantities.years)) >= 2 or len(quantities.amounts) >= 2):
            asked = "difference"  # "By how many units will the base grow between 2025 and 2030?": the change
        if (quantities.rates and len(quantities.amounts) >= 2 and len(set(quantities.years)) >= 2
                and len({m.market for m in entities.markets}) < 2
                and (intent == "check_consistency" or asked in ("rate", "money", "share", "years"))):
            # A typed rate beside two dated amounts ("is 18.63% consistent with USD 105.91 bn in 2025 and USD
            # 284.84 bn in 2030?"): the rate the amounts imply, set against the rate typed. (With both amounts
            # dated, no year is left to ask for.)
            intent, asked = "compute_cagr", "rate"
        if intent == "lookup_period" and not quantities.period and _YEAR_AS_MODIFIER.search(question) \
                and not _NAMES_YEARS.search(question) and not _QUESTION_WORD.search(question):
            # "Allied's 2030 projection for the recycling industry?": the year is given, as what the figure is
            # for; what is asked, with no question word to ask for anything else, is the figure, not a period.
            intent, asked = "lookup_size", kind
        # Among CAGR questions, a word that only computed ones use, at least three times: "implied", "work out".
        derives = bool(_stems(masked) & marking_words("compute_cagr", ("compute_cagr", "lookup_cagr"), 3, 1.0))
        intent = _numeric_intent(intent, asked, quantities, entities, choose,
                                 rate_named=bool(_RATE_NOUN.search(main_clause(masked))), derives=derives,
                                 picks_one=bool(_PICKS_ONE.match(masked))) if asked else intent
        task, answer_type = INTENTS[intent]
        return QuestionFrame(question, intent, task, answer_type, entities, quantities,
                             bool(_FUTURE.search(question)), asked, asks_figure, entity, asked_noun(masked),
                             clause_intent, scores, companies, chooser=choose)


def _feasible(kind: str, q: Quantities) -> bool:
    """A time to reach something needs a target, an amount or a multiple: without one ("GMI: North America
    kombucha 2027?", "how many e-bikes could be sold a year by 2023?") the question asks for another figure."""
    return kind != "years" or bool(q.amounts) or q.multiplier is not None


def _stems(text: str) -> set[str]:
    from .retrieve import stem

    return {stem(w) for w in re.findall(r"[a-z][a-z'-]*", text.lower())}


def _share_words() -> frozenset[str]:
    """Words that mark a share question ("share", "proportion", "account"), read off the labelled examples."""
    return marking_words("lookup_share")


@lru_cache(maxsize=None)
def marking_words(label: str, among: Optional[tuple[str, ...]] = None, least: int = 2,
                  precision: float = 0.4) -> frozenset[str]:
    """Words that mark questions of `label`, read off the labelled examples (of the labels `among`, default all):
    those that at least `least` of its examples use, and that are its examples' at least `precision` of the time
    they occur. ("implied", "calculate" mark a computed CAGR among the CAGR questions.) Function words and the
    placeholders of masked figures mark no meaning of their own."""
    from .retrieve import STOPWORDS

    own: dict[str, int] = {}
    every: dict[str, int] = {}
    for example_label, question in load_examples():
        if among is not None and example_label not in among:
            continue
        for word in _stems(_MASKED_SLOT.sub(" ", mask(question))) - STOPWORDS:
            every[word] = every.get(word, 0) + 1
            if example_label == label:
                own[word] = own.get(word, 0) + 1
    return frozenset(w for w, n in own.items() if n >= least and n / every[w] >= precision)


_MASKED_SLOT = re.compile(r"\{\w+\}")


@lru_cache(maxsize=1)
def _publisher_nouns() -> frozenset[str]:
    """What questions about a report's publisher ask for ("firm", "consultancy", "author"), read off the labelled
    publisher examples, so the set grows with the examples, not by hand."""
    return frozenset(noun for label, question in load_examples() if label == "lookup_publisher"
                     for noun in [asked_noun(mask(question))] if noun)


def _asks_beyond_the_publisher(masked: str, entities: LinkedEntities) -> bool:
    """ "Who is the research author on Juniper's study?" names its firm, so it does not ask which firm it is;
    "Through which bank did Cove raise funds?" asks about a noun no publisher question asks about."""
    noun = asked_noun(masked)
    return len(entities.firms) == 1 or bool(noun) and noun not in _publisher_nouns() \
        and noun not in ORGANISATION_NOUNS


FIGURE_TYPES = frozenset({"money", "percent", "quantity", "number", "multiple", "years"})  # answers that are a number
_FIGURE_LOOKUPS = frozenset({"lookup_size", "lookup_cagr", "lookup_share", "lookup_volume"})
# Intents a "which <noun>" question may be read as by its wording alone; the noun then decides among them.
_ENTITY_INTENTS = frozenset({"lookup_region", "list_segments", "list_applications", "list_players", "lookup_cagr",
                             "lookup_share", "lookup_size", "lookup_volume", "lookup_publisher", "lookup_leader",
                             "compare_size", "compare_growth", "other"})


def _numeric_intent(intent: str, asked: str, q: Quantities, entities: LinkedEntities,
                    choose: Callable[[Sequence[str]], str], rate_named: bool = False, derives: bool = False,
                    picks_one: bool = False) -> str:
    """The executor's intent from what is asked and what the question gives (typed amounts, rates, years);
    `derives`: the question uses the words that mark a rate worked out from figures; `picks_one`: it asks
    which or who, not how much."""
    two_markets = len({m.market for m in entities.markets}) >= 2
    if len(entities.firms) >= 2 and not two_markets and (asked in ("rate", "money", "volume") or picks_one):
        # Two firms' figures for one market, set side by side: also "Which forecast is bigger, A's for 2027 or
        # B's for 2030?", which asks for one of them, not for the gap.
        return "check_sources"
    if len(entities.firms) >= 2 and not two_markets and asked in ("difference", "multiple"):
        # "By how much does A's 2026 figure exceed B's?": the arithmetic is on the two firms' figures.
        return "compute_difference" if asked == "difference" else "compute_factor"
    if two_markets:
        if intent == "compare_arithmetic" or asked in ("multiple", "difference"):
            return "compare_arithmetic"
        return "compare_growth" if asked == "rate" else "compare_size"
    if intent == "compare_arithmetic" and asked in ("difference", "multiple") and len(q.years) >= 2:
        # "How far apart are the 2024 and 2030 figures, in dollars?": one market's figures, not two markets'.
        return "compute_difference" if asked == "difference" else "compute_factor"
    if intent == "compare_arithmetic":
        return intent
    if asked in ("share", "volume"):
        return "lookup_share" if asked == "share" else "lookup_volume"
    if asked == "rate" and len(q.years) == 1 and not q.period and not (q.rates or q.amounts) and not rate_named:
        # "the 2030 forecast": one year has a size; a growth rate is stated over a period. Unless the asking
        # clause asks for the rate itself ("what's the CAGR ... to 2022?"): the year then ends its period.
        asked = "money"
    if asked == "difference" and len(q.years) < 2 and len(q.amounts) < 2:
        asked = "money"  # an increase needs two years or two amounts; one year asks for the size then
    if asked == "rate" and q.rates and len(q.amounts) == 1 and not rate_named:
        # The rate is given, so it is not what is asked: the value it leads to is. (When the asking clause names
        # the rate, "What CAGR takes $5 bn to 40 percent?", the figures are of two kinds, and no guess is made.)
        asked = "money"
    if asked == "rate":
        if len(q.amounts) >= 2 or q.rates:
            return "compute_cagr"  # typed figures: the rate they imply (set against any rate typed too)
        if derives:
            return "compute_cagr"  # "what CAGR do its 2023 and 2030 values imply?": worked out, not looked up
        return choose(("lookup_cagr", "compute_cagr"))
    if asked == "money":
        if q.rates and len(q.amounts) == 1 and (q.durations or len(q.years) >= 2):
            # One typed amount grown at a typed rate: forward from a start, or back from where it ends.
            return "compute_base" if q.ends[0] and q.durations else "compute_value"
        if q.rates or q.amounts or intent in ("compute_value", "compute_base"):
            return choose(("compute_value", "compute_base"))
        return "lookup_size"
    if asked == "years":
        return "compute_multiple_time" if q.multiplier is not None and len(q.amounts) < 2 else "compute_target_year"
    return "compute_factor" if asked == "multiple" else "compute_difference"
