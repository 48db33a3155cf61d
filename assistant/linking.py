"""The one entity linker: the markets, research firms and regions a question names, linked to the reports.

Markets link in this order: the exact name (normalized: case, plural, leading "global", trailing "market"),
an alias (an acronym the report defines, the name without hyphens or spaces: "e-bike"/"ebike"), a fuzzy
match (rapidfuzz), then the embedding similarity of the question's market phrase to the reports' market
names. A market phrase that links to nothing is reported as unknown: the reports do not cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

import numpy as np

from .acronyms import CONNECTORS, expand
from .asking import is_comparative, is_superlative
from .facts import market_key, market_names, merge_clipped, merge_reordered
from .firms import FIRM_GENERIC, firm_key
from .profile import ReportProfile
from .regions import RegionMention, find_regions, is_region_word

MAX_NAME_GAP = 3  # words of a market's name may be this many words apart in a question ("heat pumps for homes")
FUZZY_MIN = 88  # rapidfuzz ratio (0-100) for a misspelt or re-inflected market name
# Cosine of all-MiniLM-L6-v2 between a question's market phrase and a report's market name, above which they
# are taken for one market. When the two names share words, the words they do not share are compared instead
# ("generative AI" / "multimodal AI" is generative / multimodal). Calibrated on pairs outside every gold set:
# cell phones / smartphones 0.77, e-bikes / electric bicycles 0.71, farm tractors / tractor 0.86 link;
# generative / multimodal AI 0.67 (whole names), battery storage / solid-state battery 0.54 do not.
EMBEDDING_MIN = 0.70
# Words that name no particular market: a phrase made only of these is no market phrase.
_GENERIC = {"ai", "model", "models", "market", "global", "technology", "industry", "system", "solution", "service",
            "product",
            "overall", "total", "entire", "whole", "same", "other", "two", "both", "each", "this", "that", "target",
            "end", "which", "what", "one", "first", "second"}


# A word in mixed case, mostly capitals: "MDx", "IoT", "eVTOL" (an initialism as the trade writes it, not a name
# such as "McDonald").
_MIXED_CASE = re.compile(r"\b(?=[A-Za-z]*[a-z])(?=(?:[a-z]*[A-Z]){2})[A-Za-z]+\b")


def _is_initialism(word: str) -> bool:
    capitals = sum(c.isupper() for c in word)
    return bool(_MIXED_CASE.fullmatch(word)) and capitals >= len(word) - capitals


@dataclass(frozen=True)
class MarketLink:
    market: str  # the reports' name for it
    how: str  # "exact", "alias", "fuzzy" or "embedding"
    score: float
    position: int  # where the question names it (characters)
    docs: frozenset[str]
    end: int = -1  # end of the words that named it (-1: not known)


@dataclass(frozen=True)
class FirmLink:
    firm: str
    docs: frozenset[str]
    position: int
    named_as: str = ""  # the word(s) of the question that named it: "FBI", "Fortune's", "MarketsandMarkets"


@dataclass
class LinkedEntities:
    markets: list[MarketLink] = field(default_factory=list)
    firms: list[FirmLink] = field(default_factory=list)
    regions: list[RegionMention] = field(default_factory=list)
    unknown_markets: list[str] = field(default_factory=list)  # market phrases no report covers
    # Markets the question names that only reports of other firms cover: "Acme's hearing aids figures" when Acme
    # wrote on sun care. Never answered from the named firm's other market.
    outside_firms: list[MarketLink] = field(default_factory=list)
    # The words of every market the reports name: "Li-ion" in "Li-ion recycling revenue" is one of them, clipped,
    # and no company.
    market_words: frozenset[str] = frozenset()

    def is_market_word(self, word: str) -> bool:
        """Every word of `word` is a word of some market the reports name, or that word clipped ("Li" for
        "lithium")."""
        parts = market_key(word).split()
        return bool(parts) and all(p in self.market_words or _is_clipping(p, self.market_words) for p in parts)

    @property
    def market_names(self) -> list[str]:
        return [m.market for m in self.markets]

    def outside_firms_reason(self) -> str:
        firms = " or ".join(f.firm for f in self.firms)
        return f"{firms} did not publish a report on the {self.outside_firms[0].market} market"

    def names_a_firm(self, word: str) -> bool:
        """The word is part of a linked firm's name as its letters run ("QY Research" for QYResearch)."""
        letters = _compact(word)
        return bool(letters) and any(letters in _compact(f.firm) or letters in _compact(f.named_as)
                                     for f in self.firms)

    def docs(self) -> Optional[frozenset[str]]:
        """The reports the question is scoped to by the firms it names (and, for a market none of them covers, by
        that market: "the North America data center market or TechSci's lithium-ion battery market"); None = all."""
        if self.firms:
            firm_docs = frozenset().union(*(f.docs for f in self.firms))
            uncovered = [m.docs for m in self.markets if not m.docs & firm_docs]
            return firm_docs.union(*uncovered)
        return None


