"""Saving an analyst's edit of a keyword list: the YAML in config/keywords/ is rewritten and
the change is appended to config/keywords/history.jsonl (who, when, what)."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

from onrustradar.config import KeywordList
from onrustradar.core.nl import number

HISTORY = "history.jsonl"


def diff(old: KeywordList, new: KeywordList) -> dict:
    """What changed between two versions of a keyword list, per field, as [old, new]."""

    def changed(a: dict, b: dict) -> dict:
        return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}

    out = {
        "terms": changed(old.terms, new.terms),
        "phrases": changed(old.phrases, new.phrases),
        "exclusions_added": sorted(set(new.exclusions) - set(old.exclusions)),
        "exclusions_removed": sorted(set(old.exclusions) - set(new.exclusions)),
        "measures_added": sorted(set(new.measures) - set(old.measures)),
        "measures_removed": sorted(set(old.measures) - set(new.measures)),
    }
    if old.threshold != new.threshold:
        out["threshold"] = [old.threshold, new.threshold]
    if old.call_weight != new.call_weight:
        out["call_weight"] = [old.call_weight, new.call_weight]
    return {k: v for k, v in out.items() if v}


def describe(changes: dict) -> str:
    """A history entry's changes in Dutch words (never a raw data structure)."""

    parts = []
    for kind, label in (("terms", "trefwoord"), ("phrases", "woordgroep")):
        for term, (old, new) in changes.get(kind, {}).items():
            if old is None:
                parts.append(f"{label} '{term}' toegevoegd (gewicht {number(new, 1)})")
            elif new is None:
                parts.append(f"{label} '{term}' verwijderd (was {number(old, 1)})")
            else:
                parts.append(f"{label} '{term}': gewicht {number(old, 1)} → {number(new, 1)}")
    parts += [f"uitsluiting '{e}' toegevoegd" for e in changes.get("exclusions_added", [])]
    parts += [f"uitsluiting '{e}' verwijderd" for e in changes.get("exclusions_removed", [])]
    parts += [f"maatregel '{e}' toegevoegd" for e in changes.get("measures_added", [])]
    parts += [f"maatregel '{e}' verwijderd" for e in changes.get("measures_removed", [])]
    if "threshold" in changes:
        old, new = changes["threshold"]
        parts.append(f"drempel {number(old, 1)} → {number(new, 1)}")
    if "call_weight" in changes:
        old, new = changes["call_weight"]
        parts.append(f"gewicht van een tijdstip (oproep) {number(old, 1)} → {number(new, 1)}")
    return "; ".join(parts) or "geen inhoudelijke wijziging"


def save(directory: Path, old: KeywordList, new: KeywordList, actor: str, reason: str = "") -> dict:
    """Write the new list atomically and record the change; returns the history entry."""
    path = directory / f"{new.category}.yml"
    data = {
        "category": new.category,
        "description": new.description,
        "threshold": new.threshold,
        "call_weight": new.call_weight,
        "terms": dict(new.terms),
        "phrases": dict(new.phrases),
        "exclusions": list(new.exclusions),
        "measures": list(new.measures),
    }
    text = (
        f'# Keyword list for the category "{new.category}" — last edited by {actor} on the board.\n'
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".yml.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    entry = {
        "at": datetime.now(UTC).isoformat(),
        "actor": actor,
        "category": new.category,
        "reason": reason,
        "changes": diff(old, new),
    }
    with (directory / HISTORY).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def history(directory: Path) -> list[dict]:
    """The saved edits of the keyword lists, oldest first (history.jsonl)."""
    path = directory / HISTORY
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_yaml(kl: KeywordList) -> str:
    """A keyword list as the YAML the files hold."""
    data = {
        "threshold": kl.threshold,
        "call_weight": kl.call_weight,
        "terms": dict(kl.terms),
        "phrases": dict(kl.phrases),
        "exclusions": list(kl.exclusions),
        "measures": list(kl.measures),
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
