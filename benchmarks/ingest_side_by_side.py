"""Ingest speed of this checkout next to another one (an older commit), in alternated rounds of one run.

    git worktree add /tmp/marketqa-old <commit>
    python benchmarks/ingest_side_by_side.py /tmp/marketqa-old [--rounds 3]

Two measures, each a ratio new/old (the machines are shared and noisy, so only the ratio means anything):
- reading: every report read and normalized (`load_report`), no model: the shipped corpus, and all corpora
  (shipped, second corpus, real_dev, real_test, real_dev2);
- ingest: a fresh `marketqa ingest` of the shipped corpus (reading, splitting, embedding, facts, writing).
Each round runs old and new in fresh processes, one after the other, in alternating order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ["corpus", "eval/other_corpus", "eval/real_dev", "eval/real_test", "eval/real_dev2"]

_READ = """
import sys, time
from pathlib import Path
from assistant.ingest import list_corpus, load_metadata, load_report
from assistant.models import MarketQAError
began = time.perf_counter()
for folder in sys.argv[1:]:
    metadata = load_metadata(Path(folder))
    for file in list_corpus(Path(folder)):
        try:
            load_report(file.path, metadata.get(file.path.name))
        except MarketQAError:
            pass
print(time.perf_counter() - began)
"""

_INGEST = """
import sys, time
from pathlib import Path
from assistant.core import Assistant
assistant = Assistant(Path(sys.argv[1]), Path(sys.argv[2]), progress=False)
assistant.embedder.model()
began = time.perf_counter()
assistant.ingest()
print(time.perf_counter() - began)
"""


def _run(checkout: Path, script: str, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(checkout), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=checkout, env=env, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the other checkout (e.g. a git worktree of an older commit)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folders = [str(ROOT / c) for c in CORPORA]
    times: dict[tuple[str, str], list[float]] = {}
    for n in range(args.rounds):
        order = [("old", args.old), ("new", ROOT)] if n % 2 == 0 else [("new", ROOT), ("old", args.old)]
        for label, checkout in order:
            times.setdefault(("reading shipped", label), []).append(_run(checkout, _READ, folders[0]))
            times.setdefault(("reading all", label), []).append(_run(checkout, _READ, *folders))
            with tempfile.TemporaryDirectory() as work:
                index = Path(work) / "index"
                times.setdefault(("ingest", label), []).append(
                    _run(checkout, _INGEST, str(ROOT / "corpus"), str(index)))
        print(f"round {n + 1}/{args.rounds} done", file=sys.stderr)
    print(f"{'measure':16} {'old s (median)':>15} {'new s (median)':>15} {'new/old':>8}")
    for measure in ("reading shipped", "reading all", "ingest"):
        old, new = statistics.median(times[(measure, "old")]), statistics.median(times[(measure, "new")])
        print(f"{measure:16} {old:15.2f} {new:15.2f} {new / old:8.2f}")


if __name__ == "__main__":
    main()
