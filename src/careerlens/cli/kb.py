"""Knowledge-base commands: `careerlens roles`, `careerlens role ROLE` and `careerlens kb check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from careerlens.cli.common import JsonOption, console, emit_json, user_errors
from careerlens.kb.roles import WEIGHT_VALUES, KnowledgeBase, Role, load_kb

kb_app = typer.Typer(help="Check the knowledge-base data files (roles, skills).", no_args_is_help=True)


@kb_app.callback()
def _kb() -> None:
    """Knowledge-base maintenance commands."""


def role_summary(role: Role) -> dict[str, Any]:
    """One row of `careerlens roles --json`."""
    return {
        "id": role.id,
        "name": role.name,
        "technical": role.technical,
        "summary": role.summary,
        "skills": len(role.skills),
        "core_skills": len(role.skill_ids("core")),
        "levels": role.level_ids(),
        "ladder_edges": len(role.ladder),
        "aliases": role.aliases,
    }


def roles_overview(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "kb_version": kb.meta.version,
        "updated": kb.meta.updated.isoformat(),
        "roles": [role_summary(r) for r in kb.roles.values()],
    }


def roles_cmd(as_json: JsonOption = False) -> None:
    """List the roles of the knowledge base with their summary and counts."""
    with user_errors(as_json):
        kb = load_kb()
        if as_json:
            emit_json(roles_overview(kb))
            return
        table = Table(title=f"careerlens roles (knowledge base {kb.meta.version})")
        table.add_column("role", style="bold", no_wrap=True)
        table.add_column("tech", justify="center")
        table.add_column("skills", justify="right")
        table.add_column("moves", justify="right")
        table.add_column("summary", overflow="fold", ratio=1)
        for r in kb.roles.values():
            table.add_row(
                r.id,
                "yes" if r.technical else "",
                f"{len(r.skills)}",
                str(len(r.ladder)),
                f"{r.name}: {r.summary}",
            )
        console.print(table)
        console.print(
            "Details of one role: careerlens role ROLE  (id, name or alias, e.g. mle, 'AI Engineer')"
        )


def _print_role(kb: KnowledgeBase, role: Role) -> None:
    console.print(f"[bold]{role.name}[/] ({role.id}){'' if role.technical else ' — non-technical'}")
    console.print(role.summary)
    if role.aliases:
        console.print(f"[dim]also called:[/] {', '.join(role.aliases)}")
    codes = role.codes
    if codes.onet or codes.esco:
        parts = [
            f"O*NET {codes.onet} {codes.onet_title or ''}".strip() if codes.onet else "",
            codes.esco or "",
        ]
        console.print(f"[dim]occupation codes:[/] {'; '.join(p for p in parts if p)}")
    if role.responsibilities:
        console.print("\n[bold]Responsibilities[/]")
        for item in role.responsibilities:
            console.print(f"  • {item}")
    if role.skills:
        console.print("\n[bold]Skills[/] (weight: core 3, important 2, nice to have 1)")
        for weight in WEIGHT_VALUES:
            ids = role.skill_ids(weight)
            if ids:
                console.print(f"  {weight.replace('_', ' ')} ({WEIGHT_VALUES[weight]}): {', '.join(ids)}")
    if role.tools:
        console.print(f"\n[bold]Tools[/]: {', '.join(role.tools)}")
    if role.levels:
        console.print("\n[bold]Levels[/]")
        for lv in role.levels:
            console.print(f"  {lv.id:<9} {lv.typical_years:>6} yrs  {lv.description}")
    if role.differs_from:
        console.print("\n[bold]How it differs[/]")
        for d in role.differs_from:
            console.print(f"  vs {kb.roles[d.role].name}: {d.note}")
    if role.ladder:
        console.print("\n[bold]Ladder[/] (moves from this role)")
        for e in role.ladder:
            target = kb.roles[e.to].name
            console.print(f"  {e.from_level} → {target} {e.to_level} [dim]({e.kind})[/]: {e.note}")


def role_cmd(
    role: Annotated[
        str, typer.Argument(help="Role id, name or alias, e.g. mle, 'AI Engineer', data_scientist.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one role: summary, responsibilities, weighted skills, tools, levels and ladder moves."""
    with user_errors(as_json):
        kb = load_kb()
        found = kb.role(role)
        if as_json:
            emit_json(found.model_dump(mode="json"))
            return
        _print_role(kb, found)


@kb_app.command("check")
def check_cmd(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Directory holding roles.toml (and optionally skills.toml); default: the bundled files.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate the knowledge-base files; exit code 2 with the file, entry and field of the first problem."""
    with user_errors(as_json):
        kb = load_kb(data_dir)
        result = {
            "ok": True,
            "dir": str(data_dir) if data_dir else "bundled",
            "kb_version": kb.meta.version,
            "roles": len(kb.roles),
            "skills": len(kb.skills),
            "ladder_edges": len(kb.ladder_edges()),
        }
        if as_json:
            emit_json(result)
        else:
            console.print(
                f"ok: {result['roles']} roles, {result['skills']} skills, "
                f"{result['ladder_edges']} ladder edges (knowledge base {kb.meta.version}, {result['dir']})"
            )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("roles")(roles_cmd)
    app.command("role")(role_cmd)
    app.add_typer(kb_app, name="kb")
