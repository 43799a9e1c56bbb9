"""The sanitation guide as a PDF (fpdf2), built from the kit types' guide and checklist."""

from __future__ import annotations

from fpdf import FPDF

from crowdsci.kits.models import KitType


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1; other characters become '?' rather than failing the download.
    return (
        text.replace("\u2014", "-")
        .replace("\u2013", "-")
        .replace("\u2019", "'")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def sanitation_guide_pdf(kit_types: list[KitType]) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_title("Test the Waters: sanitation guide")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, "Test the Waters: sanitation guide", new_x="LMARGIN", new_y="NEXT")
    for kit_type in kit_types:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, _latin1(kit_type.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for number, line in enumerate([line for line in kit_type.sanitation_guide.splitlines() if line.strip()], 1):
            pdf.multi_cell(0, 6, _latin1(f"{number}. {line.strip()}"), new_x="LMARGIN", new_y="NEXT")
        _checklist(pdf, "Checklist to record after each loan", kit_type.sanitation_steps)
        _checklist(pdf, "Contents", kit_type.contents)
    return bytes(pdf.output())


def _checklist(pdf: FPDF, heading: str, items: list[str]) -> None:
    if not items:
        return
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for item in items:
        pdf.multi_cell(0, 6, _latin1(f"[  ] {item}"), new_x="LMARGIN", new_y="NEXT")
