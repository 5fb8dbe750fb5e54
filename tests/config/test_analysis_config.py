"""`analysis.stages` in onrustradar.yml: the analyzer runs the configured stages, and a stage the
registry does not know, or one before a stage it needs, is a configuration error naming the key."""

import json

import pytest
from conftest import cli, write_config

pytestmark = pytest.mark.slow  # every test runs the CLI in a subprocess

POST = {
    "id": "p1",
    "source": "telegram",
    "channel": "zwolle_nieuws",
    "published_at": "2026-10-14T09:00:00+02:00",
    "text": "Zaterdag om 14.00 uur demonstratie op het Grote Kerkplein in Zwolle tegen de bezuinigingen",
}


def _classify(tmp_path, **settings) -> dict:
    config = write_config(tmp_path, **settings)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    result = cli("--config", str(config), "classify", "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8").splitlines()[0])


def test_the_configured_stages_decide_what_the_analysis_holds(tmp_path):
    full = _classify(tmp_path / "full")
    assert full["categories"] == ["demonstratie"]
    assert full["gemeente"] == "Zwolle" and full["event_start"] == "2026-10-17T14:00:00+02:00"
    without_when = _classify(tmp_path / "no-when", analysis={"stages": ["categories", "where"]})
    assert without_when["categories"] == ["demonstratie"] and without_when["gemeente"] == "Zwolle"
    assert without_when["event_start"] is None and without_when["announced"] is False


def test_an_unknown_or_misordered_stage_is_a_config_error(tmp_path):
    for stages, words in ((["categories", "sentiment"], "sentiment"), (["when", "categories"], "when")):
        config = write_config(tmp_path, analysis={"stages": stages})
        result = cli("--config", str(config), "config", "check")
        assert result.returncode == 2
        assert "analysis.stages" in result.stderr and words in result.stderr
        assert "Traceback" not in result.stderr
    config = write_config(tmp_path, analysis={"stages": ["categories", "categories"]})
    result = cli("--config", str(config), "config", "check")
    assert result.returncode == 2 and "analysis.stages" in result.stderr


def test_a_command_that_builds_the_analyzer_reports_a_bad_stage_in_one_line(tmp_path):
    config = write_config(tmp_path, analysis={"stages": ["where", "sentiment"]})
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    result = cli("--config", str(config), "classify", "--input", str(src), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"fout: {config.resolve()}: analysis.stages: unknown analyzer stage 'sentiment'; "
        "known stages: categories, when, where"
    ]
