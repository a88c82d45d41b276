"""Server-rendered SVG charts: stacked columns over weeks, stacked horizontal bars over named groups.

Each chart is an image with a <title> and a <desc> (read by screen readers), axis labels, a legend, and a
tooltip on every bar; the page puts the same numbers in a table beside it. No JavaScript.
Colours come from CSS classes (`chart-<series>`), so the stylesheet keeps them readable.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
FONT = 12


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # chart-<css> colours the bars
    values: Sequence[float]


def nice_top(largest: float, steps: int = 4) -> float:
    """A round axis maximum at or above `largest`, split into `steps` whole round ticks (1, 2, 2.5 or 5 times 10^k)."""
    if largest <= 0:
        return float(steps)
    raw = largest / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return max(1, math.ceil(step)) * steps  # counts of things: whole ticks


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
            f'font-size="{FONT}">'
            f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts, cursor = [], x
    for s in series:
        parts.append(f'<rect class="chart-{s.css}" x="{cursor:.1f}" y="{y - 10}" width="12" height="12"/>'
                     f'<text x="{cursor + 17:.1f}" y="{y}">{escape(s.name)}</text>')
        cursor += 30 + 7 * len(s.name)
    return parts


def column_chart(chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series],
                 x_label: str, y_label: str, y_max: float | None = None, unit: str = "") -> Markup:
    """Stacked vertical columns, one per label (e.g. per week), series stacked bottom-up."""
    height, left, right, top, bottom = 300, 60, 16, 40, 62
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    axis_top = y_max or nice_top(max(totals, default=0))
    body = _legend(series, left, 18)
    for tick in range(5):
        value = axis_top * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line class="chart-grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                    f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                    f'{_number(value)}{escape(unit)}</text>')
    slot = plot_w / max(len(labels), 1)
    bar = slot * 0.62
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        base = top + plot_h
        for s in series:
            value = s.values[i] or 0
            h = plot_h * value / axis_top if axis_top else 0
            if h > 0:
                base -= h
                body.append(f'<rect class="chart-{s.css}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                            f'height="{h:.1f}" data-value="{_number(value)}"><title>{escape(label)}: '
                            f'{escape(s.name)} {_number(value)}{escape(unit)}</title></rect>')
        body.append(f'<text class="chart-label" x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" '
                    f'text-anchor="middle">{escape(label)}</text>')
    body.append(f'<line class="chart-axis" x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
                f'<text class="chart-axis-title" x="{left + plot_w / 2:.1f}" y="{height - 12}" '
                f'text-anchor="middle">{escape(x_label)}</text>'
                f'<text class="chart-axis-title" transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" '
                f'text-anchor="middle">{escape(y_label)}</text>')
    return _svg(chart_id, title, desc, height, body)


def bar_chart(chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series],
              x_label: str) -> Markup:
    """Stacked horizontal bars, one row per label (a status, a category, a technician)."""
    left, right, top, row_h, bottom = 190, 50, 40, 28, 44
    height = top + row_h * max(len(labels), 1) + bottom
    plot_w = WIDTH - left - right
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    axis_top = nice_top(max(totals, default=0))
    body = _legend(series, left, 18) if len(series) > 1 else []
    plot_bottom = top + row_h * max(len(labels), 1)
    for tick in range(5):
        x = left + plot_w * tick / 4
        body.append(f'<line class="chart-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{plot_bottom}"/>'
                    f'<text class="chart-tick" x="{x:.1f}" y="{plot_bottom + 15}" text-anchor="middle">'
                    f'{_number(axis_top * tick / 4)}</text>')
    for i, label in enumerate(labels):
        y = top + row_h * i + 5
        short = label if len(label) <= 26 else label[:25] + "…"
        body.append(f'<text class="chart-label" x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(short)}</text>')
        cursor = float(left)
        for s in series:
            value = s.values[i] or 0
            w = plot_w * value / axis_top if axis_top else 0
            if w > 0:
                body.append(f'<rect class="chart-{s.css}" x="{cursor:.1f}" y="{y}" width="{w:.1f}" '
                            f'height="{row_h - 10}" data-value="{_number(value)}"><title>{escape(label)}: '
                            f'{escape(s.name)} {_number(value)}</title></rect>')
                cursor += w
        body.append(f'<text class="chart-value" x="{cursor + 5:.1f}" y="{y + 13}">{_number(totals[i])}</text>')
    body.append(f'<line class="chart-axis" x1="{left}" x2="{left}" y1="{top}" y2="{plot_bottom}"/>'
                f'<text class="chart-axis-title" x="{left + plot_w / 2:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{escape(x_label)}</text>')
    return _svg(chart_id, title, desc, height, body)
