"""The audit trail: an append-only, keyed and anchored hash chain of who did what.

Each line is a JSON object {seq, at, actor, role, action, object, result, detail, prev, v, hash};
`hash` is HMAC-SHA256, keyed with ONRUSTRADAR_AUDIT_KEY (from the environment only), over the
previous hash and the canonical JSON of the row. So:

- changing, inserting or deleting a row breaks the chain from that row on, and without the key
  nobody can recompute a chain that verifies (a plain hash could simply be recomputed);
- the head (row count and last hash, with its own HMAC) is also kept in the store, as an
  anchor: deleting the last rows, emptying the file or deleting it no longer matches it.

Rows written before the key existed (no "v") are verified with plain SHA-256 and are only
accepted as a prefix before the first keyed row.

Rows never hold secrets or post text: `object` is an id or a name, `detail` short metadata.
Appends take an exclusive file lock (the anchor is written under it), so the board and `run`
can write to one log. A torn last line (a write cut off by a crash) makes every append refuse,
before the audited action is taken: nothing happens without its audit row.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

GENESIS = "0" * 64
MAX_DETAIL = 500  # characters: detail is metadata, never a text dump
KEY_ENV = "ONRUSTRADAR_AUDIT_KEY"
VERSION = 2
log = logging.getLogger(__name__)


class AuditError(RuntimeError):
    """The audit trail cannot take a row: the audited action must not go ahead."""


class Anchor(Protocol):
    """Where the head of the chain is kept apart from the file (the store)."""

    def audit_anchor(self) -> dict | None: ...
    def set_audit_anchor(self, anchor: dict) -> None: ...


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    rows: int
    bad_seq: int | None = None
    reason: str = ""


def audit_key() -> bytes:
    """The audit trail's HMAC key from the environment; AuditError when it is absent or short."""
    key = os.environ.get(KEY_ENV, "")
    if len(key) < 16:
        raise AuditError(
            f"{KEY_ENV} is niet gezet (of korter dan 16 tekens): de audittrail wordt ermee "
            "ondertekend; zet een lange willekeurige geheime sleutel"
        )
    return key.encode()


