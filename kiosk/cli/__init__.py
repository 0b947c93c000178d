"""`kiosk ...`: the command line of the till.

``main`` (kiosk/cli/entry.py) builds the parser from one ``Subcommand`` per module; each
module parses its arguments, calls storage or services, and formats the answer. To add
``kiosk frobnicate``: write ``kiosk/cli/frobnicate.py`` with a ``SUBCOMMAND`` and list it
in ``entry.COMMANDS``.
"""

from kiosk.cli.entry import main

__all__ = ["main"]
