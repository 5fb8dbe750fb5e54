"""The CLI speaks Dutch: its own help and errors, and Click's and Typer's built-in texts; and
`--help` shows every option's default (Typer's rich help used to swallow "[default: …]")."""

import re

import pytest
from conftest import cli

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*args, **kw):
    result = cli(*args, env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}, **kw)
    return result.returncode, ANSI.sub("", result.stdout), ANSI.sub("", result.stderr)


def test_help_is_dutch_and_shows_the_defaults():
    code, out, _ = run("board", "--help")
    assert code == 0
    assert "Gebruik: onrustradar board [OPTIES]" in out and "Opties" in out
    assert "[standaard: (board.port uit de configuratie)]" in out
    assert "[standaard: (board.address uit de configuratie)]" in out
    assert "Toon deze hulp en stop." in out
    code, out, _ = run("--help")
    assert "[standaard: (config/onrustradar.yml)]" in out and "[omgevingsvariabele: ONRUSTRADAR_CONFIG]" in out
    assert "Opdrachten" in out and "Start het bord" in out
    code, out, _ = run("demo", "--help")
    assert "[standaard: 15.0]" in out  # a plain default is shown too
    for english in ("Usage:", "Show this message", "[default:", "Options ", "Commands "):
        assert english not in out


def test_errors_are_dutch(config_path):
    code, _, err = run("digest", "--bogus")
    assert code == 2 and "Onbekende optie: --bogus" in err and "Fout" in err
    code, _, err = run("digest")
    assert code == 2 and "Ontbrekende optie '--gemeente'." in err
    code, _, err = run("board", "--port", "abc")
    assert code == 2 and "Ongeldige waarde voor '--port': geef een geheel getal" in err
    code, _, err = run("--config", str(config_path), "crawl", "--source", "bestaat-niet")
    assert code == 2 and "fout: onbekende bron 'bestaat-niet'" in err
    code, _, err = run("--config", str(config_path), "digest", "--gemeente", "Zwolle", "--date", "gisteren", "--send")
    assert code == 2 and "--date: geen datum JJJJ-MM-DD" in err
