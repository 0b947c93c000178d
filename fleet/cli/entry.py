"""The entry point of ``fleet``: parse the arguments, run the subcommand; a known failure
ends as a message and an exit code, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fleet.cli.apikey import SUBCOMMAND as APIKEY
from fleet.cli.catalog import SUBCOMMAND as CATALOG
from fleet.cli.common import EXIT_FAIL, EXIT_INTERRUPTED, EXIT_USAGE, Subcommand, UserError, say
from fleet.cli.ingest import SUBCOMMAND as INGEST
from fleet.cli.push import SUBCOMMAND as PUSH
from fleet.cli.report import SUBCOMMAND as REPORT
from fleet.cli.run import SUBCOMMAND as RUN
from fleet.cli.shop import SUBCOMMAND as SHOP
from fleet.cli.user import SUBCOMMAND as USER
from fleet.storage.engine import StorageError

# In the order `fleet --help` lists them.
SUBCOMMANDS: tuple[Subcommand, ...] = (RUN, INGEST, REPORT, USER, APIKEY, SHOP, CATALOG, PUSH)


def build_parser(subcommands: Sequence[Subcommand] = SUBCOMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleet", description="Pi POS fleet service")
    sub = parser.add_subparsers(dest="command", required=True)
    for subcommand in subcommands:
        one = sub.add_parser(subcommand.name, help=subcommand.help)
        subcommand.configure(one)
        one.set_defaults(handler=subcommand.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED
    except (UserError, ValueError) as err:
        say(str(err))
        return EXIT_USAGE
    except StorageError as err:
        say(str(err))
        return EXIT_FAIL
    except OSError as err:
        say(f"{err.strerror or err}")
        return EXIT_FAIL
    return result


if __name__ == "__main__":
    sys.exit(main())
