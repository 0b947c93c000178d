"""``kiosk refunds blocked [--json]``: card and QRIS refund calls whose outcome is not
known, each blocking its share of a refund; ``kiosk refunds resolve CALL_ID --pin PIN
[--verdict refunded|not_refunded]``: a supervisor clears one after the provider is asked
again (``kiosk.services.refund_checks``); the verdict, a manager's, settles one the
provider still cannot confirm. Exit 0 when it is settled, 4 when it is still unknown (or
the acquirer does not list a QRIS refund yet: run it again in a minute), 2
for a refusal (wrong PIN, role too low, no such call)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, UserError, print_json
from kiosk.cli.staff import staff_service
from kiosk.domain.error_codes import english
from kiosk.domain.errors import ShownError
from kiosk.domain.money import format_rupiah
from kiosk.ports import PaymentTerminal
from kiosk.services.refund_checks import VERDICTS, RefundChecks
from kiosk.storage.unit_of_work import SqliteUnitOfWork

STILL_UNKNOWN = 4
NEXT = {
    "refunded": "went back to the {method}: refund the same items again at the counter to"
    " book it (the {method} is not asked again)",
    "released": "never went back: the next refund of these items asks the {method} again,"
    " or pays cash with a supervisor's approval if it refuses",
    "check_again": "is not listed by the acquirer yet (it may still be processing it):"
    " run this again in a minute",
    "still_unknown": "the provider still cannot say: check its records (the terminal's"
    " batch report, the acquirer's dashboard), then a manager gives --verdict",
}


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    blocked = actions.add_parser("blocked", help="refund calls whose outcome is not known")
    blocked.add_argument("--json", action="store_true", help="one JSON document")
    resolve = actions.add_parser("resolve", help="ask the provider again and clear one")
    resolve.add_argument("call_id")
    resolve.add_argument("--pin", required=True, help="a supervisor's PIN")
    resolve.add_argument("--verdict", choices=sorted(VERDICTS),
                         help="a manager's, when the provider cannot say")  # fmt: skip


def run(data_dir: Path, args: argparse.Namespace) -> int:
    kiosk = bootstrap.build(data_dir, with_devices=False)
    try:
        refunds = kiosk.books.refunds

        def terminal() -> PaymentTerminal | None:
            try:  # the till's own run may hold the terminal's port
                return refunds.terminal()
            except OSError as err:
                print(f"kiosk: the card terminal cannot be reached: {err}", file=sys.stderr)
                return None

        checks = RefundChecks(SqliteUnitOfWork(kiosk.ledger), kiosk.clock, terminal,
                              refunds.gateway, refunds.recheck_s)  # fmt: skip
        if args.action == "blocked":
            _blocked(checks, as_json=args.json)
            return 0
        try:
            member = staff_service(data_dir, kiosk.ledger).login_pin(args.pin)
            result = checks.resolve(member, args.call_id, verdict=args.verdict)
        except ShownError as err:  # worded from its code: roles and actions as people say them
            raise UserError(english(err.code, err.params) if err.code else err.message) from err
        print_json(result)
        said = NEXT[result["outcome"]].format(method=result["method"])
        print(f"kiosk: {format_rupiah(result['amount'], 'en')} {said}", file=sys.stderr)
        return STILL_UNKNOWN if result["outcome"] in ("still_unknown", "check_again") else 0
    finally:
        kiosk.close()


def _blocked(checks: RefundChecks, *, as_json: bool) -> None:
    calls = checks.blocked()
    if as_json:
        print_json({"blocked": calls})
        return
    if not calls:
        print("no refund call is blocked")
    for call in calls:
        print(f"{call['call_id']}  receipt {call['receipt_no']}  {call['method']}"
              f"  {format_rupiah(call['amount'], 'en')}  since {call['since']}")  # fmt: skip


SUBCOMMAND = Subcommand("refunds", "card and QRIS refunds blocked by an unknown outcome",
                        configure, run)  # fmt: skip
