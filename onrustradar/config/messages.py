"""pydantic's validation errors as one Dutch line naming the keys the operator wrote."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from onrustradar.config.sources import SOURCE_TYPES
from onrustradar.core.errors import ConfigError


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _clean_loc(loc: tuple) -> tuple:
    # Discriminated unions add the tag ("rss", ...) and validators add "function-after[...]"
    # to the location; a person wants the keys they wrote.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in SOURCE_TYPES)))


# pydantic's own messages, in Dutch, by error type (ctx values filled in)
_PYDANTIC_NL = {
    "int_parsing": "geef een geheel getal",
    "int_type": "geef een geheel getal",
    "int_from_float": "geef een geheel getal",
    "float_parsing": "geef een getal",
    "float_type": "geef een getal",
    "bool_parsing": "geef true of false",
    "bool_type": "geef true of false",
    "string_type": "geef tekst",
    "list_type": "geef een lijst",
    "dict_type": "geef sleutels met waarden",
    "model_type": "geef sleutels met waarden",
    "model_attributes_type": "geef sleutels met waarden",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "string_too_short": "te kort (minstens {min_length} tekens)",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "too_short": "te weinig (minstens {min_length})",
    "too_long": "te veel (hoogstens {max_length})",
    "literal_error": "kies uit {expected}",
    "enum": "kies uit {expected}",
    "date_parsing": "geef een datum JJJJ-MM-DD",
    "date_type": "geef een datum JJJJ-MM-DD",
    "date_from_datetime_parsing": "geef een datum JJJJ-MM-DD",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
}


def first_error(file: Path, exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "onbekende sleutel"
    elif err["type"] == "union_tag_invalid":
        message = f"onbekend brontype '{err['ctx']['tag']}' (een van {err['ctx']['expected_tags']})"
    elif err["type"] == "union_tag_not_found":
        message = "sleutel 'type' ontbreekt"
    elif err["type"] == "missing":
        message = "verplichte sleutel ontbreekt"
    elif err["type"] in _PYDANTIC_NL:
        ctx = {
            k: (str(v).replace(" or ", " of ") if isinstance(v, str) else v) for k, v in (err.get("ctx") or {}).items()
        }
        try:
            message = _PYDANTIC_NL[err["type"]].format(**ctx)
        except (KeyError, IndexError):
            pass
    return ConfigError(file, _key_path(_clean_loc(tuple(err["loc"]))), message)
