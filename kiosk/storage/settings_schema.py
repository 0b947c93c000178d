"""What the device's settings may hold: every key with its type, default and allowed
values, and the checks a value passes before it is stored (``kiosk.storage.settings``
stores them, ``AtomicJSONStorage`` checks every file it reads and writes against this).

Keys are dotted names (``broker.port``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.contract.topics import check_id
from kiosk.domain import points
from kiosk.domain.bounds import DEFAULT_LIMITS, BoundsError, load_json
from kiosk.domain.receipt_link import check_template
from kiosk.domain.update_window import DEFAULT_APPLY_COMMAND, DEFAULT_WINDOW, parse_window
from kiosk.domain.variable_barcodes import parse_rules

TABLE = "settings"
DOC_ID = 1
MASK = "********"


class SettingsError(ValueError):
    """A setting or settings file that cannot be accepted; the message says why."""


# -- schema ---------------------------------------------------------------------------

Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type  # str, int, bool, list or dict (what JSON stores)
    default: Any
    allowed: str  # shown in errors and in `kiosk settings`
    check: Check | None = None
    secret: bool = False


def _one_of(*values: Any) -> Check:
    return lambda v: v in values


def _between(low: int, high: int) -> Check:
    return lambda v: low <= v <= high


def _timezone(name: Any) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _percent(text: Any) -> bool:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return False
    return rate.is_finite() and 0 <= rate <= 100


_ID_ALLOWED = "a non-empty name: 1-64 letters, digits, '.', '_' or '-' (it names MQTT topics)"


def _topic_id(value: Any) -> bool:
    try:
        check_id("id", value)
    except ValueError:
        return False
    return True


def _json_keys(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _parses(parse: Callable[[Any], object]) -> Check:
    def check(value: Any) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


def _variable_rules(rules: Any) -> bool:
    return all(isinstance(r, dict) and all(isinstance(k, str) for k in r) for r in rules)


_SETTINGS = [
    Setting("store_id", str, "store-1", _ID_ALLOWED, _topic_id),
    Setting("device_id", str, "kiosk-1", _ID_ALLOWED, _topic_id),
    Setting("timezone", str, "Asia/Jakarta", "an IANA time zone, e.g. Asia/Jakarta", _timezone),
    Setting("language", str, "id", "id or en", _one_of("id", "en")),
    Setting(
        "mode", str, "counter", "self-checkout or counter", _one_of("self-checkout", "counter")
    ),
    Setting("tax.rate_percent", str, "11", "a decimal number 0..100, e.g. 11", _percent),
    Setting("tax.pkp", bool, True, "true or false"),
    Setting("cash.rounding_step", int, 0, "0, 100 or 500", _one_of(0, 100, 500)),
    Setting("receipt.header", str, "", "any text"),
    Setting("receipt.footer", str, "Terima kasih", "any text"),
    Setting("receipt.width", int, 48, "32, 42 or 48 characters", _one_of(32, 42, 48)),
    Setting(
        "receipt.url",
        str,
        "",
        "empty (no e-receipt), or the fleet's receipt address with {sale_id}, "
        "e.g. https://fleet.tokoku.id/r/{sale_id}",
        _parses(check_template),
    ),
    Setting("hardware", str, "simulated", "simulated or real", _one_of("simulated", "real")),
    Setting("hardware.devices", dict, {}, "a JSON object of device settings", _json_keys),
    Setting("broker.host", str, "127.0.0.1", "a host name or address", bool),
    Setting("broker.port", int, 1883, "a port 1..65535", _between(1, 65535)),
    Setting("broker.username", str, "", "any text"),
    Setting("broker.password", str, "", "any text", secret=True),
    Setting("broker.tls", bool, False, "true or false"),
    Setting("broker.ca_file", str, "", "a file path or empty"),
    Setting("broker.cert_file", str, "", "a file path or empty"),
    Setting("broker.key_file", str, "", "a file path or empty"),
    Setting("broker.client_id", str, "", "any text (empty: derived from device_id)"),
    Setting("broker.protocol", str, "5", "5 or 3.1.1 (the MQTT version)", _one_of("5", "3.1.1")),
    Setting("limits.max_qty", int, 50, "a whole number 1..100000", _between(1, 100_000)),
    Setting("limits.max_amount", int, 5_000_000, "whole rupiah >= 1", _between(1, 10**12)),
    # A cashier cancels a whole sale up to this total alone; above it a supervisor approves.
    Setting("limits.max_cancel_amount", int, 200_000, "whole rupiah 0..10^12", _between(0, 10**12)),
    *(
        Setting(
            f"limits.{name}", int, default, "whole rupiah, 1..1000000000000", _between(1, 10**12)
        )
        for name, default in asdict(DEFAULT_LIMITS).items()
    ),
    Setting("barcodes.variable", list, [], "a JSON list of rule objects", _variable_rules),
    Setting(
        "catalog.max_removal_percent",
        int,
        50,
        "a whole percent 0..100 (a fleet snapshot removing more is refused)",
        _between(0, 100),
    ),
    Setting("stock.low_threshold", int, 5, "a whole number 0..100000", _between(0, 100_000)),
    Setting(
        "loyalty.earn_rupiah_per_point",
        int,
        10_000,
        "whole rupiah 1..100000000",
        _between(1, 100_000_000),
    ),
    Setting("loyalty.point_value", int, 100, "whole rupiah 1..1000000", _between(1, 1_000_000)),
    Setting(
        "loyalty.max_redeem_percent", int, 50, "a whole percent 0..100 of a sale", _between(0, 100)
    ),
    Setting("loyalty.expiry_days", int, 365, "days 1..3650", _between(1, 3650)),
    Setting(
        "loyalty.tiers",
        list,
        [],
        'a JSON list of {"name", "min_spend", "multiplier"}',
        _parses(points.parse_tiers),
    ),
    Setting(
        "loyalty.bonus_points",
        dict,
        {},
        "a JSON object {sku or category: points per unit}",
        _parses(points.parse_bonus),
    ),
    # Reorder suggestions: reorder point = daily demand x lead time + safety stock.
    Setting("stock.lead_time_days", int, 7, "days 0..365", _between(0, 365)),
    Setting("stock.safety_stock", int, 0, "a whole number 0..100000", _between(0, 100_000)),
    Setting(
        "stock.demand_days",
        int,
        28,
        "days 1..365 of sales the rate is taken over",
        _between(1, 365),
    ),
    Setting("self_checkout.idle_seconds", int, 60, "seconds 5..3600", _between(5, 3600)),
    # QRIS through an acquirer (kiosk/payments): which one, and its keys (secret ones are
    # masked by `settings show` and never logged).
    Setting(
        "payments.qris.gateway",
        str,
        "simulated",
        "simulated, midtrans or snap",
        _one_of("simulated", "midtrans", "snap"),
    ),
    Setting("payments.qris.static_payload", str, "", "the shop's static QRIS payload or empty"),
    Setting("payments.qris.wait_seconds", int, 300, "seconds 30..3600", _between(30, 3600)),
    # A refund the acquirer does not list right after a call with no answer is believed
    # absent only when still not there this long after (kiosk.services.refund_payback).
    Setting(
        "payments.qris.refund_recheck_seconds", int, 60, "seconds 10..3600", _between(10, 3600)
    ),
    Setting("payments.midtrans.base_url", str, "https://api.sandbox.midtrans.com", "a URL", bool),
    Setting("payments.midtrans.server_key", str, "", "any text", secret=True),
    # The fleet's relay, e.g. https://fleet.example/api/payments/midtrans/{store}/{device}
    Setting("payments.midtrans.notification_url", str, "", "a URL ({store}, {device}) or empty"),
    Setting("payments.snap.base_url", str, "https://merchants.sbx.midtrans.com", "a URL", bool),
    Setting("payments.snap.client_id", str, "", "any text"),
    Setting("payments.snap.client_secret", str, "", "any text", secret=True),
    Setting("payments.snap.private_key", str, "", "a PEM private key", secret=True),
    Setting("payments.snap.partner_id", str, "", "any text"),
    Setting("payments.snap.merchant_id", str, "", "any text"),
    # Below this much free space the till warns (health, screen, one alert).
    Setting("disk.min_free_mb", int, 512, "megabytes 16..1000000", _between(16, 1_000_000)),
    # Fleet-driven updates (cmd/update) are applied only inside this local-time window.
    Setting(
        "update.window",
        str,
        DEFAULT_WINDOW,
        "HH:MM-HH:MM local time, e.g. 01:00-05:00",
        _parses(parse_window),
    ),
    Setting(
        "update.apply_command",
        str,
        DEFAULT_APPLY_COMMAND,
        "a command; {wheel} is the release's file name, {path} its path",
        bool,
    ),
]
SCHEMA: dict[str, Setting] = {s.key: s for s in _SETTINGS}

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,15}", re.ASCII)

# A value can have the right shape and still not work: the code that uses it decides.
# Each check is that feature's own parser; it raises ValueError (or TypeError) naming what
# is wrong. bootstrap adds the checks of the drivers (receipt printer, scanner).
FeatureCheck = Callable[[Any], object]
FEATURE_CHECKS: dict[str, FeatureCheck] = {"barcodes.variable": parse_rules}

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _setting(key: str) -> Setting:
    setting = SCHEMA.get(key)
    if setting is None:
        raise SettingsError(f"unknown setting {key!r}; known: {', '.join(sorted(SCHEMA))}")
    return setting


def coerce(key: str, value: Any) -> Any:
    """Turn a CLI string (or a value) into the setting's type and validate it."""
    setting = _setting(key)
    bad = SettingsError(
        f"{key}: {_shown(setting, value)} is not allowed; expected {setting.allowed}"
    )
    if isinstance(value, str) and setting.kind is not str:
        text = value.strip()
        if setting.kind is bool:
            if text.lower() not in _TRUE | _FALSE:
                raise bad
            value = text.lower() in _TRUE
        elif setting.kind is int:
            if not _ASCII_INT.fullmatch(text):  # int() would take "١٢" and 4,000 digits
                raise bad
            value = int(text)
        else:
            try:
                value = load_json(text, key)
            except BoundsError as err:
                raise SettingsError(f"{err.message}; expected {setting.allowed}") from None
    elif (
        key == "tax.rate_percent"
        and isinstance(value, int | Decimal)
        and not isinstance(value, bool)
    ):
        value = str(value)
    _check(setting, value, bad)
    return value


