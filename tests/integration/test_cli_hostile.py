"""No tracebacks: every ``kiosk`` command, fed hostile files, values and scripts, ends
with a message and an exit code.

The named cases of the issue run ``kiosk`` as a subprocess, as a shop owner would; the
hypothesis cases call ``kiosk.cli.main`` in this process (hundreds of examples in
seconds). Either way a case fails on a traceback, and also on a defect that the
top-level catch hid in ``kiosk-errors.log``: every failure must have its own message.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.cli.failures import ERROR_LOG
from kiosk.storage.settings import SCHEMA

if TYPE_CHECKING:
    from tests.integration.conftest import Built

INT64_MAX = 2**63 - 1
TEH = "8991000000010"
CATALOG = f"sku,barcode,name,price,category\nTEH,{TEH},Teh Botol,5000,Minuman\n"
PASSWORD = "s3cret-Hunter2"


def kiosk(data: Path, *args: str, code: str = "") -> subprocess.CompletedProcess[str]:
    """``kiosk ARGS`` in a child; ``code`` runs first in the child (an injected fault)."""
    launcher = f"import sys\n{code}\nfrom kiosk.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", launcher, "--data-dir", str(data), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def ends_with_a_message(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    assert result.stderr.startswith("kiosk: ") and text in result.stderr, result.stderr


def till(directory: Path) -> Path:
    data = directory / "dev"
    (directory / "cat.csv").write_text(CATALOG, encoding="utf-8")
    assert kiosk(data, "catalog", "import", str(directory / "cat.csv")).returncode == 0
    return data


@pytest.fixture
def data(built: Built, tmp_path: Path) -> Path:
    return built.copy(till, tmp_path)


# -- the named cases, as subprocesses ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("big.csv", f"sku,barcode,name,price,category\nX,,Kopi,{INT64_MAX},x\n",
         "big.csv:2: price: '9223372036854775807' is too large"),
        ("big.json", f'[{{"sku":"X","barcode":"","name":"Kopi","price":{INT64_MAX},"category":"x"}}]',
         "big.json:1: price: is more than the limit of Rp100.000.000"),
        ("e20.json", '[{"sku":"X","barcode":"","name":"Kopi","price":1e20,"category":"x"}]',
         "price: must be whole rupiah, not a fractional number"),
        ("field.csv", "sku,barcode,name,price,category\nX,," + "K" * 1_000_000 + ",1000,x\n",
         "field.csv:2: not readable as CSV: a field is far longer than 256 characters"),
        ("deep.json", "[" * 200_000 + "]" * 200_000, "deep.json:1: nests deeper than 16 levels"),
        ("nul.csv", "sku,barcode,name,price,category\nX,,Ko\x00pi,1000,x\n",
         "name: holds a control character (U+0000)"),
        ("list.json", '[{"sku":"X","barcode":"","name":["Kopi"],"price":1000,"category":"x"}]',
         "name: must be text, not a list"),
        ("mixed.csv", 'sku,barcode,name,price,category\nX,,Kopi,"1,000.500",x\n',
         "it mixes . and , as separators"),
        ("arabic.csv", "sku,barcode,name,price,category\nX,,Kopi,\u0661\u0660\u0660\u0660,x\n",
         "use the digits 0-9"),
    ],
)  # fmt: skip
def test_hostile_catalog_files(
    data: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    ends_with_a_message(kiosk(data, "catalog", "import", str(path)), 2, message)
    assert "X," not in kiosk(data, "catalog", "export").stdout  # nothing imported


def test_cash_tendered_beyond_the_limit_is_refused_and_reports_still_add_up(
    data: Path, tmp_path: Path
) -> None:
    script = tmp_path / "s.jsonl"
    script.write_text(
        json.dumps({"scan": TEH}) + "\n"
        + json.dumps({"pay": {"method": "cash", "amount": INT64_MAX}}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = kiosk(data, "replay", str(script))
    ends_with_a_message(
        result, 2, "s.jsonl:2: Cash given is above this till's limit of Rp100.000.000"
    )
    assert result.stdout == ""  # no sale committed
    for kind in ("x", "z"):
        report = kiosk(data, "report", kind, "--json")
        assert report.returncode == 0 and json.loads(report.stdout)["transactions"] == 0


def test_a_settings_file_that_is_a_directory(tmp_path: Path) -> None:
    data = tmp_path / "dev"
    (data / "settings.json").mkdir(parents=True)
    for args in (("settings", "show"), ("settings", "set", "store_id", "s2"), ("stock",)):
        ends_with_a_message(kiosk(data, *args), 2, "settings.json is unreadable")


def test_replay_when_both_settings_files_are_bad(data: Path, tmp_path: Path) -> None:
    (data / "settings.json").write_text("{bad", encoding="utf-8")
    (data / "settings.json.bak").write_text("[" * 100_000, encoding="utf-8")
    script = tmp_path / "s.jsonl"
    script.write_text(json.dumps({"scan": TEH}) + "\n", encoding="utf-8")
    ends_with_a_message(kiosk(data, "replay", str(script)), 2, "repair or remove them")
    ends_with_a_message(kiosk(data, "run", "--exit-after-ready"), 2, "repair or remove them")


DISK_FULL_ON_FSYNC = """
import errno, os
def _full(fd): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.fsync = _full
"""
DISK_FULL_IN_SQLITE = """
import sqlite3
from kiosk.storage.ledger import SqliteLedger
def _full(*args, **kwargs): raise sqlite3.OperationalError("database or disk is full")
SqliteLedger.adjust_stock = _full
"""


def test_a_full_disk_during_settings_set_keeps_the_old_value(data: Path) -> None:
    assert kiosk(data, "settings", "set", "store_id", "before").returncode == 0
    result = kiosk(data, "settings", "set", "store_id", "after", code=DISK_FULL_ON_FSYNC)
    ends_with_a_message(result, 1, "no space left on the disk")
    assert "the change was not saved" in result.stderr
    assert kiosk(data, "settings", "get", "store_id").stdout.strip() == "before"
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]  # no debris


def test_a_full_disk_during_stock_adjust(data: Path) -> None:
    result = kiosk(
        data, "stock", "adjust", "TEH", "5", "--reason", "count", code=DISK_FULL_IN_SQLITE
    )
    ends_with_a_message(result, 1, "the disk holding the ledger is full: the change was not saved")
    assert kiosk(data, "stock", "show", "TEH").stdout.split() == ["TEH", "0"]


def test_secret_values_never_reach_an_error_message(data: Path) -> None:
    assert kiosk(data, "settings", "set", "broker.password", PASSWORD).returncode == 0
    settings_file = data / "settings.json"
    stored = json.loads(settings_file.read_text(encoding="utf-8"))
    stored["settings"]["1"]["broker.password"] = [PASSWORD]  # damaged: a list, not text
    settings_file.write_text(json.dumps(stored), encoding="utf-8")
    (data / "settings.json.bak").unlink(missing_ok=True)
    for args in (("settings", "show"), ("report", "x"), ("settings", "get", "broker.password")):
        result = kiosk(data, *args)
        assert PASSWORD not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    secret = SCHEMA["broker.password"]
    assert secret.secret


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stock", "adjust", "TEH", "\u0661\u0662", "--reason", "r"), "digits 0-9"),
        (("stock", "adjust", "TEH", str(10**30), "--reason", "r"), "digits 0-9"),
        (("stock", "adjust", "TEH", "2000000", "--reason", "r"), "from -1,000,000 to 1,000,000"),
        (("demo-data", "--days", "99999999999"), "from 0 to 3,660"),
        (("settings", "set", "broker.port", "\u0661\u0668\u0668\u0663"), "not allowed"),
        (("settings", "set", "barcodes.variable", "[" * 50_000), "nests deeper than 16"),
        (("settings", "set", "limits.max_price", str(INT64_MAX)), "not allowed"),
    ],
)  # fmt: skip
def test_hostile_values_on_the_command_line(
    data: Path, args: tuple[str, ...], message: str
) -> None:
    result = kiosk(data, *args)
    assert "Traceback" not in result.stderr and result.returncode == 2
    assert message in result.stderr, result.stderr


def test_a_data_directory_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    ends_with_a_message(kiosk(path, "outbox"), 2, "as the data directory: File exists")


def test_a_defect_shows_a_short_message_and_logs_the_traceback(data: Path) -> None:
    code = (
        "from kiosk.storage import reports\n"
        f"def _boom(*a, **k): raise KeyError({PASSWORD!r})\n"
        "reports.day_report = _boom"
    )
    result = kiosk(data, "report", "z", code=code)
    ends_with_a_message(result, 1, "unexpected KeyError (a defect; details in")
    assert PASSWORD not in result.stderr
    assert "Traceback" in (data / ERROR_LOG).read_text(encoding="utf-8")
    assert (data / ERROR_LOG).stat().st_mode & 0o077 == 0


# -- hypothesis: generated files, values and scripts, in process -------------------------

HOSTILE = settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
_json = st.recursive(
    _scalars, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
    max_leaves=10,
)  # fmt: skip
_step_names = st.sampled_from(
    ["scan", "sku", "qty", "void", "discount", "pay", "suspend", "resume", "keys", "at", "x"]
)
_steps = st.one_of(
    st.builds(lambda k, v: {k: v}, _step_names, _json),
    st.builds(lambda v: {"pay": {"method": "cash", "amount": v}}, _json),
    st.builds(lambda v: {"sku": "TEH", "qty": v}, _json),
    _json,
)


@pytest.fixture
def hostile_dir(data: Path) -> Iterator[Path]:
    yield data
    log = data / ERROR_LOG
    assert not log.exists(), log.read_text(encoding="utf-8")


def in_process(data: Path, *args: str) -> int:
    try:
        return main(["--data-dir", str(data), *args])
    except SystemExit as stop:  # argparse refusing an argument: a usage message
        assert stop.code == 2
        return 2


def no_defect(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    log = data / ERROR_LOG
    assert not log.exists(), log.read_text(encoding="utf-8")[-3000:]


@HOSTILE
@given(lines=st.lists(_steps.map(json.dumps) | st.text(max_size=40), max_size=8))
def test_generated_replay_scripts(
    hostile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str]
) -> None:
    script = tmp_path / "gen.jsonl"
    script.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    assert in_process(hostile_dir, "replay", str(script)) in (0, 2)
    no_defect(hostile_dir, capsys)


@HOSTILE
@given(
    content=st.one_of(
        _json.map(json.dumps),
        st.lists(st.lists(st.text(max_size=10), max_size=6), max_size=4).map(
            lambda rows: "sku,barcode,name,price,category\n" + "\n".join(",".join(r) for r in rows)
        ),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    ),
    suffix=st.sampled_from([".csv", ".json"]),
)
def test_generated_catalog_files(
    hostile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, suffix: str
) -> None:
    path = tmp_path / f"gen{suffix}"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    assert in_process(hostile_dir, "catalog", "import", str(path)) in (0, 2)
    no_defect(hostile_dir, capsys)


_text_arg = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
)


@HOSTILE
@given(
    args=st.one_of(
        st.tuples(st.just("settings"), st.just("set"), st.sampled_from(sorted(SCHEMA)), _text_arg),
        st.tuples(st.just("settings"), st.just("get"), _text_arg),
        st.tuples(st.just("stock"), st.just("adjust"), _text_arg, _text_arg, st.just("--reason"), _text_arg),
        st.tuples(st.just("stock"), st.just("show"), _text_arg),
        st.tuples(st.just("report"), st.sampled_from(["x", "z"]), st.just("--date"), _text_arg),
        st.tuples(st.just("qris"), st.just("parse"), _text_arg),
        st.tuples(st.just("qris"), st.just("dynamic"), _text_arg, st.just("--amount"), _text_arg),
        st.tuples(st.just("demo-data"), st.just("--days"), _text_arg.filter(lambda t: not t.strip().isdigit())),
        st.tuples(st.just("journal"), st.just("verify")),
        st.tuples(st.sampled_from(["outbox", "sync"])),
        st.tuples(st.just("devices"), st.just("--json")),
    )
)  # fmt: skip
def test_generated_command_values(
    hostile_dir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code = in_process(hostile_dir, *args)
    assert code in (0, 1, 2)
    no_defect(hostile_dir, capsys)


def test_a_ledger_from_before_the_bounds_still_sells_and_reports_say_why(
    data: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        conn.execute(
            "INSERT INTO products(sku, name, price, category, unit, tax_class, tax_rate_percent,"
            " age_restricted, active, sold_by_weight, updated_at) VALUES ('BIG', 'Mahal', ?,"
            " '', 'pcs', 'standard', NULL, 0, 1, 0, '2026-01-01T00:00:00Z')",
            (INT64_MAX,),
        )
        conn.executemany(
            "INSERT INTO sales(sale_id, device_id, receipt_no, business_date, created_at, total,"
            " discount_total, gross, cash_rounding, change, cashier, member_id, mode, body)"
            " VALUES (?, 'kiosk-1', ?, '2026-01-01', '2026-01-01T03:00:00Z', ?, 0, ?, 0, 0, '', '',"
            " 'counter', '{}')",
            [(f"old{n}", 1000 + n, INT64_MAX, INT64_MAX) for n in (1, 2)],
        )
    script = tmp_path / "s.jsonl"
    script.write_text(
        json.dumps({"scan": TEH}) + "\n" + json.dumps({"pay": {"method": "cash"}}) + "\n",
        encoding="utf-8",
    )
    sold = kiosk(data, "replay", str(script))
    assert sold.returncode == 0 and json.loads(sold.stdout)["total"] == 5000, sold.stderr
    result = kiosk(data, "report", "z", "--date", "2026-01-01")
    ends_with_a_message(result, 1, "a total is too large to add up")


def test_sync_with_broker_settings_that_cannot_be_used(data: Path) -> None:
    assert kiosk(data, "settings", "set", "broker.cert_file", "/nonexistent.pem").returncode == 0
    result = kiosk(data, "sync")
    ends_with_a_message(result, 2, "the broker settings cannot be used: broker.cert_file")
