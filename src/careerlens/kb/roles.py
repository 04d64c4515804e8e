"""The role knowledge base (kb/data/roles.toml): roles, their weighted skills, levels and career-ladder edges.

``load_kb()`` reads roles.toml and the skill lexicon, validates both with Pydantic and cross-checks them;
every problem is a ``KnowledgeBaseError`` naming the file, the role id and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field, field_validator

from careerlens.errors import KnowledgeBaseError, UnknownRoleError
from careerlens.kb.skills import DATA_DIR, SKILLS_FILE, Skill, load_skills, pydantic_field, read_toml

ROLES_FILE = "roles.toml"
MIN_SKILLS_TECHNICAL = 15

LevelId = Literal["entry", "mid", "senior", "lead", "executive"]
LEVEL_ORDER: tuple[str, ...] = ("entry", "mid", "senior", "lead", "executive")
Weight = Literal["core", "important", "nice_to_have"]
WEIGHT_VALUES: dict[str, int] = {"core": 3, "important": 2, "nice_to_have": 1}
EdgeKind = Literal["promotion", "lateral", "management", "specialist"]

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ONET_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_NON_ALNUM = re.compile(r"[^0-9a-z+#]+")


def normalize_name(text: str) -> str:
    """Case- and punctuation-insensitive key of a role name: 'AI-Engineer' → 'ai engineer'."""
    return " ".join(_NON_ALNUM.sub(" ", text.casefold().replace("&", " and ")).split())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSkill(_Model):
    """A skill of a role with its weight: core (3), important (2) or nice to have (1)."""

    skill: str = Field(min_length=1)
    weight: Weight

    @computed_field  # type: ignore[prop-decorator]
    @property
    def weight_value(self) -> int:
        return WEIGHT_VALUES[self.weight]


class Level(_Model):
    """A seniority level of a role with its typical years of experience."""

    id: LevelId
    description: str = Field(min_length=1)
    years_min: int = Field(ge=0)
    years_max: int | None = Field(default=None, ge=0)

    @property
    def typical_years(self) -> str:
        return f"{self.years_min}+" if self.years_max is None else f"{self.years_min}–{self.years_max}"


class LadderEdge(_Model):
    """One move on the career ladder: from a level of this role to a level of ``to`` (maybe the same role)."""

    to: str = Field(min_length=1)
    from_level: LevelId
    to_level: LevelId
    kind: EdgeKind
    note: str = Field(min_length=1)
    from_role: str = ""  # filled in by the loader with the id of the role that declares the edge


class Codes(_Model):
    """Occupation codes: O*NET-SOC code (with its title) and ESCO label, only where the match is sure."""

    onet: str | None = None
    onet_title: str | None = None
    esco: str | None = None
    esco_uri: str | None = None
    note: str | None = None  # how close the match is, where the occupation is broader than the role

    @field_validator("onet")
    @classmethod
    def _onet_format(cls, v: str | None) -> str | None:
        if v is not None and not _ONET_RE.match(v):
            raise ValueError("an O*NET-SOC code looks like 15-2051.00")
        return v


class Difference(_Model):
    """How a role differs from a neighbouring role."""

    role: str = Field(min_length=1)
    note: str = Field(min_length=1)


class Role(_Model):
    id: str
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    technical: bool
    summary: str = Field(min_length=1)
    responsibilities: list[str] = Field(default_factory=list)
    skills: list[RoleSkill] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    typical_titles: list[str] = Field(default_factory=list)
    codes: Codes = Field(default_factory=Codes)
    differs_from: list[Difference] = Field(default_factory=list)
    ladder: list[LadderEdge] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_format(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("a role id is lower_snake_case, e.g. machine_learning_engineer")
        return v

    @property
    def title_patterns(self) -> list[str]:
        """The title patterns of a role are its typical titles."""
        return self.typical_titles

    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.levels]

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def skill_ids(self, weight: str | None = None) -> list[str]:
        return [s.skill for s in self.skills if weight is None or s.weight == weight]

    def skill_weights(self) -> dict[str, int]:
        """Skill id → weight value (3 core, 2 important, 1 nice to have)."""
        return {s.skill: s.weight_value for s in self.skills}


class Source(_Model):
    name: str = Field(min_length=1)
    url: str | None = None
    used_for: str | None = None


class Meta(_Model):
    version: str = Field(min_length=1)
    updated: dt.date
    sources: list[Source] = Field(min_length=1)
    licence: str | None = None


class PathStep(_Model):
    """A node (role, level) on a ladder path with the edge used to reach it (None for the start)."""

    role: str
    level: str
    edge: LadderEdge | None = None


class KnowledgeBase:
    """Roles, skills and the career-ladder graph; build it with ``load_kb()``."""

    def __init__(self, roles: dict[str, Role], skills: dict[str, Skill], meta: Meta) -> None:
        self.roles = roles
        self.skills = skills
        self.meta = meta
        self._names: dict[str, str] = {}
        for role in roles.values():
            for key in (role.id, role.name, *role.aliases):
                self._names[normalize_name(key)] = role.id

    def __repr__(self) -> str:
        n_roles, n_skills = len(self.roles), len(self.skills)
        return f"KnowledgeBase(roles={n_roles}, skills={n_skills}, version={self.meta.version!r})"

    def role_ids(self) -> list[str]:
        return list(self.roles)

    def resolve(self, name_or_alias: str) -> str | None:
        """The role id that a name, id or alias (any case/punctuation) names, or None."""
        return self._names.get(normalize_name(name_or_alias))

    def role(self, name_or_alias: str) -> Role:
        """The role named by an id, name or alias (any case/punctuation); else UnknownRoleError."""
        role_id = self.resolve(name_or_alias)
        if role_id is None:
            raise UnknownRoleError(name_or_alias, known=self.role_ids())
        return self.roles[role_id]

    def ladder_edges(self) -> list[tuple[str, str, LadderEdge]]:
        """Every ladder edge as (from role id, to role id, edge)."""
        return [(r.id, e.to, e) for r in self.roles.values() for e in r.ladder]

    def next_steps(self, role_id: str, level: str) -> list[LadderEdge]:
        """The moves open from a role at a level (role id, name or alias accepted)."""
        role = self.role(role_id)
        return [e for e in role.ladder if e.from_level == level]

    def shortest_path(
        self, from_role: str, from_level: str, to_role: str, to_level: str | None = None
    ) -> list[PathStep]:
        """Fewest ladder moves from (role, level) to (role, level); any level of to_role if to_level is None.

        The result starts with the start node (edge None) and each later step names the edge used to reach it;
        an empty list means the target cannot be reached on the ladder.
        """
        start = (self.role(from_role).id, from_level)
        target_role = self.role(to_role).id

        def is_goal(node: tuple[str, str]) -> bool:
            return node[0] == target_role and (to_level is None or node[1] == to_level)

        prev: dict[tuple[str, str], tuple[tuple[str, str], LadderEdge] | None] = {start: None}
        queue: deque[tuple[str, str]] = deque([start])
        while queue:
            node = queue.popleft()
            if is_goal(node):
                steps: list[PathStep] = []
                cur: tuple[str, str] | None = node
                while cur is not None:
                    back = prev[cur]
                    steps.append(PathStep(role=cur[0], level=cur[1], edge=back[1] if back else None))
                    cur = back[0] if back else None
                return steps[::-1]
            for edge in self.roles[node[0]].ladder:
                if edge.from_level != node[1]:
                    continue
                nxt = (edge.to, edge.to_level)
                if nxt not in prev:
                    prev[nxt] = (node, edge)
                    queue.append(nxt)
        return []


# ---------------------------------------------------------------------------------------------------- loading


def _validation_error(exc: ValidationError, file: str, item: str) -> KnowledgeBaseError:
    err = exc.errors()[0]
    msg = str(err["msg"])
    if err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] == "extra_forbidden":
        msg = "unknown field"
    extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return KnowledgeBaseError(
        msg + extra, file=file, item=item, field=pydantic_field(tuple(err["loc"])) or None
    )


def _parse_roles(data: dict[str, Any], file: str) -> tuple[dict[str, Role], Meta]:
    try:
        meta = Meta.model_validate(data.get("meta", {}))
    except ValidationError as exc:
        raise _validation_error(exc, file, "meta") from None
    entries = data.get("role")
    if not isinstance(entries, list) or not entries:
        raise KnowledgeBaseError("expected a list of [[role]] tables", file=file, field="role")
    unknown_top = set(data) - {"meta", "role"}
    if unknown_top:
        raise KnowledgeBaseError(f"unknown top-level table(s): {', '.join(sorted(unknown_top))}", file=file)
    roles: dict[str, Role] = {}
    for i, raw in enumerate(entries):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        item: str = raw_id if isinstance(raw_id, str) and raw_id else f"#{i + 1}"
        try:
            role = Role.model_validate(raw)
        except ValidationError as exc:
            raise _validation_error(exc, file, item) from None
        if role.id in roles:
            raise KnowledgeBaseError("duplicate role id", file=file, item=role.id, field="id")
        ladder = [e.model_copy(update={"from_role": role.id}) for e in role.ladder]
        roles[role.id] = role.model_copy(update={"ladder": ladder})
    return roles, meta


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup


def _levels(role: Role) -> str:
    return ", ".join(role.level_ids()) or "none"


def _cross_check(roles: dict[str, Role], skills: dict[str, Skill], file: str) -> None:
    owner: dict[str, str] = {}
    for role in roles.values():
        # names: no id, name or alias may name two roles
        for field, values in (("id", [role.id]), ("name", [role.name]), ("aliases", role.aliases)):
            for j, value in enumerate(values):
                key = normalize_name(value)
                where = f"aliases[{j}]" if field == "aliases" else field
                if not key:
                    raise KnowledgeBaseError("empty name", file=file, item=role.id, field=where)
                other = owner.get(key)
                if other is not None and other != role.id:
                    raise KnowledgeBaseError(
                        f"{value!r} already names role {other!r}", file=file, item=role.id, field=where
                    )
                owner[key] = role.id
        # skills
        for j, rs in enumerate(role.skills):
            if rs.skill not in skills:
                raise KnowledgeBaseError(
                    f"unknown skill {rs.skill!r} (not in {SKILLS_FILE})",
                    file=file,
                    item=role.id,
                    field=f"skills[{j}].skill",
                    hint=f"use a canonical skill id of {SKILLS_FILE} or append the skill there",
                )
        dup = _duplicates(role.skill_ids())
        if dup:
            raise KnowledgeBaseError(
                f"skill(s) listed twice: {', '.join(dup)}", file=file, item=role.id, field="skills"
            )
        if role.technical and len(role.skills) < MIN_SKILLS_TECHNICAL:
            raise KnowledgeBaseError(
                f"a technical role needs at least {MIN_SKILLS_TECHNICAL} skills, found {len(role.skills)}",
                file=file,
                item=role.id,
                field="skills",
            )
        dup = _duplicates(role.level_ids())
        if dup:
            raise KnowledgeBaseError(
                f"level(s) listed twice: {', '.join(dup)}", file=file, item=role.id, field="levels"
            )
        for j, diff in enumerate(role.differs_from):
            if diff.role not in roles:
                raise KnowledgeBaseError(
                    f"unknown role {diff.role!r}", file=file, item=role.id, field=f"differs_from[{j}].role"
                )
    # ladder edges: targets exist and both ends are levels the roles have
    for role in roles.values():
        for j, edge in enumerate(role.ladder):
            if edge.to not in roles:
                raise KnowledgeBaseError(
                    f"ladder edge to unknown role {edge.to!r}",
                    file=file,
                    item=role.id,
                    field=f"ladder[{j}].to",
                )
            if edge.from_level not in role.level_ids():
                raise KnowledgeBaseError(
                    f"level {edge.from_level!r} is not a level of {role.id!r} ({_levels(role)})",
                    file=file,
                    item=role.id,
                    field=f"ladder[{j}].from_level",
                )
            target = roles[edge.to]
            if edge.to_level not in target.level_ids():
                raise KnowledgeBaseError(
                    f"level {edge.to_level!r} is not a level of {target.id!r} ({_levels(target)})",
                    file=file,
                    item=role.id,
                    field=f"ladder[{j}].to_level",
                )
            if edge.to == role.id and edge.to_level == edge.from_level:
                raise KnowledgeBaseError(
                    "ladder edge loops onto itself", file=file, item=role.id, field=f"ladder[{j}]"
                )


def build_kb(roles_data: dict[str, Any], skills: dict[str, Skill], file: str = ROLES_FILE) -> KnowledgeBase:
    """Validate parsed roles.toml data against a skill lexicon and build the KnowledgeBase."""
    roles, meta = _parse_roles(roles_data, file)
    _cross_check(roles, skills, file)
    return KnowledgeBase(roles, skills, meta)


def _load(data_dir: Path) -> KnowledgeBase:
    skills_path = data_dir / SKILLS_FILE
    # a directory holding only roles.toml (e.g. a test copy) is checked against the bundled skill lexicon
    skills = load_skills(skills_path if skills_path.exists() else None)
    return build_kb(read_toml(data_dir / ROLES_FILE), skills, ROLES_FILE)


@lru_cache(maxsize=1)
def _load_default() -> KnowledgeBase:
    return _load(DATA_DIR)


def load_kb(data_dir: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base (roles.toml + skills.toml) from data_dir, else the bundled files.

    The bundled knowledge base is loaded once and cached.
    """
    if data_dir is None:
        return _load_default()
    return _load(Path(data_dir))
