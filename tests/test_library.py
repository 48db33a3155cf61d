"""The report library: reports a user adds live in a data folder, never in the shipped corpus, and can be removed.

Real model, real FAISS: adding a report embeds only that report; removing it embeds nothing and forgets it."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.library import Library, shipped_corpus
from assistant.models import MarketQAError
from support import SEED_CORPUS, run_cli

QUANTUM = Path(__file__).parent / "ui_fixtures" / "quantum-sensing-outlook.md"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def library_assistant(seed_index_dir: Path, tmp_path: Path) -> Assistant:
    index = tmp_path / "shipped-index"
    shutil.copytree(seed_index_dir, index)
    return Assistant(None, index, progress=False, library=Library.open("trial", data=tmp_path / "data"))


def test_added_report_lives_in_the_library_and_removing_it_forgets_it(library_assistant: Assistant) -> None:
    assistant, library = library_assistant, library_assistant.library
    shipped = _fingerprint(SEED_CORPUS)
    assert assistant.corpus_dir == shipped_corpus() == SEED_CORPUS
    before = assistant.ask("Which companies lead the quantum sensing market?")
    assert before.route == "refusal"

    added = assistant.add_report(QUANTUM.name, QUANTUM.read_bytes())
    assert [f.name for f in library.files()] == [QUANTUM.name]
    assert _fingerprint(SEED_CORPUS) == shipped  # the shipped corpus is never written
    assert assistant.index_dir == library.index_dir
    assert added.reports_new == ["quantum-sensing-outlook"]
    assert added.embedded_passages == len(added.index.report_passages("quantum-sensing-outlook"))  # only the new one
    assert len(added.reports_unchanged) == 3
    answer = assistant.ask("Which companies lead the quantum sensing market?")
    assert "Q-CTRL" in answer.answer and answer.citations[0].title == "Quantum Sensing Market Outlook 2030"

    removed = assistant.remove_report(QUANTUM.name)
    assert removed.embedded_passages == 0 and not library.index_dir.exists()
    assert library.files() == [] and assistant.index_dir != library.index_dir
    assert assistant.ask("Which companies lead the quantum sensing market?").route == "refusal"
    assert "8,934 million" in assistant.ask("What was the large-scale AI models market worth in 2024?").answer
    assert _fingerprint(SEED_CORPUS) == shipped


def test_a_library_report_may_not_take_a_shipped_report_s_name(library_assistant: Assistant) -> None:
    shipped_name = sorted(p.name for p in SEED_CORPUS.glob("*.txt"))[0]
    library_assistant.add_report(shipped_name, QUANTUM.read_bytes())
    stored = [f.name for f in library_assistant.library.files()]
    assert stored == [Path(shipped_name).stem + "-2.txt"]


def test_the_shipped_corpus_is_read_only(seed_index_dir: Path) -> None:
    assistant = Assistant(None, seed_index_dir, progress=False)
    with pytest.raises(MarketQAError, match="read-only"):
        assistant.add_report(QUANTUM.name, QUANTUM.read_bytes())
    with pytest.raises(MarketQAError, match="read-only"):
        assistant.remove_report("large-scale-ai-models-qyresearch.txt")


def test_removing_what_is_not_in_the_library_says_what_is(tmp_path: Path) -> None:
    library = Library.open("trial", data=tmp_path)
    library.store("a.md", b"# A\n\nThe widget market was worth $1 billion in 2024.\n")
    with pytest.raises(MarketQAError, match=r"no such report in the 'trial' collection \(its reports: a\.md\)"):
        library.remove("large-scale-ai-models-qyresearch.txt")
    with pytest.raises(MarketQAError, match="no such report"):
        library.remove("../a.md")
    assert [f.name for f in library.files()] == ["a.md"]


@pytest.mark.parametrize("name", ["", "../x", "a b/c", "-x"])
def test_collection_names_are_checked(name: str, tmp_path: Path) -> None:
    with pytest.raises(MarketQAError, match="collection name"):
        Library.open(name, data=tmp_path)


def test_reports_cli_lists_the_shipped_corpus_and_refuses_bad_input(tmp_path: Path) -> None:
    env = {"MARKETQA_DATA": str(tmp_path / "data")}
    listed = run_cli("reports", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^large-scale-ai-models-qyresearch.txt +shipped \(read-only\)$", listed.stdout, re.M)
    assert "3 reports (0 in collection 'default'" in listed.stdout
    gone = run_cli("reports", "remove", "nothing.md", env=env)
    assert gone.returncode == 2 and "no such report in the 'default' collection" in gone.stderr
    assert "Traceback" not in gone.stderr
    unsupported = tmp_path / "numbers.csv"
    unsupported.write_text("a,b\n")
    refused = run_cli("reports", "add", str(unsupported), env=env)
    assert refused.returncode == 2 and "unsupported file type" in refused.stderr
    assert not (tmp_path / "data" / "collections" / "default" / "reports").exists()
