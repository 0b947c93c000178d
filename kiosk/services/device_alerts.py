"""Device events that the fleet must hear about become alerts; the end of the condition
clears them. One table, so a shop (or the next issue) can see and change what alerts.

Runs on the main thread (the app hands driver events over in one place).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ports import Clock, DeviceEvent, DeviceState, StoreLedger
from kiosk.services.business_day import utc_stamp


@dataclass(frozen=True)
class AlertRule:
    kind: str  # alert kind of docs/messages.md
    severity: str
    clears_on: tuple[str, ...]  # events that end the condition


# device event -> alert; an event not listed here is shown locally but not alerted.
ALERT_RULES: dict[str, AlertRule] = {
    "paper_out": AlertRule("paper_out", "critical", ("status",)),
    "paper_near_end": AlertRule("paper_low", "warning", ("status",)),
    "cover_open": AlertRule("device_error", "warning", ("status",)),
    "job_failed": AlertRule("device_error", "warning", ()),
    "drawer_left_open": AlertRule("drawer_left_open", "warning", ("drawer_closed",)),
}


class DeviceAlerts:
    """Raises an alert once per condition (not once per poll) and clears it once."""

    def __init__(self, ledger: StoreLedger, clock: Clock) -> None:
        self.ledger = ledger
        self.clock = clock
        # (device, alert kind) -> (alert id, the rule that raised it)
        self.active: dict[tuple[str, str], tuple[str, AlertRule]] = {}

    def handle(self, event: DeviceEvent) -> str | None:
        """Record what this event means for the fleet; returns the alert id raised or
        cleared, or None when nothing changed."""
        device = f"{event.kind}:{event.name}"
        rule = ALERT_RULES.get(event.event)
        if rule is not None:
            key = (device, rule.kind)
            if key in self.active and rule.clears_on:
                return None  # still the same condition
            detail = {"device": device, "reason": event.status.reason, "event": event.event}
            alert_id = self.ledger.raise_alert(
                rule.kind, event.message or f"{device}: {event.status.reason or event.event}",
                utc_stamp(self.clock), severity=rule.severity, detail=detail,
            )  # fmt: skip
            if rule.clears_on:
                self.active[key] = (alert_id, rule)
            return alert_id
        return self._clear(device, event)

    def _clear(self, device: str, event: DeviceEvent) -> str | None:
        healthy = event.status.state in (DeviceState.IDLE, DeviceState.BUSY)
        for (dev, kind), (alert_id, rule) in list(self.active.items()):
            if dev == device and event.event in rule.clears_on and healthy:
                del self.active[(dev, kind)]
                self.ledger.raise_alert(
                    kind, f"{device}: back to normal", utc_stamp(self.clock),
                    severity="info", detail={"device": device, "clears": alert_id},
                    cleared=True,
                )  # fmt: skip
                return alert_id
        return None
