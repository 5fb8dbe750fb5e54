"""`onrustradar import posts --input FILE`: the `export posts` format back into a store —
handles pseudonymised at intake, idempotent on (source, source_id), bad lines reported with
their number while the good ones are kept. On SQLite through the real CLI, and on both
backends through the store interface."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli, write_config

from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise
from onrustradar.service.importer import import_posts
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC).replace(microsecond=0)


def line(n: int, **kw) -> str:
    record = {
        "source": "telegram",
        "source_id": f"kanaal/{n}",
        "channel": "kanaal",
        "published_at": (NOW - timedelta(hours=n)).isoformat(),
        "text": f"Demonstratie {n} in Zwolle",
        "url": f"https://t.me/kanaal/{n}",
    }
    record.update(kw)
    return json.dumps(record, ensure_ascii=False)


@pytest.mark.slow
def test_import_keeps_good_lines_reports_bad_ones_and_is_idempotent(tmp_path):
    config = write_config(tmp_path)
    lines = [
        line(1),
        "{dit is geen json",
        line(2, author="@Jansen_Echt", text="Oproep van @jansen_echt: zaterdag demonstratie"),
        json.dumps({"source": "telegram", "source_id": "kanaal/3", "channel": "kanaal", "text": "x"}),  # no time
        line(4, published_at="3000-01-01T00:00:00+00:00"),
        "",
        "[1, 2]",
        line(5, text=""),
        line(6, source_id="kanaal/1"),  # the same post again, in the same file
        line(7, published_at=(NOW - timedelta(days=400)).isoformat()),  # past retention (30 days)
        "[" * 100 + "]" * 100,
        line(8),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    first = cli("--config", str(config), "import", "posts", "--input", str(path))
    assert first.returncode == 1, first.stderr  # some lines were bad ...
    errors = first.stderr.strip().splitlines()
    assert [e.split(":")[0] for e in errors] == ["regel 2", "regel 4", "regel 5", "regel 7", "regel 8", "regel 11"]
    assert "published_at" in errors[1] and "toekomst" in errors[2]
    assert "11 regels: 3 nieuw, 1 al aanwezig, 1 ouder dan de bewaartermijn, 6 fout" in first.stdout

    db = SQLiteStore(tmp_path / "store.sqlite")
    try:
        posts = {p.source_id: p for p in db.iter_posts()}
    finally:
        db.close()
    assert set(posts) == {"kanaal/1", "kanaal/2", "kanaal/8"}  # ... the good ones are kept
    assert posts["kanaal/1"].text == "Demonstratie 1 in Zwolle"  # the first of two copies
    assert posts["kanaal/2"].author == pseudonymise("Jansen_Echt")
    assert "jansen" not in posts["kanaal/2"].text.casefold()
    blob = b"".join(f.read_bytes() for f in tmp_path.iterdir() if f.name.startswith("store.sqlite"))
    assert b"ansen_" not in blob.lower()  # the raw handle is nowhere in the database files

    again = cli("--config", str(config), "import", "posts", "--input", str(path))
    assert "0 nieuw, 4 al aanwezig" in again.stdout, again.stdout

    exported = cli("--config", str(config), "export", "posts")
    assert exported.returncode == 0
    round_trip = tmp_path / "export.jsonl"
    round_trip.write_text(exported.stdout, encoding="utf-8")
    other = write_config(tmp_path / "other")
    copied = cli("--config", str(other), "import", "posts", "--input", str(round_trip))
    assert copied.returncode == 0, copied.stderr
    assert "3 regels: 3 nieuw, 0 al aanwezig" in copied.stdout
    assert cli("--config", str(other), "export", "posts").stdout == exported.stdout


@pytest.mark.slow
def test_import_refuses_a_missing_file_in_one_line(tmp_path):
    config = write_config(tmp_path)
    out = cli("--config", str(config), "import", "posts", "--input", str(tmp_path / "nergens.jsonl"))
    assert out.returncode == 1 and "bestaat niet" in out.stderr and "Traceback" not in out.stderr


def test_import_is_idempotent_also_against_crawled_posts(store, tmp_path):
    # A post crawled by a configured source ("tg-kanaal") has its own id; importing the export
    # of it must not store it a second time under the platform's name.
    store.upsert_posts(
        [
            Post(
                source="telegram",
                source_id="kanaal/1",
                channel="kanaal",
                source_name="tg-kanaal",
                published_at=NOW - timedelta(hours=1),
                text="Demonstratie 1 in Zwolle",
            )
        ]
    )
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join([line(1), line(2), line(2), "nee"]) + "\n", encoding="utf-8")
    seen = []
    report = import_posts(path, store, retention_days=30, on_error=seen.append)
    assert (report.new, report.present, report.errors) == (1, 2, ["regel 4: geen geldige JSON"])
    assert seen == report.errors
    assert store.count_posts() == 2
    again = import_posts(path, store, retention_days=30)
    assert (again.new, again.present) == (0, 3) and store.count_posts() == 2
    assert store.stored_source_ids("telegram", ["kanaal/1", "kanaal/2", "kanaal/9"]) == {"kanaal/1", "kanaal/2"}
    assert store.stored_source_ids("rss", ["kanaal/1"]) == set()
