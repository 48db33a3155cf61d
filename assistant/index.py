"""The persisted index: reports, passages, their vectors in FAISS, and the facts table.

Layout of an index folder:
    manifest.json          points at the current generation; replaced atomically as the last step of an ingest
    gen-<id>/              one complete, immutable build: reports.json, passages.jsonl, passage_vectors.npy,
                           sentence_vectors.npy, passages.faiss, sentences.faiss, facts.json
An interrupted ingest leaves manifest.json pointing at the previous generation, which stays usable.

The manifest records the SHA-256 of every file of its generation and of itself. A flipped bit in any of them can
parse cleanly and change an answer (8934000000 read as 9934000000), so loading verifies them unless the user turns
that off with MARKETQA_VERIFY=0; an ingest always verifies, and never reuses vectors from a damaged generation.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

import numpy as np

from .embedding import Embedder
from .facts import extract_facts, facts_from_rows, facts_to_rows
from .corpus_files import CorpusFile, list_folders, merged_metadata
from .ingest import UnreadableReport, load_report, with_unique_doc
from .integrity import MANIFEST, generation_damage, manifest_digest, sha256_file, verification_wanted
from .models import Fact, MarketQAError, Passage, Report
from .passages import CHUNKING_VERSION, DEFAULT_MAX_WORDS, split_passages

FORMAT_VERSION = 2  # 2: the manifest records checksums
REBUILD_ADVICE = "run `marketqa ingest` to rebuild it"
MAX_WARNING_CHARS = 400


class CorruptIndex(MarketQAError):
    """An index file that cannot be read back or fails its checksum; `damage` says which file and how."""

    def __init__(self, damage: str, advice: str = REBUILD_ADVICE) -> None:
        super().__init__(f"{damage}; {advice}")
        self.damage = damage


@dataclass
class CorpusIndex:
    """Everything a question needs, loaded into memory."""

    path: Path
    manifest: dict
    reports: dict[str, Report]
    passages: list[Passage]
    passage_vectors: np.ndarray  # row i belongs to passages[i]
    sentence_vectors: np.ndarray  # rows follow passages, then their sentences, in order
    sentence_rows: list[tuple[int, int]]  # row -> (passage index, sentence index)
    facts: list[Fact]
    passage_store: object = field(repr=False)  # llama_index FaissVectorStore over passage_vectors
    sentence_store: object = field(repr=False)  # the same over sentence_vectors

    def report_passages(self, doc: str) -> list[int]:
        return [i for i, p in enumerate(self.passages) if p.doc == doc]


@dataclass
class IngestResult:
    index: CorpusIndex
    embedded_passages: int
    reports_new: list[str]
    reports_changed: list[str]
    reports_unchanged: list[str]
    reports_removed: list[str]
    skipped: list[str]  # one warning per file that could not be read: "skipped NAME: why"
    seconds: float

    def summary(self) -> str:
        parts = [
            f"{len(self.index.reports)} reports, {len(self.index.passages)} passages, {len(self.index.facts)} facts",
            f"embedded {self.embedded_passages} passages",
            f"new {len(self.reports_new)}, changed {len(self.reports_changed)}, "
            f"unchanged {len(self.reports_unchanged)}, removed {len(self.reports_removed)}",
            f"{self.seconds:.1f} s",
        ]
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} file(s) that could not be read")
        return "; ".join(parts)


# --- reading ------------------------------------------------------------------------------------


def read_manifest(index_dir: Path) -> Optional[dict]:
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("generation"), str):
            raise ValueError("missing generation")
        # An index of an older format has no checksum; it is rebuilt as incompatible, not reported as damaged.
        if manifest.get("format_version") == FORMAT_VERSION and manifest.get("checksum") != manifest_digest(manifest):
            raise ValueError("its SHA-256 differs from the one it records")
    except (OSError, ValueError) as exc:
        raise CorruptIndex(f"index manifest {path} is corrupt ({exc})") from exc
    return manifest


def _faiss_store(vectors: np.ndarray):
    import faiss
    from llama_index.vector_stores.faiss import FaissVectorStore

    flat = faiss.IndexFlatIP(vectors.shape[1] if vectors.size else Embedder.dimension)
    if len(vectors):
        flat.add(vectors)
    return FaissVectorStore(faiss_index=flat)


def _read(gen: Path, name: str, reader: Callable[[Path], object]):
    """One generation file through its reader; any failure to parse it names the file."""
    path = gen / name
    try:
        return reader(path)
    except (OSError, EOFError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise CorruptIndex(f"index file {path} cannot be read ({type(exc).__name__}: {str(exc)[:120]})") from exc


def _read_reports(path: Path) -> dict[str, Report]:
    return {r["doc"]: Report(**{**r, "warnings": tuple(r.get("warnings", ())),
                                "marks": tuple(tuple(m) for m in r.get("marks", ()))})
            for r in json.loads(path.read_text(encoding="utf-8"))}


def _read_passages(path: Path) -> list[Passage]:
    passages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["sentences"] = tuple(tuple(s) for s in row["sentences"])
        row["flags"] = tuple(row["flags"])
        row["kinds"] = tuple(row.get("kinds", ()))
        passages.append(Passage(**row))
    return passages


def _read_vectors(path: Path) -> np.ndarray:
    return np.load(path, allow_pickle=False)


def _read_store(path: Path):
    from llama_index.vector_stores.faiss import FaissVectorStore

    return FaissVectorStore.from_persist_path(str(path))


def load_index(index_dir: Path, *, verify: Optional[bool] = None) -> CorpusIndex:
    """Read the current generation; `verify` (default: unless MARKETQA_VERIFY=0) checks every file's SHA-256 first."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise MarketQAError(f"no index at {index_dir}; run `marketqa ingest` first")
    if verify if verify is not None else verification_wanted():
        damage = generation_damage(index_dir, manifest)
        if damage:
            raise CorruptIndex(damage[0])
    gen = index_dir / manifest["generation"]
    reports = _read(gen, "reports.json", _read_reports)
    passages = _read(gen, "passages.jsonl", _read_passages)
    passage_vectors = _read(gen, "passage_vectors.npy", _read_vectors)
    sentence_vectors = _read(gen, "sentence_vectors.npy", _read_vectors)
    facts = _read(gen, "facts.json", lambda path: facts_from_rows(json.loads(path.read_text(encoding="utf-8"))))
    passage_store = _read(gen, "passages.faiss", _read_store)
    sentence_store = _read(gen, "sentences.faiss", _read_store)
    sentence_rows = [(i, j) for i, p in enumerate(passages) for j in range(len(p.sentences))]
    mismatches = count_mismatches(manifest, passages, sentence_rows, passage_vectors, sentence_vectors,
                                  passage_store.client.ntotal, sentence_store.client.ntotal)
    if mismatches:
        name, problem = mismatches[0]
        raise CorruptIndex(f"index file {gen / name} is corrupt ({problem})")
    return CorpusIndex(index_dir, manifest, reports, passages, passage_vectors, sentence_vectors, sentence_rows,
                       facts, passage_store, sentence_store)


