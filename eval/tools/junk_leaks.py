"""Count web junk that survives ingest or reaches an answer, from labels written by a helper who read no code.

`eval/junk_labels.json` lists, per report file, exact phrases of its junk by category. Two counts:

- kept: junk of the kinds ingest must drop (navigation, cookie banners, share bars, comments, related links,
  newsletter boxes, ads, contact blocks) still in the report's normalized text;
- leaks: citations or answers, in the evaluation results given, that quote any junk, a caption or a dateline, or a
  headline standing alone.

    python eval/tools/junk_leaks.py eval/out/*.json [--max-leaks N]   # exit 1 past N leaks (default 0)

Captions, datelines and headlines stay in the text as context (structure marks say what they are); "about"
labels mark the publisher's own blurb, which is neither junk nor a leak.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.ingest import list_corpus, load_metadata, load_report  # noqa: E402
from assistant.models import MarketQAError  # noqa: E402

DROPPED = {"navigation", "cookie", "share", "comment", "related", "newsletter", "ad", "contact"}
CONTEXT = {"caption", "dateline"}
ALONE_WORDS = 8  # a headline "stands alone" when a quote holds fewer other words than this


def _plain(text: str) -> str:
    """White space collapsed; case kept, so that a dateline's "GOTHENBURG, Sweden" is not the firm's home town
    named in a sentence."""
    return re.sub(r"\s+", " ", text).strip()


def load_labels(path: Path = ROOT / "eval" / "junk_labels.json") -> dict[str, list[dict]]:
    return json.loads(path.read_text(encoding="utf-8"))


def kept_junk(labels: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    """(file, category, phrase) of every junk phrase of a dropped kind still in the normalized text."""
    kept = []
    texts: dict[str, str] = {}
    for folder in sorted({key.rsplit("/", 1)[0] for key in labels}):
        metadata = load_metadata(ROOT / folder)
        for file in list_corpus(ROOT / folder):
            try:
                texts[f"{folder}/{file.path.name}"] = _plain(load_report(file.path, metadata.get(file.path.name)).text)
            except MarketQAError:
                continue
    for key, items in labels.items():
        for item in items:
            if item["category"] in DROPPED and key in texts and _plain(item["phrase"]) in texts[key]:
                kept.append((key, item["category"], item["phrase"]))
    return kept


def leaks(labels: dict[str, list[dict]], results: list[Path]) -> list[tuple[str, str, str, str]]:
    """(result file, question id, category, phrase) of every junk phrase an answer or a citation quotes."""
    phrases = [(item["category"], _plain(item["phrase"])) for items in labels.values() for item in items
               if item["category"] in DROPPED | CONTEXT | {"headline"}]
    found = []
    for path in results:
        data = json.loads(path.read_text(encoding="utf-8"))
        for question in data["questions"]:
            texts = [question.get("answer") or ""] + [quote or "" for quote in question.get("quotes", [])]
            for text in map(_plain, texts):
                for category, phrase in phrases:
                    if phrase not in text:
                        continue
                    if category == "headline" and len(text.split()) - len(phrase.split()) >= ALONE_WORDS:
                        continue  # a headline quoted with the sentences that answer is context
                    found.append((path.name, question["id"], category, phrase))
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="*", type=Path, help="eval result JSON files (marketqa eval --json)")
    parser.add_argument("--max-leaks", type=int, default=0, help="how many leaks to tolerate (default 0)")
    args = parser.parse_args(argv)
    labels = load_labels()
    kept = kept_junk(labels)
    print(f"labels: {sum(map(len, labels.values()))} phrases in {len(labels)} reports "
          f"({', '.join(f'{c} {n}' for c, n in Counter(i['category'] for v in labels.values() for i in v).most_common())})")
    print(f"junk kept in the text: {len(kept)}")
    for key, category, phrase in kept:
        print(f"  kept  {key}  [{category}] {phrase}")
    found = leaks(labels, args.results)
    print(f"answers or citations quoting junk: {len(found)} (over {len(args.results)} result files)")
    for name, qid, category, phrase in found:
        print(f"  leak  {name} {qid}  [{category}] {phrase}")
    return 1 if len(found) > args.max_leaks else 0


if __name__ == "__main__":
    sys.exit(main())
