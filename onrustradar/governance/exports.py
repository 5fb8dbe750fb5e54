"""Exports of signals: the analysed summary a partner may receive, never raw post dumps.

An export row holds what the board shows of a signal (categories, where, when, reliability,
score, explanation, status): no post text, no author pseudonyms, no post ids.
"""

from __future__ import annotations

import csv
import io

from onrustradar.core.models import Signal

FIELDS = (
    "signal_id",
    "categories",
    "gemeente",
    "gemeente_code",
    "place",
    "event_start",
    "announced",
    "first_seen",
    "last_seen",
    "independent_sources",
    "reliability",
    "score",
    "explanation",
    "status",
)


def signal_row(signal: Signal) -> dict:
    """A signal as one export row: no post text and no author, only the event."""
    return {
        "signal_id": signal.signal_id,
        "categories": list(signal.categories),
        "gemeente": signal.gemeente,
        "gemeente_code": signal.gemeente_code,
        "place": signal.place,
        "event_start": signal.event_start.isoformat() if signal.event_start else None,
        "announced": signal.announced,
        "first_seen": signal.first_seen.isoformat(),
        "last_seen": signal.last_seen.isoformat(),
        "independent_sources": signal.independent_sources,
        "reliability": signal.reliability,
        "score": round(signal.score, 1),
        "explanation": signal.explanation,
        "status": signal.status,
    }


def signals_csv(signals: list[Signal]) -> str:
    """Signals as CSV text, one row each (see signal_row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for signal in signals:
        row = signal_row(signal)
        row["categories"] = "+".join(row["categories"])
        writer.writerow(row)
    return out.getvalue()
