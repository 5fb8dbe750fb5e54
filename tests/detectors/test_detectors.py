"""Detector scenarios built as timelines of posts, with their analyses given, so these tests
measure grouping, reliability, burst, ranking and lifecycle on their own."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from detectors.context import ContextEvent
from detectors.settings import DetectorSettings, GroupingConfig
from detectors.signals import build_signals
from onrustradar.core.models import Analysis, Post
from onrustradar.core.nl import AMS

T0 = datetime(2026, 10, 20, 9, 0, tzinfo=AMS)  # a Tuesday
SAT = datetime(2026, 10, 24, 14, 0, tzinfo=AMS)
ZWOLLE = ("GM0193", "Zwolle")


def item(
    n,
    text,
    hours,
    cats,
    where=ZWOLLE,
    start=None,
    known=True,
    announced=None,
    channel=None,
    source="telegram",
    fwd=None,
    views=None,
    place=None,
):
    post = Post(
        source, f"p{n}", channel or f"kanaal{n}", T0 + timedelta(hours=hours), text, forwarded_from=fwd, views=views
    )
    analysis = Analysis(
        post.id,
        cats,
        {c: 0.9 for c in cats},
        gemeente_code=where[0] if where else None,
        gemeente=where[1] if where else None,
        place=place,
        announced=(start is not None and start > post.published_at) if announced is None else announced,
        event_start=start,
        time_known=known,
    )
    return post, analysis


CALL = "Zaterdag 14:00 demonstratie tegen het azc bij het stadhuis in Zwolle! Iedereen komen, DELEN!!"


def demo_timeline():
    items = [item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee", views=900)]
    for k in range(5):  # forwarded through five other channels
        items.append(
            item(
                10 + k,
                CALL,
                1 + k,
                ["demonstratie"],
                start=SAT,
                channel=f"doorstuur{k}",
                fwd="zwolle_zegt_nee",
                views=200,
            )
        )
    news = [
        item(
            20,
            "Demonstratie tegen azc in Zwolle aangekondigd. Op sociale media wordt opgeroepen zaterdag om 14.00 uur "
            "te demonstreren bij het stadhuis; de gemeente is in gesprek met de organisatoren.",
            30,
            ["demonstratie"],
            start=SAT,
            channel="rtv_oost",
            source="rss",
        ),
        item(
            21,
            "Gemeente Zwolle bereidt zich voor op demonstratie tegen azc bij het stadhuis zaterdag 14.00 uur.",
            40,
            ["demonstratie"],
            start=SAT,
            channel="nos_binnenland",
            source="rss",
        ),
    ]
    return items, news


def test_announcement_with_forwards_and_news_is_one_signal():
    items, news = demo_timeline()
    early = build_signals(items, T0 + timedelta(hours=8))
    assert len(early) == 1
    assert early[0].independent_sources == 1  # five forwards are the same source
    assert early[0].reliability == "onbevestigd"
    full = build_signals(items + news, T0 + timedelta(hours=41))
    assert len(full) == 1
    signal = full[0]
    assert len(signal.post_ids) == 8
    assert signal.independent_sources == 3 and signal.official_sources == 2
    assert signal.reliability == "bevestigd"
    assert signal.announced and signal.event_start == SAT
    assert (
        "3 bronnen (2 officieel/nieuws)" in signal.explanation
        and "aangekondigd voor za 24 okt 14:00" in signal.explanation
    )


def test_two_events_in_one_gemeente_on_one_day_stay_two():
    night = SAT.replace(hour=22)
    timeline = [
        item(1, CALL, 0, ["demonstratie"], start=SAT),
        item(
            2,
            "Zaterdagavond 22:00 scootermeeting op bedrijventerrein Hessenpoort Zwolle, pull up!!",
            2,
            ["scootermeeting"],
            start=night,
            place="Hessenpoort",
        ),
        item(
            3,
            "Zaterdag om 22 uur weer meeting met de scooters op Hessenpoort in Zwolle, wie komt?",
            5,
            ["scootermeeting"],
            start=night,
            place="Hessenpoort",
        ),
        item(
            4,
            "Klimaatactivisten houden zaterdag om 11:00 een sit-in in het provinciehuis in Zwolle.",
            6,
            ["demonstratie"],
            start=SAT.replace(hour=11),
            place="provinciehuis",
        ),
        item(
            5,
            "Reminder: zaterdag 14u demo tegen het AZC, stadhuis Zwolle. Kom allemaal!",
            7,
            ["demonstratie"],
            start=SAT,
        ),
    ]
    signals = build_signals(timeline, T0 + timedelta(hours=8))
    groups = sorted(sorted(s.post_ids) for s in signals)
    assert groups == [["telegram:p1", "telegram:p5"], ["telegram:p2", "telegram:p3"], ["telegram:p4"]]


def test_report_after_the_fact_is_one_signal_not_announced():
    last_night = T0.replace(hour=0) - timedelta(hours=1)
    reports = [
        item(
            1,
            "Politie beëindigt scootermeeting op bedrijventerrein in Deventer, zeventig jongeren weggestuurd.",
            0,
            ["scootermeeting"],
            where=("GM0150", "Deventer"),
            start=last_night,
            known=False,
            announced=False,
            channel="rtv_oost",
            source="rss",
        ),
        item(
            2,
            "Gisteravond weer een scootermeeting in Deventer, politie maakte er een einde aan",
            2,
            ["scootermeeting"],
            where=("GM0150", "Deventer"),
            start=last_night,
            known=False,
            announced=False,
        ),
        item(
            3,
            "Video: scooterjongens op bedrijventerrein in Deventer voordat de politie kwam",
            3,
            ["scootermeeting"],
            where=("GM0150", "Deventer"),
            announced=False,
            channel="dumpert",
            source="dumpert",
        ),
    ]
    [signal] = build_signals(reports, T0 + timedelta(hours=4))
    assert not signal.announced and len(signal.post_ids) == 3 and signal.reliability == "bevestigd"


def test_a_burst_in_a_quiet_gemeente_is_marked_and_ranks_higher():
    kampen = ("GM0166", "Kampen")
    ede = ("GM0228", "Ede")
    quiet = [
        item(
            100 + k,
            f"Onrust in de wijk in Kampen, bericht {k}: groep jongeren bekogelt politie met zwaar vuurwerk",
            30 + k * 0.1,
            ["incident"],
            where=kampen,
        )
        for k in range(12)
    ]
    steady = [
        item(
            200 + k,
            f"Vechtpartij in Ede dag {k}, politie pakt verdachte op",
            k * 24 - 100,
            ["incident"],
            where=ede,
            channel="rtv_gelderland",
            source="rss",
        )
        for k in range(6)
    ]
    steady.append(
        item(
            300,
            "Vechtpartij in Ede bij station, politie pakt verdachte op",
            30,
            ["incident"],
            where=ede,
            channel="rtv_gelderland",
            source="rss",
        )
    )
    signals = build_signals(quiet + steady, T0 + timedelta(hours=31.5))
    by_place = {s.gemeente: s for s in signals if s.last_seen >= T0 + timedelta(hours=29)}
    assert by_place["Kampen"].burst_factor > 3
    assert "× normaal" in by_place["Kampen"].explanation
    assert by_place["Ede"].burst_factor < 3
    assert by_place["Kampen"].score > by_place["Ede"].score


def test_an_event_whose_start_has_passed_decays_and_expires():
    items, news = demo_timeline()
    before = build_signals(items + news, SAT - timedelta(hours=3))[0]
    after = build_signals(items + news, SAT + timedelta(days=1))[0]
    assert after.score < before.score / 2
    assert before.status == "nieuw" and after.status == "verlopen"


def test_an_expiry_by_the_system_is_lifted_when_the_event_turns_out_not_over():
    """The system expired an event as over (its start long past); an analyst's split then
    takes the old call off and leaves this evening's report, or news moves the event to a
    later start: by the facts as they are now it is not over, so it is 'nieuw' again (as
    grouping from scratch says). An expiry a person set, or 'afgehandeld', stays."""
    report = item(2, "Vanavond weer onrust bij het stadhuis in Zwolle, ME staat klaar", 30, ["incident"])
    now = T0 + timedelta(hours=31)
    [fresh] = build_signals([report], now)
    assert fresh.status == "nieuw"  # the premise: by itself not over
    expired = replace(fresh, status="verlopen", status_by="systeem", status_at=now)
    [after] = build_signals([report], now, previous=lambda _id: expired)
    assert after.status == "nieuw" and after.status_by == "systeem" and "heropend" in after.status_note
    for status, by in (("verlopen", "oov@zwolle"), ("afgehandeld", "systeem")):
        kept = replace(fresh, status=status, status_by=by, status_at=now)
        [after] = build_signals([report], now, previous=lambda _id, kept=kept: kept)
        assert (after.status, after.status_by) == (status, by)


def test_status_is_kept_and_a_closed_signal_reopens_on_new_activity():
    items, news = demo_timeline()
    first = build_signals(items, T0 + timedelta(hours=8))[0]
    first.status, first.status_by = "afgehandeld", "oov@zwolle"
    same = build_signals(
        items, T0 + timedelta(hours=9), previous=lambda _id: first, seeds={first.signal_id: first.post_ids}
    )[0]
    assert (same.signal_id, same.status, same.status_by) == (first.signal_id, "afgehandeld", "oov@zwolle")
    more = build_signals(
        items + news, T0 + timedelta(hours=41), previous=lambda _id: first, seeds={first.signal_id: first.post_ids}
    )[0]
    assert more.signal_id == first.signal_id and more.status == "nieuw" and "heropend" in more.status_note


def test_a_known_match_adds_context_and_weight():
    match = ContextEvent(
        "GM0153",
        datetime(2026, 10, 25, 14, 30, tzinfo=AMS),
        "wedstrijd FC Twente – Heracles",
        frozenset({"supporters"}),
        1.3,
        timedelta(hours=24),
    )
    timeline = [
        item(
            1,
            "Harde kern verzamelen zondag 12:00 station Enschede, mars naar de Veste",
            0,
            ["supporters"],
            where=("GM0153", "Enschede"),
            start=datetime(2026, 10, 25, 12, 0, tzinfo=AMS),
        )
    ]
    plain = build_signals(timeline, T0)[0]
    with_match = build_signals(timeline, T0, settings=DetectorSettings(context=(match,)))[0]
    assert with_match.score == pytest.approx(plain.score * 1.3, rel=0.01)
    assert "wedstrijd FC Twente – Heracles zo 25 okt 14:30" in with_match.explanation


def test_a_report_timed_during_the_announced_event_joins_it():
    # the call gives the start (11:00), the news gives a moment during it (14:00): one event
    eleven = SAT.replace(hour=11)
    timeline = [
        item(
            1,
            "Zaterdag 11 uur met de trekkers naar het provinciehuis in Zwolle!",
            0,
            ["demonstratie"],
            start=eleven,
            place="provinciehuis",
        ),
        item(
            2,
            "Rond 14.00 uur stonden zaterdag honderden boeren met trekkers bij het provinciehuis in Zwolle.",
            4 * 24 + 8,
            ["demonstratie"],
            start=SAT,
            announced=False,
            channel="rtv_oost",
            source="rss",
            place="provinciehuis",
        ),
    ]
    assert [sorted(s.post_ids) for s in build_signals(timeline, T0 + timedelta(days=5))] == [["rss:p2", "telegram:p1"]]
    # two announcements three hours apart stay two events
    timeline[1] = item(
        2,
        "Zaterdag 14 uur sit-in bij het provinciehuis in Zwolle",
        5,
        ["demonstratie"],
        start=SAT,
        channel="klimaat",
        place="provinciehuis",
    )
    assert len(build_signals(timeline, T0 + timedelta(hours=6))) == 2


@pytest.mark.parametrize(
    "text, hours_after, joins",
    [
        # the morning after the evening match, naming no day: about the night before
        ("Drie mannen aangehouden na het afsteken van vuurwerk in het stadion.", 15, True),
        # the same words two days later: too late to be that night's
        ("Drie mannen aangehouden na het afsteken van vuurwerk in het stadion.", 40, False),
        # the morning after, but none of its words: another incident
        ("Keukenbrand in een flat, bewoner met rookletsel naar het ziekenhuis.", 15, False),
    ],
)
def test_a_report_the_morning_after_that_names_no_day_joins_the_evenings_event(text, hours_after, joins):
    kickoff = T0.replace(hour=20)
    call = item(
        1, "Vanavond 20:00 wedstrijd, iedereen om 19:00 bij de kroeg, vuurwerk mee", -8, ["supporters"], start=kickoff
    )
    during = item(2, "Vuurwerk op het veld bij de wedstrijd, alles ligt stil", 12, ["incident", "supporters"])
    posted = T0 + timedelta(hours=11 + hours_after)
    report = item(
        3,
        text,
        11 + hours_after,
        ["incident"],
        start=posted.replace(hour=0, minute=0),
        known=False,
        announced=False,
        channel="politie",
        source="rss",
    )
    signals = build_signals([call, during, report], posted + timedelta(hours=1))
    together = [s for s in signals if "telegram:p1" in s.post_ids][0]
    assert ("rss:p3" in together.post_ids) is joins


def test_a_bystander_at_the_moment_and_the_news_of_that_night_are_one_event():
    wednesday = T0.replace(hour=0) + timedelta(days=1)
    timeline = [
        # 01:40 on Wednesday, no clock time: dated to the evening before (Tuesday)
        item(
            1,
            "Mega klap net, ramen trilden bij ons. Overal sirenes nu.",
            16 + 40 / 60,
            ["incident"],
            start=T0.replace(hour=0),
            known=False,
            announced=False,
            channel="buurtapp",
        ),
        item(
            2,
            "Rond 01.15 uur vond in de nacht van dinsdag op woensdag een explosie plaats bij een woning.",
            21 + 50 / 60,
            ["incident"],
            start=wednesday.replace(hour=1, minute=15),
            announced=False,
            channel="politie_nieuws",
            source="rss",
        ),
    ]
    assert len(build_signals(timeline, T0 + timedelta(hours=23))) == 1
    # the same report of a night three days later is another event
    timeline[1] = item(
        2,
        timeline[1][0].text,
        3 * 24 + 21,
        ["incident"],
        start=wednesday.replace(hour=1, minute=15) + timedelta(days=3),
        announced=False,
        channel="politie_nieuws",
        source="rss",
    )
    assert len(build_signals(timeline, T0 + timedelta(days=4))) == 2


def test_a_call_for_another_day_does_not_join_the_event_going_on_while_it_is_posted():
    going_on = T0 + timedelta(hours=10)
    timeline = [
        item(
            1,
            "Nu al zestig man voor het politiebureau in Zwolle, ME is er",
            9.5,
            ["incident"],
            start=going_on,
            announced=False,
            channel="zwolle_live",
        ),
        # no place the resolver knows, its own day and hour: another event
        item(
            2,
            "Zondag derby. 12:30 verzamelen op de Oude Markt en daarna samen naar de Veste.",
            10,
            ["supporters"],
            where=None,
            start=SAT.replace(day=25, hour=12, minute=30),
            channel="vak_p",
        ),
    ]
    signals = build_signals(timeline, T0 + timedelta(hours=11))
    assert [s.post_ids for s in signals] == [["telegram:p1"]]


def test_a_news_feeds_next_item_is_no_follow_up_but_an_organisers_is():
    """A follow-up in the organiser's channel joins the event by that channel alone; a news feed
    that reported the event writes about other things the same day (a business reception, a
    match result): being in the event says nothing of its next item."""
    items, news = demo_timeline()
    later = [
        item(30, "Nog twee bussen erbij, we zijn met heel veel", 60, [], channel="zwolle_zegt_nee"),
        item(
            31,
            "De ondernemersvereniging houdt vrijdag haar bijeenkomst in het congrescentrum, met sprekers "
            "en een buffet.",
            58,
            [],
            channel="rtv_oost",
            source="rss",
        ),
    ]
    signals = build_signals(items + news + later, T0 + timedelta(hours=70))
    assert len(signals) == 1
    assert "telegram:p30" in signals[0].post_ids and "rss:p31" not in signals[0].post_ids


def test_the_organisers_channel_on_the_day_joins_without_naming_the_place():
    """A categorised post with no place, in the channel that made the call, on the event's date
    ("staan er nu al 150 man, spandoeken mee") is the event; the same post about another day is
    not joined by the channel alone."""
    # (a channel whose name names no town: no hint of the gemeente)
    items = [item(1, CALL, 0, ["demonstratie"], start=SAT, channel="boze_burgers")]
    text = "Vanochtend al vlaggen opgehangen, straks ruim honderdvijftig man, sfeer top 👍"
    hours = (SAT - T0).total_seconds() / 3600 - 7  # that morning: not while the event goes on
    on_the_day = item(
        30,
        text,
        hours,
        ["demonstratie"],
        where=None,
        start=SAT.replace(hour=0),
        known=False,
        announced=False,
        channel="boze_burgers",
    )
    signals = build_signals(items + [on_the_day], SAT + timedelta(hours=1))
    assert len(signals) == 1 and "telegram:p30" in signals[0].post_ids
    earlier = SAT - timedelta(days=2)
    other_day = item(
        31,
        text,
        hours - 48,
        ["demonstratie"],
        where=None,
        start=earlier.replace(hour=0),
        known=False,
        announced=False,
        channel="boze_burgers",
    )
    signals = build_signals(items + [other_day], SAT + timedelta(hours=1))
    assert all("telegram:p31" not in s.post_ids for s in signals)


def test_a_bystander_in_the_only_event_of_the_gemeente_joins_without_its_words():
    """A social post in the event's gemeente during its hours that describes a scene but uses
    none of the event's words ("station right now: hundreds of guys, flares") joins the one
    event going on there; with a second event in the gemeente at that hour it joins neither,
    and a news item of that hour (a kitchen fire) never joins this way."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    during = (SAT - T0).total_seconds() / 3600 + 0.5
    bystander = item(
        2, "Station right now: hundreds of people and riot vans everywhere", during, [], channel="traveller"
    )
    kitchen = item(
        3,
        "Keukenbrand in flat in Zwolle, brandweer snel ter plaatse, bewoner nagekeken",
        during,
        [],
        channel="regio_nieuws",
        source="rss",
    )
    signals = build_signals([call, bystander, kitchen], SAT + timedelta(hours=2))
    assert len(signals) == 1
    assert "telegram:p2" in signals[0].post_ids and "rss:p3" not in signals[0].post_ids
    other = item(
        4,
        "Scootermeeting op Hessenpoort, al zeker 50 bakkies, kom ook!",
        during - 0.5,
        ["scootermeeting"],
        start=SAT,
        announced=False,
        channel="scooters_ijssel",
        place="Hessenpoort",
    )
    signals = build_signals([call, bystander, other], SAT + timedelta(hours=2))
    assert len(signals) == 2 and not any("telegram:p2" in s.post_ids for s in signals)


