"""The research firm that published a report, read from its text.

A real release names its firm once or twice: in the lead ("According to a new report by Acme Research"), in a
byline, or in the closing "About Acme Research" block. Each cue adds weight to the name it finds.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .quantities import MASS_UNIT
from .regions import is_region_word

_NAME_WORD = r"(?:[A-Z][\w&'’.-]*|&|and|of|de)"
_FIRM = rf"([A-Z][\w&'’.-]*(?:\s+{_NAME_WORD}){{0,5}})"
# Where report text names its publisher, strongest evidence first (weights add up per candidate). The cues marked
# True credit a forecast to a firm ("a new forecast by X", "according to X", "X expects"): in a paragraph that
# states figures, the firm named so is whose figures they are, and that counts FIGURE_CREDIT more. (A trade paper's
# write-up of another firm's forecast ends with "About <the paper>".)
_FIRM_CUES: list[tuple[float, re.Pattern[str], bool]] = [
    (3.0, re.compile(rf"^About\s+{_FIRM}\s*:?\s*$", re.MULTILINE), False),
    # "About Us" heads the block; the block's first words are then the firm: "About Us\n\nAcme Research offers".
    (3.0, re.compile(rf"^[#*\s]*About\s+(?:Us|the\s+Company)\W*\n\s*\**{_FIRM}", re.MULTILINE), False),
    (3.0, re.compile(rf"\b(?:report|study|analysis|research|survey|forecast)\s+(?:\w+\s+){{0,3}}"
                     rf"(?:[“\"][^”\"\n]{{1,160}}[”\"]\s+)?(?:by|from|of)\s+{_FIRM}"), True),  # a quoted report title
    (2.0, re.compile(rf"\b(?i:according to)\s+(?:the\s+)?(?:(?:latest|new|recent)\s+)?{_FIRM}"), True),
    (2.0, re.compile(rf"(?:^|\.\s+){_FIRM}\s+is\s+(?:a|an)\s+(?:[\w-]+\s+){{0,5}}(?:research|consulting|advisory|"
                     r"intelligence|analytics|data)\b", re.MULTILINE), False),
    (2.0, re.compile(rf"{_FIRM},\s+(?:a|an|the)\s+(?:\w+[\s-]+){{0,4}}(?:research|consulting|advisory|intelligence|"
                     r"analytics|insights?)\b", re.IGNORECASE), False),
    (2.0, re.compile(rf"\bPublisher\s+{_FIRM}"), False),
    (1.5, re.compile(rf"{_FIRM}\s+(?:today\s+)?(?:has\s+)?(?:announce[sd]?|publishe[sd]|release[sd]|launche[sd]|"
                     r"unveil(?:s|ed)|add(?:s|ed)|reveal(?:s|ed))\b"), False),
    (1.0, re.compile(rf"{_FIRM}(?:'s|’s)\s+(?:latest|new|recent)?\s*(?:report|study|analysis|research)"), False),
    # "Acme projects that ..."; "CCUS projects in Texas" is a noun: the verbs that are nouns too need an object.
    (1.5, re.compile(rf"{_FIRM}\s+(?:(?:expects|predicts|anticipates|says)\b|(?:projects|estimates|forecasts|values|"
                     r"finds)\s+(?=(?:that|the|a|an|its|global|worldwide)\b|\d|[$€£]|US))"), True),
    # A byline or a headline's tail: "Atlas Research Partners - Market Brief", "...by 2030: Greenfield Analytics".
    (1.0, re.compile(rf"^\**{_FIRM}\**\s*(?:\||—|–|-)\s", re.MULTILINE), False),
    (1.0, re.compile(rf"(?::|\|)\s*{_FIRM}\s*$", re.MULTILINE), False),
    # A headline that ends on whose forecast it is: "Halal Food Market to Reach US$ 2 Tn by 2027, Says Acme".
    (2.0, re.compile(rf"(?:,|\s-|\s–|\s—)\s*(?i:says|finds|predicts|projects|forecasts|reports|estimates)\s+{_FIRM}"
                     r"\s*$", re.MULTILINE), True),
]
FIGURE_CREDIT = 1.0
# A market figure: money, a percentage or a volume. A paragraph that only holds a year ("by 2030, according to the World
# Health Organization") credits no forecast to whoever it cites.
_STATES_A_FIGURE = re.compile(rf"\d\s*(?:%|percent\b|billion\b|million\b|bn\b|mn\b|[GMT]Wh?\b|gigawatts?\b|units\b|"
                              rf"{MASS_UNIT}\b)|[$€£¥]\s*\d|\b(?:USD|US\$|EUR|GBP)\s*\d", re.IGNORECASE)
# Words a firm's name is made of that do not tell one firm from another.
FIRM_GENERIC = {
    "research", "market", "markets", "insights", "insight", "intelligence", "consulting", "group", "global",
    "analytics", "partners", "inc", "inc.", "ltd", "ltd.", "llc", "llp", "pvt", "pvt.", "co", "co.", "reports",
    "report", "data", "the", "and", "&", "of", "corp", "corp.", "company", "limited", "private", "services",
    "solutions", "strategy", "strategic", "advisory", "advisors", "advisers", "associates", "international", "analysis", "study",
}
_NOT_A_FIRM = {
    "the", "this", "these", "our", "its", "their", "a", "an", "it", "we", "they", "market", "global", "press",
    "industry", "report", "key", "new", "latest", "in", "north", "south", "company", "companies", "he", "she",
}
_ARTICLES = {"the", "this", "these", "our", "its", "their", "a", "an"}
_PRONOUNS = {"us", "you", "me"}  # "About Us", "Contact Us": a name holding a pronoun names no firm


_ABBREVIATED = {"inc.", "ltd.", "co.", "corp.", "pvt.", "llc.", "plc.", "l.p.", "s.a.", "ag."}


def _trim_firm(name: str) -> Optional[str]:
    words = name.replace("’", "'").removesuffix("'s").split()
    for i, word in enumerate(words):
        if word.endswith(".") and word.lower() not in _ABBREVIATED:
            words = words[: i + 1]  # "Mordor Intelligence. That": a sentence ends inside the match
            words[-1] = words[-1].rstrip(".")
            break
    while words and words[-1].lower() in {"and", "of", "de", "&"}:
        words.pop()
    # "Global Market Insights Inc.": a company's suffix says its first words are its name, not a description.
    leading = _ARTICLES if words and words[-1].lower() in _ABBREVIATED else _NOT_A_FIRM
    while words and words[0].lower() in leading:
        words.pop(0)
    if not words or any(w.lower().strip(".,;:!") in _PRONOUNS for w in words):
        return None
    # "Global Market Report" is a title, not a firm; "Global Market Insights Inc." is a company by its suffix,
    # which its name is then written without.
    incorporated = len(words) > 1 and words[-1].lower() in _ABBREVIATED
    if incorporated:
        words = words[:-1]
    text = " ".join(words).rstrip(".,;:")
    if is_region_word(text) or all(w.lower() in FIRM_GENERIC for w in words) and not incorporated:
        return None
    return text


# "Meticulous Research® has published", "MarketsandMarkets™" (copied as "MarketsandMarketsTM"): a trademark sign
# is no part of the name, and it must not stop the name from meeting its cue.
_TRADEMARK = re.compile(r"\s?(?:[®™℠]|\((?:R|TM)\))|(?<=[a-z])TM\b")


def detect_firm(text: str) -> Optional[str]:
    """The research firm a report's text names as its publisher, or None."""
    text = _TRADEMARK.sub("", text)
    scores: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for weight, pattern, credits in _FIRM_CUES:
        for match in pattern.finditer(text):
            # "MarketsandMarkets. He expects": a pronoun next to the cue leaves the name before it.
            name = next(filter(None, map(_trim_firm, _fragments_next_to_cue(match))), None)
            if name and len(name) <= 60:
                key = firm_key(name)
                scores[key] += weight
                if credits and _STATES_A_FIGURE.search(_paragraph(text, match.start())):
                    scores[key] += FIGURE_CREDIT
                if len(name) > len(spelled.get(key, "")):
                    spelled[key] = name
    if not scores:
        return None
    # Merge "Acme" into "Acme Research", and "WoodMac" or "WM" into "Wood Mackenzie", when both are found: the
    # shorter one is the same firm.
    for short in list(scores):
        for long in list(scores):
            if short != long and short in scores and long in scores and (
                    long.startswith(short + " ") or _clipped_from(short, long)):
                scores[long] += scores.pop(short)
    best, score = scores.most_common(1)[0]
    return spelled[best] if score >= 1.5 else None


def _clipped_from(short: str, long: str) -> bool:
    """ "woodmac" from "wood mackenzie", "gmi" from "global market insights": the first letters of two or more of its
    words, run together."""
    if " " in short:
        return False  # a clipped name is one word
    words, rest, used = long.split(), short, 0
    for word in words:
        if not rest:
            break
        clip = next((n for n in range(min(len(word), len(rest)), 0, -1) if rest.startswith(word[:n])), 0)
        if not clip:
            return False
        rest, used = rest[clip:], used + 1
    return not rest and used >= 2 and len(short) >= 2


def _paragraph(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]


def _fragments_next_to_cue(match: re.Match) -> list[str]:
    """A firm's name never runs over a line break or a sentence end ("... in North America. GMI projects"): the
    pieces of the capture, the one that touches the cue's words first."""
    pieces = [p for p in re.split(r"\n|(?<=[a-z]{2}\.)\s+(?=[A-Z])", match.group(1)) if p.strip()]
    cue_after = bool(match.string[match.end(1):match.end()].strip())
    return pieces[::-1] if cue_after else pieces


def firm_key(name: str) -> str:
    return re.sub(r"[^a-z0-9& ]+", "", name.lower()).strip()
