"""The advisor's questionnaire (questions.toml) and the skill prerequisite graph (skill_prereqs.toml).

Both are data, validated like the rest of the knowledge base: every problem is a ``KnowledgeBaseError`` naming
the file, the question (or skill) and the field. An option's effect on each role's fit lives in the data file,
so tuning the questionnaire never needs a code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from careerlens.errors import KnowledgeBaseError
from careerlens.kb.skills import DATA_DIR, load_skills, pydantic_field, read_toml

QUESTIONS_FILE = "questions.toml"
PREREQS_FILE = "skill_prereqs.toml"

QuestionKind = Literal["choice", "multi", "number"]
QuestionUse = Literal["preference", "industry", "region", "current_role", "level", "years"]
Stage = Literal["foundations", "core", "specialisation"]
STAGES: tuple[str, ...] = ("foundations", "core", "specialisation")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    """One answer to a question; ``effects`` moves each role's fit up or down."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    value: str | None = None
    effects: dict[str, int] = Field(default_factory=dict)


class Question(_Model):
    """A questionnaire item: a single choice, several choices, or a number."""

    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(min_length=1)
    kind: QuestionKind
    use: QuestionUse = "preference"
    options: list[Option] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.kind == "number":
            if self.options:
                raise ValueError("a number question has no options")
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError("a number question needs min <= max")
        elif len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique within a question")
        return self

    def option(self, option_id: str) -> Option | None:
        """The option with this id, label or value (case-insensitive), or None."""
        key = option_id.strip().casefold()
        for o in self.options:
            if key in (o.id.casefold(), o.label.casefold(), (o.value or "").casefold()):
                return o
        return None


class Questionnaire(_Model):
    version: str
    questions: list[Question]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def by_use(self, use: str) -> list[Question]:
        return [q for q in self.questions if q.use == use]


class SkillPrereqs(_Model):
    """skill → the skills worth learning first; plus an explicit plan stage for some skills."""

    requires: dict[str, list[str]]
    stage: dict[str, Stage] = Field(default_factory=dict)

    def prerequisites(self, skill: str) -> list[str]:
        return list(self.requires.get(skill, []))

    def closure(self, skills: Iterable[str]) -> set[str]:
        """The skills plus all their transitive prerequisites."""
        out: set[str] = set()
        stack = list(skills)
        while stack:
            s = stack.pop()
            if s in out:
                continue
            out.add(s)
            stack.extend(self.requires.get(s, []))
        return out

    def depth(self, skill: str) -> int:
        """Length of the longest prerequisite chain below a skill (0 for a skill with none)."""
        memo: dict[str, int] = {}

        def d(s: str) -> int:
            if s not in memo:
                memo[s] = 1 + max((d(p) for p in self.requires.get(s, [])), default=-1)
            return memo[s]

        return d(skill)

    def stage_of(self, skill: str) -> str:
        """Plan stage: explicit in the file, else by graph depth (0 foundations, 1–2 core, 3+ specialised)."""
        if skill in self.stage:
            return self.stage[skill]
        depth = self.depth(skill)
        return "foundations" if depth == 0 else "core" if depth <= 2 else "specialisation"


def _validation_error(exc: ValidationError, file: str, item: str) -> KnowledgeBaseError:
    err = exc.errors()[0]
    msg = {"missing": "required field is missing", "extra_forbidden": "unknown field"}.get(
        err["type"], str(err["msg"])
    )
    return KnowledgeBaseError(msg, file=file, item=item, field=pydantic_field(tuple(err["loc"])) or None)


def _default_role_ids() -> set[str]:
    from careerlens.kb.roles import load_kb

    return set(load_kb().roles)


def parse_questionnaire(
    data: dict[str, Any], file: str, role_ids: Iterable[str] | None = None
) -> Questionnaire:
    """Validate parsed questions.toml data: shape, unique ids, and effects naming known roles."""
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise KnowledgeBaseError("expected a list of [[question]] tables", file=file, field="question")
    known = set(role_ids) if role_ids is not None else _default_role_ids()
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        item = str(raw["id"]) if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{i + 1}"
        try:
            q = Question.model_validate(raw)
        except ValidationError as exc:
            raise _validation_error(exc, file, item) from None
        if q.id in seen:
            raise KnowledgeBaseError("duplicate question id", file=file, item=q.id, field="id")
        seen.add(q.id)
        questions.append(q)
        for j, opt in enumerate(q.options):
            for role in opt.effects:
                if role not in known:
                    raise KnowledgeBaseError(
                        f"unknown role {role!r} in effects",
                        file=file,
                        item=q.id,
                        field=f"options[{j}].effects.{role}",
                    )
            if q.use == "current_role" and opt.value is not None and opt.value not in known:
                raise KnowledgeBaseError(
                    f"unknown role {opt.value!r}", file=file, item=q.id, field=f"options[{j}].value"
                )
            if q.use in ("region", "current_role", "level", "years") and opt.effects:
                raise KnowledgeBaseError(
                    "a fact question (region, current role, level, years) has no effects",
                    file=file,
                    item=q.id,
                    field=f"options[{j}].effects",
                )
    version = str(data.get("meta", {}).get("version", "0"))
    return Questionnaire(version=version, questions=questions)


