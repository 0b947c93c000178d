"""The setup codes for a store's kiosks: one signed code per kiosk (its own broker login),
printed as a QR code sheet and written as ``kiosk-setup.txt`` files for USB sticks.

    python -m fleet.setup_codes new-key KEYFILE
    python -m fleet.setup_codes store --key KEYFILE --store S --devices k1 k2 \\
        --broker-host mqtt.example --out DIR [--release-key release.pub]

The private setup key stays on the fleet host; its ``.pub`` goes into the image
(``/etc/kiosk/setup.pub``) so kiosks accept only this fleet's codes. ``credentials.csv``
lists the broker logins to add to the broker.
"""

from __future__ import annotations

import argparse
import csv
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from kiosk.contract.setup_code import (
    Broker,
    SetupCode,
    SetupCodeError,
    decode,
    encode,
    load_public_key,
    public_key_text,
)


def new_key(path: Path) -> Path:
    """A new setup key: ``path`` (private, PEM, mode 0600) and ``path.pub`` (for images)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    path.touch(mode=0o600, exist_ok=False)
    path.write_bytes(pem)
    public = path.with_name(path.name + ".pub")
    public.write_text(public_key_text(key.public_key()) + "\n", encoding="ascii")
    return public


def load_key(path: Path) -> Ed25519PrivateKey:
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SetupCodeError(f"{path} is not an ed25519 private key")
    return key


def store_codes(
    key: Ed25519PrivateKey, store_id: str, device_ids: Sequence[str], broker: Broker, *,
    timezone: str, release_key: str = "",
) -> dict[str, str]:  # fmt: skip
    """device id -> signed setup code; each kiosk gets its own broker password unless one
    is given (the username is the device id when none is given)."""
    issued = datetime.now(UTC).isoformat(timespec="seconds")
    codes = {}
    for device_id in device_ids:
        login = Broker(broker.host, broker.port, broker.username or device_id,
                       broker.password or secrets.token_urlsafe(18), broker.tls)  # fmt: skip
        code = SetupCode(store_id, device_id, login, timezone, release_key, issued)
        codes[device_id] = encode(code, key)
    return codes


def write_sheet(out: Path, store_id: str, codes: dict[str, str]) -> Path:
    """``setup-<store>.html`` (one QR per kiosk, for printing), a ``kiosk-setup.txt`` per
    kiosk for a USB stick, and ``credentials.csv`` for the broker."""
    out.mkdir(parents=True, exist_ok=True)
    cards = []
    for device_id, text in codes.items():
        svg = segno.make(text, error="m", micro=False).svg_inline(scale=3, border=4)
        cards.append(f"<section><h2>{escape(store_id)} / {escape(device_id)}</h2>{svg}"
                     "<p>Scan on the kiosk's setup screen. Keep this sheet locked away: it "
                     "holds the kiosk's broker password.</p></section>")  # fmt: skip
        folder = out / device_id
        folder.mkdir(exist_ok=True)
        (folder / "kiosk-setup.txt").write_text(text + "\n", encoding="ascii")
    sheet = out / f"setup-{store_id}.html"
    sheet.write_text("<!doctype html><meta charset=utf-8><title>Setup codes</title>"
                     "<style>section{page-break-inside:avoid;margin:2em}</style>"
                     + "".join(cards), encoding="utf-8")  # fmt: skip
    return sheet


def write_credentials(out: Path, codes: dict[str, str]) -> Path:
    path = out / "credentials.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["device_id", "username", "password"])
        for device_id, text in codes.items():
            broker = decode(text, None).broker
            writer.writerow([device_id, broker.username, broker.password])
    path.chmod(0o600)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet.setup_codes")
    sub = parser.add_subparsers(dest="action", required=True)
    key = sub.add_parser("new-key", help="make a setup key pair")
    key.add_argument("path", type=Path)
    store = sub.add_parser("store", help="setup codes for a store's kiosks")
    store.add_argument("--key", type=Path, required=True)
    store.add_argument("--store", required=True)
    store.add_argument("--devices", nargs="+", required=True)
    store.add_argument("--broker-host", required=True)
    store.add_argument("--broker-port", type=int, default=8883)
    store.add_argument("--no-tls", action="store_true")
    store.add_argument("--timezone", default="Asia/Jakarta")
    store.add_argument("--release-key", type=Path, help="the release signing key's .pub")
    store.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.action == "new-key":
            print(f"public key for the image: {new_key(args.path)}")
            return 0
        release = ""
        if args.release_key:
            release = public_key_text(load_public_key(args.release_key.read_text("ascii")))
        broker = Broker(args.broker_host, args.broker_port, tls=not args.no_tls)
        codes = store_codes(load_key(args.key), args.store, args.devices, broker,
                            timezone=args.timezone, release_key=release)  # fmt: skip
    except (OSError, ValueError) as error:  # SetupCodeError is a ValueError
        print(f"setup codes: {error}", file=sys.stderr)
        return 2
    print(f"sheet: {write_sheet(args.out, args.store, codes)}")
    print(f"broker logins: {write_credentials(args.out, codes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