@pytest.mark.parametrize(
    "text, joins",
    [
        ("Station right now: hundreds of people and riot vans, smoke everywhere", True),
        ("Watched the doc about the 1980 riots tonight, wild to see the station covered in smoke", False),
        ("Net de documentaire over de rellen van toen gezien, het station vol rook en ME", False),
        # a video game, and a crowd abroad, are no bystanders either
        ("De rellen in de nieuwe GTA zien er echter uit dan het journaal, overal rook", False),
        ("Vanuit Lissabon: duizenden mensen op straat en overal politie, lijkt wel thuis", False),
    ],
)
def test_a_documentary_about_riots_long_ago_is_no_bystander(text, joins):
    """Posts that speak of a scene in the only event's gemeente and hours join it, unless they
    are about a documentary of riots long ago (two writers of the scenario sets wrote one), a
    video game or a scene abroad."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    during = (SAT - T0).total_seconds() / 3600 + 0.5
    abroad = text.startswith("Vanuit Lissabon")  # the analyzer gives it no gemeente
    post = item(2, text, during, [], where=None if abroad else ZWOLLE, channel="kijker")
    if abroad:
        post[1].scores["demonstratie"] = 0.44  # of the event's kind, as the analyzer scores it
    signals = build_signals([call, post], SAT + timedelta(hours=2))
    assert len(signals) == 1 and ("telegram:p2" in signals[0].post_ids) is joins


def test_a_post_naming_the_day_of_the_only_event_in_its_gemeente_joins_it():
    """ "Vanavond is het zover. Wie rijdt er mee?" on the day of the only event in its gemeente
    belongs to it, though it names neither place nor scene; the same words on another day do not."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    that_morning = (SAT - T0).total_seconds() / 3600 - 5
    text = "Vanavond is het zover. Wie rijdt er mee vanuit het dorp? Nog twee plekken vrij."
    today = item(2, text, that_morning, [], channel="dorpsapp")
    today[1].event_start = None
    signals = build_signals([call, today], SAT + timedelta(hours=2))
    assert len(signals) == 1 and "telegram:p2" in signals[0].post_ids
    day_before = item(3, text, that_morning - 24, [], channel="dorpsapp")
    signals = build_signals([call, day_before], SAT + timedelta(hours=2))
    assert "telegram:p3" not in signals[0].post_ids


