"""CLI commands `salary` and `compare`: parse options, call the analytics entry point, render the result."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from careerlens.analytics.models import Comparison, Premium, SalaryCell, SalaryStats
from careerlens.cli.common import DbOption, JsonOption, console, show, user_errors
from careerlens.cli.postings import render_convergence

_WEIGHT_RANK = {"core": 3, "important": 2, "nice_to_have": 1}
_VERDICT_STYLE = {
    "supported": "green",
    "not_supported": "red",
    "contradicted": "red",
    "inconclusive": "yellow",
    "untestable": "dim",
}


def premium_text(p: Premium, *, short: bool = False) -> str:
    """'+8.3 % (95 % CI +2.1 % to +14.0 %)', or why it is withheld."""
    if p.withheld or p.estimate_pct is None or p.ci_pct is None:
        note = p.note or ""
        return "withheld: " + (note.split(" (")[0] if short else note)
    if short:
        return f"{p.estimate_pct:+.1f} % ({p.ci_pct.low:+.1f} to {p.ci_pct.high:+.1f})"
    return f"{p.estimate_pct:+.1f} % (95 % CI {p.ci_pct.low:+.1f} % to {p.ci_pct.high:+.1f} %)"


def short_median(cell: SalaryCell) -> str:
    """'$197.6k (195.0–200.0)': the median and its CI in thousands, for narrow tables."""

    def k(x: float | None) -> str:
        return "—" if x is None else f"${x / 1000:,.1f}k"

    ci = cell.median_ci
    return f"{k(cell.median)} ({ci.low / 1000:,.1f}–{ci.high / 1000:,.1f})" if ci else k(cell.median)


def _salary_row(table: Table, label: str, cell: SalaryCell) -> None:
    if cell.withheld:
        note = f"[dim]{escape(cell.note or 'withheld')}[/]"
        table.add_row(label, str(cell.n), "—", "—", "—", "—", "—", note)
        return
    ci = cell.median_ci

    def k(x: float | None) -> str:
        return "—" if x is None else f"{x / 1000:,.1f}"

    table.add_row(
        label,
        str(cell.n),
        k(cell.p10),
        k(cell.p25),
        f"[bold]{k(cell.median)}[/]",
        k(cell.p75),
        k(cell.p90),
        f"{ci.low / 1000:,.1f}–{ci.high / 1000:,.1f}" if ci else "—",
    )


def render_salary(result: SalaryStats) -> None:
    f = result.filters
    where = ", ".join(
        f"{k}={v}"
        for k, v in (
            ("level", f.level),
            ("region", f.region),
            ("country", f.country),
            ("year", f.year),
            ("company size", f.company_size),
        )
        if v is not None
    )
    title = f"{result.role_name} — salary, thousand USD per year" + (f" ({where})" if where else "")
    table = Table(title=escape(title), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("level", no_wrap=True)
    for col in ("n", "p10", "p25", "median", "p75", "p90"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("95 % CI of median", justify="right", min_width=12)
    _salary_row(table, f.level or "all", result)
    for cell in result.by_level or []:
        _salary_row(table, cell.level, cell)
    console.print(table)
    console.print(
        f"[dim]source: {escape(result.source)}; figures with n < {result.min_n} are withheld[/]",
        highlight=False,
    )


def render_comparison(c: Comparison) -> None:
    a, b = c.a, c.b
    side = Table(show_header=True, expand=True)
    side.add_column(a.name, ratio=1)
    side.add_column(b.name, ratio=1)
    side.add_row(escape(a.summary), escape(b.summary))
    side.add_row(
        "\n".join(f"• {escape(r)}" for r in a.responsibilities),
        "\n".join(f"• {escape(r)}" for r in b.responsibilities),
    )
    console.print(side)

    console.print(f"A = {escape(a.name)}, B = {escape(b.name)}", highlight=False)
    skills = Table(title="Skills by weight (from the knowledge base)", title_justify="left", show_lines=True)
    skills.add_column("weight")
    for col in ("shared", f"only A ({a.name})", f"only B ({b.name})"):
        skills.add_column(escape(col), ratio=1)
    for weight in ("core", "important", "nice_to_have"):
        shared = [
            r.skill if r.weight_a == r.weight_b else f"{r.skill} (A {r.weight_a}, B {r.weight_b})"
            for r in c.skills.shared
            if weight == max((r.weight_a, r.weight_b), key=lambda w: _WEIGHT_RANK.get(w or "", 0))
        ]
        only_a = [r.skill for r in c.skills.only_a if r.weight_a == weight]
        only_b = [r.skill for r in c.skills.only_b if r.weight_b == weight]
        skills.add_row(weight, *(escape(", ".join(x)) or "—" for x in (shared, only_a, only_b)))
    console.print(skills)

    pay = Table(title="Salary by level (USD/year): n and median (95 % CI)", title_justify="left")
    pay.add_column("level")
    for label in ("A", "B"):
        pay.add_column(f"{label} n", justify="right")
        pay.add_column(f"{label} median (95 % CI)", justify="right")
    for pair in c.salary_by_level:
        cells: list[str] = [pair.level]
        for cell in (pair.a, pair.b):
            cells.append(str(cell.n))
            cells.append(f"[dim]withheld (n < {c.min_n})[/]" if cell.withheld else short_median(cell))
        pay.add_row(*cells)
    console.print(pay)

    prem = Table(title="Matched premium of B over A (like jobs only)", title_justify="left")
    prem.add_column("scope", no_wrap=True)
    prem.add_column("premium of B (95 % CI)", min_width=22)
    for col in ("strata (skipped)", "n A", "n B"):
        prem.add_column(col, justify="right")
    for p in [c.premium, *c.premium_by_level, *([c.premium_genai] if c.premium_genai else [])]:
        prem.add_row(
            escape(p.scope),
            escape(premium_text(p, short=True)),
            f"{p.n_strata} ({p.n_strata_skipped})",
            str(p.n_a),
            str(p.n_b),
        )
    console.print(prem)
    strata = " × ".join(c.premium.strata_by)
    console.print(
        f"[dim]like jobs only: strata of equal {strata}; per stratum the median log-pay gap, weighted by "
        f"{c.premium.weighting}; strata with < {c.premium.min_per_stratum} jobs of a role are skipped.[/]",
        highlight=False,
    )
    if c.genai_note:
        console.print(f"[dim]GenAI: {escape(c.genai_note)}[/]", highlight=False)

    for v in c.verdicts:
        style = _VERDICT_STYLE.get(v.verdict, "white")
        console.print(
            Panel(
                v.explanation,
                title=f"[{style}]{v.verdict.replace('_', ' ')}[/] — {escape(v.claim)}",
                title_align="left",
            )
        )
    console.print(
        f"[dim]source: {escape(c.source)}; figures with n < {c.min_n} are withheld[/]", highlight=False
    )
    render_postings_context(c)


def render_postings_context(c: Comparison) -> None:
    """Demand, top skills and convergence from postings: a different population from the salary survey."""
    if c.postings_note:
        console.print(f"[yellow]{escape(c.postings_note)}[/]", highlight=False)
        return
    demand = Table(title="Demand in job postings (by year)", title_justify="left")
    for col in ("role", "year", "postings", "share of all postings (95 % CI)"):
        demand.add_column(col, justify="left" if col in ("role", "year") else "right")
    for d in c.demand:
        for cell in d.cells:
            share = (
                f"[dim]{escape(cell.note or 'withheld')}[/]"
                if cell.withheld
                else f"{100 * cell.share_of_postings:.2f} %"
                + (
                    f" ({100 * cell.share_ci.low:.2f}–{100 * cell.share_ci.high:.2f})"
                    if cell.share_ci
                    else ""
                )
            )
            demand.add_row(escape(cell.role), escape(cell.key), f"{cell.n_postings:,}", share)
    console.print(demand)
    top = Table(title="Top skills in postings (share of postings with skills)", title_justify="left")
    for t in c.top_skills:
        top.add_column(escape(f"{t.role_name} ({t.period}, n={t.n_with_skills:,})"), ratio=1)
    rows = max((len(t.skills) for t in c.top_skills), default=0)
    for i in range(rows):
        top.add_row(
            *(
                f"{escape(t.skills[i].skill)} {100 * t.skills[i].share:.0f} %" if i < len(t.skills) else ""
                for t in c.top_skills
            )
        )
    if any(t.withheld for t in c.top_skills):
        top.add_row(*(f"[dim]{escape(t.note or '')}[/]" if t.withheld else "" for t in c.top_skills))
    console.print(top)
    if c.convergence is not None:
        render_convergence(c.convergence, details=False)


def register(app: typer.Typer) -> None:
    """Add `salary` and `compare` to the app."""

    @app.command("salary")
    def salary_cmd(
        role: Annotated[str, typer.Option("--role", "-r", help="Role id, name or alias, e.g. 'mle'.")],
        level: Annotated[
            str | None, typer.Option(help="entry, mid, senior, lead, executive or unspecified.")
        ] = None,
        region: Annotated[
            str | None, typer.Option(help="World Bank region or a short form: 'north america', 'europe'.")
        ] = None,
        country: Annotated[str | None, typer.Option(help="Company country: ISO code (US) or name.")] = None,
        year: Annotated[int | None, typer.Option(help="Work year, e.g. 2024.")] = None,
        company_size: Annotated[str | None, typer.Option("--company-size", help="S, M or L.")] = None,
        min_n: Annotated[
            int | None, typer.Option("--min-n", help="Withhold figures with fewer jobs (default 30).")
        ] = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Salary of a role (USD/year): p10–p90, the 95 % CI of the median, n and source; by level unless
        --level is given. Figures resting on fewer than --min-n jobs are withheld."""
        from careerlens.analytics.salary import salary

        with user_errors(json_out):
            result = salary(
                role,
                level=level,
                region=region,
                country=country,
                year=year,
                company_size=company_size,
                min_n=min_n,
                by_level=level is None,
                db=db,
            )
        show(result, json_out, render_salary)

    @app.command("compare")
    def compare_cmd(
        role_a: Annotated[str, typer.Argument(help="First role (id, name or alias), e.g. 'mle'.")],
        role_b: Annotated[str, typer.Argument(help="Second role, e.g. 'ai engineer'.")],
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Compare two roles: summaries, responsibilities, skills, salary by level, the matched pay premium of
        B over A (like jobs only) and verdicts on the claims about ML and AI engineers."""
        from careerlens.analytics.compare import compare

        with user_errors(json_out):
            result = compare(role_a, role_b, db=db)
        show(result, json_out, render_comparison)
