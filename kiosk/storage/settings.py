"""Device settings: a small validated document in TinyDB, written atomically.

The file is written by ``AtomicJSONStorage`` (kiosk/storage/atomic_json.py): a crash
mid-write cannot damage it, and a file that cannot be read or whose values fail validation
is reported in ``Settings.notice`` and its ``.bak`` copy used; if both are bad,
``SettingsError`` says so. Defaults are never silently used in place of a damaged file.

What each key may hold is ``SCHEMA`` (kiosk/storage/settings_schema.py). Only values that
were set are stored, so a default can change with the software.
"""

from __future__ import annotations

import copy
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from kiosk.storage.atomic_json import AtomicJSONStorage
from kiosk.storage.settings_schema import (
    DOC_ID,
    FEATURE_CHECKS,
    MASK,
    SCHEMA,
    TABLE,
    FeatureCheck,
    Setting,
    SettingsError,
    coerce,
    validate_document,
    validate_values,
)

# Kept importable from here, where they were before the schema and storage moved out.
__all__ = [
    "FEATURE_CHECKS", "MASK", "SCHEMA", "AtomicJSONStorage", "FeatureCheck", "Setting",
    "Settings", "SettingsError", "coerce", "validate_document", "validate_values",
]  # fmt: skip


class Settings:
    """The device's settings file. ``notice`` is non-empty when a damaged file was
    replaced by its backup; show it to the operator.

    ``problems`` maps a stored key its feature cannot use (see ``FEATURE_CHECKS``) to the
    reason: such a key reads as its default, so only that feature falls back, and
    ``set`` refuses a value its feature cannot use."""

    def __init__(self, path: str | Path, checks: dict[str, FeatureCheck] | None = None) -> None:
        self.path = Path(path)
        self.checks = {**FEATURE_CHECKS, **(checks or {})}
        self._db = TinyDB(str(self.path), storage=AtomicJSONStorage)
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        self._storage = storage
        self._table = self._db.table(TABLE, cache_size=0)
        # Read now: a damaged file or an unusable value is reported at start.
        stored = self._stored()
        self.problems = {
            key: reason
            for key in sorted(set(stored) & set(self.checks))
            if (reason := self._feature_problem(key, stored[key]))
        }

    @property
    def notice(self) -> str:
        return self._storage.notice

    def _feature_problem(self, key: str, value: Any) -> str:
        try:
            self.checks[key](value)
        except (ValueError, TypeError, KeyError) as exc:
            return str(exc) or type(exc).__name__
        return ""

    def _stored(self) -> dict[str, Any]:
        doc = self._table.get(doc_id=DOC_ID)
        return dict(doc) if isinstance(doc, dict) else {}

    def get(self, key: str) -> Any:
        """The value of ``key``, or its default when it was never set."""
        setting = SCHEMA.get(key)
        if setting is None:
            raise SettingsError(f"unknown setting {key!r}; known: {', '.join(sorted(SCHEMA))}")
        if key in self.problems:
            return copy.deepcopy(setting.default)
        return copy.deepcopy(self._stored().get(key, setting.default))

    def set(self, key: str, value: Any) -> Any:
        """Coerce (CLI strings: ``"1883"`` -> 1883, ``"true"`` -> True), validate and save
        atomically; returns the stored value. Raises ``SettingsError`` naming the key and
        what it accepts."""
        return self.set_many({key: value})[key]

    def set_many(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply several settings all-or-nothing (one validated write)."""
        coerced = self.check_many(changes)
        self._save({**self._stored(), **coerced})
        for key in coerced:
            self.problems.pop(key, None)
        return coerced

    def check_many(self, changes: dict[str, Any]) -> dict[str, Any]:
        """The values as ``set_many`` would store them, checked by their features too;
        raises ``SettingsError`` and writes nothing."""
        coerced = {key: coerce(key, value) for key, value in changes.items()}
        for key in sorted(set(coerced) & set(self.checks)):
            if reason := self._feature_problem(key, coerced[key]):
                raise SettingsError(f"{key}: not usable: {reason}")
        return coerced

    @staticmethod
    def mask(values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with secret ones replaced by ``********`` (for logs and journals)."""
        return {k: MASK if k in SCHEMA and SCHEMA[k].secret and v else v for k, v in values.items()}

    def reset(self, key: str) -> None:
        """Forget a stored value so the default applies again."""
        if key not in SCHEMA:
            raise SettingsError(f"unknown setting {key!r}")
        values = self._stored()
        if values.pop(key, None) is not None:
            self._save(values)
        self.problems.pop(key, None)

    def _save(self, values: dict[str, Any]) -> None:
        validate_values(values)
        if self._table.contains(doc_id=DOC_ID):

            def replace(doc: MutableMapping[str, Any]) -> None:
                doc.clear()
                doc.update(values)

            self._table.update(replace, doc_ids=[DOC_ID])
        else:
            self._table.insert(Document(values, doc_id=DOC_ID))

    def all(self) -> dict[str, Any]:
        """Every setting with its effective value (secrets included: do not print)."""
        stored = {k: v for k, v in self._stored().items() if k not in self.problems}
        return {key: copy.deepcopy(stored.get(key, s.default)) for key, s in SCHEMA.items()}

    def masked(self) -> dict[str, Any]:
        """Like ``all`` with secrets replaced by ``********``: safe to show or log."""
        values = self.all()
        for key, setting in SCHEMA.items():
            if setting.secret and values[key]:
                values[key] = MASK
        return values

    def close(self) -> None:
        self._db.close()
