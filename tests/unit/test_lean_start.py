"""`kiosk run` on a till loads only what the till uses: the PDF writer (fpdf, ~45 MB),
the acquirers' HTTP client (httpx, ~18 MB), ed25519 (cryptography, ~9 MB) and MQTT (paho
and ssl, the agent's) load when a command or a setting needs them, and the catalogs are
read without Babel (~6 MB). bench_ui's memory
budget (200 MB after 200 scans) was blown by the till carrying them all."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("fpdf", "httpx", "cryptography", "paho", "babel", "kiosk.cli.report", "kiosk.cli.backup")
PROBE = """
import json, sys
from kiosk.cli.entry import build_parser, subcommands
from kiosk.payments.configured import till_gateway
build_parser(subcommands(sys.argv[1:])).parse_args(sys.argv[1:])
till_gateway({})  # the simulated acquirer, as on simulated hardware
import kiosk.ui.screens.counter, kiosk.ui.screens.self_checkout
from kiosk.ui.i18n import translations
translations("id").gettext("Pay")
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def loaded(*argv: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *argv], check=True,
                          capture_output=True, text=True, timeout=120,
                          env={"KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1",
                               "KIVY_WINDOW": "", "PATH": "/usr/bin:/bin"})  # fmt: skip
    result: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_till_starts_without_the_other_commands_heavy_modules() -> None:
    assert loaded("--data-dir", "/tmp/x", "run", "--mode", "counter") == []


def test_a_usage_error_still_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "frobnicate"], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "'run'" in done.stderr and "'selftest'" in done.stderr and "'report'" in done.stderr
