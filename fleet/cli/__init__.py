"""`fleet ...`: the command line of the fleet service.

``main`` (fleet/cli/entry.py) builds the parser from one ``Subcommand`` per module, as
``kiosk`` does: to add ``fleet frobnicate``, write ``fleet/cli/frobnicate.py`` with a
``SUBCOMMAND`` and list it in ``entry.SUBCOMMANDS``.
"""

from fleet.cli.entry import main

__all__ = ["main"]
