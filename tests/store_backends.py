"""The store under test on both backends: SQLite, and a real Elasticsearch node when
ONRUSTRADAR_TEST_ES names one (started by `make test` / `make test-es` through .ci/es.sh).
A pytest plugin of the root conftest, so `store` is a fixture in every test folder."""

import os
import uuid

import pytest

from store.sqlite import SQLiteStore

ES_URL = os.environ.get("ONRUSTRADAR_TEST_ES")


def elastic_store():
    if not ES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Elasticsearch tests, but ONRUSTRADAR_TEST_ES is not set")
        pytest.skip("no Elasticsearch node: run `make test-es` (needs Java) or set ONRUSTRADAR_TEST_ES")
    from elasticsearch import Elasticsearch

    from store.elastic import ElasticStore

    return ElasticStore(Elasticsearch(ES_URL), prefix=f"test-{uuid.uuid4().hex[:8]}", analyzer="standard")


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.es)])
def store(request, tmp_path):
    """The store on SQLite, and on Elasticsearch (marked es; skipped without a node)."""
    if request.param == "sqlite":
        s = SQLiteStore(tmp_path / "s.sqlite")
        yield s
        s.close()
    else:
        s = elastic_store()
        yield s
        s.drop()
        s.close()
