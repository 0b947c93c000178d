"""A QR code image (QRIS payload, e-receipt link)."""

from __future__ import annotations

import io
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.properties import StringProperty
from kivy.uix.image import Image


class QrImage(Image):
    """A QR code for a payload (QRIS, e-receipt link), drawn with segno."""

    payload = StringProperty("")

    def on_payload(self, *_: Any) -> None:
        if not self.payload:
            self.texture = None
            return
        import segno

        buffer = io.BytesIO()
        segno.make(self.payload, error="m").save(buffer, kind="png", scale=8, border=2)
        buffer.seek(0)
        self.texture = CoreImage(buffer, ext="png").texture
        self.texture.mag_filter = "nearest"
