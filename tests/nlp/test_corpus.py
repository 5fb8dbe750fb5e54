"""The labelled corpus keeps the promises of its label guide and of issue #4: every record
passes the validator, the size and spread hold, and the independent check set is apart."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "nlp" / "corpus"


@pytest.fixture(scope="module")
def validate():
    spec = importlib.util.spec_from_file_location("corpus_validate", CORPUS / "validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(folder: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((CORPUS / folder).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="module")
def gemeenten():
    with (ROOT / "onrustradar" / "core" / "data" / "gazetteer" / "gemeenten.csv").open(encoding="utf-8") as fh:
        return {row["gm_code"]: row for row in csv.DictReader(fh)}


def test_every_record_passes_the_validator(validate, gemeenten):
    names = {code: row["name"] for code, row in gemeenten.items()}
    for rec in _records("parts") + _records("independent"):
        assert validate.check_record(rec, names) == [], rec["id"]


def test_the_validator_catches_a_wrong_offset_and_a_labelled_hard_negative(validate, gemeenten):
    names = {code: row["name"] for code, row in gemeenten.items()}
    good = _records("parts")[0]
    summer = {**good, "published_at": "2026-07-01T12:00:00+01:00"}  # July is +02:00
    assert any("offset" in p for p in validate.check_record(summer, names))
    hard = {**good, "categories": ["incident"], "hard_negative": True}
    assert any("hard_negative" in p for p in validate.check_record(hard, names))


def test_size_and_spread_of_the_corpus(gemeenten):
    records = _records("parts")
    assert len(records) >= 3000
    assert sum(r["hard_negative"] for r in records) / len(records) >= 0.40
    codes = {r["gemeente_code"] for r in records if r["gemeente_code"]}
    assert len(codes) >= 150
    assert {gemeenten[c]["province"] for c in codes} == {row["province"] for row in gemeenten.values()}
    assert len({r["id"] for r in records}) == len(records)


def test_the_independent_set_is_apart_from_the_corpus():
    corpus, independent = _records("parts"), _records("independent")
    assert independent
    assert not {r["id"] for r in corpus} & {r["id"] for r in independent}
    assert not {r["text"] for r in corpus} & {r["text"] for r in independent}


def _realstyle() -> list[dict]:
    path = CORPUS / "realstyle" / "realstyle.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_corpus_has_grown_with_news_prose():
    """Issue #14: at least 6,000 posts, at least 35% of them news prose."""
    records = _records("parts")
    assert len(records) >= 6000
    assert sum(r["source"] == "rss" for r in records) / len(records) >= 0.35


def test_the_real_style_set_is_labelled_twice_and_apart(validate, gemeenten):
    """Issue #14: >= 400 passages, ~60% news prose, every label agreed by two people or
    adjudicated with a reason, and nothing shared with the training corpus."""
    names = {code: row["name"] for code, row in gemeenten.items()}
    records = _realstyle()
    assert len(records) >= 400
    assert 0.5 <= sum(r["source"] == "rss" for r in records) / len(records) <= 0.7
    for rec in records:
        assert validate.check_record(rec, names) == [], rec["id"]
    decided = [
        json.loads(line) for line in (CORPUS / "realstyle" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    disputed = [
        json.loads(line)
        for line in (CORPUS / "realstyle" / "disagreements.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert {d["id"] for d in decided} == {d["id"] for d in disputed} and all(d["reason"] for d in decided)
    corpus = _records("parts")
    assert not {r["id"] for r in corpus} & {r["id"] for r in records}
    assert not {r["text"] for r in corpus} & {r["text"] for r in records}


UNSEEN_SETS = ["unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6", "unseen7", "unseen8", "hardneg"]


@pytest.mark.parametrize("name", UNSEEN_SETS)
def test_each_unseen_set_is_labelled_twice_and_apart(validate, gemeenten, name):
    """The later check sets of #14, made like the real-style set: 200 passages each, every label
    agreed by writer and blind labeller or decided with a reason, never in the training corpus
    nor in another check set."""
    names = {code: row["name"] for code, row in gemeenten.items()}
    folder = CORPUS / name
    records = [json.loads(line) for line in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 200
    for rec in records:
        assert validate.check_record(rec, names) == [], rec["id"]
    decided = [json.loads(line) for line in (folder / "decisions.jsonl").read_text(encoding="utf-8").splitlines()]
    disputed = [json.loads(line) for line in (folder / "disagreements.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {d["id"] for d in decided} == {d["id"] for d in disputed} and all(d["reason"] for d in decided)
    others = _records("parts") + _realstyle()
    for other in set(UNSEEN_SETS) - {name}:
        lines = (CORPUS / other / f"{other}.jsonl").read_text(encoding="utf-8").splitlines()
        others += [json.loads(line) for line in lines]
    assert not {r["id"] for r in others} & {r["id"] for r in records}
    assert not {r["text"] for r in others} & {r["text"] for r in records}
