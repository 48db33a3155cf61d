"""Acronyms a report defines ("remote patient monitoring (RPM)"), and names written with them expanded."""

from __future__ import annotations

import re

CONNECTORS = {"and", "of", "for", "the", "&"}
# A list in the name may bring commas: "carbon capture, utilization, and storage (CCUS)".
_ACRONYM = re.compile(r"((?:[A-Za-z][\w’'-]*,?\s+){1,7})\(([A-Z][A-Za-z0-9&-]{1,9})\)")
# The other way round: "BFSI (Banking, Financial Services, and Insurance)".
_ACRONYM_FIRST = re.compile(r"\b([A-Z][A-Z0-9&]{1,9}s?)\s*\(([A-Z][^()]{3,80})\)")


def defined_acronyms(text: str) -> dict[str, str]:
    """ "remote patient monitoring (RPM)" -> {"RPM": "remote patient monitoring"}: the shortest run of words
    before the parenthesis whose initials spell the acronym."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        acronym = match.group(2)
        letters = [c.lower() for c in acronym.rstrip("s") if c.isalpha()]
        words = [w.rstrip(",") for w in match.group(1).split()]
        for size in range(1, len(words) + 1):
            run = words[-size:]
            initials = [c.lower() for w in run for c in _initials(w)]
            # "US Food and Drug Administration (USFDA)": connectors carry no letter of the acronym.
            content = [c.lower() for w in run if w.lower() not in CONNECTORS for c in _initials(w)]
            # "BloombergNEF (BNEF)": one name's own capitals.
            capitals = [c.lower() for c in re.sub(r"['’]s$", "", run[0]) if c.isupper()] if size == 1 else []
            if letters in (initials, content, capitals) or [w[0].lower() for w in run] == letters:
                found.setdefault(acronym, re.sub(r"['’]s$", "", " ".join(run)))
                if acronym.endswith("s") and acronym[:-1].isupper():
                    found.setdefault(acronym[:-1], " ".join(run))  # "SMRs" defines SMR too
                break
    for match in _ACRONYM_FIRST.finditer(text):
        acronym, expansion = match.group(1), match.group(2)
        letters = [c.lower() for c in acronym.rstrip("s") if c.isalpha()]
        capitals = [w[0].lower() for w in re.findall(r"[A-Za-z][\w’'-]*", expansion) if w[0].isupper()]
        if capitals == letters:
            found.setdefault(acronym, expansion)
    return found


def abbreviates(short: str, text: str) -> bool:
    """Does the text name what the all-capitals `short` abbreviates, though it never defines it? "GM" for the
    initials of "General Motors", "VW" for the letters of one capitalised name, "Volkswagen", taken in order from
    its first."""
    letters = [c.lower() for c in short if c.isalpha()]
    if not short.isupper() or not 2 <= len(letters) <= 4:
        return False
    for run in re.finditer(r"[A-Z][\w'-]*(?:\s+(?:(?:&|and|of|for)\s+)?[A-Z][\w'-]*)*", text):
        words = [w for w in run.group(0).split() if w[0].isupper()]  # "Food and Drug Administration": FDA
        # The name's last words, its head: "US Food and Drug Administration" is the FDA, "Global Market Insights"
        # is no "GM".
        if [w[0].lower() for w in words[-len(letters):]] == letters:
            return True
        for word in words:
            if len(word) >= 3 * len(letters) and word[0].lower() == letters[0] and word[1:].islower() \
                    and re.search(".*".join(letters[1:]), word[1:]):
                return True
    return False


def _initials(word: str) -> list[str]:
    """ "e-bike" -> ["e", "b"]; "Vehicle" -> ["v"]; "US" -> ["U", "S"]: a short word in capitals is an acronym
    itself."""
    if word.isupper() and word.isalpha() and len(word) <= 3:
        return list(word)
    return [part[0] for part in re.split(r"[-/]", word) if part]


def expand(name: str, acronyms: dict[str, str]) -> str:
    """ "EV charging station" -> "electric vehicle charging station" when the report defines EV."""
    if not acronyms:
        return name
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
                         + r")(?:s)?(?![\w-])")
    return pattern.sub(lambda m: acronyms[m.group(1)], name)
