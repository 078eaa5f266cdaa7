"""The chart: per-operation cost (floor, fake, moto; log scale) and cost against depth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calls import Figures
from depth import DepthFigures

COLOURS = {"floor": "#9e9e9e", "fake": "#1f77b4", "moto": "#d62728"}
LEGEND = {
    "floor": "botocore floor (nothing behind the hooks)",
    "fake": "pytest-fakesqs",
    "moto": "moto (mock_aws)",
}
DEPTH_COLOURS = ["#a6cee3", "#1f78b4", "#08306b"]


def draw(
    path: Path,
    calls: list[Figures] | None,
    depth: list[DepthFigures] | None,
    title: str,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(
        1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [1.25, 1]}
    )
    figure.suptitle(title, fontsize=11)
    if calls:
        _operations(left, calls)
    else:
        _absent(left, "per-operation figures not measured in this run")
    if depth:
        _depth(right, depth)
    else:
        _absent(right, "depth figures not measured in this run")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _absent(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center")
    axes.set_axis_off()


def _operations(axes: Any, calls: list[Figures]) -> None:
    series = [("floor", [f.floor for f in calls]), ("fake", [f.fake for f in calls])]
    if calls[0].moto is not None:
        series.append(("moto", [f.moto or 0.0 for f in calls]))
    width = 0.8 / len(series)
    positions = range(len(calls))
    for index, (name, values) in enumerate(series):
        shifted = [p + (index - (len(series) - 1) / 2) * width for p in positions]
        bars = axes.bar(shifted, values, width, label=LEGEND[name], color=COLOURS[name])
        axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], fontsize=7, padding=1)
    axes.set_yscale("log")
    axes.set_ylabel("CPU microseconds per call (log scale)")
    axes.set_xticks(
        list(positions),
        [f.label.replace("_message", "").replace(" (", "\n(") for f in calls],
        fontsize=8,
    )
    axes.set_title("Per call: botocore floor, pytest-fakesqs, moto")
    axes.legend(loc="upper left", fontsize=8)


def _depth(axes: Any, depth: list[DepthFigures]) -> None:
    columns = max(len(figure.columns) for figure in depth)
    width = 0.8 / columns
    for index, figure in enumerate(depth):
        for column, (label, micros) in enumerate(zip(figure.columns, figure.micros, strict=True)):
            x = index + (column - (len(figure.columns) - 1) / 2) * width
            bar = axes.bar(
                [x],
                [micros],
                width,
                color=DEPTH_COLOURS[column],
                label=label if index == 0 else None,
            )
            axes.bar_label(bar, labels=[f"{micros:,.0f}"], fontsize=7, padding=1)
    axes.set_ylabel("CPU microseconds per call")
    labels = []
    for figure in depth:
        label = figure.label.replace(", VisibilityTimeout=0", "").replace("_message", "")
        label = label.replace(" + delete, per cycle", "\n+ delete cycle")
        if not figure.columns[0].startswith("depth"):
            label += "\n" + " vs ".join(c.replace(" groups", "") for c in figure.columns)
            label += " groups"
        labels.append(label)
    axes.set_xticks(range(len(depth)), labels, fontsize=8)
    axes.set_title("The fake against queue depth (FIFO: message groups)")
    axes.legend(loc="upper left", fontsize=8)
    axes.margins(y=0.15)
