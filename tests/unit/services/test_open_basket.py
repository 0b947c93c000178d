"""The open basket on disk: every change kept, offered once at the next start, never a
basket that was sold or parked. Real checkout, ledger and open-basket file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.basket import Basket
from kiosk.domain.catalog import Catalog
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.open_basket import restorable
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.open_basket import FILE_NAME, SqliteOpenBaskets
from kiosk.testing.clock import SettableClock
from tests.unit.services.test_checkout import PRODUCTS, ean


@pytest.fixture
def device_id() -> str:
    return "k1"


def till(tmp_path: Path, ledger: SqliteLedger) -> CheckoutService:
    """A till as bootstrap builds it: the checkout writes its basket to the file."""
    return CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=SettableClock(),
                           config=CheckoutConfig(store_id="s1", device_id="k1"),
                           keeper=SqliteOpenBaskets(tmp_path / FILE_NAME))  # fmt: skip


def restart(tmp_path: Path, ledger: SqliteLedger) -> tuple[SqliteOpenBaskets, Basket | None]:
    store = SqliteOpenBaskets(tmp_path / FILE_NAME)
    return store, restorable(store, ledger)


def test_every_change_is_kept_and_offered_after_a_restart(
    tmp_path: Path, ledger: SqliteLedger
) -> None:
    checkout = till(tmp_path, ledger)
    checkout.scan(ean(1))
    checkout.scan(ean(2))
    checkout.scan(ean(1))  # same line again: qty 2
    checkout.discount_line(2, percent="10")
    checkout.discount_order(amount=500)
    checkout.set_member("M-7")
    checkout.void_line(2)
    kept = checkout.basket.to_dict()
    total = checkout.priced().total
    # no close, no clean-up: as after a kill
    store, basket = restart(tmp_path, ledger)
    assert basket is not None and basket.to_dict() == kept
    again = CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=SettableClock(),
                            config=CheckoutConfig(store_id="s1", device_id="k1"),
                            keeper=store)  # fmt: skip
    again.reopen(basket)
    assert again.priced().total == total and again.basket.basket_id == kept["basket_id"]
    again.scan(ean(2))  # carries on; and is kept again
    assert restart(tmp_path, ledger)[1] is not None


def test_a_sold_basket_is_not_offered_even_if_the_clean_up_was_lost(
    tmp_path: Path, ledger: SqliteLedger
) -> None:
    checkout = till(tmp_path, ledger)
    checkout.scan(ean(1))
    checkout.pay_cash(10_000)
    sale = checkout.complete()
    assert restart(tmp_path, ledger)[1] is None  # the normal case: dropped after the sale
    # A crash between the commit and the drop: the row is still there, with the sale id.
    checkout.scan(ean(2))
    keeper = checkout.keeper
    assert keeper is not None
    keeper.drop = lambda basket_id: None  # type: ignore[method-assign]
    checkout.pay_cash(20_000)
    second = checkout.complete()
    assert second.sale_id != sale.sale_id
    store, basket = restart(tmp_path, ledger)
    assert basket is None and store.latest() is None  # and it is cleared for good


def test_parked_empty_and_unreadable_baskets_are_not_offered(
    tmp_path: Path, ledger: SqliteLedger
) -> None:
    checkout = till(tmp_path, ledger)
    checkout.scan(ean(1))
    checkout.suspend("later")
    assert restart(tmp_path, ledger)[1] is None
    checkout.scan(ean(2))
    checkout.void_line(1)  # everything voided: nothing to offer
    assert restart(tmp_path, ledger)[1] is None
    damaged = tmp_path / FILE_NAME
    for suffix in ("", "-wal", "-shm"):
        Path(f"{damaged}{suffix}").unlink(missing_ok=True)
    damaged.write_bytes(b"this is not a database" * 100)
    store, basket = restart(tmp_path, ledger)  # the till still starts
    assert basket is None and (tmp_path / (FILE_NAME + ".damaged")).exists()
    store.close()


def test_a_scan_writes_one_line_not_the_basket(tmp_path: Path, ledger: SqliteLedger) -> None:
    checkout = till(tmp_path, ledger)
    for _ in range(20):
        checkout.scan(ean(1))
        checkout.scan(ean(2))
    store = SqliteOpenBaskets(tmp_path / FILE_NAME)
    statements: list[str] = []
    keeper = checkout.keeper
    assert isinstance(keeper, SqliteOpenBaskets)
    keeper._db.set_trace_callback(statements.append)
    checkout.scan(ean(1))
    writes = [s for s in statements if s.startswith(("INSERT", "DELETE", "UPDATE", "BEGIN"))]
    assert len(writes) == 1 and writes[0].count(") VALUES (") == 1  # one statement
    assert "), (" not in writes[0]  # with one row: the line that changed
    store.close()


def test_the_basket_is_synced_once_the_scans_pause_and_only_then(
    tmp_path: Path, ledger: SqliteLedger
) -> None:
    checkout = till(tmp_path, ledger)
    keeper = checkout.keeper
    assert isinstance(keeper, SqliteOpenBaskets)
    assert not keeper.sync_if_quiet(0.0)  # nothing kept yet
    checkout.scan(ean(1))
    assert not keeper.sync_if_quiet(3600.0)  # still scanning: no fsync on the scan path
    assert keeper.sync_if_quiet(0.0)
    assert not keeper.sync_if_quiet(0.0)  # nothing new since
    checkout.scan(ean(2))
    assert keeper.sync_if_quiet(0.0)
    checkout.abandon("test")  # a dropped basket is a change too
    assert keeper.sync_if_quiet(0.0)
    keeper.close()


def test_the_till_syncs_its_open_basket(tmp_path: Path) -> None:
    from kiosk import bootstrap

    (tmp_path / "data").mkdir()
    kiosk = bootstrap.build(tmp_path / "data", hardware="simulated", with_devices=False)
    try:
        keeper = kiosk.checkout.keeper
        assert isinstance(keeper, SqliteOpenBaskets)  # as the till runs
        assert not kiosk.sync_open_basket(0.0)
        keeper.keep(kiosk.checkout.basket)  # the empty catalog has nothing to scan
        assert not kiosk.sync_open_basket(3600.0)
        assert kiosk.sync_open_basket(0.0)
    finally:
        kiosk.close()
