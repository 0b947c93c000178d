"""`kiosk backup` and `kiosk restore` on real ledgers: an online copy taken while another
process is selling, verified with the journal check, N copies kept; a restore that checks
the backup first and refuses a tampered or truncated one, leaving the ledger as it was."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.appliance.backup import BackupError, Checked, backup, check
from tests.appliance.cli import kiosk

TEH = "8991000000003"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("shop") / "data"
    done = kiosk(data, "demo-data", "--days", "1", "--per-day", "40")
    assert done.returncode == 0, done.stderr
    return data


def copy_of(shop: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(shop, data)
    return data


def sales(ledger: Path) -> int:
    with sqlite3.connect(ledger) as conn:
        return int(conn.execute("SELECT count(*) FROM sales").fetchone()[0])


def sell(data: Path, tmp_path: Path, count: int) -> subprocess.Popen[str]:
    script = tmp_path / "sell.jsonl"
    step = json.dumps({"scan": TEH}) + "\n" + json.dumps({"pay": {"method": "cash"}}) + "\n"
    script.write_text(step * count, encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data), "replay",
                             str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def test_an_online_backup_while_selling_is_complete_and_verified(
    shop: Path, tmp_path: Path
) -> None:
    data = copy_of(shop, tmp_path)
    seller = sell(data, tmp_path, 300)
    done = kiosk(data, "backup", "--to", str(tmp_path / "backups"))
    out, err = seller.communicate(timeout=120)
    assert seller.returncode == 0, err
    assert done.returncode == 0, done.stderr
    copies = list((tmp_path / "backups").iterdir())
    assert len(copies) == 1 and copies[0].name.startswith("ledger-")  # no -wal, no .partial
    records = check(copies[0])
    assert f"backup ok: {copies[0]} ({records} journal records" in done.stdout
    # The copy is a consistent moment between sales: the demo sales plus some of the 300.
    base = sales(shop / "ledger.sqlite")
    assert base <= sales(copies[0]) <= base + 300 == sales(data / "ledger.sqlite")
    assert len(out.splitlines()) == 300


def test_only_the_newest_copies_are_kept(shop: Path, tmp_path: Path) -> None:
    start = datetime(2026, 11, 1, 2, 30, tzinfo=UTC)
    for day in range(5):
        backup(shop, tmp_path, keep=3, now=start + timedelta(days=day))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ledger-20261103T023000Z.sqlite",
        "ledger-20261104T023000Z.sqlite",
        "ledger-20261105T023000Z.sqlite",
    ]


def tamper(ledger: Path) -> int:
    """Edit the first sale's journal record (demo data journals its catalog, stock and
    members first); returns its seq."""
    with sqlite3.connect(ledger) as conn:
        seq = int(conn.execute("SELECT min(seq) FROM journal WHERE kind = 'sale'").fetchone()[0])
        conn.execute("UPDATE journal SET payload = replace(payload, '\"total\"', '\"totaI\"')"
                     " WHERE seq = ?", (seq,))  # fmt: skip
    return seq


def test_a_ledger_whose_journal_is_broken_is_not_kept_as_a_backup(
    shop: Path, tmp_path: Path
) -> None:
    data = copy_of(shop, tmp_path)
    seq = tamper(data / "ledger.sqlite")
    done = kiosk(data, "backup", "--to", str(tmp_path / "backups"))
    assert done.returncode == 2 and "backup failed, nothing kept" in done.stderr
    assert f"journal broken at record {seq}" in done.stderr
    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_puts_a_checked_backup_back_and_keeps_the_old_ledger(
    shop: Path, tmp_path: Path
) -> None:
    data = copy_of(shop, tmp_path)
    saved = backup(data, tmp_path / "backups").path
    seller = sell(data, tmp_path, 5)
    seller.communicate(timeout=60)
    assert seller.returncode == 0
    base = sales(shop / "ledger.sqlite")
    assert sales(data / "ledger.sqlite") == base + 5
    done = kiosk(data, "restore", str(saved))
    assert done.returncode == 0, done.stderr
    assert sales(data / "ledger.sqlite") == base
    assert kiosk(data, "journal", "verify").returncode == 0
    kept = list(data.glob("ledger.sqlite.before-restore-*Z"))
    assert len(kept) == 1 and sales(kept[0]) == base + 5


@pytest.mark.parametrize("damage", ["tampered", "truncated", "not a database"])
def test_restore_refuses_a_broken_backup_and_changes_nothing(
    shop: Path, tmp_path: Path, damage: str
) -> None:
    data = copy_of(shop, tmp_path)
    bad = backup(data, tmp_path / "backups").path
    if damage == "tampered":
        tamper(bad)
    elif damage == "truncated":
        bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    else:
        bad.write_text("hello", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    done = kiosk(data, "restore", str(bad))
    assert done.returncode == 2 and "restore refused, the ledger is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    with pytest.raises(BackupError):
        check(bad)


def test_a_backup_finishes_while_another_connection_commits_continuously(
    shop: Path, tmp_path: Path
) -> None:
    """A copy made page-step by page-step restarts on every commit from another
    connection and never finishes on a busy till; one WAL snapshot does not."""
    data = copy_of(shop, tmp_path)
    with sqlite3.connect(data / "ledger.sqlite") as conn:  # a ledger of months: 40 MB more
        conn.execute("CREATE TABLE filler (b BLOB)")
        conn.executemany("INSERT INTO filler VALUES (randomblob(4000))", [()] * 10000)
    stop = threading.Event()
    commits: list[float] = []

    def till() -> None:
        conn = sqlite3.connect(data / "ledger.sqlite", isolation_level=None, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS busy (x)")
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO busy VALUES (1)")
            conn.execute("COMMIT")
            commits.append(time.monotonic())
            time.sleep(0.002)
        conn.close()

    worker = threading.Thread(target=till)
    worker.start()
    try:
        while len(commits) < 20:
            time.sleep(0.01)
        result: list[Checked] = []
        copier = threading.Thread(
            target=lambda: result.append(backup(data, tmp_path / "backups")), daemon=True
        )
        started = time.monotonic()
        copier.start()
        copier.join(60)
        finished = time.monotonic()
    finally:
        stop.set()
        worker.join(10)
    assert result, "the backup did not finish in 60 s while the till was committing"
    assert any(started < c < finished for c in commits)  # the till was committing meanwhile
    assert result[0].records == check(result[0].path)
