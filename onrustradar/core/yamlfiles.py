"""Reading operator-supplied YAML safely: size-capped, UTF-8 only, no duplicate keys, few
aliases, and every failure a ConfigError that quotes nothing of the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from onrustradar.core.errors import ConfigError

MAX_FILE_BYTES = 5 * 1024 * 1024  # no configuration file is this large


MAX_ALIASES = 20  # YAML aliases per file: enough for reuse, too few for a "billion laughs" expansion


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last
    silently, so an edit lower in a file could undo a setting unseen), and more than a few
    aliases (each can multiply the document: a small file could expand past memory)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"meer dan {MAX_ALIASES} aliassen", self.peek_event().start_mark
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, "sleutel staat er twee keer", key_node.start_mark)
        return super().construct_mapping(node, deep)


def parse_yaml(text: str, path: Path | str):
    """YAML text -> data, with every failure a ConfigError (line and column, never content)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "onleesbaar"
        raise ConfigError(path, where, f"ongeldige YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(path, "", "ongeldige YAML: te diep genest") from None


def read_text(path: Path) -> str:
    """A configuration file's text; ConfigError for a missing file, a directory, a huge file
    or one that is not UTF-8 (without quoting any of it)."""
    try:
        if path.is_dir():
            raise ConfigError(path, "", "is een map, geen bestand")
        if not path.exists():
            raise ConfigError(path, "", "bestand niet gevonden")
        if not path.is_file():
            raise ConfigError(path, "", "is geen gewoon bestand")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(path, "", "bestand te groot voor een configuratiebestand")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, "", f"kan het bestand niet lezen ({exc.strerror or type(exc).__name__})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "", f"geen UTF-8-tekst (byte {exc.start})") from None


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping (empty file: {})."""
    data = parse_yaml(read_text(path), path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "", "verwacht sleutels met waarden op het hoogste niveau")
    return data
