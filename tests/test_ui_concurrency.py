"""Many users at once: 20 chat sessions through gradio_client against the real app on loopback.

Each session asks 5 questions (with follow-ups, so every session's history matters). Every answer must equal the
answer `Assistant.ask` gives to the same question with the same history in this process, single-user. Latencies
(p50/p95, measured at the client, queueing included) are printed and written to test-artifacts/ui/.
Uploads are serialized while questions keep running: two reports added at once must both end up indexed.
"""

from __future__ import annotations

import json
import shutil
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import pytest

from support import ROOT, SEED_CORPUS
from ui_fixtures.app_process import RunningApp, start_app, stop_app

SESSIONS = 20
ARTIFACTS = ROOT / "test-artifacts" / "ui"
QUESTION_SETS = [
    ["What was the large-scale AI models market worth in 2024?",
     "And what about 2031?",
     "What CAGR do the report's own 2024 and 2031 figures imply?",
     "How long until the multimodal AI market doubles?",
     "What is the capital of France?"],
    ["How big will the large-scale AI models market be in 2028 at the stated CAGR?",
     "And what about 2030?",
     "Who are the key players in the large-scale AI models market?",
     "What will the multimodal AI market be worth by 2035?",
     "What growth rate is stated for it?"],
    ["How is the large-scale AI models market segmented by type?",
     "Which industries use large-scale AI models?",
     "How long until the large-scale AI models market doubles?",
     "What drives the multimodal AI market?",
     "What is the weather in Paris tomorrow?"],
    ["What is the multimodal AI market's CAGR?",
     "How big will it be in 2030?",
     "What was the large-scale AI models market worth in 2024?",
     "By what factor does it grow from 2024 to 2031?",
     "Which regions lead the large-scale AI models market?"],
]


def comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer object without its timing."""
    return {key: value for key, value in answer.items() if key != "latency_ms"}


@pytest.fixture(scope="module")
def served(seed_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The real app over copies of the shipped corpus and its (session-built) index, fully loaded."""
    tmp = tmp_path_factory.mktemp("ui-concurrency")
    shutil.copytree(SEED_CORPUS, tmp / "corpus")
    shutil.copytree(seed_index_dir, tmp / "index")
    running = start_app(tmp, "--corpus", str(tmp / "corpus"), "--index", str(tmp / "index"))
    loading = running.wait_until_ready()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "startup-with-index.json").write_text(json.dumps(
        {"seconds_to_served_page": round(running.served_seconds, 2),
         "seconds_from_page_to_model_ready": round(loading, 2)}))
    print(f"\npage served {running.served_seconds:.1f} s after start; model and index ready {loading:.1f} s later")
    yield running
    stop_app(running)


@pytest.fixture(scope="module")
def expected(seed_assistant) -> list[list[dict[str, Any]]]:
    """Single-user answers from Assistant.ask directly, each question with the session's earlier answers."""
    results = []
    for questions in QUESTION_SETS:
        history: list = []
        answers = []
        for question in questions:
            answer = seed_assistant.ask(question, history=history)
            history.append(answer)
            answers.append(comparable(answer.to_dict()))
        results.append(answers)
    return results


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


