"""How a ``kiosk`` command ends when something goes wrong: a message and an exit code,
never a traceback.

Known failures get their own message: a problem the person can fix (exit 2) or one of
the machine (a full disk, an unreadable file, a damaged ledger: exit 1). Anything else
is a defect: its traceback goes to ``kiosk-errors.log`` in the data directory and the
terminal shows only its kind and where the log is. An exception's text is never shown
for a defect, because it may quote a value (a password, a PIN hash) that is not for the
screen.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kiosk.cli.common import EXIT_FAIL, EXIT_USAGE, UserError
from kiosk.domain.errors import ShownError
from kiosk.storage.settings import SettingsError
from kiosk.telemetry.config_error import ConfigError

EXIT_INTERRUPTED = 130
ERROR_LOG = "kiosk-errors.log"
NOT_SAVED = "the change was not saved"


def run_guarded(command: Callable[[], int], data_dir: Path) -> int:
    """``command()``'s exit code, or a message on stderr and the code for its failure."""
    try:
        return command()
    except BrokenPipeError:
        return 0  # the reader (``| head``) went away: not an error
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # the one place a command's failures become messages
        message, code = describe(err)
        if code is None:
            message += _logged(err, data_dir)
            code = EXIT_FAIL
        print(f"kiosk: {message}", file=sys.stderr)
        return code


def describe(err: Exception) -> tuple[str, int | None]:
    """The message for a known failure and its exit code; ``None`` for a defect."""
    if isinstance(err, UserError):
        return str(err), EXIT_USAGE
    if isinstance(err, SettingsError | ShownError):
        return str(getattr(err, "message", None) or err), EXIT_USAGE
    if isinstance(err, ConfigError):  # its messages name keys and files, never secrets
        return f"the broker settings cannot be used: {err}", EXIT_USAGE
    if isinstance(err, OSError):
        return _os_error(err), EXIT_FAIL
    if isinstance(err, sqlite3.Error):
        if "full" in str(err):
            return f"the disk holding the ledger is full: {NOT_SAVED}", EXIT_FAIL
        if "integer overflow" in str(err):
            return (
                "a total is too large to add up: the ledger holds an amount beyond the "
                "till's bounds (recorded before they existed)",
                EXIT_FAIL,
            )
        return f"the ledger cannot be used ({type(err).__name__}: {err})", EXIT_FAIL
    if isinstance(err, ValueError) and "null byte" in str(err):
        return "a file name or value holds a NUL character", EXIT_USAGE
    if isinstance(err, RecursionError | MemoryError):
        return "the input is too large or nested too deeply to be read", EXIT_USAGE
    return f"unexpected {type(err).__name__}", None


def _os_error(err: OSError) -> str:
    where = f" ({err.filename})" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the disk{where}: {NOT_SAVED}"
    if err.errno == errno.EROFS:
        return f"the disk is read-only{where}: {NOT_SAVED}"
    if err.errno:
        return f"{err.strerror or os.strerror(err.errno)}{where}"
    return f"{type(err).__name__}: {str(err)[:200]}{where}"


def _logged(err: Exception, data_dir: Path) -> str:
    """Append the traceback to the error log; the sentence that points to it."""
    log = data_dir / ERROR_LOG
    try:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now(UTC).isoformat()} pid {os.getpid()}\n")
            out.write("".join(traceback.format_exception(err)))
    except OSError:
        return " (a defect; the details could not be logged)"
    return f" (a defect; details in {log})"
