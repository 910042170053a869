"""Server-side bar charts: the geometry of an SVG drawn by the template, no chart library.

SVG attributes (not inline styles) carry the sizes so a strict Content-Security-Policy holds; colours
come from CSS classes. A chart is decoration beside its data table, which is the accessible version.
"""

from dataclasses import dataclass

WIDTH = 800
BAR_AREA = 680  # the rest is left for the total printed after the bar
ROW_HEIGHT = 46
LABEL_Y = 16
BAR_Y = 22
BAR_HEIGHT = 16


@dataclass(frozen=True)
class Segment:
    code: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class ChartRow:
    label: str
    total: int
    y: int
    label_y: int
    bar_y: int
    total_x: float
    segments: list


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_height: int
    rows: list
    legend: list  # (code, label) of the stacked columns; empty for a single-series chart


def bar_chart(table) -> Chart:
    """Horizontal bars, one per row of a ``statistics.CrossTable``, stacked by its columns."""
    matrix = table.matrix
    peak = max((total for _code, _label, _counts, total in matrix), default=0) or 1
    rows = []
    for index, (_code, label, counts, total) in enumerate(matrix):
        top = index * ROW_HEIGHT
        x = 0.0
        segments = []
        for (column, column_label), count in zip(table.columns, counts, strict=True):
            width = round(count / peak * BAR_AREA, 2)
            if count:
                segments.append(Segment(column, str(column_label), count, round(x, 2), width))
            x += width
        rows.append(ChartRow(str(label), total, top, top + LABEL_Y, top + BAR_Y, round(x + 6, 2), segments))
    legend = [(code, str(label)) for code, label in table.columns] if len(table.columns) > 1 else []
    return Chart(WIDTH, max(len(rows), 1) * ROW_HEIGHT, BAR_HEIGHT, rows, legend)