def run_session(session, questions: list[str]) -> list[tuple[float, dict[str, Any]]]:
    """Asks the questions in order in one session; returns (seconds, answer object) for each."""
    results = []
    for question in questions:
        began = time.perf_counter()
        outputs = session.predict(question, api_name="/ask")
        results.append((time.perf_counter() - began, outputs[-1]))
    return results


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@pytest.mark.slow
def test_twenty_concurrent_sessions_get_single_user_answers(served: RunningApp, expected) -> None:
    single = run_session(client(served.url), QUESTION_SETS[0])  # also warms the app up
    for (_, answer), wanted in zip(single, expected[0]):
        assert comparable(answer) == wanted

    sessions = [client(served.url) for _ in range(SESSIONS)]
    start = threading.Barrier(SESSIONS)

    def work(i: int) -> list[tuple[float, dict[str, Any]]]:
        start.wait()
        return run_session(sessions[i], QUESTION_SETS[i % len(QUESTION_SETS)])

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(work, range(SESSIONS)))  # re-raises any session's error
    wall = time.perf_counter() - began

    mismatches = []
    for i, session_results in enumerate(results):
        assert len(session_results) == 5
        for j, (_, answer) in enumerate(session_results):
            if comparable(answer) != expected[i % len(QUESTION_SETS)][j]:
                mismatches.append((i, j, answer["question"]))
    assert not mismatches, mismatches

    latencies = [seconds for session_results in results for seconds, _ in session_results]
    server = [answer["latency_ms"] / 1000 for session_results in results for _, answer in session_results]
    report = {
        "sessions": SESSIONS, "questions": len(latencies), "wall_seconds": round(wall, 2),
        "client_p50_seconds": round(percentile(latencies, 50), 3),
        "client_p95_seconds": round(percentile(latencies, 95), 3),
        "client_max_seconds": round(max(latencies), 3),
        "server_answer_p50_seconds": round(percentile(server, 50), 3),
        "single_user_client_p50_seconds": round(statistics.median(s for s, _ in single), 3),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "concurrency.json").write_text(json.dumps(report, indent=2))
    print(f"\n{SESSIONS} sessions x 5 questions: p50 {report['client_p50_seconds']} s, "
          f"p95 {report['client_p95_seconds']} s (client-side, queueing included); wall {wall:.1f} s; "
          f"single-user p50 {report['single_user_client_p50_seconds']} s")
    # Questions overlapped: the time spent answering adds up to more than the wall-clock time.
    assert sum(server) > wall, (sum(server), wall)


@pytest.mark.slow
def test_simultaneous_uploads_are_serialized_and_both_indexed(served: RunningApp, tmp_path: Path) -> None:
    from gradio_client import handle_file

    reports = {
        "lidar-outlook.md": "# Automotive Lidar Market Outlook\n\nThe automotive lidar market was valued at USD 2.1 "
                            "billion in 2024.\n\nLeading automotive lidar suppliers include Luminar, Hesai and "
                            "Valeo.\n",
        "cocoa-outlook.md": "# Cocoa Processing Market Outlook\n\nThe cocoa processing market was valued at USD 14.5 "
                            "billion in 2024.\n\nLeading cocoa processors include Barry Callebaut, Cargill and "
                            "Olam.\n",
    }
    for name, text in reports.items():
        (tmp_path / name).write_text(text)
    askers = [client(served.url) for _ in range(4)]
    uploaders = [client(served.url) for _ in reports]
    start = threading.Barrier(len(askers) + len(uploaders))

    def upload(i: int) -> str:
        name = list(reports)[i]
        start.wait()
        return uploaders[i].predict(handle_file(str(tmp_path / name)), api_name="/add_report")[1]

    def ask(i: int) -> dict[str, Any]:
        start.wait()
        return askers[i].predict(QUESTION_SETS[i][0], api_name="/ask")[-1]

    with ThreadPoolExecutor(max_workers=len(askers) + len(uploaders)) as pool:
        uploads = [pool.submit(upload, i) for i in range(len(uploaders))]
        asked = [pool.submit(ask, i) for i in range(len(askers))]
        messages = [f.result() for f in uploads]
        answers = [f.result() for f in asked]
    assert all("Added" in m for m in messages), messages
    assert all(a and a["route"] in ("retrieval", "calculator", "refusal") and a["answer"] for a in answers)

    check = client(served.url)
    lidar = check.predict("Who are the leading automotive lidar suppliers?", api_name="/ask")[-1]
    assert "Luminar" in lidar["answer"] and lidar["citations"][0]["title"] == "Automotive Lidar Market Outlook"
    check = client(served.url)
    cocoa = check.predict("Who are the leading cocoa processors?", api_name="/ask")[-1]
    assert "Barry Callebaut" in cocoa["answer"] and cocoa["citations"][0]["title"] == "Cocoa Processing Market Outlook"
