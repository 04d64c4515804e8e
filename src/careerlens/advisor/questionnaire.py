"""Questionnaire answers: read them from a TOML/JSON file or ask them with Rich prompts, and turn them into
each role's preference effects (the effects are data in kb/data/questions.toml)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from careerlens.advisor.models import Preferences
from careerlens.errors import InputError
from careerlens.kb.questions import Question, Questionnaire, load_questionnaire

AnswerValue = str | int | list[str]
SKILLS_KEY = "skills"  # optional answer: skills the user has, for users without a resume


def _canonical_skills(value: Any, file: str) -> list[str]:
    """Skill names (ids or aliases of the lexicon, any case) → canonical ids; unknown names are an error."""
    from careerlens.kb.skills import load_skills

    names = value if isinstance(value, list) else str(value).split(",")
    lookup: dict[str, str] = {}
    for skill in load_skills().values():
        lookup[skill.id.casefold()] = skill.id
        for alias in skill.aliases:
            lookup.setdefault(alias.casefold(), skill.id)
    out: list[str] = []
    for name in names:
        key = str(name).strip().casefold()
        if not key:
            continue
        if key not in lookup:
            raise InputError(
                f"unknown skill {str(name).strip()!r}",
                file=file,
                field=SKILLS_KEY,
                hint="use skill names of the lexicon (see `careerlens kb skills`)",
            )
        if lookup[key] not in out:
            out.append(lookup[key])
    return out


def load_answers_file(path: str | Path) -> dict[str, Any]:
    """Read an answers file (TOML or JSON, by content); a top-level ``[answers]`` table is accepted too."""
    p = Path(path)
    if not p.is_file():
        raise InputError(
            "answers file not found", file=str(path), hint="pass a TOML or JSON file to --answers"
        )
    text = p.read_text(encoding="utf-8-sig", errors="replace")
    data: Any
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc}", file=p.name) from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(
                f"invalid TOML: {exc}", file=p.name, hint='write one `question_id = "option"` per line'
            ) from None
    if not isinstance(data, dict):
        raise InputError("expected a table of question id → answer", file=p.name)
    if isinstance(data.get("answers"), dict):
        data = data["answers"]
    return dict(data)


def _option_hint(q: Question) -> str:
    if q.kind == "number":
        return f"answer {q.id} with a whole number from {q.min} to {q.max}"
    return f"choose one of: {', '.join(o.id for o in q.options)}"


def validate_answers(
    raw: Mapping[str, Any], questionnaire: Questionnaire | None = None, *, file: str = "answers"
) -> Preferences:
    """Check answers against the questionnaire and sum each role's effects; errors name file and question."""
    qn = questionnaire or load_questionnaire()
    answers: dict[str, AnswerValue] = {}
    effects: dict[str, int] = {}
    lo: dict[str, int] = {}
    hi: dict[str, int] = {}
    reasons: dict[str, list[str]] = {}
    against: dict[str, list[str]] = {}
    prefs: dict[str, Any] = {}
    for qid, value in raw.items():
        if qid == SKILLS_KEY:
            prefs["skills"] = _canonical_skills(value, file)
            continue
        q = qn.question(str(qid))
        if q is None:
            raise InputError(
                f"unknown question {qid!r}",
                file=file,
                field=str(qid),
                hint="known questions: " + ", ".join(x.id for x in qn.questions),
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if q.kind == "number":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise InputError(
                    f"{value!r} is not a whole number", file=file, field=q.id, hint=_option_hint(q)
                ) from None
            assert q.min is not None and q.max is not None
            if not q.min <= number <= q.max:
                raise InputError(f"{number} is out of range", file=file, field=q.id, hint=_option_hint(q))
            answers[q.id] = number
            if q.use == "years":
                prefs["years"] = number
            continue
        values = value if isinstance(value, list) else [v for v in str(value).split(",") if v.strip()]
        if q.kind == "choice" and len(values) != 1:
            raise InputError("expected exactly one option", file=file, field=q.id, hint=_option_hint(q))
        chosen = []
        for v in values:
            opt = q.option(str(v))
            if opt is None:
                raise InputError(f"invalid option {v!r}", file=file, field=q.id, hint=_option_hint(q))
            chosen.append(opt)
        answers[q.id] = chosen[0].id if q.kind == "choice" else [o.id for o in chosen]
        if q.use == "region":
            prefs["region"] = chosen[0].value
        elif q.use == "current_role":
            prefs["current_role"] = chosen[0].value
        elif q.use == "level":
            prefs["level"] = chosen[0].value
        elif q.use == "industry":
            prefs["industries"] = [o.id for o in chosen if o.id != "any"]
        if q.use not in ("preference", "industry"):
            continue
        roles = {r for o in q.options for r in o.effects}
        for role in roles:
            got = sum(o.effects.get(role, 0) for o in chosen)
            effects[role] = effects.get(role, 0) + got
            # the range this question could have moved the role, for normalising to 0..1
            per_option = [o.effects.get(role, 0) for o in q.options]
            if q.kind == "multi":
                lo[role] = lo.get(role, 0) + sum(x for x in per_option if x < 0)
                hi[role] = hi.get(role, 0) + sum(x for x in per_option if x > 0)
            else:
                lo[role] = lo.get(role, 0) + min(0, *per_option)
                hi[role] = hi.get(role, 0) + max(0, *per_option)
            labels = "; ".join(o.label for o in chosen if o.effects.get(role, 0))
            if got > 0:
                reasons.setdefault(role, []).append(f"you chose “{labels}” ({q.id}, +{got})")
            elif got < 0:
                against.setdefault(role, []).append(f"you chose “{labels}” ({q.id}, {got})")
    return Preferences(
        answers=answers,
        effects=effects,
        effect_min=lo,
        effect_max=hi,
        reasons=reasons,
        against=against,
        **prefs,
    )


def load_answers(path: str | Path, questionnaire: Questionnaire | None = None) -> Preferences:
    """Read and validate an answers file (TOML or JSON)."""
    return validate_answers(load_answers_file(path), questionnaire, file=Path(path).name)


Asker = Callable[[Question], AnswerValue | None]


def ask_interactive(
    questionnaire: Questionnaire | None = None, asker: Asker | None = None, *, ask_skills: bool = False
) -> Preferences:
    """Ask every question (Rich prompts by default; ``asker`` lets another front end supply the answers).

    With ``ask_skills`` (no resume given) the user is also asked for the skills they have; unknown names are
    reported and left out rather than failing the whole questionnaire.
    """
    qn = questionnaire or load_questionnaire()
    ask = asker or rich_asker()
    raw: dict[str, AnswerValue] = {}
    for q in qn.questions:
        value = ask(q)
        if value is not None:
            raw[q.id] = value
    if ask_skills and asker is None:
        raw[SKILLS_KEY] = _ask_skills()
    return validate_answers(raw, qn, file="interactive answers")


def _ask_skills() -> list[str]:
    from rich.console import Console
    from rich.prompt import Prompt

    console = Console(stderr=True)
    text = Prompt.ask(
        "\n[bold]Which skills do you already have?[/] (comma separated, e.g. python, sql; empty to skip)",
        default="",
        show_default=False,
        console=console,
    )
    known: list[str] = []
    for name in [t.strip() for t in text.split(",") if t.strip()]:
        try:
            known.extend(_canonical_skills([name], "interactive answers"))
        except InputError:
            console.print(f"  [yellow]skipped unknown skill {name!r}[/]")
    return known


def rich_asker() -> Asker:
    """A question asker that prints numbered options and reads the choice with Rich prompts.

    Prompts go to stderr so that `--json` output on stdout stays clean.
    """
    from rich.console import Console
    from rich.prompt import IntPrompt, Prompt

    console = Console(stderr=True)

    def ask(q: Question) -> AnswerValue | None:
        console.print(f"\n[bold]{q.text}[/]")
        if q.kind == "number":
            while True:
                years = IntPrompt.ask("  years", default=q.min or 0, console=console)
                if q.min is not None and q.max is not None and q.min <= years <= q.max:
                    return years
                console.print(f"  [red]please enter a number from {q.min} to {q.max}[/]")
        for i, o in enumerate(q.options, 1):
            console.print(f"  [cyan]{i:>2}[/] {o.label}")
        choices = [str(i) for i in range(1, len(q.options) + 1)]
        if q.kind == "choice":
            picked = IntPrompt.ask("  your choice", choices=choices, show_choices=False, console=console)
            return q.options[picked - 1].id
        while True:
            text = Prompt.ask(
                "  your choices (numbers, comma separated)", default=str(len(q.options)), console=console
            )
            parts = [p.strip() for p in text.split(",") if p.strip()]
            if parts and all(p in choices for p in parts):
                return [q.options[int(p) - 1].id for p in parts]
            console.print("  [red]please enter option numbers separated by commas[/]")

    return ask
