"""Red team: payloads of our own for every class of issue #17, beyond the examples the issue
named. Each test says which class it attacks; see docs/security.md for the defences."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import board_app, cli, write_config
from loopback import Loopback, Reply

from onrustradar.core.intake import Rejected, admit
from onrustradar.core.models import Analysis, Post, Signal
from onrustradar.core.pseudonym import pseudonymise
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC) - timedelta(minutes=30)
JSON = "application/json; charset=utf-8"


def _store_bytes(directory: Path, prefix: str = "store.sqlite") -> bytes:
    return b"".join(p.read_bytes() for p in directory.iterdir() if p.name.startswith(prefix)).lower()


# -- 1. one post must never stop processing ------------------------------------------------------


@pytest.mark.parametrize(
    "parse, payload",
    [
        (
            "mastodon",
            [{"id": "1", "created_at": "9999-12-31T23:59:59Z", "content": "<p>x</p>", "account": {"acct": "a"}}],
        ),
        ("mastodon", [{"id": "1", "created_at": "0001-01-01T00:00:00+23:59", "content": "<p>x</p>", "uri": ["lijst"]}]),
        (
            "bluesky",
            {
                "posts": [
                    {
                        "uri": "at://did:plc:a/app.bsky.feed.post/1",
                        "indexedAt": "x",
                        "record": {"text": "x", "createdAt": "2999-01-01T00:00:00Z"},
                    }
                ]
            },
        ),
        ("dumpert", {"items": [{"id": 1, "title": "x", "date": "1969-12-31T23:59:59Z"}]}),
        (
            "reddit",
            {"kind": "Listing", "data": {"children": [{"data": {"name": "t3_x", "title": "x", "created_utc": -1e12}}]}},
        ),
    ],
)
def test_extreme_dates_from_every_json_source_never_reach_the_store(parse, payload):
    from crawlers.spiders import bluesky, dumpert, mastodon, reddit

    body = json.dumps(payload).encode()
    parsers = {
        "mastodon": lambda: [p for _, p in mastodon.parse_statuses(body, "#x", "http://x")[0]],
        "bluesky": lambda: bluesky.parse_page(body, "zoek:x")[0],
        "dumpert": lambda: dumpert.parse_latest(body)[0],
        "reddit": lambda: reddit.parse_listing(body, "x", "http://x")[0],
    }
    for post in parsers[parse]():
        with pytest.raises(Rejected):
            admit(post)


@pytest.mark.slow
def test_an_absurd_amount_of_weeks_is_analysed_not_quarantined(tmp_path):
    from onrustradar.config import load_config
    from onrustradar.service.pipeline import process

    config = load_config(write_config(tmp_path))
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(
        [
            Post(
                "rss",
                "x",
                "nieuws",
                NOW,
                "Over 420000 weken demonstratie op het Grote Kerkplein in Zwolle",
                source_name="nieuws",
            )
        ]
    )
    report = process(store, config)
    assert report.analysed == 1 and store.quarantined() == []
    store.close()


def test_numbers_and_ids_at_the_edges(tmp_path):
    post = Post("rss", "x" * 10_000, "nieuws", NOW, "tekst", views=2**63, source_name="n")
    admit(post)
    assert post.views is None and post.source_id.startswith("sha256:")
    again = admit(Post("rss", "x" * 10_000, "nieuws", NOW, "tekst", source_name="n"))
    assert again.source_id == post.source_id  # a re-crawl of the same long id is not a new post


# -- 2. one source cannot rewrite another's evidence ------------------------------------------------


@pytest.mark.slow
def test_a_channel_page_cannot_plant_posts_of_another_channel(tmp_path):
    from onrustradar.service.replay import ReplayPost, render_tme_page

    server = Loopback()
    try:
        real = render_tme_page("politie_oost", [ReplayPost("k", "telegram", 5, "Echt politiebericht", NOW)], None)
        fake = render_tme_page("politie_oost", [ReplayPost("k", "telegram", 5, "VALS: kom allemaal", NOW)], None)
        server.route("/s/politie_oost", Reply(real))
        server.route("/s/nepkanaal", Reply(fake))  # a page of another source listing politie_oost/5
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[
                {
                    "name": "politie",
                    "type": "telegram_web",
                    "channel": "politie_oost",
                    "base_url": server.url,
                    "kind": "official",
                },
                {"name": "nep", "type": "telegram_web", "channel": "nepkanaal", "base_url": server.url},
            ],
        )
        for name in ("politie", "nep", "politie", "nep"):
            assert cli("--config", str(config), "crawl", "--source", name).returncode == 0
        store = SQLiteStore(tmp_path / "store.sqlite")
        assert [p.text for p in store.iter_posts()] == ["Echt politiebericht"]
        store.close()
    finally:
        server.close()


# -- 3. the audit trail --------------------------------------------------------------------------


@pytest.fixture
def trail(tmp_path):
    config = write_config(tmp_path)
    for n in range(5):
        assert cli("--config", str(config), "subject-request", "--handle", f"x{n}").returncode == 0
    return config, tmp_path / "audit.jsonl"


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["swap", "duplicate_last", "rollback", "insert_rechained", "blank_lines_only"])
def test_audit_tampering_of_other_kinds_is_detected(trail, attack):
    config, log = trail
    lines = log.read_text().splitlines(keepends=True)
    if attack == "swap":
        lines[1], lines[2] = lines[2], lines[1]
    elif attack == "duplicate_last":
        lines.append(lines[-1])
    elif attack == "rollback":  # an older copy of the whole file, chain intact in itself
        lines = lines[:3]
    elif attack == "insert_rechained":
        rows = [json.loads(x) for x in lines]
        rows.insert(2, {**rows[1], "action": "ingevoegd"})
        prev = "0" * 64
        for i, row in enumerate(rows, 1):
            row["seq"], row["prev"] = i, prev
            body = json.dumps(
                {k: v for k, v in row.items() if k != "hash"}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            row["hash"] = prev = hashlib.sha256((prev + body).encode()).hexdigest()
        lines = [json.dumps(r) + "\n" for r in rows]
    elif attack == "blank_lines_only":
        lines = ["\n"] * len(lines)
    log.write_text("".join(lines))
    result = cli("--config", str(config), "audit", "verify")
    assert result.returncode == 1 and "BESCHADIGD" in result.stderr


@pytest.mark.slow
def test_a_torn_line_stops_an_export_before_it_is_written(trail, tmp_path):
    config, log = trail
    log.write_bytes(log.read_bytes()[:-7])  # the last row cut off mid-way
    out = tmp_path / "export.jsonl"
    result = cli(
        "--config", str(config), "export", "signals", "--recipient", "politie", "--legal-basis", "x", "-o", str(out)
    )
    assert result.returncode == 1 and not out.exists()


# -- 4. handles never reach the store ------------------------------------------------------------


def test_handles_in_unusual_places_are_pseudonymised(tmp_path):
    from crawlers.spiders import mastodon, reddit, rss

    statuses = [
        {
            "id": "9",
            "created_at": NOW.isoformat(),
            "spoiler_text": "cw @geheimeen@elders.example",
            "content": '<p><a href="https://elders.example/@geheimeen">@geheimeen</a> en u/geheimtwee</p>',
            "uri": "https://elders.example/users/geheimeen/statuses/9",
            "url": "https://elders.example/@geheimeen/9",
            "account": {"acct": "GeheimDrie@Elders.Example"},
            "reblog": None,
        }
    ]
    posts = [p for _, p in mastodon.parse_statuses(json.dumps(statuses).encode(), "#x", "http://x")[0]]
    listing = {
        "kind": "Listing",
        "data": {
            "children": [
                {
                    "data": {
                        "name": "t3_a",
                        "title": "Zie /u/geheimvier",
                        "created_utc": NOW.timestamp(),
                        "author": "geheimvier",
                        "url": "https://old.reddit.com/u/geheimvier/",
                    }
                }
            ]
        },
    }
    posts += reddit.parse_listing(json.dumps(listing).encode(), "x", "http://x")[0]
    feed = (
        f'<rss version="2.0"><channel><title>t</title><item><title>Bericht</title>'
        f"<link>https://medium.example/@geheimvijf/post-1</link><guid>https://x.example/?author=@geheimvijf</guid>"
        f"<pubDate>{NOW.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item></channel></rss>"
    )
    posts += rss.parse_feed(feed.encode(), "nieuws", NOW)[0]
    for post in posts:
        post.source_name = "bron"
        admit(post)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(posts)
    store.close()
    data = _store_bytes(tmp_path)
    for name in ("geheimeen", "geheimtwee", "geheimdrie", "geheimvier", "geheimvijf"):
        assert name.encode() not in data, name


# -- classify/detect files -----------------------------------------------------------------------


@pytest.mark.slow
def test_jsonl_payloads(tmp_path, config_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    good = {"id": "goed", "published_at": NOW.isoformat(), "text": "Demonstratie in Zwolle"}
    src.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(good).encode()
        + b"\r\n"  # BOM and CRLF
        + b"\x00\x00\x00\n"  # NUL bytes
        + b'{"id": 1e400, "published_at": "2026-01-01T00:00:00Z", "text": "x"}\n'
        + b'{"id": "tz", "published_at": "2026-01-01T00:00:00+99:00", "text": "x"}\n'
        + b'{"id": "dubbel", "id": "dubbel2", "published_at": "2026-01-01T00:00:00Z", "text": "x"}\n'
        + b"\xff\xfe\xfd\n"
        + json.dumps(good).encode()
        + b"\n"
    )
    result = cli("--config", str(config_path), "classify", "--input", str(src), "--output", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 7 and rows[-1]["id"] == "goed" and "error" not in rows[-1]
    assert all("error" in r for r in rows[1:3])


# -- config ----------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "extra",
    [
        "x0: &a [1, 1, 1, 1, 1, 1, 1, 1]\n"
        + "".join(
            f"x{i}: &{'a' * (i + 1)} [" + ", ".join([f"*{'a' * i}"] * 8) + "]\n" for i in range(1, 8)
        ),  # billion laughs
        "? [een, lijst]\n: sleutel\n",  # an unhashable key
        "retention_days: !!binary aGFsbG8=\n",
        "retention_days: !!python/object/apply:os.system ['true']\n",
        "\tretention_days: 3\n",  # a tab
    ],
)
def test_config_payloads(tmp_path, extra):
    path = write_config(tmp_path)
    path.write_text(path.read_text() + extra, encoding="utf-8")
    result = cli("--config", str(path), "config", "check", timeout=60)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "os.system" not in result.stderr


# -- SSRF --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "http://2130706433/",
        "http://127.1/",
        "http://0/",
        "http://[::]/",
        "http://feed.example:8080@127.0.0.1/",
        "http://127.0.0.1.nip.io/",
        "http://localhost./",
        "HTTP://LOCALHOST/",
    ],
)
def test_ssrf_payloads_are_refused(link):
    from crawlers.ssrf import refusal

    assert (
        refusal(link, "http://feed.example:8080/rss", ["127.0.0.1.nip.io", "localhost", "0", "2130706433"]) is not None
    )


# -- board: plain text, hosts -----------------------------------------------------------------------


def test_board_payloads_stay_text(tmp_path, monkeypatch):
    config = write_config(tmp_path)
    store = SQLiteStore(tmp_path / "store.sqlite")
    hostile = "<iframe src=//evil.example></iframe> :material/warning: [x](javascript:alert(1)) ~~weg~~"
    post = Post("telegram", "k/1", hostile, NOW, "Demonstratie in Zwolle", forwarded_from=hostile)
    store.upsert_posts([post])
    store.save_analyses([Analysis(post.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle")])
    store.upsert_signals([Signal("s", ["demonstratie"], "GM0193", "Zwolle", NOW, NOW, [post.id], explanation=hostile)])
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    board = board_app().run()
    board.button(key="open-s").click().run()
    assert not board.exception
    for element in list(board.markdown) + list(board.caption):
        assert "evil.example" not in element.value and "javascript" not in element.value


# -- t.me/s nesting, disabled sources -------------------------------------------------------------


def test_tme_other_nesting_payloads():
    from crawlers.spiders.telegram_web import parse_page
    from onrustradar.service.replay import ReplayPost, render_tme_page

    html = render_tme_page("kanaal", [ReplayPost("k", "telegram", i, f"Bericht {i}", NOW) for i in range(1, 6)], None)
    for payload in ("<table><tr><td>" * 3000, "<!--", "<a href='x'>" * 5000, "<svg>" + "<g>" * 4000, "<![CDATA["):
        posts, _, _ = parse_page(html.replace("Bericht 2<", payload + "<"), "kanaal", "http://x")
        assert {"kanaal/3", "kanaal/4", "kanaal/5"} <= {p.source_id for p in posts}, payload


@pytest.mark.slow
def test_the_runner_itself_skips_a_disabled_source(tmp_path):
    from crawlers.runner import crawl
    from onrustradar.config import load_config

    server = Loopback()
    try:
        server.route("/f.xml", Reply("<rss><channel></channel></rss>", ctype="application/rss+xml"))
        config = load_config(
            write_config(
                tmp_path, sources=[{"name": "uit", "type": "rss", "url": f"{server.url}/f.xml", "enabled": False}]
            )
        )
        assert crawl(config.settings, ["uit"]) == [] and sum(server.hits.values()) == 0
    finally:
        server.close()


# -- retention --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_process_purge_leaves_no_text_in_urls_channels_or_text(tmp_path):
    path = write_config(tmp_path, retention_days=1)
    store = SQLiteStore(tmp_path / "store.sqlite")
    old = NOW - timedelta(days=3)
    store.upsert_posts(
        [
            Post(
                "rss",
                f"g{i}",
                "zqxkanaal",
                old,
                f"zqxwoord{i} demonstratie",
                url=f"https://x/zqxlink{i}",
                source_name="n",
            )
            for i in range(100)
        ]
    )
    store.close()
    assert cli("--config", str(path), "process").returncode == 0
    data = _store_bytes(tmp_path)
    for marker in (b"zqxkanaal", b"zqxwoord", b"zqxlink"):
        assert marker not in data


# -- subject requests -------------------------------------------------------------------------------


def test_subject_request_forms(tmp_path):
    from onrustradar.governance.subjects import subject_request

    store = SQLiteStore(tmp_path / "s.sqlite")
    store.upsert_posts(
        [
            Post("mastodon", "1", "#x", NOW, "eigen", author=pseudonymise("jansen@mastodon.nl")),
            Post("mastodon", "2", "#x", NOW, "boost", forwarded_from=pseudonymise("jansen@mastodon.nl")),
        ]
    )
    for form in ("  @Jansen@Mastodon.NL ", "https://mastodon.nl/@jansen", "https://mastodon.nl/@Jansen/"):
        assert subject_request(store, form).found == 2, form
    assert subject_request(store, "jansen@elders.nl").found == 0  # another person with that name
    store.close()


# -- board host and origin --------------------------------------------------------------------------


def test_board_origin_payloads():
    from onrustradar.service.board import board_command

    cmd = board_command(Path("c.yml"), "127.0.0.1", 8501, urls=["https://bord.gemeente.example/pad"])
    hosts = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--server.allowedHosts"]
    origins = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--server.corsAllowedOrigins"]
    assert "*" not in hosts and not any(h.startswith("*") for h in hosts)
    assert "bord.gemeente.example" in hosts and "https://bord.gemeente.example" in origins
    assert cmd[cmd.index("--server.enableCORS") + 1] == "true"
    assert cmd[cmd.index("--server.enableXsrfProtection") + 1] == "true"


# -- dates given on the command line and in calendars ----------------------------------------------


@pytest.mark.slow
def test_absurd_dates_on_the_command_line_and_in_calendars(tmp_path, config_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "published_at": NOW.isoformat(), "text": "Demonstratie in Zwolle"}) + "\n")
    for now in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"):
        result = cli(
            "--config", str(config_path), "detect", "--input", str(src), "--output", str(tmp_path / "o"), "--now", now
        )
        assert result.returncode == 2 and "1990-2100" in result.stderr
    result = cli(
        "--config",
        str(config_path),
        "digest",
        "--gemeente",
        "Zwolle",
        "--date",
        "9999-12-31",
        "--dry-run",
        str(tmp_path),
    )
    assert result.returncode == 2 and "1990-2100" in result.stderr
    (tmp_path / "calendars").mkdir(exist_ok=True)
    (tmp_path / "calendars" / "ver.yml").write_text("entries:\n  - {date: 9999-12-31, gemeente: Zwolle}\n")
    path = write_config(tmp_path, detectors={"calendars": ["calendars/ver.yml"]})
    result = cli("--config", str(path), "config", "check")
    assert result.returncode == 2 and "entries.0.date" in result.stderr
