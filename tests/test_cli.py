"""The `marketqa` command as CONTRACT.md fixes it, run as a real child process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ingest import load_metadata, load_report
from support import ROOT, SEED_CORPUS, run_cli

ANSWER_FIELDS = {"id", "question", "answer", "route", "value", "unit", "calculation", "citations", "latency_ms"}
CITATION_FIELDS = {"n", "doc", "title", "passage", "text", "quote", "start", "end", "score"}


def assert_contract(answer: dict, corpus: Path) -> None:
    assert ANSWER_FIELDS <= set(answer)
    assert answer["route"] in ("retrieval", "calculator", "refusal")
    assert isinstance(answer["latency_ms"], (int, float)) and answer["latency_ms"] >= 0
    if answer["route"] != "calculator":
        assert answer["calculation"] is None
    numbers = {c["n"] for c in answer["citations"]}
    for marker in __import__("re").findall(r"\[(\d+)\]", answer["answer"]):
        assert int(marker) in numbers
    metadata = load_metadata(corpus)
    reports = {}
    for path in corpus.iterdir():
        if path.suffix in (".txt", ".md", ".html", ".pdf"):
            report = load_report(path, metadata.get(path.name))
            reports[report.doc] = report
    for citation in answer["citations"]:
        assert CITATION_FIELDS <= set(citation)
        text = reports[citation["doc"]].text
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert citation["quote"] in citation["text"]


def test_ask_json_answers_with_the_cited_sentence(seed_index_dir: Path) -> None:
    result = run_cli("ask", "What is the projected value of the multimodal AI market by 2035?", "--json",
                     "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert_contract(answer, SEED_CORPUS)
    assert answer["route"] != "refusal"
    assert "523.7 billion" in answer["answer"]
    assert any("USD 523.7 billion by 2035" in c["quote"] for c in answer["citations"][:3])


def test_ask_questions_file_answers_in_order_in_one_process(seed_index_dir: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a1", "kind": "fact", "question": "Who are the key players in large-scale AI models?",
         "expect": {"contains_any": ["OpenAI"]}},
        {"id": "a2", "kind": "unanswerable", "question": "What is the capital of France?", "expect": {"refuse": True}},
        {"id": "a3", "kind": "fact", "question": "What does BFSI stand for?", "expect": {}},
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = run_cli("ask", "--questions", str(questions), "--json", "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["id"] for a in answers] == ["a1", "a2", "a3"]
    for answer in answers:
        assert_contract(answer, SEED_CORPUS)
    assert answers[1]["route"] == "refusal" and answers[1]["citations"] == []
    assert "Banking, Financial Services, and Insurance" in answers[2]["answer"]


def test_corpus_flag_alone_works_on_a_new_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "my reports"
    corpus.mkdir()
    (corpus / "kelp.md").write_text(
        "# Kelp Farming Market 2024\n\nThe kelp farming market was worth USD 1.1 billion in 2024. Norway and "
        "Chile are the largest producers of farmed kelp outside Asia.\n", encoding="utf-8")
    env = {"MARKETQA_CACHE": str(tmp_path / "cache")}
    result = run_cli("ask", "Which countries produce farmed kelp outside Asia?", "--corpus", str(corpus), "--json",
                     env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert_contract(answer, corpus)
    assert "Norway and Chile" in answer["answer"]
    assert list((tmp_path / "cache" / "indexes").iterdir())  # the index went to the cache, not the corpus
    assert sorted(p.name for p in corpus.iterdir()) == ["kelp.md"]


def test_ingest_reports_what_it_embedded(seed_index_dir: Path, tmp_path: Path) -> None:
    import shutil

    index = tmp_path / "index"
    shutil.copytree(seed_index_dir, index)
    result = run_cli("ingest", "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "embedded 0 passages" in result.stdout and "unchanged 3" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", ""], "question is empty"),
        (["ask", "   "], "question is empty"),
        (["ask", "x" * 100_000], "too long"),
        (["ask", "What?", "--corpus", "/nonexistent/reports"], "not found"),
        (["ingest", "--corpus", "/nonexistent/reports"], "not found"),
        (["ask"], "QUESTION"),
        (["frobnicate"], "invalid choice"),
        (["eval"], "--questions"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_empty_corpus_and_corrupt_index_exit_2(tmp_path: Path, seed_index_dir: Path) -> None:
    import shutil

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("ingest", "--corpus", str(empty), "--index", str(tmp_path / "i"))
    assert result.returncode == 2 and "no reports" in result.stderr and "Traceback" not in result.stderr

    index = tmp_path / "index"
    shutil.copytree(seed_index_dir, index)
    (index / "manifest.json").write_text("{oops", encoding="utf-8")
    result = run_cli("ask", "What is BFSI?", "--index", str(index))
    assert result.returncode == 2 and "corrupt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_binary_file_in_corpus_is_skipped_with_a_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Kelp Farming Market\n\nThe kelp farming market was worth USD 1.1 billion in "
                                     "2024.\n", encoding="utf-8")
    (corpus / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run_cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "image.pdf" in result.stderr and "warning" in result.stderr
    assert "1 reports" in result.stdout


def test_numeric_gold_questions_through_ask_json(seed_index_dir: Path, tmp_path: Path) -> None:
    """Every numeric question of the seed gold set (typed numbers, report figures, unit conversions, missing
    inputs) through `marketqa ask --questions --json`, scored by the contract's rules."""
    from assistant.evaluation import load_questions, score

    questions = [q for q in load_questions(ROOT / "eval" / "seed_questions.jsonl") if q["kind"] == "numeric"]
    assert len(questions) >= 30
    path = tmp_path / "numeric.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in questions) + "\n", encoding="utf-8")
    result = run_cli("ask", "--questions", str(path), "--json", "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    failures = [(q["id"], score(q, a)) for q, a in zip(questions, answers) if score(q, a)]
    assert len(failures) <= 0.05 * len(questions), failures
    for answer in answers:
        assert_contract(answer, SEED_CORPUS)
        if answer["route"] == "calculator":
            calculation = answer["calculation"]
            assert calculation["formula"] and calculation["result"] is not None
            assert all(i["citation"] is None or i["citation"] in {c["n"] for c in answer["citations"]}
                       for i in calculation["inputs"])


def test_audit_flags_an_inconsistent_report_written_here(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "robots.md").write_text(
        "# Warehouse Robotics Market Report\n\nThe global warehouse robotics market was valued at USD 6.0 billion "
        "in 2024 and is projected to reach USD 12.0 billion by 2030, growing at a CAGR of 18.0% from 2024 to "
        "2030.\n", encoding="utf-8")
    result = run_cli("audit", "--json", "--corpus", str(corpus), env={"MARKETQA_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    audit = json.loads(result.stdout)
    flags = audit["flags"]
    # (12 / 6) ^ (1 / 6) - 1 = 12.25%, far from the stated 18.0%
    assert [f["kind"] for f in flags] == ["cagr_mismatch"]
    assert "12.25%" in flags[0]["message"] and "18" in flags[0]["message"]
    assert [(r["doc"], r["verdict"]) for r in audit["reports"]] == [("robots", "inconsistent")]
    facts = run_cli("facts", "--format", "csv", "--corpus", str(corpus), env={"MARKETQA_CACHE": str(tmp_path / "cache")})
    assert facts.returncode == 0 and facts.stdout.count("\n") == 4  # header + 2 sizes + 1 CAGR


# --- bad input never exits 1; a bad question-file line costs only itself ----------------------------------------

@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", b"What is the \xff\xfe market worth?"], "not valid UTF-8"),
        (["ask", "What is the \udc80 market worth?"], "not valid UTF-8"),
        (["ask", "----"], 'goes last, after "--"'),
        (["ask", "-$5bn?"], 'goes last, after "--"'),
        (["ask", "What?", "--index", str(ROOT / "README.md")], "is a file"),
    ],
)
def test_bad_question_or_index_exits_2_with_one_line(args: list, message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_ask_help_tells_how_to_ask_a_question_starting_with_a_dash() -> None:
    result = run_cli("ask", "--help")
    assert result.returncode == 0
    assert 'after "--"' in result.stdout and "Exit status" in result.stdout


def test_a_question_of_dashes_is_answered_after_double_dash(seed_index_dir: Path) -> None:
    result = run_cli("ask", "--json", "--index", str(seed_index_dir), "--", "----")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["question"] == "----" and answer["error"] is None


def _write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


HOSTILE_LINES = [
    (b'{"id": NaN, "question": "What does BFSI stand for?"}', "line 1", "NaN"),
    (b'{"id": 1' + b"0" * 5000 + b', "question": "What does BFSI stand for?"}', "line 2", "5,001 digits"),
    (b"[" * 100_000 + b"]" * 100_000, "line 3", "nested too deeply"),
    (b'{"id": "u", "question": "What is \xff BFSI?"}', "u", "not valid UTF-8"),
    (b'{"id": "s", "question": "What is \\ud800 BFSI?"}', "s", "lone surrogate"),
    (b'{"id": "e", "question": "  "}', "e", "empty"),
    (b'{"id": "l", "question": "' + b"x" * 2001 + b'"}', "l", "too long"),
    (b'{"id": "n", "question": 42}', "n", "must be a string"),
    (b'{"id": "x", "question": "What is BFSI?", "expect": {"value": Infinity}}', "x", "Infinity"),
    (b'"What does BFSI stand for?"', "line 10", "not a JSON object"),
    (b'{"id": 1.5, "question": "What does BFSI stand for?"}', "line 11", "string or an integer"),
    (b'{"id": 9007199254740993, "question": "What does BFSI stand for?"}', "line 12", "too large"),
    (b'{"id": "u", "question": "What does BFSI stand for?"}', "u", "duplicate id 'u' (first on line"),
    (b'{"id": "t", "question": "What', "line 14", "not valid JSON"),
]


def test_question_file_reader_gives_each_bad_line_its_reason_and_its_id(tmp_path: Path) -> None:
    from assistant.question_file import read_question_file

    good = b'{"id": 7, "question": "What is\xe2\x80\xa8BFSI?"}\r'  # U+2028 inside, CRLF: still one line
    path = _write_lines(tmp_path / "q.jsonl", [line for line, _, _ in HOSTILE_LINES] + [b"   ", good])
    lines = read_question_file(path)
    assert [line.line for line in lines] == list(range(1, len(HOSTILE_LINES) + 1)) + [16]
    for line, (_, label, reason) in zip(lines, HOSTILE_LINES):
        assert line.label == label and reason in line.error, (line, label, reason)
    assert lines[12].error == "duplicate id 'u' (first on line 4)"
    assert (lines[-1].label, lines[-1].question, lines[-1].error) == (7, "What is\u2028BFSI?", None)


def test_bad_lines_get_error_objects_in_place_and_the_rest_is_answered(seed_index_dir: Path, tmp_path: Path) -> None:
    good = [b'{"id": "a1", "question": "What does BFSI stand for?"}',
            b'{"id": "a2", "question": "What is the projected value of the multimodal AI market by 2035?"}']
    path = _write_lines(tmp_path / "q.jsonl", [good[0]] + [line for line, _, _ in HOSTILE_LINES] + [good[1]])
    result = run_cli("ask", "--questions", str(path), "--json", "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} printed")) for line in
               result.stdout.splitlines()]
    shifted = [f"line {int(label.split()[1]) + 1}" if label.startswith("line ") else label  # a1 came first
               for _, label, _ in HOSTILE_LINES]
    assert [a["id"] for a in answers] == ["a1"] + shifted + ["a2"]
    for answer, (_, _, reason) in zip(answers[1:-1], HOSTILE_LINES):
        assert answer["route"] == "refusal" and reason in answer["error"] and answer["citations"] == []
    for answer in (answers[0], answers[-1]):
        assert answer["error"] is None
        assert_contract(answer, SEED_CORPUS)
    assert "Banking, Financial Services, and Insurance" in answers[0]["answer"]
    assert "523.7 billion" in answers[-1]["answer"]
    warned = result.stderr.strip().splitlines()
    assert len(warned) == len(HOSTILE_LINES) and all(f"q.jsonl:{n}:" in w for n, w in enumerate(warned, start=2))