def _short_form(firm: str, question: str) -> Optional[int]:
    """Where the question calls a firm by a short form of its name: its initials in capitals ("GMI" for Global
    Market Insights), or its first words clipped and run together ("WoodMac" for Wood Mackenzie)."""
    words = re.findall(r"[A-Za-z][\w'-]*", firm)
    if len(words) < 2:
        return None
    initials = "".join(w[0].upper() for w in words)
    # "TBRC" for The Business Research Company: the article the firm's name drops may start its initials.
    if len(initials) >= 3 and (found := re.search(rf"\bT?{initials}\b", question)):
        return found.start()
    for token in re.finditer(r"[A-Za-z]{5,}", question):
        rest, used = token.group(0).lower(), 0
        for word in words:
            clip = next((n for n in range(len(word), 2, -1) if rest.startswith(word[:n].lower())), 0)
            if not clip:
                break
            rest, used = rest[clip:], used + 1
            if not rest:
                return token.start() if used >= 2 else None
    return None


def _masked(question: str, lowered: str) -> str:
    """The question in its own letter case, blanked where `lowered` (its lower-cased copy) was blanked."""
    return "".join(q if l != " " or q.isspace() else " " for q, l in zip(question, lowered))


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans; hyphens split words ("large-scale" is "large", "scale")."""
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[A-Za-z0-9&]+(?:['’]s)?", text)]


class EntityLinker:
    def __init__(self, profiles: Sequence[ReportProfile], market_docs: dict[str, set[str]], embed=None,
                 acronyms: Optional[dict[str, str]] = None) -> None:
        """`market_docs`: market name -> reports that state figures for it (or name it); `embed(texts)` gives
        unit vectors (the loaded sentence-transformers model), used only when nothing else links."""
        self.profiles = {p.doc: p for p in profiles}
        self._embed = embed
        acronyms = acronyms or {}
        # Keyed with acronyms read out, so "EV charging station" and "electric vehicle charging station" are one.
        by_key: dict[str, tuple[str, set[str]]] = {}
        for name, docs in market_docs.items():
            key = market_key(expand(name, acronyms))
            if key and not is_region_word(name):
                known = by_key.setdefault(key, (name, set()))
                known[1].update(docs)
        for profile in profiles:
            for name in profile.markets:
                key = market_key(expand(name, acronyms))
                if key and not is_region_word(name):
                    by_key.setdefault(key, (name, set()))[1].add(profile.doc)
        # "Li-ion battery recycling" in one report is the "lithium-ion battery recycling" of another.
        for short, long in merge_clipped([name for name, _ in by_key.values()]).items():
            if short in by_key and long in by_key:
                by_key[long][1].update(by_key.pop(short)[1])
        # "delivery drone" in one report is the "drone delivery" of another: the name with the most reports stays.
        for other, into in merge_reordered(sorted(by_key, key=lambda k: -len(by_key[k][1]))).items():
            by_key[into][1].update(by_key.pop(other)[1])
        self._markets = {key: (name, frozenset(docs)) for key, (name, docs) in by_key.items()}
        self._market_words = frozenset(word for key in self._markets for word in key.split())
        self._acronyms = acronyms
        self._aliases: dict[str, str] = {}  # alias (as written, case-sensitive) -> market key
        # A market named with an acronym its report defines: "EV charging station" for "electric vehicle charging
        # station" (and the other way round) is one market.
        self._shortened: dict[str, str] = {}  # key with an acronym in place of its words -> market key
        for profile in profiles:
            for acronym, expansion in profile.acronyms.items():
                words = market_key(expansion).split()
                for key in list(self._markets):
                    tokens = key.split()
                    for i in range(len(tokens) - len(words) + 1):
                        if words and tokens[i:i + len(words)] == words:
                            short = " ".join(tokens[:i] + [acronym.lower().rstrip("s")] + tokens[i + len(words):])
                            self._shortened.setdefault(short, key)
        for profile in profiles:
            for acronym, expansion in profile.aliases.items():
                key = market_key(expansion)
                target = key if key in self._markets else next(
                    (k for k in self._markets if k.endswith(key) or key.endswith(k)), None)
                if target:
                    self._aliases[acronym] = target
                    self._aliases[acronym + "s"] = target
        self._compact = {_compact(key): key for key in self._markets}
        firms: dict[str, tuple[str, set[str]]] = {}
        for profile in profiles:
            if profile.firm:
                firms.setdefault(firm_key(profile.firm), (profile.firm, set()))[1].add(profile.doc)
        self._firms = {k: (name, frozenset(docs)) for k, (name, docs) in firms.items()}
        # "the Seattle release": a release is called by the city of its dateline, which then names its firm.
        self._places = {p.place: (p.firm, frozenset({p.doc})) for p in profiles if p.place and p.firm}
        # "BloombergNEF (BNEF)": the other name a report defines for its firm calls the firm too.
        self._firm_aliases: dict[str, str] = {}
        for profile in profiles:
            for acronym, expansion in profile.acronyms.items() if profile.firm else ():
                if firm_key(acronym) == firm_key(profile.firm):
                    self._firm_aliases[expansion] = firm_key(profile.firm)
                elif firm_key(expansion) == firm_key(profile.firm):
                    self._firm_aliases[acronym] = firm_key(profile.firm)
        self._name_vectors: Optional[np.ndarray] = None

    # --- markets ---------------------------------------------------------------------------------

    def _exact(self, question: str) -> list[MarketLink]:
        tokens = _tokens(question)
        keys = [market_key(t) for t, _, _ in tokens]
        asked_regions = {r.region for r in find_regions(question)}
        found: dict[str, MarketLink] = {}
        forms = [(key, key) for key in self._markets] + [(short, key) for short, key in self._shortened.items()]
        for form, key in forms:
            name, docs = self._markets[key]
            wanted = [w for w in form.split() if w not in _GENERIC] or form.split()
            named_regions = find_regions(name)
            if named_regions and {r.region for r in named_regions} <= asked_regions:
                # "North American revenue" names "North America cold-chain logistics": the region is asked.
                region_words = {w for r in named_regions for w in market_key(r.text).split()}
                wanted = [w for w in wanted if w not in region_words] or wanted
            window = _closest_window([[i for i, k in enumerate(keys) if _same_word(k, w)] for w in wanted])
            if window is None or window[1] - window[0] > len(wanted) + MAX_NAME_GAP:
                continue  # a word missing, or the words scattered over the question: not this name
            link = MarketLink(name, "exact" if form == key else "alias", 1.0 + 0.01 * len(wanted),
                              tokens[window[0]][1], docs, tokens[window[1]][2])
            if key not in found or link.score > found[key].score:
                found[key] = link
        for written, key in self._aliases.items():
            match = re.search(rf"(?<![\w-]){re.escape(written)}(?![\w-])", question)
            if match and key not in found:
                name, docs = self._markets[key]
                found[key] = MarketLink(name, "alias", 0.99, match.start(), docs, match.end())
        for compact, key in self._compact.items():
            if key in found or len(compact) < 5:
                continue
            # "ebike" for "e-bike", "heatpump" for "heat pump": the same letters, spaces and hyphens aside.
            match = re.search(r"(?<![A-Za-z0-9])" + r"[\s-]*".join(map(re.escape, compact)), question, re.IGNORECASE)
            if match:
                name, docs = self._markets[key]
                found[key] = MarketLink(name, "alias", 0.98, match.start(), docs, match.end())
        return _drop_contained(list(found.values()), self._acronyms)

    def _fuzzy(self, phrases: Sequence[tuple[int, str]]) -> list[MarketLink]:
        from rapidfuzz import fuzz, process

        links = []
        keys = list(self._markets)
        for position, phrase in phrases:
            key = market_key(phrase)
            if not key or not keys:
                continue
            best = process.extractOne(key, keys, scorer=fuzz.ratio)
            if best and best[1] >= FUZZY_MIN:
                name, docs = self._markets[best[0]]
                links.append(MarketLink(name, "fuzzy", best[1] / 100, position, docs, position + len(phrase)))
        return links

    def _partial(self, phrases: Sequence[tuple[int, str]]) -> list[MarketLink]:
        """ "smart meter" for "smart electricity meter": the phrase's words all in one market's name, and in one
        only. A word may be shortened, when another is written out: "Li-ion" for "lithium-ion battery", "NA data
        center" for "North America data center"."""
        links = []
        for position, phrase in phrases:
            words = [w for w in market_key(expand(phrase, self._acronyms)).split()
                     if w not in _GENERIC and not is_region_word(w)]
            if len(words) < 2:
                continue
            owners = [key for key in self._markets
                      if all(any(_same_word(w, k) for k in key.split()) or _abbreviates(w, key.split()) for w in words)
                      and any(any(_same_word(w, k) for k in key.split()) for w in words)]
            if len(owners) > 1:
                # "smart meters" in "North American smart meters": the owner for the region the phrase names.
                asked = {r.region for r in find_regions(phrase)}
                owners = [k for k in owners if {r.region for r in find_regions(self._markets[k][0])} == asked]
            if len(owners) == 1:
                name, docs = self._markets[owners[0]]
                links.append(MarketLink(name, "alias", 0.9, position, docs, position + len(phrase)))
        return links

    def _initialism(self, phrases: Sequence[tuple[int, str]]) -> list[MarketLink]:
        """ "MDx" for "molecular diagnostics", "IoT" for "Internet of Things": a word in mixed case whose capitals
        are the initials of one market's words, though no report defines it (an all-capitals word is left to the
        acronyms reports define: "AI" is too short and too common to guess)."""
        links = []
        for position, phrase in phrases:
            word = phrase.strip()
            capitals = [c.lower() for c in word if c.isupper()]
            if not _is_initialism(word):
                continue
            owners = [key for key in self._markets
                      if [w[0] for w in key.split() if w not in CONNECTORS] == capitals]
            if len(owners) == 1:
                name, docs = self._markets[owners[0]]
                links.append(MarketLink(name, "alias", 0.85, position, docs, position + len(phrase)))
        return links

    def _most_words(self, question: str) -> list[MarketLink]:
        """ "smart meter shipments in North America" for "North America smart electricity meter": all but one of a
        longer name's words, in order and close together, for one market only; the name's region, when it has one,
        must be the question's (or no region asked)."""
        tokens = _tokens(question)
        keys = [market_key(t) for t, _, _ in tokens]
        asked = {r.region for r in find_regions(question)}
        found = []
        for key, (name, docs) in self._markets.items():
            regions = find_regions(name)
            plain = name
            for region in reversed(regions):
                plain = plain[:region.start] + plain[region.end:]
            words = [w for w in market_key(plain).split() if w not in _GENERIC and not is_region_word(w)]
            if len(words) < 3:
                continue
            at = [next((i for i, k in enumerate(keys) if _same_word(k, w)), None) for w in words]
            present = [i for i in at if i is not None]
            if len(present) < len(words) - 1 or present != sorted(present) or present[-1] - present[0] > len(words):
                continue
            if regions and asked and {r.region for r in regions} != asked:
                continue
            found.append(MarketLink(name, "alias", 0.85, tokens[present[0]][1], docs, tokens[present[-1]][2]))
        return found if len(found) == 1 else self._all_but_one_word(tokens, keys)

    def _all_but_one_word(self, tokens: Sequence[tuple[str, int, int]], keys: Sequence[str]) -> list[MarketLink]:
        """ "large AI models" for "large-scale AI models": every word of a name of three words or more but one,
        side by side in the question and in the name's order, at least one of them a word that says which market;
        for one market only. (A two-word name missing a word is one word: too little to tell markets apart.)"""
        found = []
        for key, (name, docs) in self._markets.items():
            words = key.split()
            if len(words) < 3 or find_regions(name):
                continue
            for skipped in range(len(words)):
                kept = words[:skipped] + words[skipped + 1:]
                if all(w in _GENERIC for w in kept) or words[skipped] in _GENERIC:
                    continue
                starts = [i for i in range(len(keys) - len(kept) + 1)
                          if all(_same_word(keys[i + n], w) for n, w in enumerate(kept))]
                if starts:
                    first, last = starts[0], starts[0] + len(kept) - 1
                    found.append(MarketLink(name, "alias", 0.85, tokens[first][1], docs, tokens[last][2]))
                    break
        return found if len(found) == 1 else []

    def _by_meaning(self, phrases: Sequence[tuple[int, str]]) -> tuple[list[MarketLink], list[str]]:
        links, unknown = [], []
        if not phrases:
            return links, unknown
        if self._embed is None or not self._markets:
            return links, [p for _, p in phrases]
        keys = list(self._markets)
        if self._name_vectors is None:
            self._name_vectors = np.asarray(self._embed([self._markets[k][0] for k in keys]))
        vectors = np.asarray(self._embed([p for _, p in phrases]))
        similarity = vectors @ self._name_vectors.T
        for (position, phrase), row in zip(phrases, similarity):
            best = int(np.argmax(row))
            score = float(row[best])
            name, docs = self._markets[keys[best]]
            shared = set(market_key(phrase).split()) & set(keys[best].split())
            if score >= EMBEDDING_MIN and shared:
                own = " ".join(w for w in market_key(phrase).split() if w not in shared)
                theirs = " ".join(w for w in keys[best].split() if w not in shared)
                if own and theirs:
                    pair = np.asarray(self._embed([own, theirs]))
                    score = min(score, float(pair[0] @ pair[1]))
            if score >= EMBEDDING_MIN:
                links.append(MarketLink(name, "embedding", score, position, docs, position + len(phrase)))
            else:
                unknown.append(phrase)
        return links, unknown

    def _same_market_in(self, link: MarketLink, scope: frozenset[str]) -> Optional[MarketLink]:
        """The market of the `scope` reports whose name means what `link` names, or None."""
        if self._embed is None:
            return None
        keys = [k for k, (_, docs) in self._markets.items() if docs & scope]
        if not keys:
            return None
        vectors = np.asarray(self._embed([link.market] + [self._markets[k][0] for k in keys]))
        similarity = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarity))
        if float(similarity[best]) < EMBEDDING_MIN:
            return None
        name, docs = self._markets[keys[best]]
        return MarketLink(name, "embedding", float(similarity[best]), link.position, docs, link.end)

    def link_markets(self, question: str) -> tuple[list[MarketLink], list[str]]:
        exact = self._exact(question) or self._most_words(question)
        # A phrase a found name already covers, or overlaps ("li-ion batteries" around "ion batteries"), is that name.
        phrases = [(pos, name) for pos, name in _market_phrases(question)
                   if not any(market_key(name) and _covers(link.market, name)
                              or link.position < pos + len(name) and pos < link.end for link in exact)]
        fuzzy = self._fuzzy(phrases)
        rest = [(p, n) for p, n in phrases if not any(link.position == p for link in fuzzy)]
        partial = self._partial(rest) + self._initialism(rest)
        rest = [(p, n) for p, n in rest if not any(link.position == p for link in partial)]
        meaning, unknown = self._by_meaning(rest)
        # "MDx end users: which grows fastest?": an initialism names its market without the word "market" too.
        linked = exact + fuzzy + partial + meaning
        initialisms = self._initialism([(m.start(), m.group(0)) for m in _MIXED_CASE.finditer(question)
                                        if not any(link.position <= m.start() < link.end for link in linked)])
        links = _drop_contained(linked + initialisms, self._acronyms)
        return _fused(sorted(links, key=lambda link: link.position), question), unknown

    # --- firms -------------------------------------------------------------------------------------

    def link_firms(self, question: str) -> list[FirmLink]:
        from rapidfuzz import fuzz

        links = []
        # "MarketsandMarkets" for "Markets and Markets": the same letters, whole words at both ends ("US" is not
        # inside "using").
        spelled_out = {key: re.search(r"(?<![a-z0-9])" + r"[\W_]*".join(map(re.escape, _compact(key))) +
                                      r"(?![a-z0-9])", question.lower()) if _compact(key) else None
                       for key in self._firms}
        for key, (name, docs) in self._firms.items():
            # Words inside another firm's name spelled out are that firm's: "Business" and "Insights" of "Fortune
            # Business Insights" do not name Business Market Insights.
            lowered = question.lower()
            for other, found in spelled_out.items():
                if found and other != key:
                    lowered = lowered[:found.start()] + " " * (found.end() - found.start()) + lowered[found.end():]
            distinctive = [w for w in key.split() if w not in FIRM_GENERIC]
            position = -1
            spelled = spelled_out[key]
            if spelled:
                position = spelled.start()
            elif distinctive and all(re.search(rf"\b{re.escape(w)}", lowered) for w in distinctive):
                position = lowered.find(distinctive[0])
            elif len(distinctive) > 1 and len(distinctive[0]) >= 4 and (first := re.search(
                    rf"(?<!^)\b(?-i:[A-Z])(?i:{re.escape(distinctive[0][1:])})\b"
                    rf"|\b(?-i:[A-Z])(?i:{re.escape(distinctive[0][1:])})['’]s\b", _masked(question, lowered))):
                # "Fortune's figure" for Fortune Business Insights: a firm is called by its first word, written
                # as a name (capitalized, and not merely the question's first word).
                position = first.start()
            elif (short := _short_form(name, _masked(question, lowered))) is not None:
                position = short
            elif distinctive:
                words = re.findall(r"[a-z0-9&]+", lowered)
                joined = "".join(distinctive)
                for n in (1, 2):
                    for i in range(len(words) - n + 1):
                        if len(joined) >= 4 and fuzz.ratio("".join(words[i:i + n]), joined) >= 88:
                            position = lowered.find(words[i])
            if position >= 0:
                named = re.match(r"[\w&.'’-]+", question[position:])
                links.append(FirmLink(name, docs, position, named.group(0) if named else ""))
        for alias, key in self._firm_aliases.items():
            called = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", question)
            name, docs = self._firms[key]
            if called and not any(link.firm == name for link in links):
                links.append(FirmLink(name, docs, called.start(), alias))
        for place, (name, docs) in self._places.items():
            called = re.search(rf"\b{re.escape(place)}(?:[\s-]+(?:based|dated|datelined))?\s+(?:press\s+|news\s+)?"
                               rf"(?:release|report|study|announcement|article|write-up)|\b(?:issued|released|published|"
                               rf"datelined|release|report)\s+(?:in|from|out\s+of)\s+{re.escape(place)}\b",
                               question, re.IGNORECASE)
            if called and not any(link.docs & docs for link in links):
                at = called.start() + called.group(0).lower().find(place.lower())
                links.append(FirmLink(name, docs, at, question[at:at + len(place)]))
        return sorted(links, key=lambda link: link.position)

    def link(self, question: str) -> LinkedEntities:
        firms = self.link_firms(question)
        # A firm's own name ("Meridian Market Insights") is not a market phrase.
        masked = question
        for firm in firms:
            for word in firm.firm.split():
                masked = re.sub(rf"\b{re.escape(word)}\b", " " * len(word), masked)
        markets, unknown = self.link_markets(masked)
        if firms:
            # A firm named: its reports are the scope, and a name that links only outside them ("HP" is a heat
            # pump elsewhere, horsepower here) is not the market meant. Beside a market the firm covers, a market
            # named in full is meant too: "the North America data center market or TechSci's lithium-ion battery
            # market" names two.
            scope = frozenset().union(*(f.docs for f in firms))
            covered = any(m.docs & scope for m in markets)
            kept = [m for m in markets if m.docs & scope or (covered and m.how == "exact")]
            outside = []
            for m in markets:
                if m in kept or m.how != "exact":
                    continue
                # The firm's own name for the same market ("e-bicycle" at Navigant for "e-bikes" elsewhere).
                own = self._same_market_in(m, scope)
                if own is not None and not covered:
                    kept.append(own)
                elif own is None:
                    outside.append(m)
            kept.sort(key=lambda link: link.position)
            return LinkedEntities(kept, firms, find_regions(question), unknown, outside, self._market_words)
        return LinkedEntities(markets, firms, find_regions(question), unknown, market_words=self._market_words)


