"""The journal's hash formula, written once for the kiosk that chains its records and the
fleet that checks the links it receives (docs/messages.md, "journal").

Record ``seq`` has ``hash = sha256(prev_hash + canonical_json([seq, kind, ref,
created_at, payload]))`` where ``prev_hash`` is the hash of record ``seq - 1`` (64 zeros
for the first). The payload is given as its canonical JSON text, so the hashed text
equals ``prev_hash + canonical_json([seq, kind, ref, created_at, json.loads(payload)])``.
"""

from __future__ import annotations

import hashlib
import json

GENESIS_HASH = "0" * 64

Entry = tuple[int, str, str, str, str]  # (seq, kind, ref, created_at, payload JSON text)


def record_hash(prev_hash: str, entry: Entry) -> str:
    """Hash of one journal record chained after ``prev_hash``."""
    seq, kind, ref, created_at, payload = entry
    dump = json.dumps
    text = (
        f"[{seq},{dump(kind, ensure_ascii=False)},{dump(ref, ensure_ascii=False)},"
        f"{dump(created_at, ensure_ascii=False)},{payload}]"
    )
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()
