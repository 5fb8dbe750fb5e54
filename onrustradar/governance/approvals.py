"""FG approval of keywords that could single out a person.

A keyword that is an @handle, or a capitalised multi-word phrase that is not a known place
("Jan de Vries"), would turn an event monitor into a person monitor. Such terms stay inactive
until the functionaris gegevensbescherming approves them; requests and decisions are kept in
`keywords/approvals.yml` (and in the audit log).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import yaml

from onrustradar.core.errors import ConfigError
from onrustradar.core.gazetteer import fold, gazetteer, load_landmarks
from onrustradar.core.yamlfiles import read_yaml

APPROVALS = "approvals.yml"
_TUSSENVOEGSELS = {
    "de",
    "der",
    "den",
    "van",
    "von",
    "ter",
    "ten",
    "te",
    "la",
    "le",
    "di",
    "da",
    "el",
    "al",
    "bin",
    "'t",
}
_HANDLE = re.compile(r"(^|\s)@[\w.]{2,}")


def looks_like_person(raw_term: str) -> bool:
    """An @handle, or a capitalised name-like phrase that is not a place in the gazetteer."""
    term = str(raw_term).strip()
    if _HANDLE.search(term):
        return True
    words = term.split()
    if not 2 <= len(words) <= 4:
        return False
    if not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return False
    if not all(w[:1].isupper() or w.casefold() in _TUSSENVOEGSELS for w in words):
        return False
    return not (gazetteer().is_place(term) or _is_landmark(term))


def _is_landmark(term: str) -> bool:
    return fold(term) in {fold(name) for name, _, _ in load_landmarks()}


@dataclass
class Approval:
    category: str
    term: str  # casefolded, as matched
    status: str  # "aangevraagd" | "goedgekeurd" | "afgewezen"
    requested_by: str
    requested_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    reason: str | None = None


def load(directory: Path) -> list[Approval]:
    """The FG's decisions on keyword terms that look like names (approvals.yml beside the lists)."""
    path = directory / APPROVALS
    if not path.exists():
        return []
    data = read_yaml(path)
    rows = data.get("approvals") or []
    if not isinstance(rows, list):
        raise ConfigError(path, "approvals", "expected a list of approvals")
    names = {f.name for f in fields(Approval)}
    required = {"category", "term", "status", "requested_by", "requested_at"}
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ConfigError(path, f"approvals[{i}]", "expected a mapping")
        if set(row) - names:
            raise ConfigError(path, f"approvals[{i}]", "unknown key")
        if required - set(row):
            raise ConfigError(path, f"approvals[{i}].{sorted(required - set(row))[0]}", "missing required key")
        if not all(isinstance(v, str) or v is None for v in row.values()):
            raise ConfigError(path, f"approvals[{i}]", "values must be text")
        out.append(Approval(**row))
    return out


def _save(directory: Path, approvals: list[Approval]) -> None:
    text = "# FG approvals of keywords that look like a person's name or handle.\n" + yaml.safe_dump(
        {"approvals": [asdict(a) for a in approvals]}, allow_unicode=True, sort_keys=False
    )
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".yml.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, directory / APPROVALS)


def status(approvals: list[Approval], category: str, term: str) -> str | None:
    """The latest decision on a term in a category, or None when never asked."""
    found = [a for a in approvals if a.category == category and a.term == term.casefold()]
    return found[-1].status if found else None


def request(directory: Path, category: str, term: str, by: str) -> Approval:
    """Ask the FG to approve a term; a term already asked or approved is not asked again."""
    approvals = load(directory)
    current = status(approvals, category, term)
    if current in ("aangevraagd", "goedgekeurd"):
        return next(a for a in reversed(approvals) if a.category == category and a.term == term.casefold())
    item = Approval(
        category=category,
        term=term.casefold(),
        status="aangevraagd",
        requested_by=by,
        requested_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _save(directory, [*approvals, item])
    return item


def decide(directory: Path, category: str, term: str, approve: bool, by: str, reason: str) -> Approval:
    """Record the FG's decision (with reason) on the latest request for a term."""
    approvals = load(directory)
    for item in reversed(approvals):
        if item.category == category and item.term == term.casefold():
            item.status = "goedgekeurd" if approve else "afgewezen"
            item.decided_by, item.reason = by, reason
            item.decided_at = datetime.now(UTC).isoformat(timespec="seconds")
            _save(directory, approvals)
            return item
    raise KeyError(f"{category}:{term}")


def pending(directory: Path) -> list[Approval]:
    """Requests the FG has not decided yet."""
    return [a for a in load(directory) if a.status == "aangevraagd"]


def gated_terms(raw: dict, category: str, approvals: list[Approval]) -> set[str]:
    """Casefolded terms/phrases of a raw keyword file that may not be used (yet)."""
    blocked = set()
    for section in ("terms", "phrases"):
        for term in raw.get(section) or {}:
            folded = str(term).strip().casefold()
            state = status(approvals, category, folded)
            if state == "goedgekeurd":
                continue
            if state in ("aangevraagd", "afgewezen") or looks_like_person(str(term)):
                blocked.add(folded)
    return blocked