def _closest_window(positions: Sequence[Sequence[int]]) -> Optional[tuple[int, int]]:
    """The tightest run of tokens holding one position of every word (first and last token), or None."""
    if not positions or any(not p for p in positions):
        return None
    best = None
    for anchor in positions[0]:
        chosen = [anchor] + [min(p, key=lambda i: abs(i - anchor)) for p in positions[1:]]
        window = (min(chosen), max(chosen))
        if best is None or window[1] - window[0] < best[1] - best[0]:
            best = window
    return best


def _same_word(token_key: str, word: str) -> bool:
    if token_key == word:
        return True
    # A shortened word counts ("cyber insurance" for "cybersecurity insurance"), an inflection does not
    # ("larger" is not "large").
    short, long = sorted((token_key, word), key=len)
    return len(short) >= 5 and long.startswith(short) and len(long) - len(short) >= 3


def _is_clipping(word: str, key_words: Iterable[str]) -> bool:
    """ "li" for "lithium": a word of two or three letters that starts a longer word by three letters or more."""
    return 2 <= len(word) <= 3 and word.isalpha() and any(k.startswith(word) and len(k) >= len(word) + 3
                                                          for k in key_words)


def _abbreviates(word: str, key_words: Sequence[str]) -> bool:
    """ "li" for "lithium" (a clipped word of two or three letters), "na" for "north america" (the initials of
    words next to each other)."""
    if len(word) < 2 or not word.isalpha():
        return False
    if _is_clipping(word, key_words):
        return True
    return any("".join(k[0] for k in key_words[i:i + len(word)]) == word
               for i in range(len(key_words) - len(word) + 1))


