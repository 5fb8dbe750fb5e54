"""Subject requests find a subject's own posts, and posts of others that boost or forward
them, whether the handle is given as name, @name, name@instance or a profile link."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply

from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise
from onrustradar.governance.subjects import subject_handle, subject_request
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC) - timedelta(hours=1)


@pytest.mark.slow
def test_boosts_and_remote_accounts_are_found_after_a_real_crawl(tmp_path):
    server = Loopback()
    try:
        host = "127.0.0.1"

        def status(sid, acct, text="", reblog=None):
            return {
                "id": sid,
                "created_at": NOW.isoformat(),
                "uri": f"{server.url}/users/x/statuses/{sid}",
                "url": None,
                "content": f"<p>{text}</p>",
                "account": {"acct": acct},
                "reblog": reblog,
            }

        server.route(
            "/api/v1/timelines/tag/zwolle",
            Reply(
                json.dumps(
                    [
                        status("1", "jansen", "Eigen bericht op de eigen server"),  # local: jansen@127.0.0.1
                        status("2", "iemand@elders.example", reblog=status("3", "jansen", "Geboost bericht")),
                        status("4", "ander@elders.example", "Bericht van iemand anders"),
                    ]
                ),
                ctype="application/json",
            ),
        )
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[{"name": "masto", "type": "mastodon", "base_url": server.url, "tag": "zwolle"}],
        )
        assert "masto: 3 nieuw" in cli("--config", str(config), "crawl", "--source", "masto").stdout
    finally:
        server.close()
    for form in (f"jansen@{host}", f"@jansen@{host}", f"http://{host}/@jansen"):
        report = json.loads(cli("--config", str(config), "subject-request", "--handle", form).stdout)
        assert report["found"] == 2, form  # the own post and the boost of it by someone else
    report = cli("--config", str(config), "subject-request", "--handle", f"jansen@{host}", "--delete")
    assert json.loads(report.stdout)["deleted"] == 2
    store = SQLiteStore(tmp_path / "store.sqlite")
    assert [p.text for p in store.iter_posts()] == ["Bericht van iemand anders"]
    store.close()


def test_telegram_forwards_of_a_person_are_found(tmp_path):
    store = SQLiteStore(tmp_path / "s.sqlite")
    store.upsert_posts(
        [
            Post("telegram", "k/1", "k", NOW, "doorgestuurd", forwarded_from=pseudonymise("jansen")),
            Post("telegram", "k/2", "k", NOW, "eigen", author=pseudonymise("jansen")),
            Post("telegram", "k/3", "k", NOW, "kanaal", forwarded_from="politie_zwolle"),
        ]
    )
    assert subject_request(store, "https://t.me/jansen").found == 2
    assert subject_request(store, "@Jansen", delete=True).deleted == 2
    assert store.count_posts() == 1
    store.close()


@pytest.mark.parametrize(
    "given, stored",
    [
        ("https://mastodon.nl/@jansen", "jansen@mastodon.nl"),
        ("https://mastodon.nl/@jansen@elders.nl/", "jansen@elders.nl"),
        ("https://www.reddit.com/user/bob/", "bob"),
        ("https://bsky.app/profile/kees.bsky.social", "kees.bsky.social"),
        ("@jansen", "@jansen"),
        ("jansen@mastodon.nl", "jansen@mastodon.nl"),
    ],
)
def test_handle_forms(given, stored):
    assert subject_handle(given) == stored