def test_a_file_of_only_bad_lines_exits_2_and_still_prints_each_error(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "q.jsonl", [line for line, _, _ in HOSTILE_LINES[:4]])
    result = run_cli("ask", "--questions", str(path), "--json", "--corpus", str(tmp_path / "no-such-corpus"))
    assert result.returncode == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["line 1", "line 2", "line 3", "u"]
    assert "no line of" in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.stderr


def test_version_and_bare_command_follow_cli_conventions() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("marketqa ")
    bare = run_cli()
    assert bare.returncode == 2 and bare.stderr.startswith("usage: marketqa")
    assert all(command in bare.stderr for command in ("ingest", "ask", "eval", "facts", "audit", "doctor"))


def test_ask_dash_reads_the_question_from_standard_input(seed_index_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    def ask(stdin: bytes, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant.cli", "ask", *extra, "--index", str(seed_index_dir),
                               "-"], input=stdin, capture_output=True, timeout=300, cwd=ROOT)

    piped = ask("What is the forecast CAGR of the large-scale AI models market?\n".encode(), "--json")
    assert piped.returncode == 0, piped.stderr
    answer = json.loads(piped.stdout)
    assert answer["question"] == "What is the forecast CAGR of the large-scale AI models market?"
    assert "12.1%" in answer["answer"]
    for stdin, message in ((b"", b"empty"), (b"What is the \xff market worth?", b"not UTF-8")):
        bad = ask(stdin)
        assert bad.returncode == 2 and message in bad.stderr and b"Traceback" not in bad.stderr


def test_a_question_file_is_answered_as_json_lines_without_asking_for_json(seed_index_dir: Path,
                                                                           tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "question": "Who are the key players in large-scale AI models?"})
                         + "\n", encoding="utf-8")
    result = run_cli("ask", "--questions", str(questions), "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert json.loads(line)["id"] == "a"


def test_plain_output_states_the_formula_once_with_its_unit(seed_index_dir: Path) -> None:
    result = run_cli("ask", "What CAGR is implied by the large-scale AI models market going from 2024 to 2031?",
                     "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    answer = result.stdout.split("\nSources:")[0]
    assert answer.count("Formula:") == 1
    assert "(19,700 / 8,934) ^ (1 / 7) - 1 = 11.96%" in answer


def test_a_phrased_answer_without_the_formula_gets_it_printed_below(capsys) -> None:
    from assistant.cli import _print_answer

    _print_answer({"answer": "It grows about 12% a year.", "unit": "%", "citations": [],
                   "calculation": {"formula": "(19,700 / 8,934) ^ (1 / 7) - 1", "result": 11.959312}})
    assert "Formula: (19,700 / 8,934) ^ (1 / 7) - 1 = 11.96%" in capsys.readouterr().out
