"""Every refusal a person at the till may read has a code, and both catalogs word it.

The walk reads the source of kiosk/ and drivers/: each place that makes a ``ShownError``
(or a ``DeviceError`` with a code) names a code of kiosk.domain.error_codes and gives the
parameters its words need. Then every code, every permission, every device kind and every
card answer is said on an Indonesian and an English screen, with no internal name."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import drivers
import kiosk.domain
import kiosk.payments
import kiosk.services
import kiosk.storage
from drivers.scale import SCALE_CODES
from kiosk.domain.error_codes import (
    ACTION_TERMS,
    DEVICE_TERMS,
    ERROR_TEXTS,
    ROLE_TERMS,
    Term,
    placeholders,
    word,
)
from kiosk.domain.errors import ShownError
from kiosk.ports import CardResult, DeviceError
from kiosk.services.checkout import LIMIT_CODES
from kiosk.services.staff import PERMISSIONS, ROLES, StaffMember, not_allowed
from kiosk.ui.i18n import Language
from kiosk.ui.i18n.extract import load
from kiosk.ui.presenters.refusals import UNEXPECTED, card_refusal, coded_text, shown_text

ROOT = Path(__file__).resolve().parents[3]
# Operator tools that answer on the command line in English (catalog import, settings,
# stock admin, settlement files, QRIS payloads, document bounds): not on a till screen.
OPERATOR_ONLY = {
    "kiosk/domain/bounds.py",
    "kiosk/domain/qris.py",
    "kiosk/domain/settlement.py",
    "kiosk/services/catalog_admin.py",
    "kiosk/services/settings_admin.py",
    "kiosk/services/settlement_report.py",
    "kiosk/services/stock_admin.py",
    "kiosk/services/stock_receiving.py",
    "kiosk/services/stocktake.py",
    "kiosk/services/staff_admin.py",
}
# Constructors that set their own code (they carry an object, not just words).
SELF_CODED = {"UnknownBarcode", "InactiveProduct", "PinNeededError", "QuantityLimitError"}
# Where a code comes from a variable: the codes it may hold.
CODE_CHOICES = {"kiosk/services/checkout.py": LIMIT_CODES}


def _import_all() -> None:
    """Every module that may define a ShownError (the UI, the CLI and the appliance
    tools only catch them)."""
    for package in (kiosk.domain, kiosk.services, kiosk.storage, kiosk.payments, drivers):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def shown_error_names() -> set[str]:
    _import_all()
    return {"ShownError", *(c.__name__ for c in _subclasses(ShownError))}


def _codes(node: ast.expr, constants: dict[str, str]) -> list[str] | None:
    """The code(s) an argument can be: a literal, a choice of literals, a constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _codes(node.body, constants), _codes(node.orelse, constants)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return None


