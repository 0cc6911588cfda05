"""Charts as accessible, self-contained SVG drawn by matplotlib (Agg backend).

Every chart carries `role="img"`, an `aria-label`, a `<title>` and a `<desc>`, and pages always show the
data table beneath it. matplotlib writes CSS in `style` attributes and a `<style>` element; Candour's
Content-Security-Policy (`style-src 'self'`) would block those inline, so they are rewritten as SVG
presentation attributes, which CSP does not govern and WeasyPrint (PDF) also reads.
"""

from __future__ import annotations

import base64
import io
import re
import threading
from contextlib import contextmanager
from html import escape

from markupsafe import Markup

# GOV.UK Design System colours.
COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#6f72af", "#b58840"]
TEXT = "#0b0c0c"
_lock = threading.Lock()  # pyplot's state is global


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # keep text as text: readable, searchable, selectable in the PDF
            "svg.hashsalt": "candour",  # stable element ids
            "font.family": "sans-serif",
            "font.size": 10,
            "axes.edgecolor": TEXT,
            "axes.labelcolor": TEXT,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


@contextmanager
def _figure(height: float):
    """A 7-inch-wide figure and its axes, drawn while holding pyplot's global state, always closed afterwards."""
    plt = _pyplot()
    with _lock:
        fig, ax = plt.subplots(figsize=(7, height))
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def _label_categories(ax, positions: list, labels: list[str], value_label: str, horizontal=False) -> None:
    """One tick per category (long names shortened, turned when there are many) and the value axis named."""
    if horizontal:
        ax.set_yticks(positions, labels=[_short(label) for label in labels])
        ax.set_xlabel(value_label)
        return
    ax.set_xticks(positions, labels=[_short(label) for label in labels])
    ax.set_ylabel(value_label)
    if len(labels) > 6:
        ax.tick_params(axis="x", labelrotation=45)


def _finish(fig, ax, *, title: str, description: str, legend: bool) -> Markup:
    if legend:
        ax.legend(frameon=False)
    fig.tight_layout()
    return _svg(fig, title, description)


def bar_chart(
    *,
    title: str,
    description: str,
    labels: list[str],
    values: list[float] | None = None,
    series: dict[str, list] | None = None,
    value_label: str = "",
    horizontal=False,
) -> Markup:
    """A bar chart: one bar per label (`values`), or a group of bars per label with one bar per series (`series`,
    e.g. this year and last year, in that order, named in a legend)."""
    if (values is None) == (series is None):
        raise ValueError("Give either values or series")
    series = {"": values} if series is None else series
    height = max(2.4, 0.35 * len(labels) * len(series) + 1) if horizontal else 3.2
    with _figure(height) as (fig, ax):
        width = 0.8 / len(series)
        positions = list(range(len(labels)))[::-1] if horizontal else list(range(len(labels)))
        for index, (name, values) in enumerate(series.items()):
            # The bars of a group sit side by side: the first series on top (horizontal) or on the left.
            offset = (index - (len(series) - 1) / 2) * width
            shifted = [p - offset if horizontal else p + offset for p in positions]
            numbers = [float(v or 0) for v in values]
            draw = ax.barh if horizontal else ax.bar
            draw(shifted, numbers, width, color=COLOURS[index % len(COLOURS)], label=name or None)
        _label_categories(ax, positions, labels, value_label, horizontal)
        if all(isinstance(v, int) or v is None for values in series.values() for v in values):
            from matplotlib.ticker import MaxNLocator  # whole complaints, not 0.25 of one

            (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
        return _finish(fig, ax, title=title, description=description, legend=len(series) > 1)


def line_chart(*, title: str, description: str, labels: list[str], series: dict[str, list], value_label: str = ""):
    """One or more lines over the same labels (e.g. months); None values leave a gap."""
    with _figure(3.2) as (fig, ax):
        for index, (name, values) in enumerate(series.items()):
            numbers = [float("nan") if v is None else float(v) for v in values]
            ax.plot(range(len(labels)), numbers, marker="o", color=COLOURS[index % len(COLOURS)], label=name)
        _label_categories(ax, list(range(len(labels))), labels, value_label)
        return _finish(fig, ax, title=title, description=description, legend=len(series) > 1)


def _short(label: str, limit: int = 28) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(fig, title: str, description: str) -> Markup:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    # matplotlib XML-escapes every label it writes; accessible_svg escapes the title and description.
    return Markup(accessible_svg(buffer.getvalue(), title, description))  # noqa: S704


_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_FONT_SHORTHAND = re.compile(r"^(?:(?P<weight>bold|normal|\d00)\s+)?(?P<size>[\d.]+px)\s+(?P<family>.+)$")


def _presentation_attributes(match: re.Match) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        if ":" not in declaration:
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name == "font":
            font = _FONT_SHORTHAND.match(value)
            if font:
                if font.group("weight"):
                    attributes.append(f'font-weight="{font.group("weight")}"')
                attributes.append(f'font-size="{font.group("size")}"')
                attributes.append(f'font-family="{escape(font.group("family").replace(chr(39), ""), quote=True)}"')
            continue
        attributes.append(f'{name}="{escape(value, quote=True)}"')
    return " ".join(attributes)


def accessible_svg(svg: str, title: str, description: str) -> str:
    """Inline-ready SVG: no XML prolog, presentation attributes instead of CSS, labelled for assistive tech."""
    svg = svg[svg.index("<svg") :]
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _METADATA.sub("", svg)
    # Scale to the column it sits in; the viewBox keeps the proportions.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
    svg = _STYLE_ATTR.sub(_presentation_attributes, svg)
    label = escape(title, quote=True)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" focusable="false" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )
    head_end = svg.index(">") + 1
    return svg[:head_end] + f"<title>{escape(title)}</title><desc>{escape(description)}</desc>" + svg[head_end:]


def data_uri(svg: str) -> str:
    """The chart as an `<img>` source, for documents (the annual report and its PDF) that carry the text alternative
    in the image's `alt`, which WeasyPrint tags as the figure's alternate text."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()
