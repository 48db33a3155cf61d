"""The corpus folder as files: which entries are reports, their bytes read safely, and metadata.json checked entry
by entry.

Whatever is wrong with one entry (a dangling or outward symbolic link, a FIFO, a name that is not UTF-8, a file
that cannot be read, a bad metadata entry) is recorded against that entry alone, so an ingest skips it with a
warning naming it and indexes the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .models import MarketQAError, UnreadableReport

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
METADATA_FILE = "metadata.json"  # optional sidecar: {"file name": {"doc", "title", "publisher", "year"}}
MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_METADATA_BYTES = 5 * 1024 * 1024
_DOC_ID = re.compile(r"[\w.-]{1,100}")  # a doc id is part of every passage id ("<doc>#<n>")


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    content_hash: str  # sha256 of the bytes; for a file that cannot be read, what was seen instead (see _problem)
    problem: Optional[str] = None  # why it cannot be read as a report ("dangling symbolic link"); None when it can

    @property
    def name(self) -> str:
        """The file name as it can be printed and stored (a name that is not clean UTF-8 is never indexed)."""
        return printable_name(self.path.name)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def printable_name(name: str) -> str:
    """A file name on one printable line: bytes that are not UTF-8 and control characters shown as escapes."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch if unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}" for ch in text)


