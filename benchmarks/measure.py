"""Speed and memory of ingest and questions on the shipped corpus, measured side by side in one run.

    python benchmarks/measure.py            # prints a table; nothing here is a pass/fail test

Reports: fresh ingest time, index size on disk, re-embedded passages after one report changes, question latency
(p50/p95 over 50 gold questions, one process) for marketqa's full `ask` and its hybrid retrieval next to plain
dense retrieval over the same FAISS index (the ratio is what to compare: the machine is shared and noisy), and
peak memory.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core import Assistant  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="marketqa-bench-"))
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    began = time.perf_counter()
    assistant = Assistant(corpus, work / "index", progress=False)
    assistant.embedder.model()  # model load is measured apart from embedding
    model_seconds = time.perf_counter() - began
    result = assistant.ingest()
    ingest_seconds = result.seconds
    size = sum(p.stat().st_size for p in (work / "index").rglob("*") if p.is_file())

    changed = corpus / "multimodal-ai-market-value.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new closing sentence about adoption.\n",
                       encoding="utf-8")
    update = assistant.ingest()

    questions = [json.loads(line)["question"] for line in
                 (ROOT / "eval" / "seed_questions.jsonl").read_text(encoding="utf-8").splitlines()][:50]
    retriever = assistant._current().retriever
    for q in questions[:5]:
        assistant.ask(q)  # warm-up
    ask_ms, hybrid_ms, dense_ms = [], [], []
    from llama_index.core.vector_stores.types import VectorStoreQuery

    for q in questions:
        t = time.perf_counter(); assistant.ask(q); ask_ms.append((time.perf_counter() - t) * 1000)
        retriever.embed_query.cache_clear()
        t = time.perf_counter(); retriever.search(retriever.prepare(q), k=5); hybrid_ms.append((time.perf_counter() - t) * 1000)
        retriever.embed_query.cache_clear()
        t = time.perf_counter()
        vector = assistant.embedder.embed_one(q)
        assistant.index.passage_store.query(VectorStoreQuery(query_embedding=vector.tolist(), similarity_top_k=5))
        dense_ms.append((time.perf_counter() - t) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("model load (s)", f"{model_seconds:.1f}"),
        ("fresh ingest of corpus/ (s)", f"{ingest_seconds:.1f}  ({len(result.index.passages)} passages, "
                                        f"{len(result.index.sentence_rows)} sentences)"),
        ("index size on disk (kB)", f"{size / 1024:.0f}"),
        ("re-embedded after one report changed", f"{update.embedded_passages} of {len(update.index.passages)} passages"),
        ("ask p50 / p95 (ms, 50 questions)", f"{statistics.median(ask_ms):.1f} / {percentile(ask_ms, 0.95):.1f}"),
        ("hybrid retrieval p50 (ms)", f"{statistics.median(hybrid_ms):.1f}"),
        ("plain dense retrieval p50 (ms)", f"{statistics.median(dense_ms):.1f}"),
        ("hybrid / dense latency ratio", f"{statistics.median(hybrid_ms) / statistics.median(dense_ms):.2f}"),
        ("peak memory (MB)", f"{peak_mb:.0f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
