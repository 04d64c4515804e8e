"""CLI commands `salary` and `compare`: parse options, call the analytics entry point, render the result."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from careerlens.analytics.models import Comparison, Premium, SalaryCell, SalaryStats
from careerlens.cli.common import DbOption, JsonOption, console, emit_json, user_errors

_VERDICT_STYLE = {
    "supported": "green",
    "not_supported": "red",
    "contradicted": "red",
    "inconclusive": "yellow",
    "untestable": "dim",
}


def money(x: float | None) -> str:
    return "—" if x is None else f"${x:,.0f}"


def ci_text(cell: SalaryCell) -> str:
    if cell.median_ci is None:
        return "—"
    return f"{money(cell.median_ci.low)} – {money(cell.median_ci.high)}"


def premium_text(p: Premium) -> str:
    """'+8.3 % (95 % CI +2.1 % to +14.0 %)', or why it is withheld."""
    if p.withheld or p.estimate_pct is None or p.ci_pct is None:
        return f"withheld: {p.note}"
    return f"{p.estimate_pct:+.1f} % (95 % CI {p.ci_pct.low:+.1f} % to {p.ci_pct.high:+.1f} %)"


def _salary_row(table: Table, label: str, cell: SalaryCell) -> None:
    if cell.withheld:
        table.add_row(label, str(cell.n), "—", "—", "—", "—", "—", f"[dim]{escape(cell.note or '')}[/]")
        return
    table.add_row(
        label,
        str(cell.n),
        money(cell.p10),
        money(cell.p25),
        f"[bold]{money(cell.median)}[/]",
        money(cell.p75),
        money(cell.p90),
        ci_text(cell),
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
    title = f"{result.role_name} — salary, USD per year" + (f" ({where})" if where else "")
    table = Table(title=title, title_justify="left")
    for col in ("level", "n", "p10", "p25", "median", "p75", "p90", "95 % CI of median"):
        table.add_column(col, justify="left" if col == "level" else "right")
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

    skills = Table(title="Skills (weight: core / important / nice_to_have)", title_justify="left")
    skills.add_column("skill")
    skills.add_column(a.name)
    skills.add_column(b.name)
    skills.add_column("")
    for group, rows in (
        ("shared", c.skills.shared),
        ("only A", c.skills.only_a),
        ("only B", c.skills.only_b),
    ):
        for r in rows:
            skills.add_row(r.skill, r.weight_a or "—", r.weight_b or "—", group)
    console.print(skills)

    pay = Table(title="Salary by level (USD/year): n, median, 95 % CI of the median", title_justify="left")
    pay.add_column("level")
    for name in (a.name, b.name):
        pay.add_column(f"{name} n", justify="right")
        pay.add_column(f"{name} median (CI)", justify="right")
    for pair in c.salary_by_level:
        cells: list[str] = [pair.level]
        for cell in (pair.a, pair.b):
            cells.append(str(cell.n))
            cells.append(
                f"[dim]{escape(cell.note or '')}[/]"
                if cell.withheld
                else f"{money(cell.median)} ({ci_text(cell)})"
            )
        pay.add_row(*cells)
    console.print(pay)

    prem = Table(title=f"Matched premium of {b.name} over {a.name}", title_justify="left")
    for col in ("scope", "premium", "strata used / skipped", f"n {a.name}", f"n {b.name}"):
        prem.add_column(col, justify="left" if col in ("scope", "premium") else "right")
    for p in [c.premium, *c.premium_by_level, *([c.premium_genai] if c.premium_genai else [])]:
        prem.add_row(
            escape(p.scope),
            escape(premium_text(p)),
            f"{p.n_strata} / {p.n_strata_skipped}",
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
        if json_out:
            emit_json(result)
        else:
            render_salary(result)

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
        if json_out:
            emit_json(result)
        else:
            render_comparison(result)