def test_an_event_moved_to_another_date_stays_one_signal_with_the_new_start():
    """The call for Saturday, the notice that it moves a week on, and the news of that later
    Saturday are one event, which starts on the new date at the old hour."""
    later = SAT + timedelta(days=7)
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee", place="stadhuis")
    moved = item(
        2,
        "LET OP: de demonstratie bij het stadhuis wordt verplaatst naar zaterdag 31 oktober, zelfde tijd.",
        30,
        ["demonstratie"],
        start=later.replace(hour=0),
        known=False,
        channel="zwolle_zegt_nee",
        place="stadhuis",
    )
    news = item(
        3,
        "Honderden mensen demonstreerden zaterdagmiddag bij het stadhuis in Zwolle tegen het azc.",
        (later - T0).total_seconds() / 3600 + 4,
        ["demonstratie"],
        start=later.replace(hour=0),
        known=False,
        announced=False,
        channel="rtv_oost",
        source="rss",
        place="stadhuis",
    )
    signals = build_signals([call, moved, news], later + timedelta(hours=6))
    assert len(signals) == 1 and len(signals[0].post_ids) == 3
    assert signals[0].event_start == later
    # without the notice, the call and a demonstration a week later are two events
    assert len(build_signals([call, news], later + timedelta(hours=6))) == 2


