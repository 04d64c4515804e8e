"""The personal report of `careerlens advise --report`: Markdown, HTML or PDF with charts (fit by role, skill
coverage vs the target, salary along the path), built as a generic ``report.render.Report``."""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure

from careerlens.advisor.models import Advice
from careerlens.kb.roles import load_kb
from careerlens.report.render import Chart, Report, Section, Table
from careerlens.report.render import write_report as _write


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def fit_chart(advice: Advice) -> Chart:
    """Horizontal bars: every role's fit score, the target highlighted."""
    fits = advice.fits
    fig = Figure(figsize=(7, max(2.5, 0.3 * len(fits) + 1)))
    ax = fig.add_subplot()
    names = [f.name for f in fits][::-1]
    scores = [f.score for f in fits][::-1]
    colours = ["#cc6b1f" if f.role == advice.target else "#3465a4" for f in fits][::-1]
    ax.barh(names, scores, color=colours)
    for i, s in enumerate(scores):
        ax.text(s + 1, i, f"{s:.0f}", va="center", fontsize=8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("fit (0–100)")
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title("Fit by role", fontsize=10)
    return Chart(
        name="fit_by_role",
        title="Fit by role",
        png=_png(fig),
        caption="Fit from skill coverage (knowledge-base weights), your answers, experience and level. "
        "Source: careerlens knowledge base and your inputs.",
    )


def coverage_chart(advice: Advice) -> Chart:
    """Stacked bars per weight class (core, important, nice to have): skills you have vs skills missing."""
    role = load_kb().roles[advice.target]
    have = set(advice.profile.skills)
    classes = [("core", "core"), ("important", "important"), ("nice_to_have", "nice to have")]
    got = [sum(1 for rs in role.skills if rs.weight == w and rs.skill in have) for w, _ in classes]
    miss = [sum(1 for rs in role.skills if rs.weight == w and rs.skill not in have) for w, _ in classes]
    fig = Figure(figsize=(7, 2.6))
    ax = fig.add_subplot()
    labels = [label for _, label in classes][::-1]
    ax.barh(labels, got[::-1], color="#4e9a06", label="you have")
    ax.barh(labels, miss[::-1], left=got[::-1], color="#d3d7cf", label="missing")
    for i, (g, m) in enumerate(zip(got[::-1], miss[::-1], strict=True)):
        ax.text(g + m + 0.2, i, f"{g}/{g + m}", va="center", fontsize=8)
    ax.set_xlabel("skills of the role")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Your skills vs {role.name}", fontsize=10)
    total = sum(got) + sum(miss)
    return Chart(
        name="skill_coverage",
        title=f"Skill coverage vs {role.name}",
        png=_png(fig),
        caption=f"{sum(got)} of the {total} skills the knowledge base lists for {role.name}. "
        "Source: careerlens knowledge base (roles.toml) and your resume/answers.",
    )


def salary_path_chart(advice: Advice) -> Chart:
    """p25–p75 box and median per path step; steps with too few or no data say so instead of a bar."""
    steps = advice.path
    fig = Figure(figsize=(7, max(2.4, 0.45 * len(steps) + 1.2)))
    ax = fig.add_subplot()
    labels = [f"{s.kind}: {s.role_name} ({s.level})" for s in steps][::-1]
    known = [s.salary.p75 for s in steps if not s.salary.withheld and s.salary.p75 is not None]
    xmax = max(known) if known else 1.0
    for yi, s in enumerate(steps[::-1]):
        sal = s.salary
        if sal.withheld or sal.median is None or sal.p25 is None or sal.p75 is None:
            ax.text(0.02 * xmax, yi, f"no data ({sal.note})"[:70], va="center", fontsize=8, color="#777")
            continue
        ax.barh(yi, sal.p75 - sal.p25, left=sal.p25, height=0.5, color="#9fbbe0", edgecolor="#3465a4")
        ax.plot([sal.median, sal.median], [yi - 0.3, yi + 0.3], color="#a40000", lw=2)
        ax.text(sal.p75 + 0.01 * xmax, yi, f"n={sal.n:,}", va="center", fontsize=8)
    ax.set_yticks(range(len(steps)), labels, fontsize=8)
    ax.set_xlim(0, xmax * 1.2)
    ax.set_xlabel("USD per year (box p25–p75, red = median)")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v / 1000:,.0f}k")
    region = advice.profile.region or "all regions"
    ax.set_title(f"Salary along the path ({region})", fontsize=10)
    n = sum(s.salary.n for s in steps if not s.salary.withheld)
    return Chart(
        name="salary_path",
        title="Salary along the path",
        png=_png(fig),
        caption=f"Salary per step in {region}; n = {n:,} jobs in the steps shown. Steps with too few data "
        f"are marked. Source: {advice.data_source or 'no salary data available'}.",
    )


