"""Knowledge-base commands: `careerlens roles`, `careerlens role ROLE` and `careerlens kb check`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from careerlens.cli.common import JsonOption, console, emit_json, err_console, user_errors
from careerlens.errors import KnowledgeBaseError
from careerlens.kb.roles import WEIGHT_VALUES, KnowledgeBase, Role, load_kb
from careerlens.kb.skills import Skill

kb_app = typer.Typer(
    help="Check the knowledge-base data files (roles, skills, questionnaire, prerequisites, title rules).",
    no_args_is_help=True,
)


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
        "schema": "careerlens.roles/v1",
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


CHECK_SCHEMA = "careerlens.kb-check/v1"
QUESTIONS_FILE_NAME = "questions.toml"
PREREQS_FILE_NAME = "skill_prereqs.toml"
TITLES_FILE_NAME = "titles.toml"
CONTEXT_FILE_NAME = "skill_context.toml"


@dataclass
class FileCheck:
    """The verdict on one data file: ok (True), broken (False, with the error) or not checked (None)."""

    file: str
    path: str
    ok: bool | None = None
    error: str | None = None
    item: str | None = None
    field: str | None = None
    summary: str | None = None
    exc: KnowledgeBaseError | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "path": self.path,
            "ok": self.ok,
            "error": self.error,
            "item": self.item,
            "field": self.field,
            "summary": self.summary,
        }


@dataclass
class KbCheck:
    """Every file of `careerlens kb check`, in dependency order, and the figures of the files that passed."""

    data_dir: Path | None
    files: list[FileCheck] = field(default_factory=list)
    kb: KnowledgeBase | None = None
    questions: int | None = None
    prereq_skills: int | None = None

    @property
    def ok(self) -> bool:
        return all(f.ok is not False for f in self.files)

    @property
    def first_error(self) -> KnowledgeBaseError | None:
        return next((f.exc for f in self.files if f.exc is not None), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": CHECK_SCHEMA}
        err = self.first_error
        if err is not None:  # the error convention of every command, then the per-file report
            out |= err.to_dict()
        out |= {
            "ok": self.ok,
            "dir": str(self.data_dir) if self.data_dir else "bundled",
            "kb_version": self.kb.meta.version if self.kb else None,
            "roles": len(self.kb.roles) if self.kb else None,
            "skills": len(self.kb.skills) if self.kb else None,
            "ladder_edges": len(self.kb.ladder_edges()) if self.kb else None,
            "questions": self.questions,
            "prereq_skills": self.prereq_skills,
            "files": [f.to_dict() for f in self.files],
        }
        return out


def _locate(data_dir: Path | None, name: str, bundled_dir: Path) -> tuple[Path | None, str]:
    """The file to check and how to show it: the bundled one, or the one in ``data_dir`` (None if absent)."""
    if data_dir is None:
        return bundled_dir / name, f"{name} (bundled)"
    path = data_dir / name
    return (path if path.exists() else None), str(path)


def _run(check: FileCheck, fn: Callable[[], str]) -> None:
    """Run one file's loader; record its summary or its KnowledgeBaseError."""
    try:
        check.summary = fn()
        check.ok = True
    except KnowledgeBaseError as exc:
        check.ok, check.error, check.exc = False, exc.message, exc
        check.item, check.field = exc.item, exc.field


def _skip(check: FileCheck, why: str) -> None:
    check.ok, check.summary = None, f"not checked: {why}"


def check_knowledge_base(data_dir: Path | None = None) -> KbCheck:
    """Validate every data file of the knowledge base and the classifiers (the bundled ones, or those in
    ``data_dir``). A directory must hold roles.toml; without skills.toml its roles are checked against the
    bundled lexicon; the other files are checked only when they are there (against the directory's roles
    and skills)."""
    from careerlens.kb.questions import load_prereqs, load_questionnaire
    from careerlens.kb.roles import ROLES_FILE, build_kb
    from careerlens.kb.skills import DATA_DIR, SKILLS_FILE, load_skills, read_toml

    report = KbCheck(data_dir)
    skills: dict[str, Skill] = {}

    skills_path, label = _locate(data_dir, SKILLS_FILE, DATA_DIR)
    if skills_path is None:  # roles.toml needs a lexicon: the bundled one (as load_kb does)
        skills_path, label = DATA_DIR / SKILLS_FILE, f"{SKILLS_FILE} (bundled)"
    skills_check = FileCheck(SKILLS_FILE, label)
    report.files.append(skills_check)

    def _skills() -> str:
        skills.update(load_skills(skills_path))
        return f"{len(skills)} skills"

    _run(skills_check, _skills)

    roles_path = (data_dir or DATA_DIR) / ROLES_FILE
    roles_check = FileCheck(ROLES_FILE, str(roles_path) if data_dir else f"{ROLES_FILE} (bundled)")
    report.files.append(roles_check)

    def _roles() -> str:
        report.kb = build_kb(read_toml(roles_path), skills, ROLES_FILE)
        return f"{len(report.kb.roles)} roles, {len(report.kb.ladder_edges())} ladder edges"

    if skills_check.ok:
        _run(roles_check, _roles)
    else:
        _skip(roles_check, f"{SKILLS_FILE} has errors")

    q_path, label = _locate(data_dir, QUESTIONS_FILE_NAME, DATA_DIR)
    q_check = FileCheck(QUESTIONS_FILE_NAME, label)
    report.files.append(q_check)

    def _questions() -> str:
        assert report.kb is not None and q_path is not None
        report.questions = len(load_questionnaire(q_path, role_ids=report.kb.roles).questions)
        return f"{report.questions} questions"

    if q_path is None:
        _skip(q_check, f"not in {data_dir}")
    elif report.kb is not None:
        _run(q_check, _questions)
    else:
        _skip(q_check, f"its effects name roles, and {ROLES_FILE} has errors")

    p_path, label = _locate(data_dir, PREREQS_FILE_NAME, DATA_DIR)
    p_check = FileCheck(PREREQS_FILE_NAME, label)
    report.files.append(p_check)

    def _prereqs() -> str:
        assert p_path is not None
        prereqs = load_prereqs(p_path, skill_ids=skills)
        report.prereq_skills = len(prereqs.requires)
        edges = sum(len(v) for v in prereqs.requires.values())
        return f"{report.prereq_skills} skills, {edges} prerequisite edges, acyclic"

    if p_path is None:
        _skip(p_check, f"not in {data_dir}")
    elif skills_check.ok:
        _run(p_check, _prereqs)
    else:
        _skip(p_check, f"its ids are skills, and {SKILLS_FILE} has errors")

    report.files.append(_check_titles(data_dir, report.kb))
    report.files.append(_check_context(data_dir))
    return report


