"""How long the drain waits before it connects again after losing the broker."""

from __future__ import annotations

import random


class Backoff:
    """Exponential backoff with "equal jitter": half the delay fixed, half random, so a
    fleet that lost its broker together does not reconnect in lockstep."""

    def __init__(
        self, initial: float = 1.0, maximum: float = 60.0, rng: random.Random | None = None
    ):
        self.initial, self.maximum = initial, maximum
        self._rng = rng or random.Random()
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self.maximum, self.initial * 2**self.failures)
        self.failures += 1
        return float(ceiling / 2 + self._rng.uniform(0, ceiling / 2))

    def reset(self) -> None:
        self.failures = 0