def count_mismatches(manifest: dict, passages: Sequence[Passage], sentence_rows: Sequence[tuple[int, int]],
                     passage_vectors: np.ndarray, sentence_vectors: np.ndarray, passage_total: int,
                     sentence_total: int) -> list[tuple[str, str]]:
    """(file, problem) for every vector or FAISS count that does not match the passages and sentences."""
    dimension = manifest.get("dimension")
    problems = []
    for name, vectors, rows, what in [("passage_vectors.npy", passage_vectors, len(passages), "passages"),
                                      ("sentence_vectors.npy", sentence_vectors, len(sentence_rows), "sentences")]:
        if vectors.shape != (rows, dimension):
            problems.append((name, f"shape {vectors.shape} for {rows} {what} of dimension {dimension}"))
    for name, total, rows, what in [("passages.faiss", passage_total, len(passages), "passages"),
                                    ("sentences.faiss", sentence_total, len(sentence_rows), "sentences")]:
        if total != rows:
            problems.append((name, f"{total} vectors for {rows} {what}"))
    return problems


def incompatibilities(manifest: dict) -> list[str]:
    """What differs between the index's build and this version, each naming both sides."""
    reasons = []
    for key, what, current in [("format_version", "index format", FORMAT_VERSION),
                               ("embedding_model", "embedding model", Embedder.name),
                               ("dimension", "embedding dimension", Embedder.dimension),
                               ("chunking_version", "passage splitting rules version", CHUNKING_VERSION)]:
        built = manifest.get(key)
        if built != current:
            reasons.append(f"{what}: built with {built if built is not None else 'none recorded'}, "
                           f"this version uses {current}")
    return reasons


def _compatible(manifest: dict) -> bool:
    return not incompatibilities(manifest)


def stale_reasons(manifest: Optional[dict], files: Sequence[CorpusFile]) -> list[str]:
    """Why an index no longer matches the model, the splitting rules or the corpus ([] = fresh)."""
    if manifest is None:
        return ["no index yet"]
    reasons = incompatibilities(manifest)
    indexed = {entry["source"]: entry["content_hash"] for entry in manifest.get("reports", {}).values()}
    indexed.update({name: digest for name, digest in manifest.get("skipped_files", {}).items()})
    current = {f.name: f.content_hash for f in files}
    for name in sorted(current.keys() - indexed.keys()):
        reasons.append(f"new report {name}")
    for name in sorted(indexed.keys() - current.keys()):
        reasons.append(f"report {name} was removed")
    for name in sorted(current.keys() & indexed.keys()):
        if current[name] != indexed[name]:
            reasons.append(f"report {name} changed")
    return reasons


