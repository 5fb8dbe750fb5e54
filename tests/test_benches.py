"""Every bench of the board also runs at a tiny size here, so none can rot (timing is not
asserted: the figures come from the full-size runs in the README)."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))


def test_board_latency_bench_runs_tiny(monkeypatch, capsys):
    import board_latency

    times = board_latency.main(["--posts", "300", "--signals", "40", "--runs", "1"])
    assert len(times) == 1
    assert "Signalen page" in capsys.readouterr().out


def test_search_latency_bench_runs_tiny(capsys):
    import search_latency

    results = search_latency.main(["--posts", "2000", "--runs", "1"])
    found = {query: n for query, n, _, _ in results}
    assert found["demonstratie"] > 0 and found[search_latency.ELSEWHERE.lower()] == 0
    assert "all searches" in capsys.readouterr().out
