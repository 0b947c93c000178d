"""Signs a release for the kiosks: ``python -m fleet.releases sign KEYFILE WHEEL`` writes
``WHEEL.sig``. Make the key with ``python -m fleet.setup_codes new-key``; its ``.pub``
goes into the setup codes (``--release-key``) so each kiosk learns it when provisioned."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from fleet.setup_codes import load_key
from kiosk.contract.release import sign


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3 or args[0] != "sign":
        print("usage: python -m fleet.releases sign KEYFILE WHEEL", file=sys.stderr)
        return 2
    try:
        print(f"signed: {sign(Path(args[2]), load_key(Path(args[1])))}")
    except (OSError, ValueError) as error:
        print(f"releases: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
