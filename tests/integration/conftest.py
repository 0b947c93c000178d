"""Shared fixtures for tests against a real mosquitto, and data directories built once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.testing.broker_process import MosquittoProcess


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    """A throwaway mosquitto on a free loopback port (persistence off)."""
    process = MosquittoProcess().start()
    yield process
    process.close()


class Built:
    """Data directories that fixtures make with `kiosk` commands (a process each), made
    once per worker and copied for every test: each test gets its own copy, the same
    files a build of its own would give."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[Callable[[Path], Path], tuple[Path, Path]] = {}

    def copy(self, build: Callable[[Path], Path], into: Path) -> Path:
        """``build(directory)`` makes its files in an empty directory and returns the data
        directory within it; the whole directory is copied into ``into``."""
        if build not in self.made:
            directory = self.root / f"{build.__module__}.{build.__qualname__}"
            directory.mkdir()
            try:
                self.made[build] = directory, build(directory).relative_to(directory)
            except BaseException:
                shutil.rmtree(directory)  # the next test builds again, and fails the same
                raise
        directory, data = self.made[build]
        shutil.copytree(directory, into, symlinks=True, dirs_exist_ok=True)
        return into / data


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("built"))
