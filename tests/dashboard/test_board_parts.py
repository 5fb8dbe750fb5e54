"""The board's parts on their own: the agenda's order and markers, the visit that decides what
is new, Dutch formats, trends with every day present, the map's geometry and spreading, the
audit table in words, and the URL state checked against what a user may choose."""

from datetime import UTC, date, datetime, timedelta

from dashboard import agenda, geo, urlstate
from dashboard.charts import CATEGORY_SCALE, daily_frame, per_day
from dashboard.privacy_page import audit_table, detail_text
from onrustradar.core import nl
from onrustradar.core.models import Signal
from store import DailyCount, Visit

NOW = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # a Saturday


def sig(sid, start=None, announced=False, last=None, score=50.0, **kw):
    last = last or NOW - timedelta(hours=1)
    return Signal(
        sid,
        ["demonstratie"],
        "GM0193",
        "Zwolle",
        last,
        last,
        ["p"],
        event_start=start,
        announced=announced,
        time_known=True,
        score=score,
        **kw,
    )


def test_agenda_puts_coming_events_by_day_above_what_happened_newest_first():
    signals = [
        sig("report-old", last=NOW - timedelta(days=2)),
        sig("monday", NOW + timedelta(days=2), True),
        sig("tonight", NOW + timedelta(hours=8), True),
        sig("going-on", NOW - timedelta(hours=1), True),  # started an hour ago: still coming/ongoing
        sig("report-new", last=NOW - timedelta(minutes=10)),
        sig("was-announced", NOW - timedelta(hours=20), True),  # long past: happened
        sig("this-afternoon", NOW + timedelta(hours=3), True, score=10),
    ]
    plan = agenda.agenda(signals, NOW)
    assert [(nl.date(day), [s.signal_id for s in day_signals]) for day, day_signals in plan.upcoming] == [
        ("24-10-2026", ["going-on", "this-afternoon", "tonight"]),
        ("26-10-2026", ["monday"]),
    ]
    assert [s.signal_id for s in plan.happened] == ["report-new", "was-announced", "report-old"]
    assert len(plan) == 7
    assert [s.signal_id for s in agenda.ordered(signals, "score", NOW)][-1] == "this-afternoon"


def test_markers_and_visits():
    created = NOW - timedelta(days=1)
    s = sig("a", created_at=created, changed_at=created)
    assert agenda.marker(s, None) == "nieuw"  # a first visit: everything is new
    assert agenda.marker(s, created - timedelta(hours=1)) == "nieuw"
    assert agenda.marker(s, created + timedelta(hours=1)) is None
    grown = sig("b", created_at=created, changed_at=NOW)
    assert agenda.marker(grown, created + timedelta(hours=1)) == "gewijzigd"
    first = agenda.next_visit(None, "ana", NOW)
    assert first == Visit("ana", NOW, None)
    later = agenda.next_visit(first, "ana", NOW + timedelta(minutes=10))  # still the same visit
    assert later.since is None
    back = agenda.next_visit(Visit("ana", NOW, None), "ana", NOW + timedelta(hours=3))  # a new visit
    assert back.since == NOW


def test_dutch_formats():
    assert nl.number(1234.5, 1) == "1.234,5" and nl.number(9600) == "9.600" and nl.number(0.25, 2) == "0,25"
    assert nl.date(date(2026, 10, 25)) == "25-10-2026"
    assert nl.date_time(datetime(2026, 10, 25, 12, 5, tzinfo=UTC)) == "25-10-2026 13:05"  # CET
    assert nl.date_time(datetime(2026, 7, 1, 12, 5, tzinfo=UTC)) == "01-07-2026 14:05"  # CEST
    assert nl.day_heading(date(2026, 10, 25)) == "zondag 25-10-2026"


