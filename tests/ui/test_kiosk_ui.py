"""End-to-end through the real Kivy UI: ``kiosk run --script`` in a subprocess each (one
Kivy app per process), under Xvfb. Scans go in as scanner events, everything else by
touching the real buttons; every step's screen is saved and checked for touch targets
that are too small or cut off (KIOSK_AUDIT). Set KIOSK_UPDATE_DOCS=1 to refresh
docs/screenshots from these runs."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"

TEH_330, TEH_600, ROKOK = "8991000000003", "8991000000010", "8991014000006"
SELF_CHECKOUT = [
    {"type": TEH_330},  # keyboard digits + Enter act as a scanner (make run)
    {"scan": TEH_600},
    {"scan": ROKOK},  # age-restricted: the lane stops until staff approve
    {"sku": "MIN-013"},  # no barcode: found with the on-screen keyboard
    {"void": 2},  # the customer asks; staff confirm with a badge
    {"pay": {"method": "card"}},
]
COUNTER = [
    {"scan": TEH_330},
    {"scan": TEH_600},
    {"qty": 3},
    {"sku": "MIN-013", "qty": 2},
    {"discount": {"line": 1, "percent": 10}},
    {"void": 2},
    {"discount": {"order": True, "amount": 1000}},
    {"pay": {"method": "card", "amount": 10000}},
    {"pay": {"method": "cash", "amount": 10000}},
    {"press": "new_sale"},
    {"press": "reports"},
]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--data-dir", str(data)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    return data


def run_kiosk(
    tmp_path: Path, demo_dir: Path, mode: str, *args: str, size: str = "800x480"
) -> subprocess.CompletedProcess[str]:
    data = tmp_path / "data"
    if not data.exists():
        shutil.copytree(demo_dir, data)
    env = {**os.environ, "KIOSK_WINDOW": size, "KIOSK_AUDIT": "1", "KIVY_NO_ARGS": "1",
           "KIVY_HOME": str(tmp_path / "kivy"), "KIOSK_HARDWARE": "simulated"}  # fmt: skip
    cmd = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data),
           "--hardware", "simulated", "--mode", mode, *args]  # fmt: skip
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            pytest.skip("needs a display or xvfb-run")
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1280x24", *cmd]
    return subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=180)


def play(tmp_path: Path, demo_dir: Path, mode: str, steps: list[dict[str, object]],
         size: str = "800x480") -> tuple[subprocess.CompletedProcess[str], Path]:  # fmt: skip
    script = tmp_path / "script.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    shots = tmp_path / "shots"
    done = run_kiosk(tmp_path, demo_dir, mode, "--script", str(script),
                     "--screenshots", str(shots), size=size)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done, shots


def sales(tmp_path: Path) -> list[dict[str, object]]:
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        return [json.loads(r[0]) for r in db.execute("SELECT body FROM sales ORDER BY rowid")]


def journal(tmp_path: Path, kind: str) -> list[dict[str, object]]:
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        rows = db.execute("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,))
        return [json.loads(r[0]) for r in rows]


def to_docs(shots: Path, pairs: dict[str, str]) -> None:
    if os.environ.get("KIOSK_UPDATE_DOCS") != "1":
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    for source, target in pairs.items():
        shutil.copyfile(shots / source, DOCS / target)


def test_self_checkout_sale_paid_by_card(tmp_path: Path, demo_dir: Path) -> None:
    _, shots = play(tmp_path, demo_dir, "self-checkout", SELF_CHECKOUT)
    (sale,) = sales(tmp_path)
    assert sale["mode"] == "self-checkout"
    assert [(line["sku"], line["qty"]) for line in sale["lines"]] == [
        ("MIN-011", 1), ("ROK-011", 1), ("MIN-013", 1)]  # fmt: skip
    assert [t["method"] for t in sale["tenders"]] == ["card"]
    assert sale["tenders"][0]["amount"] == sale["total"]
    approvals = journal(tmp_path, "intervention_resolved")
    assert [a["kind"] for a in approvals] == ["age_restricted", "void_request"]
    assert all(a["outcome"] == "approved" and a["staff_id"] for a in approvals)
    names = sorted(p.name for p in shots.iterdir())
    assert names[0] == "01-ready.png" and "04-intervention.png" in names
    assert "05-attendant.png" in names and any(n.endswith("-thanks.png") for n in names)
    to_docs(shots, {"01-ready.png": "self-checkout-attract.png",
                    "07-sku.png": "self-checkout-basket.png",
                    "04-intervention.png": "self-checkout-age-check.png",
                    "05-attendant.png": "self-checkout-attendant.png",
                    "10-thanks.png": "self-checkout-thanks.png"})  # fmt: skip


def test_self_checkout_configured_for_cash_takes_notes_and_gives_change(
    tmp_path: Path, demo_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "hardware.devices", json.dumps({"cash_acceptor": {}})],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    _, shots = play(tmp_path, demo_dir, "self-checkout",
                    [{"scan": TEH_330}, {"scan": TEH_600}, {"pay": {"method": "cash"}}])  # fmt: skip
    (sale,) = sales(tmp_path)
    tenders = sale["tenders"]
    assert {t["method"] for t in tenders} == {"cash"}
    given = sum(t["given"] for t in tenders)
    assert given >= sale["payable"] and sale["change"] == given - sale["payable"]
    assert any(n.endswith("-pay.png") for n in sorted(p.name for p in shots.iterdir()))


@pytest.mark.parametrize(
    ("method", "refusal"),
    [("cash", "this self-checkout takes no cash"),  # no cash acceptor in the demo
     ("bitcoin", "a self-checkout pays by qris, card or cash, not 'bitcoin'")],
)  # fmt: skip
def test_self_checkout_without_a_cash_acceptor_offers_no_cash(
    tmp_path: Path, demo_dir: Path, method: str, refusal: str
) -> None:
    script = tmp_path / "cash.jsonl"
    steps = [{"scan": TEH_330}, {"pay": {"method": method}}]
    script.write_text("".join(json.dumps(step) + "\n" for step in steps), encoding="utf-8")
    done = run_kiosk(tmp_path, demo_dir, "self-checkout", "--script", str(script))
    assert done.returncode == 1
    assert f"{script}:2: {refusal}" in done.stderr
    assert sales(tmp_path) == []


def test_counter_sale_with_split_tender(tmp_path: Path, demo_dir: Path) -> None:
    _, shots = play(tmp_path, demo_dir, "counter", COUNTER)
    (sale,) = sales(tmp_path)
    assert sale["mode"] == "counter" and sale["cashier"] == "s1"
    assert [(line["sku"], line["qty"]) for line in sale["lines"]] == [
        ("MIN-011", 1), ("MIN-013", 2)]  # fmt: skip
    assert sale["discount_total"] > 1000
    assert [t["method"] for t in sale["tenders"]] == ["card", "cash"]
    assert sale["change"] == 10_000 + 10_000 - sale["payable"]
    assert journal(tmp_path, "void")[0]["staff"] == "s1"
    assert (shots / "12-press.png").exists()
    to_docs(
        shots,
        {
            "01-ready.png": "counter-login.png",
            "08-discount.png": "counter-sale.png",
            "09-pay.png": "counter-tender.png",
            "10-pay.png": "counter-change.png",
            "12-press.png": "counter-reports.png",
        },
    )


@pytest.mark.parametrize("size", ["480x800", "1280x800", "800x1280"])
@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_every_screen_fits_other_sizes(tmp_path: Path, demo_dir: Path, mode: str,
                                       size: str) -> None:  # fmt: skip
    steps = SELF_CHECKOUT if mode == "self-checkout" else COUNTER
    play(tmp_path, demo_dir, mode, steps, size=size)
    assert len(sales(tmp_path)) == 1


def test_exit_after_ready_reports_the_start_time(tmp_path: Path, demo_dir: Path) -> None:
    done = run_kiosk(tmp_path, demo_dir, "self-checkout", "--exit-after-ready")
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("ready to scan in"))
    assert 0 < float(line.split()[4]) < 30


def test_a_bad_step_names_its_line(tmp_path: Path, demo_dir: Path) -> None:
    script = tmp_path / "bad.jsonl"
    script.write_text('{"scan": "8991000000003"}\n{"sku": "NOPE-1"}\n', encoding="utf-8")
    done = run_kiosk(tmp_path, demo_dir, "counter", "--script", str(script))
    assert done.returncode == 1
    assert f"{script}:2: no product with SKU 'NOPE-1' in the catalog" in done.stderr
    assert sales(tmp_path) == []


PISANG = "8991999000015"  # demo fruit, sold by weight, scanned by its plain barcode
PISANG_LABEL = "2500001012500"  # a scale's weight label: PLU 00001, 1.250 kg


def test_a_weighed_item_scanned_asks_for_the_scale(tmp_path: Path, demo_dir: Path) -> None:
    script = tmp_path / "weighed.jsonl"
    script.write_text(json.dumps({"scan": PISANG}) + "\n", encoding="utf-8")
    done = run_kiosk(tmp_path, demo_dir, "self-checkout", "--script", str(script))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "BasketError" not in done.stderr


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_a_weighed_item_is_sold_by_the_scale(tmp_path: Path, demo_dir: Path, mode: str) -> None:
    pay = {"method": "card"} if mode == "self-checkout" else {"method": "cash", "amount": 100000}
    steps = [{"scan": PISANG}, {"weigh": 1250}, {"scan": PISANG_LABEL}, {"pay": pay}]
    _, shots = play(tmp_path, demo_dir, mode, steps)
    (sale,) = sales(tmp_path)
    weighed, labelled = sale["lines"]  # type: ignore[misc]
    assert weighed["weight_g"] == labelled["weight_g"] == 1250
    assert weighed["amount"] == labelled["amount"] == 35_000
    if mode == "self-checkout":
        to_docs(shots, {"02-scan.png": "self-checkout-weigh.png"})
