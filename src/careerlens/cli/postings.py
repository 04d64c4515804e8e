"""CLI commands over job postings: `skills`, `demand`, `premium`, `converge` and `market report`.

Each parses options, calls one analytics entry point and prints the result (or its JSON). Every figure is
printed with its n; a withheld figure says "too few data".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from careerlens.analytics.converge import Convergence
from careerlens.analytics.demand import Demand
from careerlens.analytics.models import Interval
from careerlens.analytics.premium import SkillPremiumResult
from careerlens.analytics.skills import TopSkills
from careerlens.cli.common import DbOption, JsonOption, console, emit_json, show, user_errors

_VERDICT_STYLE = {"supported": "green", "not_supported": "red", "inconclusive": "yellow"}

SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Postings data set (reader name, e.g. postings, generic) or 'all' (default: the largest).",
    ),
]
MinNOption = Annotated[
    int | None, typer.Option("--min-n", help="Withhold figures resting on fewer postings (default 30).")
]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def _pct_ci(ci: Interval | None) -> str:
    return "—" if ci is None else f"{100 * ci.low:.1f}–{100 * ci.high:.1f} %"


def _dim(text: str) -> None:
    """A footnote line; data text is escaped so a '[snapshot]' label is not read as markup."""
    console.print(f"[dim]{escape(text)}[/]", highlight=False)


def _caveats(caveats: list[str]) -> None:
    for c in caveats:
        _dim(f"• {c}")


def render_top_skills(t: TopSkills) -> None:
    where = f", {t.country}" if t.country else ""
    console.print(
        f"[bold]{escape(t.role_name)}[/] — top skills in postings, {t.period}{where}: "
        f"n = {t.n_with_skills:,} postings with skills (of {t.n_postings:,})",
        highlight=False,
    )
    if t.withheld:
        console.print(f"[yellow]{escape(t.note or '')}[/]", highlight=False)
    else:
        table = Table(title_justify="left")
        prev = t.compared_period or "previous period"
        if t.n_with_skills_previous is not None:
            prev += f" (of {t.n_with_skills_previous:,})"
        for col in ("skill", "n", "share", "95 % CI", f"change vs {prev}", "95 % CI of change"):
            table.add_column(col, justify="left" if col == "skill" else "right")
        for s in t.skills:
            if s.change_pp is None:
                change, change_ci = "—", "—"
            else:
                change = f"{s.change_pp:+.1f} pp (n={s.n_previous})"
                c = s.change_ci_pp
                change_ci = "—" if c is None else f"{c.low:+.1f} to {c.high:+.1f} pp"
            table.add_row(escape(s.skill), f"{s.n:,}", _pct(s.share), _pct_ci(s.ci), change, change_ci)
        console.print(table)
    _dim(t.comparison_note)
    _dim(f"{t.denominator_note} Source: {t.source}.")
    _dim(t.data_set_note)
    _caveats(t.caveats)


def render_demand(d: Demand) -> None:
    table = Table(title=f"Postings by role and {d.by}", title_justify="left")
    for col in ("role", d.by, "postings", "share of cell (95 % CI)", "with skills", "GenAI share (95 % CI)"):
        table.add_column(col, justify="left" if col in ("role", d.by) else "right")
    for c in d.cells:
        if c.withheld:
            share = f"[dim]{escape(c.note or '')}[/]"
        else:
            share = f"{_pct(c.share_of_postings)} ({_pct_ci(c.share_ci)})"
        if c.genai_withheld:
            genai = f"[dim]{escape(c.genai_note or '')}[/]"
        else:
            genai = f"{_pct(c.genai_share)} ({_pct_ci(c.genai_ci)}), n={c.n_genai}"
        table.add_row(
            escape(c.role), escape(c.key), f"{c.n_postings:,}", share, f"{c.n_with_skills:,}", genai
        )
    console.print(table)
    if d.note:
        console.print(f"[yellow]{escape(d.note)}[/]", highlight=False)
    if d.genai_note:
        console.print(f"[yellow]{escape(d.genai_note)}[/]", highlight=False)
    _dim(f"{d.genai_definition} Source: {d.source}.")
    _dim(d.data_set_note)
    _caveats(d.caveats)


def render_premium(p: SkillPremiumResult) -> None:
    console.print(
        f"[bold]{escape(p.role_name)}[/] — pay with vs without each skill in postings (USD/year), "
        f"level {p.level}, country {p.country}: n = {p.n_postings:,} salaried postings with skills",
        highlight=False,
    )
    table = Table(title_justify="left")
    for col in ("skill", "n with", "n without", "median with", "median without", "premium", "95 % CI"):
        table.add_column(col, justify="left" if col == "skill" else "right")
    for r in p.rows:
        if r.withheld:
            table.add_row(escape(r.skill), str(r.n_with), str(r.n_without), f"[dim]{escape(r.note or '')}[/]")
            continue
        ci = "—" if r.ci_pct is None else f"{r.ci_pct.low:+.1f} % to {r.ci_pct.high:+.1f} %"
        table.add_row(
            escape(r.skill), f"{r.n_with:,}", f"{r.n_without:,}", f"${r.median_with:,.0f}",
            f"${r.median_without:,.0f}", f"{r.premium_pct:+.1f} %", ci,
        )  # fmt: skip
    console.print(table)
    if p.note:
        console.print(f"[yellow]{escape(p.note)}[/]", highlight=False)
    _dim(f"{p.population_note} Source: {p.source}.")


def render_convergence(c: Convergence, *, details: bool = True) -> None:
    table = Table(
        title=escape(f"{c.role_a_name} vs {c.role_b_name}: similarity of skill demand"), title_justify="left"
    )
    for col in (
        "period",
        f"n {c.role_a_name}",
        f"n {c.role_b_name}",
        "cosine",
        "corrected (95 % CI)",
        f"Jaccard top-{c.top_k}",
    ):
        table.add_column(col, justify="left" if col == "period" else "right")
    for p in c.periods:
        if p.withheld:
            table.add_row(p.period, str(p.n_a), str(p.n_b), f"[dim]{escape(p.note or '')}[/]")
            continue
        ci = "" if p.cosine_ci is None else f" ({p.cosine_ci.low:.3f}–{p.cosine_ci.high:.3f})"
        jac = "—" if p.jaccard_top_k is None else f"{p.jaccard_top_k:.2f}"
        table.add_row(
            p.period, f"{p.n_a:,}", f"{p.n_b:,}", f"{p.cosine:.3f}", f"{p.cosine_corrected:.3f}{ci}", jac
        )
    console.print(table)
    style = _VERDICT_STYLE.get(c.verdict, "white")
    console.print(
        Panel(
            escape(c.explanation),
            title=f"[{style}]{c.verdict.replace('_', ' ')}[/] — {escape(c.claim)}",
            title_align="left",
        )
    )
    _dim(
        "corrected cosine: the noise of each share vector's squared norm removed, so periods with few "
        f"postings are not made to look less similar. trend: {c.trend.method}. Source: {c.source}."
    )
    _dim(c.data_set_note)
    if details:
        _caveats(c.caveats)


def register(app: typer.Typer) -> None:
    """Add `skills`, `demand`, `premium`, `converge` and the `market` group to the app."""

    @app.command("skills")
    def skills_cmd(
        role: Annotated[str, typer.Option("--role", "-r", help="Role id, name or alias, e.g. 'mle'.")],
        year: Annotated[int | None, typer.Option(help="Year of the postings (default: the latest).")] = None,
        country: Annotated[str | None, typer.Option(help="Country: ISO code (US) or name.")] = None,
        limit: Annotated[int, typer.Option(help="How many skills to show.")] = 20,
        min_n: MinNOption = None,
        source: SourceOption = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Top skills in a role's postings: share of postings with skills mentioning each (95 % Wilson CI), n,
        and the change against the same months of the year before (or the month before)."""
        from careerlens.analytics.skills import skills

        with user_errors(json_out):
            result = skills(role, year=year, country=country, limit=limit, min_n=min_n, source=source, db=db)
        show(result, json_out, render_top_skills)

    @app.command("demand")
    def demand_cmd(
        role: Annotated[
            str | None, typer.Option("--role", "-r", help="Only this role (default: all).")
        ] = None,
        by: Annotated[str, typer.Option(help="year, month, country or industry.")] = "year",
        min_n: MinNOption = None,
        source: SourceOption = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Postings by role over a dimension: counts, each role's share of the cell and the GenAI share, with
        95 % intervals; cells with too few postings are withheld."""
        from careerlens.analytics.demand import demand_for

        with user_errors(json_out):
            result = demand_for(role, by=by, min_n=min_n, source=source, db=db)
        show(result, json_out, render_demand)

    @app.command("premium")
    def premium_cmd(
        role: Annotated[str, typer.Option("--role", "-r", help="Role id, name or alias.")],
        level: Annotated[
            str | None, typer.Option(help="entry, mid, senior, lead, executive (default: all).")
        ] = None,
        country: Annotated[str | None, typer.Option(help="Country ISO code or name (default: all).")] = None,
        skill: Annotated[str | None, typer.Option(help="Only this skill.")] = None,
        min_n: MinNOption = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Median advertised pay of a role's postings with vs without each skill (within level × country),
        with n on both sides and a bootstrap 95 % interval. Postings pay, not survey pay."""
        from careerlens.analytics.premium import premium

        with user_errors(json_out):
            result = premium(role, level=level, country=country, skill=skill, min_n=min_n, db=db)
        show(result, json_out, render_premium)

    @app.command("converge")
    def converge_cmd(
        role_a: Annotated[str, typer.Argument(help="First role, e.g. 'mle'.")],
        role_b: Annotated[str, typer.Argument(help="Second role, e.g. 'ai engineer'.")],
        by: Annotated[str, typer.Option(help="year or month.")] = "year",
        top_k: Annotated[int, typer.Option("--top-k", help="Size of the top-skill sets compared.")] = 20,
        min_n: MinNOption = None,
        source: SourceOption = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Are two roles converging? Cosine similarity of skill shares and Jaccard of top-k skills per period,
        the trend of the cosine, and a verdict with its evidence."""
        from careerlens.analytics.converge import convergence

        with user_errors(json_out):
            result = convergence(role_a, role_b, by=by, top_k=top_k, min_n=min_n, source=source, db=db)
        show(result, json_out, render_convergence)

    market = typer.Typer(help="Reports on the job market.", no_args_is_help=True)
    app.add_typer(market, name="market")

    @market.command("report")
    def market_report_cmd(
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Output file; .md, .html or .pdf sets the format.")
        ] = Path("report.html"),
        min_n: MinNOption = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Write the market report: salary by role and level, demand, top skills, GenAI share, convergence and
        the data caveats, every chart with its n and source."""
        from careerlens.report.market import build_market_report

        with user_errors(json_out):
            files = build_market_report(out, db=db, min_n=min_n)
        if json_out:
            emit_json({"schema": "careerlens.market-report/v1", "files": [str(f) for f in files]})
        else:
            for f in files[:1]:
                console.print(f"wrote {f}" + (f" (+{len(files) - 1} chart files)" if len(files) > 1 else ""))