# --- writing ------------------------------------------------------------------------------------


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder, across processes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_generation(gen: Path, reports: list[Report], passages: list[Passage], passage_vectors: np.ndarray,
                      sentence_vectors: np.ndarray, facts: list[Fact]) -> dict[str, str]:
    """Write one generation; returns the SHA-256 of every file in it, read back from disk after fsync."""
    gen.mkdir(parents=True)
    (gen / "reports.json").write_text(json.dumps([asdict(r) for r in reports], ensure_ascii=False), encoding="utf-8")
    with open(gen / "passages.jsonl", "w", encoding="utf-8") as out:
        for p in passages:
            out.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    np.save(gen / "passage_vectors.npy", passage_vectors)
    np.save(gen / "sentence_vectors.npy", sentence_vectors)
    (gen / "facts.json").write_text(json.dumps(facts_to_rows(facts), ensure_ascii=False), encoding="utf-8")
    _faiss_store(passage_vectors).persist(persist_path=str(gen / "passages.faiss"))
    _faiss_store(sentence_vectors).persist(persist_path=str(gen / "sentences.faiss"))
    checksums = {}
    for child in sorted(gen.iterdir()):
        with open(child, "rb") as handle:
            os.fsync(handle.fileno())
        checksums[child.name] = sha256_file(child)
    return checksums


def _replace_manifest(index_dir: Path, manifest: dict) -> None:
    tmp = index_dir / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    manifest = {**manifest, "checksum": manifest_digest(manifest)}
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / MANIFEST)


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith("gen-") and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def _previous(index_dir: Path, warn: Callable[[str], None]) -> Optional[CorpusIndex]:
    """The index to reuse vectors from, if it was built with the same model and splitting rules and every file
    passes its checksum: vectors of a damaged generation are never carried into the next."""
    try:
        manifest = read_manifest(index_dir)
        if manifest is None or not _compatible(manifest):
            return None
        return load_index(index_dir, verify=True)
    except CorruptIndex as exc:
        warn(f"warning: {exc.damage}; rebuilding the index from the corpus")
        return None


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    progress: bool = True,
    warn: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
    reuse_from: Sequence[Path] = (),
    also: Sequence[Path] = (),
) -> IngestResult:
    """Build or update the index of a corpus folder (and the folders `also` names, a library's); only new or
    changed reports are embedded."""
    began = time.perf_counter()
    files = list_folders([corpus_dir, *also])
    if not files:
        raise MarketQAError(f"corpus folder {corpus_dir} has no reports (.txt, .md, .html, .pdf)")
    metadata = merged_metadata([corpus_dir, *also])
    with ingest_lock(index_dir):
        previous = _previous(index_dir, warn)
        donors = [previous] if previous else []
        for other in reuse_from:
            donor = _previous(other, lambda _message: None)
            if donor:
                donors.append(donor)
        old_entries = previous.manifest.get("reports", {}) if previous else {}
        old_by_source = {entry["source"]: (doc, entry) for doc, entry in old_entries.items()}

        reports: list[Report] = []
        skipped: dict[str, str] = {}
        warnings: list[str] = [f"skipped {metadata.problem}"] if metadata.problem else []
        taken: set[str] = set()
        for file in files:
            why = file.problem or metadata.bad_entries.get(file.name)
            if why is None:
                try:
                    report = with_unique_doc(load_report(file.path, metadata.get(file.name)), taken)
                except UnreadableReport as exc:
                    why = str(exc).removeprefix(f"{file.name}: ")
                except Exception as exc:  # noqa: BLE001 - a reader's failure on one file must not stop the others
                    why = f"could not be read ({type(exc).__name__}: {exc})"
            if why is not None:
                warnings.append(" ".join(f"skipped {file.name}: {why}".split())[:MAX_WARNING_CHARS])
                skipped[file.name] = file.content_hash
                continue
            taken.add(report.doc)
            reports.append(report)
        for message in warnings:
            warn(f"warning: {message}")
        if not reports:
            raise MarketQAError(f"corpus folder {corpus_dir} has no readable reports")

        passages: list[Passage] = []
        passage_vectors: list[np.ndarray] = []
        sentence_vectors: list[np.ndarray] = []
        to_embed: list[tuple[int, list[Passage], Report]] = []
        new, changed, unchanged = [], [], []
        for report in reports:
            reused = _reuse(report, donors)
            if report.source in old_by_source:
                (unchanged if reused is not None else changed).append(report.doc)
            elif reused is not None and not old_entries:
                unchanged.append(report.doc)  # a first build that starts from another index (a library's)
            else:
                new.append(report.doc)
            if reused is not None:
                report_passages, p_vectors, s_vectors = reused
                passage_vectors.append(p_vectors)
                sentence_vectors.append(s_vectors)
            else:
                report_passages = split_passages(report)
                to_embed.append((len(passage_vectors), report_passages, report))
                passage_vectors.append(np.zeros((0, Embedder.dimension), np.float32))
                sentence_vectors.append(np.zeros((0, Embedder.dimension), np.float32))
            passages.extend(report_passages)

        embedded = sum(len(ps) for _, ps, _ in to_embed)
        if to_embed:
            texts = [p.embedding_text() for _, ps, _ in to_embed for p in ps]
            sentences = [r.text[s:e] for _, ps, r in to_embed for p in ps for s, e in p.sentences]
            if progress:
                print(f"Embedding {len(texts)} passages and {len(sentences)} sentences of "
                      f"{len(to_embed)} report(s)...", file=sys.stderr)
            p_all = embedder.embed(texts, progress=progress)
            s_all = embedder.embed(sentences, progress=progress)
            p_cursor = s_cursor = 0
            for slot, report_passages, _ in to_embed:
                n_p = len(report_passages)
                n_s = sum(len(p.sentences) for p in report_passages)
                passage_vectors[slot] = p_all[p_cursor : p_cursor + n_p]
                sentence_vectors[slot] = s_all[s_cursor : s_cursor + n_s]
                p_cursor += n_p
                s_cursor += n_s

        all_passage_vectors = np.vstack(passage_vectors).astype(np.float32)
        all_sentence_vectors = np.vstack(sentence_vectors).astype(np.float32)
        reports = [_with_flag_warnings(r, passages, warn) for r in reports]
        facts = [fact for r in reports for fact in extract_facts(r, [p for p in passages if p.doc == r.doc])]

        generation = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        checksums = _write_generation(index_dir / generation, reports, passages, all_passage_vectors,
                                      all_sentence_vectors, facts)
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        manifest = {
            "format_version": FORMAT_VERSION,
            "embedding_model": Embedder.name,
            "dimension": Embedder.dimension,
            "chunking_version": CHUNKING_VERSION,
            "max_words": DEFAULT_MAX_WORDS,
            "corpus": str(corpus_dir.resolve()),
            "also": [str(folder.resolve()) for folder in also],
            "generation": generation,
            "built": now,
            "passage_count": len(passages),
            "fact_count": len(facts),
            "reports": {
                r.doc: {
                    "source": r.source,
                    "title": r.title,
                    "content_hash": r.content_hash,
                    "passages": sum(1 for p in passages if p.doc == r.doc),
                    "added": old_entries.get(r.doc, {}).get("added", now)
                    if r.doc in unchanged else now,
                }
                for r in reports
            },
            "skipped_files": skipped,
            "checksums": checksums,
        }
        _replace_manifest(index_dir, manifest)
        _remove_old_generations(index_dir, keep=generation)
        removed = sorted(doc for doc, entry in old_entries.items() if entry["source"] not in {r.source for r in reports})
        return IngestResult(
            index=load_index(index_dir, verify=False),  # its checksums were just read back from disk
            embedded_passages=embedded,
            reports_new=new,
            reports_changed=changed,
            reports_unchanged=unchanged,
            reports_removed=removed,
            skipped=warnings,
            seconds=time.perf_counter() - began,
        )