def test_a_post_naming_its_gemeente_joins_the_event_there_before_a_look_alike_without_one():
    """An event with no gemeente asks more evidence of a post than an event in the post's own
    gemeente; a post clearing both bars goes to the one it clears by most — the event where it
    is — not to the look-alike it resembles a little more (which would leave the board)."""
    from detectors.grouping import Group, Item, best_group
    from detectors.settings import GroupingConfig

    cfg = GroupingConfig()
    rotterdam = ("GM0599", "Rotterdam")
    night = T0 + timedelta(hours=12)
    here = Group("sig_here")
    post, analysis = item(1, "call", 11, ["incident"], where=rotterdam, start=night, announced=False)
    here.add(Item(post, analysis, 0), {1: 1.0, 2: 1.0})
    elsewhere = Group("sig_unplaced")
    post, analysis = item(2, "bystander", 12.5, ["incident"], where=None, start=night, announced=False)
    elsewhere.add(Item(post, analysis, 1), {3: 1.0, 4: 1.0})
    post, analysis = item(3, "news", 13, ["incident"], where=rotterdam, start=night, announced=False)
    # similarity 0.2 with the event here, 0.45 with the look-alike: both bars cleared
    # (here: 0.2 + the date's 0.2 >= 0.18; the look-alike: 0.45 + 0.2 >= 0.5)
    news = Item(post, analysis, 2)
    vector = {1: 0.2 / 2**0.5, 2: 0.2 / 2**0.5, 3: 0.45 / 2**0.5, 4: 0.45 / 2**0.5}
    best, _ = best_group(news, {"GM0599": [here], None: [elsewhere]}, vector, cfg)
    assert best is here


def test_the_news_of_the_night_after_a_late_meet_is_the_same_event():
    """A meet called for Saturday 23:00 and the news of "de nacht van zaterdag op zondag", dated
    Sunday by the night rule: one night across midnight. The same news after a Saturday-afternoon
    meet is another event."""
    late = SAT.replace(hour=23)
    that_evening = (late - T0).total_seconds() / 3600 - 3
    call = item(
        1,
        "VANAVOND 23:00 MEET OP DE VLAKTE, pull up",
        that_evening,
        ["scootermeeting"],
        start=late,
        channel="nightmeets",
    )
    sunday = (late + timedelta(days=1)).replace(hour=0)
    news = item(
        2,
        "Nachtelijke autoshow aan de kust eindigt grimmig: honderden bezoekers, vuurwerk naar agenten.",
        (late - T0).total_seconds() / 3600 + 11,
        ["scootermeeting"],
        start=sunday,
        known=False,
        announced=False,
        channel="regio_nieuws",
        source="rss",
    )
    assert len(build_signals([call, news], late + timedelta(hours=14))) == 1
    afternoon = item(
        1, call[0].text, that_evening - 9, ["scootermeeting"], start=SAT.replace(hour=14), channel="nightmeets"
    )
    assert len(build_signals([afternoon, news], late + timedelta(hours=14))) == 2


