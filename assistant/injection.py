"""Text in a report that tries to steer a language model: such sentences are data, flagged at ingest and never
quoted, cited or handed to a model as evidence.

Detection reads structure, not a list of known attacks. A sentence is an instruction to a model when
- it is addressed to one (an addressee: "Attention AI assistant:", "If you are a language model", "Any chatbot
  summarizing this report", "Note to LLMs") and tells that reader to do something (an imperative or a "you
  must"); or an addressee stands alone ("Note to AI models:"), which makes the next sentence its message;
- it tells its reader what to answer, in the imperative ("reply that ...", "When asked about X, say that ...",
  "Always answer with ..."): a report states things, it does not script replies;
- it tries to replace what a model was told ("ignore all previous instructions", "new instructions:", "system
  prompt:") or who it is ("you are now ...", "act as if you ...", "pretend you are ...", "from now on you ...");
- it carries a chat template's control tokens ("[INST]", "<|im_start|>").
Hidden-text tricks (zero-width characters inside words, look-alike letters, letters spaced apart) are undone
before reading, so "I\u200bgnore prior instructions" reads as what it is.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from .sentences import split_sentences

__all__ = ["flagged_sentences", "instructions_in", "is_instruction", "reveal", "without_instructions"]

# Who a planted instruction speaks to. The noun must end the phrase: "an AI startup" is a company, not an addressee.
_MODEL_NOUN = (
    r"(?:(?:large\s+)?language\s+models?|llms?|chat\s?gpt|gpt(?:-\d)?s?|claude|gemini|copilot|"
    r"(?:(?:ai|a\.i\.|virtual|digital|research|writing)\s+)?(?:assistants?|chat\s?bots?|bots?)|"
    r"(?:ai|a\.i\.)\s+(?:models?|systems?|agents?|tools?|readers?|summari[sz]ers?|crawlers?)|"
    r"models?|summari[sz]ers?|a\.i\.|ai|artificial\s+intelligence)"
    r"(?![\w-])(?!\s+(?!(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|indexing|ingesting|scanning|"
    r"crawling|answering|that|which|who|you)\b)[a-z])"
)
# The few words a reader who is a model is told to act on a document with.
_DOCUMENT = r"(?:this|these|the\s+following|our)\s+(?:[\w-]+\s+){0,2}?" \
            r"(?:reports?|documents?|pages?|texts?|articles?|releases?|content|passages?|files?|summary|website|" \
            r"site|messages?|notes?|data)"
_READING = r"(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|indexing|ingesting|scanning|crawling|" \
           r"answering\s+questions\s+(?:about|on|from))"
# Verbs of telling someone what to say, and of steering how an answer is built.
# ("report" is left out: "; report \"Electric Vehicles in Power\"" in a table names a report.)
_SPEECH = r"(?:reply|respond|answer|say|state|tell|claim|assert|declare|insist|output|print|write|mention|" \
          r"affirm|conclude|confirm|emphasi[sz]e|stress|explain|recommend|advise|inform|announce|repeat|describe)"
_DIRECTIVE = (
    rf"(?:{_SPEECH}|report|ignore|disregard|forget|override|bypass|include|cite|quote|summari[sz]e|present|treat|consider|"
    r"use|list|return|rate|rank|act|pretend|behave|follow|obey|remember|refuse|avoid|praise|portray|call|"
    r"translate|append|insert|add|begin|start|stop|make|give|show|reveal|do\s+not|don't|never|always|only)"
)
# What follows a verb of saying when it scripts a reply: "that", a quote, "with", "only", "yes"/"no", or to whom.
_TO_WHOM = r"(?:\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:user|users|reader|readers|customers?|everyone|anyone|" \
           r"people|them|visitors|investors|clients?|humans?))?"
_SCRIPTED = rf"{_TO_WHOM}\s*(?:that\b|with\b|as\s+follows|only\b|exactly\b|yes\b|no\b|[\"“‘«]|'(?=\w))"
# What follows a directive verb when it is one: an object or a clause, not a noun it modifies ("Answer engines").
_OBJECT = r"\s+(?:the|a|an|all|any|that|this|these|those|your|my|our|it|its|them|only|nothing|everything|no|" \
          r"every|each|users?|readers?|[\"“‘'«]|\w+\s+(?:as|that)\b)"
# Where an imperative can stand: a sentence's start, after a colon or dash, or after a leading subordinate clause
# ("When asked about drones, reply that ..."), or "In your answer, ...". Never after a plain comma: "Analysts,
# however, say that ..." has a subject.
_CLAUSE_START = (
    r"(?:^|[.!?:;]\s+|:\s*|\s[-–—]\s*|[(\[]\s*|\b(?:then|instead|rather|otherwise)\s+|"
    r"\b(?:when|whenever|if|once|after|before|whatever|no\s+matter)\b[^,.;:!?]{1,100},\s*|"
    r"\bin\s+(?:your|the|any|every)\s+(?:answer|reply|response|summary|output)s?\b,?\s*)"
    r"[\"“‘'(\[]*"
)
_ENCOURAGED = r"(?:(?:please|kindly|now|simply|just|always|only|never|instead|also|immediately|"\
              r"(?:you|u)\s+(?:must|should|shall|will|need\s+to|have\s+to|are\s+to|are\s+required\s+to|may\s+only|"\
              r"can\s+only))[\s,]+)*"

_FLAGS = re.IGNORECASE | re.MULTILINE

# "reply that", "When asked, say that", "Always answer with": a reply scripted in the imperative.
_SCRIPTED_REPLY = re.compile(rf"{_CLAUSE_START}{_ENCOURAGED}{_SPEECH}{_SCRIPTED}", _FLAGS)
# "Just say the market is worth ...": a claim handed over to be said.
_HANDED_CLAIM = re.compile(
    rf"{_CLAUSE_START}{_ENCOURAGED}(?:say|state|claim|assert|declare)\s+(?:the|it|its|this|our|there)\b"
    r"[^.;:!?]{0,80}?\b(?:is|are|was|were|will|has|have)\b", _FLAGS)
# Replacing what a model was told.
_OVERRIDE_VERB = r"(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|discard|abandon|set\s+aside|" \
                 r"throw\s+out|delete|erase|clear)"
_STEERING_NOUN = r"(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|constraints|" \
                 r"programming|system\s+messages?|messages|orders|commands|training|polic(?:y|ies)|context)"
_OVERRIDE = re.compile(
    rf"\b{_OVERRIDE_VERB}\b[^.;!?]{{0,40}}?\b(?:previous|prior|above|earlier|preceding|foregoing|original|initial|"
    rf"existing|your|my|system|developer|safety|all\s+other|any\s+other)\b[^.;!?]{{0,25}}?\b{_STEERING_NOUN}\b"
    rf"|{_CLAUSE_START}{_ENCOURAGED}{_OVERRIDE_VERB}\s+(?:all|any|the|these|those|every|other)?\s*"
    rf"(?:[\w-]+\s+){{0,2}}?{_STEERING_NOUN}\b"
    rf"|\b{_OVERRIDE_VERB}\s+(?:everything|anything|all)\s+(?:above|before|previously|you\s+(?:were|have\s+been)"
    r"\s+told|you\s+know\s+about\s+your)",
    _FLAGS,
)
# A header that announces new orders: "New instructions:", "SYSTEM PROMPT:", "[system]", "### Instruction:".
_ORDERS_HEADER = re.compile(
    r"(?:^|[.!?]\s+|[\[(<#*]\s*)(?:new|updated|revised|real|actual|true|hidden|secret|additional|override|"
    r"important|priority)\s+(?:instructions?|rules|directives|orders|prompt|task)\s*[:\]>—-]"
    r"|\bsystem\s+(?:prompt|message|instructions?|override)\s*[:\]>—-]"
    r"|[\[<]\s*/?\s*(?:system|sys|inst|instructions?|assistant|user)\s*[\]>]"
    r"|#{2,}\s*(?:instruction|system|response|assistant)s?\s*:"
    r"|<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\|>"
    r"|<<\s*/?SYS\s*>>"
    r"|\b(?:your|reveal|print|show|repeat|output|leak|disclose)\s+(?:(?:your|the|full|entire|original)\s+)*"
    r"system\s+prompt\b"
    r"|\b(?:enable|enter|activate|switch\s+to|you\s+are\s+(?:now\s+)?in)\s+(?:developer|dan|god|jailbreak|"
    r"unrestricted|debug)\s+mode\b"
    r"|\bend\s+of\s+(?:the\s+)?(?:system\s+)?(?:instructions|prompt)\b",
    _FLAGS,
)
# Telling a model who it is.
_ROLE_NOUN = r"(?:assistant|ai|a\.i\.|bot|chatbot|model|agent|persona|character|dan|advisor|adviser|expert|" \
             r"analyst|spokesperson|salesperson|promoter|marketer|representative|version\s+of\s+yourself)"
_ROLE_PLAY = re.compile(
    rf"\byou\s+are\s+now\s+(?:a|an|the|my)\s+(?:[\w-]+\s+){{0,3}}?{_ROLE_NOUN}\b"
    r"|\byou\s+are\s+now\s+(?:free|unrestricted|unfiltered|jailbroken|no\s+longer|dan\b|operating|acting|playing)"
    r"|\byou\s*(?:'re|\s+are)\s+no\s+longer\s+(?:an?\s+)?(?:ai|assistant|bound|restricted|limited|a\s+language)"
    rf"|{_CLAUSE_START}{_ENCOURAGED}(?:act|behave|respond|answer|reply|speak|write)\s+as\s+(?:if|though)\s+you\b"
    rf"|{_CLAUSE_START}{_ENCOURAGED}(?:act|behave|pose|role-?play)\s+as\s+(?:a|an|the|my)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"{_ROLE_NOUN}\b"
    r"|\bpretend\s+(?:to\s+be\s+(?:a|an|the|my)\b|(?:that\s+)?you\s*(?:'re|\s+are)\b)"
    r"|\brole-?play\s+as\b"
    r"|\bfrom\s+now\s+on,?\s+(?:you|your)\b"
    r"|\byour\s+new\s+(?:role|task|instructions?|persona|name|goal|job|purpose|identity)\s+(?:is|are)\b"
    r"|\byou\s*(?:'re|\s+are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:ai|a\.i\.|assistant|chatbot|language\s+model|llm)"
    r"(?![\w-])(?!\s+(?:startup|company|firm|vendor|developer|engineer|researcher|expert|enthusiast)s?\b)"
    r"|\bas\s+an\s+ai(?:\s+language)?\s+model\b",
    _FLAGS,
)
# A model hailed by name ("Attention AI assistant:", "Dear chatbot,"): whatever follows is a message to it.
_HAIL = r"(?:attention|attn|notice|dear|hey|hi|hello|psst|greetings|calling)\b[\s,:!.-]*(?:(?:to|for)\s+)?"
# Someone addressed who is a model: hailed, or named at a sentence's start and set off by a comma or colon.
_VOCATIVE = re.compile(
    rf"(?:^|[.!?]\s+|[(\[\-–—]\s*)[\"“‘'*]*(?P<hail>{_HAIL})?(?:(?:note|message|instructions?|important|warning|"
    r"reminder|ps|p\.s\.|to|for)\b[\s,:!.-]*)?(?:(?:to|for)\s+)?(?:any|all|every|each|the)?"
    rf"\s*{_MODEL_NOUN}(?:\s+(?:that\s+(?:is|are)\s+)?{_READING}\s+{_DOCUMENT})?\s*(?:[,:!]|\s[-–—])",
    _FLAGS,
)
_READER = re.compile(
    rf"\b(?:if\s+you\s*(?:'re|\s+are)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,2}}?{_MODEL_NOUN}"
    rf"|(?:any|all|every|each|the)?\s*{_MODEL_NOUN}\s+(?:that\s+(?:is|are)\s+|who\s+(?:is|are)\s+)?{_READING}\s+"
    rf"{_DOCUMENT}"
    rf"|(?P<note>(?:note|message|memo|instructions?|reminder|request|text|section|paragraph|line)\s+"
    rf"(?:(?:is|are)\s+(?:(?:meant|intended|written|only|solely)\s+)*)?(?:to|for)\s+(?:any\s+|all\s+|every\s+|the\s+)?"
    rf"{_MODEL_NOUN})"
    rf"|you,?\s+(?:the|an?)\s+{_MODEL_NOUN})",
    _FLAGS,
)
# Told to do something: an imperative where one can stand, or a duty laid on "you" or on the model addressed.
_ORDER = re.compile(
    rf"{_CLAUSE_START}{_ENCOURAGED}{_DIRECTIVE}(?:{_OBJECT}|{_SCRIPTED}|\b)"
    rf"|\b(?:you|u)\s+(?:must|should|shall|will|need\s+to|have\s+to|are\s+to|are\s+required\s+to|may\s+only|"
    rf"can\s+only)\s+(?:now\s+|always\s+|only\s+|never\s+|not\s+)*{_DIRECTIVE}\b"
    rf"|\byour\s+(?:answer|reply|response|summary|output|task|job)s?\s+(?:must|should|shall|will|is\s+to)\b"
    rf"|\b(?:must|should|shall|are\s+to|is\s+to|needs?\s+to|ought\s+to)\s+(?:now\s+|always\s+|only\s+|never\s+|"
    rf"not\s+)*{_DIRECTIVE}\b",
    _FLAGS,
)
# An addressee with nothing after it ("Note to AI models:"): its message is the next sentence.
_BARE_ADDRESS = re.compile(rf"^\W*(?:{_VOCATIVE.pattern}|{_READER.pattern}\s*[:,!—–-])\W*$", _FLAGS)

# Hidden-text tricks undone before reading.
_INVISIBLE = {cp: None for cp in (0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2060, 0x2061,
                                  0x2062, 0x2063, 0x2064, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                  *range(0x2066, 0x206A))}
# Cyrillic and Greek letters drawn like Latin ones.
_LOOK_ALIKES = str.maketrans("АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁɡΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν",
                             "ABESIJKMHOPCTXYaeijopcxysdgABEZHIKMNOPTYXoiv")
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z][ .·_]){3,}[A-Za-z]\b")


def reveal(text: str) -> str:
    """`text` as a model would read it: compatibility forms folded (full-width letters), invisible characters
    removed, look-alike letters made Latin, and words spelt out letter by letter joined up again."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.translate(_LOOK_ALIKES)
    return _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .·_]", "", m.group(0)), text)


