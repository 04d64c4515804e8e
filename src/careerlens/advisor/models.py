"""Result models of the advisor; the CLI prints them, the API serialises them, tests assert on them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ResumeKind = Literal["pdf", "docx", "txt", "md"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResumeText(_Model):
    """The text of a resume file and how it was read."""

    source: str
    kind: ResumeKind
    text: str
    pages: int | None = None
    columns_detected: bool = False


class Position(_Model):
    """A job on the resume: its title, dates and what the title classifier makes of it."""

    title: str
    start: dt.date
    end: dt.date | None = None  # None: still in this job
    role: str = "other"
    level: str = "unspecified"
    confidence: float = 0.0
    line: str = ""

    @property
    def current(self) -> bool:
        return self.end is None


class ResumeProfile(_Model):
    """What the advisor reads from a resume: skills, positions, years of experience, current role, level."""

    skills: list[str] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    years_experience: float = 0.0
    current_title: str | None = None
    current_role: str | None = None
    level: str = "entry"
    level_reason: str = ""
    degrees: list[str] = Field(default_factory=list)


class Preferences(_Model):
    """Validated questionnaire answers: each role's summed effects and the facts the user gave."""

    answers: dict[str, str | int | list[str]] = Field(default_factory=dict)
    effects: dict[str, int] = Field(default_factory=dict)
    effect_min: dict[str, int] = Field(default_factory=dict)
    effect_max: dict[str, int] = Field(default_factory=dict)
    reasons: dict[str, list[str]] = Field(default_factory=dict)  # role → "why" lines (positive)
    against: dict[str, list[str]] = Field(default_factory=dict)  # role → lines lowering it
    region: str | None = None
    current_role: str | None = None
    level: str | None = None
    years: int | None = None
    industries: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)


class UserProfile(_Model):
    """The merged picture of the user (resume + questionnaire) that fit, gaps and path work from."""

    skills: list[str] = Field(default_factory=list)
    current_role: str | None = None
    current_title: str | None = None
    level: str = "entry"
    level_reason: str = ""
    years_experience: float | None = None
    region: str | None = None
    industries: list[str] = Field(default_factory=list)
    past_roles: list[str] = Field(default_factory=list)
    degrees: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class RoleFit(_Model):
    """How well a role fits: a 0–100 score, its parts, and the reasons for and against."""

    role: str
    name: str
    rank: int = 0
    score: float
    skill_coverage: float | None = None
    preference: float | None = None
    experience: float = 0.0
    level_fit: float = 1.0
    matched_skills: list[str] = Field(default_factory=list)
    missing_core: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)


class Gap(_Model):
    """A skill the target role asks for that the user lacks, with the figures that rank it."""

    skill: str
    weight: str
    weight_value: int
    demand_share: float | None = None
    demand_n: int | None = None
    demand_source: str | None = None
    premium_usd: float | None = None
    premium_pct: float | None = None
    premium_n: int | None = None
    priority: float
    why: str


class SalaryRange(_Model):
    """Salary of one role × level in a region (USD/year); numbers are None when withheld."""

    role: str
    level: str
    region: str | None = None
    n: int = 0
    median: float | None = None
    p25: float | None = None
    p75: float | None = None
    median_ci: tuple[float, float] | None = None
    withheld: bool = True
    note: str = "no data"


class PathStep(_Model):
    """One step on the path from the current role to the target (or beyond it)."""

    role: str
    role_name: str
    level: str
    kind: str  # start | promotion | lateral | management | specialist | switch | next
    note: str = ""
    salary: SalaryRange
    skills_to_add: list[str] = Field(default_factory=list)
    typical_titles: list[str] = Field(default_factory=list)


class PlanItem(_Model):
    skill: str
    stage: str
    why: str
    prerequisites: list[str] = Field(default_factory=list)


class PlanStage(_Model):
    stage: str
    items: list[PlanItem] = Field(default_factory=list)


class Advice(_Model):
    """The whole answer to "which role should I choose?" (JSON schema careerlens.advice/v1)."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, serialize_by_alias=True, validate_by_alias=True
    )

    schema_: Literal["careerlens.advice/v1"] = Field(default="careerlens.advice/v1", alias="schema")
    generated: dt.date = Field(default_factory=dt.date.today)
    profile: UserProfile
    fits: list[RoleFit]
    target: str
    target_name: str
    target_level: str
    gaps: list[Gap] = Field(default_factory=list)
    path: list[PathStep] = Field(default_factory=list)
    plan: list[PlanStage] = Field(default_factory=list)
    data_source: str | None = None
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)
