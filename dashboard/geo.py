"""The map as an SVG the board draws itself, offline: gemeente outlines from the shipped CBS
boundaries (onrustradar/core/data/geo, see its PROVENANCE.md), the user's gemeenten highlighted,
signals as markers at their wijk or woonplaats point (the gemeente's point when the place has
no coordinates), markers that would overlap spread around their point, a tooltip per marker
and a link to the signal. An optional tile background comes from a configured URL template.

Everything is projected in Web Mercator (as tile servers are), in pixels at one zoom level.
All text in the SVG is escaped; no post text is ever on the map."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.common import COLORS, h
from onrustradar.core.gazetteer import fold, gazetteer

TOPOJSON = Path(__file__).resolve().parent.parent / "onrustradar" / "core" / "data" / "geo" / "gemeenten_2025.topojson"
WIDTH = 1000  # SVG user units across the view
TILE = 256
SPREAD_PX = 18  # markers closer than this on screen are spread around their point
RADIUS = 7


@dataclass(frozen=True)
class Marker:
    signal_id: str
    category: str
    lat: float
    lon: float
    approximate: bool  # at the gemeente's point, not the place's own
    lines: tuple[str, ...]  # tooltip text
    href: str


@lru_cache(maxsize=1)
def outlines() -> dict[str, tuple[str, list[list[list[tuple[float, float]]]]]]:
    """gemeente code -> (name, polygons of rings of (lon, lat))."""
    topo = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])  # consecutive arcs share an end point
        return out

    result = {}
    for geometry in topo["objects"]["gemeente_2025"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        props = geometry["properties"]
        result[props["statcode"]] = (props["statnaam"], [[ring(r) for r in polygon] for polygon in polygons])
    return result


@lru_cache(maxsize=1)
def _place_points() -> dict[tuple[str, str], tuple[float, float]]:
    points: dict[tuple[str, str], tuple[float, float]] = {}
    for place in gazetteer().places:
        if place.lat is not None and place.lon is not None:
            # a wijk's own point wins over a woonplaats of the same name
            key = (place.gemeente_code, fold(place.name))
            if key not in points or place.kind == "wijk":
                points[key] = (place.lat, place.lon)
    return points


def point(gemeente_code: str | None, place: str | None) -> tuple[float, float, bool] | None:
    """(lat, lon, approximate) of a signal's place: its wijk or woonplaats, else the gemeente."""
    if place:
        found = _place_points().get((gemeente_code or "", fold(place)))
        if found:
            return found[0], found[1], False
    g = gazetteer().gemeenten.get(gemeente_code or "")
    return (g.lat, g.lon, True) if g else None


