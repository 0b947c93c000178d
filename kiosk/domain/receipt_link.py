"""The address of a sale's e-receipt page, which the self-checkout shows as a QR code.

The fleet serves each sale's receipt at an address only that sale's id opens (issue 15);
the shop sets where, as a template (setting ``receipt.url``), for example
``https://fleet.tokoku.id/r/{sale_id}``. Empty: the till offers no e-receipt, rather than
a QR that leads nowhere.
"""

from __future__ import annotations

import string

FIELDS = ("sale_id", "store_id", "device_id")


def check_template(template: str) -> str:
    """``template`` when it is empty or an http(s) address holding ``{sale_id}`` and no
    other field than ``FIELDS``; else ValueError saying what is wrong."""
    if template == "":
        return template
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise ValueError(f"the receipt address has a stray brace: {error}") from None
    unknown = sorted(set(names) - set(FIELDS))
    if unknown:
        raise ValueError(f"the receipt address may hold {', '.join(FIELDS)}, not {unknown[0]}")
    if "sale_id" not in names:
        raise ValueError("the receipt address must hold {sale_id}")
    scheme, _, rest = template.partition("://")
    host = rest.split("/", 1)[0]
    if scheme not in ("http", "https") or not host or "{" in host or " " in template:
        raise ValueError("the receipt address must start with https:// (or http://) and a host")
    return template


def receipt_link(template: str, *, sale_id: str, store_id: str, device_id: str) -> str:
    """The sale's e-receipt address; "" when the shop has none."""
    if not check_template(template):
        return ""
    return template.format(sale_id=sale_id, store_id=store_id, device_id=device_id)
