"""The classify/detect file readers and writers against hostile files: deep nesting, lone
surrogates, huge lines, /dev/zero, same-file output, missing input, wrong output, repeated ids."""

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli

pytestmark = pytest.mark.slow

NOW = datetime.now(UTC) - timedelta(hours=1)
GOOD = {
    "id": "goed",
    "source": "telegram",
    "channel": "k",
    "published_at": NOW.isoformat(),
    "text": "Zaterdag om 14.00 uur demonstratie op het Grote Kerkplein in Zwolle",
}


def _run(command, src, out, config_path):
    return cli("--config", str(config_path), command, "--input", str(src), "--output", str(out), timeout=120)


def test_hostile_lines_get_error_lines_and_the_run_goes_on(tmp_path, config_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        "[" * 200_000,  # deep nesting
        '{"id": "diep", "x": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}",
        '{"id": "half\\ud800", "published_at": "' + NOW.isoformat() + '", "text": "rellen \\udfff in Ede"}',
        json.dumps({**GOOD, "id": {"a": [1, 2]}}),  # an id that is not a string
        '{"id": "lang", "text": "' + "x" * (2 << 20) + '"}',  # a line over the limit
        json.dumps(GOOD),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("classify", src, out, config_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    rows = [json.loads(x) for x in out.read_bytes().decode("utf-8").splitlines()]  # valid UTF-8 JSON
    assert len(rows) == 6
    assert "nested" in rows[0]["error"] and "nested" in rows[1]["error"] and rows[1]["id"] is None
    assert rows[2]["id"] == "half\ufffd" and "error" not in rows[2]
    assert rows[3]["id"] is None and "error" in rows[3]
    assert "longer than" in rows[4]["error"]
    assert rows[5]["id"] == "goed" and rows[5]["categories"] == ["demonstratie"]


@pytest.mark.parametrize("command", ["classify", "detect"])
def test_output_equal_to_input_is_refused_and_the_input_kept(tmp_path, config_path, command):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    before = src.read_bytes()
    result = _run(command, src, src, config_path)
    assert result.returncode == 1 and "hetzelfde bestand" in result.stderr
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    assert _run(command, src, link, config_path).returncode == 1
    assert src.read_bytes() == before


@pytest.mark.parametrize("command", ["classify", "detect"])
def test_missing_or_odd_input_leaves_the_output_untouched(tmp_path, config_path, command):
    out = tmp_path / "out.jsonl"
    out.write_text("vorige uitvoer\n", encoding="utf-8")
    missing = _run(command, tmp_path / "bestaat-niet.jsonl", out, config_path)
    assert missing.returncode == 1 and "bestaat-niet.jsonl: bestaat niet" in missing.stderr
    for odd in ("/dev/zero", str(tmp_path)):
        result = _run(command, odd, out, config_path)
        assert result.returncode == 1 and "geen gewoon bestand" in result.stderr
    assert out.read_text(encoding="utf-8") == "vorige uitvoer\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_error_about_the_output_names_the_output(tmp_path, config_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    result = _run("classify", src, tmp_path / "geen-map" / "out.jsonl", config_path)
    assert result.returncode == 1 and "geen-map/out.jsonl" in result.stderr and "in.jsonl" not in result.stderr
    (tmp_path / "alleen-lezen").mkdir()
    os.chmod(tmp_path / "alleen-lezen", 0o500)
    try:
        if os.geteuid() != 0:  # root writes anyway
            result = _run("classify", src, tmp_path / "alleen-lezen" / "out.jsonl", config_path)
            assert result.returncode == 1 and "alleen-lezen/out.jsonl" in result.stderr
    finally:
        os.chmod(tmp_path / "alleen-lezen", 0o700)


def test_detect_counts_a_repeated_id_once(tmp_path, config_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    second = {**GOOD, "channel": "ander", "text": GOOD["text"] + " echt waar"}
    src.write_text("\n".join(json.dumps(x) for x in (GOOD, second, GOOD)) + "\n", encoding="utf-8")
    result = _run("detect", src, out, config_path)
    assert result.returncode == 0, result.stderr
    assert "2 fout" in result.stderr
    signals = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    ids = [s["signal_id"] for s in signals]
    assert len(ids) == len(set(ids)) >= 1
    assert sum(s["post_ids"].count("goed") for s in signals) == 1
