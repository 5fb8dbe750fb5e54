"""The briefing (digest.briefing) as a PDF, drawn with ReportLab.

ReportLab rather than WeasyPrint: it installs as pure-Python wheels (WeasyPrint needs Pango
and its libraries from the system), draws the charts and the map as vector graphics without
a plotting stack, and embeds its bundled Bitstream Vera fonts so the document renders the same
on any machine. Everything that came from outside (summaries quote posts, places come from
posts) is escaped before it reaches a Paragraph: ReportLab's paragraphs understand a markup
in which <img> reads files and <a> makes links, and none of that may come from a post.
"""

from __future__ import annotations

import io
import os
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Circle, Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from digest.briefing import Briefing
from onrustradar.core import nl
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.models import CATEGORY_LABELS

FONT, BOLD = "Vera", "Vera-Bold"
CATEGORY_COLORS = {
    "demonstratie": colors.HexColor("#1f77b4"),
    "scootermeeting": colors.HexColor("#ff7f0e"),
    "supporters": colors.HexColor("#2ca02c"),
    "incident": colors.HexColor("#d62728"),
}
GREYS = [colors.HexColor(c) for c in ("#e4e4e4", "#cfcfcf", "#b4b4b4", "#969696")]


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _glyphs() -> set[int]:
    return set(pdfmetrics.getFont(FONT).face.charToGlyph)


def plain(text: str) -> str:
    """Text with only the characters the font has (graphics strings are never markup)."""
    have = _glyphs()
    return "".join(ch for ch in str(text) if ord(ch) in have)


def safe(text: str) -> str:
    """Outside text for a Paragraph: characters the font lacks dropped, markup escaped."""
    return escape(plain(text))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=17, leading=21, spaceAfter=4),
        "sub": ParagraphStyle("sub", base, fontSize=10, textColor=colors.HexColor("#444444")),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "cellb": ParagraphStyle("cellb", base, fontName=BOLD, fontSize=8, leading=10),
    }


