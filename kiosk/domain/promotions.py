"""Promotions: what they are, when they run, and their wire form.

Four kinds arrive from the fleet (MQTT ``cmd/promotions``) or from files as JSON objects
(``parse_promotion`` / ``to_dict``; unknown fields are refused so a typo never silently
changes a price):

- ``multibuy``: ``qty`` units from ``skus`` (mixed freely) for ``price``: "3 for Rp10.000".
- ``buy_x_get_y``: buy ``buy_qty`` of ``buy_skus``, get ``get_qty`` of ``get_skus`` at
  ``percent`` off ("100" = free). Without ``get_skus`` the reward comes from the same
  list and is the cheapest unit of each group of ``buy_qty + get_qty``.
- ``mix_match``: any ``qty`` units of ``category`` (and/or ``skus``) for ``price`` or at
  ``percent`` off.
- ``spend_threshold``: when the lines it may touch add up to ``threshold`` or more,
  ``amount`` or ``percent`` off them.

Common fields: ``promo_id``, ``name``, optional ``start``/``end`` (ISO 8601 with a UTC
offset; start inclusive, end exclusive), ``days`` (``["mon", ...]``), ``time_from`` and
``time_to`` (``"HH:MM"``, local time of the ``at`` given; a window may wrap midnight),
``stackable`` and ``priority``. How several promotions combine is in
``promotion_engine``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PromotionError(ValueError):
    """A promotion that is malformed; the message names the promotion and the field."""


def _percent(value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PromotionError(f"{where}: percent must be a decimal string, got {value!r}")
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise PromotionError(f"{where}: percent {value!r} is not a number") from None
    if not d.is_finite() or not 0 < d <= 100:
        raise PromotionError(f"{where}: percent must be more than 0 and at most 100")
    return format(d.normalize(), "f")


def _whole(value: object, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PromotionError(f"{where} must be a whole number >= {minimum}, got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class PromotionBase:
    kind: ClassVar[str] = ""
    promo_id: str
    name: str
    start: datetime | None = None
    end: datetime | None = None
    days: frozenset[int] = frozenset()  # 0 = Monday; empty = every day
    time_from: time | None = None
    time_to: time | None = None
    stackable: bool = False
    priority: int = 0  # higher wins a tie between equally good choices

    def __post_init__(self) -> None:
        if not isinstance(self.promo_id, str) or not self.promo_id.strip():
            raise PromotionError("promotion: promo_id is required")
        for label, moment in (("start", self.start), ("end", self.end)):
            if moment is not None and moment.utcoffset() is None:
                raise PromotionError(f"{self.where}: {label} must carry a UTC offset")
        if self.start and self.end and self.end <= self.start:
            raise PromotionError(f"{self.where}: end must be after start")
        if any(not 0 <= d <= 6 for d in self.days):
            raise PromotionError(f"{self.where}: days must be 0 (Monday) to 6 (Sunday)")
        if (self.time_from is None) != (self.time_to is None) or (
            self.time_from is not None and self.time_from == self.time_to
        ):
            raise PromotionError(f"{self.where}: give both time_from and time_to, and differ")
        _whole(self.priority, f"{self.where}: priority", -1_000_000)
        self.validate()

    @property
    def where(self) -> str:
        return f"promotion {self.promo_id}"

    def validate(self) -> None:
        """Kind-specific checks; raise ``PromotionError``."""

    def is_active(self, at: datetime) -> bool:
        """Whether the promotion runs at ``at`` (aware; days and hours read in its zone)."""
        if at.utcoffset() is None:
            raise PromotionError("promotions are checked against an aware datetime")
        if (self.start is not None and at < self.start) or (
            self.end is not None and at >= self.end
        ):
            return False
        if self.days and at.weekday() not in self.days:
            return False
        if self.time_from is not None and self.time_to is not None:
            now = at.time().replace(tzinfo=None)
            if self.time_from < self.time_to:
                return self.time_from <= now < self.time_to
            return now >= self.time_from or now < self.time_to
        return True

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"promo_id": self.promo_id, "kind": self.kind, "name": self.name}
        if self.start is not None:
            data["start"] = self.start.isoformat()
        if self.end is not None:
            data["end"] = self.end.isoformat()
        if self.days:
            data["days"] = [DAY_NAMES[d] for d in sorted(self.days)]
        if self.time_from is not None and self.time_to is not None:
            data["time_from"] = self.time_from.strftime("%H:%M")
            data["time_to"] = self.time_to.strftime("%H:%M")
        data["stackable"] = self.stackable
        data["priority"] = self.priority
        data.update(self._fields())
        return data

    def _fields(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, kw_only=True)
class MultiBuy(PromotionBase):
    kind: ClassVar[str] = "multibuy"
    skus: frozenset[str]
    qty: int
    price: int

    def validate(self) -> None:
        if not self.skus:
            raise PromotionError(f"{self.where}: skus must list at least one sku")
        _whole(self.qty, f"{self.where}: qty", 2)
        _whole(self.price, f"{self.where}: price", 0)

    def _fields(self) -> dict[str, Any]:
        return {"skus": sorted(self.skus), "qty": self.qty, "price": self.price}


@dataclass(frozen=True, kw_only=True)
class BuyXGetY(PromotionBase):
    kind: ClassVar[str] = "buy_x_get_y"
    buy_skus: frozenset[str]
    buy_qty: int
    get_skus: frozenset[str] = frozenset()  # empty: the same as buy_skus
    get_qty: int = 1
    percent: str = "100"

    def validate(self) -> None:
        if not self.buy_skus:
            raise PromotionError(f"{self.where}: buy_skus must list at least one sku")
        if self.get_skus and self.get_skus != self.buy_skus and self.get_skus & self.buy_skus:
            raise PromotionError(f"{self.where}: get_skus must equal buy_skus or share none")
        _whole(self.buy_qty, f"{self.where}: buy_qty", 1)
        _whole(self.get_qty, f"{self.where}: get_qty", 1)
        object.__setattr__(self, "percent", _percent(self.percent, self.where))

    @property
    def same_set(self) -> bool:
        return not self.get_skus or self.get_skus == self.buy_skus

    def _fields(self) -> dict[str, Any]:
        return {
            "buy_skus": sorted(self.buy_skus),
            "buy_qty": self.buy_qty,
            "get_skus": sorted(self.get_skus),
            "get_qty": self.get_qty,
            "percent": self.percent,
        }


@dataclass(frozen=True, kw_only=True)
class MixMatch(PromotionBase):
    kind: ClassVar[str] = "mix_match"
    category: str = ""
    skus: frozenset[str] = frozenset()
    qty: int
    price: int | None = None
    percent: str | None = None

    def validate(self) -> None:
        if not self.category and not self.skus:
            raise PromotionError(f"{self.where}: give a category or skus")
        _whole(self.qty, f"{self.where}: qty", 2)
        _one_of(self.where, self.price, self.percent, "price")
        if self.price is not None:
            _whole(self.price, f"{self.where}: price", 0)
        else:
            object.__setattr__(self, "percent", _percent(self.percent, self.where))

    def _fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"qty": self.qty}
        if self.category:
            data["category"] = self.category
        if self.skus:
            data["skus"] = sorted(self.skus)
        data.update({"price": self.price} if self.price is not None else {"percent": self.percent})
        return data


@dataclass(frozen=True, kw_only=True)
class SpendThreshold(PromotionBase):
    kind: ClassVar[str] = "spend_threshold"
    threshold: int
    amount: int | None = None
    percent: str | None = None

    def validate(self) -> None:
        _whole(self.threshold, f"{self.where}: threshold", 1)
        _one_of(self.where, self.amount, self.percent, "amount")
        if self.amount is not None:
            _whole(self.amount, f"{self.where}: amount", 1)
        else:
            object.__setattr__(self, "percent", _percent(self.percent, self.where))

    def _fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"threshold": self.threshold}
        data.update(
            {"amount": self.amount} if self.amount is not None else {"percent": self.percent}
        )
        return data


def _one_of(where: str, money: object, percent: object, money_name: str) -> None:
    if (money is None) == (percent is None):
        raise PromotionError(f"{where}: give exactly one of {money_name} and percent")


Promotion = MultiBuy | BuyXGetY | MixMatch | SpendThreshold
KINDS: dict[str, type[Promotion]] = {
    cls.kind: cls for cls in (MultiBuy, BuyXGetY, MixMatch, SpendThreshold)
}
_COMMON = {"promo_id", "kind", "name", "start", "end", "days", "time_from", "time_to"}
_COMMON |= {"stackable", "priority"}
_SPECIFIC = {
    "multibuy": {"skus", "qty", "price"},
    "buy_x_get_y": {"buy_skus", "buy_qty", "get_skus", "get_qty", "percent"},
    "mix_match": {"category", "skus", "qty", "price", "percent"},
    "spend_threshold": {"threshold", "amount", "percent"},
}
_SKU_SETS = {"skus", "buy_skus", "get_skus"}


def parse_promotion(data: Mapping[str, Any]) -> Promotion:
    """A promotion from its JSON object; ``PromotionError`` names what is wrong."""
    if not isinstance(data, Mapping):
        raise PromotionError(f"a promotion must be an object, got {type(data).__name__}")
    promo_id = data.get("promo_id")
    where = f"promotion {promo_id}" if isinstance(promo_id, str) and promo_id else "promotion"
    kind = data.get("kind")
    if kind not in KINDS:
        raise PromotionError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
    if unknown := sorted(set(data) - _COMMON - _SPECIFIC[kind]):
        raise PromotionError(f"{where}: unknown field(s) {unknown} for kind {kind}")
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key == "kind":
            continue
        if key in ("promo_id", "name", "category") and not isinstance(value, str):
            raise PromotionError(f"{where}: {key} must be a string")
        elif key in ("start", "end"):
            fields[key] = _parse_datetime(value, f"{where}: {key}")
            continue
        elif key == "days":
            fields[key] = _parse_days(value, where)
            continue
        elif key in ("time_from", "time_to"):
            fields[key] = _parse_time(value, f"{where}: {key}")
            continue
        elif key in _SKU_SETS:
            if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
                raise PromotionError(f"{where}: {key} must be a list of sku strings")
            fields[key] = frozenset(value)
            continue
        elif key == "stackable" and not isinstance(value, bool):
            raise PromotionError(f"{where}: stackable must be true or false")
        fields[key] = value
    if "name" not in fields:
        fields["name"] = fields.get("promo_id", "")
    try:
        return KINDS[kind](**fields)
    except TypeError as exc:  # a required field is missing
        missing = ", ".join(re.findall(r"'(\w+)'", str(exc))) or str(exc)
        raise PromotionError(f"{where}: missing field(s) {missing}") from None


def _parse_datetime(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise PromotionError(f"{where} must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PromotionError(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if moment.utcoffset() is None:
        raise PromotionError(f"{where}: {value!r} needs a UTC offset, e.g. +07:00")
    return moment


def _parse_time(value: object, where: str) -> time:
    if not isinstance(value, str):
        raise PromotionError(f"{where} must be a string like '17:30'")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise PromotionError(f"{where}: {value!r} is not a time like '17:30'") from None


def _parse_days(value: object, where: str) -> frozenset[int]:
    if not isinstance(value, list) or not value:
        raise PromotionError(f"{where}: days must be a non-empty list like ['sat', 'sun']")
    days = set()
    for day in value:
        name = str(day).strip().lower()[:3]
        if name not in DAY_NAMES:
            raise PromotionError(f"{where}: {day!r} is not a day of the week")
        days.add(DAY_NAMES.index(name))
    return frozenset(days)
