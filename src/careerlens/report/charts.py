"""Charts for reports: matplotlib figures rendered off-screen (``Figure`` without pyplot, so no GUI backend
and no global state) to PNG bytes and SVG text. Every chart prints its n on the plot or in the caption, and
the caption names the source.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from careerlens.analytics.converge import Convergence
from careerlens.analytics.demand import Demand, DemandCell
from careerlens.analytics.skills import TopSkills
from careerlens.report.render import Chart

PALETTE = ("#3465a4", "#cc6b1f", "#4e9a06", "#a40000", "#75507b", "#c4a000", "#2e8b8b", "#555753")
TOO_FEW = "too few data"


def _render(
    fig: Figure, *, name: str, title: str, caption: str, svg: bool = False, alt: str | None = None
) -> Chart:
    """PNG always (every format embeds it); SVG only when asked, since it doubles the rendering time."""
    fig.tight_layout()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110)
    svg_text = None
    if svg:
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
        svg_text = buf.getvalue()
    return Chart(name=name, title=title, png=png.getvalue(), svg=svg_text, caption=caption, alt=alt or title)


def _name(names: Mapping[str, str] | None, role: str) -> str:
    return (names or {}).get(role, role)


def salary_range_chart(
    rows: Sequence[tuple[str, Any]], *, source: str, title: str, svg: bool = False
) -> Chart:
    """Range bars per group: p25–p75 box, p10–p90 whisker, median tick, n at the right; withheld rows say so.

    ``rows`` are (label, cell) where a cell has n, withheld, p10, p25, median, p75, p90 (a SalaryCell).
    """
    height = max(2.4, 0.34 * len(rows) + 1.2)
    fig = Figure(figsize=(8, height))
    ax = fig.add_subplot()
    labels = [label for label, _ in rows]
    y = list(range(len(rows)))[::-1]
    xmax = max([c.p90 for _, c in rows if not c.withheld and c.p90 is not None] or [1.0])
    for yi, (_label, c) in zip(y, rows, strict=True):
        if c.withheld or c.median is None:
            ax.text(0.01 * xmax, yi, f"{TOO_FEW} (n={c.n})", va="center", fontsize=8, color="#777")
            continue
        ax.plot([c.p10, c.p90], [yi, yi], color="#888", lw=1)
        ax.barh(yi, c.p75 - c.p25, left=c.p25, height=0.55, color="#9fbbe0", edgecolor="#3465a4")
        ax.plot([c.median, c.median], [yi - 0.3, yi + 0.3], color="#a40000", lw=2)
        ax.text(c.p90 + 0.01 * xmax, yi, f"n={c.n:,}", va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, xmax * 1.18)
    ax.set_xlabel("USD per year (box p25–p75, whisker p10–p90, red = median)")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v / 1000:,.0f}k")
    ax.set_title(title, fontsize=10)
    n_total = sum(c.n for _, c in rows)
    caption = (
        f"{title}. n = {n_total:,} jobs in the groups shown; groups with too few data are marked. "
        f"Source: {source}."
    )
    return _render(fig, name="salary_by_level", title=title, caption=caption, svg=svg)


def demand_trend_chart(
    d: Demand, *, names: Mapping[str, str] | None = None, roles: Sequence[str] = (), svg: bool = False
) -> Chart:
    """Each role's share of the period's postings, with Wilson intervals; withheld cells are left out."""
    fig = Figure(figsize=(8, 3.8))
    ax = fig.add_subplot()
    keys = sorted({c.key for c in d.cells})
    pos = {k: i for i, k in enumerate(keys)}
    shown = [r for r in (roles or sorted({c.role for c in d.cells}))]
    n_total = 0
    for i, role in enumerate(shown):
        cells = [c for c in d.cells if c.role == role and not c.withheld and c.share_of_postings is not None]
        if not cells:
            continue
        xs = [pos[c.key] for c in cells]
        ys = [100 * (c.share_of_postings or 0.0) for c in cells]
        lo = [100 * ((c.share_of_postings or 0.0) - c.share_ci.low) for c in cells if c.share_ci]
        hi = [100 * (c.share_ci.high - (c.share_of_postings or 0.0)) for c in cells if c.share_ci]
        n = sum(c.n_postings for c in cells)
        n_total += n
        ax.errorbar(
            xs,
            ys,
            yerr=[lo, hi],
            marker="o",
            ms=3,
            capsize=2,
            color=PALETTE[i % len(PALETTE)],
            label=f"{_name(names, role)} (n={n:,})",
        )
    ax.set_xticks(range(len(keys)), keys, rotation=45 if len(keys) > 6 else 0, fontsize=8, ha="right")
    ax.set_ylabel("% of the period's postings")
    ax.set_title(f"Postings by role over {d.by}", fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best")
    caption = (
        f"Share of each {d.by}'s postings by role (95 % Wilson intervals); n = {n_total:,} postings of "
        f"the roles shown; cells with fewer than {d.min_n} postings are left out. Source: {d.source}."
    )
    return _render(fig, name=f"demand_by_{d.by}", title=f"Demand by {d.by}", caption=caption, svg=svg)


def top_skills_chart(t: TopSkills, *, limit: int = 12, svg: bool = False) -> Chart:
    """Horizontal bars of skill shares with Wilson intervals, n per bar."""
    rows = t.skills[:limit][::-1]
    fig = Figure(figsize=(7, max(2.4, 0.3 * len(rows) + 1.2)))
    ax = fig.add_subplot()
    if t.withheld or not rows:
        ax.text(
            0.5, 0.5, f"{TOO_FEW} (n={t.n_with_skills})", ha="center", va="center", transform=ax.transAxes
        )
        ax.set_axis_off()
    else:
        ys = range(len(rows))
        shares = [100 * r.share for r in rows]
        err = [
            [100 * (r.share - r.ci.low) for r in rows if r.ci],
            [100 * (r.ci.high - r.share) for r in rows if r.ci],
        ]
        ax.barh(list(ys), shares, xerr=err, color="#9fbbe0", edgecolor="#3465a4", capsize=2)
        ax.set_yticks(list(ys), [f"{r.skill} (n={r.n:,})" for r in rows], fontsize=8)
        ax.set_xlim(0, 105)
        ax.set_xlabel("% of postings with skills")
    title = f"Top skills: {t.role_name}, {t.period}"
    ax.set_title(title, fontsize=10)
    caption = (
        f"{title}. Share of the role's postings with skill information (n = {t.n_with_skills:,} of "
        f"{t.n_postings:,} postings) mentioning each skill, 95 % Wilson intervals. Source: {t.source}."
    )
    return _render(fig, name=f"top_skills_{t.role}", title=title, caption=caption, svg=svg)


def genai_share_chart(
    cells_in: Sequence[DemandCell],
    *,
    legend_title: str,
    source: str,
    names: Mapping[str, str] | None = None,
    roles: Sequence[str] = (),
    svg: bool = False,
) -> Chart:
    """Grouped bars: GenAI share by role (x) and cell key (colour: a year, or year · data set), with
    intervals and n; withheld cells get a grey x."""
    shown = [r for r in (roles or sorted({c.role for c in cells_in}))]
    cells = {(c.role, c.key): c for c in cells_in if c.role in shown}
    keys = sorted({k for _, k in cells})
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(keys))
    n_total = 0
    labelled: set[str] = set()
    for j, key in enumerate(keys):
        for i, role in enumerate(shown):
            cell = cells.get((role, key))
            x = i + (j - (len(keys) - 1) / 2) * width
            if cell is None:
                continue
            if cell.genai_withheld or cell.genai_share is None:
                ax.plot([x], [1], marker="x", color="#999", ms=4)
                continue
            n_total += cell.n_with_skills
            share = 100 * cell.genai_share
            top = share
            yerr = None
            if cell.genai_ci:
                yerr = [[share - 100 * cell.genai_ci.low], [100 * cell.genai_ci.high - share]]
                top = 100 * cell.genai_ci.high
            ax.bar(
                x,
                share,
                width=width * 0.95,
                yerr=yerr,
                capsize=2,
                color=PALETTE[j % len(PALETTE)],
                label=None if key in labelled else key,
            )
            labelled.add(key)
            ax.text(
                x, top + 1, f"n={cell.n_with_skills:,}", rotation=90, ha="center", va="bottom", fontsize=6
            )
    ax.set_xticks(range(len(shown)), [_name(names, r) for r in shown], rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 135)
    ax.set_ylabel("% of postings with skills")
    ax.set_title("GenAI skills in postings, by role", fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(
            fontsize=6,
            title=legend_title,
            title_fontsize=7,
            ncols=min(3, max(1, len(keys))),
            loc="upper left",
        )
    caption = (
        "Share of postings with skill information that mention any GenAI skill (95 % Wilson intervals; "
        f"x = too few data); n = {n_total:,} postings with skills in the bars shown. Source: {source}."
    )
    return _render(fig, name="genai_share", title="GenAI share", caption=caption, svg=svg)


def convergence_chart(items: Sequence[Convergence], *, svg: bool = False) -> Chart:
    """Cosine similarity of skill demand per period for each pair of roles, with bootstrap intervals."""
    fig = Figure(figsize=(8, 3.8))
    ax = fig.add_subplot()
    keys = sorted({p.period for c in items for p in c.periods if not p.withheld})
    pos = {k: i for i, k in enumerate(keys)}
    parts = []
    for i, c in enumerate(items):
        ps = [p for p in c.periods if not p.withheld and p.cosine_corrected is not None]
        label = f"{c.role_a_name} vs {c.role_b_name}"
        if not ps:
            parts.append(f"{label}: {TOO_FEW}")
            continue
        xs = [pos[p.period] for p in ps]
        ys = [p.cosine_corrected or 0.0 for p in ps]
        lo = [max(0.0, y - p.cosine_ci.low) for y, p in zip(ys, ps, strict=True) if p.cosine_ci]
        hi = [max(0.0, p.cosine_ci.high - y) for y, p in zip(ys, ps, strict=True) if p.cosine_ci]
        ax.errorbar(
            xs, ys, yerr=[lo, hi], marker="o", ms=3, capsize=2, color=PALETTE[i % len(PALETTE)], label=label
        )
        parts.append(f"{label}: n = {sum(p.n_a for p in ps):,} / {sum(p.n_b for p in ps):,} postings")
    ax.set_xticks(range(len(keys)), keys, rotation=45 if len(keys) > 6 else 0, fontsize=8, ha="right")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("cosine of skill shares (corrected)")
    ax.set_title("Do the roles ask for the same skills?", fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="lower right")
    source = items[0].source if items else "job postings"
    caption = (
        "Noise-corrected cosine similarity of the two roles' skill-share vectors per period (parametric "
        "bootstrap 95 % "
        "intervals); periods where a role has too few postings are left out. "
        f"{'; '.join(parts)}. Source: {source}."
    )
    return _render(fig, name="convergence", title="Convergence", caption=caption, svg=svg)
