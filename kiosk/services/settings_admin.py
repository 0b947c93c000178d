"""Changing this device's settings (``kiosk settings set``, ``cmd/settings``): checked by
the code that uses each value, journaled with who changed what (secrets masked), and
written only if the journal record commits with it."""

from __future__ import annotations

from typing import Any, Protocol

from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import utc_stamp
from kiosk.services.changes import ChangeRefusedError

# Identity settings are bound to the broker ACL and the ledger: never changed remotely.
REMOTE_FORBIDDEN = frozenset({"store_id", "device_id"})


class SettingsStore(Protocol):
    """kiosk.storage.settings.Settings; ``check_many`` and ``set_many`` raise a
    ``ValueError`` naming the key and what it accepts."""

    def check_many(self, changes: dict[str, Any]) -> dict[str, Any]: ...
    def set_many(self, changes: dict[str, Any]) -> dict[str, Any]: ...
    def mask(self, values: dict[str, Any]) -> dict[str, Any]: ...


class SettingsAdmin:
    def __init__(self, store: SettingsStore, uow: UnitOfWork, clock: Clock) -> None:
        self.store = store
        self.uow = uow
        self.clock = clock

    def set(self, key: str, value: Any, *, by: str) -> Any:
        return self.set_many({key: value}, by=by)[key]

    def set_many(self, values: dict[str, Any], *, by: str, remote: bool = False) -> dict[str, Any]:
        """Store the values all-or-nothing; returns them as stored."""
        if not values:
            raise ChangeRefusedError.of("settings.none")
        forbidden = sorted(REMOTE_FORBIDDEN & set(values)) if remote else []
        if forbidden:
            raise ChangeRefusedError.of(
                "settings.not_remote",
                keys=", ".join(forbidden),
                message=f"setting(s) {forbidden} cannot be changed remotely",
            )
        try:
            coerced = self.store.check_many(values)
        except ValueError as err:
            raise self._invalid(values, err) from err
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            # The file is written last: if that fails, the journal record rolls back.
            self.uow.journal("settings_change", ",".join(sorted(coerced))[:200],
                             {"by": by, "values": self.store.mask(coerced)}, at)  # fmt: skip
            try:
                stored = self.store.set_many(coerced)
            except ValueError as err:
                raise self._invalid(values, err) from err
        return stored

    def _invalid(self, values: dict[str, Any], err: ValueError) -> ChangeRefusedError:
        """The refusal, naming the first setting refused on its own (else all of them)."""
        for key in sorted(values):
            try:
                self.store.check_many({key: values[key]})
            except ValueError:
                return ChangeRefusedError.of("settings.invalid", key=key, message=str(err))
        keys = ", ".join(sorted(values))
        return ChangeRefusedError.of("settings.invalid", key=keys, message=str(err))
