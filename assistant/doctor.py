"""`marketqa doctor`: check an index file by file and say what was found, one line per check.

Damage (a checksum that differs, a file that does not parse, counts or offsets that do not add up) makes the index
unfit to answer from; staleness (the corpus or this version changed since the build) does not, since the next
question or `marketqa ingest` updates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .index import (CorpusIndex, CorruptIndex, count_mismatches, incompatibilities, load_index, read_manifest,
                    stale_reasons)
from .integrity import MANIFEST, checksum_problems
from .ingest import list_corpus
from .models import MarketQAError

OK, DAMAGED, STALE, NOTE = "ok", "DAMAGED", "stale", "note"


@dataclass(frozen=True)
class Check:
    status: str  # OK, DAMAGED, STALE or NOTE
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:8} {self.name}: {self.detail}"


def diagnose(index_dir: Path, corpus_dir: Optional[Path]) -> list[Check]:
    """Every check of the index at `index_dir`, and its staleness against `corpus_dir` when that folder exists."""
    if not index_dir.is_dir():
        raise MarketQAError(f"no index folder at {index_dir}" if not index_dir.exists()
                            else f"the index path is not a folder: {index_dir}")
    try:
        manifest = read_manifest(index_dir)
    except CorruptIndex as exc:
        return [Check(DAMAGED, "manifest", exc.damage)]
    if manifest is None:
        return [Check(DAMAGED, "manifest", f"no {MANIFEST} in {index_dir}")]
    checks = [Check(OK, "manifest", f"{index_dir / MANIFEST}: {manifest['generation']}, "
                                    f"{len(manifest.get('reports', {}))} reports, built {manifest.get('built')}")]
    checks += [Check(STALE, "version", reason) for reason in incompatibilities(manifest)]
    checks += _checksum_checks(index_dir, manifest)
    try:
        index = load_index(index_dir, verify=False)  # the checksums were checked above, file by file
    except CorruptIndex as exc:
        return checks + [Check(DAMAGED, "read", exc.damage)]
    return checks + _content_checks(index) + _staleness_checks(manifest, corpus_dir)


def _checksum_checks(index_dir: Path, manifest: dict) -> list[Check]:
    if not isinstance(manifest.get("checksums"), dict):
        return [Check(STALE, "checksums", "not recorded (an index of an older format; `marketqa ingest` adds them)")]
    checks = [Check(DAMAGED, f"checksum {name}", problem) if problem else
              Check(OK, f"checksum {name}", "matches the manifest")
              for name, problem in checksum_problems(index_dir, manifest).items()]
    gen = index_dir / manifest["generation"]
    for extra in sorted(p.name for p in gen.iterdir() if p.name not in manifest["checksums"]):
        checks.append(Check(NOTE, f"checksum {extra}", "not recorded in the manifest; nothing reads it"))
    return checks


def _content_checks(index: CorpusIndex) -> list[Check]:
    mismatches = count_mismatches(index.manifest, index.passages, index.sentence_rows, index.passage_vectors,
                                  index.sentence_vectors, index.passage_store.client.ntotal,
                                  index.sentence_store.client.ntotal)
    checks = []
    for label, suffix, counted in [("vector counts", ".npy", f"{len(index.passage_vectors)} passage and "
                                    f"{len(index.sentence_vectors)} sentence vectors"),
                                   ("FAISS counts", ".faiss", f"{index.passage_store.client.ntotal} passage and "
                                    f"{index.sentence_store.client.ntotal} sentence entries")]:
        found = [f"{name}: {problem}" for name, problem in mismatches if name.endswith(suffix)]
        checks.append(Check(DAMAGED, label, "; ".join(found)) if found else
                      Check(OK, label, f"{counted} for {len(index.passages)} passages"))
    outside = [f.passage for f in index.facts if f.doc not in index.reports
               or not 0 <= f.start < f.end <= len(index.reports[f.doc].text)
               or index.reports[f.doc].text[f.start:f.end] != f.quote]
    checks.append(Check(DAMAGED, "fact offsets", f"{len(outside)} of {len(index.facts)} facts' quotes are not at "
                                                 f"their offsets, e.g. in {outside[0]}") if outside else
                  Check(OK, "fact offsets", f"{len(index.facts)} facts quote their reports' text at their offsets"))
    return checks


def _staleness_checks(manifest: dict, corpus_dir: Optional[Path]) -> list[Check]:
    if corpus_dir is None or not corpus_dir.is_dir():
        return [Check(NOTE, "corpus", f"{corpus_dir} not found; staleness not checked")]
    files = list_corpus(corpus_dir)
    reasons = [reason for reason in stale_reasons(manifest, files) if reason not in incompatibilities(manifest)]
    if reasons:
        return [Check(STALE, "corpus", f"{corpus_dir}: {'; '.join(reasons[:5])}"
                                       + (f" and {len(reasons) - 5} more" if len(reasons) > 5 else ""))]
    return [Check(OK, "corpus", f"{corpus_dir}: the index matches the corpus's report files ({len(files)})")]


def verdict(checks: list[Check]) -> tuple[int, str]:
    """The exit code and the closing line: 1 when anything is damaged, else 0."""
    if any(c.status == DAMAGED for c in checks):
        return 1, "the index is damaged; run `marketqa ingest` (with the same --corpus/--index) to rebuild it"
    if any(c.status == STALE for c in checks):
        return 0, "the index is intact but stale; the next question or `marketqa ingest` updates it"
    return 0, "the index is healthy"