def _covers(known: str, phrase: str) -> bool:
    """The question's market phrase is the known market (or a shorter way of writing it)."""
    phrase_words = set(market_key(phrase).split()) - _GENERIC
    known_words = set(market_key(known).split())
    return bool(phrase_words) and all(any(_same_word(w, k) for k in known_words) for w in phrase_words)


def _market_phrases(question: str) -> list[tuple[int, str]]:
    """ "the quantum computing market", "the market for cell phones": phrases that name a market."""
    # "Meridian Market Insights", "Global Market Share": capitalized names around "Market" are firms and titles.
    text = re.sub(r"\b(?:[A-Z][\w&'’-]*\s+)+Markets?\s+[A-Z][\w&'’-]*", lambda m: " " * len(m.group(0)), question)
    phrases = []
    # A question's "BFSI sector" is a segment it asks about; its markets are linked by their words.
    for position, name in market_names(text, sectors=False):
        words = [w for w in market_key(name).split() if w not in _GENERIC and not is_region_word(w)]
        # "the faster-growing market", "the largest market": a phrase that ranks a market does not name one.
        naming = [w for w in words if not (is_comparative(w) or is_superlative(w) or w in ("growing", "growth"))]
        if naming and not re.fullmatch(r"[\d\s]+", " ".join(words)):
            phrases.append((position, name))
    return phrases


