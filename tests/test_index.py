"""The persisted index: manifest, incremental re-ingest, atomic writes, corruption and staleness (real model)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import assistant.index as index_module
from assistant.core import Assistant
from assistant.embedding import Embedder
from assistant.index import CorruptIndex, load_index, read_manifest, stale_reasons
from assistant.ingest import list_corpus


def test_manifest_describes_the_index(seed_index_dir: Path) -> None:
    manifest = read_manifest(seed_index_dir)
    assert manifest["format_version"] == index_module.FORMAT_VERSION
    assert manifest["embedding_model"] == Embedder.name and manifest["dimension"] == 384
    index = load_index(seed_index_dir)
    assert manifest["passage_count"] == len(index.passages) > 20
    assert set(manifest["reports"]) == {
        "multimodal-ai-market-value", "large-scale-ai-models-qyresearch", "large-scale-ai-models-strategic-insights"}
    for entry in manifest["reports"].values():
        assert len(entry["content_hash"]) == 64 and entry["passages"] > 0
    # vectors are unit length, so FAISS inner product is cosine similarity
    assert np.allclose(np.linalg.norm(index.passage_vectors, axis=1), 1.0, atol=1e-4)
    assert index.passage_store.client.ntotal == len(index.passages)


def test_reingest_embeds_only_the_changed_report(seed_corpus_copy: Path, seed_index_dir: Path,
                                                  tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    assistant = Assistant(seed_corpus_copy, index_dir, progress=False)
    unchanged = assistant.ingest()
    assert unchanged.embedded_passages == 0 and len(unchanged.reports_unchanged) == 3

    changed_file = seed_corpus_copy / "multimodal-ai-market-value.txt"
    changed_file.write_text(changed_file.read_text(encoding="utf-8") +
                            "\nAnalysts expect Asia to lead adoption of multimodal assistants.\n", encoding="utf-8")
    assert stale_reasons(read_manifest(index_dir), list_corpus(seed_corpus_copy)) == [
        "report multimodal-ai-market-value.txt changed"]
    result = Assistant(seed_corpus_copy, index_dir, progress=False).ingest()
    multimodal = [p for p in result.index.passages if p.doc == "multimodal-ai-market-value"]
    assert result.reports_changed == ["multimodal-ai-market-value"]
    assert result.embedded_passages == len(multimodal) < len(result.index.passages)
    assert any("Asia to lead adoption" in p.text for p in multimodal)
    before = load_index(seed_index_dir)
    reused = [i for i, p in enumerate(result.index.passages) if p.doc != "multimodal-ai-market-value"]
    old_rows = [before.passages.index(result.index.passages[i]) for i in reused]
    assert np.array_equal(result.index.passage_vectors[reused], before.passage_vectors[old_rows])


def test_interrupted_ingest_leaves_the_previous_index_usable(seed_corpus_copy: Path, seed_index_dir: Path,
                                                             tmp_path: Path, monkeypatch) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    before = read_manifest(index_dir)
    (seed_corpus_copy / "new-report.md").write_text(
        "# Robot Lawnmower Market\n\nThe robot lawnmower market reached USD 2.5 billion in 2024.\n", encoding="utf-8")

    def power_cut(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_replace_manifest", power_cut)
    with pytest.raises(KeyboardInterrupt):
        Assistant(seed_corpus_copy, index_dir, progress=False).ingest()
    monkeypatch.undo()
    assert read_manifest(index_dir) == before
    survivor = Assistant(seed_corpus_copy, index_dir, progress=False)
    survivor._state = survivor._make_state(load_index(index_dir))
    answer = survivor.ask("What is the projected value of the multimodal AI market by 2035?")
    assert "523.7" in answer.answer
    # the next ingest completes and clears the half-written generation
    result = Assistant(seed_corpus_copy, index_dir, progress=False).ingest()
    assert result.reports_new == ["new-report"] and result.embedded_passages == 1
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 1


def test_corrupt_index_files_are_reported_clearly(seed_index_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    generation = index_dir / read_manifest(index_dir)["generation"]
    (generation / "passages.faiss").write_bytes(b"garbage")
    with pytest.raises(CorruptIndex, match="corrupt"):
        load_index(index_dir)
    (index_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorruptIndex, match="manifest"):
        read_manifest(index_dir)


def test_corrupt_index_is_rebuilt_by_ingest(seed_corpus_copy: Path, seed_index_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    generation = index_dir / read_manifest(index_dir)["generation"]
    (generation / "passages.jsonl").write_text("[broken", encoding="utf-8")
    warnings: list[str] = []
    result = Assistant(seed_corpus_copy, index_dir, progress=False, warn=warnings.append).ingest()
    assert any("corrupt" in w for w in warnings)
    assert result.embedded_passages == len(result.index.passages)


def test_unreadable_file_is_skipped_and_the_rest_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Kelp Farming Market\n\nThe kelp farming market was worth USD 1.1 billion "
                                     "in 2024 and should reach USD 2.2 billion by 2030.\n", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\xff" * 500)
    warnings: list[str] = []
    result = Assistant(corpus, tmp_path / "index", progress=False, warn=warnings.append).ingest()
    assert list(result.index.reports) == ["good"]
    assert any("bad.txt" in w and "binary" in w for w in warnings)
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert "bad.txt" in manifest["skipped_files"]
    assert stale_reasons(manifest, list_corpus(corpus)) == []  # a skipped file does not make the index stale


def test_add_report_validates_first_and_never_overwrites(tmp_path: Path) -> None:
    from assistant.models import MarketQAError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assistant = Assistant(corpus, tmp_path / "index", progress=False)
    first = b"# Kelp Farming Market\n\nThe kelp farming market was worth USD 1.1 billion in 2024.\n"
    assistant.add_report("kelp.md", first)
    for name, data, message in [("kelp.exe", first, "unsupported"), ("broken.pdf", b"%PDF-1.4 junk", "PDF"),
                                ("huge.txt", b"a " * 6_000_000, "limit")]:
        with pytest.raises(MarketQAError, match=message):
            assistant.add_report(name, data)
    assert sorted(p.name for p in corpus.iterdir()) == ["kelp.md"]
    second = b"# Kelp Farming Outlook\n\nKelp farming revenue reached USD 1.3 billion in 2025 in this estimate.\n"
    result = assistant.add_report("../kelp.md", second)  # a path in the name is ignored
    assert sorted(p.name for p in corpus.iterdir()) == ["kelp-2.md", "kelp.md"]
    assert (corpus / "kelp.md").read_bytes() == first
    assert result.reports_new == ["kelp-2"] and result.embedded_passages == 1


def test_a_corpus_cache_of_earlier_contents_is_pruned_once_the_new_one_is_built(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core import cache_root, index_dir_for

    monkeypatch.setenv("MARKETQA_CACHE", str(tmp_path / "cache"))
    mine, other = tmp_path / "mine", tmp_path / "other"
    for folder, market in ((mine, "kelp farming"), (other, "sea salt")):
        folder.mkdir()
        (folder / "report.md").write_text(f"# {market} report\n\nThe {market} market was worth USD 1.1 billion in "
                                          "2024.\n", encoding="utf-8")
        Assistant(folder, progress=False).ingest()
    before = index_dir_for(mine)
    (mine / "report.md").write_text("# kelp farming report\n\nThe kelp farming market was worth USD 1.3 billion in "
                                    "2025.\n", encoding="utf-8")
    Assistant(mine, progress=False).ingest()
    # The new contents' index and the other folder's remain; the old contents' index is gone.
    assert sorted(p.name for p in cache_root().iterdir()) == sorted([index_dir_for(mine).name,
                                                                      index_dir_for(other).name])
    assert not before.exists()
