"""`marketqa logs` and `marketqa config`: the history of questions and the layered settings, through the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import run_cli

QUESTIONS = ["What was the large-scale AI models market worth in 2024?",
             "What CAGR do the report's own 2024 and 2031 figures imply?",
             "What is the revenue of OpenAI?"]


def _question_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps({"id": f"q{i}", "question": q}) + "\n" for i, q in enumerate(QUESTIONS)))
    return path


def test_logs_show_the_questions_asked_with_their_answers(tmp_path: Path, seed_index_dir: Path) -> None:
    env = {"MARKETQA_DATA": str(tmp_path / "data")}
    empty = run_cli("logs", env=env)
    assert empty.returncode == 0 and "No questions logged yet" in empty.stdout
    asked = run_cli("ask", "--questions", str(_question_file(tmp_path)), "--index", str(seed_index_dir), env=env)
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]

    shown = run_cli("logs", env=env)
    assert shown.returncode == 0, shown.stderr
    for question in QUESTIONS:
        assert f"Q: {question}" in shown.stdout
    assert "US$ 8,934 million in 2024 [1]" in shown.stdout and "11.96%" in shown.stdout
    assert re.search(r"#3 .* cli  refusal", shown.stdout)
    assert "cited: [1] large-scale-ai-models-qyresearch#3" in shown.stdout

    last_two = run_cli("logs", "-n", "2", "--json", env=env)
    logged = [json.loads(line) for line in last_two.stdout.splitlines()]
    assert [entry["question"] for entry in logged] == QUESTIONS[1:]
    assert [entry["log_id"] for entry in logged] == [2, 3]
    assert logged[0]["value"] == answers[1]["value"] and logged[0]["calculation"] == answers[1]["calculation"]
    assert logged[1]["route"] == "refusal" and logged[1]["id"] == "q2"

    off = run_cli("ask", "--questions", str(_question_file(tmp_path)), "--index", str(seed_index_dir),
                  env={**env, "MARKETQA_HISTORY": "off"})
    assert off.returncode == 0
    assert len(run_cli("logs", "-n", "0", "--json", env=env).stdout.splitlines()) == 3  # nothing more logged


def test_config_says_where_each_setting_comes_from(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('cache_dir = "/srv/marketqa-cache"\nhistory = false\n')
    env = {"MARKETQA_CONFIG": str(settings), "MARKETQA_DATA": str(tmp_path / "data"), "MARKETQA_VERIFY": "",
           "MARKETQA_CACHE": "", "MARKETQA_HISTORY": "", "MARKETQA_LLM_MODEL": "qwen-test"}
    shown = run_cli("config", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    rows = {row["name"]: row for row in json.loads(shown.stdout)["settings"]}
    assert (rows["data_dir"]["value"], rows["data_dir"]["source"]) == (str(tmp_path / "data"), "env MARKETQA_DATA")
    assert (rows["cache_dir"]["value"], rows["cache_dir"]["source"]) == ("/srv/marketqa-cache", f"file {settings}")
    assert (rows["history"]["value"], rows["history"]["source"]) == (False, f"file {settings}")
    assert (rows["verify"]["value"], rows["verify"]["source"]) == (True, "default")
    assert (rows["llm.model"]["value"], rows["llm.model"]["source"]) == ("qwen-test", "env MARKETQA_LLM_MODEL")
    table = run_cli("config", env=env).stdout
    assert re.search(r"^cache_dir +/srv/marketqa-cache +from file ", table, re.M)

    settings.write_text("retrieval_depth = 9\n")
    bad = run_cli("config", env=env)
    assert bad.returncode == 2 and "unknown setting 'retrieval_depth'" in bad.stderr and "Traceback" not in bad.stderr
    bad_value = run_cli("config", env={**env, "MARKETQA_CONFIG": "", "MARKETQA_HISTORY": "maybe"})
    assert bad_value.returncode == 2 and "setting history (from env MARKETQA_HISTORY)" in bad_value.stderr
