"""Reading an acquirer's settlement report file (CSV, comma or semicolon separated)."""

from __future__ import annotations

import csv

from kiosk.domain.settlement import ReportLine, SettlementFileError, read_rows

MAX_REPORT_BYTES = 20 * 1024 * 1024


def read_report(text: str) -> list[ReportLine]:
    if len(text) > MAX_REPORT_BYTES:
        raise SettlementFileError("the report is larger than 20 MB")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise SettlementFileError("the report is empty")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return read_rows(csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    except csv.Error as err:
        raise SettlementFileError(f"not a readable CSV file: {err}") from err
