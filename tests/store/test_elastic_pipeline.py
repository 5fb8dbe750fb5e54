"""The whole path on Elasticsearch: the demo pass on a real node, and migrating a SQLite
store into it."""

import json
import uuid

import pytest
import yaml
from conftest import ROOT, cli, write_config
from store_backends import ES_URL, elastic_store

pytestmark = pytest.mark.es


@pytest.fixture
def es_config(tmp_path):
    elastic_store().close()  # skips (or fails in CI) without a node
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"] = {"backend": "elasticsearch", "hosts": [ES_URL], "index_prefix": prefix, "analyzer": "standard"}
    yield write_config(tmp_path, **data), prefix
    from elasticsearch import Elasticsearch

    from store.elastic import ElasticStore

    ElasticStore(Elasticsearch(ES_URL), prefix=prefix, analyzer="standard").drop()


def test_demo_pass_on_elasticsearch(es_config):
    config, _ = es_config
    result = cli("--config", str(config), "demo", "--headless", "--once")
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout.split("top", 1)[1]
    for label in ("Demonstratie", "Scootermeeting", "Supporters", "Incident"):
        assert label in table
    again = cli("--config", str(config), "demo", "--headless", "--once")
    assert again.stdout.splitlines()[1].startswith("0 nieuwe berichten")


def test_migrate_sqlite_to_elasticsearch(es_config, tmp_path):
    config, _ = es_config
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(tmp_path / "src" / "demo.sqlite")
    (tmp_path / "src").mkdir()
    sqlite_config = write_config(tmp_path / "src", **data)
    assert cli("--config", str(sqlite_config), "demo", "--headless", "--once").returncode == 0
    before = cli("--config", str(sqlite_config), "export", "posts").stdout.splitlines()
    result = cli(
        "--config",
        str(config),
        "store",
        "migrate",
        "--from",
        f"sqlite:{tmp_path / 'src' / 'demo.sqlite'}",
        "--to",
        "elasticsearch",
    )
    assert result.returncode == 0, result.stderr
    assert f"gekopieerd: {len(before)} berichten" in result.stdout
    again = cli(
        "--config",
        str(config),
        "store",
        "migrate",
        "--from",
        f"sqlite:{tmp_path / 'src' / 'demo.sqlite'}",
        "--to",
        "elasticsearch",
    )
    after = cli("--config", str(config), "export", "posts").stdout.splitlines()
    assert again.returncode == 0
    assert sorted(json.loads(x)["source_id"] for x in after) == sorted(json.loads(x)["source_id"] for x in before)
