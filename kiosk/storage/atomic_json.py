"""TinyDB storage that survives a crash mid-write and falls back to the last good copy.

TinyDB's own JSONStorage rewrites the file in place, so a crash mid-write leaves it
unreadable (measured, see FIELD-NOTES). ``AtomicJSONStorage`` writes a temp file in the
same directory, fsyncs it, keeps the current good file as ``<name>.bak``, renames the temp
file over the file and fsyncs the directory. A file that cannot be read or fails
validation is reported in ``notice`` and the ``.bak`` copy is used; if both are bad,
``SettingsError`` says so.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from kiosk.domain.bounds import BoundsError, load_json
from kiosk.storage.settings_schema import SettingsError, validate_document

log = logging.getLogger(__name__)


class AtomicJSONStorage(Storage):
    """TinyDB storage with crash-safe writes and fallback to the last good copy."""

    def __init__(self, path: str, validate: Any = validate_document) -> None:
        super().__init__()
        self.path = Path(path)
        self.backup = self.path.with_name(self.path.name + ".bak")
        self.validate = validate
        self.notice = ""
        self._main_is_good = False

    def _load(self, path: Path) -> dict[str, Any]:
        raw = path.read_bytes()
        try:  # within the bounds: a nesting or a size that json would choke on is refused
            data = load_json(raw, "")
        except BoundsError as exc:
            what = "empty" if not raw else f"not valid JSON: {exc.reason}"
            raise SettingsError(what) from None
        self.validate(data)
        return dict(data)

    def read(self) -> dict[str, Any] | None:
        try:
            data = self._load(self.path)
        except FileNotFoundError:
            if not self.backup.exists():
                self._main_is_good = False
                return None  # first start: defaults, nothing to warn about
            problem = "missing"
        except (OSError, SettingsError) as exc:
            problem = f"unreadable ({exc})"
        else:
            self._main_is_good = True
            return data
        self._main_is_good = False
        try:
            data = self._load(self.backup)
        except (OSError, SettingsError) as exc:
            raise SettingsError(
                f"{self.path.name} is {problem} and its backup {self.backup.name} is unusable "
                f"too ({exc}); repair or remove them: defaults are not used in their place"
            ) from None
        if not self.notice:
            saved = datetime.fromtimestamp(self.backup.stat().st_mtime, UTC)
            self.notice = (
                f"{self.path.name} was {problem}; using the last good copy from "
                f"{self.backup.name} (saved {saved:%Y-%m-%d %H:%M:%S} UTC)"
            )
            log.warning("%s", self.notice)
        return data

    def write(self, data: dict[str, Any]) -> None:
        self.validate(data)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o600)  # it may hold the broker password
            if self._main_is_good and self.path.exists():
                # Hard-link the current good file as the backup: atomic, no copy, and
                # the link keeps the old inode when the rename below replaces the name.
                link_tmp = f"{tmp_name}.bak"
                os.link(self.path, link_tmp)
                os.replace(link_tmp, self.backup)
            os.replace(tmp_name, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        fsync_dir(directory)
        self._main_is_good = True

    def close(self) -> None:
        pass


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
