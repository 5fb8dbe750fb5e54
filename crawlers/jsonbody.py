"""JSON bodies from outside: any failure to read one is a ValueError (which the spiders
record as an unreadable page), including nesting deep enough to exhaust the parser."""

from __future__ import annotations

import json

# What one malformed item of a listing can raise; the item is skipped with its reason.
ITEM_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError, OSError)


def load_json(body: bytes | str):
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 JSON ({exc.reason})") from None
