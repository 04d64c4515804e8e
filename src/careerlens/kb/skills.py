"""The skill lexicon (kb/data/skills.toml): canonical skills, their category and the spellings naming them."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from careerlens.errors import KnowledgeBaseError

DATA_DIR = Path(__file__).parent / "data"
SKILLS_FILE = "skills.toml"

SkillCategory = Literal[
    "math_statistics",
    "programming",
    "ml_frameworks",
    "ml_methods",
    "data_processing",
    "databases",
    "mlops",
    "cloud",
    "genai",
    "nlp",
    "cv",
    "software_engineering",
    "devops",
    "analytics_bi",
    "product_business",
    "collaboration",
    "os",
    "other",
]


class Skill(BaseModel):
    """One canonical skill of the lexicon."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    category: SkillCategory
    aliases: list[str] = Field(default_factory=list)
    vocab_type: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_trimmed(cls, v: str) -> str:
        if v != v.strip():
            raise ValueError("skill id must not start or end with whitespace")
        return v

    @property
    def name(self) -> str:
        return self.id


def pydantic_field(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into a field path: ('skills', 3, 'weight') → 'skills[3].weight'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing file or a syntax error becomes a KnowledgeBaseError naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise KnowledgeBaseError("file not found", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"TOML syntax error: {exc}", file=path.name) from None


def _parse_skills(data: dict[str, Any], file: str) -> dict[str, Skill]:
    entries = data.get("skill")
    if not isinstance(entries, list):
        raise KnowledgeBaseError("expected a list of [[skill]] tables", file=file, field="skill")
    skills: dict[str, Skill] = {}
    alias_owner: dict[str, str] = {}
    for i, raw in enumerate(entries):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        item: str = raw_id if isinstance(raw_id, str) and raw_id else f"#{i + 1}"
        try:
            skill = Skill.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise KnowledgeBaseError(
                str(err["msg"]), file=file, item=item, field=pydantic_field(tuple(err["loc"])) or None
            ) from None
        if skill.id in skills:
            raise KnowledgeBaseError("duplicate skill id", file=file, item=skill.id, field="id")
        skills[skill.id] = skill
    # aliases: no spelling may name two skills (an alias equal to another skill's id counts too)
    for sid in skills:
        alias_owner[sid.casefold()] = sid
    for skill in skills.values():
        for j, alias in enumerate(skill.aliases):
            key = alias.casefold()
            owner = alias_owner.get(key)
            if owner is not None and owner != skill.id:
                raise KnowledgeBaseError(
                    f"alias {alias!r} is already used by skill {owner!r}",
                    file=file,
                    item=skill.id,
                    field=f"aliases[{j}]",
                )
            alias_owner[key] = skill.id
    return skills


@lru_cache(maxsize=1)
def _load_default_skills() -> dict[str, Skill]:
    path = DATA_DIR / SKILLS_FILE
    return _parse_skills(read_toml(path), SKILLS_FILE)


def load_skills(path: Path | None = None) -> dict[str, Skill]:
    """Load and validate the skill lexicon; every problem raises KnowledgeBaseError(file, item, field)."""
    if path is None:
        return dict(_load_default_skills())
    path = Path(path)
    return _parse_skills(read_toml(path), path.name)
