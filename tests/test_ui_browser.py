"""The web UI end to end: the real `python app.py` on loopback, driven by headless Debian Chromium (Playwright).

One app process serves the whole module. It starts with no index, so it builds one in the background (with a
progress bar on its stderr) while the page is already served; the first question shows the loading state.
Every test records the page's requests and fails on any that leaves loopback. Screenshots go to
test-artifacts/ui/. The escaping helpers are also tested directly, without a browser.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

from support import ROOT, SEED_CORPUS
from ui_fixtures.app_process import RunningApp, http_status, start_app, stop_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-gpu", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts" / "ui"
FIRST_ANSWER_TIMEOUT_MS = 240_000  # the first question waits for the index to be built
ANSWER_TIMEOUT_MS = 60_000
FIXTURES = Path(__file__).parent / "ui_fixtures"

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="Debian chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The real app over a copy of the shipped corpus and an index folder that does not exist yet."""
    tmp = tmp_path_factory.mktemp("ui-app")
    corpus = tmp / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    running = start_app(tmp, "--corpus", str(corpus), "--index", str(tmp / "index"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "startup.json").write_text(json.dumps({"seconds_to_served_page": round(running.served_seconds, 2)}))
    print(f"\ntime from `python app.py` to a served page: {running.served_seconds:.1f} s")
    yield running
    stop_app(running)


@pytest.fixture(scope="module")
def browser(app: RunningApp):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Session:
    page: object
    external: list[str] = field(default_factory=list)

    def shot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def session(app: RunningApp, browser) -> Iterator[Session]:
    """A fresh page (a new Gradio session) that aborts and records every request leaving loopback."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = Session(context.new_page())

    def route(route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            opened.external.append(url)
            route.abort()

    context.route("**/*", route)
    opened.page.set_default_timeout(ANSWER_TIMEOUT_MS)
    opened.page.goto(app.url)
    opened.page.wait_for_selector("#question textarea")
    yield opened
    context.close()


def ask(session: Session, question: str, timeout: float = ANSWER_TIMEOUT_MS):
    """Types a question, sends it, waits for its answer; returns the answer's chat message."""
    page = session.page
    answered = page.locator("#chat [data-testid=bot]")
    before = answered.count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.locator("#evidence .mqa-asked", has_text=question).wait_for(timeout=timeout)
    assert answered.count() == before + 1
    return answered.last


def cagr_percent(start: float, end: float, years: int) -> str:
    return f"{((end / start) ** (1 / years) - 1) * 100:.2f}%"


# --- browser tests ----------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_fact_question_shows_answer_and_highlighted_source(app: RunningApp, session: Session) -> None:
    page = session.page
    loading = "Loading" in page.inner_text("#status")
    question = "What was the large-scale AI models market worth in 2024?"
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    if loading:  # asked before the index was built: the wait is visible, then the answer comes
        page.locator("#chat [data-testid=bot]", has_text="Loading the model").wait_for(timeout=10_000)
        session.shot("00-loading-state")
    page.locator("#evidence .mqa-asked", has_text=question).wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    reply = page.locator("#chat [data-testid=bot]").last
    assert "8,934 million" in reply.inner_text()
    assert "Loading the model" not in reply.inner_text()
    assert "Ready" in page.inner_text("#status")

    marked = page.locator("#sources #cite-1 mark")
    assert "US$ 8,934 million in 2024" in marked.inner_text()
    assert "Large-scale AI Models" in page.inner_text("#sources #cite-1 .mqa-title")
    # The marker in the answer jumps to its source.
    reply.locator("a.mqa-ref", has_text="[1]").first.click()
    assert page.evaluate("location.hash") == "#cite-1"
    assert page.locator("#cite-1").is_visible()
    session.shot("01-fact-answer")
    assert not session.external
    print(f"\nasked while loading: {loading}")


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_first_start_builds_the_index_with_a_terminal_progress_bar(app: RunningApp, session: Session) -> None:
    page = session.page
    page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    stdout = app.stdout.read_text()
    assert re.search(r"marketqa UI running on http://127\.0\.0\.1:\d+", stdout)
    log = app.stderr.read_text(errors="replace")
    assert re.search(r"Embedding \d+ passages", log)
    assert re.search(r"\d+/\d+ \[", log), "no tqdm progress bar on stderr"
    assert "model and index ready" in log


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_cagr_question_shows_formula_input_sources_and_chart(session: Session) -> None:
    page = session.page
    reply = ask(session, "What CAGR do the report's own 2024 and 2031 figures imply?", FIRST_ANSWER_TIMEOUT_MS)
    expected = cagr_percent(8_934, 19_700, 7)
    assert expected in reply.inner_text()

    formula = page.inner_text("#evidence .mqa-formula")
    assert formula == f"(19,700 / 8,934) ^ (1 / 7) - 1 = {expected}"
    rows = page.locator("#evidence .mqa-inputs tbody tr")
    assert rows.count() == 2
    start, end = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "start" in start and "2024" in start and "8,934 million" in start  # as the formula writes it
    assert "end" in end and "2031" in end and "19,700 million" in end
    for i in range(2):
        link = rows.nth(i).locator("a.mqa-input-source")
        target = link.get_attribute("href")
        assert re.fullmatch(r"#cite-\d+", target)
        cited = page.inner_text(f"#sources {target} mark")
        assert ("8,934 million in 2024" if i == 0 else "19,700 million by 2031") in cited
    rows.nth(1).locator("a.mqa-input-source").click()
    assert page.evaluate("location.hash") == rows.nth(1).locator("a").get_attribute("href")

    chart = page.locator("#chart img")
    chart.wait_for()
    assert chart.get_attribute("src").startswith("data:image/png")
    assert page.evaluate("document.querySelector('#chart img').naturalWidth") >= 300
    page.locator("#chart").scroll_into_view_if_needed()
    session.shot("02-cagr-formula-chart")
    assert not session.external


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_follow_up_uses_the_conversation_and_earlier_evidence_can_be_reopened(session: Session) -> None:
    page = session.page
    first = "How big will the large-scale AI models market be in 2028 at the stated CAGR?"
    ask(session, first, FIRST_ANSWER_TIMEOUT_MS)
    page.locator("#chart img").wait_for()
    reply = ask(session, "And what about 2030?")
    assert "2030" in page.inner_text("#evidence .mqa-rewritten")
    assert "Understood as" in reply.inner_text()
    assert "2030" in page.inner_text("#evidence .mqa-formula") or "2030" in reply.inner_text()
    session.shot("03-follow-up")
    page.locator("#chat [data-testid=bot]").first.click()
    page.locator("#evidence .mqa-asked", has_text=first).wait_for()
    assert not session.external


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_unanswerable_question_is_refused_with_closest_material_labelled(session: Session) -> None:
    page = session.page
    reply = ask(session, "What is the capital of France?", FIRST_ANSWER_TIMEOUT_MS)
    assert "don't answer" in reply.inner_text() or "do not answer" in reply.inner_text()
    assert "Not answered" in reply.inner_text()
    label = page.locator("#evidence .mqa-not-answer")
    assert label.is_visible() and "Not an answer" in label.inner_text()
    assert page.inner_text("#sources .mqa-section") == "Closest material (NOT an answer)"
    assert page.locator("#sources .mqa-source").count() >= 1
    page.locator("#chart img").wait_for(state="hidden")
    session.shot("04-refusal")
    assert not session.external


def upload(session: Session, path: Path) -> str:
    """Adds a report through the Reports tab; returns the upload message. Records the progress shown meanwhile."""
    page = session.page
    page.get_by_role("tab", name="Reports").click()
    page.evaluate("""() => { window.__progress = [];
        window.__progressTimer = setInterval(() => {
          const box = document.querySelector('#upload-message');
          if (box) window.__progress.push(box.innerText); }, 25); }""")
    before = page.inner_text("#upload-message")
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_function("before => { const m = document.querySelector('#upload-message .mqa-message');"
                           " return m && m.innerText !== before; }", arg=before, timeout=120_000)
    page.evaluate("clearInterval(window.__progressTimer)")
    return page.inner_text("#upload-message")


def report_titles(session: Session) -> list[str]:
    rows = session.page.locator("#reports-table .virtual-row")
    rows.first.wait_for()
    return [rows.nth(i).locator("[role=gridcell]").first.inner_text().strip() for i in range(rows.count())]


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_uploaded_report_is_indexed_with_progress_and_answers_questions(session: Session, tmp_path: Path) -> None:
    page = session.page
    page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    report = tmp_path / "quantum-sensing-outlook.md"
    shutil.copy(FIXTURES / "quantum-sensing-outlook.md", report)
    message = upload(session, report)
    assert "Added “Quantum Sensing Market Outlook 2030”" in message and "3 passages" in message
    seen = page.evaluate("window.__progress")
    assert any(re.search(r"Indexing|Batches|Checking|Reading|\d+%", text) for text in seen), seen
    assert "Quantum Sensing Market Outlook 2030" in report_titles(session)
    row = page.locator("#reports-table .virtual-row", has_text="Quantum Sensing Market Outlook 2030")
    assert "quantum-sensing-outlook.md" in row.inner_text() and re.search(r"\b3\b", row.inner_text())
    session.shot("05-upload-listed")

    page.get_by_role("tab", name="Chat").click()
    reply = ask(session, "Which companies lead the quantum sensing market?")
    assert "Q-CTRL" in reply.inner_text()
    assert page.inner_text("#sources #cite-1 .mqa-title") == "Quantum Sensing Market Outlook 2030"
    reply = ask(session, "What CAGR do the quantum sensing market's 2024 and 2030 figures imply?")
    expected = cagr_percent(1_200, 3_400, 6)
    assert page.inner_text("#evidence .mqa-formula") == f"(3,400 / 1,200) ^ (1 / 6) - 1 = {expected}"
    page.locator("#chart img").wait_for()
    session.shot("06-upload-answered")
    assert not session.external


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_report_with_script_payload_is_shown_as_text_and_runs_nothing(session: Session, tmp_path: Path) -> None:
    page = session.page
    page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    payload = tmp_path / "robot-vacuum-payload.txt"
    shutil.copy(FIXTURES / "robot-vacuum-payload.txt", payload)
    message = upload(session, payload)
    assert "Robot Vacuum Market Report <script>window.__pwned=1</script>" in message  # the title, as text
    assert "Robot Vacuum Market Report <script>window.__pwned=1</script>" in report_titles(session)
    session.shot("07-payload-listed")

    page.get_by_role("tab", name="Chat").click()
    reply = ask(session, "Who are the key players in the robot vacuum market?")
    assert '<b onmouseover="window.__pwned=1">Roborock</b>' in reply.inner_text()
    shown = page.inner_text("#sources")
    for text in ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">',
                 "[click](javascript:window.__pwned=1)", '<a href="javascript:window.__pwned=1">here</a>',
                 "${window.__pwned=1}", "{{constructor.constructor('window.__pwned=1')()}}"):
        assert text in shown, text
    page.locator("#sources mark", has_text="Roborock").hover()
    reply.hover()
    page.get_by_role("tab", name="Facts").click()
    page.get_by_role("tab", name="Reports").click()
    page.get_by_role("tab", name="Chat").click()
    session.shot("08-payload-as-text")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("""() => [...document.querySelectorAll('[href]')]
        .filter(e => e.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length""") == 0
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], [onerror], [onmouseover]').length") == 0
    assert not session.external


