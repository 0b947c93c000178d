"""What the fleet asks of a kiosk (``cmd/{name}``) and the kiosk's answer (``result``).

A command is an envelope with a ``body``; the body's model depends on the command name
(``kiosk.contract.schemas.COMMANDS``). A new command is one body model plus one line
there. Docstrings and descriptions here are the text of docs/messages.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kiosk.contract.documents import version
from kiosk.contract.fields import (
    At,
    Day,
    Detail,
    Document,
    Id,
    ImageRef,
    Name,
    Percent,
    Scalars,
    items,
)
from kiosk.contract.refusals import CODE_PATTERN

Mode = Literal["snapshot", "delta"]
Barcode = Annotated[str, Field(min_length=1, max_length=64)]


class Envelope(Document):
    """Every command: ``{"schema":1,"command_id","body":{...},"issued_at"?,
    "issued_by"?}``. Build with ``messages.command_doc(name, body)``."""

    schema_version: Literal[1] = version()
    command_id: Id = Field(
        description="applied once per device, bound to the command's name "
        "and body: a repeat gets the result, another body is refused"
    )
    body: dict[str, Any] = Field(description="the command's own document (below)")
    issued_at: At = ""
    issued_by: Name = ""


class Product(Document):
    sku: Id
    name: str = Field(min_length=1, max_length=200)
    price: int = Field(ge=0, le=10**12, description="tax-inclusive rupiah")
    barcodes: list[Barcode] = items(50, optional=True)
    category: Name = ""
    unit: str = Field("", max_length=16)
    tax_class: str = Field("", max_length=32)
    tax_rate_percent: Percent | None = None
    age_restricted: int = Field(0, ge=0, le=99, description="minimum age, 0 for none")
    active: bool = True
    sold_by_weight: bool = False
    image: ImageRef = Field("", description="the web shop's picture of it (the till shows none)")


class Catalog(Document):
    """``snapshot`` replaces the catalog; ``delta`` upserts and deactivates ``remove``.
    A change that takes more than ``catalog.max_removal_percent`` (default 50) of the
    products on sale off sale, or all of them, is refused unless ``allow_mass_removal``.
    The catalog before each change is kept for ``catalog_undo``."""

    mode: Mode
    products: list[Product] = items(200_000)
    remove: list[Id] = items(200_000, optional=True)
    allow_mass_removal: bool = Field(False, description="the removal is meant")


class CatalogUndo(Document):
    """The catalog as it was before the last change (snapshot, delta, prices, import);
    each undo goes one change further back."""


class Price(Document):
    sku: Id
    price: int = Field(ge=0, description="tax-inclusive rupiah")


class Prices(Document):
    """An unknown sku refuses the whole batch."""

    prices: list[Price] = items(200_000, minimum=1)


class Promotions(Document):
    """Promotions in the form of ``kiosk.domain.promotions``."""

    mode: Mode
    promotions: list[Detail] = items(5_000)
    remove: list[Id] = items(5_000, optional=True)


class Settings(Document):
    """Keys of ``kiosk.storage.settings``; ``store_id`` and ``device_id`` cannot be
    changed remotely."""

    values: Scalars


class Lock(Document):
    """Lock the lane (the app's handler shows the lock screen)."""

    reason: str = Field("", max_length=200)
    message: str = Field("", max_length=200)


class Unlock(Document):
    """Unlock the lane."""

    reason: str = Field("", max_length=200)


class Report(Document):
    """X, Z or sales report of a day comes back in the result's ``detail``; ``stock``
    queues a stock snapshot."""

    kind: Literal["x", "z", "sales", "stock"]
    business_date: Day = ""


class Payment(Document):
    """A QRIS payment's outcome, relayed by the fleet after it verified the acquirer's
    notification (the till cannot receive webhooks). Applied once per ``order_id``: a
    repeat changes nothing, a "paid" for a payment the till already cancelled or let
    expire is recorded and flagged for a refund. The result's detail has ``outcome``
    (apply, already, refund_due, closed, pending)."""

    order_id: Id = Field(description="the till's order id (the tender's reference)")
    status: Literal["pending", "paid", "expired", "cancelled", "failed"]
    amount: int = Field(gt=0, le=10**12, description="rupiah the acquirer confirmed")
    provider: Name = Field("", description="midtrans or snap")
    reference: Name = Field("", description="the acquirer's transaction id")


class PointsBalance(Document):
    """One member's points as the fleet counted them over every store."""

    member_id: Id
    balance: int = Field(ge=-(10**9), le=10**9, description="points, all stores together")
    seen: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, max_length=1000,
        description="per kiosk of this store: the journal seq of the last of its points "
        "moves for this member that the balance counts (its outbox sends them in order)",
    )  # fmt: skip


class PointsConfirm(Document):
    """The fleet's confirmed loyalty balances, sent store-wide to every store where the
    member has points. A kiosk may then spend offline at most ``balance`` minus what it
    redeemed after the move ``seen`` names for it. An older confirmation than the one
    kept (``as_of``) changes nothing. The result's detail has ``members`` (applied)."""

    as_of: At = Field(description="when the fleet counted")
    balances: list[PointsBalance] = items(10_000, 1)


WHEEL_PATTERN = r"^pi_pos-[0-9][0-9A-Za-z.+]*-py3-none-any\.whl$"


class Update(Document):
    """Update to a release the fleet serves. The kiosk downloads ``url`` (and ``url`` +
    ``.sig``), checks ``sha256`` and the ed25519 signature against the release key it
    was provisioned with, and applies it (``kiosk update``, with its own rollback) within
    its ``update.window`` (outside business hours). The result's detail has ``version``
    and ``state`` (scheduled); what happened later shows as the kiosk's version."""

    version: str = Field(min_length=1, max_length=40, pattern=r"^[0-9][0-9A-Za-z.+]*$")
    wheel: str = Field(max_length=120, pattern=WHEEL_PATTERN, description="the file name")
    url: str = Field(max_length=500, pattern=r"^https?://[^\s]+$",
                     description="where the kiosk downloads the wheel")  # fmt: skip
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the wheel's bytes")


class Refusal(Document):
    """Why the command was refused, for the reader to word in its own language: a code of
    ``kiosk.contract.refusals`` (or a till's refusal code, ``kiosk.domain.error_codes``)
    and the values its words need. A reader that does not know the code says that the
    kiosk refused the command."""

    code: str = Field(max_length=64, pattern=CODE_PATTERN)
    params: Scalars = Field(default_factory=dict)


class Result(Document):
    """On ``.../cmd/{name}/result``, always under the device's own prefix. A garbage
    payload still gets a result (``command_id`` empty when it could not be read).
    ``refusals`` (optional, added within schema 1) has one entry per ``errors`` line, in
    the same order; older kiosks send none."""

    schema_version: Literal[1] = version()
    command_id: str = Field(max_length=64)
    name: Name
    ok: bool
    duplicate: bool = Field(description="the command id was applied before")
    errors: list[Annotated[str, Field(max_length=2000)]] = Field(
        min_length=0, max_length=10_000, strict=False,
        description="the kiosk's English, for logs and older fleets")  # fmt: skip
    refusals: list[Refusal] = Field(
        default_factory=list, max_length=10_000, strict=False,
        description="one per error: its code and parameters")  # fmt: skip
    at: At
    store_id: Id
    device_id: Id
    detail: Detail = Field(default_factory=dict)

    def cross_checks(self) -> list[str]:
        if self.refusals and len(self.refusals) != len(self.errors):
            return [f"refusals: {len(self.refusals)} for {len(self.errors)} error(s)"]
        return []
