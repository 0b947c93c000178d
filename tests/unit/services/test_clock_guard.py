"""The guarded clock keeps a floor: never earlier than the last time the till knew."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.sale import iso_utc
from kiosk.services.checkout import CheckoutService
from kiosk.services.clock_guard import JUMP, GuardedClock
from kiosk.services.replay import ReplayClock, Replayer
from kiosk.storage import clock_floor
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


class Monotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def events(ledger: SqliteLedger) -> list[dict[str, object]]:
    rows = ledger.conn.execute("SELECT payload FROM journal WHERE kind = 'clock_set' ORDER BY seq")
    return [json.loads(r[0]) for r in rows]


def test_a_fresh_till_trusts_the_system_clock(ledger: SqliteLedger) -> None:
    raw = SettableClock(T0)
    clock = GuardedClock(raw, ledger, monotonic=Monotonic())
    assert clock.now() == T0 and clock.synchronised
    assert ledger.clock_floor() == iso_utc(T0)  # remembered


def test_a_clock_behind_the_floor_answers_the_floor_moved_on_and_says_so(
    ledger: SqliteLedger,
) -> None:
    ledger.remember_time(iso_utc(T0), synchronised=True)
    mono = Monotonic()
    raw = SettableClock(T0 - timedelta(days=3 * 365))  # booted without network
    clock = GuardedClock(raw, ledger, monotonic=mono)
    assert clock.now() == T0 and not clock.synchronised
    mono.value += 90
    raw.advance(90)
    assert clock.now() == T0 + timedelta(seconds=90)
    assert clock_floor.synchronised(ledger.conn) is False  # health reads this
    assert clock.status()["synchronised"] is False


def test_setting_the_time_is_journaled_as_a_correction(ledger: SqliteLedger) -> None:
    ledger.remember_time(iso_utc(T0), synchronised=True)
    mono = Monotonic()
    raw = SettableClock(T0 - timedelta(days=3 * 365))
    clock = GuardedClock(raw, ledger, monotonic=mono)
    clock.now()
    mono.value += 60
    raw.at = T0 + timedelta(minutes=1, seconds=30)  # NTP arrived
    assert clock.now() == raw.at and clock.synchronised
    [event] = events(ledger)
    assert event == {"from": iso_utc(T0 + timedelta(minutes=1)), "to": iso_utc(raw.at),
                     "was_synchronised": False}  # fmt: skip
    assert clock_floor.synchronised(ledger.conn) is True


def test_a_jump_forward_while_running_is_journaled_but_a_restart_next_day_is_not(
    ledger: SqliteLedger,
) -> None:
    mono = Monotonic()
    raw = SettableClock(T0)
    clock = GuardedClock(raw, ledger, monotonic=mono)
    clock.now()
    raw.advance(JUMP.total_seconds() - 1)  # wall clock ahead of monotonic, within JUMP
    clock.now()
    assert events(ledger) == []
    raw.advance(24 * 3600)
    assert clock.now() == raw.at
    assert [e["to"] for e in events(ledger)] == [iso_utc(raw.at)]
    # Switched off overnight: a new process sees a later time; that is no correction.
    restarted = GuardedClock(SettableClock(raw.at + timedelta(hours=10)), ledger)
    restarted.now()
    assert len(events(ledger)) == 1


def test_a_replay_clock_set_forward_runs_on_and_stays_synchronised(ledger: SqliteLedger) -> None:
    mono = Monotonic()
    replay = ReplayClock(monotonic=mono)
    guarded = GuardedClock(replay, ledger, monotonic=mono)
    guarded.now()
    at = datetime.now(UTC) + timedelta(days=1)
    replay.set(at)
    mono.value += 10
    assert guarded.now() == at + timedelta(seconds=10) and guarded.synchronised


def test_replay_refuses_an_at_step_back_in_time_or_onto_an_ended_day(
    checkout: CheckoutService,
) -> None:
    clock = checkout.clock
    assert isinstance(clock, SettableClock)  # 10:00 in Jakarta, 2026-11-27
    replayer = Replayer(checkout, on_sale=lambda _sale: None, set_time=lambda at: None)
    with pytest.raises(ValueError, match="business day 2026-11-26 has ended"):
        replayer.step({"at": "2026-11-26T10:00:00+07:00"})
    with pytest.raises(ValueError, match="time does not run back"):
        replayer.step({"at": "2026-11-27T09:59:00+07:00"})
    replayer.step({"at": "2026-11-27T10:00:00+07:00"})  # now is not the past
    replayer.step({"at": "2026-11-28T08:00:00+07:00"})
