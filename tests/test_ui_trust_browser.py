"""The UI's promises a user has to be able to trust, in headless Debian Chromium against the real `python app.py`:

- a report added through the UI goes to the user's library, never into the checkout, and can be removed again;
- the evidence panel tells the passages an answer cites from those only retrieved beside them;
- an LLM's draft is never shown before the guard has checked it: a number the guard rejects never reaches the page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from support import ROOT
from test_ui_browser import (ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FIRST_ANSWER_TIMEOUT_MS, FIXTURES, Session, ask,
                             needs_chromium, report_titles, upload)
from ui_fixtures.app_process import RunningApp, start_app, stop_app

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

QUANTUM_QUESTION = "Which companies lead the quantum sensing market?"


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def library_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, Path]]:
    """The app as the README starts it (no --corpus): the shipped corpus plus a library in a fresh data folder."""
    tmp = tmp_path_factory.mktemp("library-app")
    data = tmp / "data"
    running = start_app(tmp, env={"MARKETQA_DATA": str(data)})
    yield running, data
    stop_app(running)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser, url: str, width: int = 1400, height: int = 1000) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": width, "height": height})
    opened = Session(context.new_page())
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else (opened.external.append(route.request.url), route.abort()))
    opened.page.set_default_timeout(60_000)
    opened.page.goto(url)
    opened.page.wait_for_selector("#question textarea")
    opened.page.locator("#status", has_text="Ready").wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
    yield opened
    context.close()


@pytest.fixture
def session(library_app, browser) -> Iterator[Session]:
    yield from _open(browser, library_app[0].url)


def test_upload_then_remove_keeps_the_checkout_clean(session: Session, library_app, tmp_path: Path) -> None:
    _, data = library_app
    page = session.page
    status_before = _git_status()
    report = tmp_path / "quantum-sensing-outlook.md"
    shutil.copy(FIXTURES / "quantum-sensing-outlook.md", report)
    message = upload(session, report)
    assert "Added “Quantum Sensing Market Outlook 2030”" in message and "Kept in your library" in message
    stored = data / "collections" / "default" / "reports" / report.name
    assert stored.read_bytes() == report.read_bytes()
    row = page.locator("#reports-table .virtual-row", has_text="Quantum Sensing Market Outlook 2030")
    assert "your library" in row.inner_text()
    assert _git_status() == status_before
    page.get_by_role("tab", name="Chat").click()
    assert "Q-CTRL" in ask(session, QUANTUM_QUESTION).inner_text()

    page.get_by_role("tab", name="Reports").click()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=report.name).click()
    page.locator("#remove").click()
    page.locator("#upload-message .mqa-ok", has_text=f"Removed {report.name}").wait_for()
    session.shot("11-removed")
    assert "Quantum Sensing Market Outlook 2030" not in report_titles(session)
    assert not stored.exists()
    page.get_by_role("tab", name="Chat").click()
    assert "Q-CTRL" not in ask(session, "Who are the key players in quantum sensing?").inner_text()
    assert page.locator("#sources .mqa-closest").count() == 1  # a refusal now
    assert _git_status() == status_before
    assert not session.external


def test_evidence_panel_tells_cited_from_also_retrieved(session: Session) -> None:
    page = session.page
    ask(session, "What CAGR do the report's own 2024 and 2031 figures imply?")
    answer = page.locator("#chat [data-testid=bot]").last.inner_text()
    cited = page.locator("#sources .mqa-cited > .mqa-source")
    assert cited.count() >= 1
    for i in range(cited.count()):
        item = cited.nth(i)
        assert item.locator(".mqa-badge").inner_text() == "cited"
        assert item.locator("mark").count() >= 1
        assert f"[{item.get_attribute('id').removeprefix('cite-')}]" in answer
    also = page.locator("#sources details.mqa-also")
    assert also.count() == 1 and also.get_attribute("open") is None  # collapsed
    assert "Also retrieved, not cited" in also.locator("summary").inner_text()
    uncited = also.locator(".mqa-source")
    assert uncited.count() >= 1
    assert also.locator("mark").count() == 0 and also.locator(".mqa-badge").count() == 0
    for i in range(uncited.count()):
        assert f"[{uncited.nth(i).get_attribute('id').removeprefix('cite-')}]" not in answer
    also.locator("summary").click()
    assert uncited.first.is_visible()
    session.shot("12-cited-and-also-retrieved")

    # The same answer, with its calculation and cited quotes, to copy or download.
    page.get_by_text("Export: copy or download").click()
    exported = page.locator("#export .cm-content").inner_text()
    assert "(19,700 / 8,934) ^ (1 / 7) - 1" in exported and "### Sources (cited)" in exported
    assert "Also retrieved, not cited" in exported
    with page.expect_download() as markdown_file:
        page.locator("#download-md").click()
    assert "### Sources (cited)" in Path(markdown_file.value.path()).read_text()
    with page.expect_download() as json_file:
        page.locator("#download-json").click()
    downloaded = json.loads(Path(json_file.value.path()).read_text())
    assert downloaded["calculation"]["kind"] == "cagr" and downloaded["citations"][0]["cited"] is True
    assert not session.external


def test_history_lists_what_was_asked_and_reopens_an_answer(session: Session) -> None:
    page = session.page
    asked = "What was the large-scale AI models market worth in 2024?"
    ask(session, asked)
    page.get_by_role("tab", name="History").click()
    rows = page.locator("#history-table .virtual-row")
    rows.first.wait_for()
    newest = rows.first.inner_text()
    assert asked in newest and "ui" in newest and "retrieval" in newest
    cagr = page.locator("#history-table .virtual-row", has_text="What CAGR do the report's own 2024 and 2031").first
    cagr.locator("[role=gridcell]").last.click()
    page.locator("#evidence .mqa-asked", has_text="What CAGR do the report's own 2024 and 2031").wait_for()
    assert page.get_by_role("tab", name="Chat").get_attribute("aria-selected") == "true"
    assert "(19,700 / 8,934) ^ (1 / 7) - 1" in page.inner_text("#evidence .mqa-formula")
    session.shot("13b-history-reopened")
    assert not session.external


# --- guarded streaming: the app phrases with a scripted LLM whose reply changes a number ---------------------------

CHANGED = ("The large-scale AI models market is forecast to reach US$ 23,456 million by 2031 [1]. "
           "That is up from US$ 8,934 million in 2024, a CAGR of 12.1% [1].")


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory: pytest.TempPathFactory, seed_index_dir: Path):
    from scripted_openai_server import ScriptedOpenAIServer

    tmp = tmp_path_factory.mktemp("llm-app")
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    shutil.copytree(seed_index_dir, tmp / "index")
    with ScriptedOpenAIServer() as server:
        running = start_app(tmp, "--corpus", str(tmp / "corpus"), "--index", str(tmp / "index"),
                            "--llm-backend", "openai", "--llm-base-url", server.base_url, "--llm-model", server.model,
                            env={"MARKETQA_DATA": str(tmp / "data")})
        yield running, server
        stop_app(running)


def test_a_rejected_number_never_reaches_the_page_while_it_streams(llm_app, browser) -> None:
    from scripted_openai_server import ScriptedReply

    running, server = llm_app
    server.queue(ScriptedReply(text=CHANGED, chunk_delay=0.08))  # about 2 s of streaming
    for opened in _open(browser, running.url):
        page = opened.page
        # Every 10 ms, and on every change of the page, record whether the changed number is anywhere in it.
        page.evaluate("""() => { window.__seen = []; window.__drafts = [];
            const look = () => { const text = document.body.innerText;
                if (text.includes('23,456') || text.includes('23456')) window.__seen.push(text);
                const d = document.querySelector('.mqa-drafting'); if (d) window.__drafts.push(d.innerText); };
            window.__poll = setInterval(look, 10);
            new MutationObserver(look).observe(document.body, {subtree: true, childList: true,
                                                               characterData: true}); }""")
        question = "How big will the large-scale AI models market be in 2031?"
        page.fill("#question textarea", question)
        page.press("#question textarea", "Enter")
        page.locator("#evidence .mqa-asked", has_text=question).wait_for(timeout=FIRST_ANSWER_TIMEOUT_MS)
        page.evaluate("clearInterval(window.__poll)")
        drafts = page.evaluate("window.__drafts")
        assert drafts and any("Draft, being checked" in d for d in drafts), "the draft area never showed"
        assert page.evaluate("window.__seen") == []
        reply = page.locator("#chat [data-testid=bot]").last.inner_text()
        assert "19,700 million" in reply  # the extractive answer, shown instead
        evidence = page.inner_text("#evidence")
        assert "rejected the language model's reply" in evidence
        opened.shot("13-guarded-stream-rejected")
        assert ARTIFACTS.exists() and not opened.external


# --- a phone's width ------------------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
CELL_WIDTHS = """sel => [...document.querySelectorAll(sel + ' [role=gridcell], ' + sel + ' th')]
    .filter(e => e.offsetParent).map(e => Math.round(e.getBoundingClientRect().width))"""


def test_the_layout_works_at_phone_width(library_app, browser) -> None:
    for opened in _open(browser, library_app[0].url, **PHONE):
        page = opened.page
        ask(opened, "What CAGR do the report's own 2024 and 2031 figures imply?")
        page.locator("#chart img").wait_for()
        answer = page.locator("#chat [data-testid=bot]").last.bounding_box()
        evidence = page.locator("#evidence").bounding_box()
        # The evidence starts within a screen of the answer's end, not two screens below it.
        assert evidence["y"] - (answer["y"] + answer["height"]) < PHONE["height"], (answer, evidence)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways page
        assert "growth rate (CAGR)" in page.inner_text("#evidence .mqa-section")  # not the internal "cagr"
        rows = page.locator("#evidence .mqa-inputs tbody tr")
        assert "8,934 million" in rows.nth(0).inner_text()  # in the formula's scale: (19,700 / 8,934)
        chart = page.locator("#chart img").bounding_box()
        labels = [box for box in (page.locator("#chart label, #chart [data-testid=block-label]").all()) if
                  box.is_visible()]
        for label in labels:
            box = label.bounding_box()
            assert box["y"] + box["height"] <= chart["y"] or box["y"] >= chart["y"] + chart["height"]
        opened.shot("14-phone-chat")

        page.get_by_role("tab", name="Facts").click()
        page.locator("#facts-table .virtual-row").first.wait_for()
        page.wait_for_timeout(500)  # the column widths are set once the table is measured
        for table in ("#facts-table", "#flags-table"):
            widths = page.evaluate(CELL_WIDTHS, table)
            assert widths and min(widths) >= 40, (table, sorted(widths)[:5])
        opened.shot("15-phone-facts")
        page.get_by_role("tab", name="Reports").click()
        page.locator("#reports-table .virtual-row").first.wait_for()
        page.wait_for_timeout(500)
        widths = page.evaluate(CELL_WIDTHS, "#reports-table")
        assert widths and min(widths) >= 40, sorted(widths)[:5]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        opened.shot("16-phone-reports")
        assert not opened.external
