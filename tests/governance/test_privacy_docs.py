"""The FG's documents make claims about the software; these tests keep the claims true: every
`onrustradar …` command and option they cite exists, and every config key and environment
variable they name is the one the code reads."""

import re
from pathlib import Path

import pytest
import typer

from onrustradar.cli import app
from onrustradar.config import Settings
from onrustradar.config.watches import Watch
from onrustradar.core import pseudonym
from onrustradar.governance import audit

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs" / "privacy").glob("*.md")) + [ROOT / "SECURITY.md"]
DUTCH_DOCS = [p for p in DOCS if p.name not in ("README.md", "SECURITY.md")]


def _cited_commands(text: str) -> list[list[str]]:
    return [cmd.split() for cmd in re.findall(r"`(onrustradar [^`]+)`", text)]


def _resolve(words: list[str]):
    """Walk the CLI tree along the cited words; return the command and the options cited."""
    command = typer.main.get_command(app)  # typer's own (vendored) click types: duck-typed
    rest = words[1:]
    while rest and hasattr(command, "commands") and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        assert sub is not None, f"`{' '.join(words)}`: no command {rest[0]!r}"
        command, rest = sub, rest[1:]
    return command, [w.strip("[]") for w in rest if w.strip("[]").startswith("--")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_cited_commands_and_options_exist(doc):
    for words in _cited_commands(doc.read_text(encoding="utf-8")):
        command, options = _resolve(words)
        known = {o for p in command.params for o in getattr(p, "opts", [])}
        for option in options:
            assert option in known, f"{doc.name}: `{' '.join(words)}` cites unknown option {option}"


def test_documents_exist_are_dutch_and_name_real_settings():
    assert {p.name for p in DUTCH_DOCS} == {
        "dpia.md",
        "verwerkingsregister.md",
        "algoritmeregister.md",
        "zo-monitoren-wij.md",
    }
    settings, watch_fields = set(Settings.model_fields), set(Watch.model_fields)
    for doc in DUTCH_DOCS:
        text = doc.read_text(encoding="utf-8")
        assert len(re.findall(r"\b(de|het|een|wij|niet|van|voor|en)\b", text)) > 15, f"{doc.name} is not Dutch"
        for key in re.findall(r"`([a-z_]+)`", text):
            if "_" in key and key not in ("ps_",):
                assert key in settings | watch_fields, f"{doc.name} names unknown setting `{key}`"
        for env in re.findall(r"`(ONRUSTRADAR_[A-Z_]+)`", text):
            assert env in (pseudonym.KEY_ENV, audit.KEY_ENV), f"{doc.name} names unknown variable {env}"


def test_dpia_states_the_default_retention():
    dpia = (ROOT / "docs" / "privacy" / "dpia.md").read_text(encoding="utf-8")
    default = Settings.model_fields["retention_days"].default
    assert f"standaard {default} dagen" in dpia


def test_a_wrong_citation_is_caught():
    with pytest.raises(AssertionError):
        _resolve(["onrustradar", "audit", "shred"])
    command, options = _resolve(["onrustradar", "subject-request", "--handle", "x", "[--delete]"])
    assert options == ["--handle", "--delete"]
    assert {"--handle", "--delete"} <= {o for p in command.params for o in p.opts}
