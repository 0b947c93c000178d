"""Fixtures of the presenter tests live in ui_pieces (shared with the services tests)."""

from tests.unit.ui.ui_pieces import (  # noqa: F401
    catalog,
    checkout,
    effects,
    lane,
    ledger,
    lights,
    members,
    staff,
)