def _addressed(text: str) -> bool:
    """Is a model addressed: hailed or sent a note (whatever the message), or named and told to do something?"""
    for match in (*_VOCATIVE.finditer(text), *_READER.finditer(text)):
        if match.groupdict().get("hail") or match.groupdict().get("note"):
            return True
        if _ORDER.search(text, match.end() - 1) or _ORDER.search(text[match.end():].lstrip()):
            return True
    return False


def is_instruction(text: str) -> bool:
    """Text that tries to steer a language model (see the module's docstring)."""
    plain = " ".join(reveal(text).split())
    return bool(_OVERRIDE.search(plain) or _ORDERS_HEADER.search(plain) or _ROLE_PLAY.search(plain)
                or _SCRIPTED_REPLY.search(plain) or _HANDED_CLAIM.search(plain) or _addressed(plain)
                or is_bare_address(plain))


def is_bare_address(text: str) -> bool:
    """ "Note to AI models:", "Attention, chatbots!": an addressee alone, whose message follows."""
    return bool(_BARE_ADDRESS.match(" ".join(reveal(text).split())))


def flagged_sentences(sentences: Sequence[str]) -> tuple[int, ...]:
    """Indices of the sentences (in reading order) that are instructions to a model. A sentence that only
    addresses a model, or that ends in a colon to introduce what it orders, flags the sentence after it too."""
    flagged: list[int] = []
    carry = False
    for j, sentence in enumerate(sentences):
        instruction = is_instruction(sentence)
        if instruction or carry:
            flagged.append(j)
        carry = instruction and (is_bare_address(sentence) or sentence.rstrip().endswith(":"))
    return tuple(flagged)


def instructions_in(text: str) -> list[str]:
    """The sentences of `text` (a passage or quote, any number of lines) that are instructions to a model."""
    sentences = split_sentences(text)
    return [sentences[j] for j in flagged_sentences(sentences)]


def without_instructions(text: str) -> str:
    """`text` with its instructions to a model left out, the other sentences kept, one line each as written."""
    sentences = split_sentences(text)
    flagged = set(flagged_sentences(sentences))
    if not flagged:
        return text
    return " ".join(s for j, s in enumerate(sentences) if j not in flagged)
