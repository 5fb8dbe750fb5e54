"""The PDF briefing (#19): `onrustradar report` writes it, poppler renders its pages to PNG
(pdftoppm) and reads its text back (pdftotext)."""

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli
from digest_scenario import AT
from PIL import Image

from digest.briefing import signal_briefing
from digest.pdf import render
from onrustradar.config import load_config, source_kinds
from onrustradar.core.models import Analysis, Post, Signal
from store.sqlite import SQLiteStore

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    not POPPLER and os.environ.get("CI") != "true",
    reason="poppler-utils (pdftoppm, pdftotext) not installed: make poppler",
)
HOSTILE = '<img src="/etc/passwd"/> <a href="javascript:alert(1)">klik</a> &amp; <b>vet</b>'


def _text(pdf, layout: bool = False) -> str:
    """The PDF's text: in reading order (a table cell stays together), or as laid out (a
    table row stays on one line)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1-\2", text).split())


def _pages(pdf, tmp_path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def _report(path, tmp_path, *extra):
    out = tmp_path / "week.pdf"
    result = cli(
        "--config",
        str(path),
        "report",
        "--gemeente",
        "Zwolle",
        "--period",
        "week",
        "--end",
        "2026-11-20",
        "--output",
        str(out),
        *extra,
    )
    return result, out


@pytest.mark.slow
def test_weekly_briefing_pages_and_text(deployment, tmp_path):
    path, db = deployment
    result, pdf = _report(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "weekrapportage Zwolle" in result.stdout and "5 signalen" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _flat(_text(pdf))
    for heading in (
        "Weekrapportage maatschappelijke onrust — Zwolle",
        "Signalen",
        "Agenda: aangekondigde",
        "Trend: signalen per categorie",
        "Kaart",
        "Geraadpleegde bronnen",
    ):
        assert heading in text, heading
    assert "Periode: vr 13 nov 07:00 tot vr 20 nov 07:00" in text
    # Every signal of the week has its summary line, once, in the digest's order.
    summaries = [
        "Explosie bij woning aan de Middelweg in Zwolle-Holtenbroek (1 aanhouding; 2 gewonden)",
        "Volgens iemand is er vannacht een explosie geweest bij een woning in Holtenbroek",
        "ZATERDAG 14:00 DEMONSTRATIE tegen het azc op het Grote Kerkplein in Zwolle!",
        "Boerenprotest bij het provinciehuis in Zwolle is begonnen",
        "Scootermeeting bij Stadshagen",
    ]
    positions = []
    for summary in summaries:
        assert text.count(summary) == 1, summary
        positions.append(text.index(summary))
    assert positions == sorted(positions)  # bevestigd before onbevestigd within a severity, and so on
    assert "bevestigd door een nieuwsmedium · 2 bronnen · 2 berichten" in text
    # The agenda, the trend table per category against four earlier weeks, the sources by kind.
    assert re.search(r"za 21 nov 14:00 Demonstratie, Grote Kerkplein, Zwolle \(signaal 3\)", text)
    assert "4 weken eerder 3 weken eerder 2 weken eerder 1 week eerder deze periode" in text
    rows = _flat(_text(pdf, layout=True))
    assert "Incident 0 0 0 0 2" in rows and "Demonstratie 0 0 0 0 2" in rows
    assert "Nieuwsmedia nieuwsfeeds (RSS) 1 1" in rows
    assert "Sociale media en kanalen Mastodon, Telegram 6 7" in rows
    # No person's name or handle, no channel names.
    for word in ("Pieter", "Bakker", "pbakker", "ps_", "zwolle_zegt_nee", "buurtkanaal"):
        assert word not in text, word
    # The pages render: the first shows the table and the red bars of the reported week.
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 2
    first = pages[0]
    assert first.getextrema()[0][0] < 80  # dark text on white
    colours = {c for _, c in first.getcolors(1 << 20)}
    assert any(r > 150 and g < 90 and b < 90 for r, g, b in colours)  # the chart's bars of this period
    assert "signal.report" not in text
    audit = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert '"report.create"' in audit and "GM0193:week:2026-11-20" in audit


def test_post_text_stays_inert_in_the_pdf(deployment, tmp_path):
    path, db = deployment
    store = SQLiteStore(db)
    at = AT - timedelta(hours=3)
    post = Post("telegram", "h/1", "kanaal", at, f"Rellen bij het station in Zwolle {HOSTILE} gaat los", fetched_at=at)
    store.upsert_posts([post])
    store.save_analyses(
        [Analysis(post.id, ["incident"], {"incident": 0.9}, "GM0193", "Zwolle", keywords=["incident:rellen"])]
    )
    store.upsert_signals(
        [Signal("s-hostile", ["incident"], "GM0193", "Zwolle", at, at, [post.id], place=HOSTILE, score=10)]
    )
    store.close()
    result, pdf = _report(path, tmp_path)
    assert result.returncode == 0, result.stderr
    raw = pdf.read_bytes()
    assert b"/URI" not in raw and b"javascript" not in raw.lower()  # no link was made
    text = _flat(_text(pdf))
    assert '<img src="/etc/passwd"/>' in text and "<b>vet</b>" in text  # shown as the characters they are


def test_signal_briefing_for_one_signal(deployment, tmp_path):
    path, db = deployment
    config, store = load_config(path), SQLiteStore(db)
    briefing = signal_briefing(store, config, "s-explosion", source_kinds(config), datetime.now(UTC))
    assert signal_briefing(store, config, "bestaat-niet", source_kinds(config), datetime.now(UTC)) is None
    store.close()
    pdf = tmp_path / "signaal.pdf"
    pdf.write_bytes(render(briefing))
    text = _flat(_text(pdf))
    assert "Signaalbriefing maatschappelijke onrust — Zwolle" in text
    assert "Explosie bij woning aan de Middelweg" in text and "Onderbouwing: 2 berichten" in text
    assert "Volgens iemand" not in text  # only this signal
    assert len(_pages(pdf, tmp_path)) >= 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["--gemeente", "Deventer", "--period", "week"], "hoort niet bij deze installatie"),
        (["--gemeente", "Zwolle", "--period", "jaar"], "kies day, week of month"),
        (["--gemeente", "Zwolle", "--period", "week", "--end", "20-11-2026"], "geen datum"),
    ],
)
def test_report_refuses_bad_input_in_dutch(deployment, tmp_path, args, message):
    path, _ = deployment
    result = cli("--config", str(path), "report", *args, "--output", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    wrong = cli(
        "--config", str(path), "report", "--gemeente", "Zwolle", "--period", "day", "--output", str(tmp_path / "x.txt")
    )
    assert wrong.returncode == 2 and ".pdf" in wrong.stderr
