"""Corruption trials: every file of a real index damaged three ways (one bit flipped, cut to 0 bytes, one byte
overwritten), then real questions asked. Each trial must be detected (a rebuild with a warning naming the file
when the corpus is there, a one-line error naming it when it is not) or be harmless (answers identical to the
undamaged index's). A wrong answer given silently is a failure. Also: `marketqa doctor`, the MARKETQA_VERIFY=0
opt-out, donors of vectors that fail verification, and how a rebuild reason is worded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.embedding import Embedder
from assistant.index import (CorpusIndex, CorruptIndex, _replace_manifest, build_index, load_index, read_manifest,
                             stale_reasons)
from assistant.integrity import GENERATION_FILES, MANIFEST, generation_damage, sha256_file
from assistant.ingest import list_corpus
from support import run_cli

REPORT = """# Kelp Farming Market Report 2025

## Market size

The global kelp farming market was valued at USD 8,934 million in 2024. It is expected to reach USD 19,700 million
by 2031, growing at a CAGR of 11.96% over the forecast period.

## Regional outlook

Asia Pacific held the largest share of the kelp farming market in 2024, at 62%. Europe is the fastest growing
region, driven by demand for alginates and seaweed snacks.

## Competitive landscape

Key players in the kelp farming market include Ocean Rainforest, Atlantic Sea Farms, Running Tide and Seaweed
Solutions. Ocean Rainforest expanded its Faroe Islands farm in 2024.

## Drivers

Rising demand for plant-based food and biostimulants for agriculture drives the market. Kelp absorbs carbon
dioxide and nitrogen, which attracts climate investors.
"""

QUESTIONS = [
    "What CAGR do the kelp farming market's 2024 and 2031 figures imply?",  # facts.json through the calculator
    "Who are the key players in the kelp farming market?",  # passages, vectors and FAISS through retrieval
    "Which region held the largest share of the kelp farming market?",
]


def flip_bit(data: bytes) -> bytes:
    # In facts.json, the flip the outside run found: the 8 of 8934000000 read as 9.
    position = data.find(b"8934") if b"8934000000" in data else len(data) // 2
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def truncate(_data: bytes) -> bytes:
    return b""


def overwrite_byte(data: bytes) -> bytes:
    position = len(data) * 2 // 3
    return data[:position] + (b"\x00" if data[position] else b"A") + data[position + 1 :]


DAMAGES: dict[str, Callable[[bytes], bytes]] = {"bit flip": flip_bit, "0 bytes": truncate,
                                                 "byte overwritten": overwrite_byte}


def fingerprint(assistant: Assistant) -> list[tuple]:
    """What a user sees of each answer (the similarity scores aside)."""
    seen = []
    for question in QUESTIONS:
        answer = assistant.ask(question)
        seen.append((answer.route, answer.answer, answer.value, answer.unit,
                     answer.calculation.result if answer.calculation else None,
                     [(c.doc, c.passage, c.quote, c.start, c.end) for c in answer.citations + answer.closest]))
    return seen


@pytest.fixture(scope="module")
def kelp(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A one-report corpus and its intact index (real model, real FAISS); small, so that a rebuild takes a second."""
    root = tmp_path_factory.mktemp("kelp")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "kelp-farming.md").write_text(REPORT, encoding="utf-8")
    Assistant(corpus, root / "index", progress=False).ingest()
    return corpus, root / "index"


@pytest.fixture(scope="module")
def intact_answers(kelp: tuple[Path, Path]) -> list[tuple]:
    corpus, index = kelp
    answers = fingerprint(Assistant(corpus, index, progress=False))
    assert answers[0][4] == pytest.approx(11.96, abs=0.01)  # the trials need questions that read the figures
    return answers


def damaged_copy(intact: Path, target: Path, name: str, damage: Callable[[bytes], bytes]) -> Path:
    shutil.copytree(intact, target)
    path = target / MANIFEST if name == MANIFEST else target / read_manifest(target)["generation"] / name
    original = path.read_bytes()
    path.write_bytes(damage(original))
    assert path.read_bytes() != original
    return path


def same_index(rebuilt: CorpusIndex, intact: CorpusIndex) -> bool:
    """The same reports, passages, facts and vectors: every answer is then the same."""
    return (rebuilt.reports == intact.reports and rebuilt.passages == intact.passages
            and rebuilt.facts == intact.facts
            and np.allclose(rebuilt.passage_vectors, intact.passage_vectors, atol=1e-5)
            and np.allclose(rebuilt.sentence_vectors, intact.sentence_vectors, atol=1e-5))


