"""Small modules: every module of kiosk/, drivers/ and fleet/ stays under 400 lines
(the project's rule), so a file that grows past it is split along a seam, not let slide."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "drivers", "fleet")
MAX_LINES = 399  # "under 400"


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def too_long(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if (lines := line_count(path)) > MAX_LINES
    ]


def test_every_module_is_under_400_lines() -> None:
    assert (ROOT / "kiosk" / "bootstrap.py").exists()  # the walk looks at the real tree
    problems = too_long(ROOT)
    assert not problems, "split these modules along a seam:\n" + "\n".join(problems)


def test_a_module_of_400_lines_is_caught(tmp_path: Path) -> None:
    (tmp_path / "drivers" / "deep").mkdir(parents=True)
    (tmp_path / "drivers" / "deep" / "big.py").write_text("x = 1\n" * 400, encoding="utf-8")
    (tmp_path / "fleet").mkdir()
    (tmp_path / "fleet" / "fine.py").write_text("x = 1\n" * 399, encoding="utf-8")
    (tmp_path / "kiosk").mkdir()
    assert too_long(tmp_path) == ["drivers/deep/big.py: 400 lines"]
