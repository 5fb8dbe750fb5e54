"""A small bar chart (PNG) of the last seven days against the four weeks before (posts per
category), drawn
with Pillow so the e-mail carries it inline and no plotting stack is needed."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from detectors.trends import WeekTrend
from onrustradar.core.models import CATEGORY_LABELS

WIDTH, HEIGHT = 560, 220
NOW, BEFORE, TEXT, GRID = (200, 40, 40), (170, 170, 170), (40, 40, 40), (225, 225, 225)


def trend_png(trend: list[WeekTrend]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    top = max([max(t.this_week, t.before_avg) for t in trend] + [1])
    base, height = HEIGHT - 40, HEIGHT - 70
    slot = (WIDTH - 40) // max(1, len(trend))
    draw.line((20, base, WIDTH - 20, base), fill=GRID, width=2)
    for i, t in enumerate(trend):
        x = 20 + i * slot + slot // 2
        for dx, value, colour in ((-22, t.before_avg, BEFORE), (2, t.this_week, NOW)):
            h = int(height * value / top)
            draw.rectangle((x + dx, base - h, x + dx + 20, base), fill=colour)
            draw.text((x + dx, base - h - 14), f"{value:.0f}", fill=TEXT)
        draw.text((x - 30, base + 8), CATEGORY_LABELS[t.category], fill=TEXT)
    draw.rectangle((20, 8, 32, 20), fill=BEFORE)
    draw.text((38, 8), "berichten, gem. per week ervoor", fill=TEXT)
    draw.rectangle((250, 8, 262, 20), fill=NOW)
    draw.text((268, 8), "berichten, afgelopen 7 dagen", fill=TEXT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
