"""The contract's models: error wording, versions, and a package that stays pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any, Literal

import pytest

from kiosk.contract import documents, schemas
from kiosk.contract.documents import version
from kiosk.contract.schemas import quick_check, validate, validate_command, validate_result

CONTRACT = Path(schemas.__file__).parent
AT = "2026-11-27T06:00:00.000000Z"


def command(body: Any, **envelope: Any) -> dict[str, Any]:
    return {"schema": 1, "command_id": "c-1", "body": body, **envelope}


@pytest.mark.parametrize(
    ("name", "doc", "expected"),
    [
        ("prices", command({"prices": [{"sku": "A", "price": 1}] * 3 + [{"sku": "B", "price": -5}]}),
         ["body.prices[3].price: expected an integer >= 0, got -5"]),
        ("prices", command({"prices": [{"sku": "A", "price": None}]}),
         ["body.prices[0].price: required value is null"]),
        ("prices", command({"prices": [{"sku": "", "price": 1, "typo": 1, "other": 2}]}),
         ["body.prices[0].sku: length 0 is below the minimum 1",
          "body.prices[0]: unknown field(s) ['other', 'typo']"]),
        ("report", command({"kind": 7}), ["body.kind: expected a string, got an integer"]),
        ("report", command({"kind": "weekly"}),
         ["body.kind: 'weekly' is not one of 'x', 'z', 'sales' or 'stock'"]),
        ("report", command({"kind": "z", "business_date": "2026-02-30"}),
         ["body.business_date: '2026-02-30' is not a YYYY-MM-DD date"]),
        ("settings", command({"values": {"a": [1], "b": {}, "c": 1}}),
         ["body.values: ['a', 'b'] are not a string, number, boolean or null"]),
        ("settings", command({"values": {str(i): i for i in range(201)}}),
         ["body.values: 201 keys is more than 200"]),
        ("lock", command({}, issued_at="now"), ["issued_at: 'now' is not an ISO 8601 date-time"]),
        ("lock", [1], ["document: expected an object, got a list"]),
        ("lock", command({}, schema=2), ["schema: version 2 of cmd/lock is not supported (1)"]),
        ("reboot", command({}), ["unknown command 'reboot'; known: ['catalog', "
                                 "'catalog_undo', 'lock', 'order', 'payment', 'points', 'prices', 'promotions', 'report', "
                                 "'settings', 'unlock', 'update']"]),
    ],
)  # fmt: skip
def test_command_errors_name_the_path_and_the_problem(
    name: str, doc: Any, expected: list[str]
) -> None:
    assert validate_command(name, doc) == expected


def test_errors_are_capped_and_long_values_clipped() -> None:
    body = {"prices": [{"sku": "A", "price": -1}] * 50}
    assert len(validate_command("prices", command(body))) == schemas.MAX_ERRORS
    errors = validate("status", {"schema": 1, "state": "x" * 500, "store_id": "S",
                                 "device_id": "D"})  # fmt: skip
    assert len(errors[0]) < 200 and errors[0].startswith("state: 'xxx")


def test_a_result_is_checked_too() -> None:
    result = {"schema": 1, "command_id": "", "name": "x", "ok": False, "duplicate": False,
              "errors": ["payload is not JSON"], "at": AT, "store_id": "S", "device_id": "D"}  # fmt: skip
    assert validate_result(result) == []
    assert validate_result({**result, "ok": "no"}) == ["ok: expected a boolean, got a string"]


def test_a_result_may_carry_one_coded_refusal_per_error() -> None:
    result = {"schema": 1, "command_id": "c1", "name": "prices", "ok": False,
              "duplicate": False, "errors": ["body.prices[0].price: missing", "x"], "at": AT,
              "store_id": "S", "device_id": "D"}  # fmt: skip
    schema = {"code": "command.schema", "params": {"field": "body.prices[0].price"}}
    coded = {**result, "refusals": [schema, {"code": "command.refused"}]}
    assert validate_result(result) == [] and validate_result(coded) == []  # optional
    assert validate_result({**coded, "refusals": [schema]}) == ["refusals: 1 for 2 error(s)"]
    bad = {**coded, "refusals": [{"code": "Not A Code", "params": {"x": [1]}},
                                 {"code": "command.refused", "text": "English"}]}  # fmt: skip
    assert [e.split(":")[0] for e in validate_result(bad)] == [
        "refusals[0].code", "refusals[0].params", "refusals[1]"]  # fmt: skip


def test_result_doc_codes_every_error_and_leaves_an_applied_result_as_it_was() -> None:
    from kiosk.contract.messages import result_doc

    applied = result_doc("S", "D", "lock", "c1", AT)
    assert "refusals" not in applied and validate_result(applied) == []
    refused = result_doc("S", "D", "lock", "c1", AT, errors=["a", "b", "c"],
                         refusals=[{"code": "x" * 70}, {"code": "catalog.sku_twice",
                                   "params": {"sku": "A1", "deep": {"no": 1}, "n": 2}}])  # fmt: skip
    assert refused["refusals"] == [
        {"code": "command.refused", "params": {}},
        {"code": "catalog.sku_twice", "params": {"sku": "A1", "deep": "{'no': 1}", "n": 2}},
        {"code": "command.refused", "params": {}},
    ]
    assert validate_result(refused) == []


class StatusV2(documents.Status):
    """Status that also says which screen is up."""

    schema_version: Literal[2] = version()
    screen: str


def test_a_new_version_is_one_model_and_old_documents_stay_readable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    v1 = {"schema": 1, "state": "online", "store_id": "S", "device_id": "D"}
    v2 = {**v1, "schema": 2, "screen": "sale"}
    assert validate("status", v2) == ["schema: version 2 of status is not supported (1)"]
    monkeypatch.setitem(schemas.MESSAGES, "status", {1: documents.Status, 2: StatusV2})
    assert validate("status", v1) == [] and validate("status", v2) == []
    assert validate("status", {**v1, "screen": "sale"}) == ["document: unknown field(s) ['screen']"]
    assert validate("status", {**v2, "screen": None}) == ["screen: required value is null"]
    assert quick_check("status", '{"schema": 2}') == []
    assert quick_check("status", '{"schema": 3}') == [
        "schema: version 3 of status is not supported (1, 2)"
    ]
    assert quick_check("status", '{"schema": true}')[0].startswith("schema: version True")


def test_every_registered_model_has_a_version_key_and_a_docstring() -> None:
    models = [m for versions in schemas.MESSAGES.values() for m in versions.values()]
    models += [*schemas.COMMANDS.values(), *schemas.RESULT_VERSIONS.values()]
    for model in models:
        assert model.__doc__ and model.__doc__ != documents.Document.__doc__, model
    for kind, versions in schemas.MESSAGES.items():
        for number, model in versions.items():
            field = model.model_fields["schema_version"]
            assert field.alias == "schema" and field.annotation == Literal[number], kind


# What the contract may import: the standard library, pydantic, cryptography (setup-code
# signatures: computation, no I/O), itself and the domain.
ALLOWED_TOP = {"pydantic", "pydantic_core", "cryptography"}
ALLOWED_KIOSK = ("kiosk.contract", "kiosk.domain")


def outside_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top == "kiosk" and name.startswith(ALLOWED_KIOSK):
                continue
            if (top not in sys.stdlib_module_names and top not in ALLOWED_TOP) or top in {
                "sqlite3", "kiosk", "socket", "threading",
            }:  # fmt: skip
                found.append(name)
    return found


def test_the_contract_is_pure() -> None:
    problems = {
        path.name: bad
        for path in sorted(CONTRACT.glob("*.py"))
        if (bad := outside_imports(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_the_purity_check_sees_a_planted_import() -> None:
    planted = "import sqlite3\nfrom paho.mqtt import client\nfrom kiosk.storage import db\n"
    assert outside_imports(planted) == ["sqlite3", "paho.mqtt", "kiosk.storage"]
    assert outside_imports("from kiosk.domain.sale import iso_utc\nimport json\n") == []


def test_the_sale_message_appends_the_link_to_the_hashed_text() -> None:
    from kiosk.contract.messages import sale_payload

    body = '{"a":1,"z":"}"}'
    message = sale_payload(body, 3, "a" * 64, "b" * 64)
    assert message == body[:-1] + ',"journal":{"hash":"' + "a" * 64 + '","prev_hash":"' + (
        "b" * 64 + '","seq":3}}'
    )
    for bad in ("{}", "[1]", ""):
        with pytest.raises(ValueError, match="non-empty JSON object"):
            sale_payload(bad, 1, "a" * 64, "b" * 64)
