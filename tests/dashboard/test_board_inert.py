"""Every value from outside — channel names, forward origins, explanations that quote them,
places — is shown on the board as plain text: a crafted channel name never becomes a link,
coloured text, formula or an image the browser fetches."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import board_app, write_config

from onrustradar.core.models import Analysis, Post, Signal
from store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow

PAYLOADS = [
    "![baken](http://evil.example/pixel.png)",
    "[klik](http://evil.example/)",
    ":red[ROOD]",
    "$\\href{http://evil.example}{x}$",
    "<img src=http://evil.example/i.png>",
    "**vet**",
    "# kop",
]
CHANNEL = "kanaal " + " ".join(PAYLOADS)


def test_outside_values_are_plain_text(tmp_path, monkeypatch):
    config = write_config(tmp_path, gemeenten=["Zwolle"])
    now = datetime.now(UTC)
    store = SQLiteStore(tmp_path / "store.sqlite")
    post = Post(
        "telegram",
        "k/1",
        CHANNEL,
        now - timedelta(hours=1),
        "Demonstratie zaterdag in Zwolle",
        forwarded_from=PAYLOADS[0],
    )
    store.upsert_posts([post])
    store.save_analyses(
        [Analysis(post.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle", place=PAYLOADS[2])]
    )
    store.upsert_signals(
        [
            Signal(
                "s-1",
                ["demonstratie"],
                "GM0193",
                "Zwolle",
                now,
                now,
                [post.id],
                score=80,
                place=PAYLOADS[1],
                explanation="1 bron: " + CHANNEL,
            )
        ]
    )
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    board = board_app().run()
    assert not board.exception
    _assert_inert(board)
    board.button(key="open-s-1").click().run()
    assert not board.exception
    texts = " ".join(t.value for t in board.text)
    assert CHANNEL in texts and PAYLOADS[0] in texts  # shown, verbatim, as text
    _assert_inert(board)


def _assert_inert(board) -> None:
    rows = [m.value for m in board.markdown if 'class="or-' in m.value]  # the board's own HTML rows
    rendered = (
        [m.value for m in board.markdown if m.value not in rows]
        + [c.value for c in board.caption]
        + [
            e.value
            for kind in ("info", "warning", "error", "success", "subheader", "title")
            for e in getattr(board, kind)
        ]
    )
    for value in rendered:
        assert "evil.example" not in value and ":red[" not in value, value
    # In the rows an outside value is shown, but only with every character of HTML or Markdown
    # syntax as an entity: no tag, link, image, colour or formula can form.
    for value in rows:
        for payload in PAYLOADS:
            assert payload not in value
        for syntax in ("<img", "](", "![", ":red[", "$\\href", "**"):
            assert syntax not in value, value