def _table(rows, widths, header=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")), ("FONTNAME", (0, 0), (-1, 0), BOLD)]
    table.setStyle(TableStyle(style))
    return table


def _label(v) -> str:
    return " + ".join(CATEGORY_LABELS[c] for c in v.signal.categories)


def _place(v) -> str:
    return ", ".join(p for p in (v.signal.place, v.signal.gemeente) if p) or "onbekende plaats"


def _when(v) -> str:
    if not v.signal.event_start:
        return f"gemeld {nl.when(v.first_seen)}"
    return ("aangekondigd voor " if v.upcoming else "op ") + nl.when(v.signal.event_start, v.signal.time_known)


def _trend_chart(b: Briefing) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 112 * mm, 46 * mm
    chart.data = [[t.counts[i] for t in b.trend] for i in range(len(b.period_labels))]
    chart.categoryAxis.categoryNames = [CATEGORY_LABELS[t.category] for t in b.trend]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(t.counts) for t in b.trend] + [1])
    chart.valueAxis.valueMax = top + 1
    chart.valueAxis.valueStep = max(1, (top + 1) // 5)
    chart.groupSpacing, chart.barSpacing = 6, 0.5
    for i in range(len(b.period_labels)):
        chart.bars[i].fillColor = GREYS[i % len(GREYS)] if i < len(b.period_labels) - 1 else colors.HexColor("#c0392b")
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 130 * mm, 52 * mm
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.colorNamePairs = [(chart.bars[i].fillColor, label) for i, label in enumerate(b.period_labels)]
    drawing.add(legend)
    drawing.add(String(12 * mm, 58 * mm, "signalen per categorie", fontName=FONT, fontSize=7))
    return drawing


def _map(b: Briefing) -> Drawing:
    """The gemeente's woonplaatsen as grey reference dots, the signals as numbered points."""
    width, height = 170 * mm, 70 * mm
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#f7f9fb"), strokeColor=colors.HexColor("#cccccc")))
    gaz = gazetteer()
    # Woonplaatsen first, then wijken, one per name: the reference the reader knows.
    ordered = sorted(
        (
            (p.kind != "woonplaats", p.name, p.lat, p.lon)
            for p in gaz.places
            if p.gemeente_code == b.gemeente.code and p.lat is not None and p.lon is not None
        ),
        key=lambda t: (t[0], t[1]),
    )
    towns = list({name: (name, lat, lon) for _, name, lat, lon in ordered}.values())[:30]
    points = b.points()
    lats = [b.gemeente.lat] + [t[1] for t in towns] + [p[1] for p in points]
    lons = [b.gemeente.lon] + [t[2] for t in towns] + [p[2] for p in points]
    pad = 0.01
    south, north, west, east = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    # Degrees of longitude are shorter than of latitude at 52°N: keep the shape.
    scale = min((width - 20) / ((east - west) * 0.616), (height - 20) / (north - south))
    left = (width - (east - west) * 0.616 * scale) / 2  # centred

    def xy(lat, lon):
        return (left + (lon - west) * 0.616 * scale, 10 + (lat - south) * scale)

    for name, lat, lon in towns:
        x, y = xy(lat, lon)
        drawing.add(Circle(x, y, 1.6, fillColor=colors.HexColor("#9aa5b1"), strokeColor=None))
        drawing.add(
            String(x + 3, y + 2, plain(name)[:30], fontName=FONT, fontSize=6.5, fillColor=colors.HexColor("#6b7785"))
        )
    taken: dict[tuple, int] = {}
    for number, lat, lon, category in points:
        x, y = xy(lat, lon)
        spot = (round(x / 6), round(y / 6))
        x += 13 * taken.get(spot, 0)  # signals at one place side by side, not on top of each other
        taken[spot] = taken.get(spot, 0) + 1
        drawing.add(Circle(x, y, 6, fillColor=CATEGORY_COLORS.get(category, colors.red), strokeColor=colors.white))
        drawing.add(
            String(x, y - 2.5, str(number), fontName=BOLD, fontSize=7, fillColor=colors.white, textAnchor="middle")
        )
    return drawing


def render(b: Briefing) -> bytes:
    _fonts()
    st = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title=f"Onrustradar {b.title} {b.gemeente.name}",
        author="Onrustradar",
        subject="Bestuurlijke rapportage maatschappelijke onrust",
    )
    story = [
        Paragraph(safe(f"{b.title} maatschappelijke onrust — {b.gemeente.name}"), st["title"]),
        Paragraph(
            safe(f"Periode: {b.window} · opgesteld {nl.when(b.built)} · bestuurlijke rapportage, vertrouwelijk"),
            st["sub"],
        ),
        Spacer(0, 4 * mm),
    ]
    counts = b.counts
    story.append(
        Paragraph(
            safe(
                f"In deze periode: {nl.plural(counts['signalen'], 'signaal', 'signalen')}, waarvan "
                f"{counts['bevestigd']} "
                f"bevestigd, op grond van {nl.plural(counts['berichten'], 'bericht', 'berichten')} uit "
                "openbare bronnen en "
                "eigen meldingen. Bevestigd: gemeld door een officiële bron, een nieuwsmedium, een eigen "
                "melding van de "
                "gemeente of minstens twee onafhankelijke bronnen. Volgorde: ernst, dan bevestigd vóór "
                "onbevestigd, dan wat "
                "nog komt vóór wat voorbij is."
            ),
            st["body"],
        )
    )

    story.append(Paragraph("Signalen", st["h2"]))
    if b.items:
        rows = [
            [
                Paragraph("nr", st["cellb"]),
                Paragraph("Wat er gebeurde", st["cellb"]),
                Paragraph("Soort, plaats, tijd", st["cellb"]),
                Paragraph("Betrouwbaarheid", st["cellb"]),
            ]
        ]
        for i, v in enumerate(b.items, 1):
            rows.append(
                [
                    Paragraph(str(i), st["cell"]),
                    Paragraph(safe(v.summary), st["cellb"]),
                    Paragraph(
                        safe(
                            f"{_label(v)} · {_place(v)} · {_when(v)}"
                            + (f" · status {v.status}" if v.status != "nieuw" else "")
                        ),
                        st["cell"],
                    ),
                    Paragraph(
                        safe(
                            f"{v.basis} · {nl.plural(v.sources, 'bron', 'bronnen')} · "
                            f"{nl.plural(v.posts, 'bericht', 'berichten')}"
                        ),
                        st["cell"],
                    ),
                ]
            )
        story.append(_table(rows, [8 * mm, 72 * mm, 45 * mm, 49 * mm]))
        if b.more:
            story.append(
                Paragraph(
                    safe(
                        f"En {nl.plural(b.more, 'ander signaal', 'andere signalen')} met minder gewicht: zie het bord."
                    ),
                    st["small"],
                )
            )
    else:
        story.append(Paragraph("Geen signalen in deze periode.", st["body"]))
    for line in b.detail:
        story.append(Paragraph(safe(line), st["small"]))

    story.append(Paragraph("Agenda: aangekondigde gebeurtenissen", st["h2"]))
    if b.agenda:
        rows = [
            [
                Paragraph("Wanneer", st["cellb"]),
                Paragraph("Wat en waar", st["cellb"]),
                Paragraph("Betrouwbaarheid", st["cellb"]),
            ]
        ]
        for v in b.agenda:
            begins = v.signal.event_start
            assert begins is not None  # the agenda holds upcoming signals only: each has a start
            rows.append(
                [
                    Paragraph(safe(nl.when(begins, v.signal.time_known)), st["cell"]),
                    Paragraph(safe(f"{_label(v)}, {_place(v)} (signaal {b.number(v)})"), st["cell"]),
                    Paragraph(safe(v.reliability), st["cell"]),
                ]
            )
        story.append(_table(rows, [35 * mm, 105 * mm, 34 * mm]))
    else:
        story.append(Paragraph("Geen aangekondigde gebeurtenissen.", st["body"]))

    story.append(
        KeepTogether(
            [Paragraph("Trend: signalen per categorie tegenover de vorige perioden", st["h2"]), _trend_chart(b)]
        )
    )
    rows = [["Categorie", *b.period_labels]] + [[CATEGORY_LABELS[t.category], *map(str, t.counts)] for t in b.trend]
    story.append(_table(rows, [30 * mm] + [28 * mm] * len(b.period_labels)))

    story.append(
        KeepTogether(
            [
                Paragraph("Kaart", st["h2"]),
                _map(b),
                Paragraph(
                    "Genummerde punten: de signalen hierboven, op hun wijk of woonplaats (anders het "
                    "midden van de gemeente). "
                    "Grijze punten: woonplaatsen ter oriëntatie.",
                    st["small"],
                ),
            ]
        )
    )

    story.append(Paragraph("Geraadpleegde bronnen", st["h2"]))
    if b.sources:
        rows = [["Soort bron", "Platform", "Bronnen", "Berichten"]] + [
            [r.kind, Paragraph(safe(r.platforms), st["cell"]), str(r.sources), str(r.posts)] for r in b.sources
        ]
        story.append(_table(rows, [45 * mm, 75 * mm, 25 * mm, 29 * mm]))
    configured = ", ".join(
        f"{n} {label}"
        for label, n in (
            ("officieel", b.configured.get("official", 0)),
            ("nieuws", b.configured.get("news", 0)),
            ("sociale media", b.configured.get("social", 0)),
        )
        if n
    )
    story.append(
        Paragraph(
            safe(
                "Bronnen die in de signalen van deze periode voorkomen, geteld per soort; namen van "
                "kanalen en accounts staan "
                f"niet in deze rapportage. Ingestelde bronnen: {configured or 'geen'}."
            ),
            st["small"],
        )
    )
    story.append(Spacer(0, 4 * mm))
    story.append(
        Paragraph(
            "Automatisch samengesteld door Onrustradar uit openbare bronnen en eigen meldingen. Geen persoonsgegevens: "
            "de samenvattingen noemen geen namen of accounts. Details en onderbouwing per signaal op het bord.",
            st["small"],
        )
    )

    def page(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(18 * mm, 8 * mm, f"Onrustradar · {b.title} {b.gemeente.name} · vertrouwelijk")
        canvas.drawRightString(A4[0] - 18 * mm, 8 * mm, f"pagina {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()
