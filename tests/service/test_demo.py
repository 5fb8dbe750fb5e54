"""The main job end to end: replayed sources on 127.0.0.1 -> real spiders -> SQLite -> NLP ->
detectors -> printed signals. Run twice on one store: nothing is duplicated."""

import json
import re

import pytest
import yaml
from conftest import ROOT, cli, write_config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_config(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(directory / "demo.sqlite")
    return write_config(directory, **data)


@pytest.fixture(scope="module")
def first_run(demo_config):
    return cli("--config", str(demo_config), "demo", "--headless", "--once")


def test_demo_pass_prints_all_four_categories(first_run):
    assert first_run.returncode == 0, first_run.stderr[-2000:]
    table = first_run.stdout.split("top", 1)[1]
    for label in ("Demonstratie", "Scootermeeting", "Supporters", "Incident"):
        assert label in table, first_run.stdout
    assert re.search(r"Demonstratie\s+Zwolle\s+\w\w \d+ \w+ 14:00", table), table
    assert "bevestigd" in table


def _post_count(config) -> int:
    out = cli("--config", str(config), "export", "posts")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    for row in rows:
        assert set(row) == {"source", "source_id", "channel", "published_at", "text", "url"}
    return len(rows)


def test_second_run_adds_nothing(first_run, demo_config):
    before = _post_count(demo_config)
    assert before > 20
    again = cli("--config", str(demo_config), "demo", "--headless", "--once")
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.splitlines()[1].startswith("0 nieuwe berichten")
    assert _post_count(demo_config) == before


def test_raw_handles_never_reach_the_database_files(first_run, demo_config):
    timeline = yaml.safe_load(
        (ROOT / "onrustradar" / "service" / "data" / "demo" / "timeline.yml").read_text(encoding="utf-8")
    )
    handles = {p["author"].lstrip("@") for p in timeline["posts"] if p.get("author")}
    assert len(handles) >= 5
    store_dir = demo_config.parent
    files = [f for f in store_dir.iterdir() if f.name.startswith("demo.sqlite")]
    blob = b"".join(f.read_bytes() for f in files)
    assert b"ps_" in blob  # pseudonyms are there...
    for handle in handles:
        assert handle.encode() not in blob, handle  # ...raw handles are not
