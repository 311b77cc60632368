"""Charts as PNG data URIs (matplotlib's Agg canvas, no display, no network) to embed in one HTML file."""

import base64
import io
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bar_chart(
    categories: Sequence[str], series: Mapping[str, Sequence[float]], title: str, ylabel: str,
    *, percent: bool = False, stacked: bool = False,
) -> str | None:  # fmt: skip
    """Grouped (or stacked) bars: one bar per series in each category; None when there is nothing to draw."""
    if not categories or not any(any(values) for values in series.values()):
        return None
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    width = 0.8 if stacked else 0.8 / max(len(series), 1)
    bottoms = [0.0] * len(categories)
    for i, (label, values) in enumerate(series.items()):
        offset = 0.0 if stacked else (i - (len(series) - 1) / 2) * width
        positions = [x + offset for x in range(len(categories))]
        axes.bar(positions, values, width, bottom=bottoms if stacked else None, label=label)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_xticks(range(len(categories)), categories)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    if percent:
        axes.yaxis.set_major_formatter(PercentFormatter(100))
        axes.set_ylim(0, 100)
    axes.legend(fontsize="small")
    return _data_uri(figure)


def distribution_chart(values: Mapping[str, Sequence[float]], title: str) -> str | None:
    """PAR INDEX distribution: a histogram for one year, box plots side by side for several."""
    filled = {label: list(v) for label, v in values.items() if v}
    if not filled:
        return None
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    if len(filled) == 1:
        [(label, data)] = filled.items()
        axes.hist(data, bins=range(0, 101, 5), edgecolor="white")
        axes.set_xlabel(f"Chỉ số CCHC năm {label} (%)")
        axes.set_ylabel("Số đơn vị")
    else:
        axes.boxplot(list(filled.values()), tick_labels=list(filled))
        axes.set_ylabel("Chỉ số CCHC (%)")
    axes.set_title(title)
    return _data_uri(figure)
