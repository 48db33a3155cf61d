"""Hostile files in a corpus folder: each is skipped with one warning naming it, and the rest is indexed.

The corpus is built for real in tmp_path (an encrypted PDF, a name that is not UTF-8, a FIFO, a socket, links out of
the folder, junk that decodes as text, bad metadata entries...) and ingested by the real `marketqa ingest`.
"""

from __future__ import annotations

import base64
import io
import json
import os
import random
import socket
import string
import time
from pathlib import Path

import pytest

from assistant.corpus_files import list_corpus, load_metadata
from assistant.index import read_manifest, stale_reasons
from assistant.ingest import load_report
from assistant.models import UnreadableReport
from assistant.readable import junk_reason
from support import ROOT, run_cli

GOOD = {
    "kelp.txt": "Kelp Farming Market\n\nThe kelp farming market was worth USD 1.1 billion in 2024 and should reach "
                "USD 2.2 billion by 2030, according to Tidewater Analytics.\n",
    "sauna.md": "# Home Sauna Market\n\nThe home sauna market reached USD 3.4 billion in 2024. Infrared cabins took "
                "41.5% of sales in 2024, and the market is forecast to grow at a CAGR of 6.2% from 2025 to 2031.\n",
}
UTF16_REPORT = ("Beekeeping Equipment Market\n\nThe beekeeping equipment market was valued at USD 850 million in 2024 "
                "and is expected to reach USD 1.3 billion by 2032 — Ølstad Research.\n")
PDF_REPORT = ("Pickleball Paddle Market. The pickleball paddle market was worth USD 420 million in 2024 and should "
              "reach USD 900 million by 2030, says Courtline Insights.")