def test_a_call_called_off_by_its_organisers_says_so_and_ranks_lower():
    """ "Update: zaterdag gaat NIET door" in the organiser's channel joins the event (the lists
    exclude it from the category) and the signal says who called it off; a post with a category
    after it (it went ahead after all) lifts that again, and the same notice from an unrelated
    channel naming nothing of the event does not join."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    notice = item(
        2, "Update: zaterdag gaat NIET door, we gaan eerst met de raad praten.", 30, [], channel="zwolle_zegt_nee"
    )
    notice[1].keywords = ["!demonstratie:gaat niet door"]
    now = T0 + timedelta(hours=31)
    (alone,) = build_signals([call], now)
    (cancelled,) = build_signals([call, notice], now)
    assert "telegram:p2" in cancelled.post_ids and "afgelast volgens zwolle_zegt_nee" in cancelled.explanation
    assert cancelled.score < 0.5 * alone.score
    # a second channel backing the call does not confirm an event its organisers called off
    shared = item(
        5,
        "Wij lopen zaterdag mee, met de hele buurt naar het stadhuis. Geen azc in onze stad.",
        2,
        ["demonstratie"],
        start=SAT,
        channel="hattem_zegt_nee",
    )
    (confirmed,) = build_signals([call, shared], now)
    (off,) = build_signals([call, shared, notice], now)
    assert confirmed.reliability == "bevestigd" and off.reliability == "onbevestigd"
    went_ahead = item(
        3,
        "Toch honderden mensen bij het stadhuis, demonstratie gaat door",
        40,
        ["demonstratie"],
        start=SAT,
        announced=False,
        channel="rtv_oost",
        source="rss",
    )
    (again,) = build_signals([call, notice, went_ahead], T0 + timedelta(hours=41))
    assert "afgelast" not in again.explanation and again.reliability == "bevestigd"
    stranger = item(4, notice[0].text, 30, [], channel="ander_kanaal", where=None)
    stranger[1].keywords = ["!demonstratie:gaat niet door"]
    (unrelated,) = build_signals([call, stranger], now)
    assert "telegram:p4" not in unrelated.post_ids and "afgelast" not in unrelated.explanation


@pytest.mark.parametrize(
    "text, place",
    [
        (
            "LET OP, gewijzigde datum: we lopen niet op zaterdag maar op zondag, 14.00 uur, "
            "zelfde plek bij het stadhuis.",
            "stadhuis",
        ),
        # no place and no gemeente: the organiser's channel and the move make it the event's
        ("LET OP, gewijzigde datum: we lopen niet op zaterdag maar op zondag, 14.00 uur, zelfde startplek.", None),
    ],
)
def test_a_changed_date_written_as_not_this_day_but_that_moves_the_event(text, place):
    """ "niet op zaterdag maar op zondag" in the organiser's channel moves the event to Sunday,
    whether or not it names the place; the gemeente's notice for the new day then joins too."""
    later = SAT + timedelta(days=1)
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee", place="stadhuis")
    moved = item(
        2,
        text,
        30,
        ["demonstratie"],
        where=ZWOLLE if place else None,
        start=later,
        channel="zwolle_zegt_nee",
        place=place,
    )
    (signal,) = build_signals([call, moved], T0 + timedelta(hours=31))
    assert signal.event_start == later and len(signal.post_ids) == 2
    notice = item(
        3,
        "Manifestatie op zondag bij het stadhuis, van 14.00 tot 16.00 uur.",
        50,
        ["demonstratie"],
        start=later,
        channel="gemeente_zwolle",
        place="stadhuis",
    )
    (signal,) = build_signals([call, moved, notice], T0 + timedelta(hours=51))
    assert signal.event_start == later and len(signal.post_ids) == 3


@pytest.mark.parametrize("channel, joins", [("volendam_sfeer", True), ("iemand_anders", False)])
def test_the_organisers_channel_on_the_events_day_joins_whatever_its_category(channel, joins):
    """ "Nog een uurtje! Ga op de dijk staan, dan kan de bus erdoor", read as a scootermeeting,
    in the channel that called the supporters' bus welcome, on its day: the same event. The same
    post from a channel not in the event stays apart (another category, no place)."""
    welcome = SAT.replace(hour=17, minute=15)
    call = item(
        1,
        "Zaterdag spelersbus ontvangen bij het stadion, 17:15! Fakkels mee.",
        0,
        ["supporters"],
        start=welcome,
        channel="volendam_sfeer",
    )
    hour_before = (welcome - T0).total_seconds() / 3600 - 1
    post = item(
        2,
        "Nog een uurtje! Ga op de dijk staan, dan kan de bus erdoor.",
        hour_before,
        ["scootermeeting"],
        start=welcome.replace(hour=0, minute=0),
        known=False,
        announced=False,
        channel=channel,
    )
    signals = build_signals([call, post], welcome)
    together = [s for s in signals if "telegram:p1" in s.post_ids][0]
    assert ("telegram:p2" in together.post_ids) is joins


@pytest.mark.parametrize(
    "channel, minutes, joins",
    [("rijzend_water", 22, True), ("iemand_anders", 22, False), ("rijzend_water", 60 * 30, False)],
)
def test_the_organisers_channel_live_during_the_event_joins_naming_no_day(channel, minutes, joins):
    """ "We zitten! Honderden mensen op het asfalt" from the channel that called the blockade,
    22 minutes after its start, names no day, no place and no town: posted while the event is
    on, it is dated by that moment and joins. Two blockades go on at once, so "the only event
    going on" cannot decide it; the same post from another channel, or from the same channel a
    day later, does not join."""
    deventer = ("GM0150", "Deventer")
    call = item(
        1,
        "Zaterdag 14:00 blokkade bij het provinciehuis, iedereen komen!",
        0,
        ["demonstratie"],
        start=SAT,
        channel="rijzend_water",
    )
    other = item(
        2,
        "Zaterdag 14:00 boerenprotest op de Brink, trekkers mee",
        1,
        ["demonstratie"],
        where=deventer,
        start=SAT,
        channel="boeren_oost",
    )
    moment = (SAT - T0).total_seconds() / 3600 + minutes / 60
    live = item(
        3,
        "We zitten! Honderden mensen op het asfalt, kom erbij, er is nog plek.",
        moment,
        ["demonstratie"],
        where=None,
        announced=False,
        channel=channel,
    )
    signals = build_signals([call, other, live], SAT + timedelta(minutes=minutes + 1))
    zwolle = [s for s in signals if "telegram:p1" in s.post_ids][0]
    assert ("telegram:p3" in zwolle.post_ids) is joins
    assert all("telegram:p3" not in s.post_ids for s in signals if s is not zwolle)