def run_trial(kelp: tuple[Path, Path], intact_answers: list[tuple], name: str, damage: Callable[[bytes], bytes],
              workdir: Path, with_corpus: bool, ask_after_rebuild: bool) -> str:
    """'' when the trial passes, else what went wrong. Without the corpus, then (where `with_corpus`, since a
    rebuild costs seconds) with it. A rebuilt index is compared with the intact one, and where `ask_after_rebuild`
    asked the questions too."""
    corpus, intact = kelp
    alone = workdir / "without-corpus"
    damaged_copy(intact, alone, name, damage)
    try:
        answers = fingerprint(Assistant(workdir / "no-such-corpus", alone, progress=False,
                                        warn=lambda _message: None))
    except CorruptIndex as exc:
        if name not in str(exc) or "\n" in str(exc):
            return f"unclear error without the corpus: {exc}"
    else:
        if answers != intact_answers:
            return "answers differ without the corpus, silently"
    if not with_corpus:
        return ""

    copy = workdir / "with-corpus"
    damaged_copy(intact, copy, name, damage)
    warnings: list[str] = []
    assistant = Assistant(corpus, copy, progress=False, warn=warnings.append)
    try:
        assistant.load()
    except CorruptIndex as exc:  # the CLI prints it on one line and exits 2
        if name not in str(exc):
            return f"error does not name {name}: {exc}"
    else:
        detected = [w for w in warnings if name in w and "corrupt" in w]
        if warnings and not detected:
            return f"warnings do not name {name}: {warnings}"
        if detected and generation_damage(copy, read_manifest(copy)):
            return "the rebuilt index does not pass verification"
        if detected and not same_index(load_index(copy), load_index(intact)):
            return "the rebuilt index differs from the undamaged one"
        if (ask_after_rebuild or not detected) and fingerprint(assistant) != intact_answers:
            return "answers differ from the undamaged index's" + (" after the rebuild" if detected else ", silently")
    return ""


def test_every_damaged_index_file_is_detected_or_harmless(kelp: tuple[Path, Path], intact_answers: list[tuple],
                                                          tmp_path: Path) -> None:
    """Every file x every damage without the corpus; every file's bit flip also with it (a rebuild each)."""
    table: dict[str, list[int]] = {}
    failures = []
    for name in (*GENERATION_FILES, MANIFEST):
        for label, damage in DAMAGES.items():
            problem = run_trial(kelp, intact_answers, name, damage, tmp_path / f"{name}-{label}",
                                with_corpus=label == "bit flip",
                                ask_after_rebuild=(name, label) == ("facts.json", "bit flip"))
            counts = table.setdefault(name, [0, 0])
            counts[0] += 1
            if problem:
                counts[1] += 1
                failures.append(f"{name}, {label}: {problem}")
    summary = "\n".join(f"{name:22} trials {n:2}  failures {bad}" for name, (n, bad) in table.items())
    print("\n" + summary)
    assert sum(n for n, _ in table.values()) == 3 * (len(GENERATION_FILES) + 1)
    assert not failures, "\n".join(failures) + "\n" + summary


