"""The audit trail: an append-only, hash-chained log of who did what.

Each line is a JSON object {seq, at, actor, role, action, object, result, detail, prev, hash};
`hash` is SHA-256 over the previous hash and the canonical JSON of the row, so changing,
inserting or deleting a row breaks the chain from that row on (`onrustradar audit verify`).
Rows never hold secrets or post text: `object` is an id or a name, `detail` short metadata.
Appends take an exclusive file lock, so the board and `run` can write to one log.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

GENESIS = "0" * 64
MAX_DETAIL = 500  # characters: detail is metadata, never a text dump


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    rows: int
    bad_seq: int | None = None
    reason: str = ""


def _digest(prev: str, row: dict) -> str:
    body = {k: v for k, v in row.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()


def _last_row(fh) -> dict | None:
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    if size == 0:
        return None
    # Read backwards just far enough to find the last complete line.
    chunk = 4096
    data = b""
    pos = size
    while pos > 0:
        step = min(chunk, pos)
        pos -= step
        fh.seek(pos)
        data = fh.read(step) + data
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or pos == 0:
            return json.loads(lines[-1])
    return None


class AuditLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def append(self, actor: str, role: str, action: str, object: str = "", result: str = "ok",
               detail: str | dict | None = None, at: datetime | None = None) -> dict:
        if isinstance(detail, dict):
            detail = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                last = _last_row(fh)
                row = {
                    "seq": (last["seq"] + 1) if last else 1,
                    "at": (at or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
                    "actor": actor, "role": role, "action": action, "object": str(object),
                    "result": result, "detail": (detail or "")[:MAX_DETAIL],
                    "prev": last["hash"] if last else GENESIS,
                }
                row["hash"] = _digest(row["prev"], row)
                fh.seek(0, os.SEEK_END)
                fh.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return row

    def rows(self) -> Iterator[dict]:
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def verify(self) -> VerifyResult:
        prev, count = GENESIS, 0
        if not self.path.exists():
            return VerifyResult(True, 0)
        with open(self.path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    return VerifyResult(False, count, lineno, f"line {lineno} is not valid JSON")
                count += 1
                if row.get("seq") != count:
                    return VerifyResult(False, count, lineno, f"line {lineno}: expected seq {count}, found {row.get('seq')}")
                if row.get("prev") != prev:
                    return VerifyResult(False, count, row["seq"], f"row {row['seq']}: does not follow row {count - 1}")
                if row.get("hash") != _digest(prev, row):
                    return VerifyResult(False, count, row["seq"], f"row {row['seq']}: content does not match its hash")
                prev = row["hash"]
        return VerifyResult(True, count)
