"""Fixtures the payment tests share with others: the suite's X display (or an Xvfb)."""

from tests.faults.test_sigterm_basket import display  # noqa: F401  (the X display, per module)
