"""Result models of the salary analytics and of ``compare``; the CLI prints them and the API serialises them.

Every figure carries ``n`` and ``source``. A figure with too few data is *withheld*: ``withheld`` is true, its
numbers are null and ``note`` says why ("too few data (n=12 < 30)"). Each top-level result has
``"schema": "careerlens.<kind>/v1"`` (see docs/json-schema.md); bump the version when a field changes meaning.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SALARY_SCHEMA = "careerlens.salary/v1"
COMPARE_SCHEMA = "careerlens.compare/v1"


class ResultModel(BaseModel):
    """Base of result models: fields dump by alias (``schema_`` → ``schema``) and accept either spelling."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True, validate_by_alias=True)


class Interval(ResultModel):
    """A confidence interval."""

    low: float
    high: float
    level: float = 0.95


class Cell(ResultModel):
    """One reported figure: how many data it rests on, where they come from, and whether it is withheld."""

    n: int = Field(description="number of jobs the figure rests on")
    source: str = Field(description="the data set(s) the figure comes from")
    withheld: bool = Field(
        default=False, description="true when n is below the minimum; numbers are then null"
    )
    note: str | None = Field(default=None, description="why a figure is withheld, or a caveat")


class SalaryCell(Cell):
    """Salary distribution of one group of jobs, USD per year."""

    p10: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p90: float | None = None
    median_ci: Interval | None = Field(default=None, description="percentile-bootstrap CI of the median")


class SalaryFilters(ResultModel):
    """The filters a salary figure was computed under (normalised: role id, ISO2 country, region name)."""

    role: str
    level: str | None = None
    region: str | None = None
    country: str | None = None
    year: int | None = None
    company_size: str | None = None


class LevelSalary(SalaryCell):
    """A salary cell of one level."""

    level: str


class _SalaryHead(ResultModel):
    """The leading fields of a salary result (a separate base so they come first in the JSON)."""

    schema_: Literal["careerlens.salary/v1"] = Field(default="careerlens.salary/v1", alias="schema")
    role: str = Field(description="role id of the knowledge base")
    role_name: str
    filters: SalaryFilters
    min_n: int


class SalaryStats(SalaryCell, _SalaryHead):
    """Salary figures for one role under filters; ``by_level`` breaks them down when asked for."""

    currency: Literal["USD"] = "USD"
    period: Literal["year"] = "year"
    by_level: list[LevelSalary] | None = None


class RoleSummary(ResultModel):
    id: str
    name: str
    summary: str
    responsibilities: list[str]


class SkillRow(ResultModel):
    """One skill of either role with its weight in each (None when the role does not list it)."""

    skill: str
    group: Literal["shared", "only_a", "only_b"]
    weight_a: str | None = None
    weight_b: str | None = None
    weight_value_a: int | None = None
    weight_value_b: int | None = None


class SkillComparison(ResultModel):
    shared: list[SkillRow]
    only_a: list[SkillRow]
    only_b: list[SkillRow]


class LevelPair(ResultModel):
    """Salary of both roles at one level ('all' for every level together)."""

    level: str
    a: SalaryCell
    b: SalaryCell


class StratumRow(ResultModel):
    key: dict[str, str | int | None]
    n_a: int
    n_b: int
    premium_pct: float
    weight: float


class Premium(Cell):
    """Matched premium of B over A: weighted mean, over strata of like jobs, of the median log-pay gap."""

    scope: str = Field(description="which jobs: 'all', 'level=senior', 'specialisation=genai', ...")
    role_a: str
    role_b: str
    estimate_pct: float | None = Field(
        None, description="(exp(d) − 1)·100, d = weighted median log difference"
    )
    ci_pct: Interval | None = Field(default=None, description="bootstrap CI (resampling within strata), in %")
    strata_by: list[str] = Field(description="columns that define a stratum")
    n_strata: int = 0
    n_strata_skipped: int = Field(default=0, description="strata with data where one side had too few jobs")
    min_per_stratum: int
    n_a: int = Field(default=0, description="jobs of role A in the strata used")
    n_b: int = Field(default=0, description="jobs of role B in the strata used")
    weighting: str = "n_a*n_b/(n_a+n_b)"
    strata: list[StratumRow] = Field(default_factory=list)


VerdictValue = Literal["supported", "not_supported", "contradicted", "inconclusive", "untestable"]


class Verdict(ResultModel):
    """A plain-language judgement of a claim, with the evidence it rests on."""

    claim: str
    verdict: VerdictValue
    explanation: str
    evidence: list[Premium] = Field(default_factory=list)


class Comparison(ResultModel):
    """Everything `careerlens compare A B` shows."""

    schema_: Literal["careerlens.compare/v1"] = Field(default="careerlens.compare/v1", alias="schema")
    a: RoleSummary
    b: RoleSummary
    skills: SkillComparison
    salary_by_level: list[LevelPair]
    premium: Premium
    premium_by_level: list[Premium]
    premium_genai: Premium | None = None
    genai_note: str | None = None
    verdicts: list[Verdict]
    source: str
    min_n: int
    # the postings context: careerlens.demand/v1, careerlens.skills/v1 and careerlens.converge/v1 objects
    demand: list[Any] = Field(default_factory=list, description="careerlens.demand/v1 of A and of B, by year")
    top_skills: list[Any] = Field(default_factory=list, description="careerlens.skills/v1 of A and of B")
    convergence: Any | None = Field(default=None, description="careerlens.converge/v1 of A and B, by year")
    postings_note: str | None = Field(
        default=None, description="why the postings context is missing, if it is"
    )