@pytest.mark.parametrize(
    "text, called_off",
    [
        ("Zaterdag gaat NIET door. Te weinig aanmeldingen. We komen terug met een nieuwe datum.", True),
        ("GAAT NIET DOOR morgen. Niet komen, nieuwe datum volgt hier.", True),
        # a notice that names its new date moves the event instead
        ("Zaterdag gaat niet door, nieuwe datum: zondag, zelfde tijd en plek.", False),
    ],
)
def test_a_new_date_still_to_come_is_a_call_called_off(text, called_off):
    """ "nieuwe datum volgt" names no date: the organisers called it off, and the notice joins
    the event as such; "nieuwe datum: zondag" moves it."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    notice = item(2, text, 30, [], where=None, channel="zwolle_zegt_nee")
    notice[1].keywords = ["!demonstratie:gaat niet door"]
    (signal,) = build_signals([call, notice], T0 + timedelta(hours=31))
    assert ("afgelast volgens zwolle_zegt_nee" in signal.explanation) is called_off
    assert ("telegram:p2" in signal.post_ids) is called_off


@pytest.mark.parametrize("hours_after, joins", [(20, True), (68, False)])
def test_a_post_naming_yesterday_is_about_the_only_event_of_that_day(hours_after, joins):
    """ "Die mars gisteravond was echt indrukwekkend" the morning after the only event in its
    gemeente names the event's day; three days later "gisteravond" is another evening."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    later = (SAT - T0).total_seconds() / 3600 + hours_after
    text = "Die mars gisteravond was echt indrukwekkend, zelfs de buurman stond te zwaaien."
    post = item(3, text, later, [], channel="r/zwolle")
    signals = build_signals([call, post], T0 + timedelta(hours=later + 1))
    assert len(signals) == 1 and ("telegram:p3" in signals[0].post_ids) is joins


def _unplaced_call(n, text, channel):
    return item(n, text, 0, ["supporters"], where=None, start=SAT, announced=True, channel=channel)


def test_a_town_report_adopts_the_only_call_of_its_day_that_named_no_town():
    """ "DERBY ZATERDAG 14:00 verzamelen op het Vuurtorenplein" names no town, so it makes no signal; the
    police's "oproep aan supporters om zaterdag ... naar het stadion te lopen" in Katwijk, the same
    day and kind and some of its words, adopts it — unless another such call of that day exists
    (which one?) or the two name different places (two derbies on one Saturday)."""
    katwijk = ("GM0537", "Katwijk")
    call = _unplaced_call(
        1, "DERBY ZATERDAG 14:00 verzamelen op het Vuurtorenplein, samen lopen naar het stadion!", "qb_sfeer"
    )
    police = item(
        2,
        "Politie is bekend met een oproep aan supporters om zaterdag samen naar het stadion te lopen.",
        30,
        ["supporters"],
        where=katwijk,
        start=SAT,
        announced=True,
        channel="politie.nl",
        source="rss",
    )
    now = SAT - timedelta(hours=1)
    (signal,) = build_signals([call, police], now)
    assert set(signal.post_ids) == {"telegram:p1", "rss:p2"} and signal.gemeente == "Katwijk"
    other = _unplaced_call(3, "Zaterdag 14:00 verzamelen bij De Kroonstee, samen lopen naar het stadion", "vak_p")
    assert all(len(s.post_ids) == 1 for s in build_signals([call, other, police], now))
    elsewhere = item(
        4,
        "Canadaplein zaterdag vol met fans in het rood, de mars naar het stadion start om 14:00",
        30,
        ["supporters"],
        where=("GM0361", "Alkmaar"),
        start=SAT,
        announced=True,
        channel="az_noord",
    )
    assert all(len(s.post_ids) == 1 for s in build_signals([call, elsewhere], now))


@pytest.mark.parametrize(
    "text, days, joins",
    [
        ("Twee verdachten aangehouden voor explosie Brinkstraat. De politie hield maandag twee mannen aan.", 3, True),
        ("Burgemeester sluit woning Brinkstraat na de explosie van dinsdagnacht", 2, True),
        # another place: another event
        ("Twee verdachten aangehouden voor explosie Molenweg. De politie hield maandag twee mannen aan.", 3, False),
        # longer after than the aftermath lasts
        ("Twee verdachten aangehouden voor explosie Brinkstraat. De politie hield maandag twee mannen aan.", 9, False),
    ],
)
def test_a_report_pointing_back_at_the_event_joins_it_days_later(text, days, joins):
    """ "Aanhouding na explosie Brinkstraat", dated by the day of the arrest: the event's own
    report (its place, its kind, within the aftermath), not an event of that day."""
    night = T0.replace(hour=3)
    first = item(
        1,
        "Explosie bij woning aan de Brinkstraat in Zwolle vannacht, politie zoekt getuigen",
        5,
        ["incident"],
        start=night,
        place="Brinkstraat",
        announced=False,
        source="rss",
        channel="politie.nl",
    )
    later = item(
        2,
        text,
        24 * days,
        ["incident"],
        start=T0 + timedelta(days=days),
        known=False,
        announced=False,
        source="rss",
        channel="regionieuws",
    )
    signals = build_signals([first, later], T0 + timedelta(days=days, hours=1))
    together = [s for s in signals if "rss:p1" in s.post_ids][0]
    assert ("rss:p2" in together.post_ids) is joins


def test_the_clubs_business_is_no_follow_up_of_its_supporters_event():
    """A transfer or a director leaving, in the words of the derby two days ahead ("De bom is
    gebarsten in Deventer: Go Ahead en de technisch directeur gaan uit elkaar, twee dagen voor de
    derby"), is news about the club, not about the supporters' gathering."""
    call = item(
        1,
        "Zaterdag IJsselderby! Verzamelen 12:00 Stationsplein Zwolle, samen naar het stadion. PEC PEC PEC",
        0,
        ["supporters"],
        start=SAT,
        channel="blauwvingers_sfeer",
    )
    news = [
        "De bom is gebarsten in Zwolle: PEC en de technisch directeur gaan uit elkaar, twee dagen voor de IJsselderby",
        "Transfer rond: PEC Zwolle haalt een spits uit Deventer, twee dagen voor de IJsselderby in het stadion",
    ]
    posts = [item(2 + n, text, 50, [], channel="regiosport") for n, text in enumerate(news)]
    for post in posts:
        post[1].scores["supporters"] = 0.33  # the words of the match, as the analyzer scores them
    (signal,) = build_signals([call, *posts], SAT)
    assert signal.post_ids == ["telegram:p1"]