@pytest.mark.browser
@needs_chromium
def test_payload_probe_detects_a_real_injection(session: Session) -> None:
    """Control for the test above: the same probe sees a handler that does run."""
    page = session.page
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"x\" onerror=\"window.__pwned=1\">')")
    page.wait_for_function("window.__pwned === 1", timeout=10_000)


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_broken_or_unsupported_upload_changes_nothing(session: Session, tmp_path: Path) -> None:
    page = session.page
    page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    page.get_by_role("tab", name="Reports").click()
    titles = report_titles(session)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a real pdf\n%%EOF")
    message = upload(session, broken)
    assert "Could not add the report" in message and "broken.pdf" in message
    assert page.locator("#upload-message .mqa-error").is_visible()
    session.shot("09-broken-upload")
    assert report_titles(session) == titles

    unsupported = tmp_path / "numbers.csv"
    unsupported.write_text("market,value\nwidgets,12\n")
    page.set_input_files("#upload input[type=file]", str(unsupported))
    refused = page.locator("#upload-message .mqa-error", has_text="numbers.csv").or_(
        page.locator(".toast-body", has_text="Invalid file type"))
    refused.first.wait_for()
    assert report_titles(session) == titles

    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"The widget market grew. " * 450_000)  # 10.8 MB, over the 10 MB limit
    page.set_input_files("#upload input[type=file]", str(huge))
    page.locator(".toast-body", has_text=re.compile("size|large", re.IGNORECASE)).or_(
        page.locator("#upload-message .mqa-error", has_text="huge.txt")).first.wait_for()
    session.shot("09b-too-large")
    assert report_titles(session) == titles

    page.get_by_role("tab", name="Chat").click()
    reply = ask(session, "What was the large-scale AI models market worth in 2024?")
    assert "8,934 million" in reply.inner_text()
    assert not session.external


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_facts_tab_lists_facts_and_audit_flags(session: Session) -> None:
    page = session.page
    page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    page.get_by_role("tab", name="Facts").click()
    page.locator("#facts-table .virtual-row").first.wait_for()
    assert int(page.get_attribute("#facts-table [role=grid]", "aria-rowcount")) - 1 >= 10  # minus the header
    assert "US$ 8,934 million" in page.inner_text("#facts-table")
    flags = page.inner_text("#flags-table")
    assert "rounding" in flags and "11.96" in flags and "period_mismatch" not in flags

    def values() -> list[float]:
        return [float(c.inner_text()) for c in page.locator("#facts-table [role=gridcell][data-col='2']").all()]

    shown = values()
    page.locator("#facts-table [data-testid=header-2]").click()  # shows the column's ⋮ menu button
    page.locator("#facts-table [data-testid=header-2] button.cell-menu-button").click()
    page.get_by_role("menuitem", name="Sort descending").or_(page.get_by_text("Sort descending")).first.click()
    page.wait_for_function("() => { const c = document.querySelector(\"#facts-table [role=gridcell][data-col='2']\");"
                           f" return c && parseFloat(c.innerText) === {max(shown)}; }}")
    ordered = values()
    assert ordered == sorted(ordered, reverse=True)
    session.shot("10-facts")
    assert not session.external