def _constants(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def raise_sites() -> Iterator[tuple[str, int, str, list[str] | None, set[str]]]:
    """(file, line, class, codes or None, keyword names) of every ShownError made."""
    names = shown_error_names()
    for base in ("kiosk", "drivers"):
        for path in sorted((ROOT / base).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _constants(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                keywords = {k.arg for k in node.keywords if k.arg}
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "of":
                    owner = _name(func.value)
                    if owner in names:
                        codes = _codes(node.args[0], constants) if node.args else None
                        yield rel, node.lineno, owner, codes, keywords
                elif _name(func) in names and rel != "kiosk/domain/errors.py":
                    yield rel, node.lineno, _name(func), [], keywords


def _name(node: ast.expr) -> str:
    """``PointsError`` of ``PointsError`` and of ``points.PointsError``."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def test_every_refusal_on_a_till_screen_has_a_code_with_its_parameters() -> None:
    problems, checked = [], 0
    for rel, line, cls, codes, keywords in raise_sites():
        where = f"{rel}:{line} {cls}"
        if rel in OPERATOR_ONLY:
            continue
        if codes == [] and cls not in SELF_CODED:
            problems.append(f"{where}: made without a code (use {cls}.of(code, ...))")
            continue
        if codes is None:
            codes = list(CODE_CHOICES.get(rel, ()))  # noqa: PLW2901 (the choices)
            if not codes:
                problems.append(f"{where}: the code is not a literal")
        for code in codes:
            checked += 1
            if code not in ERROR_TEXTS:
                problems.append(f"{where}: unknown code {code!r}")
                continue
            missing = set(placeholders(ERROR_TEXTS[code])) - keywords
            if missing:
                problems.append(f"{where}: {code} needs {sorted(missing)}")
    assert not problems, "\n".join(problems)
    assert checked > 100, checked  # the walk found the refusals


def test_the_walk_finds_a_refusal_made_without_a_code(tmp_path: Path) -> None:
    tree = ast.parse('raise BasketError("x")\nraise BasketError.of("basket.nope")\n')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [_codes(c.args[0], {}) for c in calls if isinstance(c.func, ast.Attribute)] == [
        ["basket.nope"]
    ]
    assert "BasketError" in shown_error_names() and "NotAllowedError" in shown_error_names()


def test_limit_scale_and_device_codes_are_known() -> None:
    assert set(LIMIT_CODES) | set(SCALE_CODES) <= set(ERROR_TEXTS)
    for path in (ROOT / "drivers").rglob("*.py"):
        for kind in re.findall(r'^KIND = "(\w+)"', path.read_text(encoding="utf-8"), re.M):
            assert kind in DEVICE_TERMS, f"{path.name}: device kind {kind!r} has no words"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_both_catalogs_word_every_code_and_term(lang: str) -> None:
    catalog = load(lang)
    terms = [*ROLE_TERMS.values(), *ACTION_TERMS.values(), *DEVICE_TERMS.values()]
    for text in [*ERROR_TEXTS.values(), *terms, UNEXPECTED]:
        assert text in catalog and catalog[text].string, f"{lang}: {text!r} is not worded"
    if lang == "id":
        same = {t for t in ERROR_TEXTS.values() if catalog[t].string == t}
        assert not same, f"left in English: {same}"


def test_every_code_is_said_in_indonesian_with_its_parameters() -> None:
    indonesian, english = Language("id"), Language("en")
    for code, template in ERROR_TEXTS.items():
        params: dict[str, object] = {name: 7 for name in placeholders(template)}
        if "device" in params:
            params["device"] = Term(DEVICE_TERMS["printer"])
        shown = coded_text(code, params, indonesian)
        assert "{" not in shown and shown != coded_text(code, params, english), code
        assert "Rp7" in shown or ":rp}" not in template, code


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_every_permission_is_worded_without_its_internal_name(action: str) -> None:
    assert action in ACTION_TERMS
    cashier = StaffMember("s1", "Ani", "cashier")
    error = not_allowed(cashier, action)
    indonesian = shown_text(error, Language("id"))
    english = shown_text(error, Language("en"))
    assert indonesian.startswith("Ani (kasir) tidak boleh "), indonesian
    assert ROLE_TERMS[PERMISSIONS[action]] in english
    for internal in (action, "cashier", "may not", "needs", ACTION_TERMS[action]):
        # the Indonesian words too ("refund": as on the slips and the X/Z reports)
        if internal not in ("shift", "supervisor", "refund"):
            assert internal not in indonesian, indonesian
    assert set(ROLE_TERMS) == set(ROLES)


def test_a_device_failure_names_the_device_in_the_screens_language() -> None:
    error = DeviceError("printer unavailable: /dev/usb/lp0: [Errno 2]", kind="printer")
    assert shown_text(error, Language("id")) == (
        "Printer struk tidak berfungsi; periksa kabel dan dayanya, lalu coba lagi"
    )
    assert "Errno" not in shown_text(error, Language("en"))
    jammed = DeviceError("The cash drawer did not open", kind="drawer", code="device.drawer_jammed")
    assert shown_text(jammed, Language("id")) == "Laci kas tidak terbuka; buka dengan kuncinya"


def test_anything_without_a_code_never_shows_its_english_text() -> None:
    shown = shown_text(RuntimeError("KeyError: 'sku' in basket_view"), Language("id"))
    assert shown == "Tidak berhasil; coba lagi atau panggil petugas"
    assert shown_text(ShownError("internal english"), Language("id")) == shown


@pytest.mark.parametrize(
    ("result", "indonesian"),
    [
        (CardResult("declined", response_code="51"), "Kartu ditolak: saldo tidak cukup"),
        (CardResult("declined", response_code="55"), "Kartu ditolak: PIN salah"),
        (CardResult("declined", response_code="54"), "kedaluwarsa"),
        (CardResult("declined", response_code="05"), "Kartu ditolak oleh bank"),
        (CardResult("declined", response_code="91"), "Bank tidak bisa dihubungi"),
        (CardResult("unknown", message="no answer"), "Mesin EDC tidak menjawab"),
        (CardResult("error", message="terminal does not answer"), "Mesin EDC tidak berfungsi"),
    ],
)
def test_a_card_decline_says_why_and_what_next(result: CardResult, indonesian: str) -> None:
    said = card_refusal(result, Language("id"))
    assert indonesian in said and ";" in said  # what happened; what to do next
    assert ("ref" not in said and result.message not in said) or not result.message
    assert card_refusal(result, Language("en")) != said


def test_a_refusal_keeps_its_english_for_the_logs() -> None:
    error = not_allowed(StaffMember("s1", "Ani", "cashier"), "price_override")
    assert error.message == "Ani (cashier) may not price_override; needs supervisor"
    assert error.code == "staff.not_allowed" and error.params["name"] == "Ani"
    assert word("{x:rp} {y}", {"x": 1500, "y": Term("cashier")}, translate=str.upper) == (
        "Rp1.500 CASHIER"
    )
