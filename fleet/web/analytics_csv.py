"""Each analysis view's table as CSV: headers in the page's language, amounts as whole
rupiah and shares as plain numbers, so a spreadsheet adds them up as they are."""

from __future__ import annotations

import csv
import io
from typing import Any

from fleet.web.i18n import TEXTS

# view -> (the key of its rows in the view's data, [(header word, column key)])
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "heatmap": ("cells", [("weekday", "weekday"), ("hour", "hour"),
                          ("transactions", "transactions"), ("net", "net")]),
    "comparison": ("figures", [("figure", "key"), ("this_period", "current"),
                               ("previous_period", "previous"),
                               ("change_percent", "change_percent")]),
    "abc": ("products", [("sku", "sku"), ("product", "name"), ("abc_class", "class"),
                         ("units", "units"), ("amount", "amount"), ("revenue_share", "share"),
                         ("cumulative_share", "cumulative_share")]),
    "stock": ("products", [("sku", "sku"), ("product", "name"), ("available", "available"),
                           ("units", "sold"), ("per_day", "per_day"),
                           ("cover_days", "cover_days"), ("reorder", "reorder"),
                           ("slow_seller", "slow")]),
    "pairs": ("pairs", [("sku", "sku_a"), ("product", "name_a"), ("sku", "sku_b"),
                        ("product", "name_b"), ("together", "sales"), ("support", "support"),
                        ("confidence_a_b", "confidence_a_b"),
                        ("confidence_b_a", "confidence_b_a"), ("lift", "lift")]),
}  # fmt: skip
# Cells whose value is a word of the page (a weekday, a figure's name), not a number.
WORDED = {("heatmap", "weekday"): "wd_{}", ("comparison", "key"): "fig_{}"}


def csv_text(view: str, data: dict[str, Any], lang: str) -> str:
    rows_key, columns = TABLES[view]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TEXTS[word][lang] for word, _ in columns])
    for row in data[rows_key]:
        cells = []
        for _, key in columns:
            value = row[key]
            worded = WORDED.get((view, key))
            if worded is not None:
                value = TEXTS[worded.format(value)][lang]
            elif isinstance(value, bool):
                value = TEXTS["yes" if value else "no"][lang]
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return out.getvalue()
