"""The QRIS gateway the settings choose (``payments.qris.gateway`` and its keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.payments.gateway import QrisGateway
from kiosk.payments.simulated import SimulatedGateway


def gateway_from_settings(values: Mapping[str, Any], *, fallback_static: str) -> QrisGateway:
    """``values`` as ``Settings.all()`` gives them. The simulated acquirer uses the shop's
    static QRIS, or ``fallback_static`` when none is set. A missing key raises
    ``GatewayError`` (its message names the setting, never a value). An acquirer's
    module (and httpx, ~18 MB) loads only when the settings choose it."""
    kind = values.get("payments.qris.gateway", "simulated")
    if kind == "midtrans":
        from kiosk.payments.midtrans import MidtransGateway

        notify = str(values.get("payments.midtrans.notification_url") or "")
        return MidtransGateway(
            str(values["payments.midtrans.server_key"]),
            base_url=str(values["payments.midtrans.base_url"]),
            notification_url=notify.replace("{store}", str(values.get("store_id", ""))).replace(
                "{device}", str(values.get("device_id", ""))
            ),
        )
    if kind == "snap":
        from kiosk.payments.snap import SnapGateway

        return SnapGateway(
            base_url=str(values["payments.snap.base_url"]),
            client_id=str(values["payments.snap.client_id"]),
            client_secret=str(values["payments.snap.client_secret"]),
            private_key_pem=str(values["payments.snap.private_key"]),
            partner_id=str(values["payments.snap.partner_id"]),
            merchant_id=str(values["payments.snap.merchant_id"]),
        )
    return SimulatedGateway(str(values.get("payments.qris.static_payload") or fallback_static))


def till_gateway(values: Mapping[str, Any]) -> QrisGateway:
    """The till's acquirer: the settings' one; the simulated one (demo, simulated
    hardware) has a QR paid only when the demo's customer says so, or it expires."""
    from kiosk.payments.simulated import SAMPLE_STATIC_QRIS

    gateway = gateway_from_settings(values, fallback_static=SAMPLE_STATIC_QRIS)
    if isinstance(gateway, SimulatedGateway):
        gateway.pay_after = 1_000_000_000
    return gateway