def _reuse(report: Report, donors: Sequence[CorpusIndex]) -> Optional[tuple[list[Passage], np.ndarray, np.ndarray]]:
    """Passages and vectors of an identical report (same bytes, doc id and title) from an earlier build."""
    for donor in donors:
        old = donor.reports.get(report.doc)
        if old is None or old.content_hash != report.content_hash or old.title != report.title:
            continue
        rows = donor.report_passages(report.doc)
        sentence_rows = [k for k, (i, _) in enumerate(donor.sentence_rows) if donor.passages[i].doc == report.doc]
        return ([donor.passages[i] for i in rows], donor.passage_vectors[rows], donor.sentence_vectors[sentence_rows])
    return None


def _with_flag_warnings(report: Report, passages: Sequence[Passage], warn: Callable[[str], None]) -> Report:
    """The report noting its passages that hold text aimed at a model, and one warning line naming it and their
    count, so that whoever ingests a report learns it carries planted instructions."""
    flagged = [p for p in passages if p.doc == report.doc and p.flagged]
    if not flagged:
        return report
    sentences = sum(len(p.flagged) for p in flagged)
    count = f"{len(flagged)} passage{'s' if len(flagged) > 1 else ''}"
    warn(f"warning: {report.source}: {count} flagged ({sentences} sentence{'s' if sentences > 1 else ''} addressed "
         f"to an AI model, never quoted): {', '.join(p.id for p in flagged)}")
    note = f"passages {', '.join(p.id for p in flagged)} contain instructions aimed at an AI; they are never quoted"
    return replace(report, warnings=(note,))
