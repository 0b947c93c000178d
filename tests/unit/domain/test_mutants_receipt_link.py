"""The e-receipt address template: each refusal word for word, each field filled, and the
edges of scheme, host and spaces (written for mutants of kiosk.domain.receipt_link that
survived the fourth mutation run)."""

from __future__ import annotations

import pytest

from kiosk.domain.receipt_link import check_template, receipt_link

NO_HOST = "the receipt address must start with https:// (or http://) and a host"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("https://toko.id/r/{id}/{sale_id}",
         "the receipt address may hold sale_id, store_id, device_id, not id"),
        ("https://toko.id/r/{store_id}", "the receipt address must hold {sale_id}"),
        ("ftp://toko.id/r/{sale_id}", NO_HOST),
        ("https://{store_id}.toko.id/r/{sale_id}", NO_HOST),  # a host the sale chooses
        ("https://toko.id/r/{sale_id} ", NO_HOST),
        ("https://toko.id/r/{sale_id}?tanya=ada spasi", NO_HOST),
    ],
)  # fmt: skip
def test_a_refused_template_says_exactly_why(template: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_template(template)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "template",
    [
        "http://192.168.1.20:8080/r/{sale_id}",  # a shop's own server on its LAN
        "https://toko.id/r/{sale_id}?back=https://toko.id/",  # an address inside the query
    ],
)
def test_plain_http_and_an_address_in_the_query_are_accepted(template: str) -> None:
    assert check_template(template) == template


def test_every_field_is_filled_with_its_own_value() -> None:
    template = "https://toko.id/{store_id}/{device_id}/{sale_id}"
    link = receipt_link(template, sale_id="9f3a", store_id="toko-1", device_id="k1")
    assert link == "https://toko.id/toko-1/k1/9f3a"
