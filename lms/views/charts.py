"""Server-side SVG charts for the dashboards: no JavaScript, no external files. Each chart
scales to its container (``viewBox``, ``width=100%``) and is drawn for a 360 px phone; the
pages put the same numbers in a table next to it (the SVG carries ``role="img"`` and a title).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 340
BAR_ROW = 36  # label line + bar
BAR_HEIGHT = 12
LEFT = 4
RIGHT = 44  # room for the percent after the bar
FILL = "#0b5394"
TARGET = "#b3261e"
GRID = "#dde3ea"


def _n(value):
    """A coordinate without locale formatting or needless decimals."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width, height, title, body):
    return mark_safe(  # noqa: S308 - every text in it went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bar_chart(rows, title, target_label=""):
    """Horizontal bars of completion percent. ``rows``: ``(label, percent, expected)`` with
    percent/expected 0–100 or None; ``expected`` is drawn as a red tick across the bar."""
    span = WIDTH - LEFT - RIGHT
    parts = []
    for index, (label, percent, expected) in enumerate(rows):
        top = index * BAR_ROW
        bar_y = top + 18
        parts.append(
            f'<text x="{LEFT}" y="{top + 13}" font-size="12" fill="currentColor">'
            f"{escape(label)}</text>"
            f'<rect x="{LEFT}" y="{bar_y}" width="{span}" height="{BAR_HEIGHT}" fill="{GRID}"/>'
        )
        if percent is not None:
            width = span * min(max(percent, 0), 100) / 100
            parts.append(
                f'<rect x="{LEFT}" y="{bar_y}" width="{_n(width)}" height="{BAR_HEIGHT}" '
                f'fill="{FILL}"/><text x="{_n(LEFT + span + 4)}" y="{bar_y + 10}" '
                f'font-size="12" fill="currentColor">{_n(percent)}%</text>'
            )
        if expected is not None:
            x = LEFT + span * min(max(expected, 0), 100) / 100
            parts.append(
                f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{bar_y - 3}" y2="{bar_y + BAR_HEIGHT + 3}" '
                f'stroke="{TARGET}" stroke-width="2"><title>{escape(target_label)} '
                f"{_n(expected)}%</title></line>"
            )
    height = max(len(rows), 1) * BAR_ROW + 4
    return _svg(WIDTH, height, title, "".join(parts))


LINE_HEIGHT = 160
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 10, 136, 34, WIDTH - 6


def line_chart(points, title):
    """A line of cumulative percent (0–100) per week. ``points``: ``(label, percent)`` in
    order; axis labels at 0/50/100 % and on the first, middle and last week."""
    plot_h = PLOT_BOTTOM - PLOT_TOP
    plot_w = PLOT_RIGHT - PLOT_LEFT
    parts = []
    for level in (0, 50, 100):
        y = PLOT_BOTTOM - plot_h * level / 100
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{GRID}"/><text x="{PLOT_LEFT - 4}" y="{_n(y + 4)}" font-size="11" '
            f'text-anchor="end" fill="currentColor">{level}%</text>'
        )
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (PLOT_LEFT + index * step, PLOT_BOTTOM - plot_h * min(max(pct, 0), 100) / 100)
            for index, (_label, pct) in enumerate(points)
        ]
        line = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{FILL}" stroke-width="2.5" '
            'stroke-linejoin="round"/>'
        )
        last_x, last_y = coords[-1]
        parts.append(f'<circle cx="{_n(last_x)}" cy="{_n(last_y)}" r="3.5" fill="{FILL}"/>')
        for index in sorted({0, len(points) // 2, len(points) - 1}):
            anchor = "start" if index == 0 else "end" if index == len(points) - 1 else "middle"
            parts.append(
                f'<text x="{_n(coords[index][0])}" y="{PLOT_BOTTOM + 16}" font-size="11" '
                f'text-anchor="{anchor}" fill="currentColor">{escape(points[index][0])}</text>'
            )
    return _svg(WIDTH, LINE_HEIGHT, title, "".join(parts))