def read_report_bytes(path: Path, limit: int = MAX_REPORT_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them. Opened without blocking and checked after opening, so
    a FIFO or device put in a report's place is refused, never read from."""
    name = printable_name(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UnreadableReport(f"{name}: cannot read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableReport(f"{name}: {_kind(info.st_mode)}, not a report file")
        if info.st_size > limit:
            raise UnreadableReport(f"{name}: larger than {limit // (1024 * 1024)} MB")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableReport(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:  # grew after the check
        raise UnreadableReport(f"{name}: larger than {limit // (1024 * 1024)} MB")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _clean_name(name: str) -> bool:
    """A name that is UTF-8 text without control characters, so it can be stored, shown and cited as it is."""
    return printable_name(name) == name


def _problem(path: Path, root: Path) -> Optional[tuple[str, str]]:
    """(why, signature) when the entry cannot be a report file, None when it is a regular file inside the folder.
    The signature stands for the content hash, so that a repaired entry reads as changed."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                return "dangling symbolic link (its target does not exist)", "dangling link"
            if not target.is_relative_to(root):
                return "symbolic link to a file outside the corpus folder", f"link outside: {target}"
            info = target.stat()
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})", "unreadable"
    if not stat.S_ISREG(info.st_mode):
        return f"{_kind(info.st_mode)}, not a report file", _kind(info.st_mode)
    return None


def list_corpus(corpus_dir: Path) -> list[CorpusFile]:
    """The report files of a corpus folder, sorted by name, each with the hash of its bytes or the problem that
    keeps it from being read. Files of other types are not reports and are left out; so are folders, unless named
    like a report. Anything else that is not a regular file inside the folder is listed with its problem."""
    if not corpus_dir.exists():
        raise MarketQAError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise MarketQAError(f"corpus path is not a folder: {corpus_dir}")
    root = corpus_dir.resolve()
    try:
        entries = sorted(corpus_dir.iterdir())
    except OSError as exc:
        raise MarketQAError(f"cannot list the corpus folder {corpus_dir} ({exc.strerror or exc})") from exc
    files = []
    for path in entries:
        if path.name.startswith("."):
            continue
        named_like_report = path.suffix.lower() in SUPPORTED_SUFFIXES
        found = _problem(path, root)
        if found is not None:
            why, signature = found
            if why.startswith("a folder") and not named_like_report:
                continue
            files.append(CorpusFile(path, f"not read: {signature}", why))
        elif not named_like_report:
            continue
        elif not _clean_name(path.name):
            why = "file name is not valid UTF-8 text (or has control characters); rename the file"
            files.append(CorpusFile(path, "not read: file name", why))
        else:
            try:
                files.append(CorpusFile(path, sha256_bytes(read_report_bytes(path))))
            except UnreadableReport as exc:
                why = str(exc).removeprefix(f"{printable_name(path.name)}: ")
                files.append(CorpusFile(path, f"not read: {why} {_size_and_time(path)}", why))
    return files


def list_folders(folders: Sequence[Path]) -> list[CorpusFile]:
    """The report files of several folders (the shipped corpus, then a library): a file named like one in an
    earlier folder is listed with that problem, since a report is known by its file name."""
    files: list[CorpusFile] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        for file in list_corpus(folder):
            if file.name in seen:
                files.append(CorpusFile(file.path, f"not read: same name as in {seen[file.name]}",
                                        f"another report in {seen[file.name]} has the same file name; rename it"))
                continue
            seen[file.name] = folder
            files.append(file)
    return files


def _size_and_time(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_size} {info.st_mtime_ns}"


# --- metadata -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusMetadata:
    """metadata.json read entry by entry: good entries, the reason each bad one is bad, and what was wrong with the
    file as a whole (its entries are then all ignored)."""

    entries: dict[str, dict] = field(default_factory=dict)
    bad_entries: dict[str, str] = field(default_factory=dict)  # file name -> what is wrong with its entry
    problem: Optional[str] = None
    digest: str = ""  # sha256 of the file's bytes ("" when there is none)

    def get(self, name: str) -> Optional[dict]:
        return self.entries.get(name)


def load_metadata(corpus_dir: Path) -> CorpusMetadata:
    path = corpus_dir / METADATA_FILE
    if not os.path.lexists(path):
        return CorpusMetadata()
    found = _problem(path, corpus_dir.resolve())
    if found is not None:
        return CorpusMetadata(problem=f"{METADATA_FILE}: {found[0]}; its entries are ignored")
    try:
        raw = read_report_bytes(path, MAX_METADATA_BYTES)
    except UnreadableReport as exc:
        return CorpusMetadata(problem=f"{exc}; its entries are ignored")
    digest = sha256_bytes(raw)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return CorpusMetadata(problem=f"{METADATA_FILE}: not valid JSON ({exc}); its entries are ignored",
                              digest=digest)
    if not isinstance(data, dict):
        return CorpusMetadata(problem=f"{METADATA_FILE}: must be an object keyed by file name, not "
                                      f"{_json_kind(data)}; its entries are ignored", digest=digest)
    entries: dict[str, dict] = {}
    bad: dict[str, str] = {}
    for name, entry in data.items():
        if entry is None:  # null: nothing said about that file
            continue
        why = _entry_problem(entry)
        if why:
            bad[name] = f"its {METADATA_FILE} entry {why}"
        else:
            entries[name] = {**entry, "year": int(entry["year"]) if entry.get("year") is not None else None}
    return CorpusMetadata(entries, bad, None, digest)


def merged_metadata(folders: Sequence[Path]) -> CorpusMetadata:
    """The metadata.json of each folder, read as one (the first folder's entry wins for a name)."""
    parts = [load_metadata(folder) for folder in folders]
    if len(parts) == 1:
        return parts[0]
    entries: dict[str, dict] = {}
    bad: dict[str, str] = {}
    for part in reversed(parts):
        entries.update(part.entries)
        bad.update(part.bad_entries)
    problems = [p.problem for p in parts if p.problem]
    return CorpusMetadata(entries, bad, "; ".join(problems) or None, "+".join(p.digest for p in parts))


def _entry_problem(entry: object) -> Optional[str]:
    if not isinstance(entry, dict):
        return f"must be an object with doc, title, publisher and year, not {_json_kind(entry)}"
    for key in ("doc", "title", "publisher"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            return f"has a \"{key}\" that is {_json_kind(value)}, not text"
    if entry.get("doc") is not None and not _DOC_ID.fullmatch(entry["doc"]):
        return "has a \"doc\" that is not a short id of letters, digits, '-', '_' and '.'"
    year = entry.get("year")
    if year is not None and not (
        (isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999)
        or (isinstance(year, str) and re.fullmatch(r"\d{4}", year))
    ):
        return f"has a \"year\" that is {_json_kind(year)}, not a four-digit year"
    return None


def _json_kind(value: object) -> str:
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"[:40]
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"
