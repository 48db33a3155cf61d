"""Where reports live: the shipped corpus (read-only, part of the package) and the user's library (a data folder).

Reports a user adds (an upload in the UI, `marketqa reports add`) are stored in a collection of the data folder,
the platform's user data directory by default (`MARKETQA_DATA` moves it), never beside the code: a checkout stays
clean and an installed package is never written to. The default view answers from the shipped corpus plus the
default collection; the index of that view lives in the collection's own folder.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .corpus_files import SUPPORTED_SUFFIXES, CorpusFile, list_corpus, printable_name, read_report_bytes
from .models import MarketQAError, UnreadableReport

DEFAULT_COLLECTION = "default"
MAX_UPLOAD_NAME_BYTES = 200  # file systems allow 255 bytes; the "-2" of a second upload and ".uploading" need room
_COLLECTION_NAME = re.compile(r"[A-Za-z0-9][\w.-]{0,63}")
_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent  # the project folder when running from a clone


def shipped_corpus() -> Path:
    """The reports that ship with marketqa: corpus/ of a checkout, else the copy installed inside the package."""
    checkout = _CHECKOUT / "corpus"
    if (_CHECKOUT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return _PACKAGE / "shipped_corpus"


def shipped_index() -> Optional[Path]:
    """index/ of a checkout (the fixed layout's place for the shipped corpus's index); None when installed."""
    return _CHECKOUT / "index" if (_CHECKOUT / "pyproject.toml").is_file() else None


def data_dir() -> Path:
    """The data folder (the `data_dir` setting: $MARKETQA_DATA, the settings file, else the platform's)."""
    from .settings import get

    return Path(get("data_dir")).expanduser()


@dataclass(frozen=True)
class Library:
    """One named collection of the user's reports: `reports/` holds the files, `index/` the index of the shipped
    corpus plus these reports."""

    root: Path
    name: str = DEFAULT_COLLECTION

    @classmethod
    def open(cls, name: str = DEFAULT_COLLECTION, data: Optional[Path] = None) -> "Library":
        if not _COLLECTION_NAME.fullmatch(name or ""):
            raise MarketQAError(f"collection name {name!r}: use letters, digits, '.', '_' or '-' (up to 64), "
                                "starting with a letter or digit")
        return cls((data or data_dir()) / "collections" / name, name)

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    def files(self) -> list[CorpusFile]:
        """The collection's report files, each read and hashed (`names` is the cheap listing)."""
        return list_corpus(self.reports_dir) if self.reports_dir.is_dir() else []

    def names(self) -> list[str]:
        """The file names of its reports, without reading them."""
        if not self.reports_dir.is_dir():
            return []
        return sorted(p.name for p in self.reports_dir.iterdir()
                      if not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_SUFFIXES)

    def has_reports(self) -> bool:
        return bool(self.names())

    def store(self, name: str, data: bytes, taken: Sequence[str] = ()) -> Path:
        return store_report(self.reports_dir, name, data, taken)

    def remove(self, name: str) -> Path:
        """Deletes one report file of the collection, named as `reports list` shows it."""
        target = self.reports_dir / Path(name).name
        if Path(name).name != name or name not in self.names():
            known = ", ".join(self.names()) or "none"
            raise MarketQAError(f"{printable_name(name)}: no such report in the '{self.name}' collection "
                                f"(its reports: {known})")
        target.unlink()
        return target


def store_report(folder: Path, name: str, data: bytes, taken: Sequence[str] = ()) -> Path:
    """Writes an upload into `folder` under a name no other report uses (there or in `taken`), or keeps the file
    already there with these bytes. Never overwrites anything; written whole or not at all."""
    safe_name = upload_name(name)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name
    stem, suffix, n = target.stem, target.suffix, 2
    while target.name in taken or (os.path.lexists(target) and not _holds(target, data)):
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    temporary = folder / f".{target.name}.uploading"
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return target


def max_upload_bytes() -> int:
    from .settings import get

    return int(get("max_upload_mb") * 10**6)


def check_upload(name: str, data: bytes) -> str:
    """The name an upload is stored under, or MarketQAError saying why it cannot be one (type, size, name)."""
    safe_name = upload_name(name)
    if Path(safe_name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise MarketQAError(f"{safe_name}: unsupported file type; use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise MarketQAError(f"{safe_name}: {len(data) / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit "
                            "(the max_upload_mb setting)")
    return safe_name


def upload_name(name: str) -> str:
    """The name an uploaded file is stored under: its last part, without the leading dots that would hide it from
    the index; a name that is not clean text is refused rather than stored."""
    base = Path(name).name.lstrip(". ").strip()
    shown = printable_name(base) or "(no name)"
    if shown != base or not Path(base).stem:
        raise MarketQAError(f"{shown}: the file name is empty or has control characters or bytes that are not "
                            "UTF-8; rename the file")
    if len(base.encode()) > MAX_UPLOAD_NAME_BYTES:
        raise MarketQAError(f"{shown[:60]}...: the file name is too long; rename the file")
    return base


def _holds(path: Path, data: bytes) -> bool:
    """The path is a regular file, not a link, with exactly these bytes (an upload already there)."""
    try:
        info = path.lstat()
        return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and read_report_bytes(path) == data
    except (OSError, UnreadableReport):
        return False
