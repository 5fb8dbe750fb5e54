"""Retention and subject-request deletions leave no recoverable text: not in the full-text
index, not in freed pages of the database file, not in the write-ahead log."""

from datetime import UTC, datetime, timedelta

from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC)


def _files(tmp_path) -> bytes:
    return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("store.sqlite"))


def test_purged_words_are_gone_from_every_file(tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite")
    old = [
        Post("rss", f"oud/{i}", "nieuws", NOW - timedelta(days=60), f"Verlopen bericht zqxvergeten{i} over de markt")
        for i in range(300)
    ]
    fresh = [Post("rss", f"nieuw/{i}", "nieuws", NOW, f"Vers bericht zqxblijft{i}") for i in range(50)]
    store.upsert_posts(old + fresh)
    store.close()
    store = SQLiteStore(tmp_path / "store.sqlite")
    assert b"zqxvergeten7" in _files(tmp_path)  # the check below can fail
    assert store.purge_posts(NOW - timedelta(days=30)) == 300
    assert store.search_posts("zqxvergeten7") == [] and len(store.search_posts("zqxblijft7")) == 1
    data = _files(tmp_path)
    assert b"zqxvergeten" not in data
    store.close()
    assert b"zqxvergeten" not in _files(tmp_path)


def test_a_subject_request_deletion_leaves_no_text(tmp_path):
    from onrustradar.governance.subjects import subject_request

    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(
        [
            Post("telegram", f"k/{i}", "k", NOW, f"zqxpersoonlijk{i} bericht", author=pseudonymise("doel"))
            for i in range(20)
        ]
        + [Post("telegram", "k/99", "k", NOW, "ander bericht")]
    )
    assert subject_request(store, "doel", delete=True).deleted == 20
    assert b"zqxpersoonlijk" not in _files(tmp_path)
    store.close()
