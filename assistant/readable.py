"""Does a decoded file read as language, or is it junk that merely decodes (random printable bytes, base64, hex
dumps, binary data read through a one-byte code page)?

Two measures, neither tied to one language:
- the share of the text's characters that sit in word-shaped tokens: letters of one case pattern ("market",
  "Market", "CAGR", "iPhone"), joined at most by hyphens, apostrophes or dots, or runs of a script without case
  (Chinese, Japanese, Arabic...). Junk tokens mix letters, digits and symbols ("k#9Qe}x", "aGVsbG8=", "3f9a2b").
  Figures, codes and links are neutral: a table of figures is not junk, though it is not words either;
- how much the commonest words repeat (Zipf's law): in any language a few words or characters ("the", "of", "的",
  "の") make up much of a text, while random letters, even in word-shaped groups, hardly repeat at all.
Measured: the 67 reports of corpus/, eval/ and tests/fixtures/ at 0.95+ word share and 0.35+ coverage; coreutils'
translations into 25 languages (German to Japanese, Turkish 0.29 the lowest) pass; random text of eleven kinds fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Of words and junk: reports measure 0.95 and up, a report quoting markup 0.45, random printable ASCII 0.05 or less.
MIN_WORD_SHARE = 0.4
MIN_WORDS_OF_ALL = 0.25  # of all characters, figures too: reports measure 0.6 and up, a hex dump 0.05
COMMON_UNITS = 50
MIN_COMMON_COVERAGE = 0.15  # see common_coverage: languages measure 0.29-0.66, random words 0.01-0.02
MIN_UNITS_FOR_COVERAGE = 1000  # in a shorter text, the 50 most common units cover much of it whatever it is
MAX_WORD_LETTERS = 40  # longer runs of cased letters are not words (a German compound stays well under)
SAMPLE_CHARS = 60_000  # the text is judged on its start, middle and end
MIN_SENTENCE_WORDS = 3  # a report needs at least one line with this many words

_TOKEN = re.compile(r"\S+")
_JOINER = re.compile(r"[-'’./&]")
# Figures with their currency and scale ("US$848M", "€1.2bn", "2023–2026", "41.2%") and short codes ("CO2", "H1",
# "rd4-01", "2025E"): neither words nor junk.
_NUMBER = re.compile(r"[A-Za-z]{0,3}[$€£¥₹]?[+\-−]?\d[\d.,:/%x×+\-−–—]*[A-Za-z]{0,3}")
_CODE = re.compile(r"(?=.*\d)[\w./-]{1,12}")
_LINK = re.compile(r"(?:https?://|www\.)|[\w.+-]{1,64}@[\w-]+\.")  # a link or an e-mail address


def _edge_strip(token: str) -> str:
    """A token without the punctuation and symbols around it ("(2024),", "“Market”", "**bold**")."""
    start, end = 0, len(token)
    while start < end and not unicodedata.category(token[start])[0] in "LN":
        start += 1
    while end > start and not unicodedata.category(token[end - 1])[0] in "LNM":
        end -= 1
    return token[start:end]


def _cased_word(part: str) -> bool:
    """Letters of a cased script in a case pattern words have: all lower, all upper, or capitals only where a part
    of the word begins ("McKinsey", "iPhone", "LiDAR": at most one switch from lower to upper case)."""
    if not part or len(part) > MAX_WORD_LETTERS:
        return False
    switches = 0
    previous_lower = False
    for ch in part:
        category = unicodedata.category(ch)
        if category[0] == "M":
            continue
        if category not in ("Lu", "Ll", "Lt"):
            return False
        if category in ("Lu", "Lt") and previous_lower:
            switches += 1
        previous_lower = category == "Ll"
    return switches <= 1


def _segments(core: str) -> list[tuple[str, bool]]:
    """A token split into runs of caseless-script letters (True) and the rest (False): "2025年のAI市場" has no spaces
    between its words. A combining mark stays with the run before it."""
    out: list[tuple[str, bool]] = []
    start, current = 0, None
    for i, ch in enumerate(core):
        category = unicodedata.category(ch)
        caseless = category in ("Lo", "Lm") or (category[0] == "M" and bool(current))
        if current is not None and caseless != current:
            out.append((core[start:i], current))
            start = i
        current = caseless
    if current is not None:
        out.append((core[start:], current))
    return out


def _is_figure(segment: str) -> bool:
    return not segment or bool(_NUMBER.fullmatch(segment) or _CODE.fullmatch(segment))


def _score_segment(segment: str) -> tuple[int, int]:
    """(word characters, junk characters) of a run of a cased script, digits and symbols."""
    segment = _edge_strip(segment)
    if _is_figure(segment):
        return 0, 0
    parts = [p for p in _JOINER.split(segment) if p]
    if parts and all(_cased_word(p) for p in parts):
        return len(segment), 0
    return 0, len(segment)


def word_counts(text: str) -> tuple[int, int, int, int]:
    """(word characters, junk characters, words, all characters) over the tokens of a text; figures and links
    count in the last alone."""
    word_chars = junk_chars = words = all_chars = 0
    for token in _TOKEN.findall(text):
        all_chars += len(token)
        core = _edge_strip(token)
        if _LINK.match(core):
            continue
        for segment, caseless in _segments(core):
            if caseless:
                word_chars += len(segment)
                words += 1
                continue
            good, bad = _score_segment(segment)
            word_chars += good
            junk_chars += bad
            words += good > 0
    return word_chars, junk_chars, words, all_chars


def _units(text: str) -> list[str]:
    """The words of cased scripts (lower-cased) and the letters of caseless ones, whose words are not spaced."""
    units: list[str] = []
    for token in _TOKEN.findall(text):
        for segment, caseless in _segments(_edge_strip(token)):
            if caseless:
                units.extend(segment)
            elif not _is_figure(_edge_strip(segment)):  # a table's figures are mostly all different
                units.append(_edge_strip(segment).lower())
    return units


def common_coverage(text: str) -> tuple[float, int]:
    """(share of the units taken by the COMMON_UNITS most frequent ones, units counted). Every language repeats a
    few words or characters most of the time ("the", "of", "的", "の"); random text hardly repeats at all."""
    units = _units(text)
    if not units:
        return 0.0, 0
    top = sum(n for _, n in Counter(units).most_common(COMMON_UNITS))
    return top / len(units), len(units)


def sample(text: str) -> str:
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return "\n".join((text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:]))


def junk_reason(text: str) -> str | None:
    """Why a decoded text is not readable text, or None when it is."""
    part = sample(text)
    word_chars, junk_chars, _, all_chars = word_counts(part)
    if word_chars < MIN_WORD_SHARE * (word_chars + junk_chars) or word_chars < MIN_WORDS_OF_ALL * all_chars:
        return f"no readable text (only {word_chars / max(1, all_chars):.0%} of it reads as words)"
    coverage, units = common_coverage(part)
    if units >= MIN_UNITS_FOR_COVERAGE and coverage < MIN_COMMON_COVERAGE:
        return f"no readable text (its words hardly repeat, as in random text: {coverage:.0%})"
    return None


def has_sentence_with_words(text: str) -> bool:
    """At least one line says something in words (not only figures, symbols or one-word labels)."""
    return any(word_counts(line)[2] >= MIN_SENTENCE_WORDS for line in text.split("\n") if line.strip())