@lru_cache(maxsize=1)
def _default_questionnaire() -> Questionnaire:
    return parse_questionnaire(read_toml(DATA_DIR / QUESTIONS_FILE), QUESTIONS_FILE)


def load_questionnaire(path: Path | None = None, role_ids: Iterable[str] | None = None) -> Questionnaire:
    """Load and validate the questionnaire (the bundled one is cached)."""
    if path is None and role_ids is None:
        return _default_questionnaire()
    p = Path(path) if path is not None else DATA_DIR / QUESTIONS_FILE
    return parse_questionnaire(read_toml(p), p.name, role_ids)


def parse_prereqs(data: dict[str, Any], file: str, skill_ids: Iterable[str] | None = None) -> SkillPrereqs:
    """Validate parsed skill_prereqs.toml data: every id is a lexicon skill and the graph has no cycle."""
    known = set(skill_ids) if skill_ids is not None else set(load_skills())
    raw = {k: v for k, v in data.items() if k != "meta"}
    unknown_top = set(raw) - {"requires", "stage"}
    if unknown_top:
        raise KnowledgeBaseError(f"unknown top-level table(s): {', '.join(sorted(unknown_top))}", file=file)
    try:
        prereqs = SkillPrereqs.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        item = str(loc[1]) if len(loc) > 1 else None
        raise KnowledgeBaseError(
            str(err["msg"]), file=file, item=item, field=pydantic_field(loc) or None
        ) from None
    for skill, reqs in prereqs.requires.items():
        if skill not in known:
            raise KnowledgeBaseError(
                "unknown skill (not in skills.toml)", file=file, item=skill, field="requires"
            )
        for j, req in enumerate(reqs):
            if req not in known:
                raise KnowledgeBaseError(
                    f"unknown prerequisite {req!r} (not in skills.toml)",
                    file=file,
                    item=skill,
                    field=f"requires[{j}]",
                )
            if req == skill:
                raise KnowledgeBaseError(
                    "a skill cannot require itself", file=file, item=skill, field=f"requires[{j}]"
                )
    for skill in prereqs.stage:
        if skill not in known:
            raise KnowledgeBaseError(
                "unknown skill (not in skills.toml)", file=file, item=skill, field="stage"
            )
    cycle = find_cycle(prereqs.requires)
    if cycle:
        raise KnowledgeBaseError(
            "prerequisite cycle: " + " → ".join(cycle), file=file, item=cycle[0], field="requires"
        )
    return prereqs


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle of the graph as a list of nodes (first == last), or None when it is acyclic."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    parent: dict[str, str] = {}
    for root in graph:
        if colour.get(root, white) != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        colour[root] = grey
        while stack:
            node, idx = stack[-1]
            children = graph.get(node, [])
            if idx < len(children):
                stack[-1] = (node, idx + 1)
                child = children[idx]
                state = colour.get(child, white)
                if state == grey:
                    path = [child, node]
                    cur = node
                    while cur != child:
                        cur = parent[cur]
                        path.append(cur)
                    return path[::-1]
                if state == white:
                    colour[child] = grey
                    parent[child] = node
                    stack.append((child, 0))
            else:
                colour[node] = black
                stack.pop()
    return None


@lru_cache(maxsize=1)
def _default_prereqs() -> SkillPrereqs:
    return parse_prereqs(read_toml(DATA_DIR / PREREQS_FILE), PREREQS_FILE)


def load_prereqs(path: Path | None = None, skill_ids: Iterable[str] | None = None) -> SkillPrereqs:
    """Load and validate the skill prerequisite graph (the bundled one is cached)."""
    if path is None and skill_ids is None:
        return _default_prereqs()
    p = Path(path) if path is not None else DATA_DIR / PREREQS_FILE
    return parse_prereqs(read_toml(p), p.name, skill_ids)
