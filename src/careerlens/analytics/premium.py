"""Skill pay premium in job postings: the median advertised pay of a role's postings that mention a skill
against those that do not, within role × level × country, with n on both sides and a bootstrap 95 % interval.

Reads only ``agg_skill_premium`` (built by ``store.aggregates.refresh_aggregates``). A premium is association,
not cause: postings asking for a skill may differ in seniority, company and city within the same cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from careerlens.analytics.models import Interval, ResultModel
from careerlens.analytics.salary import (
    StoreLike,
    open_default_store,
    resolve_country,
    resolve_level,
    resolve_role,
)
from careerlens.analytics.skills import POSTINGS_CAVEATS, postings_source, query
from careerlens.analytics.stats import withheld_note
from careerlens.settings import Settings, get_settings
from careerlens.store.aggregates import ALL, MIN_CELL

PREMIUM_SCHEMA = "careerlens.premium/v1"
POPULATION_NOTE = (
    "Pay here is the pay advertised in job postings (USD/year; hourly pay × 2080), a different population "
    "from the salary-survey figures of `careerlens salary`: do not compare the two directly. "
    "Years and postings data sets are pooled."
)


class SkillPremiumRow(ResultModel):
    """Median pay with vs without one skill in one role × level × country cell."""

    skill: str
    n_with: int
    n_without: int
    median_with: float | None = None
    median_without: float | None = None
    premium_pct: float | None = Field(default=None, description="100·(median_with/median_without − 1)")
    ci_pct: Interval | None = Field(default=None, description="bootstrap 95 % interval of premium_pct")
    withheld: bool = False
    note: str | None = None


class SkillPremiumResult(ResultModel):
    """`careerlens premium`: pay premium of skills for a role, from postings with pay."""

    schema_: Literal["careerlens.premium/v1"] = Field(default="careerlens.premium/v1", alias="schema")
    role: str
    role_name: str
    level: str = Field(description="level id, or 'all' (levels pooled)")
    country: str = Field(description="ISO-2 country, or 'all' (countries pooled)")
    min_n: int = Field(
        description="a side below this many postings is withheld (never below the stored floor)"
    )
    n_postings: int = Field(description="salaried postings with skills in the cell (n_with + n_without)")
    rows: list[SkillPremiumRow] = Field(default_factory=list)
    population_note: str = POPULATION_NOTE
    note: str | None = None
    source: str
    caveats: list[str] = Field(default_factory=lambda: list(POSTINGS_CAVEATS))


def skill_premium(
    store: StoreLike,
    *,
    role: str,
    level: str | None = None,
    country: str | None = None,
    skill: str | None = None,
    min_n: int | None = None,
    settings: Settings | None = None,
    kb: Any | None = None,
) -> SkillPremiumResult:
    """Premium of each skill (or one skill) in a role × level × country cell; rows sorted by premium."""
    settings = settings or get_settings()
    min_n = max(MIN_CELL, settings.min_n if min_n is None else min_n)
    role_id, role_name = resolve_role(role, kb)
    lv = resolve_level(level) or ALL
    cc = resolve_country(country) or ALL
    sql = (
        "SELECT skill, n_with, n_without, median_with, median_without, premium_pct, ci_low, ci_high, "
        "withheld FROM agg_skill_premium WHERE role = ? AND level = ? AND country = ?"
    )
    params: list[Any] = [role_id, lv, cc]
    if skill:
        sql += " AND lower(skill) = lower(?)"
        params.append(skill.strip())
    rows = query(store, sql, params)
    result = SkillPremiumResult(
        role=role_id,
        role_name=role_name,
        level=lv,
        country=cc,
        min_n=min_n,
        n_postings=int(rows[0][1] + rows[0][2]) if rows else 0,
        source=postings_source(store),
    )
    for s, n_w, n_wo, med_w, med_wo, prem, lo, hi, stored_withheld in rows:
        row = SkillPremiumRow(skill=str(s), n_with=int(n_w), n_without=int(n_wo))
        note = withheld_note(min(int(n_w), int(n_wo)), min_n)
        if stored_withheld or note is not None or prem is None:
            row.withheld, row.note = True, note or withheld_note(min(int(n_w), int(n_wo)), MIN_CELL)
        else:
            row.median_with, row.median_without, row.premium_pct = float(med_w), float(med_wo), float(prem)
            row.ci_pct = Interval(low=float(lo), high=float(hi))
        result.rows.append(row)
    result.rows.sort(key=lambda r: (r.withheld, -(r.premium_pct or 0.0), -r.n_with, r.skill))
    if not rows:
        result.note = (
            "no salaried postings with skills in this cell"
            + (f" mention {skill!r}" if skill else "")
            + "; try without --level/--country"
        )
    elif all(r.withheld for r in result.rows):
        result.note = f"too few data: no skill has at least {min_n} salaried postings on both sides"
    return result


def premium(
    role: str,
    *,
    level: str | None = None,
    country: str | None = None,
    skill: str | None = None,
    min_n: int | None = None,
    db: str | Path | None = None,
) -> SkillPremiumResult:
    """Library entry point: the same path as `careerlens premium`."""
    settings = get_settings(db=db)
    with open_default_store(settings=settings) as store:
        return skill_premium(
            store, role=role, level=level, country=country, skill=skill, min_n=min_n, settings=settings
        )
