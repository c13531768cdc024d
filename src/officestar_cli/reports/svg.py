"""Charts as SVG text, drawn by officestar: no script, no external resource, no web font.

Every text that goes into the SVG is escaped here; coordinates are whole or
one-decimal numbers, so the same round gives the same bytes. SVG does not wrap
text: a long label is cut into lines by ``reports.documents.wrap.fill_lines``,
the one Thai line-breaking function (docs/documents.md), so it breaks between
words, never inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from itertools import accumulate

from officestar_cli.reports.documents.wrap import fill_lines

FONT_STACK = '"TH Sarabun New", "TH SarabunPSK", Sarabun, Laksaman, "Noto Sans Thai", Tahoma, sans-serif'
TIER_FILLS = ("#dcefd9", "#dce9f5", "#f7efd2", "#eeeeee")
BAR = "#2f5d8a"
WHISKER = "#222222"
BAR_LABEL_COLUMNS = 20  # an office name's line beside its bar, in terminal columns (14 px Thai text in 162 px)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 14, weight: str = "normal",
         fill: str = "#222") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}">{escape(content)}</text>'
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: Fraction | None  # the shown total; None: not ranked
    low: Fraction | None  # the lowest member total
    high: Fraction | None  # the highest member total
    caption: str  # the value as the reports print it


def bar_chart(bars: Sequence[Bar], maximum: Fraction, bands: Sequence[tuple[Fraction, str]], title: str) -> str:
    """Horizontal bars with the tier bands behind them and min–max whiskers of member totals."""
    left, right, top, row, line_h = 170, 70, 34, 26, 16
    width = 760
    plot = width - left - right
    # A long office name takes more lines (at words), and its row grows by a line each.
    wrapped = [fill_lines(bar.label, BAR_LABEL_COLUMNS) for bar in bars]
    rows = [row + line_h * (len(lines) - 1) for lines in wrapped]
    tops = list(accumulate(rows, initial=top))  # each row's top edge
    body = sum(rows)
    height = top + body + 30

    def x(value: Fraction) -> float:
        return left + float(value / maximum) * plot if maximum else left

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family=\'{FONT_STACK}\'>',
        f"<title>{escape(title)}</title>",
    ]
    upper = maximum
    for index, (bound, name) in enumerate(bands):
        fill = TIER_FILLS[index % len(TIER_FILLS)]
        parts.append(
            f'<rect x="{_n(x(bound))}" y="{top - 6}" width="{_n(x(upper) - x(bound))}" '
            f'height="{body + 6}" fill="{fill}"/>'
        )
        parts.append(text((x(bound) + x(upper)) / 2, top - 12, name, anchor="middle", size=13))
        upper = bound
    for index, bar in enumerate(bars):
        y = tops[index]
        for k, line in enumerate(wrapped[index]):
            parts.append(text(left - 8, y + 17 + k * line_h, line, anchor="end"))
        if bar.value is not None:
            parts.append(
                f'<rect class="bar" x="{left}" y="{y + 5}" width="{_n(x(bar.value) - left)}" height="{row - 10}" '
                f'fill="{BAR}"/>'
            )
        if bar.low is not None and bar.high is not None:
            middle = y + row / 2
            parts.append(
                f'<line x1="{_n(x(bar.low))}" y1="{_n(middle)}" x2="{_n(x(bar.high))}" y2="{_n(middle)}" '
                f'stroke="{WHISKER}" stroke-width="1.5"/>'
            )
            for end in (bar.low, bar.high):
                parts.append(
                    f'<line x1="{_n(x(end))}" y1="{y + 7}" x2="{_n(x(end))}" y2="{y + row - 7}" '
                    f'stroke="{WHISKER}" stroke-width="1.5"/>'
                )
        parts.append(text(width - right + 6, y + 17, bar.caption))
    axis_y = top + body + 4
    for step in range(0, 11):
        value = maximum * step / 10
        parts.append(text(x(value), axis_y + 16, _n(float(value)), anchor="middle", size=12, fill="#555"))
    parts.append("</svg>")
    return "".join(parts)


def diverging(value: Fraction, scale: Fraction) -> str:
    """Blue for above, red for below, white at zero; ``scale`` is the deviation of full colour."""
    share = max(-1.0, min(1.0, float(value / scale))) if scale else 0.0
    if share >= 0:
        r, g, b = 255 - int(180 * share), 255 - int(120 * share), 255
    else:
        r, g, b = 255, 255 - int(150 * -share), 255 - int(170 * -share)
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(rows: Sequence[str], columns: Sequence[str], cells: dict[tuple[int, int], tuple[Fraction, str]],
            title: str) -> str:
    """A grid of coloured cells (row × column) with each cell's value written in it."""
    cell_w, cell_h, left, top = 52, 26, 130, 110
    width = left + cell_w * len(columns) + 10
    height = top + cell_h * len(rows) + 10
    scale = max((abs(v) for v, _ in cells.values()), default=Fraction(0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family=\'{FONT_STACK}\'>',
        f"<title>{escape(title)}</title>",
    ]
    for j, column in enumerate(columns):
        cx = left + j * cell_w + cell_w / 2
        parts.append(
            f'<text transform="translate({_n(cx + 4)},{top - 6}) rotate(-60)" font-size="13" '
            f'fill="#222">{escape(column)}</text>'
        )
    for i, row_label in enumerate(rows):
        y = top + i * cell_h
        parts.append(text(left - 8, y + 18, row_label, anchor="end", size=13))
        for j in range(len(columns)):
            x = left + j * cell_w
            found = cells.get((i, j))
            if found is None:
                parts.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="#f4f4f4" '
                             f'stroke="#ffffff"/>')
                continue
            value, caption = found
            parts.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="{diverging(value, scale)}" stroke="#ffffff"/>'
            )
            parts.append(text(x + cell_w / 2, y + 18, caption, anchor="middle", size=12))
    parts.append("</svg>")
    return "".join(parts)


