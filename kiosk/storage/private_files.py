"""File rights of the device's data: the data directory 0700, everything in it 0600.

The ledger holds sales, members and staff PIN hashes; the settings hold the broker
password. Another user of the Pi (or a process running as one) must not read them.
SQLite creates ``-wal`` and ``-shm`` with the rights of the database file, so a ledger
made 0600 before it is opened keeps its companions private too.

The PIN key (``secret.key``) is kept here as well: PIN hashes are keyed with it, so a
copied ledger alone does not give the PINs away. ``KIOSK_PIN_KEY_FILE`` puts it
elsewhere (another partition, a TPM-backed mount), away from the ledger's backups.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
KEY_FILE = "secret.key"
KEY_ENV = "KIOSK_PIN_KEY_FILE"
KEY_BYTES = 32


class SecretKeyError(Exception):
    """The PIN key cannot be read or made; the message names the file, never its bytes."""


def private_dir(path: Path) -> None:
    """Create ``path`` 0700, or take group and other rights away from our own directory
    and from the files in it (made by an older version, or copied in by hand). A shared
    directory (sticky bit, like /tmp) or one owned by someone else is left alone."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & stat.S_ISVTX or info.st_uid != os.getuid():
        return
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)
    for entry in os.scandir(path):
        with contextlib.suppress(OSError):
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                os.chmod(entry.path, stat.S_IMODE(mode) & ~0o077)


def private_file(path: Path) -> None:
    """Create ``path`` empty with 0600 if missing; take group/other rights off if not."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, FILE_MODE)
        return
    os.close(fd)


def private_sqlite(path: Path) -> None:
    """The database file and any ``-wal``/``-shm``/``-journal`` beside it: 0600."""
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return
    try:
        private_file(path)
    except OSError:
        return  # a missing directory or no rights: SQLite reports it in its own words
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            if stat.S_IMODE(companion.stat().st_mode) & 0o077:
                os.chmod(companion, FILE_MODE)


def key_path(data_dir: Path) -> Path:
    configured = os.environ.get(KEY_ENV, "")
    return Path(configured) if configured else data_dir / KEY_FILE


def load_or_create_key(path: Path) -> bytes:
    """The PIN key at ``path``; made (32 random bytes, 0600, fsync'd) on first use."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return _create_key(path)
    except OSError as error:
        raise SecretKeyError(f"cannot read the PIN key file {path}: {error.strerror}") from None
    if len(key) != KEY_BYTES:
        raise SecretKeyError(
            f"the PIN key file {path} is damaged (expected {KEY_BYTES} bytes); restore it "
            "from the device backup: without it no staff PIN can be checked"
        )
    with contextlib.suppress(OSError):
        private_file(path)
    return key


def _create_key(path: Path) -> bytes:
    key = os.urandom(KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()  # left by a crash of an earlier process with our pid
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(tmp, path)  # fails if another process made the key meanwhile
    except FileExistsError:
        return load_or_create_key(path)
    except OSError as error:
        raise SecretKeyError(f"cannot create the PIN key file {path}: {error.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return key
