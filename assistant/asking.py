"""What kind of thing a "which ..." question asks for, from the noun it asks about.

"Which region grows fastest?", "Which vendor leads?" and "Which customer group grows fastest?" are worded alike,
so nearest-neighbour voting over example questions cannot tell them apart; the noun after "which" can. Places
and organisations are closed classes of nouns; any other noun names a kind of segment ("growth mechanism",
"source", "customer group"). Nouns for figures ("which year", "what CAGR") and for reports ("which forecast")
leave the question to the intent vote.
"""

from __future__ import annotations

import re
from typing import Optional

from .regions import is_region_word

PLACE_NOUNS = frozenset("region regions country countries geography geographies area areas continent continents "
                        "nation nations state states city cities province provinces territory territories "
                        "location locations".split())
ORGANISATION_NOUNS = frozenset("company companies vendor vendors player players manufacturer manufacturers supplier "
                               "suppliers provider providers competitor competitors brand brands maker makers "
                               "producer producers operator operators insurer insurers startup startups "
                               "corporation corporations organisation organisations organization organizations "
                               "incumbent incumbents".split())
# People by their role: "the name of the senior analyst", "who is the CEO": a person's name is asked for.
PERSON_NOUNS = frozenset("analyst analysts author authors ceo founder founders chairman chairwoman chair president "
                         "director spokesperson spokesman spokeswoman executive researcher economist editor "
                         "head manager partner".split())
_PERSON_ASKED = re.compile(r"\b(?:name\s+of|who\s+(?:is|was|are|were))\s+(?:the|its|their|this|that)\s+"
                           r"((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)


def asks_for_a_person(question: str) -> bool:
    """ "What's the name of the senior analyst ...?", "Who is the CEO of ...?": a person, by role."""
    return any(word in PERSON_NOUNS for m in _PERSON_ASKED.finditer(question) for word in m.group(1).lower().split())


# Figures, periods and the reports themselves: what such a question asks is decided by the intent vote.
FIGURE_NOUNS = frozenset("year years rate rates cagr value values size sizes figure figures share shares percentage "
                         "percent period periods amount amounts revenue revenues number numbers forecast forecasts "
                         "estimate estimates report reports study studies firm firms publisher publishers "
                         "date dates growth price prices multiple factor valuation worth cost costs penetration "
                         "capacity volume volumes shipments sales spending base total count margin premiums".split())
# Words that end the noun phrase after "which": auxiliaries, prepositions, determiners and conjunctions ("which of",
# "which is"). A closed grammatical class, not question wording.
_PHRASE_END = frozenset("is are was were will would shall should can could may might must does do did has have had "
                        "of in for to from by on at with among between the a an and or than that".split())
_WHICH = re.compile(r"\b(which|what)\s+(.*)", re.IGNORECASE)
# "Who is the research author ...?", "Who are the key players?": the noun after the article is what is asked.
_WHO_IS = re.compile(r"\b(who)(?:'s|’s|\s+(?:is|are|was|were))\s+(?:the|a|an)\s+(.*)", re.IGNORECASE)
_NUMERAL = frozenset("one two three four five top".split())


def _is_plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith("ss")


def asks_for_one(masked: str) -> bool:
    """ "Which vendor leads" wants one company, "which vendors lead" or "which two vendors" a list."""
    # "Who are the leading companies?" has no "which" noun: the organisation noun it names says how many.
    noun = asked_noun(masked) or next((w for w in re.findall(r"[a-z]+", masked.lower()) if w in ORGANISATION_NOUNS),
                                      "")
    return not _is_plural(noun) and not any(w in _NUMERAL for w in re.findall(r"[a-z]+", masked.lower()))


def asked_noun(masked: str) -> Optional[str]:
    """The noun a "which"/"what" question asks about ("Which growth mechanism holds..." -> "mechanism"), read from
    the masked question; None when it asks about no noun ("Which is larger?") or only about a named thing."""
    match = _WHICH.search(masked) or _WHO_IS.search(masked)
    if not match:
        return None
    # After "who is the", no verb follows inside the phrase: a word in -s there is the plural noun it asks about.
    verb_follows = match.re is _WHICH
    words = re.findall(r"\{?[\w+&'-]+\}?", match.group(2).lower())
    phrase: list[str] = []
    for word in words[:5]:
        word = word.removesuffix("'s")
        if word in _NUMERAL and not phrase:
            continue  # "which two markets", "which top three vendors"
        if phrase and word.endswith("ed") and not word.endswith("eed"):
            break  # a participle opens a clause of its own: "the analyst quoted in ...", "the firm based in ..."
        if word in _PHRASE_END or (phrase and _is_plural(word) and verb_follows):
            # After the first word, a word in -s is read as the verb ("holds", "leads", "grows"): a plural noun
            # there ("customer groups") only moves the head one word left, which names the same kind of segment.
            break
        phrase.append(word)
        if _is_plural(word) and not word.startswith("{"):
            break  # a plural noun heads its phrase: "which segments lead"
    nouns = [w for w in phrase if not w.startswith("{")]
    return nouns[-1] if nouns else None


# Superlatives and their verbs: a closed class of grammar ("fastest", "leads", "dominates"), whatever the noun.
_SUPERLATIVE = re.compile(r"(?<!second[- ])(?<!third[- ])(?<!fourth[- ])(?<!fifth[- ])\b(fastest|largest|biggest|highest|lowest|smallest|slowest|strongest|greatest|quickest|"
                          r"most|least|leading|leader|leads?|(?-i:led)|dominant|dominat(?:es?|ing)|(?<!on )top|first)\b", re.IGNORECASE)


def asks_about_no_figure(masked: str) -> bool:
    """ "What technique allows ...", "What unit is ... measured in?": the noun asked about is no figure, place or
    organisation, so a number is not the answer, however many numbers the question mentions."""
    noun = asked_noun(masked)
    return noun is not None and not noun.isdigit() and noun not in FIGURE_NOUNS and noun not in PLACE_NOUNS \
        and noun not in ORGANISATION_NOUNS and noun not in ("market", "markets") and not is_region_word(noun)


def is_superlative(text: str) -> bool:
    return bool(_SUPERLATIVE.search(text))


def asked_entity(masked: str, market_named: bool) -> Optional[str]:
    """ "region", "organizations" or "segment": the kind of thing a "which ..." question wants, or None.

    "markets" is a place when a market is named besides ("Which two markets were largest for heat pumps?"); any
    noun of no closed class names a segment, but only after "which": "what factors" asks for an explanation."""
    noun = asked_noun(masked)
    if noun is None:
        return None
    if noun in PLACE_NOUNS or is_region_word(noun) or (noun in ("market", "markets") and market_named):
        return "region"
    if noun in ORGANISATION_NOUNS:
        return "organizations"
    if noun in FIGURE_NOUNS or noun in ("market", "markets") or not re.search(r"\bwhich\b", masked, re.IGNORECASE):
        return None
    return "segment"


# Comparatives: "grows faster", "the higher forecast", "more than".
_COMPARATIVE = re.compile(r"\b(faster|slower|quicker|higher|lower|larger|bigger|smaller|greater|more|less|fewer|"
                          r"stronger|weaker|compar\w*|versus|vs)\b", re.IGNORECASE)


def is_comparative(text: str) -> bool:
    return bool(_COMPARATIVE.search(text))


def is_about_speed(text: str) -> bool:
    """ "grows faster", "slower growth": a comparison of speed is one of growth rates, not of sizes."""
    return bool(re.search(r"\b(faster|slower|quicker)\b", text, re.IGNORECASE))
