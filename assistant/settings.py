"""Settings read in layers, each later one winning: the defaults, the TOML file (`MARKETQA_CONFIG`, else
`config.toml` in the platform's config directory), the `MARKETQA_*` environment variables, and command-line flags.
`marketqa config` prints every effective value and where it came from.

The language model's settings keep their own layers (`llm.toml`, `MARKETQA_LLM_*`, the `--llm-*` flags): see
`assistant/llm.py`; `marketqa config` shows them beside these.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

from .models import MarketQAError

CONFIG_ENV = "MARKETQA_CONFIG"
_FALSE = ("0", "false", "no", "off")


def _platform_dir(kind: str) -> Callable[[], str]:
    def default() -> str:
        import platformdirs

        return getattr(platformdirs, f"user_{kind}_dir")("marketqa", appauthor=False)

    return default


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _FALSE:
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{raw!r} is not true or false")


def _positive(raw: Any) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError(f"{raw!r} is not a positive number")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    help: str
    default: Callable[[], Any]
    parse: Callable[[Any], Any] = str


SETTINGS = {s.name: s for s in [
    Setting("data_dir", "MARKETQA_DATA", "your report library and the history of questions",
            _platform_dir("data")),
    Setting("cache_dir", "MARKETQA_CACHE", "the indexes of --corpus folders (indexes/ inside it)",
            lambda: os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "marketqa")),
    Setting("history", "MARKETQA_HISTORY", "log every question asked (CLI, UI) with its answer, to SQLite",
            lambda: True, _bool),
    Setting("verify", "MARKETQA_VERIFY", "check the SHA-256 of every index file at each load", lambda: True, _bool),
    Setting("max_upload_mb", "MARKETQA_MAX_UPLOAD_MB", "the largest report the UI or `reports add` accepts, in MB",
            lambda: 10.0, _positive),
]}


def config_path() -> Path:
    explicit = os.environ.get(CONFIG_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("marketqa", appauthor=False)) / "config.toml"


def _file_values() -> tuple[dict[str, Any], Path]:
    path = config_path()
    if not path.is_file():
        if os.environ.get(CONFIG_ENV, "").strip():
            raise MarketQAError(f"{CONFIG_ENV}={path}: no such file")
        return {}, path
    # Read once per version of the file: `get` runs for every answer logged and every folder looked up.
    return _read_file(str(path), path.stat().st_mtime_ns), path


@lru_cache(maxsize=4)
def _read_file(name: str, mtime_ns: int) -> dict[str, Any]:
    path = Path(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MarketQAError(f"settings file {path}: {exc}") from None
    unknown = sorted(k for k, v in data.items() if k not in SETTINGS and not isinstance(v, dict))
    if unknown:
        raise MarketQAError(f"settings file {path}: unknown setting {unknown[0]!r}; known: {', '.join(SETTINGS)}")
    return {k: v for k, v in data.items() if k in SETTINGS}


def resolve(name: str, flag: Optional[Any] = None) -> tuple[Any, str]:
    """The effective value of a setting and where it came from ("default", "file ...", "env ...", "flag")."""
    setting = SETTINGS[name]
    value, source = setting.default(), "default"
    values, path = _file_values()
    if name in values:
        value, source = values[name], f"file {path}"
    raw = os.environ.get(setting.env, "").strip()
    if raw:
        value, source = raw, f"env {setting.env}"
    if flag is not None:
        value, source = flag, "flag"
    try:
        return setting.parse(value), source
    except ValueError as exc:
        raise MarketQAError(f"setting {name} (from {source}): {exc}") from None


def get(name: str) -> Any:
    return resolve(name)[0]


def effective() -> list[dict[str, Any]]:
    """Every setting, the language model's included, with its value and its source."""
    rows = []
    for name, setting in SETTINGS.items():
        value, source = resolve(name)
        rows.append({"name": name, "value": value, "source": source, "env": setting.env, "help": setting.help})
    from .llm import llm_setting_sources

    rows += llm_setting_sources()
    return rows
