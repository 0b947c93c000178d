"""The completed sale's wire form, its timestamps and the void counts the Z report and
the fleet read (written for mutants of kiosk.domain.sale that survived the third mutation
run, and for `void_totals` and `iso_utc`, which no domain test called)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.domain.sale import CompletedSale, iso_utc, void_totals
from kiosk.testing.sales import sample_sale


def test_timestamps_are_utc_with_microseconds_and_a_z() -> None:
    jakarta = timezone(timedelta(hours=7))
    assert iso_utc(datetime(2026, 11, 27, 13, 1, 2, 123, tzinfo=jakarta)) == (
        "2026-11-27T06:01:02.000123Z"
    )
    assert iso_utc(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000000Z"


@pytest.fixture
def jakarta_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone set to the shop's, as on a till in Indonesia."""
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("jakarta_machine")
def test_a_local_time_is_written_in_utc_whatever_the_machine_zone() -> None:
    assert iso_utc(datetime(2026, 11, 27, 13, 1, 2)) == "2026-11-27T06:01:02.000000Z"


def test_the_wire_form_carries_what_is_payable_and_its_own_extra() -> None:
    sale = dataclasses.replace(
        sample_sale(2), cash_rounding=-50, extra={"voids": {"count": 1, "amount": 2500}}
    )
    data = sale.to_dict()
    assert data["payable"] == sale.total - 50
    assert data["extra"] == {"voids": {"count": 1, "amount": 2500}}
    data["extra"]["voids"]["count"] = 9  # the outbox may add to its copy
    assert sale.extra["voids"]["count"] == 1
    assert CompletedSale.from_dict(sale.to_dict()) == sale


@pytest.mark.parametrize(
    ("extra", "totals"),
    [
        ({}, (0, 0)),
        ({"voids": {"count": 2, "amount": 7500}}, (2, 7500)),
        ({"voids": {}}, (0, 0)),
        ({"void_count": 3, "void_amount": 9000}, (3, 9000)),
        ({"void_count": 1}, (1, 0)),
        (
            {"voided_lines": [{"amount": 2500}, {"gross": 4000}, {"amount": None}, "junk"]},
            (3, 6500),
        ),
        ({"voided_lines": [{"amount": 2500, "gross": 9999}]}, (1, 2500)),
        ({"voided_lines": [{"sku": "A1"}]}, (1, 0)),
        ({"voids": [1, 2], "void_count": 4, "void_amount": 100}, (4, 100)),
        ({"voided_lines": {"a": 1}, "void_count": 5, "void_amount": 10}, (5, 10)),
    ],
)
def test_voids_are_counted_from_any_of_the_three_forms(
    extra: dict[str, object], totals: tuple[int, int]
) -> None:
    assert void_totals(extra) == totals


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"voids": {"count": "2", "amount": 0}}, "void count must be an int, got '2'"),
        ({"void_count": 1, "void_amount": 2.5}, "void amount must be an int, got 2.5"),
        ({"void_count": True}, "void count must be an int, got True"),
        ({"voids": {"count": 1, "amount": False}}, "void amount must be an int, got False"),
    ],
)
def test_a_void_count_or_amount_that_is_not_an_int_is_refused(
    extra: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        void_totals(extra)
    assert str(caught.value) == message
