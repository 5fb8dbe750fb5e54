"""Every bench of the board also runs at a tiny size here, so none can rot (timing is not
asserted: the figures come from the full-size runs in the README)."""

import sys
from datetime import UTC, datetime

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.slow
def test_board_latency_bench_runs_tiny(monkeypatch, capsys):
    import board_latency

    times = board_latency.main(["--posts", "300", "--signals", "40", "--runs", "1"])
    assert len(times) == 1
    assert "Signalen page" in capsys.readouterr().out


@pytest.mark.slow
def test_search_latency_bench_runs_tiny(capsys):
    import search_latency

    results = search_latency.main(["--posts", "2000", "--runs", "1"])
    found = {query: n for query, n, _, _ in results}
    assert found["demonstratie"] > 0 and found[search_latency.ELSEWHERE.lower()] == 0
    assert "all searches" in capsys.readouterr().out


def _environment():
    import os

    return {k: v for k, v in os.environ.items() if k.startswith("ONRUSTRADAR")}


@pytest.mark.slow
def test_tick_speed_bench_runs_tiny(capsys):
    import tick_speed

    before = _environment()
    result = tick_speed.main(["--posts", "300", "--new", "10", "--ticks", "2"])
    assert result["stored"] == 300 and result["ticks"] == 2 and result["last_analysed"] == 10
    assert "tick with 10 new posts" in capsys.readouterr().out
    assert _environment() == before  # a bench leaves the environment as it found it
    # with town-less chatter in the stream (and none: the very stream of the README's figures)
    result = tick_speed.main(["--posts", "300", "--new", "10", "--ticks", "1", "--chatter", "0.5"])
    assert result["stored"] == 300 and result["last_analysed"] == 10
    stream = tick_speed.Posts(chatter=1.0)
    assert all(any(p.text.startswith(c) for c in tick_speed.CHATTER) for p in stream.spread(5, NOW, NOW))
    assert [p.text for p in tick_speed.Posts().spread(3, NOW, NOW)] == [
        p.text for p in tick_speed.Posts(chatter=0.0).spread(3, NOW, NOW)
    ]  # no chatter: the very stream of the README's figures


@pytest.mark.es
def test_tick_speed_bench_runs_tiny_on_elasticsearch(capsys):
    import tick_speed
    from store_backends import ES_URL, elastic_store

    elastic_store().drop()  # (skips without a node)
    result = tick_speed.main(["--posts", "300", "--new", "10", "--ticks", "2", "--es", ES_URL])
    assert result["backend"] == "elasticsearch" and result["stored"] == 300 and result["last_analysed"] == 10


@pytest.mark.slow
def test_latency_bench_runs_tiny(capsys):
    import latency

    before = _environment()
    result = latency.main(["--posts", "6", "--feeds", "2", "--interval", "3", "--process", "2", "--spacing", "0.5"])
    assert result["posts"] == 6 and result["in_signals"] == 6 and result["ticks"][0] >= 1
    assert result["median_s"] is not None and result["max_s"] >= result["median_s"]
    assert "latency publication -> signal over 6/6 posts" in capsys.readouterr().out
    assert _environment() == before


@pytest.mark.slow
def test_soak_bench_runs_tiny(capsys):
    """Half a minute of `run` with every fault and a restart: nothing published is lost or stored
    twice, and no tick fails (the bench's own figures; its memory and tick times are not
    asserted here)."""
    import soak

    before = _environment()
    result = soak.main(
        ["--minutes", "0.5", "--per-minute", "32", "--interval", "4", "--process", "2", "--timeout", "2"]
    )
    assert result["published"] >= 8 and result["lost"] == 0 and result["duplicated"] == 0
    assert result["stored"] == result["published"] and result["failed_ticks"] == 0 and result["ticks"] >= 2
    assert len(result["rss_mb"]) == 2 and all(a > 0 and b > 0 for a, b in result["rss_mb"])
    assert "0 lost, 0 duplicated" in capsys.readouterr().out
    assert _environment() == before


def _bench(script: str, *args: str, timeout: int = 600) -> str:
    """A bench run as its README command runs it, in its own process."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_classify_speed_bench_runs_tiny():
    out = _bench("classify_speed.py", "--posts", "40", "--startups", "1")
    assert "40 posts of" in out and "40 output lines" in out and "model loaded" in out


@pytest.mark.slow
def test_detect_speed_bench_runs_tiny():
    import re

    out = _bench("detect_speed.py", "--posts", "400")
    found = re.search(r"detect on 400 posts: .* (\d+) signals", out)
    assert found and int(found.group(1)) > 0, out  # the generated calls make signals


@pytest.mark.slow
def test_crawl_throughput_bench_runs_tiny():
    out = _bench("crawl_throughput.py", "--posts", "100")
    assert "stored: 100; new: 100" in out and "errors: 0" in out


@pytest.mark.slow
def test_store_backends_bench_runs_tiny():
    out = _bench("store_backends.py", "--posts", "500", "--only", "sqlite")
    assert "sqlite: 500 posts ingested" in out and "Signalen query p50" in out


@pytest.mark.slow
def test_independent_eval_prints_every_set_and_no_held_out_error():
    out = _bench("independent_eval.py", "--set", "unseen4", "--errors", "5")
    assert out.count("macro-F1") == 3 and "half J (held out)" in out
    assert "us-j-" not in out  # the held-out half's errors stay unread
    out = _bench("independent_eval.py", "--set", "unseen2", "--errors", "3")
    assert out.count("macro-F1") == 3 and "gemeente given where none is right" in out
    # a set not named unseen*: its whole-set errors would hold the held-out half V's
    out = _bench("independent_eval.py", "--set", "hardneg", "--errors", "200")
    assert "half V (held out" in out and "us-u-" in out
    assert "us-v-" not in out


def test_no_errors_of_a_held_out_half_are_printable():
    from grouping_quality import SETS, errors_allowed
    from independent_eval import HALVES, errors_readable

    for name, halves in HALVES.items():
        assert not errors_readable(name, "")  # the whole set holds both halves
        for half, _prefix, status in halves:
            title = f" — half {half} ({status})"
            assert errors_readable(name, title) == ("held out" not in status)
    assert errors_readable("independent", "")
    eval_dir = ROOT / "detectors" / "eval"
    for month, held, read in [("january", "c", "d"), ("april", "t", "s"), ("may", "z", "y")]:
        assert not errors_allowed(SETS[month])
        assert not errors_allowed(eval_dir / month / held / "posts.jsonl")
        assert errors_allowed(eval_dir / month / read / "posts.jsonl")
    assert errors_allowed(SETS["fresh"]) and errors_allowed(SETS["independent"])