def _check_titles(data_dir: Path | None, kb: KnowledgeBase | None) -> FileCheck:
    """The title-classifier rules; their loader reads only the bundled file, so with DIR they are skipped."""
    from careerlens.normalize import title_rules

    if data_dir is not None:
        check = FileCheck(TITLES_FILE_NAME, str(data_dir / TITLES_FILE_NAME))
        why = (
            "the title-rule loader reads only the bundled normalize/data/titles.toml"
            if (data_dir / TITLES_FILE_NAME).exists()
            else f"not in {data_dir}"
        )
        _skip(check, why)
        return check
    check = FileCheck(TITLES_FILE_NAME, f"normalize/data/{TITLES_FILE_NAME} (bundled)")

    def _titles() -> str:
        try:
            rules = title_rules.load_rules()  # validates roles, levels and phrases; cached per process
        except (KeyError, TypeError) as exc:  # a table or key the loader needs is missing
            raise KnowledgeBaseError(
                f"missing or malformed table {exc}", file=f"normalize/data/{TITLES_FILE_NAME}"
            ) from None
        if kb is not None:
            for role in title_rules.ROLES:
                if role not in kb.roles:
                    raise KnowledgeBaseError(
                        f"the title classifier assigns role {role!r}, which roles.toml does not define",
                        file=f"normalize/data/{TITLES_FILE_NAME}",
                        item=role,
                    )
        roles_note = "every classifier role is in roles.toml" if kb is not None else "roles not cross-checked"
        return f"{len(rules.lexicon)} phrases; {roles_note}"

    _run(check, _titles)
    return check


def _check_context(data_dir: Path | None) -> FileCheck:
    """The context rules of the skill extractor (regular expressions compile, every rule names a skill)."""
    from careerlens.normalize.skills import CONTEXT_FILE, load_context_rules

    path, label = _locate(data_dir, CONTEXT_FILE_NAME, CONTEXT_FILE.parent)
    if data_dir is None:
        label = f"normalize/data/{CONTEXT_FILE_NAME} (bundled)"
    check = FileCheck(CONTEXT_FILE_NAME, label)
    if path is None:
        _skip(check, f"not in {data_dir}")
        return check

    def _context() -> str:
        assert path is not None
        rules, implies = load_context_rules(path)
        return f"{sum(len(r) for r in rules.values())} context rules, {len(implies)} implications"

    _run(check, _context)
    return check


@kb_app.command("check")
def check_cmd(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Directory holding roles.toml and optionally skills.toml (else the bundled lexicon), "
            "questions.toml, skill_prereqs.toml and skill_context.toml (each checked when present, against "
            "the directory's roles and skills); default: the bundled files.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate the knowledge-base files: roles, skills, questionnaire, skill prerequisites, title rules and
    skill-context rules. Each file is OK or names its problem (file, entry, field); exit code 2 on any."""
    report = check_knowledge_base(data_dir)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_check(report)
    if not report.ok:
        raise typer.Exit(2)


def _print_check(report: KbCheck) -> None:
    kb = report.kb
    where = str(report.data_dir) if report.data_dir else "bundled"
    if report.ok and kb is not None:
        console.print(
            f"ok: {len(kb.roles)} roles, {len(kb.skills)} skills, {len(kb.ladder_edges())} ladder edges "
            f"(knowledge base {kb.meta.version}, {where})",
            highlight=False,
            soft_wrap=True,
        )
    for f in report.files:
        if f.ok:
            line = f"  [green]OK[/]    {f.path}: {f.summary}"
        elif f.ok is None:
            line = f"  [yellow]SKIP[/]  {f.path}: {(f.summary or '').removeprefix('not checked: ')}"
        else:
            line = f"  [red]ERROR[/] {f.path}"
        console.print(line, highlight=False, soft_wrap=True)
    bad = [f for f in report.files if f.ok is False]
    for f in bad:
        err_console.print(f"[bold red]error:[/] {f.error}", highlight=False, soft_wrap=True)
    if bad:
        err_console.print(
            f"[yellow]hint:[/] {len(bad)} file(s) failed; fix them and run `careerlens kb check` again",
            highlight=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("roles")(roles_cmd)
    app.command("role")(role_cmd)
    app.add_typer(kb_app, name="kb")
