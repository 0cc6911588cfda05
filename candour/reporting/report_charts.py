"""Bar charts as SVG, drawn from a report table, each shown with the table beside it.

The chart is an image with a text alternative (the table carries the figures), so it survives into the PDF
as a tagged figure with its alt text. Labels are escaped: they are data.
"""

from __future__ import annotations

import base64
from html import escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL_WIDTH = 220
COLOURS = ("#1d70b8", "#505a5f")  # GOV.UK blue, dark grey (the previous year)


def bar_chart_svg(title: str, labels: list[str], series: list[tuple[str, list[float]]]) -> str:
    """A horizontal bar chart: one group of bars per label, one bar per series (e.g. this year, last year)."""
    values = [v or 0 for _name, vs in series for v in vs]
    top = max(values) if values and max(values) > 0 else 1
    group = BAR * len(series) + GAP
    legend = 24 if len(series) > 1 else 0
    height = 40 + legend + group * len(labels)
    scale = (WIDTH - LABEL_WIDTH - 60) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="Arial, Helvetica, sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-weight="bold">{escape(title)}</text>',
    ]
    if legend:
        x = 0
        for index, (name, _vs) in enumerate(series):
            parts.append(f'<rect x="{x}" y="30" width="14" height="14" fill="{COLOURS[index % 2]}"/>')
            parts.append(f'<text x="{x + 20}" y="42">{escape(name)}</text>')
            x += 30 + 8 * len(name)
    for row, label in enumerate(labels):
        y0 = 32 + legend + row * group
        parts.append(f'<text x="0" y="{y0 + BAR * len(series) / 2 + 5}">{escape(label[:30])}</text>')
        for index, (_name, vs) in enumerate(series):
            value = vs[row] or 0
            y = y0 + index * BAR
            width = max(value * scale, 0)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR - 4}" fill="{COLOURS[index % 2]}"/>'
            )
            parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR - 8}">{escape(_fmt(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
