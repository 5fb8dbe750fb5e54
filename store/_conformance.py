"""A typing-time check that both backends keep to the Store interface: mypy fails on this
module when a method of store.base.Store is missing from either backend or has drifted from
its signature. Nothing here runs (the imports are for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.base import Store
    from store.elastic import ElasticStore
    from store.sqlite import SQLiteStore


def _conforms(sqlite: SQLiteStore, elastic: ElasticStore) -> tuple[Store, Store]:
    return sqlite, elastic