def test_trends_have_every_day_and_fixed_colours():
    counts = [DailyCount("2026-10-20", "GM0193", "incident", 3), DailyCount("2026-10-23", "GM0153", "demonstratie", 2)]
    frame = daily_frame(counts, date(2026, 10, 19), date(2026, 10, 24), {"GM0193": "Zwolle", "GM0153": "Enschede"})
    # 6 days x 4 categories x 2 gemeenten, a quiet day as 0
    assert len(frame) == 48 and frame["berichten"].sum() == 5
    quiet = frame[(frame["categorie"] == "Incident") & (frame["gemeente"] == "Zwolle")]
    assert list(quiet["berichten"]) == [0, 3, 0, 0, 0, 0]
    spec = per_day(frame, by_gemeente=True).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert CATEGORY_SCALE.to_dict()["range"] == ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
    assert spec["spec"]["encoding"]["x"]["axis"]["format"] == "%d-%m"


def test_map_geometry_and_spreading():
    shapes = geo.outlines()
    assert len(shapes) == 342 and shapes["GM0193"][0] == "Zwolle"
    rings = shapes["GM0193"][1][0]
    lons = [p[0] for r in rings for p in r]
    lats = [p[1] for r in rings for p in r]
    assert 5.9 < min(lons) < max(lons) < 6.3 and 52.4 < min(lats) < max(lats) < 52.65  # Zwolle where it is
    assert geo.point("GM0193", "Holtenbroek")[2] is False  # a wijk with its own point
    assert geo.point("GM0153", "Grolsch Veste")[2] is True  # no coordinates: the gemeente's point
    spots = geo.spread([(100.0, 100.0), (101.0, 100.0), (102.0, 101.0), (300.0, 300.0)])
    assert spots[3] == (300.0, 300.0)
    close = spots[:3]
    assert all(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 >= 12 for i, a in enumerate(close) for b in close[i + 1 :]
    )


def test_map_tiles_only_when_configured():
    marker = geo.Marker("s", "incident", 52.5, 6.1, False, ("Incident",), "?signal=s")
    assert "<image" not in geo.svg([marker], ["GM0193"])
    tiled = geo.svg([marker], ["GM0193"], "https://tiles.example/{z}/{x}/{y}.png")
    assert "<image" in tiled and "tiles.example/" in tiled


def test_audit_table_is_dutch():
    table = audit_table(
        [
            {
                "seq": 4,
                "at": "2026-10-25T12:05:00+00:00",
                "actor": "ana",
                "role": "analist",
                "action": "signal.merge",
                "object": "s-1",
                "result": "ok",
                "detail": '{"samengevoegd": "s-2", "aantal": 1234.5, "vlag": true}',
            }
        ]
    )
    assert list(table.columns) == ["nr", "tijd", "wie", "rol", "handeling", "object", "resultaat", "details"]
    row = table.iloc[0]
    assert row["tijd"] == "25-10-2026 13:05" and row["details"] == "samengevoegd: s-2; aantal: 1.234,50; vlag: ja"
    assert detail_text("") == "" and detail_text("vrije tekst") == "vrije tekst"


def test_url_state_round_trips_and_refuses_what_the_user_may_not_choose():
    pages = ["Signalen", "Kaart", "Zoeken"]
    view = urlstate.View(
        page="Signalen",
        signal="sig_abc",
        gemeenten=["Zwolle"],
        categories=["incident"],
        statuses=[],
        period="30 dagen",
        sort="score",
        assigned="ik",
    )
    params = urlstate.to_params(view)
    assert params == {
        "pagina": "signalen",
        "signal": "sig_abc",
        "gemeente": "Zwolle",
        "categorie": "incident",
        "status": "",
        "periode": "30d",
        "sortering": "score",
        "toegewezen": "ik",
    }
    assert urlstate.parse(params, pages, ["Zwolle", "Deventer"]) == view
    bad = urlstate.parse(
        {"pagina": "privacy", "signal": "x" * 500, "gemeente": "Amsterdam", "toegewezen": "jan"}, pages, ["Zwolle"]
    )
    assert (bad.page, bad.signal, bad.gemeenten, bad.assigned) == ("Signalen", None, [], "")
    assert urlstate.to_params(urlstate.View()) == {"pagina": "signalen"}  # defaults stay out of the link
