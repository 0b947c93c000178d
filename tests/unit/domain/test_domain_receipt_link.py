"""The e-receipt address: the shop's template (setting receipt.url) filled with the sale."""

from __future__ import annotations

import pytest

from kiosk.domain.receipt_link import check_template, receipt_link


def test_the_address_is_the_template_filled_with_the_sale() -> None:
    template = "https://fleet.tokoku.id/r/{store_id}/{sale_id}"
    link = receipt_link(template, sale_id="9f3a", store_id="toko-1", device_id="k1")
    assert link == "https://fleet.tokoku.id/r/toko-1/9f3a"
    assert receipt_link("", sale_id="9f3a", store_id="toko-1", device_id="k1") == ""


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("https://fleet.tokoku.id/r/", "must hold {sale_id}"),
        ("https://fleet.tokoku.id/r/{id}", "not id"),
        ("https://fleet.tokoku.id/r/{sale_id", "stray brace"),
        ("fleet.tokoku.id/r/{sale_id}", "must start with https://"),
        ("javascript:alert(1)//{sale_id}", "must start with https://"),
        ("https:///r/{sale_id}", "and a host"),
    ],
)
def test_a_template_that_leads_nowhere_is_refused(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("{", r"\{").replace("(", r"\(")):
        check_template(template)