def test_a_call_for_the_next_protest_at_the_same_place_is_no_aftermath_of_the_last():
    """ "Volgende week zaterdag weer! Verzamelen voor de demonstratie bij het Raadhuisplein", the
    night after the protest there, points at a demonstration and names its place, but it is the
    next one: only an incident has an aftermath of arrests and closures."""
    first = item(
        1,
        "Zaterdag 14:00 demonstratie tegen het azc op het Raadhuisplein!",
        0,
        ["demonstratie"],
        start=SAT,
        place="Raadhuisplein",
        channel="zwolle_zegt_nee",
    )
    next_call = item(
        2,
        "Volgende week zaterdag weer! Om 14:00 verzamelen voor de demonstratie bij het Raadhuisplein",
        (SAT - T0).total_seconds() / 3600 + 10,
        ["demonstratie"],
        start=SAT + timedelta(days=7),
        place="Raadhuisplein",
        channel="andere_groep",
    )
    signals = build_signals([first, next_call], SAT + timedelta(hours=11))
    assert len(signals) == 2


def test_a_question_or_hearsay_about_a_call_does_not_confirm_it():
    """The organiser's call and a second channel asking whether it goes ahead: still one source
    that reports it (LABEL_GUIDE: bevestigd needs two that report it themselves); a second
    channel that says it is there does confirm it."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    asking = item(
        2, "Weet iemand of die demonstratie bij het stadhuis zaterdag nog doorgaat?", 30, ["demonstratie"], start=SAT
    )
    heard = item(3, "Missed the protest at the town hall, heard there were hundreds", 80, ["demonstratie"], start=SAT)
    [signal] = build_signals([call, asking, heard], SAT + timedelta(hours=3))
    assert len(signal.post_ids) == 3 and signal.reliability == "onbevestigd" and signal.independent_sources == 1
    there = item(4, "Staan nu met honderden mensen voor het stadhuis, demonstratie is begonnen", 78, ["demonstratie"])
    [signal] = build_signals([call, asking, heard, there], SAT + timedelta(hours=3))
    assert signal.reliability == "bevestigd" and signal.independent_sources == 2


def test_a_towns_subreddit_in_an_event_does_not_pull_in_its_other_threads():
    """A subreddit is many people asking many things: that one thread discussed the protest says
    nothing of the next one, which joins only by its own evidence. An organiser's channel's
    follow-up does join."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee")
    thread = item(
        2,
        "Gaat die demonstratie bij het stadhuis zaterdag echt door?",
        20,
        ["demonstratie"],
        start=SAT,
        channel="r/zwolle",
        source="reddit",
    )
    chatter = item(
        3, "Iemand tips voor een goede kapper? Ben net verhuisd.", 40, [], channel="r/zwolle", source="reddit"
    )
    follow_up = item(4, "Tanks vol, we zijn met velen. Tot zaterdag!", 41, [], channel="zwolle_zegt_nee")
    [signal] = build_signals([call, thread, chatter, follow_up], SAT - timedelta(hours=20))
    assert "reddit:p2" in signal.post_ids and "telegram:p4" in signal.post_ids
    assert "reddit:p3" not in signal.post_ids


def test_dumpert_uploads_share_no_channel():
    """Dumpert is one "channel" of many uploaders: a video without a town does not join another
    town's video for being on Dumpert, and two uploads of one fight are two sources."""

    def video(n, text, hours, cats, where=("GM0344", "Utrecht"), place="Lage Weide"):
        return item(
            n,
            text,
            hours,
            cats,
            where=where,
            start=T0 + timedelta(hours=9),
            known=False,
            place=place,
            channel="dumpert",
            source="dumpert",
        )

    fight = video(1, "Harde kernen matten op industrieterrein in Utrecht, ME veegt de straat schoon", 10, ["incident"])
    elsewhere = video(
        2, "Colonne brommers scheurt over de ring, politie erachteraan", 9.5, ["scootermeeting"], where=None, place=None
    )
    [signal] = build_signals([fight, elsewhere], T0 + timedelta(hours=12))
    assert signal.post_ids == ["dumpert:p1"]
    second = video(
        3, "Gevecht tussen supporters op bedrijventerrein Utrecht, tientallen man op de vuist", 10.5, ["incident"]
    )
    [signal] = build_signals([fight, second], T0 + timedelta(hours=12))
    assert sorted(signal.post_ids) == ["dumpert:p1", "dumpert:p3"] and signal.independent_sources == 2


def test_an_event_that_took_its_gemeente_from_context_takes_no_post_of_another():
    """A police post naming no place makes an event without a gemeente; a follow-up in its
    channel naming Kampen joins by context and gives it Kampen. A later post in that channel
    naming Zwolle is not about Kampen's event: it fitted the event while it had no gemeente
    yet (the candidates are found before anything joins), but it may not join it once it
    has one. (A tick, which rebuilds Kampen without reading Zwolle's posts, showed the signal
    without it while grouping at once put Zwolle's post in Kampen's signal.)"""
    arrests = item(
        1, "Politie houdt tientallen relschoppers aan na onrust, ME ingezet", 0, ["incident"], where=None, channel="k"
    )
    kampen = item(
        2, "hier in Kampen staat alles stil, overal politie op straat", 0.5, [], where=("GM0166", "Kampen"), channel="k"
    )
    zwolle = item(3, "hier in Zwolle staat alles stil, overal politie op straat", 1, [], where=ZWOLLE, channel="k")
    signals = build_signals([arrests, kampen, zwolle], T0 + timedelta(hours=2))
    [signal] = [s for s in signals if "telegram:p1" in s.post_ids]
    assert signal.gemeente_code == "GM0166" and "telegram:p2" in signal.post_ids
    assert "telegram:p3" not in signal.post_ids


def night_fight(night, place=None):
    """The police's report of a fight at the Grote Markt in Zwolle, an hour after it started."""
    return item(
        1,
        "Vechtpartij op de Grote Markt in Zwolle, twee gewonden, politie zoekt getuigen",
        (night - T0).total_seconds() / 3600 + 1,
        ["incident"],
        start=night,
        channel="politie_ijsselland",
        source="rss",
        place=place,
    )


def test_a_post_in_a_town_channel_joins_the_towns_only_event_of_its_kind_that_day():
    """A post naming no place in a channel named after the town ("r/Zwolle": "wie weet wat er
    gisteravond speelde? heli en sirenes tot na twaalven"), read as that day's incident, joins
    the town's one incident of that date with nothing more than the date; with two incidents
    there that day it joins neither, and a news feed named after the town is not trusted so."""
    night = SAT.replace(hour=22)
    fight = night_fight(night)
    next_morning = (night - T0).total_seconds() / 3600 + 12

    def asking(n, channel, source="reddit"):
        return item(
            n,
            "Iemand enig idee wat er gisteravond speelde? Heli tot na twaalven en busjes met sirenes af en aan.",
            next_morning,
            ["incident"],
            where=None,
            start=night.replace(hour=0),
            known=False,
            announced=False,
            channel=channel,
            source=source,
        )

    signals = build_signals([fight, asking(2, "r/Zwolle")], SAT + timedelta(days=1))
    assert len(signals) == 1 and "reddit:p2" in signals[0].post_ids

    feed = asking(3, "Zwolle Vandaag", source="rss")
    signals = build_signals([fight, feed], SAT + timedelta(days=1))
    assert all("rss:p3" not in s.post_ids for s in signals)

    fire = item(
        4,
        "Explosie bij woning in Stadshagen vannacht, politie onderzoekt een aanslag",
        (night - T0).total_seconds() / 3600 - 17,
        ["incident"],
        start=night.replace(hour=4),
        channel="rtv_oost",
        source="rss",
        place="Stadshagen",
    )
    signals = build_signals([fight, fire, asking(2, "r/Zwolle")], SAT + timedelta(days=1))
    assert all("reddit:p2" not in s.post_ids for s in signals)


