"""Generate eval/other_corpus/solid-state-batteries.pdf, the PDF report of the second evaluation corpus.

Run from the project root:  /work/venv/bin/python eval/tools/make_pdf.py
The generated PDF is committed; rerun this only to change the report. Core PDF fonts are Latin-1,
so the text sticks to ASCII (no euro sign, no typographic quotes).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

OUTPUT = Path(__file__).resolve().parents[1] / "other_corpus" / "solid-state-batteries.pdf"

TITLE = "Solid-State Battery Market Forecast 2025-2033"

# (heading, paragraphs); a heading of "" means body text directly under the title.
SECTIONS: list[tuple[str, list[str]]] = [
    (
        "",
        [
            "Voltmark Research - Market Report Summary - Seoul, 11 February 2025",
            "The global solid-state battery market was valued at USD 1.6 billion in 2024 and is forecast to reach "
            "USD 12.4 billion by 2033, a CAGR of 25.5% over 2024-2033, according to the Voltmark Research report "
            "\"Solid-State Battery Market: Technology, Application and Regional Forecast 2025-2033\".",
            "Solid-state batteries replace the flammable liquid electrolyte of a lithium-ion cell with a solid "
            "electrolyte made of ceramic, glass, sulfide or polymer materials. This allows a lithium-metal anode, "
            "which raises energy density, and removes most of the fire risk of conventional cells.",
        ],
    ),
    (
        "Segmentation",
        [
            "By type, the market is divided into thin-film solid-state batteries, used in small devices such as "
            "sensors, smart cards and medical implants, and bulk (portable) solid-state batteries for vehicles and "
            "consumer electronics. By electrolyte, the report covers oxide, sulfide and polymer electrolytes; sulfide "
            "electrolytes attract the most automotive investment because of their high ionic conductivity.",
            "By application, the market covers electric vehicles, consumer electronics, medical devices, "
            "energy storage systems, and aerospace and defense. Consumer electronics and medical devices generated "
            "most 2024 revenue, but electric vehicles are expected to become the largest application by 2030 as "
            "automotive pilot lines move to series production.",
        ],
    ),
    (
        "Regional analysis",
        [
            "Asia-Pacific accounted for 48% of global revenue in 2024, led by Japan, South Korea and China, home to "
            "most cell makers and their automotive partners. North America is the second-largest region, supported "
            "by start-ups backed by carmakers and by federal manufacturing incentives. Europe is expected to grow "
            "quickly from a small base as carmakers localize battery supply chains.",
        ],
    ),
    (
        "Drivers and challenges",
        [
            "Demand for longer electric-vehicle range, faster charging and safer cells is the main driver. "
            "Carmakers see solid-state cells as a way to cut charging times below 15 minutes and to reduce the "
            "weight of battery packs.",
            "Manufacturing cost remains the main challenge: producing thin, defect-free solid electrolyte layers at "
            "scale is difficult, and lithium dendrites and unstable interfaces between electrode and electrolyte "
            "shorten cycle life. Most analysts do not expect cost parity with lithium-ion before the early 2030s.",
        ],
    ),
    (
        "Competitive landscape",
        [
            "Key players include Toyota Motor Corporation, QuantumScape, Solid Power, Samsung SDI, ProLogium "
            "Technology, Factorial Energy, Ilika and CATL. Toyota holds the largest portfolio of solid-state "
            "battery patents, while QuantumScape and Solid Power supply sample cells to automotive partners "
            "including Volkswagen's PowerCo, BMW and Ford.",
        ],
    ),
    (
        "About Voltmark Research",
        [
            "Voltmark Research covers batteries, charging and energy storage. Free sample pages of this report are "
            "available on request. Contact: Voltmark Research, 25 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea. "
            "Email: reports@voltmark.example. Tel: +82 2 555 0170.",
        ],
    ),
]


def build(path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title(TITLE)
    pdf.set_author("Voltmark Research")
    pdf.set_creation_date(datetime(2025, 2, 11, tzinfo=timezone.utc))  # fixed date: reproducible bytes
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, TITLE)
    pdf.ln(3)
    for heading, paragraphs in SECTIONS:
        if heading:
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, heading)
            pdf.ln(1)
        pdf.set_font("Helvetica", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(3)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


if __name__ == "__main__":
    build(OUTPUT)
    print(f"wrote {OUTPUT}")
