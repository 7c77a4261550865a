"""The chart as PNG bytes, drawn with matplotlib's Agg canvas through its object API (no pyplot, no display).

Blocking: call it in a worker thread (``asyncio.to_thread``). The whole figure is one axes in pixel units, so
labels are measured once and staggered (``layout.stack``) before anything is drawn.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, weight_dict
from matplotlib.patches import Circle, Rectangle
from matplotlib.patheffects import withStroke

from bot.picture.chart import Chart, Mark
from bot.picture.fonts import LATIN, families, has_bold
from bot.picture.layout import stack
from bot.picture.months import month_labels
from bot.picture.scale import MonthScale

WIDTH, DPI, RIGHT = 1400, 100, 16  # pixels
LABEL_ROOM = 280  # right of the time axis, where the labels of the latest events run on
TOP, BOTTOM = 118, 112  # above the lanes: title, period, years and months; below: months, years, legend, footer
MARK_Y, ROW, LANE_PAD, LANE_MIN = 20, 17, 12, 64  # within a lane
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#9467BD", "#BCBD22",
           "#17BECF", "#2CA02C", "#F0A202", "#1F4E79")
GENERAL_COLOUR, GRID, YEAR_GRID, INK, GREY = "#7F7F7F", "#E3E3E3", "#A0A0A0", "#222222", "#666666"
Pixels = Callable[[float], float]  # a place on the time axis (0..1) in pixels
Write = Callable[..., None]  # text(x, y, s, font, role, **style)
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_DRAWING = threading.Lock()  # one figure at a time: matplotlib's font caches are shared between threads


@dataclass(frozen=True)
class Written:
    """One text on the picture, as drawn: what it says, where, and what part of the picture it belongs to."""

    role: str  # "title", "period", "none", "lane", "label", "month", "year", "legend", "note", "footer"
    text: str
    x: float
    y: float
    size: float  # points


@dataclass(frozen=True)
class Rendering:
    png: bytes
    texts: tuple[Written, ...]

    def of(self, role: str) -> list[str]:
        return [t.text for t in self.texts if t.role == role]


@dataclass(frozen=True)
class Placed:
    mark: Mark
    x0: float  # the mark, in pixels
    x1: float
    anchor: float  # where the leader line runs from the mark down to the label
    right: bool  # the label ends at the anchor (near the right edge) rather than starting there
    row: int
    text: str


def render_png(chart: Chart) -> bytes:
    return render(chart).png


def render(chart: Chart) -> Rendering:
    """The picture of ``chart`` and every text written on it."""
    with _DRAWING:
        return _draw(chart)


def _draw(chart: Chart) -> Rendering:
    fonts = families(chart.language)
    figure = Figure(figsize=(WIDTH / DPI, 4), dpi=DPI, facecolor="white")
    renderer = FigureCanvasAgg(figure).get_renderer()
    small, label = (FontProperties(family=fonts, size=s) for s in (8, 8.5))
    lane_font = FontProperties(family=fonts, size=10, weight="bold")
    left = max([_width(renderer, lane.label, lane_font) for lane in chart.lanes] + [90]) + 34
    scale = MonthScale.of(chart.marks)
    end = WIDTH - RIGHT - LABEL_ROOM  # of the time axis
    span = end - left

    def px(x: float) -> float:
        return left + span * x

    lanes = [_place(chart, n, scale, px, renderer, label) for n in range(len(chart.lanes))]
    heights = [max(LANE_MIN, MARK_Y + (1 + max((p.row for p in placed), default=0)) * ROW + LANE_PAD)
               for placed in lanes]
    height = TOP + sum(heights) + BOTTOM if chart.lanes else 220
    figure.set_size_inches(WIDTH / DPI, height / DPI)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(height, 0)
    ax.set_axis_off()

    written: list[Written] = []

    def text(x: float, y: float, s: str, font: FontProperties, role: str, **style: object) -> None:
        written.append(Written(role, s, x, y, font.get_size_in_points()))
        drawn, colour = _for(font, s), style.pop("color", INK)
        if drawn.get_weight() != font.get_weight():  # bold asked of a font that has none: drawn thicker
            style["path_effects"] = [withStroke(linewidth=0.9, foreground=colour)]
        ax.text(x, y, s, fontproperties=drawn, parse_math=False, color=colour, **style)

    words = chart.words()
    text(24, 34, chart.title, FontProperties(family=fonts, size=17, weight="bold"), "title", va="center")
    if chart.period:
        text(24, 62, chart.period, FontProperties(family=fonts, size=10.5), "period", va="center", color=GREY)
    if not chart.lanes:
        text(WIDTH / 2, 130, words["none"], FontProperties(family=fonts, size=12), "none", ha="center",
             va="center")
    else:
        bottom = TOP + sum(heights)
        _axis(ax, chart, scale, px, renderer, small, TOP, bottom, text)
        top = TOP
        for n, (lane, placed, lane_height) in enumerate(zip(chart.lanes, lanes, heights, strict=True)):
            colour = GENERAL_COLOUR if not lane.key else COLOURS[n % len(COLOURS)]
            background = "#F5F6F8" if n % 2 == 0 else "white"
            ax.add_patch(Rectangle((0, top), WIDTH, lane_height, facecolor=background, edgecolor="none", zorder=0))
            baseline = top + MARK_Y
            ax.plot((left, end), (baseline, baseline), color=colour, alpha=0.35, lw=1, zorder=1.5)
            text(left - 16, baseline, lane.label, lane_font, "lane", ha="right", va="center")
            for p in placed:
                _mark(ax, p, baseline, colour, background, label, text)
            top += lane_height
        _legend(ax, chart, scale, renderer, height, fonts, text)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return Rendering(buffer.getvalue(), tuple(written))


def _width(renderer: RendererAgg, s: str, font: FontProperties) -> float:
    return renderer.get_text_width_height_descent(s, _for(font, s), ismath=False)[0]


def _for(font: FontProperties, s: str) -> FontProperties:
    """``font``, without its CJK fallback for text that has no CJK in it (searching a fallback is slow), and of
    regular weight where bold is asked of a family that has no bold face (matplotlib would warn, then use it)."""
    families = font.get_family()
    if families[0] == LATIN and len(families) > 1 and not _CJK.search(s):
        families = [LATIN]
    weight = font.get_weight()
    bold = (weight if isinstance(weight, int) else weight_dict.get(weight, 400)) >= 600
    regular = bold and not all(has_bold(family) for family in families)
    if families == font.get_family() and not regular:
        return font
    drawn = font.copy()
    drawn.set_family(families)
    if regular:
        drawn.set_weight("normal")
    return drawn


def _place(chart: Chart, lane: int, scale: MonthScale, px: Pixels, renderer: RendererAgg,
           font: FontProperties) -> list[Placed]:
    """The marks of one lane in pixels, each label in the first row where it fits."""
    edge = WIDTH - RIGHT
    out, extents = [], []
    for mark in chart.marks_in(lane):
        x0, x1 = (px(scale.x(mark.start)), px(scale.x_end(mark.end))) if mark.is_span else (
            (px(scale.center(mark.start)),) * 2)
        s = _beyond(mark, scale, mark.label + " " + "".join(f"[{n}]" for n in mark.citation_numbers))
        width = _width(renderer, s, font) + 6
        right = x0 + 3 + width > edge
        anchor = x1 if right else x0
        extents.append((anchor - 3 - width, anchor) if right else (anchor, anchor + 3 + width))
        out.append(Placed(mark, x0, x1, anchor, right, 0, s))
    rows = stack(extents)
    return [Placed(p.mark, p.x0, p.x1, p.anchor, p.right, row, p.text) for p, row in zip(out, rows, strict=True)]


def _beyond(mark: Mark, scale: MonthScale, label: str) -> str:
    """The label of a mark wholly before or after a cut axis says so, and its year: it is drawn at the edge."""
    if (mark.end.year, mark.end.month) < scale.months[0]:
        return f"◀ {mark.start.year:04d} · {label}"
    if (mark.start.year, mark.start.month) > scale.months[-1]:
        return f"{label} · {mark.start.year:04d} ▶"
    return label


def _mark(ax: Axes, p: Placed, baseline: float, colour: str, background: str, font: FontProperties,
          text: Write) -> None:
    row_y = baseline + ROW * (p.row + 1)
    ax.plot((p.anchor, p.anchor), (baseline + 4, row_y), color=GREY, alpha=0.45, lw=0.7, zorder=2)
    if p.mark.is_span:
        ax.add_patch(Rectangle((p.x0, baseline - 5), max(p.x1 - p.x0, 3), 10, facecolor=colour, alpha=0.45,
                               edgecolor=colour, lw=1.2, hatch="////" if p.mark.approximate else None,
                               linestyle="--" if p.mark.approximate else "-", zorder=3))
    else:
        fill = "white" if p.mark.approximate else colour
        ax.add_patch(Circle((p.x0, baseline), 4.5, facecolor=fill, edgecolor=colour, lw=1.5, zorder=3.5))
    x = p.anchor - 3 if p.right else p.anchor + 3
    text(x, row_y, p.text, font, "label", ha="right" if p.right else "left", va="center", zorder=4,
         bbox={"boxstyle": "square,pad=0.12", "facecolor": background, "edgecolor": "none", "alpha": 0.9})


def _axis(ax: Axes, chart: Chart, scale: MonthScale, px: Pixels, renderer: RendererAgg, font: FontProperties,
          top: float, bottom: float, text: Write) -> None:
    """Month gridlines over the lanes; month and year labels above and below them (``months.month_labels``)."""
    bold = font.copy()
    bold.set_weight("bold")
    columns = [tuple(px(x) for x in scale.column(n)) for n in range(len(scale.months))]
    labels = month_labels([month for _, month in scale.months], [x1 - x0 for x0, x1 in columns], chart.language,
                          lambda s, points: _width(renderer, s, _sized(font, points)))
    years: dict[int, list[float]] = {}
    for n, ((year, month), (x0, x1), label) in enumerate(zip(scale.months, columns, labels, strict=True)):
        line = YEAR_GRID if month == 1 or n == 0 else GRID
        ax.plot((x0, x0), (top, bottom), color=line, lw=1.2 if line == YEAR_GRID else 0.8, zorder=1)
        years.setdefault(year, []).extend((x0, x1))
        if label is not None:
            name, size = label
            for y in (top - 12, bottom + 14):
                text((x0 + x1) / 2, y, name, _sized(font, size), "month", ha="center", va="center", color=GREY)
    ax.plot((px(1), px(1)), (top, bottom), color=YEAR_GRID, lw=1.2, zorder=1)
    for year, xs in years.items():
        named = f"{year}年" if chart.language == "zh" else str(year)
        for y in (top - 32, bottom + 34):
            text((min(xs) + max(xs)) / 2, y, named, bold, "year", ha="center", va="center")


def _sized(font: FontProperties, size: float) -> FontProperties:
    if font.get_size_in_points() == size:
        return font
    resized = font.copy()
    resized.set_size(size)
    return resized


def _legend(ax: Axes, chart: Chart, scale: MonthScale, renderer: RendererAgg, height: float, fonts: list[str],
            text: Write) -> None:
    """The kinds of mark drawn (no other), the note on the widths, the footer; the note on a cut axis."""
    words, font = chart.words(), FontProperties(family=fonts, size=9)
    y, x = height - 40, 24.0
    for kind in chart.legend():
        x = _key(ax, kind, x, y)
        text(x, y, words[kind], font, "legend", va="center")
        x += _width(renderer, words[kind], font) + 36
    text(WIDTH - RIGHT, y, words["scale"], font, "note", ha="right", va="center", color=GREY)
    footer = words["footer"].format(v=chart.version) + " · " + words["sources"]
    text(WIDTH - RIGHT, height - 18, footer, font, "footer", ha="right", va="center", color=GREY)
    if scale.outside:  # the axis was cut to its busiest stretch
        (y0, m0), (y1, m1) = scale.months[0], scale.months[-1]
        note = words["cut"].format(first=f"{y0:04d}-{m0:02d}", last=f"{y1:04d}-{m1:02d}", n=scale.outside)
        text(24, height - 18, note, font, "note", va="center", color=INK)


def _key(ax: Axes, kind: str, x: float, y: float) -> float:
    """The mark of ``kind`` drawn as the picture draws it, at ``x``; where its words begin."""
    colour, approximate = COLOURS[0], kind.startswith("approximate")
    if kind.endswith("span"):
        ax.add_patch(Rectangle((x, y - 5), 26, 10, facecolor=colour, alpha=0.45, edgecolor=colour, lw=1.2,
                               hatch="////" if approximate else None, linestyle="--" if approximate else "-"))
        return x + 34
    ax.add_patch(Circle((x + 6, y), 4.5, facecolor="white" if approximate else colour, edgecolor=colour, lw=1.5))
    return x + 18