# --- the launcher's safety options (no browser needed) ---------------------------------------------------------


def load_launcher():
    import importlib.util

    spec = importlib.util.spec_from_file_location("marketqa_app_launcher", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_launcher_options(monkeypatch: pytest.MonkeyPatch) -> None:
    launcher = load_launcher()
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    monkeypatch.delenv("MARKETQA_AUTH", raising=False)
    defaults = launcher.parse_args([])
    assert (defaults.host, defaults.port, defaults.auth_pair, defaults.corpus, defaults.index) == \
        ("127.0.0.1", 7860, None, None, None)
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    monkeypatch.setenv("MARKETQA_AUTH", "alice:pa:ss")
    from_env = launcher.parse_args([])
    assert from_env.port == 7999 and from_env.auth_pair == ("alice", "pa:ss")
    assert launcher.parse_args(["--port", "8123", "--auth", "bob:pw"]).port == 8123
    assert launcher.parse_args(["--auth", "bob:pw"]).auth_pair == ("bob", "pw")
    opened = launcher.parse_args(["--host", "0.0.0.0", "--share-on-network"])
    assert opened.host == "0.0.0.0"
    assert launcher.parse_args(["--host", "::1"]).host == "::1"


def test_non_loopback_host_needs_an_explicit_flag() -> None:
    result = subprocess.run([sys.executable, "app.py", "--host", "0.0.0.0"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "--share-on-network" in result.stderr and "Traceback" not in result.stderr


def test_malformed_auth_is_refused() -> None:
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MARKETQA_AUTH": "no-password"})
    assert result.returncode == 2 and "USER:PASSWORD" in result.stderr


@pytest.mark.slow
def test_auth_protects_the_app(tmp_path: Path) -> None:
    corpus = tmp_path / "empty-corpus"
    corpus.mkdir()
    running = start_app(tmp_path, "--corpus", str(corpus), "--index", str(tmp_path / "index"),
                        env={"MARKETQA_AUTH": "alice:s3cret-pass"})
    try:
        assert http_status(running.url + "config") == 401
        form = "username=alice&password=wrong".encode()
        assert http_status(urllib.request.Request(running.url + "login", data=form)) in (400, 401)
        form = "username=alice&password=s3cret-pass".encode()
        with urllib.request.urlopen(urllib.request.Request(running.url + "login", data=form), timeout=5) as reply:
            assert reply.status == 200
            cookie = reply.headers["set-cookie"].split(";")[0]
        with urllib.request.urlopen(urllib.request.Request(running.url + "config", headers={"Cookie": cookie}),
                                    timeout=5) as reply:
            assert reply.status == 200 and "marketqa" in reply.read().decode()
    finally:
        stop_app(running)


# --- escaping, without a browser --------------------------------------------------------------------------------


def test_escape_text_leaves_no_markup() -> None:
    from assistant.ui import escape_text

    payload = ("<script>x()</script> <img src=x onerror=\"y()\"> [click](javascript:z()) ![i](x) ${a} {{b}} "
               "`c` **d** www.example.com http://example.com & &amp;")
    escaped = escape_text(payload)
    for dangerous in ("<", ">", "\"", "'", "[", "]", "(", ")", "${", "{{", "`", "**", "www.", "http:", "&amp;"):
        assert dangerous not in escaped, dangerous
    assert html.unescape(escaped) == payload  # shown exactly as written


def test_answer_markers_link_only_to_shown_sources() -> None:
    from assistant.ui import linked_markers

    rendered = linked_markers("Worth US$ 8,934 million [1], not [7]. <b>", {1})
    assert '<a class="mqa-ref" href="#cite-1">&#91;1&#93;</a>' in rendered
    assert "#cite-7" not in rendered and "&#91;7&#93;" in rendered
    assert "<b>" not in rendered


# --- a configured LLM: streaming and the guard verdict (handlers driven directly, real HTTP on loopback) -------

PHRASED = ("The large-scale AI models market is forecast to reach US$ 19,700 million by 2031 [1]. "
           "That is up from US$ 8,934 million in 2024, a CAGR of 12.1% [1].")


@pytest.fixture
def llm_handlers(seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from scripted_openai_server import ScriptedOpenAIServer

    from assistant.core import Assistant
    from assistant.llm import ENV_VARS, build_phraser, load_config
    from assistant.ui import AssistantService, Handlers

    for variable in [*ENV_VARS.values(), "MARKETQA_LLM_CONFIG"]:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with ScriptedOpenAIServer() as server:
        config = load_config({"backend": "openai", "base_url": server.base_url, "model": server.model})
        assistant = Assistant(SEED_CORPUS, seed_index_dir, phraser=build_phraser(config), progress=False)
        service = AssistantService(lambda: assistant)
        service.start().join()
        yield server, Handlers(service)


def test_llm_answer_streams_then_shows_the_guard_verdict(llm_handlers) -> None:
    from scripted_openai_server import ScriptedReply

    server, handlers = llm_handlers
    server.queue(ScriptedReply(text=PHRASED, chunk_delay=0.02))
    outputs = list(handlers.respond("How big will the large-scale AI models market be in 2031?", [], []))
    streamed = [o[1][-1]["content"] for o in outputs[:-1]]
    assert len(streamed) >= 5  # token by token
    assert all("Draft, being checked: scripted-model has written" in text for text in streamed)
    assert not any("19,700" in text or "forecast to reach" in text for text in streamed)  # the draft never shows
    counts = [int(re.search(r"has written (\d+) word", text).group(1)) for text in streamed]
    assert counts == sorted(counts) and counts[0] < counts[-1] == len(PHRASED.split())
    _, chat, answers, evidence, *_, answer_json = outputs[-1]
    assert answer_json["answer"] == PHRASED and answer_json["guard"]["status"] == "passed"
    assert "LLM guard (openai scripted-model): passed" in html.unescape(evidence)
    assert "19,700 million by 2031" in chat[-1]["content"] and "Draft" not in chat[-1]["content"]
    assert answers[-1].answer == PHRASED


def test_llm_reply_the_guard_rejects_is_shown_and_not_used(llm_handlers) -> None:
    server, handlers = llm_handlers
    server.queue(PHRASED.replace("19,700", "21,000"))  # a number no passage states
    *_, final = handlers.respond("How big will the large-scale AI models market be in 2031?", [], [])
    _, chat, answers, evidence, *_, answer_json = final
    assert answer_json["guard"]["status"] == "fell_back" and "21,000" not in answer_json["answer"]
    assert "LLM guard (openai scripted-model): rejected" in html.unescape(evidence)
    assert "21,000" not in evidence  # the page never shows a rejected number, not even in the reasons
    assert "The draft states a number that is not in any cited passage" in html.unescape(evidence)
    assert "21,000" not in json.dumps(answer_json)  # the Answer JSON panel shows the summary too
    assert any("21,000" in reason for reason in answers[-1].guard["reasons"])  # the answer object keeps them
    assert "21,000" not in chat[-1]["content"]


def test_chat_message_cannot_start_markdown_blocks() -> None:
    """Lines of an answer never reach Markdown as lines: no code block, list or heading can come from them."""
    from assistant.models import Answer, Citation
    from assistant.ui import answer_markdown

    citation = Citation(1, "doc", "Title", "doc#0", "text", "quote", 0, 5, 1.0)
    answer = Answer("q", "    indented code?\n- a list item [1]\n# heading\n\n1. numbered", "retrieval",
                    citations=[citation])
    first_paragraph = answer_markdown(answer).split("\n\n")[0]
    assert "\n" not in first_paragraph
    assert first_paragraph.count("<br>") == 4 and '<a class="mqa-ref" href="#cite-1">' in first_paragraph