def test_zero_byte_vectors_fail_clearly_and_ingest_repairs_them(kelp: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, intact = kelp
    index = tmp_path / "index"
    damaged_copy(intact, index, "passage_vectors.npy", truncate)

    result = run_cli("ask", "Who are the key players in the kelp farming market?", "--json",
                     "--corpus", str(tmp_path / "gone"), "--index", str(index))
    assert result.returncode == 2 and result.stdout == ""
    assert "passage_vectors.npy" in result.stderr and "marketqa ingest" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr

    doctor = run_cli("doctor", "--corpus", str(corpus), "--index", str(index))
    assert doctor.returncode == 1
    damaged_lines = [line for line in doctor.stdout.splitlines() if line.startswith("DAMAGED")]
    assert damaged_lines and all("passage_vectors.npy" in line for line in damaged_lines)
    assert "marketqa ingest" in doctor.stderr and "Traceback" not in doctor.stderr

    repaired = run_cli("ingest", "--corpus", str(corpus), "--index", str(index))
    assert repaired.returncode == 0, repaired.stderr
    assert "passage_vectors.npy" in repaired.stderr and "corrupt" in repaired.stderr
    assert "embedded 4 passages" in repaired.stdout  # nothing reused from the damaged generation
    assert generation_damage(index, read_manifest(index)) == []

    healthy = run_cli("doctor", "--corpus", str(corpus), "--index", str(index))
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    lines = healthy.stdout.strip().splitlines()
    assert lines[-1] == "the index is healthy" and all(line.startswith("ok ") for line in lines[:-1])
    assert {"manifest", "vector counts", "FAISS counts", "fact offsets", "corpus"} <= {
        line[9:].split(":")[0] for line in lines[:-1]}
    assert sum(line.startswith("ok       checksum ") for line in lines) == len(GENERATION_FILES)


def test_doctor_reports_moved_offsets_stale_corpus_and_bad_usage(kelp: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, intact = kelp
    index = tmp_path / "index"
    shutil.copytree(intact, index)
    # Facts whose offsets point elsewhere, with checksums that agree: only the content check can see it.
    manifest = read_manifest(index)
    facts_path = index / manifest["generation"] / "facts.json"
    rows = json.loads(facts_path.read_text(encoding="utf-8"))
    rows[0]["start"] += 5
    facts_path.write_text(json.dumps(rows), encoding="utf-8")
    checksums = {**manifest["checksums"], "facts.json": sha256_file(facts_path)}
    _replace_manifest(index, {**manifest, "checksums": checksums})
    grown = tmp_path / "grown"
    grown.mkdir()
    shutil.copy(corpus / "kelp-farming.md", grown)
    (grown / "seaweed.txt").write_text("Seaweed Snacks Market\n\nThe seaweed snacks market reached USD 2.1 billion in "
                                       "2024.\n", encoding="utf-8")
    result = run_cli("doctor", "--corpus", str(grown), "--index", str(index))
    assert result.returncode == 1
    assert any(line.startswith("DAMAGED  fact offsets") for line in result.stdout.splitlines())
    assert any(line.startswith("stale    corpus") and "new report seaweed.txt" in line
               for line in result.stdout.splitlines())

    for args, message in [(["--index", str(tmp_path / "nowhere")], "no index folder"),
                          (["--index", str(corpus / "kelp-farming.md")], "not a folder"),
                          (["--bogus"], "unrecognized")]:
        bad = run_cli("doctor", *args)
        assert bad.returncode == 2 and message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_verification_is_on_unless_the_user_opts_out(kelp: tuple[Path, Path], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus, intact = kelp
    index = tmp_path / "index"
    damaged_copy(intact, index, "facts.json", flip_bit)
    with pytest.raises(CorruptIndex, match="facts.json"):
        load_index(index)
    monkeypatch.setenv("MARKETQA_VERIFY", "0")
    # Unverified, the flipped bit parses: the very misreading that verification exists to catch.
    assert 9_934_000_000 in [fact.value for fact in load_index(index).facts]
    monkeypatch.setenv("MARKETQA_VERIFY", "1")
    with pytest.raises(CorruptIndex, match="facts.json"):
        load_index(index)


def test_a_damaged_donor_never_lends_its_vectors(kelp: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, intact = kelp
    donor = tmp_path / "donor"
    damaged_copy(intact, donor, "sentence_vectors.npy", overwrite_byte)
    damaged = build_index(corpus, tmp_path / "from-damaged", Embedder(), progress=False, reuse_from=[donor])
    assert damaged.embedded_passages == len(damaged.index.passages) == 4
    healthy = build_index(corpus, tmp_path / "from-intact", Embedder(), progress=False, reuse_from=[intact])
    assert healthy.embedded_passages == 0


def test_rebuild_reasons_name_what_differs(kelp: tuple[Path, Path]) -> None:
    corpus, intact = kelp
    manifest = read_manifest(intact)
    files = list_corpus(corpus)
    assert stale_reasons(manifest, files) == []
    reasons = stale_reasons({**manifest, "dimension": 512}, files)
    assert reasons == [f"embedding dimension: built with 512, this version uses {Embedder.dimension}"]
    reasons = stale_reasons({**manifest, "embedding_model": "other/model", "format_version": 1}, files)
    assert reasons == ["index format: built with 1, this version uses 2",
                       f"embedding model: built with other/model, this version uses {Embedder.name}"]
