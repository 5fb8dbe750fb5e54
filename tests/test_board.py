"""The board with Streamlit's AppTest against a real SQLite store."""

from datetime import datetime, timedelta, timezone

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, write_config
from onrustradar.models import Post, Signal
from store.sqlite import SQLiteStore

HOSTILE = "<script>alert('x')</script> [klik hier](javascript:alert(1)) ![img](http://evil/x.png) **vet**"


@pytest.fixture
def board(tmp_path, monkeypatch):
    config = write_config(tmp_path, gemeenten=["Zwolle", "Enschede"])
    now = datetime.now(timezone.utc)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts([
        Post("telegram", "k/1", "k", now - timedelta(hours=2), "Demonstratie zaterdag in Zwolle " + HOSTILE),
        Post("rss", "n/1", "nieuws", now - timedelta(hours=1), "Rellen in Enschede"),
    ])
    store.upsert_signals([
        Signal("s-zwolle", ["demonstratie"], "GM0193", "Zwolle", now, now, ["telegram:k/1"], score=80,
               event_start=now + timedelta(days=2), time_known=True, announced=True, explanation="1 bron"),
        Signal("s-enschede", ["incident"], "GM0153", "Enschede", now, now, ["rss:n/1"], score=60,
               reliability="bevestigd", explanation="1 bron (1 officieel/nieuws)"),
    ])
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=30)
    return at.run()


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_lists_signals_ranked(board):
    assert not board.exception
    titles = [m.value for m in board.markdown if m.value.startswith("**")]
    assert "Demonstratie" in titles[0] and "Zwolle" in titles[0]
    assert "Incident" in titles[1]
    assert "2 signalen" in _captions(board)


def test_filters_narrow_the_list(board):
    board.sidebar.multiselect(key="f_categorie").set_value(["incident"]).run()
    assert "1 signalen" in _captions(board)
    board.sidebar.multiselect(key="f_betrouwbaarheid").set_value(["onbevestigd"]).run()
    assert "Geen signalen" in " ".join(i.value for i in board.info)


def test_hostile_post_text_is_rendered_inert(board):
    board.button(key="open-s-zwolle").click().run()
    assert not board.exception
    texts = [t.value for t in board.text]
    assert any(HOSTILE in t for t in texts)  # shown verbatim, as plain text
    for element in board.markdown:
        assert "<script>" not in element.value and "javascript:" not in element.value