# Between two names that make one compound: nothing, a hyphen, or one hyphenated word ("eSIM-enabled smartphones").
_COMPOUND_GAP = re.compile(r"\s*(?:-[A-Za-z]+)?[\s-]*")


def _fused(links: list[MarketLink], question: str) -> list[MarketLink]:
    """ "eSIM-enabled smartphones", "drone delivery services": two names run together name one thing, not two
    markets to compare. It is asked about in the reports of either; it goes by the name more reports use (the
    head noun, the last, when as many)."""
    fused: list[MarketLink] = []
    for link in links:
        last = fused[-1] if fused else None
        if last is not None and 0 <= last.end <= link.position and _COMPOUND_GAP.fullmatch(
                question[last.end:link.position]) and question[last.end:link.position]:
            named = link if len(link.docs) >= len(last.docs) else last
            fused[-1] = replace(named, position=last.position, end=link.end, docs=last.docs | link.docs)
        else:
            fused.append(link)
    return fused


def _drop_contained(links: list[MarketLink], acronyms: Optional[dict[str, str]] = None) -> list[MarketLink]:
    """ "large-scale AI" inside "large-scale AI models" is one market; keep the better link per market."""
    best: dict[str, MarketLink] = {}
    for link in links:
        key = market_key(expand(link.market, acronyms or {}))
        if key not in best or link.score > best[key].score:
            best[key] = link
    keys = list(best)
    kept = [k for k in keys if not any(k != o and set(k.split()) < set(o.split()) and best[o].position <= best[k].position
                                       + 40 for o in keys)]
    return [best[k] for k in kept]
