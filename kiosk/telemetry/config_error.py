"""The error of a wrong telemetry setting, apart from ``mqtt_config`` so that catching it
(every ``kiosk`` command does, in ``cli.failures``) does not load paho and ssl."""

from __future__ import annotations


class ConfigError(ValueError):
    """A telemetry setting is missing or wrong; the message names the setting."""
