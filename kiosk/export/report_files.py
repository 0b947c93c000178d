"""An X, Z or shift report (``kiosk.domain.books_report``) as a PDF page or CSV rows.

The PDF uses fpdf2's built-in Helvetica, which holds Latin-1 only: any other character
is transliterated (é stays, ẞ becomes SS) so a name never breaks the export. The file is
written to a temporary name and renamed, so a reader never sees half a report.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.books_report import ReportDocument, report_rows

if TYPE_CHECKING:
    from fpdf import FPDF

_LINE_MM = 6.0
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _latin1(text: str) -> str:
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def report_pdf(document: ReportDocument, created: datetime = EPOCH) -> bytes:
    """One A4 page per report (more if it runs long): title, meta, sections as two
    columns (label, value right-aligned). The same report and ``created`` time give the
    same bytes."""
    from fpdf import FPDF  # here: fpdf takes ~45 MB and 0.4 s, and the till rarely prints PDFs

    pdf = FPDF(format="A4")
    pdf.set_creation_date(created)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 12)
    for line in document.header:
        pdf.cell(width, _LINE_MM, _latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(width, _LINE_MM * 2, _latin1(document.title), align="C", new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.set_font("Helvetica", "", 10)
    for label, value in document.meta:
        _row(pdf, width, label, value)
    for section in document.sections:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, _LINE_MM, _latin1(section.heading), border="B", new_x="LMARGIN",
                 new_y="NEXT")  # fmt: skip
        pdf.set_font("Helvetica", "", 10)
        for label, value in section.rows:
            _row(pdf, width, label, value)
    return bytes(pdf.output())


def _row(pdf: FPDF, width: float, label: str, value: str) -> None:
    pdf.cell(width * 0.6, _LINE_MM, _latin1(label))
    pdf.cell(width * 0.4, _LINE_MM, _latin1(value), align="R", new_x="LMARGIN", new_y="NEXT")


def report_csv(document: ReportDocument) -> str:
    """``section,label,value`` rows (values as shown on the printed report)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "label", "value"])
    writer.writerows(report_rows(document))
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)