def test_a_report_that_the_event_stayed_calm_joins_it_as_context():
    """ "Ruim vierhonderd mensen liepen met fakkels door Zwolle; de tocht verliep zonder
    incidenten": the calm that a keyword list marks as no incident is a report of the march, so
    it joins the march by context; an exclusion that says there was no event (a drill) does not."""
    call = item(1, CALL, 0, ["demonstratie"], start=SAT, channel="zwolle_zegt_nee", place="stadhuis")
    next_morning = (SAT - T0).total_seconds() / 3600 + 19

    def report(n, text, exclusion):
        post, analysis = item(n, text, next_morning, [], channel="rtv_oost", source="rss", place="stadhuis")
        return post, replace(analysis, scores={"demonstratie": 0.3}, keywords=[exclusion])

    calm = report(
        2,
        "Ruim vierhonderd mensen liepen zaterdag met fakkels naar het stadhuis van Zwolle. De tocht verliep "
        "zonder incidenten.",
        "!incident:zonder incidenten",
    )
    drill = report(
        3,
        "Bij het stadhuis van Zwolle oefenden brandweer en politie zaterdag een ontruiming, een oefening.",
        "!incident:oefening",
    )
    signals = build_signals([call, calm, drill], SAT + timedelta(days=1))
    assert len(signals) == 1
    assert "rss:p2" in signals[0].post_ids and "rss:p3" not in signals[0].post_ids


def test_a_measure_days_after_an_incident_at_its_place_joins_it_as_context():
    """ "Na het geweld op de Grote Markt zet de burgemeester extra camera's in", four days after
    the fight: the aftermath of that incident, past its context window, whether or not a list
    excludes it as a measure ("sluit woning"); a verdict about it does not join, nor does the
    same notice weeks later."""
    night = SAT.replace(hour=23)
    fight = night_fight(night, place="Grote Markt")

    def notice(n, days, text, exclusion=None):
        hours = (night - T0).total_seconds() / 3600 + 24 * days
        post, analysis = item(n, text, hours, [], channel="gemeente_zwolle", source="rss", place="Grote Markt")
        return post, replace(analysis, scores={"incident": 0.2}, keywords=[exclusion] if exclusion else [])

    measure = notice(2, 4, "Na het geweld op de Grote Markt zet de burgemeester tijdelijk extra camera's in.")
    closure = notice(
        3, 5, "Burgemeester sluit woning aan de Grote Markt na het geweld van zaterdag.", "!incident:sluit woning"
    )
    verdict = notice(4, 3, "Man veroordeeld voor het geweld op de Grote Markt.", "!incident:veroordeeld")
    late = notice(5, 20, "Na het geweld op de Grote Markt blijven de camera's nog een maand hangen.")
    measures = DetectorSettings(grouping=GroupingConfig(measures=frozenset({"sluit woning"})))
    signals = build_signals([fight, measure, closure, verdict, late], night + timedelta(days=21), settings=measures)
    with_fight = [s for s in signals if "rss:p1" in s.post_ids]
    assert len(with_fight) == 1
    ids = with_fight[0].post_ids
    assert "rss:p2" in ids and "rss:p3" in ids
    assert "rss:p4" not in ids and "rss:p5" not in ids
    # which exclusions are measures is the keyword lists' word (KeywordList.measures), not the code's
    signals = build_signals([fight, measure, closure, verdict, late], night + timedelta(days=21))
    assert "rss:p3" not in next(s for s in signals if "rss:p1" in s.post_ids).post_ids


def test_a_change_of_the_grouping_code_changes_its_fingerprint(tmp_path, monkeypatch):
    """What detectors/ makes of posts is stored in events: an upgrade of that code must show,
    and the check sets under detectors/eval are no code."""
    from detectors import settings

    (tmp_path / "detectors" / "eval").mkdir(parents=True)
    (tmp_path / "detectors" / "anchors.py").write_text("SUFFIXES = ('plein',)\n")
    monkeypatch.setattr(settings, "ROOT", tmp_path)
    settings.grouping_fingerprint.cache_clear()
    try:
        before = settings.grouping_fingerprint()
        (tmp_path / "detectors" / "eval" / "posts.jsonl").write_text("{}\n")
        settings.grouping_fingerprint.cache_clear()
        assert settings.grouping_fingerprint() == before
        (tmp_path / "detectors" / "anchors.py").write_text("SUFFIXES = ('plein', 'kade')\n")
        settings.grouping_fingerprint.cache_clear()
        assert settings.grouping_fingerprint() != before
    finally:
        settings.grouping_fingerprint.cache_clear()


def test_a_gemeente_notice_naming_the_only_events_day_and_kind_joins_it():
    """ "De gemeente heeft signalen ontvangen dat komende zondag opnieuw een scootermeeting in de
    stad wordt georganiseerd": the gemeente's own feed names the day and the kind of the only
    event it may be about, and joins it by context, days before."""
    sunday = datetime(2026, 10, 25, 13, 0, tzinfo=AMS)
    call = item(
        1,
        "ZONDAG 13.00 Westpoort, alles wat knalt mag mee 🛵 niet lullen maar komen",
        0,
        ["scootermeeting"],
        start=sunday,
        channel="zwolle_meets",
    )
    post, analysis = item(
        2,
        "De gemeente heeft signalen ontvangen dat komende zondag opnieuw een scootermeeting in de stad wordt "
        "georganiseerd. Deelnemers riskeren een boete.",
        26,
        [],
        channel="gemeente-zwolle.nl",
        source="rss",
    )
    notice = (post, replace(analysis, scores={"scootermeeting": 0.33}))
    signals = build_signals([call, notice], T0 + timedelta(hours=30))
    assert [sorted(s.post_ids) for s in signals] == [["rss:p2", "telegram:p1"]]
