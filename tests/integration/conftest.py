"""Shared fixtures for tests against a real mosquitto."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.testing.broker_process import MosquittoProcess


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    """A throwaway mosquitto on a free loopback port (persistence off)."""
    process = MosquittoProcess().start()
    yield process
    process.close()