def profile(labels: Sequence[str], mine: Sequence[Fraction | None], medians: Sequence[Fraction | None],
            title: str) -> str:
    """An office's share of each criterion's maximum (bars) beside the median share (ticks)."""
    left, line_h, top, width, per_line = 300, 17, 16, 820, 40
    plot = width - left - 70
    wrapped = [fill_lines(label, per_line) for label in labels]  # columns, as a terminal counts them
    heights = [max(22, 6 + line_h * len(lines)) for lines in wrapped]
    height = top + sum(heights) + 28
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family=\'{FONT_STACK}\'>',
        f"<title>{escape(title)}</title>",
    ]
    y = top
    for i, lines in enumerate(wrapped):
        row = heights[i]
        for k, line in enumerate(lines):
            parts.append(text(left - 8, y + 15 + k * line_h, line, anchor="end", size=13))
        share = mine[i]
        if share is not None:
            parts.append(f'<rect class="bar" x="{left}" y="{y + 4}" width="{_n(float(share) * plot)}" '
                         f'height="14" fill="{BAR}"/>')
            parts.append(text(left + plot + 6, y + 15, f"{float(share) * 100:.0f}%", size=12))
        middle = medians[i]
        if middle is not None:
            mx = left + float(middle) * plot
            parts.append(f'<line x1="{_n(mx)}" y1="{y + 1}" x2="{_n(mx)}" y2="{y + 21}" stroke="#d0342c" '
                         f'stroke-width="3"/>')
        y += row
    for step in range(0, 11, 2):
        parts.append(text(left + plot * step / 10, y + 18, f"{step * 10}%", anchor="middle", size=12, fill="#555"))
    parts.append("</svg>")
    return "".join(parts)


SLOPE_COLOURS = {"up": BAR, "down": "#d0342c", "noise": "#9a9a9a", "single": "#555555"}
SLOPE_LABEL_COLUMNS = 24  # an office name beside its end point, in terminal columns


