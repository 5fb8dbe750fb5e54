from detectors.evaluate import bcubed


def test_perfect_and_merged_and_split():
    gold = {"a": "E1", "b": "E1", "c": "E2", "d": "E2"}
    assert bcubed([["a", "b"], ["c", "d"]], gold).f1 == 1.0
    merged = bcubed([["a", "b", "c", "d"]], gold)
    assert merged.recall == 1.0 and merged.precision == 0.5
    split = bcubed([["a"], ["b"], ["c", "d"]], gold)
    assert split.precision == 1.0 and split.recall == 0.75
    missing = bcubed([["a", "b"]], gold)  # c and d were never in a signal: singletons
    assert missing.precision == 1.0 and missing.recall == 0.75 and missing.signals == 3
