"""Reads a Code 128 label image bar by bar and prints its symbol values, function characters
included: zbar and most decoders drop FNC3, and where FNC3 sits is what tells one vendor's
programming label from another's. Used on vendors' own label images (README.md says which).
Run: python firmware/scanner-sheet/decode_label.py label.png [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from barcodes import _C128, STOP

_VALUES = {pattern: value for value, pattern in enumerate(_C128[:STOP])}
_NAMES = dict(
    enumerate(
        ["FNC3", "FNC2", "SHIFT", "CodeC", "CodeB", "CodeA", "FNC1", "StartA", "StartB", "StartC"],
        96,
    )
)


def symbol_values(image: Path) -> list[int]:
    """Start character to the last data character (no checksum, no stop). Tries rows from
    the middle out (labels have text above or below); each character's six runs are scaled
    to its 11 modules, so a small image with uneven pixels per module still reads."""
    picture = Image.open(image).convert("L")
    width, height = picture.size
    problem = "no dark row"
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7):
        y = int(height * fraction)
        row = picture.crop((0, y, width, y + 1)).tobytes()  # one byte a pixel
        try:
            return _row_values([v < 128 for v in row])
        except (ValueError, KeyError) as error:  # KeyError: a run that is no Code 128 pattern
            problem = repr(error)
    raise ValueError(f"{image}: not a readable Code 128 label ({problem})")


def _row_values(dark: list[bool]) -> list[int]:
    first, last = dark.index(True), len(dark) - dark[::-1].index(True)
    runs: list[int] = []
    for x in range(first, last):
        if x == first or dark[x] != dark[x - 1]:
            runs.append(0)
        runs[-1] += 1
    if len(runs) % 6 != 1 or len(runs) < 19:
        raise ValueError(f"{len(runs)} bars and spaces")
    groups = [runs[i : i + 6] for i in range(0, len(runs) - 7, 6)]
    patterns = ["".join(str(max(1, round(r * 11 / sum(g)))) for r in g) for g in groups]
    stop = "".join(str(max(1, round(r * 13 / sum(runs[-7:])))) for r in runs[-7:])
    if stop != _C128[STOP]:
        raise ValueError("no Code 128 stop pattern at the end")
    *data, check = [_VALUES[pattern] for pattern in patterns]
    if (data[0] + sum(i * v for i, v in enumerate(data[1:], start=1))) % 103 != check:
        raise ValueError("checksum does not match")
    return data


def readable(values: list[int]) -> str:
    """The values as text: <FNC3> and the other function and code set characters named."""
    out, code_set = [f"<{_NAMES[values[0]]}>"], "ABC"[values[0] - 103]
    for value in values[1:]:
        if code_set == "C" and value < 100:
            out.append(f"{value:02d}")
        elif value < 64 or (code_set == "B" and value < 96):
            out.append(chr(value + 32))
        elif value < 96:  # code set A: a control character, e.g. <0D> for CR
            out.append(f"<{value - 64:02X}>")
        else:
            switch = {99: "C", 100: "B", 101: "A"}.get(value)
            fnc4 = switch == code_set  # Code B in set B (Code A in set A) is FNC4
            out.append(f"<{'FNC4' if fnc4 else _NAMES[value]}>")
            code_set = code_set if fnc4 or switch is None else switch
    return "".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        try:
            values = symbol_values(Path(name))
        except ValueError as error:
            print(error)
            continue
        print(f"{name}: {readable(values)} {values}")
