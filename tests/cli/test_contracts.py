"""The exact file contracts of `classify` and `detect` that other tools rely on."""

import json

import pytest
from conftest import cli

pytestmark = pytest.mark.slow

POSTS = [
    {
        "id": "a1",
        "source": "telegram",
        "channel": "zwolle_zegt_nee",
        "published_at": "2026-03-25T10:00:00+01:00",
        "text": "Aanstaande zaterdag om 14.00 uur demonstratie tegen het azc bij het stadhuis in Zwolle! DELEN!!",
    },
    {
        "id": "a2",
        "source": "telegram",
        "channel": "wakker_oost",
        "published_at": "2026-03-25T11:00:00+01:00",
        "forwarded_from": "zwolle_zegt_nee",
        "text": "Aanstaande zaterdag om 14.00 uur demonstratie tegen het azc bij het stadhuis in Zwolle! DELEN!!",
    },
    {
        "id": "a3",
        "source": "rss",
        "channel": "regio-oost",
        "published_at": "2026-03-26T09:00:00+01:00",
        "text": "Demonstratie tegen azc in Zwolle aangekondigd voor zaterdag om 14.00 uur",
    },
    {
        "id": "b1",
        "source": "mastodon",
        "channel": "#weer",
        "published_at": "2026-03-25T12:00:00+01:00",
        "text": "Morgen veel regen in Groningen.",
        "extra": "ignored",
    },
]


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_classify_contract(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [json.dumps(p) for p in POSTS] + ["{not json", json.dumps({"id": "x", "text": 5})])
    result = cli("classify", "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6  # one output line per input line, in order
    first = rows[0]
    assert set(first) == {
        "id",
        "categories",
        "scores",
        "gemeente",
        "gemeente_code",
        "announced",
        "event_start",
        "time_known",
    }
    assert first["id"] == "a1" and first["categories"] == ["demonstratie"]
    assert (first["gemeente"], first["gemeente_code"]) == ("Zwolle", "GM0193")
    assert first["announced"] is True and first["time_known"] is True
    assert first["event_start"] == "2026-03-28T14:00:00+01:00"
    assert set(first["scores"]) == {"demonstratie", "scootermeeting", "supporters", "incident"}
    assert rows[3]["categories"] == [] and rows[3]["event_start"] is None
    assert "error" in rows[4] and rows[4]["id"] is None
    assert rows[5]["id"] == "x" and "text" in rows[5]["error"]


def test_classify_unreadable_input_fails(tmp_path):
    result = cli("classify", "--input", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o.jsonl"))
    assert result.returncode != 0 and "missing.jsonl" in result.stderr


def test_detect_contract(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [json.dumps(p) for p in POSTS])
    result = cli("detect", "--input", str(src), "--output", str(out), "--now", "2026-03-26T12:00:00+01:00")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    signal = rows[0]
    assert set(signal) == {
        "signal_id",
        "categories",
        "gemeente",
        "gemeente_code",
        "event_start",
        "first_seen",
        "last_seen",
        "post_ids",
        "independent_sources",
        "score",
        "reliability",
        "burst_factor",
        "explanation",
    }
    assert sorted(signal["post_ids"]) == ["a1", "a2", "a3"]
    assert signal["independent_sources"] == 2  # the forward counts with its origin
    assert signal["reliability"] == "bevestigd"
    assert signal["event_start"] == "2026-03-28T14:00:00+01:00"
    assert "2 bronnen" in signal["explanation"]


def test_detect_sorts_by_score(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    more = POSTS + [
        {
            "id": "c1",
            "source": "telegram",
            "channel": "x",
            "published_at": "2026-03-20T10:00:00+01:00",
            "text": "Scootermeeting in Deventer gisteravond, politie greep in",
        }
    ]
    _write(src, [json.dumps(p) for p in more])
    assert (
        cli("detect", "--input", str(src), "--output", str(out), "--now", "2026-03-26T12:00:00+01:00").returncode == 0
    )
    scores = [json.loads(line)["score"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)


def test_a_sources_home_gemeente_settles_ambiguous_places(tmp_path):
    from conftest import write_config

    config = write_config(
        tmp_path,
        sources=[{"name": "tg-rijswijk", "type": "telegram_web", "channel": "rijswijk_nieuws", "gemeente": "Buren"}],
    )
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    post = {
        "source": "telegram",
        "published_at": "2026-03-25T10:00:00+01:00",
        "text": "Vechtpartij in Rijswijk vannacht",
    }
    _write(
        src,
        [
            json.dumps({**post, "id": "1", "channel": "rijswijk_nieuws"}),
            json.dumps({**post, "id": "2", "channel": "elders"}),
        ],
    )
    assert cli("--config", str(config), "classify", "--input", str(src), "--output", str(out)).returncode == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["gemeente_code"] for r in rows] == ["GM0214", "GM0603"]