def _not_allowed(setting: Setting, value: Any) -> SettingsError:
    shown = _shown(setting, value)
    return SettingsError(f"{setting.key}: {shown} is not allowed; expected {setting.allowed}")


def _shown(setting: Setting, value: Any) -> str:
    """A value as an error message may quote it: a secret never, a long one cut short."""
    if setting.secret:
        return MASK
    text = repr(value) if not isinstance(value, int) or value.bit_length() < 64 else "a huge number"
    return text if len(text) <= 60 else text[:57] + "..."


def _check(setting: Setting, value: Any, bad: SettingsError) -> None:
    if isinstance(value, bool) != (setting.kind is bool) or not isinstance(value, setting.kind):
        raise bad
    if setting.check is not None and not setting.check(value):
        raise bad


def validate_values(values: dict[str, Any]) -> None:
    """Every stored value has a known key, the right type and an allowed value."""
    for key, value in values.items():
        setting = _setting(key)
        _check(
            setting,
            value,
            SettingsError(
                f"{key}: {_shown(setting, value)} is not allowed; expected {setting.allowed}"
            ),
        )


def validate_document(data: Any) -> None:
    """The whole TinyDB document: ``{"settings": {"1": {dotted key: value}}}``."""
    if not isinstance(data, dict) or set(data) - {TABLE}:
        raise SettingsError(f"expected a JSON object with only a {TABLE!r} table")
    table = data.get(TABLE, {})
    if not isinstance(table, dict) or set(table) - {str(DOC_ID)}:
        raise SettingsError(f"the {TABLE!r} table must hold one document with id {DOC_ID}")
    values = table.get(str(DOC_ID), {})
    if not isinstance(values, dict):
        raise SettingsError("the settings document must be a JSON object")
    validate_values(values)
