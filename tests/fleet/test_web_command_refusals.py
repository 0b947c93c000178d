"""A kiosk's refusal of a command on the commands page: said in the page's language from
its code and parameters, never in the kiosk's English on the Indonesian page; a kiosk
that sends no codes reads as "the kiosk refused this command"."""

from __future__ import annotations

import html
import json
import re
import string

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.storage import schema
from fleet.web import create_app
from fleet.web.i18n import LANGS
from fleet.web.refusal_i18n import REFUSAL_TEXTS, refusal_text, said
from kiosk.contract.refusals import GENERIC, REFUSALS
from kiosk.domain.error_codes import ERROR_TEXTS
from tests.fleet.accounts import signed_in

AT = "2026-11-30T03:00:00Z"
UNKNOWN_SKU = "unknown sku(s): ZZ; nothing was changed"
OLD_KIOSK = "sku TEH appears twice in prices"
RESULTS = {  # kiosk -> (errors, refusals or None: a kiosk from before the codes)
    "k1": ([UNKNOWN_SKU], [{"code": "catalog.unknown_sku", "params": {"skus": "ZZ", "count": 1}}]),
    "k2": ([OLD_KIOSK], None),
    "k3": (["a refusal of a later kiosk"], [{"code": "future.thing", "params": {}}]),
    "k4": (["payment Q-3: 4000 confirmed, 5000 charged"],
           [{"code": "payment.amount",
             "params": {"order_id": "Q-3", "confirmed": 4000, "charged": 5000}}]),
}  # fmt: skip
ENGLISH = [UNKNOWN_SKU, OLD_KIOSK, "a refusal of a later kiosk", "confirmed", "charged"]


def _store_results(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.commands).values(
            command_id="c1", store_id="toko", device_id="all", name="prices",
            body=json.dumps({"prices": [{"sku": "ZZ", "price": 6500}]}), issued_at=AT,
            issued_by="bos"))  # fmt: skip
        for device, (errors, refusals) in RESULTS.items():
            body: dict[str, object] = {"schema": 1, "command_id": "c1", "name": "prices",
                                       "ok": False, "duplicate": False, "errors": errors,
                                       "at": AT, "store_id": "toko", "device_id": device,
                                       "detail": {}}  # fmt: skip
            if refusals is not None:
                body["refusals"] = refusals
            conn.execute(sa.insert(schema.command_results).values(
                command_id="c1", device_id=device, store_id="toko", ok=False,
                body=json.dumps(body), at=AT))  # fmt: skip


def _refusals_shown(page: str) -> str:
    """The results column's text, tags dropped."""
    cell = page.split("<h2>", 4)[-1]
    return html.unescape(re.sub(r"<[^>]+>", " ", cell))


def test_each_kiosks_refusal_is_said_in_the_pages_language(fleet_engine: sa.Engine) -> None:
    _store_results(fleet_engine)
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "bos")
    indonesian = client.get("/stores/toko/commands?lang=id").text
    shown = _refusals_shown(indonesian)
    assert "Kios tidak punya produk dengan SKU ZZ; tidak ada yang diubah" in shown
    assert "Kios menolak perintah ini" in shown  # the old kiosk and the unknown code
    assert "yang dikonfirmasi Rp4.000, yang ditagih Rp5.000" in shown
    for english in [*ENGLISH, "The kiosk", "kiosk said", "unknown_sku", "catalog."]:
        assert english not in indonesian, english
    english_page = client.get("/stores/toko/commands?lang=en").text
    shown = _refusals_shown(english_page)
    assert "The kiosk has no product with SKU ZZ; nothing was changed" in shown
    assert "Rp4,000 confirmed, but Rp5,000 was charged" in shown
    assert f"The kiosk refused this command. The kiosk said: {OLD_KIOSK}" in " ".join(shown.split())
    assert f'title="{UNKNOWN_SKU}"' in english_page  # the kiosk's words, for the engineer
    assert "The kiosk said: a refusal of a later kiosk" in shown  # a code this fleet lacks
    api = client.get("/api/stores/toko/commands").json()[0]["results"]
    assert [r["refusals"] for r in api] == [refusals or [] for _, refusals in RESULTS.values()]


def test_every_refusal_code_is_worded_in_both_languages_without_internal_names() -> None:
    assert set(REFUSALS) <= set(REFUSAL_TEXTS) <= set(REFUSALS) | set(ERROR_TEXTS)
    for code, texts in REFUSAL_TEXTS.items():
        assert set(texts) == set(LANGS), code
        names = {field for lang in LANGS for _, field, _, _ in
                 string.Formatter().parse(texts[lang]) if field}  # fmt: skip
        params = {name.split(":")[0]: 7 for name in names}
        indonesian = refusal_text({"code": code, "params": params}, "id")
        english = refusal_text({"code": code, "params": params}, "en")
        assert indonesian != english, code
        for shown in (indonesian, english):
            assert not re.search(r"[{}_]|cmd/|command_id|\bsku\(s\)", shown), (code, shown)
        assert "Rp7" in indonesian or ":rp}" not in texts["id"], code


@pytest.mark.parametrize("lang", LANGS)
def test_what_the_page_makes_of_a_result(lang: str) -> None:
    generic = REFUSAL_TEXTS[GENERIC][lang]
    assert said({"errors": []}, lang)["lines"] == []
    old = said({"errors": ["x", "y"]}, lang)
    assert old == {"lines": [generic], "kiosk": "x; y" if lang == "en" else "", "coded": False}
    twice = {"code": "command.schema", "params": {"field": "body.prices[0].price"}}
    coded = said({"errors": ["a", "b"], "refusals": [twice, twice]}, lang)
    assert coded["lines"] == [REFUSAL_TEXTS["command.schema"][lang]]  # said once
    assert "body." not in coded["lines"][0]
    odd = said({"errors": ["a"], "refusals": ["not a refusal"]}, lang)
    assert odd["lines"] == [generic] and not odd["coded"]  # the English page adds "a"
