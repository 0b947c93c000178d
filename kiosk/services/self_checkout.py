"""Self-checkout interventions: the moments a lane stops until a member of staff acts.

Age-restricted items, unknown or inactive barcodes, a customer's request to void a line,
quantities or a basket amount above the limits in settings, and calls for help. Each one
sets the status lights, is journaled (and so published to the fleet), and holds the
change it is about (the item, the void, the quantity) until staff approve or reject it;
the decision is journaled with who made it. Nothing is half-applied: a held item is not
in the basket until it is approved.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.domain.catalog import InactiveProduct, LookupResult, UnknownBarcode
from kiosk.domain.gtin import InvalidBarcode
from kiosk.ports import Indicators, Scan
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutError, CheckoutService, ScanResult
from kiosk.services.sale_cancel import cancel_sale
from kiosk.services.staff import StaffMember, StaffService
from kiosk.services.weighing import needs_weight

KINDS = (
    "age_restricted",
    "unknown_barcode",
    "inactive_item",
    "void_request",
    "qty_limit",
    "amount_limit",
    "help",
)
# What each kind needs from the approving member (see kiosk.services.staff.PERMISSIONS).
_PERMISSION = {"qty_limit": "approve_limit", "amount_limit": "approve_limit"}
# Kinds with nothing to let through: staff acknowledge them and the item is put aside,
# journaled as "dismissed" (never "approved": nothing was added).
NOTHING_TO_ADD = ("unknown_barcode", "inactive_item")


@dataclass(frozen=True)
class Limits:
    max_qty_per_line: int = 20
    max_basket_amount: int = 5_000_000
    minimum_age: int = 21

    @classmethod
    def from_settings(cls, get: Callable[[str], Any]) -> Limits:
        def read(key: str, default: int) -> int:
            try:
                value = get(key)
            except (KeyError, ValueError):  # an older settings file without the key
                return default
            return default if value is None else int(value)

        return cls(
            max_qty_per_line=read("limits.max_qty", cls.max_qty_per_line),
            max_basket_amount=read("limits.max_amount", cls.max_basket_amount),
            minimum_age=read("self_checkout.minimum_age", cls.minimum_age),
        )


@dataclass(frozen=True)
class Intervention:
    intervention_id: str
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)
    # The held change, applied on approval: ("add", LookupResult, qty),
    # ("void", line_no), ("qty", line_no, qty) or ("none",).
    held: tuple[Any, ...] = ("none",)


@dataclass(frozen=True)
class ScanOutcome:
    added: ScanResult | None = None
    intervention: Intervention | None = None
    misread: str = ""
    weigh: LookupResult | None = None  # sold by weight: the scale must say how much


class InterventionPendingError(CheckoutError):
    """The lane is stopped; staff must act first."""


class SelfCheckoutService:
    def __init__(
        self,
        checkout: CheckoutService,
        staff: StaffService,
        *,
        limits: Limits | None = None,
        lights: Indicators | None = None,
        ids: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.checkout = checkout
        self.staff = staff
        self.limits = limits or Limits()
        self._lights = lights
        self._ids = ids
        self.pending: Intervention | None = None
        self._show("ready")

    # -- customer actions -------------------------------------------------------------
    def scan(self, code: str | Scan, qty: int = 1) -> ScanOutcome:
        self._require_no_pending()
        text = (code.data if isinstance(code, Scan) else code).strip()
        try:
            found = self.checkout.lookup(text)
        except InvalidBarcode as error:  # a misread: ask to scan again, no staff needed
            return ScanOutcome(misread=str(error))
        except InactiveProduct as error:
            product = error.product
            detail = {"barcode": text, "sku": product.sku, "name": product.name}
            return ScanOutcome(intervention=self._raise("inactive_item", detail))
        except UnknownBarcode:
            return ScanOutcome(intervention=self._raise("unknown_barcode", {"barcode": text}))
        return self.add(found, qty)

    def add_sku(self, sku: str, qty: int = 1) -> ScanOutcome:
        self._require_no_pending()
        product = self.checkout.catalog.by_sku(sku)
        if product is None:
            raise CheckoutError.of(
                "catalog.no_such_item", sku=sku, message=f"no product with SKU {sku!r}"
            )
        return self.add(
            LookupResult(product=product, barcode="", price_override=None, weight_g=None), qty
        )

    def add_weighed(self, found: LookupResult, grams: int) -> ScanOutcome:
        """A product sold by weight, with the grams the lane's scale read for it."""
        return self.add(replace(found, weight_g=grams, price_override=None))

    def add(self, found: LookupResult, qty: int = 1) -> ScanOutcome:
        self._require_no_pending()
        product = found.product
        detail = {"sku": product.sku, "name": product.name, "barcode": found.barcode, "qty": qty}
        if not product.active:
            return ScanOutcome(intervention=self._raise("inactive_item", detail))
        if needs_weight(found):
            return ScanOutcome(weigh=found)
        held = ("add", found, qty)
        if product.age_restricted:
            detail["minimum_age"] = max(product.age_restricted, self.limits.minimum_age)
            return ScanOutcome(intervention=self._raise("age_restricted", detail, held))
        line_qty = self.checkout.qty_after(found, qty)  # a repeat scan joins its line
        if line_qty > self.limits.max_qty_per_line:
            detail.update(qty=line_qty, limit=self.limits.max_qty_per_line)
            return ScanOutcome(intervention=self._raise("qty_limit", detail, held))
        unit = found.price_override if found.price_override is not None else product.price
        if self.checkout.priced().total + unit * qty > self.limits.max_basket_amount:
            detail["limit"] = self.limits.max_basket_amount
            return ScanOutcome(intervention=self._raise("amount_limit", detail, held))
        return ScanOutcome(added=self.checkout.add(found, qty))

    def set_qty(self, line_no: int, qty: int) -> Intervention | None:
        self._require_no_pending()
        if qty > self.limits.max_qty_per_line:
            detail = {"line_no": line_no, "qty": qty, "limit": self.limits.max_qty_per_line}
            return self._raise("qty_limit", detail, ("qty", line_no, qty))
        self.checkout.set_qty(line_no, qty)
        return None

    def request_void(self, line_no: int) -> Intervention:
        """A customer cannot void a scanned item alone: staff confirm it."""
        self._require_no_pending()
        line = self._line(line_no)
        detail = {"line_no": line_no, "sku": line.product.sku, "name": line.product.name}
        return self._raise("void_request", detail, ("void", line_no))

    def call_help(self) -> Intervention:
        if self.pending is not None:
            return self.pending
        return self._raise("help", {}, ("none",))

    # -- staff actions ------------------------------------------------------------------
    def needs_supervisor(self, member: StaffMember) -> bool:
        """True when what waits needs a higher role than the attendant's: a supervisor
        approves it on the spot (``approve(member, supervisor=...)``)."""
        pending = self.pending
        return pending is not None and not member.may(_PERMISSION.get(pending.kind, "attend"))

    def approve(
        self, member: StaffMember, *, supervisor: StaffMember | None = None
    ) -> Intervention:
        """The attendant ``member`` lets the held change through; when it needs a higher
        role than theirs, ``supervisor`` (signed in on the spot) must have it. Both names
        are journaled."""
        pending = self._require_pending()
        needed = _PERMISSION.get(pending.kind, "attend")
        StaffService.require(member, "attend")
        StaffService.require(member if supervisor is None else supervisor, needed)
        if pending.kind in NOTHING_TO_ADD:
            self._resolve(pending, "dismissed", member)
            return pending
        self._apply(pending.held, member, over_qty=pending.kind == "qty_limit")
        self._resolve(pending, "approved", member, supervisor)
        return pending

    def reject(self, member: StaffMember) -> Intervention:
        pending = self._require_pending()
        StaffService.require(member, "attend")
        self._resolve(pending, "rejected", member)
        return pending

    def staff_void(self, line_no: int, member: StaffMember) -> None:
        StaffService.require(member, "void")
        self.checkout.void_line(line_no, staff=member.staff_id)

    def cancel_sale(
        self, member: StaffMember, reason: str, *, supervisor: StaffMember | None = None
    ) -> int:
        """Staff cancel the customer's whole sale (kiosk.services.sale_cancel: a reason,
        a supervisor above limits.max_cancel_amount); anything waiting is dropped with it."""
        limit = self.checkout.config.max_cancel_amount
        total = cancel_sale(self.checkout, member, reason, limit=limit, supervisor=supervisor)
        if self.pending is not None:
            self._journal("intervention_dropped", self.pending, {"reason": "sale cancelled"})
            self.pending = None
        self._show("ready")
        return total

    def abandon(self, reason: str) -> None:
        """Customer walked away: drop any hold and the basket (journaled as abandoned)."""
        if self.pending is not None:
            self._journal("intervention_dropped", self.pending, {"reason": reason})
            self.pending = None
        self.checkout.abandon(reason)
        self._show("ready")

    # -- internals ----------------------------------------------------------------------
    def _apply(self, held: tuple[Any, ...], member: StaffMember, *, over_qty: bool) -> None:
        """``over_qty``: staff approved a quantity above ``limits.max_qty`` (only that:
        an age check approved does not lift the quantity limit)."""
        action = held[0]
        if action == "add":
            self.checkout.add(held[1], held[2], approved=over_qty)
        elif action == "void":
            self.checkout.void_line(held[1], staff=member.staff_id)
        elif action == "qty":
            self.checkout.set_qty(held[1], held[2], approved=over_qty)

    def _raise(
        self, kind: str, detail: dict[str, Any], held: tuple[Any, ...] = ("none",)
    ) -> Intervention:
        intervention = Intervention(self._ids(), kind, detail, held)
        self.pending = intervention
        self._journal("intervention", intervention, {})
        if kind == "help":
            self._help_alert(intervention)
        self._show("help" if kind == "help" else "approval")
        return intervention

    def _help_alert(self, intervention: Intervention, resolved_by: str = "") -> None:
        """The fleet's dashboard shows who is waiting for help, and when it ended."""
        device = self.checkout.config.device_id
        message = (f"help given at {device} by {resolved_by}" if resolved_by
                   else f"a customer asks for help at {device}")  # fmt: skip
        self.checkout.ledger.raise_alert(
            "help_requested", message, utc_stamp(self.checkout.clock),
            severity="info" if resolved_by else "warning",
            detail={"intervention_id": intervention.intervention_id}, cleared=bool(resolved_by),
        )  # fmt: skip

    def _resolve(
        self,
        pending: Intervention,
        outcome: str,
        member: StaffMember,
        supervisor: StaffMember | None = None,
    ) -> None:
        self.pending = None
        if pending.kind == "help":
            self._help_alert(pending, resolved_by=member.name)
        who = {"staff_id": member.staff_id, "staff_name": member.name, "role": member.role}
        if supervisor is not None:
            who.update(supervisor_id=supervisor.staff_id, supervisor_name=supervisor.name,
                       supervisor_role=supervisor.role)  # fmt: skip
        self._journal("intervention_resolved", pending, {"outcome": outcome, **who})
        self._show("ready")

    def _journal(self, event: str, intervention: Intervention, extra: dict[str, Any]) -> None:
        payload = {
            "intervention_id": intervention.intervention_id,
            "kind": intervention.kind,
            "detail": intervention.detail,
            "device_id": self.checkout.config.device_id,
            **extra,
        }
        self.checkout.ledger.record_event(
            event, self.checkout.basket.basket_id, payload, utc_stamp(self.checkout.clock)
        )

    def _show(self, state: str) -> None:
        if self._lights is not None:
            self._lights.show(state)

    def _line(self, line_no: int) -> Any:
        for line in self.checkout.basket.lines:
            if getattr(line, "line_no", None) == line_no:
                return line
        raise CheckoutError.of("checkout.no_line", line=line_no)

    def _require_no_pending(self) -> None:
        if self.pending is not None:
            raise InterventionPendingError.of(
                "checkout.waiting_for_staff",
                kind=self.pending.kind,
                message="waiting for staff: " + self.pending.kind.replace("_", " "),
            )

    def _require_pending(self) -> Intervention:
        if self.pending is None:
            raise CheckoutError.of(
                "checkout.nothing_waiting", message="there is nothing waiting for approval"
            )
        return self.pending