def _pdf(text: str, *, user_password: str | None = None) -> bytes:
    """A one-page PDF with a text layer; encrypted with AES-256 when a user password is given ("" opens it)."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=11)
    document.multi_cell(0, 6, text)
    data = bytes(document.output())
    if user_password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _random_words(rng: random.Random, alphabet: str, count: int) -> bytes:
    return " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 10))) for _ in range(count)).encode()


def junk_kinds(seed: int) -> dict[str, bytes]:
    """Junk of several kinds that decodes as text (no NUL bytes), each named like a report."""
    rng = random.Random(seed)
    return {
        "printable.txt": bytes(rng.randrange(32, 127) for _ in range(200_000)),
        "printable.html": bytes(rng.randrange(32, 127) for _ in range(100_000)),
        "base64.md": base64.encodebytes(rng.randbytes(60_000)),
        "hexdump.txt": "\n".join(rng.randbytes(16).hex(" ", 2) for _ in range(3000)).encode(),
        "lower-words.txt": _random_words(rng, string.ascii_lowercase, 15_000),
        "mixed-case-words.md": _random_words(rng, string.ascii_letters, 15_000),
        "cyrillic-words.txt": _random_words(rng, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", 15_000),
        "cjk.txt": "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(40_000)).encode(),
        "figures-only.txt": _random_words(rng, string.digits + ".,%", 5_000),
        "tag-soup.html": ("<html><body>" + "".join(f"<div class='{rng.randbytes(4).hex()}'>{rng.randbytes(12).hex()}"
                                                   "</div>" for _ in range(1500)) + "</body></html>").encode(),
        "empty.txt": b"",
    }


def shipped_reports() -> list[Path]:
    folders = [ROOT / "corpus", *sorted(p for p in (ROOT / "eval").iterdir() if p.is_dir()), ROOT / "tests" / "fixtures"]
    scanned = ROOT / "tests" / "fixtures" / "ingest" / "desalination-briefing-scan.pdf"  # has no text layer at all
    return [path for folder in folders for path in sorted(folder.rglob("*"))
            if path.suffix.lower() in {".txt", ".md", ".html", ".htm", ".pdf"} and path.is_file() and path != scanned]


def test_no_shipped_or_eval_report_reads_as_junk() -> None:
    reports = shipped_reports()
    assert len(reports) >= 60
    failures = {}
    for path in reports:
        try:
            load_report(path)
        except UnreadableReport as exc:
            failures[str(path.relative_to(ROOT))] = str(exc)
    assert failures == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_junk_of_every_kind_is_refused_quickly(seed: int) -> None:
    for name, data in junk_kinds(seed).items():
        began = time.perf_counter()
        with pytest.raises(UnreadableReport, match="no readable text") as caught:
            load_report(Path(name), data=data)
        assert str(caught.value).startswith(f"{name}: ")
        assert time.perf_counter() - began < 15, name  # not minutes of embedding


def test_the_junk_measure_keeps_text_that_only_looks_odd() -> None:
    """Figures, links, codes, caseless scripts and capitalised names are not junk."""
    table = "\n".join(f"Region {i}: USD {i * 1.7:.1f} billion in 2024 (CAGR {i % 9 + 2.5}%), code AB-{i:03d}"
                      for i in range(400))
    links = " ".join(f"See https://example.com/reports/{i}?id={i * 31} for the table." for i in range(300))
    japanese = "2025年の世界のAI市場は、前年比で大きく成長し、約1兆円に達する見込みである。" * 60
    names = "McKinsey, iPhone, LiDAR, PwC, eBay, QYResearch and GlobeNewswire report on the market. " * 60
    for text in (table, links, japanese, names):
        assert junk_reason(text) is None, text[:80]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_reports_are_decoded(encoding: str) -> None:
    report = load_report(Path("bees.txt"), data=UTF16_REPORT.encode(encoding))
    assert "USD 850 million in 2024" in report.text and "Ølstad" in report.text


def test_encrypted_pdfs() -> None:
    opened = load_report(Path("open.pdf"), data=_pdf(PDF_REPORT, user_password=""))  # AES, empty user password
    assert "USD 420 million in 2024" in opened.text
    with pytest.raises(UnreadableReport, match=r"locked\.pdf: encrypted PDF \(needs a password\)"):
        load_report(Path("locked.pdf"), data=_pdf(PDF_REPORT, user_password="hunter2"))


def test_metadata_entries_are_checked_one_by_one(tmp_path: Path) -> None:
    (tmp_path / "metadata.json").write_text(json.dumps({
        "good.txt": {"doc": "good-doc", "title": "A Title", "publisher": None, "year": "2024", "seed": "x"},
        "string.txt": "just a string",
        "list-title.txt": {"title": ["a", "b"]},
        "bad-year.txt": {"year": 20245},
        "bad-doc.txt": {"doc": "has spaces and #"},
        "bool-publisher.txt": {"publisher": True},
        "null.txt": None,  # nothing said about it
    }), encoding="utf-8")
    metadata = load_metadata(tmp_path)
    assert metadata.problem is None
    assert metadata.get("good.txt")["year"] == 2024 and metadata.get("good.txt")["doc"] == "good-doc"
    assert metadata.get("null.txt") is None and "null.txt" not in metadata.bad_entries
    assert sorted(metadata.bad_entries) == ["bad-doc.txt", "bad-year.txt", "bool-publisher.txt", "list-title.txt",
                                            "string.txt"]
    assert "a string" in metadata.bad_entries["string.txt"] and "a list" in metadata.bad_entries["list-title.txt"]
    for content in (b"{not json", b"[1, 2]", b"\xff\xfe\x00garbage", b"[" * 100_000):
        (tmp_path / "metadata.json").write_bytes(content)
        problem = load_metadata(tmp_path).problem
        assert problem and problem.startswith("metadata.json: ") and "ignored" in problem


def build_hostile_corpus(root: Path) -> tuple[Path, dict[str, str]]:
    """A corpus folder with good reports and every hostile kind; returns it and, per bad entry as a warning names
    it, a fragment of the reason the warning must give."""
    corpus = root / "corpus"
    corpus.mkdir()
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(GOOD["kelp.txt"].replace("Kelp", "Secret"), encoding="utf-8")
    for name, text in GOOD.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "bees-utf16le.txt").write_bytes(UTF16_REPORT.encode("utf-16"))  # with a BOM
    (corpus / "bees-utf16be.txt").write_bytes(UTF16_REPORT.replace("Beekeeping", "Apiary").encode("utf-16-be"))
    (corpus / "paddles.pdf").write_bytes(_pdf(PDF_REPORT, user_password=""))
    (corpus / "kelp-alias.txt").symlink_to("kelp.txt")  # a link inside the folder is a report like any other

    bad: dict[str, str] = {}
    (corpus / "locked.pdf").write_bytes(_pdf(PDF_REPORT, user_password="hunter2"))
    bad["locked.pdf"] = "encrypted PDF (needs a password)"
    (corpus / os.fsdecode(b"caf\xe9-report.txt")).write_text(GOOD["kelp.txt"], encoding="utf-8")
    bad["caf\\xe9-report.txt"] = "not valid UTF-8"
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    bad["passwd.txt"] = "outside the corpus folder"
    (corpus / "gone.md").symlink_to(corpus / "nowhere.md")
    bad["gone.md"] = "dangling symbolic link"
    os.mkfifo(corpus / "pipe.txt")
    bad["pipe.txt"] = "FIFO"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(corpus / "sock.md"))
    bad["sock.md"] = "socket"
    (corpus / "folder.txt").mkdir()
    bad["folder.txt"] = "a folder"
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    bad["huge.txt"] = "larger than 20 MB"
    (corpus / "binary.txt").write_bytes(b"\x00\xff" * 500)
    bad["binary.txt"] = "binary file"
    for name, data in junk_kinds(seed=5).items():
        if name in ("printable.txt", "printable.html", "base64.md", "cjk.txt", "empty.txt"):
            (corpus / name).write_bytes(data)
            bad[name] = "no readable text"
    for name in ("string-entry.txt", "list-title.txt"):
        (corpus / name).write_text(GOOD["kelp.txt"].replace("Kelp", "Seaweed"), encoding="utf-8")
    (corpus / "metadata.json").write_text(json.dumps({
        "kelp.txt": {"title": "Kelp Farming Market Outlook", "publisher": "Tidewater Analytics", "year": 2025},
        "string-entry.txt": "Seaweed report",
        "list-title.txt": {"title": ["Seaweed", "Market"]},
    }), encoding="utf-8")
    bad["string-entry.txt"] = "must be an object"
    bad["list-title.txt"] = "\"title\" that is a list"
    (corpus / "notes").symlink_to(outside / "secret.txt")  # not named like a report, but a link out of the folder
    bad["notes"] = "outside the corpus folder"
    return corpus, bad


@pytest.mark.slow
def test_hostile_corpus_through_the_real_cli(tmp_path: Path) -> None:
    corpus, bad = build_hostile_corpus(tmp_path)
    index = tmp_path / "index"
    result = run_cli("ingest", "--corpus", str(corpus), "--index", str(index), timeout=240)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: skipped ")]
    named = {}
    for line in warnings:
        name = line.removeprefix("warning: skipped ").split(": ", 1)[0]
        assert name not in named, f"two warnings for {name}"
        named[name] = line
    assert sorted(named) == sorted(bad)
    for name, reason in bad.items():
        assert reason in named[name], named[name]
    assert f"skipped {len(bad)} file(s)" in result.stdout and result.stdout.count("  skipped ") == len(bad)

    manifest = read_manifest(index)
    indexed = {entry["source"]: entry for entry in manifest["reports"].values()}
    assert sorted(indexed) == ["bees-utf16be.txt", "bees-utf16le.txt", "kelp-alias.txt", "kelp.txt", "paddles.pdf",
                               "sauna.md"]
    assert indexed["kelp.txt"]["title"] == "Kelp Farming Market Outlook"  # its good metadata entry still applies
    assert set(manifest["skipped_files"]) == set(bad)
    # Nothing changed, so the index is fresh: hostile entries do not make it stale on every start.
    assert stale_reasons(manifest, list_corpus(corpus)) == []

    # Each good report's figures were read ...
    facts = run_cli("facts", "--format", "json", "--corpus", str(corpus), "--index", str(index), timeout=240)
    assert facts.returncode == 0, facts.stderr
    found = {(row["doc"], row["metric"], row["value"], row["year"]) for row in json.loads(facts.stdout)}
    for fact in [("kelp", "size", 1.1e9, 2024), ("sauna", "share", 41.5, 2024), ("bees-utf16le", "size", 8.5e8, 2024),
                 ("bees-utf16be", "size", 8.5e8, 2024), ("paddles", "size", 4.2e8, 2024)]:
        assert fact in found, fact
    # ... and a question finds each of them.
    from assistant.core import Assistant

    assistant = Assistant(corpus, index, progress=False)
    for question, doc, figure in [
        ("What was the kelp farming market worth in 2024?", "kelp", "1.1 billion"),
        ("What share of home sauna sales did infrared cabins take?", "sauna", "41.5%"),
        ("How big was the apiary equipment market in 2024?", "bees-utf16be", "850 million"),
        ("What was the pickleball paddle market worth?", "paddles", "420 million"),
    ]:
        top = assistant.retrieve(question, k=1)[0]
        assert top.doc.startswith(doc) and figure in top.text, (question, top)


def test_permission_denied_file_is_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode; isolation is shown by the other hostile kinds")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kelp.txt").write_text(GOOD["kelp.txt"], encoding="utf-8")
    (corpus / "locked.txt").write_text(GOOD["sauna.md"], encoding="utf-8")
    (corpus / "locked.txt").chmod(0)
    files = {f.name: f for f in list_corpus(corpus)}
    assert files["kelp.txt"].problem is None
    assert "Permission denied" in files["locked.txt"].problem


def test_an_upload_is_checked_first_and_never_replaces_a_special_file(tmp_path: Path) -> None:
    from assistant.core import Assistant
    from assistant.models import MarketQAError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "kelp.txt")  # opening it to compare would block the upload forever
    assistant = Assistant(corpus, tmp_path / "index", progress=False, warn=lambda _message: None)
    kelp = GOOD["kelp.txt"].encode()
    for name, data, message in [("junk.txt", junk_kinds(seed=9)["printable.txt"], "junk.txt: no readable text"),
                                ("bad\nname.txt", kelp, "control characters"),
                                ("locked.pdf", _pdf(PDF_REPORT, user_password="hunter2"), "needs a password")]:
        with pytest.raises(MarketQAError, match=message):
            assistant.add_report(name, data)
    assert os.listdir(corpus) == ["kelp.txt"]
    result = assistant.add_report(".kelp.txt", kelp)  # a leading dot would hide it from every later ingest
    assert (corpus / "kelp.txt").is_fifo() and (corpus / "kelp-2.txt").read_bytes() == kelp
    assert result.reports_new == ["kelp-2"]
    assert [w.split(": ", 1)[0] for w in result.skipped] == ["skipped kelp.txt"] and "FIFO" in result.skipped[0]
