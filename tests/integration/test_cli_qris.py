"""``kiosk qris parse`` and ``kiosk qris dynamic``: the commands outside checks use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.domain import qris
from kiosk.testing.fake_acquirers import sample_static_qris

STATIC = sample_static_qris()


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(tmp_path), "qris", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_prints_the_fields_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(tmp_path, capsys, "parse", STATIC)
    fields = json.loads(out)
    assert code == 0
    assert fields["merchant_name"] == "TOKO SARI" and fields["dynamic"] is False


def test_dynamic_prints_one_line_that_parses_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(tmp_path, capsys, "dynamic", STATIC, "--amount", "25000",
                       "--bill-no", "INV-7", "--terminal", "LANE-1")  # fmt: skip
    assert code == 0 and out.count("\n") == 1
    parsed = qris.parse(out.strip())
    assert (parsed.amount, parsed.bill_number) == (25000, "INV-7")
    assert parsed.template("62")["07"] == "LANE-1"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("parse", STATIC[:-1] + ("0" if STATIC[-1] != "0" else "1")), "CRC mismatch"),
        (("parse", "not a qris"), "must start with 000201"),
        (("dynamic", STATIC, "--amount", "10000001"), "more than the limit"),
        (("dynamic", STATIC, "--amount", "1,000.50"), "separators"),
        (("dynamic", STATIC, "--amount", "٥٠٠٠"), "amount"),
    ],
)
def test_invalid_input_exits_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], reason: str
) -> None:
    code, out, err = run(tmp_path, capsys, *args)
    assert code == 2 and out == ""
    assert "invalid QRIS" in err and reason in err
