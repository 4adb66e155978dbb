"""Bar charts for staff pages, drawn on the server: no chart library, no script.

Each chart is data first (rows of numbers, the same ones its table shows) and geometry
second: bar lengths in percent of the largest value (or the largest row total when
stacked), drawn as SVG rectangles while labels and values stay HTML text that reflows on
a phone. The template is ``admin/tc/bar_chart.html``.
"""

from dataclasses import dataclass, field

# Distinguishable for the common color-vision deficiencies, and never the only cue:
# every bar has a value next to it, the legend names each color, the table has it all.
SERIES_COLORS = ["#12355b", "#d97f00", "#0b6e72", "#b04a8f", "#5b6b7a"]
# Sequential (little to much) for ordered buckets such as progress.
SEQUENTIAL_COLORS = ["#dbe8f5", "#a7c7e7", "#5b97cf", "#2a67a6", "#12355b"]


@dataclass
class Bar:
    series: str
    value: int
    color: str
    x: float = 0.0  # percent of the plot width
    width: float = 0.0


@dataclass
class Row:
    label: str
    values: list[int]
    bars: list[Bar] = field(default_factory=list)

    @property
    def total(self):
        return sum(self.values)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    series: list[tuple[str, str]]  # (name, color)
    rows: list[Row]
    stacked: bool
    row_heading: str

    @property
    def empty(self):
        return not any(row.total for row in self.rows)

    @property
    def summary(self):
        """A sentence for assistive technology: the chart's largest figures."""
        if self.empty:
            return f"{self.title}: nothing to show yet."
        top = max(self.rows, key=lambda row: row.total)
        return f"{self.title}. Largest: {top.label}, {top.total}. The table below has every figure."


def bar_chart(
    *, id, title, description, series, rows, stacked=False, row_heading="", sequential=False
):
    """`rows`: [(label, [value per series])]. Grouped bars (one per series) unless stacked."""
    palette = SEQUENTIAL_COLORS if sequential else SERIES_COLORS
    colors = [palette[i % len(palette)] for i in range(len(series))]
    built = [Row(label=label, values=[int(v) for v in values]) for label, values in rows]
    if stacked:
        top = max((row.total for row in built), default=0) or 1
    else:
        top = max((v for row in built for v in row.values), default=0) or 1
    for row in built:
        x = 0.0
        for name, color, value in zip(series, colors, row.values, strict=True):
            width = round(100 * value / top, 2)
            row.bars.append(Bar(series=name, value=value, color=color, x=x, width=width))
            if stacked:
                x = round(x + width, 2)
    return Chart(
        id=id,
        title=title,
        description=description,
        series=list(zip(series, colors, strict=True)),
        rows=built,
        stacked=stacked,
        row_heading=row_heading,
    )
