"""One region vocabulary for the whole code: ISO 3166 countries (pycountry), the UN M49 regions, and the
groupings market reports use (APAC, EMEA, LATAM, MEA, Middle East, the Nordics).

Every module that asks "is this a region?" or "which region does this text name?" reads it here, so a
question, a report sentence and the facts table agree on what a region is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# UN M49 regions and sub-regions, and the groupings reports use; each maps to its canonical name.
_GROUPS = {
    "Africa": ("Africa", "African"),
    "Northern Africa": ("Northern Africa", "North Africa"),
    "Sub-Saharan Africa": ("Sub-Saharan Africa",),
    "Eastern Africa": ("Eastern Africa", "East Africa"),
    "Middle Africa": ("Middle Africa", "Central Africa"),
    "Southern Africa": ("Southern Africa",),
    "Western Africa": ("Western Africa", "West Africa"),
    "Americas": ("Americas", "the Americas"),
    "Latin America": ("Latin America", "Latin America and the Caribbean", "LATAM", "LatAm", "Latin American"),
    "Caribbean": ("Caribbean",),
    "Central America": ("Central America",),
    "South America": ("South America", "South American"),
    "North America": ("North America", "Northern America", "North American"),
    "Asia": ("Asia", "Asian"),
    "Central Asia": ("Central Asia",),
    "East Asia": ("Eastern Asia", "East Asia"),
    "Southeast Asia": ("South-eastern Asia", "Southeast Asia", "South-East Asia", "South East Asia", "ASEAN"),
    "South Asia": ("Southern Asia", "South Asia"),
    "Western Asia": ("Western Asia",),
    "Asia Pacific": ("Asia Pacific", "Asia-Pacific", "APAC", "APJ", "Asia/Pacific"),
    "Europe": ("Europe", "European"),
    "Eastern Europe": ("Eastern Europe",),
    "Northern Europe": ("Northern Europe",),
    "Southern Europe": ("Southern Europe",),
    "Western Europe": ("Western Europe",),
    "European Union": ("European Union", "EU", "EU27", "EU-27"),
    "Nordics": ("Nordics", "Nordic", "Scandinavia", "Scandinavian"),
    "Oceania": ("Oceania", "Australia and New Zealand", "ANZ"),
    "Middle East": ("Middle East", "Middle Eastern", "GCC", "Gulf"),
    "Middle East and Africa": ("Middle East and Africa", "Middle East & Africa", "MEA"),
    "EMEA": ("EMEA",),
    "United States": ("U.S.", "US", "USA", "U.S.A.", "United States of America", "American"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain", "British"),
}
# Demonyms of the countries reports name most; pycountry has names only.
_DEMONYMS = {
    "China": "Chinese", "India": "Indian", "Japan": "Japanese", "Germany": "German", "France": "French",
    "Italy": "Italian", "Spain": "Spanish", "Canada": "Canadian", "Mexico": "Mexican", "Brazil": "Brazilian",
    "Australia": "Australian", "Korea, Republic of": "Korean", "Russian Federation": "Russian",
    "Saudi Arabia": "Saudi", "Indonesia": "Indonesian", "Netherlands": "Dutch", "Sweden": "Swedish",
    "Norway": "Norwegian", "Denmark": "Danish", "Switzerland": "Swiss", "Poland": "Polish",
}
_SHORT_NAMES = {"Korea, Republic of": "South Korea", "Russian Federation": "Russia", "Viet Nam": "Vietnam",
                "Taiwan, Province of China": "Taiwan", "Iran, Islamic Republic of": "Iran",
                "United Arab Emirates": "UAE"}
# Country names that are also common English words need a capital letter to count.
_CAPITAL_ONLY = {"Turkey", "Chad", "Jersey", "Georgia", "Guinea", "Jordan", "Niger", "Mali", "Oman", "Peru",
                 "Guernsey", "Monaco", "Cuba", "Iceland", "Gulf", "US", "EU", "ANZ", "American", "British",
                 "Spanish", "Polish", "Swiss", "Dutch", "Danish"}


@dataclass(frozen=True)
class RegionMention:
    region: str  # canonical name, e.g. "Asia Pacific"
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Every written form -> canonical region name."""
    import pycountry

    forms: dict[str, str] = {}
    for country in pycountry.countries:
        canonical = _SHORT_NAMES.get(country.name, getattr(country, "common_name", None) or country.name)
        for form in {country.name, canonical, getattr(country, "common_name", None)}:
            if form and "," not in form:
                forms[form] = canonical
        if country.name in _DEMONYMS:
            forms[_DEMONYMS[country.name]] = canonical
    for canonical, written in _GROUPS.items():
        for form in written:
            forms[form] = canonical
        forms.setdefault(canonical, canonical)
    return forms


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    forms = sorted(_vocabulary(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _lower_forms() -> dict[str, str]:
    return {form.lower(): form for form in _vocabulary()}


def find_regions(text: str) -> list[RegionMention]:
    """The regions a text names, in order, each with its canonical name."""
    found = []
    for match in _pattern().finditer(text):
        written = match.group(1)
        form = _lower_forms()[written.lower()]
        if form in _CAPITAL_ONLY and written != form and written.upper() != form.upper():
            continue
        if form in _CAPITAL_ONLY and not written[0].isupper():
            continue
        if form in ("US", "EU") and written != form:
            continue  # "us" the pronoun
        if form in ("US", "U.S.", "American") and re.match(r"\s*(?:\$|dollars?\b)", text[match.end(1):], re.IGNORECASE):
            continue  # "US$", "US dollars" is a currency
        found.append(RegionMention(_vocabulary()[form], match.start(1), match.end(1), written))
    return found


def regions_in(text: str) -> set[str]:
    return {m.region for m in find_regions(text)}


def is_region_word(word: str) -> bool:
    """True when the word (or phrase) is a written form of a region."""
    form = _lower_forms().get(word.lower())
    return form is not None and not (form in ("US", "EU") and word != form)
