"""The `marketqa` commands that manage what the assistant keeps: the report library (`reports`), the history of
questions (`logs`) and the settings (`config`).

Kept apart from cli.py, which asks and scores; both are thin layers over `Assistant` and `Library`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Callable, Optional

from .library import DEFAULT_COLLECTION, Library, shipped_corpus
from .models import MarketQAError

REPORTS_EPILOG = """\
The shipped corpus is read-only. Reports you add are kept in a collection of your data folder
(MARKETQA_DATA, else the platform's user data directory); `ask`, `facts`, `audit` and the UI answer from the
shipped corpus plus the collection (--collection NAME picks another). `eval` scores the shipped corpus alone.
"""


def collection_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--collection", default=DEFAULT_COLLECTION, metavar="NAME",
                     help=f"your library collection to answer from beside the shipped corpus (default: "
                          f"{DEFAULT_COLLECTION}; ignored with --corpus or --index)")


def library_of(args: argparse.Namespace) -> Optional[Library]:
    """The collection a command reads beside the shipped corpus: none when it names its own --corpus or --index."""
    if getattr(args, "corpus", None) is not None or getattr(args, "index", None) is not None:
        return None
    name = getattr(args, "collection", None)
    return Library.open(name) if name else None


def add_management_parsers(commands: argparse._SubParsersAction) -> None:
    reports = commands.add_parser("reports", help="list, add or remove the reports of your library",
                                  formatter_class=argparse.RawDescriptionHelpFormatter, epilog=REPORTS_EPILOG)
    actions = reports.add_subparsers(dest="action", required=True, parser_class=type(reports))
    listing = actions.add_parser("list", help="every report answered from: shipped, then your collection's")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    collection_option(listing)
    add = actions.add_parser("add", help="copy report files into your collection and index them")
    add.add_argument("files", nargs="+", type=Path, help=".txt, .md, .html or .pdf files")
    collection_option(add)
    remove = actions.add_parser("remove", help="delete reports from your collection and update the index")
    remove.add_argument("names", nargs="+", help="file names as `marketqa reports list` shows them")
    collection_option(remove)

    logs = commands.add_parser("logs", help="the questions asked so far (CLI and UI), with their answers")
    logs.add_argument("-n", "--count", type=int, default=10, metavar="N", help="the last N (default 10; 0: all)")
    logs.add_argument("--json", action="store_true", help="print the answer objects, one JSON object per line")

    config = commands.add_parser("config", help="every setting's effective value and where it came from")
    config.add_argument("--json", action="store_true", help="print the settings as JSON")


def cmd_reports(args: argparse.Namespace) -> int:
    library = Library.open(args.collection)
    if args.action == "list":
        return _list(library, args.json)
    from .core import Assistant

    assistant = Assistant(library=library)
    if args.action == "add":
        for path in args.files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise MarketQAError(f"{path}: cannot read ({exc.strerror or exc})") from None
            result = assistant.add_report(path.name, data)
            print(f"added {path.name}: {result.summary()}")
    else:
        for name in args.names:
            result = assistant.remove_report(name)
            print(f"removed {name}: {result.summary()}")
    print(f"collection '{library.name}': {library.reports_dir}")
    return 0


def _list(library: Library, as_json: bool) -> int:
    from .corpus_files import list_corpus

    rows = [{"name": f.name, "where": "shipped (read-only)", "path": str(f.path), "problem": f.problem}
            for f in list_corpus(shipped_corpus())]
    rows += [{"name": f.name, "where": f"collection {library.name}", "path": str(f.path), "problem": f.problem}
             for f in library.files()]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        note = f"  (not read: {row['problem']})" if row["problem"] else ""
        print(f"{row['name']:{width}}  {row['where']}{note}")
    added = sum(1 for row in rows if row["where"].startswith("collection"))
    print(f"{len(rows)} reports ({added} in collection '{library.name}': {library.reports_dir})")
    return 0


def cmd_logs(args: argparse.Namespace) -> int:
    from .history import history_path, recent

    if args.count < 0:
        raise MarketQAError("-n must be 0 (all) or more")
    entries = recent(None if args.count == 0 else args.count)
    if args.json:
        for entry in entries:
            print(json.dumps({**entry["answer"], "log_id": entry["id"], "asked_at": entry["asked_at"],
                              "face": entry["face"]}, ensure_ascii=False))
        return 0
    if not entries:
        print(f"No questions logged yet ({history_path()}).")
    for entry in entries:
        answer = entry["answer"]
        cited = ", ".join(f"[{c['n']}] {c['passage']}" for c in answer.get("citations") or [] if c.get("cited", True))
        print(f"#{entry['id']}  {entry['asked_at']}  {entry['face']}  {answer['route']}")
        print(f"  Q: {answer['question']}")
        print(f"  A: {' '.join(answer['answer'].split())[:300]}")
        if cited:
            print(f"  cited: {cited}")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from .settings import config_path, effective

    rows = effective()
    if args.json:
        print(json.dumps({"file": str(config_path()), "settings": rows}, indent=2, ensure_ascii=False, default=str))
        return 0
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        print(f"{row['name']:{width}}  {str(row['value']):40}  from {row['source']:28}  [{row['env']}]")
    print(f"\nsettings file: {config_path()} (later wins: default < file < environment < flag)")
    return 0


MANAGEMENT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "reports": cmd_reports, "logs": cmd_logs, "config": cmd_config}
