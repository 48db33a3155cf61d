"""The history: every question asked through the CLI or the UI, with its answer, citations and route, kept in
SQLite in the data folder (`marketqa logs` reads it back; the `history` setting turns it off). Evaluation runs
are not logged: they are not questions anybody asked."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Optional

from .models import Answer, MarketQAError

FILE_NAME = "history.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    face TEXT NOT NULL,
    question TEXT NOT NULL,
    route TEXT NOT NULL,
    answer TEXT NOT NULL,
    answer_json TEXT NOT NULL
)"""


def history_path() -> Path:
    from .library import data_dir

    return data_dir() / FILE_NAME


def log_answer(answer: Answer, face: str) -> None:
    """Appends one answer, unless the `history` setting is off. A history that cannot be written never costs the
    answer: the failure is said once on stderr."""
    from .settings import get

    if not get("history"):
        return
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=10)) as db, db:
            db.execute(_SCHEMA)
            db.execute("INSERT INTO answers (asked_at, face, question, route, answer, answer_json) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (time.strftime("%Y-%m-%dT%H:%M:%S"), face, _text(answer.question), answer.route,
                        _text(answer.answer), json.dumps(answer.to_dict(), ensure_ascii=True)))
    except Exception as exc:  # noqa: BLE001 - the history never costs an answer: a full disk, a lock, odd text
        import sys

        print(f"marketqa: warning: the history could not be written to {path} ({type(exc).__name__}: {exc})",
              file=sys.stderr)


def _text(value: str) -> str:
    """Text SQLite can store: a lone surrogate (what Python makes of bytes that are not UTF-8) replaced."""
    return value.encode("utf-8", "replace").decode("utf-8")


def recent(limit: Optional[int] = 20) -> list[dict[str, Any]]:
    """The latest answers, oldest first: each {"id", "asked_at", "face", "answer": the answer object}."""
    path = history_path()
    if not path.is_file():
        return []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
            rows = db.execute("SELECT id, asked_at, face, answer_json FROM answers ORDER BY id DESC LIMIT ?",
                              (-1 if limit is None else limit,)).fetchall()
    except sqlite3.Error as exc:
        raise MarketQAError(f"cannot read the history {path} ({exc})") from None
    return [{"id": i, "asked_at": at, "face": face, "answer": json.loads(body)} for i, at, face, body in rows[::-1]]
