"""Plotly figure specs (plain dicts) from library results, drawn in the page by the vendored plotly.js.

The figures are JSON embedded in the page and drawn by static/js/app.js, so no chart code runs inline and the
Content-Security-Policy can forbid inline scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Figure = dict[str, Any]

PALETTE = ("#3366cc", "#dc7633", "#2e9e6e", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "plot_bgcolor": "#ffffff",
    "paper_bgcolor": "#ffffff",
    "legend": {"orientation": "h", "y": -0.2},
}


def layout(title: str, **extra: Any) -> dict[str, Any]:
    return {**LAYOUT, "title": {"text": title, "font": {"size": 15}}, **extra}


def salary_boxes(
    groups: Sequence[tuple[str, Any]], title: str, *, name: str | None = None, color: int = 0
) -> Figure:
    """Box plots from precomputed quantiles (p10 whisker, p25/median/p75 box, p90 whisker), n on every box.

    ``groups`` is (label, cell) where cell has n, withheld, p10..p90; withheld cells show as a labelled gap.
    """
    shown = [(label, c) for label, c in groups if not c.withheld and c.median is not None]
    withheld = [(label, c) for label, c in groups if c.withheld or c.median is None]
    data: list[dict[str, Any]] = []
    if shown:
        data.append(
            {
                "type": "box",
                "name": name or "salary",
                "x": [label for label, _ in shown],
                "q1": [c.p25 for _, c in shown],
                "median": [c.median for _, c in shown],
                "q3": [c.p75 for _, c in shown],
                "lowerfence": [c.p10 for _, c in shown],
                "upperfence": [c.p90 for _, c in shown],
                "marker": {"color": PALETTE[color % len(PALETTE)]},
                "hovertemplate": "%{x}<br>median %{median:$,.0f}<extra></extra>",
            }
        )
    annotations = [
        {"x": label, "y": c.p90, "text": f"n={c.n}", "showarrow": False, "yshift": 12, "font": {"size": 11}}
        for label, c in shown
    ] + [
        {
            "x": label,
            "y": 0,
            "yref": "paper",
            "text": f"withheld<br>n={c.n}",
            "showarrow": False,
            "yshift": 30,
            "font": {"size": 11, "color": "#888"},
        }
        for label, c in withheld
    ]
    if withheld:  # an invisible point keeps the withheld category on the axis
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [label for label, _ in withheld],
                "y": [None for _ in withheld],
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    return {
        "data": data,
        "layout": layout(
            title,
            yaxis={"title": {"text": "USD per year"}, "tickformat": "$~s", "rangemode": "tozero"},
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": [g for g, _ in groups]},
            annotations=annotations,
            showlegend=False,
        ),
    }


def median_ci_bars(levels: Sequence[str], series: Sequence[tuple[str, Sequence[Any]]], title: str) -> Figure:
    """Grouped bars of the median per level with the bootstrap CI as error bars; n as the bar text."""
    data = []
    for i, (name, cells) in enumerate(series):
        ys, lo, hi, text = [], [], [], []
        for c in cells:
            ok = c is not None and not c.withheld and c.median is not None
            ys.append(c.median if ok else None)
            ci = getattr(c, "median_ci", None) if ok else None
            lo.append(c.median - ci.low if ci else 0)
            hi.append(ci.high - c.median if ci else 0)
            text.append(("n=" + str(c.n)) if ok else (f"withheld (n={c.n})" if c is not None else "no data"))
        data.append(
            {
                "type": "bar",
                "name": name,
                "x": list(levels),
                "y": ys,
                "text": text,
                "textposition": "inside",
                "insidetextanchor": "start",
                "textangle": -90,
                "textfont": {"color": "#ffffff", "size": 11},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": hi,
                    "arrayminus": lo,
                    "visible": True,
                },
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "hovertemplate": "%{x}: %{y:$,.0f} (%{text})<extra>" + name + "</extra>",
            }
        )
    return {
        "data": data,
        "layout": layout(
            title,
            barmode="group",
            yaxis={"title": {"text": "median USD per year"}, "tickformat": "$~s"},
            margin={"l": 70, "r": 20, "t": 40, "b": 60},
        ),
    }


def hbar(
    labels: Sequence[str], values: Sequence[float], title: str, *, fmt: str = ".0%", color: int = 0
) -> Figure:
    """Horizontal bars, largest on top (top skills, premiums)."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(labels)[::-1],
                "x": list(values)[::-1],
                "marker": {"color": PALETTE[color % len(PALETTE)]},
                "hovertemplate": "%{y}: %{x:" + fmt + "}<extra></extra>",
            }
        ],
        "layout": layout(
            title,
            xaxis={"tickformat": fmt},
            margin={"l": 160, "r": 20, "t": 40, "b": 40},
            height=max(300, 24 * len(labels) + 80),
        ),
    }


def lines(
    series: Sequence[tuple[str, Sequence[Any], Sequence[float | None]]], title: str, *, yfmt: str = ""
) -> Figure:
    """One line per series (demand trends, GenAI share over time)."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": list(xs),
                "y": list(ys),
                "line": {"color": PALETTE[i % len(PALETTE)]},
            }
            for i, (name, xs, ys) in enumerate(series)
        ],
        "layout": layout(title, yaxis={"tickformat": yfmt} if yfmt else {}, xaxis={"type": "category"}),
    }


def genai_lines(rows: Sequence[tuple[str, Sequence[Any]]], title: str) -> Figure | None:
    """GenAI share per period of each (name, demand cells); None when every share is withheld."""
    series = [
        (name, [c.key for c in cells], [None if c.genai_withheld else c.genai_share for c in cells])
        for name, cells in rows
    ]
    if not any(v is not None for _, _, ys in series for v in ys):
        return None
    return lines(series, title, yfmt=".0%")


def genai_note(rows: Sequence[tuple[str, Sequence[Any]]]) -> str | None:
    """Why the GenAI shares are missing (the first withheld cell's note)."""
    return next((c.genai_note for _, cells in rows for c in cells if c.genai_withheld and c.genai_note), None)


def demand_charts(
    rows: Sequence[tuple[str, Sequence[Any]]], title: str
) -> tuple[Figure, Figure | None, str | None]:
    """Postings per period of each (name, demand cells), their GenAI share, and — when every share is
    withheld — no GenAI figure but a note saying why."""
    series = [(name, [c.key for c in cells], [c.n_postings for c in cells]) for name, cells in rows]
    demand = lines(series, title)
    genai = genai_lines(rows, "Share of postings asking for GenAI skills")
    if genai is not None:
        return demand, genai, None
    return demand, None, "GenAI share: withheld (" + (genai_note(rows) or "too few data") + ")"


def median_steps(labels: Sequence[str], cells: Sequence[Any], title: str) -> Figure:
    """Median pay per step with the interquartile range as error bars and n under each bar."""
    return {
        "data": [
            {
                "type": "bar",
                "x": [f"{label}<br>n={c.n}" for label, c in zip(labels, cells, strict=True)],
                "y": [c.median for c in cells],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [(c.p75 - c.median) if c.p75 is not None else 0 for c in cells],
                    "arrayminus": [(c.median - c.p25) if c.p25 is not None else 0 for c in cells],
                },
                "marker": {"color": PALETTE[2]},
                "hovertemplate": "%{x}: %{y:$,.0f}<extra></extra>",
            }
        ],
        "layout": layout(title, yaxis={"tickformat": "$~s"}, margin={"l": 70, "r": 20, "t": 40, "b": 80}),
    }
