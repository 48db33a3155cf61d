"""Reading the question file of `marketqa ask --questions`: each line on its own, so a bad line costs only itself.

A line is bad when it is not strict JSON (NaN, Infinity, a number too big to hold, nesting too deep to read), not
an object, has an id that cannot be echoed back exactly, repeats an earlier id, or has no valid question (see
`core.validate_question`: bytes that are not UTF-8, for one). A bad line keeps its place: the caller prints an
error object for it, in file order, and still answers every other line.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from .core import json_type, validate_question
from .models import MarketQAError

MAX_ID_CHARS = 200
MAX_EXACT_JSON_INTEGER = 2**53 - 1  # larger integers are rounded by most JSON readers, so the echo would differ
MAX_NUMBER_DIGITS = 100  # any number this long is no question-file field; int() refuses 4,300 digits anyway

Id = Union[str, int, None]


@dataclass(frozen=True)
class QuestionLine:
    line: int  # 1-based line number in the file
    id: Id  # the line's id when it can be echoed exactly, else None
    question: str  # the question as written ("" when the line has no string question)
    error: Optional[str] = None  # why the line cannot be answered; None for a good line

    @property
    def label(self) -> Id:
        """The id its output line carries: its own, or "line N" for a bad line without a usable one."""
        if self.error is not None and self.id is None:
            return f"line {self.line}"
        return self.id


class _Unreadable:
    """Stands in for a JSON value that parsed but cannot be kept (NaN, 1e400, a 5,000-digit number)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def read_question_file(path: Path) -> list[QuestionLine]:
    """Every non-blank line of the file, in order, each either a question to answer or the reason it is not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MarketQAError(f"cannot read question file {path}: {exc.strerror or exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, as some editors write
        data = data[3:]
    # Split the bytes on "\n" only: str.splitlines would also split inside a question at U+2028 or U+0085.
    lines = [
        _read_line(number, raw.rstrip(b"\r"))
        for number, raw in enumerate(data.split(b"\n"), start=1)
        if raw.strip()
    ]
    if not lines:
        raise MarketQAError(f"{path}: no questions")
    first_line_of: dict[Id, int] = {}
    for position, item in enumerate(lines):
        if item.id is None:
            continue
        if item.id in first_line_of and item.error is None:
            lines[position] = QuestionLine(item.line, item.id, item.question,
                                           f"duplicate id {item.id!r} (first on line {first_line_of[item.id]})")
        first_line_of.setdefault(item.id, item.line)
    return lines


def _read_line(number: int, raw: bytes) -> QuestionLine:
    # Bytes that are not UTF-8 become lone surrogates, so that the line's id can still be read; the question
    # holding them is then refused by validate_question, and an id holding them by _id_problem.
    text = raw.decode("utf-8", errors="surrogateescape")
    unreadable: list[_Unreadable] = []

    def keep(value: object, reason: str) -> object:
        if reason:
            unreadable.append(_Unreadable(reason))
            return unreadable[-1]
        return value

    try:
        item = json.loads(
            text,
            parse_constant=lambda name: keep(None, name),
            parse_int=lambda digits: keep(None, f"a number of {len(digits):,} digits") if len(digits) > MAX_NUMBER_DIGITS
            else int(digits),
            parse_float=lambda digits: _finite_float(digits, keep),
        )
    except json.JSONDecodeError as exc:
        return QuestionLine(number, None, "", f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return QuestionLine(number, None, "", "not readable JSON (nested too deeply)")
    if not isinstance(item, dict):
        return QuestionLine(number, None, "", f"not a JSON object but {json_type(item)}")
    id_value = item.get("id")
    id_problem = _id_problem(id_value)
    usable_id = None if id_problem else id_value
    question = item.get("question")
    shown = question if isinstance(question, str) else ""
    if id_problem:
        return QuestionLine(number, None, shown, id_problem)
    if "question" not in item:
        return QuestionLine(number, usable_id, "", 'no "question" field')
    if isinstance(question, _Unreadable):
        return QuestionLine(number, usable_id, "", f"the question must be a string, not {question.reason}")
    try:
        validate_question(question)
    except MarketQAError as exc:
        return QuestionLine(number, usable_id, shown, str(exc))
    if unreadable:  # the question and id are fine, but the line is still not strict JSON
        return QuestionLine(number, usable_id, shown, f"not strict JSON: {unreadable[0].reason}")
    return QuestionLine(number, usable_id, question)


def _finite_float(digits: str, keep) -> object:
    value = float(digits)
    return keep(value, "" if math.isfinite(value) else f"{digits[:20]}, beyond the range of a number")


def _id_problem(value: object) -> Optional[str]:
    """Why an id cannot be echoed back exactly as JSON, or None when it can (or when there is none)."""
    if value is None:
        return None
    if isinstance(value, _Unreadable):
        return f"the id must be a string or an integer, not {value.reason}"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return f"the id must be a string or an integer, not {json_type(value)}"
    if isinstance(value, int):
        if abs(value) > MAX_EXACT_JSON_INTEGER:
            return "the id is an integer too large to read back exactly (the limit is 2^53 - 1)"
        return None
    if len(value) > MAX_ID_CHARS:
        return f"the id is too long ({len(value):,} characters; the limit is {MAX_ID_CHARS})"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "the id contains a lone surrogate, which is not a character"
    return None
