"""Config validation: the shipped configs pass; every kind of mistake exits 2 with one line
that names the file and the key."""

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli, write_config

from onrustradar.config import ConfigError, load_config, parse_duration


@pytest.mark.slow
@pytest.mark.parametrize("name", ["onrustradar.yml", "demo.yml"])
def test_shipped_configs_pass(name):
    result = cli("--config", str(ROOT / "config" / name), "config", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def _break(tmp_path: Path, text: str) -> Path:
    path = write_config(tmp_path)
    path.write_text(text, encoding="utf-8")
    return path


BASE = (ROOT / "config" / "onrustradar.yml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    "mutate, key, words",
    [
        (lambda s: s.replace("retention_days:", "retension_days:"), "retension_days", "onbekende sleutel"),
        (lambda s: s.replace("retention_days: 30", "retention_days: dertig"), "retention_days", "geheel getal"),
        (
            lambda s: s.replace("gemeenten: [Zwolle]", "gemeenten: [Zwolel]"),
            "gemeenten[0]",
            "onbekende gemeente 'Zwolel'",
        ),
        (
            lambda s: s.replace("interval: 10m, kind: news}", "interval: tien, kind: news}", 1),
            "sources[0].interval",
            "duur",
        ),
        (lambda s: s.replace("type: rss", "type: myspace", 1), "sources[0]", "onbekend brontype 'myspace'"),
        (
            lambda s: s.replace("channel: example_public_channel", "channel: https://t.me/+AbCdEf"),
            "sources[19].channel",
            "uitnodigingslinks worden geweigerd",
        ),
        (lambda s: s.replace("  timeout: 20 ", "  timeout: -1 "), "crawl.timeout", "groter zijn dan 0"),
        (lambda s: s.replace("  port: 587", "  port: '587x'"), "smtp.port", "geheel getal"),
        (lambda s: s.replace("gemeenten: [Zwolle]", "gemeenten: [Zwolle"), "regel", "ongeldige YAML"),
    ],
)
def test_bad_config_exits_2_naming_file_and_key(tmp_path, mutate, key, words):
    path = _break(tmp_path, mutate(BASE))
    result = cli("--config", str(path), "config", "check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, never a traceback
    assert str(path) in lines[0] and key in lines[0] and words in lines[0], lines[0]


@pytest.mark.slow
def test_missing_file(tmp_path):
    result = cli("--config", str(tmp_path / "nope.yml"), "config", "check")
    assert result.returncode == 2 and "nope.yml" in result.stderr and "bestand niet gevonden" in result.stderr


def test_bad_keyword_list_names_its_file(tmp_path):
    path = write_config(tmp_path)
    kw = tmp_path / "keywords" / "incident.yml"
    data = yaml.safe_load(kw.read_text(encoding="utf-8"))
    data["terms"]["rellen"] = "veel"
    kw.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.file.endswith("incident.yml") and err.value.key == "terms.rellen"


@pytest.mark.slow
def test_config_env_var_is_used(tmp_path):
    path = _break(tmp_path, BASE.replace("retention_days: 30", "retention_days: -1"))
    result = cli("config", "check", env={"ONRUSTRADAR_CONFIG": str(path)})
    assert result.returncode == 2 and "retention_days" in result.stderr


def test_gemeente_aliases_resolve_to_official_names(tmp_path):
    path = write_config(tmp_path, gemeenten=["Den Haag", "Den Bosch", "GM0363"])
    assert load_config(path).settings.gemeenten == ["'s-Gravenhage", "'s-Hertogenbosch", "Amsterdam"]


def test_durations():
    assert parse_duration("15m") == 900 and parse_duration(30) == 30 and parse_duration("2h") == 7200
    with pytest.raises(ValueError):
        parse_duration("0s")