@dataclass(frozen=True)
class Slope:
    label: str
    before: Fraction | None  # on the later round's scale; None: not in (or not complete in) the earlier round
    after: Fraction | None
    before_caption: str
    after_caption: str
    kind: str  # up, down, noise (within the noise band or no change), single (one round only)


def _spread(ys: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions near ``ys`` (in their order) at least ``gap`` apart, kept within [low, high]."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [0.0] * len(ys)
    last = low - gap
    for i in order:
        placed[i] = max(ys[i], last + gap)
        last = placed[i]
    overflow = last - high
    if overflow > 0:  # pushed past the bottom: move the whole run back up
        for i in order:
            placed[i] -= overflow
    return placed


def _end(slope: Slope, side: int) -> Fraction:
    value = slope.before if side == 0 else slope.after
    assert value is not None
    return value


def slope_chart(slopes: Sequence[Slope], bounds: tuple[Fraction, Fraction], headings: tuple[str, str],
                bands: Sequence[tuple[Fraction, str]], title: str) -> str:
    """Each office's total in the earlier round (left) joined to the later one (right)."""
    left, right, top, width, line_h = 250, 250, 46, 820, 16
    rows = max(len(slopes), 8)
    plot_h = max(320, rows * 22)
    height = top + plot_h + 40
    low, high = bounds
    span = high - low or Fraction(1)

    def y(value: Fraction) -> float:
        return top + plot_h - float((value - low) / span) * plot_h

    x0, x1 = left, width - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family=\'{FONT_STACK}\'>',
        f"<title>{escape(title)}</title>",
        text(x0, top - 24, headings[0], anchor="middle", weight="bold"),
        text(x1, top - 24, headings[1], anchor="middle", weight="bold"),
    ]
    upper = high
    for index, (bound, name) in enumerate(bands):  # the tier bands behind, as the bar chart shades them
        floor = max(bound, low)
        if floor < upper:
            parts.append(f'<rect x="{x0}" y="{_n(y(upper))}" width="{x1 - x0}" height="{_n(y(floor) - y(upper))}" '
                         f'fill="{TIER_FILLS[index % len(TIER_FILLS)]}"/>')
            parts.append(text((x0 + x1) / 2, y(upper) + 13, f"{name} ≥ {_n(float(bound))}", anchor="middle",
                              size=12, fill="#666"))
        upper = min(upper, bound)
    for x in (x0, x1):
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + plot_h}" stroke="{WHISKER}"/>')
    for step in range(0, 6):
        value = low + span * step / 5
        parts.append(text(x0 - 6, y(value) + 4, _n(float(value)), anchor="end", size=11, fill="#555"))
    for slope in slopes:
        colour = SLOPE_COLOURS.get(slope.kind, SLOPE_COLOURS["noise"])
        if slope.before is not None and slope.after is not None:
            parts.append(f'<line class="slope" x1="{x0}" y1="{_n(y(slope.before))}" x2="{x1}" '
                         f'y2="{_n(y(slope.after))}" stroke="{colour}" stroke-width="2"/>')
        for x, end in ((x0, slope.before), (x1, slope.after)):
            if end is not None:
                parts.append(f'<circle cx="{x}" cy="{_n(y(end))}" r="4" fill="{colour}"/>')
    for side, x, anchor in ((0, x0 - 40, "end"), (1, x1 + 10, "start")):
        shown_here = [s for s in slopes if (s.before if side == 0 else s.after) is not None]
        ys = [y(_end(s, side)) + 4 for s in shown_here]
        for s, at in zip(shown_here, _spread(ys, line_h, top + 4, top + plot_h + 4), strict=True):
            caption = s.before_caption if side == 0 else s.after_caption
            name = fill_lines(s.label, SLOPE_LABEL_COLUMNS)[0]
            parts.append(text(x, at, f"{name} {caption}", anchor=anchor, size=12))
    parts.append("</svg>")
    return "".join(parts)
