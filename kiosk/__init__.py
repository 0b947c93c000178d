"""The Pi POS kiosk."""

__version__ = "0.1.0"
