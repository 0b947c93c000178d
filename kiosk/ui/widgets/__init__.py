"""The few widgets every screen is built from, one module per kind, styled in widgets.kv.

Every widget module is imported here because Kivy registers a widget class with its
Factory when the class is created, and the kv rules (ours and the screens') name them.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from kiosk.ui.widgets import basket, buttons, chart, keys, overlay, qr

KV = Path(__file__).with_name("widgets.kv")
WIDGET_MODULES = (basket, buttons, chart, keys, overlay, qr)


def load() -> None:
    Builder.load_file(str(KV))