def _canonical(row: dict) -> bytes:
    body = {k: v for k, v in row.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _legacy_digest(prev: str, row: dict) -> str:
    return hashlib.sha256(prev.encode("utf-8") + _canonical(row)).hexdigest()


def _digest(key: bytes, prev: str, row: dict) -> str:
    return hmac.new(key, prev.encode("utf-8") + _canonical(row), hashlib.sha256).hexdigest()


def anchor_mac(key: bytes, rows: int, head: str) -> str:
    """The MAC that ties the trail's row count and head hash to the key, stored beside the data."""
    return hmac.new(key, f"audit-anchor:{rows}:{head}".encode(), hashlib.sha256).hexdigest()


def _last_row(fh) -> dict | None:
    """The last row, or None for an empty file; AuditError when the last line is torn."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    if size == 0:
        return None
    fh.seek(size - 1)
    if fh.read(1) != b"\n":
        raise AuditError(
            "de laatste regel van de audittrail is onvolledig (afgebroken schrijfactie); "
            "controleer met 'onrustradar audit verify' en herstel eerst"
        )
    chunk, data, pos = 4096, b"", size
    while pos > 0:
        step = min(chunk, pos)
        pos -= step
        fh.seek(pos)
        data = fh.read(step) + data
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or pos == 0:
            try:
                row = json.loads(lines[-1])
            except ValueError:
                raise AuditError("de laatste regel van de audittrail is geen geldige JSON") from None
            if not isinstance(row, dict) or not isinstance(row.get("seq"), int) or not isinstance(row.get("hash"), str):
                raise AuditError("de laatste regel van de audittrail is geen auditregel")
            return row
    return None


class AuditLog:
    """The append-only, hash-chained audit trail: each row carries the hash of the one before it."""

    def __init__(self, path: str | Path, anchor: Anchor | None = None):
        self.path = Path(path)
        self.anchor = anchor

    def append(
        self,
        actor: str,
        role: str,
        action: str,
        object: str = "",
        result: str = "ok",
        detail: str | dict | None = None,
        at: datetime | None = None,
    ) -> dict:
        """Write one row (and the anchor) or raise AuditError: call it before the action."""
        key = audit_key()
        if isinstance(detail, dict):
            detail = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                last = _last_row(fh)
                if self.anchor is not None:
                    self._check_anchor(key, last)
                row: dict[str, Any] = {
                    "seq": (last["seq"] + 1) if last else 1,
                    "at": (at or datetime.now(UTC)).isoformat(timespec="seconds"),
                    "actor": actor,
                    "role": role,
                    "action": action,
                    "object": str(object),
                    "result": result,
                    "detail": (detail or "")[:MAX_DETAIL],
                    "prev": last["hash"] if last else GENESIS,
                    "v": VERSION,
                }
                row["hash"] = _digest(key, row["prev"], row)
                fh.seek(0, os.SEEK_END)
                fh.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
                if self.anchor is not None:
                    self.anchor.set_audit_anchor(
                        {"rows": row["seq"], "head": row["hash"], "mac": anchor_mac(key, row["seq"], row["hash"])}
                    )
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return row

    def ready(self) -> None:
        """Raise AuditError unless the next append would succeed (key, intact last line,
        anchor): checked before an action whose row is written after it."""
        key = audit_key()
        if not self.path.exists():
            last = None
        else:
            try:
                with open(self.path, "rb") as fh:
                    last = _last_row(fh)
            except OSError as exc:
                raise AuditError(f"audittrail niet leesbaar ({exc.strerror})") from None
        if self.anchor is not None:
            self._check_anchor(key, last)

    def _check_outbox(self, heads: list[str]) -> str | None:
        """Every digest and alert carries the trail's head when it was built: that row must
        still be there, unchanged."""
        outbox = getattr(self.anchor, "outbox_list", None)
        if outbox is None:
            return None
        for item in outbox(limit=1000):  # the most recent: enough to pin the trail, cheap to read
            mark = (item.snapshot or {}).get("audit") if isinstance(item.snapshot, dict) else None
            if not isinstance(mark, dict) or not isinstance(mark.get("rows"), int):
                continue
            rows = mark["rows"]
            if rows > len(heads) or heads[rows - 1] != mark.get("head"):
                return (
                    f"e-mail {item.key} legde regel {rows} van de audittrail vast; die regel ontbreekt of is veranderd"
                )
        return None

    def _check_anchor(self, key: bytes, last: dict | None) -> None:
        """Refuse to extend a chain that no longer reaches its anchor (rows were cut off)."""
        if self.anchor is None:
            return
        anchor = self.anchor.audit_anchor()
        if anchor is None:
            return
        rows, head = (last["seq"], last["hash"]) if last else (0, GENESIS)
        if rows < anchor.get("rows", 0) or (rows == anchor.get("rows") and head != anchor.get("head")):
            raise AuditError(
                f"de audittrail telt {rows} regels, het anker in de store {anchor.get('rows')}: "
                "er zijn regels verwijderd of vervangen"
            )

    def rows(self) -> Iterator[dict]:
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    try:
                        row = json.loads(line)
                    except ValueError:
                        continue  # a torn line: verify reports it
                    if isinstance(row, dict):
                        yield row

    def verify(self) -> VerifyResult:
        try:
            key = audit_key()
        except AuditError as exc:
            return VerifyResult(False, 0, None, str(exc))
        prev, count, keyed = GENESIS, 0, False
        heads: list[str] = []  # the hash of every row, for the checks against sent e-mail
        if self.path.is_dir():
            return VerifyResult(False, 0, None, f"{self.path} is een map, geen audittrail")
        if self.path.exists():
            try:
                with open(self.path, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                return VerifyResult(False, 0, None, f"audittrail niet leesbaar ({exc.strerror})")
            if data and not data.endswith(b"\n"):
                return VerifyResult(False, count, None, "de laatste regel is onvolledig (afgebroken schrijfactie)")
            for lineno, raw in enumerate(data.split(b"\n"), start=1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw.decode("utf-8"))
                except ValueError:
                    return VerifyResult(False, count, lineno, f"regel {lineno} is geen geldige JSON")
                if not isinstance(row, dict):
                    return VerifyResult(False, count, lineno, f"regel {lineno} is geen auditregel")
                count += 1
                if row.get("seq") != count:
                    return VerifyResult(
                        False,
                        count,
                        lineno,
                        f"regel {lineno}: volgnummer {count} verwacht, {row.get('seq')!r} gevonden",
                    )
                if row.get("prev") != prev:
                    return VerifyResult(False, count, count, f"regel {count}: sluit niet aan op regel {count - 1}")
                if row.get("v") == VERSION:
                    keyed, expected = True, _digest(key, prev, row)
                elif keyed or "v" in row:
                    return VerifyResult(False, count, count, f"regel {count}: niet ondertekend met de sleutel")
                else:
                    expected = _legacy_digest(prev, row)
                if not isinstance(row.get("hash"), str) or not hmac.compare_digest(row["hash"], expected):
                    return VerifyResult(False, count, count, f"regel {count}: inhoud klopt niet met de (sleutel-)hash")
                prev = row["hash"]
                heads.append(prev)
        if self.anchor is not None:
            problem = self._check_outbox(heads)
            if problem:
                return VerifyResult(False, count, None, problem)
            anchor = self.anchor.audit_anchor()
            if anchor is None:
                if keyed:
                    return VerifyResult(False, count, None, "het anker van de audittrail ontbreekt in de store")
            else:
                rows, head = anchor.get("rows"), anchor.get("head")
                if (
                    not isinstance(rows, int)
                    or not isinstance(head, str)
                    or not hmac.compare_digest(str(anchor.get("mac", "")), anchor_mac(key, rows, head))
                ):
                    return VerifyResult(False, count, None, "het anker in de store is niet geldig ondertekend")
                if rows != count or head != prev:
                    return VerifyResult(
                        False,
                        count,
                        None,
                        f"de audittrail telt {count} regels, het anker in de store {rows}: "
                        "er zijn regels verwijderd, vervangen of het bestand is geleegd",
                    )
        return VerifyResult(True, count)


def audit_log_for(config, store) -> AuditLog:
    """The deployment's audit trail, anchored in its store."""
    return AuditLog(config.settings.audit_log, anchor=store)