def project(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixels at `zoom` (the tile servers' own grid)."""
    size = TILE * 2**zoom
    x = (lon + 180) / 360 * size
    s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


def _bbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def view_box(focus_codes: list[str], markers: list[Marker]) -> tuple[float, float, float, float, int]:
    """(x, y, width, height, zoom) around the user's gemeenten and the markers, with a margin."""
    shapes = outlines()
    points = [pt for c in focus_codes if c in shapes for poly in shapes[c][1] for r in poly for pt in r]
    points += [(m.lon, m.lat) for m in markers]
    if not points:
        points = [(3.36, 50.75), (7.23, 53.55)]  # the whole country
    lon0, lat0, lon1, lat1 = _bbox(points)
    # a zoom at which the view is about WIDTH pixels across (whole zoom levels: the tiles' own)
    span = max(lon1 - lon0, (lat1 - lat0) * 1.6, 0.05)
    zoom = max(5, min(14, int(math.log2(WIDTH * 360 / (TILE * span * 1.3)))))
    x0, y1 = project(lon0, lat0, zoom)
    x1, y0 = project(lon1, lat1, zoom)
    margin = 0.12 * max(x1 - x0, y1 - y0, 200)
    return x0 - margin, y0 - margin, (x1 - x0) + 2 * margin, (y1 - y0) + 2 * margin, zoom


def spread(positions: list[tuple[float, float]], min_px: float = SPREAD_PX) -> list[tuple[float, float]]:
    """Markers that fall on (nearly) the same spot, placed on a small circle around their
    middle, so each can be seen, hovered and clicked. Markers closer than `min_px` belong
    together (also through a chain of neighbours); a circle that would then cover another
    marker takes that marker in too, until no two markers overlap."""
    parent = list(range(len(positions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def close(points, limit):
        return [
            (i, j)
            for i in range(len(points))
            for j in range(i)
            if math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]) < limit
        ]

    for i, j in close(positions, min_px):
        parent[find(i)] = find(j)
    out = list(positions)
    for _ in range(10):
        clusters: dict[int, list[int]] = {}
        for i in range(len(positions)):
            clusters.setdefault(find(i), []).append(i)
        out = list(positions)
        for members in clusters.values():
            if len(members) < 2:
                continue
            cx = sum(positions[i][0] for i in members) / len(members)
            cy = sum(positions[i][1] for i in members) / len(members)
            # neighbours on the circle at least a marker's width (and a gap) apart
            radius = max(min_px, (RADIUS + 2.5) / math.sin(math.pi / len(members)))
            for k, i in enumerate(members):
                angle = 2 * math.pi * k / len(members) - math.pi / 2
                out[i] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        overlapping = [(i, j) for i, j in close(out, 2 * RADIUS + 4) if find(i) != find(j)]
        if not overlapping:
            break
        for i, j in overlapping:
            parent[find(i)] = find(j)
    return out


def _path(rings: list[list[tuple[float, float]]], zoom: int) -> str:
    parts = []
    for r in rings:
        xy = [project(lon, lat, zoom) for lon, lat in r]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def _tiles(x: float, y: float, w: float, hgt: float, zoom: int, template: str) -> list[str]:
    n = 2**zoom
    out = []
    for tx in range(int(x // TILE), int((x + w) // TILE) + 1):
        for ty in range(int(y // TILE), int((y + hgt) // TILE) + 1):
            if 0 <= tx < n and 0 <= ty < n:
                url = template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
                out.append(
                    f'<image href="{h(url)}" x="{tx * TILE}" y="{ty * TILE}" width="{TILE}" height="{TILE}" '
                    'preserveAspectRatio="none"/>'
                )
    return out


def svg(markers: list[Marker], watched: list[str], tiles: str | None = None) -> str:
    """The map: outlines (the watched gemeenten highlighted), optional tiles, markers."""
    x, y, w, hgt, zoom = view_box(watched, markers)
    view = (x, y, x + w, y + hgt)
    body = [
        f'<svg class="or-map" xmlns="http://www.w3.org/2000/svg" viewBox="{x:.1f} {y:.1f} {w:.1f} {hgt:.1f}" '
        f'width="100%" style="max-height:640px;background:#eef3f7" role="img" '
        f'aria-label="Kaart van de gemeenten met signalen">'
    ]
    if tiles:
        body += _tiles(x, y, w, hgt, zoom, tiles)
    fill = "none" if tiles else "#fafafa"
    shapes = outlines()
    for code, (name, polygons) in shapes.items():
        rings = [r for poly in polygons for r in poly]
        lon0, lat0, lon1, lat1 = _bbox([pt for r in rings for pt in r])
        bx0, by1 = project(lon0, lat0, zoom)
        bx1, by0 = project(lon1, lat1, zoom)
        if bx1 < view[0] or bx0 > view[2] or by1 < view[1] or by0 > view[3]:
            continue  # outside the view
        cls = "gm gm-watched" if code in watched else "gm"
        style = (
            "fill:#fff4c2;fill-opacity:.55;stroke:#8a6d00;stroke-width:2.2"
            if code in watched
            else f"fill:{fill};stroke:#9aa5ad;stroke-width:.8"
        )
        body.append(
            f'<path class="{cls}" data-code="{h(code)}" d="{_path(rings, zoom)}" style="{style}">'
            f"<title>{h(name)}</title></path>"
        )
    for code in watched:  # the names of the user's gemeenten, above their outline
        if code in shapes:
            name, polygons = shapes[code]
            lon0, lat0, lon1, lat1 = _bbox([pt for poly in polygons for r in poly for pt in r])
            (gx0, _), (gx1, gy) = project(lon0, lat0, zoom), project(lon1, lat1, zoom)
            body.append(
                f'<text class="gm-label" x="{(gx0 + gx1) / 2:.1f}" y="{gy - 6:.1f}" text-anchor="middle" '
                f'style="font:bold 14px sans-serif;fill:#5c4a00;pointer-events:none;paint-order:stroke;'
                f'stroke:#fff;stroke-width:3px">{h(name)}</text>'
            )
    spots = spread([project(m.lon, m.lat, zoom) for m in markers])
    for m, (mx, my) in zip(markers, spots):
        ox, oy = project(m.lon, m.lat, zoom)
        body.append(
            f'<line x1="{ox:.1f}" y1="{oy:.1f}" x2="{mx:.1f}" y2="{my:.1f}" stroke="#555" stroke-width="1"/>'
            if (ox, oy) != (mx, my)
            else ""
        )
    for m, (mx, my) in zip(markers, spots):
        color = COLORS.get(m.category, "#555")
        width = 9 + 6.6 * max(len(line) for line in m.lines)
        tx = mx + 12 if mx + 12 + width < x + w else mx - 12 - width
        text = "".join(
            f'<tspan x="{tx + 6:.1f}" dy="{15 if i else 0}">{h(line)}</tspan>' for i, line in enumerate(m.lines)
        )
        # One group per marker: hovering it shows its tooltip (CSS below), clicking opens the signal.
        body.append(
            f'<g class="mk-g"><a class="mk-link" href="{h(m.href)}" aria-label="{h(" · ".join(m.lines))}">'
            f'<circle class="mk" data-signal="{h(m.signal_id)}" cx="{mx:.1f}" cy="{my:.1f}" r="{RADIUS}" '
            f'style="fill:{color};stroke:#fff;stroke-width:2;cursor:pointer"/></a>'
            f'<g class="mk-tip" data-signal="{h(m.signal_id)}" style="pointer-events:none">'
            f'<rect x="{tx:.1f}" y="{my - 14:.1f}" width="{width:.1f}" height="{15 * len(m.lines) + 8}" rx="4" '
            f'style="fill:#fff;stroke:#333;stroke-width:1;opacity:.96"/>'
            f'<text x="{tx + 6:.1f}" y="{my + 1:.1f}" style="font:12px sans-serif;fill:#111">{text}</text></g></g>'
        )
    body.append("</svg>")
    return "".join(body)


MAP_STYLE = """<style>
.or-map .mk-tip{visibility:hidden}
.or-map .mk-g:hover .mk-tip{visibility:visible}
.or-map .mk-g:hover circle{stroke:#111 !important}
</style>"""


def embed(markup: str) -> str:
    """The map for st.html: its sanitiser keeps HTML only (it would drop the SVG), and
    Markdown would open every link in a new tab. So the page gets an empty box and a line of
    script that puts this markup, built here alone and escaped throughout, into it."""
    box = "or-map-" + hashlib.sha1(markup.encode()).hexdigest()[:10]
    payload = base64.b64encode(markup.encode("utf-8")).decode("ascii")
    return (
        f'<div id="{box}" class="or-map-box"></div><script>document.getElementById("{box}").innerHTML = '
        f'new TextDecoder().decode(Uint8Array.from(atob("{payload}"), c => c.charCodeAt(0)));</script>'
    )
