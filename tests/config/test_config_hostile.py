"""Malformed configuration files: every one ends in exit 2 with `file: key: message` on one
line — no traceback, and never a line of the file's content in the message."""

from pathlib import Path

import pytest
import yaml
from conftest import cli, write_config

pytestmark = pytest.mark.slow

SECRET = "geheim-wachtwoord-8f3a9c"


def _check(path: Path, expect_file: str, *words: str):
    result = cli("--config", str(path), "config", "check")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert expect_file in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert SECRET not in result.stderr
    return lines[0]


def _with(tmp_path, **settings) -> Path:
    return write_config(tmp_path, **settings)


def test_calendar_that_is_a_directory(tmp_path):
    (tmp_path / "calendars" / "map.yml").mkdir(parents=True)
    path = _with(tmp_path, detectors={"calendars": ["calendars/map.yml"]})
    _check(path, "map.yml", "een map")


def test_calendar_that_is_not_utf8(tmp_path):
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "latin.yml").write_bytes("kind: wedstrijd\nlabel: caf\xe9\n".encode("latin-1"))
    path = _with(tmp_path, detectors={"calendars": ["calendars/latin.yml"]})
    _check(path, "latin.yml", "UTF-8")


@pytest.mark.parametrize(
    "content",
    [
        f"{SECRET}: 1\n",  # an unknown key that is the secret
        f"{SECRET}\n",  # a plain line
        f"!!python/object:os.system {SECRET}\n",  # an unknown tag
        f"kind: [{SECRET}\n",  # broken YAML
        f"entries:\n  - date: 2026-01-01\n    gemeente: {SECRET}\n",  # a bad value
    ],
)
def test_a_calendar_file_with_anything_in_it_is_never_echoed(tmp_path, content):
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "x.yml").write_text(content, encoding="utf-8")
    path = _with(tmp_path, detectors={"calendars": ["calendars/x.yml"]})
    _check(path, "x.yml")


def test_a_calendar_outside_the_config_directory_is_refused(tmp_path):
    path = _with(tmp_path, detectors={"calendars": ["/etc/passwd"]})
    _check(path, "onrustradar.yml", "detectors.calendars", "configuratiemap")
    path = _with(tmp_path, detectors={"calendars": ["../../etc/passwd"]})
    _check(path, "onrustradar.yml", "configuratiemap")


@pytest.mark.parametrize("key", ["watches_file", "keywords_dir"])
def test_other_files_outside_the_config_directory_are_refused(tmp_path, key):
    secret = tmp_path.parent / f"{tmp_path.name}-geheim.yml"
    secret.write_text(f"{SECRET}: 1\n", encoding="utf-8")
    path = _with(tmp_path, **{key: str(secret)})
    _check(path, "onrustradar.yml", key, "configuratiemap")
    path = _with(tmp_path, **{key: f"../{secret.name}"})
    _check(path, "onrustradar.yml", key)


def test_duplicate_keys_are_rejected(tmp_path):
    path = _with(tmp_path)
    path.write_text(path.read_text() + "retention_days: 30\nretention_days: 3000\n", encoding="utf-8")
    _check(path, "onrustradar.yml", "twee keer", "regel")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "x\n",
    ],
)
def test_deep_nesting(tmp_path, text):
    path = _with(tmp_path)
    path.write_text(text, encoding="utf-8")
    _check(path, "onrustradar.yml")


@pytest.mark.parametrize(
    "shape",
    [
        {"approvals": "ja"},
        {"approvals": ["tekst"]},
        {"approvals": [{"term": 1}]},
        {
            "approvals": [
                {
                    "category": "demonstratie",
                    "term": "x",
                    "status": "goedgekeurd",
                    "requested_by": "a",
                    "requested_at": "b",
                    "hack": 1,
                }
            ]
        },
    ],
)
def test_approvals_in_the_wrong_shape(tmp_path, shape):
    path = _with(tmp_path)
    (tmp_path / "keywords" / "approvals.yml").write_text(yaml.safe_dump(shape), encoding="utf-8")
    _check(path, "approvals.yml", "approvals")


@pytest.mark.parametrize(
    "settings, key",
    [
        ({"schedule": {"process_interval": "99999999d"}}, "schedule.process_interval"),
        ({"schedule": {"process_interval": 10**30}}, "schedule.process_interval"),
        ({"crawl": {"timeout": float("inf")}}, "crawl.timeout"),
        ({"crawl": {"backoff": float("nan")}}, "crawl.backoff"),
        ({"crawl": {"timeout": 10**9}}, "crawl.timeout"),
        ({"board": {"refresh_seconds": 10**12}}, "board.refresh_seconds"),
        ({"alerts": {"cooldown_hours": 10**9}}, "alerts.cooldown_hours"),
        (
            {"sources": [{"name": "a", "type": "rss", "url": "http://127.0.0.1:9/a", "interval": "100000d"}]},
            "sources[0].interval",
        ),
    ],
)
def test_absurd_numbers_are_refused_by_config_check(tmp_path, settings, key):
    path = _with(tmp_path, **settings)
    _check(path, "onrustradar.yml", key)


def test_a_config_that_is_a_directory_or_binary(tmp_path):
    (tmp_path / "map").mkdir()
    _check(tmp_path / "map", "map", "een map")
    binary = tmp_path / "bin.yml"
    binary.write_bytes(b"\xff\xfe" + SECRET.encode("utf-16-le"))
    _check(binary, "bin.yml", "UTF-8")
