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
    "rfm": ("members", [("member", "member_id"), ("last_visit", "last_visit"),
                        ("recency_days", "recency_days"), ("frequency", "frequency"),
                        ("monetary", "monetary"), ("score_r", "r"), ("score_f", "f"),
                        ("score_m", "m"), ("segment", "segment")]),
    "loss": ("cashiers", [("cashier", "cashier"), ("transactions", "sales"),
                          ("voids", "voids"), ("lp_voids_rate", "rates.voids"),
                          ("lp_cancels", "cancels"), ("lp_cancels_rate", "rates.cancels"),
                          ("lp_refunds", "refunds"), ("lp_refunds_rate", "rates.refunds"),
                          ("lp_refund_amount", "refund_amount"),
                          ("lp_no_sales", "no_sales"), ("lp_no_sales_rate", "rates.no_sales"),
                          ("lp_price_overrides", "price_overrides"),
                          ("lp_price_overrides_rate", "rates.price_overrides"),
                          ("discounts", "discounts"), ("lp_discounts_rate", "rates.discounts"),
                          ("over_short", "over_short"), ("lp_flags", "flags")]),
}  # fmt: skip
# Cells whose value is a word of the page (a weekday, a figure's name), not a number.
WORDED = {("heatmap", "weekday"): "wd_{}", ("comparison", "key"): "fig_{}",
          ("rfm", "segment"): "seg_{}", ("loss", "flags"): "lp_{}"}  # fmt: skip


def _cell(row: dict[str, Any], key: str) -> Any:
    """``row[key]``; "rates.voids" reads a nested figure."""
    value: Any = row
    for part in key.split("."):
        value = value[part]
    return value


def csv_text(view: str, data: dict[str, Any], lang: str) -> str:
    rows_key, columns = TABLES[view]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TEXTS[word][lang] for word, _ in columns])
    for row in data[rows_key]:
        cells = []
        for _, key in columns:
            value = _cell(row, key)
            worded = WORDED.get((view, key))
            if worded is not None and isinstance(value, list):
                value = "; ".join(TEXTS[worded.format(item)][lang] for item in value)
            elif worded is not None:
                value = TEXTS[worded.format(value)][lang]
            elif isinstance(value, bool):
                value = TEXTS["yes" if value else "no"][lang]
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return out.getvalue()
