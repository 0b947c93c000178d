"""The first-boot screen: "scan your setup code" until the kiosk is provisioned.

Shown by ``kiosk run`` instead of the till when the image asks for a setup
(``KIOSK_REQUIRE_SETUP=1``) and the data directory has none. A setup code comes from a
2D scanner in keyboard mode (its keystrokes end with Enter) or from ``kiosk-setup.txt``
on a USB stick, polled every two seconds. Once applied, the app exits (code 0) and
systemd starts the till with the new settings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Protocol

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.contract.setup_code import SetupCodeError
from kiosk.ui import systemd_link, theme
from kiosk.ui.i18n import Language

log = logging.getLogger(__name__)
MAX_CODE = 4096
ENTER_KEYS = (13, 271)
USB_POLL_S = 2.0


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    """Marks a message for the catalogs; translated where it is shown."""
    return message


REFUSED = {  # ProvisionError.kind -> what the person should do
    "not_a_code": N_("This is not a setup code. Scan the code on your setup sheet."),
    "damaged": N_("The setup code did not read completely. Scan it again."),
    "not_trusted": N_("This setup code is not from your shop's system. Ask for a new sheet."),
    "invalid": N_("This setup code cannot be used. Ask for a new sheet."),
}


class Provisioned(Protocol):
    @property
    def store_id(self) -> str: ...
    @property
    def device_id(self) -> str: ...


class Hooks(Protocol):
    def provision(self, text: str) -> Provisioned: ...
    def setup_file_text(self) -> str | None: ...


def both(message: str) -> str:
    return "\n".join(dict.fromkeys(Language(lang)._(message) for lang in ("id", "en")))


class SetupApp(App):
    def __init__(self, hooks: Hooks, screenshots: Path | None = None) -> None:
        super().__init__()
        self.hooks = hooks
        self.screenshots = screenshots
        self.exit_code = 1
        self.title = "Kiosk setup"
        self._typed: list[str] = []
        self._last_file: str | None = None

    def build(self) -> Any:
        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_key_down=self._key, on_request_close=lambda *_a, **_k: True)
        box = BoxLayout(orientation="vertical", padding=40, spacing=24)
        self.heading = Label(text=both("Scan your setup code"), font_size="34sp",
                             color=theme.TEXT, halign="center", bold=True)  # fmt: skip
        self.hint = Label(text=both("Or plug in the USB stick with the setup file."),
                          font_size="20sp", color=theme.MUTED, halign="center")  # fmt: skip
        self.status = Label(text="", font_size="20sp", color=theme.ERROR, halign="center")
        for label in (self.heading, self.hint, self.status):
            label.bind(size=lambda lbl, size: setattr(lbl, "text_size", size))
            label.valign = "middle"
            box.add_widget(label)
        Clock.schedule_once(lambda _dt: Window.bind(on_flip=self._first_frame), 0)
        self._poll = Clock.schedule_interval(self._check_usb, USB_POLL_S)
        return box

    def _first_frame(self, *_: Any) -> None:
        Window.unbind(on_flip=self._first_frame)
        systemd_link.LINK.ready("waiting for a setup code")
        log.warning("waiting for a setup code")
        if self.screenshots is not None:
            self.screenshots.mkdir(parents=True, exist_ok=True)
        Clock.schedule_once(lambda _dt: self._shot("setup-scan-code.png"), 0.2)

    def _shot(self, name: str) -> None:
        if self.screenshots is None:
            return
        target = self.screenshots / name
        made = Window.screenshot(name=str(target))  # Kivy numbers the file: rename it
        if made and Path(made) != target:
            os.replace(made, target)

    def _key(self, _w: Any, key: int, _sc: int, text: str | None, _mods: list[str]) -> bool:
        if key in ENTER_KEYS:
            typed, self._typed = "".join(self._typed).strip(), []
            if typed:
                self.apply(typed)
        elif text and len(text) == 1 and text.isprintable() and len(self._typed) < MAX_CODE:
            self._typed.append(text)
        return True  # no shortcut leads out of the setup screen

    def _check_usb(self, _dt: float) -> None:
        try:
            text = self.hooks.setup_file_text()
        except Exception as error:  # an unreadable stick: say so, keep waiting
            text = None
            self._refused(error)
        if text is not None and text != self._last_file:
            self._last_file = text
            self.apply(text)

    def apply(self, text: str) -> None:
        try:
            done = self.hooks.provision(text)
        except Exception as error:  # ProvisionError; anything else must not kill the screen
            self._refused(error)
            return
        self.status.color = theme.OK
        self.status.text = both("Set up. Starting the till...") + (
            f"\n{done.store_id} / {done.device_id}"
        )
        log.warning("provisioned: store %s, device %s", done.store_id, done.device_id)
        self._poll.cancel()
        self.exit_code = 0
        Clock.schedule_once(lambda _dt: self._shot("setup-done.png"), 0.3)
        Clock.schedule_once(lambda _dt: self.stop(), 2.0)

    def _refused(self, error: Exception) -> None:
        """A refused code (``SetupCodeError``, the appliance's ``ProvisionError``) says
        why by its kind; any other failure gets the generic refusal."""
        kind = error.kind if isinstance(error, SetupCodeError) else "invalid"
        self.status.color = theme.ERROR
        self.status.text = both(REFUSED.get(kind, REFUSED["invalid"]))
        log.warning("setup code refused (%s): %s", kind, error)
        Clock.schedule_once(lambda _dt: self._shot("setup-refused.png"), 0.3)

    def on_stop(self) -> None:
        systemd_link.LINK.stopping()
