"""The market report: salary by role and level, demand, top skills, GenAI share and convergence, each figure
with its n and source, and the data caveats. ``careerlens market report --out report.html|.md|.pdf``.

A section whose data are missing says so instead of failing the whole report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from careerlens import __version__
from careerlens.analytics.converge import Convergence, converge
from careerlens.analytics.demand import GENAI_DEFINITION, DemandCell, demand
from careerlens.analytics.salary import StoreLike
from careerlens.analytics.skills import POSTINGS_CAVEATS, postings_data_sets, top_skills
from careerlens.errors import CareerlensError
from careerlens.report import charts
from careerlens.report.render import Cell, Report, Section, Table
from careerlens.report.render import write_report as _write
from careerlens.settings import Settings, get_settings

SALARY_ROLES = (
    "machine_learning_engineer",
    "ai_engineer",
    "data_scientist",
    "research_scientist",
    "mlops_engineer",
    "data_engineer",
    "data_analyst",
)
POSTING_ROLES = (
    "machine_learning_engineer",
    "ai_engineer",
    "data_scientist",
    "data_engineer",
    "data_analyst",
)
SKILL_ROLES = ("machine_learning_engineer", "data_scientist", "ai_engineer")
PAIRS = (("machine_learning_engineer", "ai_engineer"), ("data_scientist", "machine_learning_engineer"))


def _pct(x: float | None) -> str | None:
    return None if x is None else f"{100 * x:.1f} %"


def _role_names(kb: Any, ids: tuple[str, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for r in ids:
        try:
            names[r] = kb.role(r).name
        except CareerlensError:
            names[r] = r
    return names


def _guard(heading: str, build: Callable[[Section], None]) -> Section:
    """Build a section; a careerlens error (no data, missing table) becomes a paragraph saying so."""
    section = Section(heading)
    try:
        build(section)
    except CareerlensError as exc:
        section.paragraphs.append(f"Not available: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
    return section


def _salary(section: Section, store: StoreLike, kb: Any, settings: Settings, names: dict[str, str]) -> None:
    from careerlens.analytics.salary import salary_by_level

    section.paragraphs.append(
        "Salary-survey pay (USD per year) by role and level. Median with its bootstrap 95 % interval; "
        f"groups with fewer than {settings.min_n} jobs are withheld."
    )
    rows: list[tuple[str, Any]] = []
    table = Table(
        ["role", "level", "n", "median", "95 % CI", "p25", "p75"], [], caption="Salary by role and level"
    )
    source = ""
    for role in SALARY_ROLES:
        if role not in kb.roles:
            continue
        for st in salary_by_level(store, role, settings=settings, kb=kb):
            level = st.filters.level or "all"
            source = st.source
            rows.append((f"{names.get(role, st.role_name)} · {level}", st))
            ci = f"{st.median_ci.low:,.0f}–{st.median_ci.high:,.0f}" if st.median_ci else None
            median = st.median if not st.withheld else "too few data"
            table.rows.append([st.role_name, level, st.n, median, ci, st.p25, st.p75])
    if not rows:
        section.paragraphs.append("No salary data in this store.")
        return
    section.tables.append(table)
    section.charts.append(charts.salary_range_chart(rows, source=source, title="Salary by role and level"))


def _demand(section: Section, store: StoreLike, kb: Any, settings: Settings, names: dict[str, str]) -> None:
    by_year = demand(store, by="year", settings=settings, kb=kb)
    by_month = demand(store, by="month", settings=settings, kb=kb)
    section.paragraphs.append(
        "Each role's share of all postings in a period is the comparable figure: raw counts follow what was "
        "scraped. 2023 postings are the salaried subset, 2024 covers only September–December."
    )
    table = Table(
        ["role", "year", "postings", "share of the year's postings", "95 % CI"],
        [],
        caption="Postings by year",
    )
    for c in by_year.cells:
        if c.role not in POSTING_ROLES:
            continue
        ci = f"{100 * c.share_ci.low:.1f}–{100 * c.share_ci.high:.1f} %" if c.share_ci else None
        share = _pct(c.share_of_postings) if not c.withheld else "too few data"
        table.rows.append([names.get(c.role, c.role), c.key, c.n_postings, share, ci])
    section.tables.append(table)
    section.charts.append(charts.demand_trend_chart(by_month, names=names, roles=POSTING_ROLES))
    section.paragraphs.append(by_year.data_set_note)


def _skills(section: Section, store: StoreLike, kb: Any, settings: Settings) -> None:
    section.paragraphs.append(
        "Shares are of the role's postings with any skill information (n_with_skills), not of all postings; "
        "95 % Wilson intervals in the charts."
    )
    last_note = ""
    for role in SKILL_ROLES:
        if role not in kb.roles:
            continue
        t = top_skills(store, role, limit=15, settings=settings, kb=kb)
        section.paragraphs.append(
            f"{t.role_name}: {t.period}, n = {t.n_with_skills:,} postings with skills. {t.comparison_note}"
        )
        if t.withheld:
            section.paragraphs.append(f"{t.role_name}: {t.note}")
            continue
        rows: list[list[Cell]] = []
        for s in t.skills[:10]:
            change = None if s.change_pp is None else f"{s.change_pp:+.1f} pp"
            rows.append([s.skill, s.n, _pct(s.share), change])
        section.tables.append(
            Table(["skill", "n", "share", "change"], rows, caption=f"Top skills: {t.role_name}")
        )
        section.charts.append(charts.top_skills_chart(t))
        last_note = t.data_set_note
    if last_note:
        section.paragraphs.append(last_note)


def _genai(section: Section, store: StoreLike, kb: Any, settings: Settings, names: dict[str, str]) -> None:
    """GenAI share in every data set where it is measurable (skills found in description text), one data set
    and year at a time: the data sets are different samples, so they are shown side by side, not pooled."""
    cells: list[DemandCell] = []
    sources: list[str] = []
    for ds in postings_data_sets(store):
        d = demand(store, by="year", source=ds.source, settings=settings, kb=kb)
        if not d.genai_measurable:
            section.paragraphs.append(f"Data set {ds.source}: {d.genai_note}")
            continue
        sources.append(d.source)
        for c in d.cells:
            cells.append(c.model_copy(update={"key": f"{c.key} · {ds.source}"}))
    if not cells:
        section.paragraphs.append("No postings data set here can measure the GenAI share.")
        return
    section.paragraphs.append(GENAI_DEFINITION)
    section.paragraphs.append(
        "Each data set is its own sample (a different site, search and region), so a difference between them "
        "mixes time with the sample; read them side by side, not as a trend."
    )
    roles = [
        r
        for r in POSTING_ROLES + ("mlops_engineer",)
        if any(c.role == r and not c.genai_withheld for c in cells)
    ]
    keys = sorted({c.key for c in cells if c.role in roles and not c.genai_withheld})
    table = Table(
        ["role", "year · data set", "postings with skills", "GenAI", "share", "95 % CI"],
        [],
        caption="GenAI share",
    )
    for c in sorted(cells, key=lambda c: (c.role, c.key)):
        if c.role not in roles or c.key not in keys:
            continue
        ci = f"{100 * c.genai_ci.low:.1f}–{100 * c.genai_ci.high:.1f} %" if c.genai_ci else None
        share = _pct(c.genai_share) if not c.genai_withheld else "too few data"
        table.rows.append([names.get(c.role, c.role), c.key, c.n_with_skills, c.n_genai, share, ci])
    section.tables.append(table)
    section.charts.append(
        charts.genai_share_chart(
            [c for c in cells if c.key in keys],
            legend_title="year · data set",
            source="; ".join(sources),
            names=names,
            roles=roles,
        )
    )


def _convergence(section: Section, store: StoreLike, kb: Any, settings: Settings) -> None:
    section.paragraphs.append(
        "Cosine similarity of two roles' skill-share vectors per month and Jaccard overlap of their top-20 "
        "skills; the trend is the within-year slope of the noise-corrected cosine (2023 and 2024 are "
        "different populations, and the plug-in cosine falls when a role has few postings)."
    )
    results: list[Convergence] = []
    for a, b in PAIRS:
        if a not in kb.roles or b not in kb.roles:
            continue
        c = converge(store, a, b, by="month", settings=settings, kb=kb)
        results.append(c)
        section.paragraphs.append(f"{c.claim}: {c.verdict.replace('_', ' ')}. {c.explanation}")
        rows: list[list[Cell]] = []
        for p in c.periods:
            figures: list[Cell] = (
                ["too few data", None, None]
                if p.withheld
                else [p.cosine, p.cosine_corrected, p.jaccard_top_k]
            )
            rows.append([p.period, p.n_a, p.n_b, *figures])
        section.tables.append(
            Table(
                [
                    "period",
                    f"n {c.role_a_name}",
                    f"n {c.role_b_name}",
                    "cosine",
                    "corrected",
                    "Jaccard top-20",
                ],
                rows,
                caption=f"{c.role_a_name} vs {c.role_b_name}",
            )
        )
    if results:
        section.charts.append(charts.convergence_chart(results))
        section.paragraphs.append(results[0].data_set_note)


def _premium(section: Section, store: StoreLike, kb: Any, settings: Settings) -> None:
    """The largest skill pay premia (and discounts) among salaried postings, both sides with n ≥ min_n."""
    from careerlens.analytics.premium import POPULATION_NOTE, skill_premium

    section.paragraphs.append(
        "Median advertised pay of postings that mention a skill against those of the same role that do not "
        "(all levels and countries pooled), with a bootstrap 95 % interval. An association, not a cause: "
        "postings asking for a skill may be more senior or in richer cities. " + POPULATION_NOTE
    )
    for role in SKILL_ROLES[:2]:
        if role not in kb.roles:
            continue
        p = skill_premium(store, role=role, settings=settings, kb=kb)
        shown = [r for r in p.rows if not r.withheld]
        if not shown:
            section.paragraphs.append(f"{p.role_name}: {p.note or 'too few data'}")
            continue
        rows: list[list[Cell]] = []
        for r in shown[:5] + [r for r in shown[-3:] if r not in shown[:5]]:
            ci = f"{r.ci_pct.low:+.0f} to {r.ci_pct.high:+.0f} %" if r.ci_pct else None
            rows.append(
                [
                    r.skill,
                    r.n_with,
                    r.n_without,
                    r.median_with,
                    r.median_without,
                    f"{r.premium_pct:+.1f} %",
                    ci,
                ]
            )
        section.tables.append(
            Table(
                ["skill", "n with", "n without", "median with", "median without", "premium", "95 % CI"],
                rows,
                caption=f"{p.role_name}: largest premia and discounts "
                f"(n = {p.n_postings:,} salaried postings)",
            )
        )


def market_report(store: StoreLike, kb: Any, *, settings: Settings | None = None) -> Report:
    """Build the market report from a store (warehouse or snapshot) and the knowledge base."""
    settings = settings or get_settings()
    names = _role_names(kb, tuple(dict.fromkeys(SALARY_ROLES + POSTING_ROLES)))
    report = Report(
        title="careerlens: the AI and data job market",
        subtitle=(
            f"Generated {datetime.now(UTC):%Y-%m-%d} by careerlens {__version__} from the "
            f"{getattr(store, 'source_label', 'store')}. Figures below n = {settings.min_n} are withheld."
        ),
    )
    report.sections.append(
        _guard("Salary by role and level", lambda s: _salary(s, store, kb, settings, names))
    )
    report.sections.append(_guard("Demand", lambda s: _demand(s, store, kb, settings, names)))
    report.sections.append(_guard("Top skills", lambda s: _skills(s, store, kb, settings)))
    report.sections.append(_guard("GenAI share", lambda s: _genai(s, store, kb, settings, names)))
    report.sections.append(_guard("Convergence", lambda s: _convergence(s, store, kb, settings)))
    report.sections.append(
        _guard("Skill pay premium in postings", lambda s: _premium(s, store, kb, settings))
    )
    caveats = Section("Data caveats", bullets=list(POSTINGS_CAVEATS))
    caveats.bullets += [
        "Salary figures come from the aijobs.net salary index (CC0): mostly US, and 97 % of rows come "
        "in pairs that look like the two ends of a posted range; a pair counts as one job at its midpoint.",
        "Postings pay (skill premium) and survey pay are different populations; they are not compared.",
        "Role and level come from a title classifier; misclassified titles add noise to every figure.",
    ]
    report.sections.append(caveats)
    report.footer = "Every figure shows its n; 'too few data' marks a withheld figure. See data/SOURCES.md."
    return report


def write_report(report: Report, path: str | Path) -> list[Path]:
    """Write the report as .md (+ PNG files), .html (self-contained) or .pdf, by the file extension."""
    return _write(report, path)


def build_market_report(
    out: str | Path, *, db: str | Path | None = None, min_n: int | None = None
) -> list[Path]:
    """Library entry point: the same path as `careerlens market report --out FILE`."""
    from careerlens.analytics.salary import open_default_store
    from careerlens.kb.roles import load_kb

    settings = get_settings(db=db) if min_n is None else get_settings(db=db, min_n=min_n)
    with open_default_store(settings=settings) as store:
        report = market_report(store, load_kb(), settings=settings)
    return write_report(report, out)
