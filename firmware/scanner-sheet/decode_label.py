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
    """Start character to the last data character (no checksum, no stop), read along the
    middle row; the start character's 11 modules give the module width."""
    picture = Image.open(image).convert("L")
    width, height = picture.size
    row = picture.crop((0, height // 2, width, height // 2 + 1)).tobytes()  # one byte a pixel
    dark = [v < 128 for v in row]
    first, last = dark.index(True), width - dark[::-1].index(True)
    runs: list[int] = []
    for x in range(first, last):
        if x == first or dark[x] != dark[x - 1]:
            runs.append(0)
        runs[-1] += 1
    module = sum(runs[:6]) / 11
    widths = "".join(str(max(1, round(run / module))) for run in runs)
    if len(widths) % 6 != 1 or widths[-7:] != _C128[STOP]:
        raise ValueError(f"{image}: no Code 128 stop pattern at the end")
    values = [_VALUES[widths[i : i + 6]] for i in range(0, len(widths) - 7, 6)]
    *data, check = values
    if (data[0] + sum(i * v for i, v in enumerate(data[1:], start=1))) % 103 != check:
        raise ValueError(f"{image}: checksum does not match")
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
        except (ValueError, KeyError) as error:  # KeyError: a run that is no Code 128 pattern
            print(f"{name}: not read ({error!r})")
            continue
        print(f"{name}: {readable(values)} {values}")
