"""`careerlens advise`: which role should I choose? Fit, gaps, path and plan from answers and/or a resume."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from careerlens.cli.common import DbOption, JsonOption, console, emit_json, user_errors
from careerlens.errors import InputError

AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers", help="Questionnaire answers, TOML or JSON (question id = option id).", dir_okay=False
    ),
]
ResumeOption = Annotated[
    Path | None,
    typer.Option("--resume", help="Resume file: PDF, DOCX, TXT or Markdown (max 10 MB).", dir_okay=False),
]
TargetOption = Annotated[
    str | None, typer.Option("--target", help="Focus gaps, path and plan on this role (id, name or alias).")
]
RegionOption = Annotated[
    str | None, typer.Option("--region", help="Region for salaries, e.g. 'North America' or 'europe'.")
]
AskOption = Annotated[
    bool, typer.Option("--ask", help="Ask the questionnaire in the terminal (the default with no inputs).")
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report", help="Also write a personal report: out.md, out.html or out.pdf.", dir_okay=False
    ),
]


def _money(x: float | None) -> str:
    return "—" if x is None else f"${x / 1000:,.0f}k"


def print_advice(advice: object) -> None:
    """Rich rendering of an Advice: ranked fits, gaps, path and plan."""
    from careerlens.advisor.models import Advice

    assert isinstance(advice, Advice)
    p = advice.profile
    years = "?" if p.years_experience is None else f"{p.years_experience:g}"
    console.print(
        f"[bold]You:[/] {p.current_title or p.current_role or 'no current role given'} · level {p.level} "
        f"· {years} years · {len(p.skills)} skills · region {p.region or 'any'} · from {', '.join(p.sources)}"
    )
    if p.level_reason:
        console.print(f"  [dim]level: {p.level_reason}[/]")
    fits = Table(title="Role fit (0–100)", show_lines=False)
    fits.add_column("#", justify="right")
    fits.add_column("role", style="bold", no_wrap=True)
    fits.add_column("fit", justify="right")
    fits.add_column("why", overflow="fold", ratio=2)
    fits.add_column("what lowers it", overflow="fold", ratio=1, style="yellow")
    for f in advice.fits:
        style = "green" if f.role == advice.target else None
        fits.add_row(
            str(f.rank),
            f.name,
            f"{f.score:.0f}",
            "; ".join(f.reasons[:3]),
            "; ".join(f.against[:2]),
            style=style,
        )
    console.print(fits)
    console.print(f"\n[bold]Target:[/] {advice.target_name} ({advice.target_level})")
    gaps = Table(title=f"Skill gaps for {advice.target_name} (most valuable first)")
    gaps.add_column("skill", style="bold")
    gaps.add_column("weight")
    gaps.add_column("demand", justify="right")
    gaps.add_column("premium", justify="right")
    gaps.add_column("why it matters", overflow="fold", ratio=1)
    for g in advice.gaps[:12]:
        gaps.add_row(
            g.skill,
            g.weight.replace("_", " "),
            "no data" if g.demand_share is None else f"{g.demand_share:.0%}",
            "no data" if g.premium_pct is None else f"{g.premium_pct:+.0f}%",
            g.why,
        )
    console.print(gaps)
    path = Table(title="Path")
    path.add_column("step")
    path.add_column("role · level", style="bold")
    path.add_column("salary p25–p75 (median)", justify="right")
    path.add_column("n", justify="right")
    path.add_column("skills to add", overflow="fold", ratio=1)
    for s in advice.path:
        sal = s.salary
        pay = sal.note if sal.withheld else f"{_money(sal.p25)}–{_money(sal.p75)} ({_money(sal.median)})"
        path.add_row(s.kind, f"{s.role_name} · {s.level}", pay, str(sal.n), ", ".join(s.skills_to_add) or "—")
    console.print(path)
    console.print("[bold]Learning plan[/]")
    n = 0
    for stage in advice.plan:
        console.print(f"  [cyan]{stage.stage}[/]")
        for item in stage.items:
            n += 1
            console.print(f"   {n:>2}. [bold]{item.skill}[/] — {item.why}", highlight=False)
    for note in advice.notes:
        console.print(f"[dim]note: {note}[/]")


def advise_cmd(
    answers: AnswersOption = None,
    resume: ResumeOption = None,
    target: TargetOption = None,
    region: RegionOption = None,
    report: ReportOption = None,
    ask: AskOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which role should I choose? Rank every role's fit, then show gaps, a path and a learning plan.

    Give questionnaire answers (--answers) and/or a resume (--resume); with neither, the questions are asked
    in the terminal.
    """
    with user_errors(as_json):
        from careerlens.advisor import advise
        from careerlens.advisor.questionnaire import ask_interactive

        if report is not None and report.suffix.lower() not in (".md", ".html", ".htm", ".pdf"):
            raise InputError(
                "unknown report format", file=str(report), hint="name the report out.md, out.html or out.pdf"
            )
        prefs = None
        if answers is None and resume is None and not ask and not sys.stdin.isatty():
            raise InputError(
                "no answers and no resume, and no terminal to ask the questions in",
                hint="pass --answers FILE (TOML or JSON) and/or --resume FILE (or --ask to answer on stdin)",
            )
        if ask or (answers is None and resume is None):
            if answers is not None:
                raise InputError("--ask and --answers both give answers", hint="use one of them")
            prefs = ask_interactive(ask_skills=resume is None)
        result = advise(
            answers=answers if prefs is None else prefs, resume=resume, target=target, region=region, db=db
        )
        if report is not None:
            from careerlens.advisor.report import write_report

            write_report(result, report)
        if as_json:
            emit_json(result)
            return
        print_advice(result)
        if report is not None:
            console.print(f"report written to {report}")


def register(app: typer.Typer) -> None:
    """Add `careerlens advise` to the app."""
    app.command("advise")(advise_cmd)