def _money(x: float | None) -> str | None:
    return None if x is None else f"${x:,.0f}"


def build_report(advice: Advice) -> Report:
    """The personal report as sections: you, fit, gaps, path, plan, notes."""
    p = advice.profile
    years = "unknown" if p.years_experience is None else f"{p.years_experience:g}"
    you = Section(
        heading="You",
        bullets=[
            f"Current role: {p.current_title or p.current_role or 'not given'}",
            f"Level: {p.level} ({p.level_reason or 'estimated'}); years of experience: {years}",
            f"Skills found ({len(p.skills)}): {', '.join(p.skills) or 'none'}",
            f"Region: {p.region or 'any'}; inputs: {', '.join(p.sources)}",
        ],
    )
    fit = Section(
        heading="Which role fits you",
        paragraphs=[
            f"Recommended focus: {advice.target_name} at {advice.target_level} level"
            + (" (your choice)." if advice.fits[0].role != advice.target else " (your best fit).")
        ],
        tables=[
            Table(
                columns=["#", "role", "fit", "why", "what lowers it"],
                rows=[
                    [f.rank, f.name, round(f.score), "; ".join(f.reasons[:3]), "; ".join(f.against[:2])]
                    for f in advice.fits
                ],
            )
        ],
        charts=[fit_chart(advice)],
    )
    gaps = Section(
        heading=f"Skill gaps for {advice.target_name}",
        paragraphs=[
            "Ranked by knowledge-base weight × measured demand × pay premium; missing figures say no data."
        ],
        tables=[
            Table(
                columns=["skill", "weight", "demand", "premium", "why it matters"],
                rows=[
                    [
                        g.skill,
                        g.weight.replace("_", " "),
                        "no data" if g.demand_share is None else f"{g.demand_share:.0%}",
                        "no data" if g.premium_pct is None else f"{g.premium_pct:+.0f}%",
                        g.why,
                    ]
                    for g in advice.gaps[:15]
                ],
            )
        ],
        charts=[coverage_chart(advice)],
    )
    path = Section(
        heading="Path",
        tables=[
            Table(
                columns=[
                    "step",
                    "role",
                    "level",
                    "median",
                    "p25–p75",
                    "n",
                    "skills to add",
                    "typical titles",
                ],
                rows=[
                    [
                        s.kind,
                        s.role_name,
                        s.level,
                        _money(s.salary.median) or s.salary.note,
                        None if s.salary.withheld else f"{_money(s.salary.p25)}–{_money(s.salary.p75)}",
                        s.salary.n,
                        ", ".join(s.skills_to_add) or None,
                        ", ".join(s.typical_titles),
                    ]
                    for s in advice.path
                ],
            )
        ],
        charts=[salary_path_chart(advice)],
    )
    plan = Section(heading="Learning plan")
    n = 0
    for stage in advice.plan:
        for item in stage.items:
            n += 1
            plan.bullets.append(f"{n}. [{stage.stage}] {item.skill}: {item.why}")
    sections = [you, fit, gaps, path, plan]
    if advice.notes:
        sections.append(Section(heading="Notes", bullets=list(advice.notes)))
    return Report(
        title="Your careerlens report",
        subtitle=f"Which role should you choose? Generated {advice.generated.isoformat()}",
        sections=sections,
        footer="careerlens: advice from a knowledge base and public data; figures carry their n and source.",
    )


def write_report(advice: Advice, path: str | Path) -> list[Path]:
    """Write the personal report as .md (charts as PNG files beside it), .html or .pdf."""
    return _write(build_report(advice), path)
