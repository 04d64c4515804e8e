"""Salaries: distribution of pay by role × level × region/country × year × company size."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from careerlens.analytics.models import SalaryStats
from careerlens.errors import InputError
from careerlens.normalize.geo import REGIONS
from careerlens.web import charts
from careerlens.web.api_models import ERROR_RESPONSES
from careerlens.web.deps import KBDep, SettingsDep, StoreDep, Text, feature
from careerlens.web.render import SOFT_ERRORS, clean, form_int, page

api = APIRouter(prefix="/api/v1", tags=["salary"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

LEVELS = ("entry", "mid", "senior", "lead", "executive", "unspecified")
SIZES = (("S", "small"), ("M", "medium"), ("L", "large"))


class SalaryQuery(BaseModel):
    """The salary filters shared by the API and the page; blank values mean no filter."""

    role: str = "mle"
    level: str | None = None
    region: str | None = None
    country: str | None = None
    year: int | None = None
    company_size: str | None = None

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if k != "role"}


def salary_query(
    role: Annotated[str, Query(min_length=1, max_length=80, description="role id, name or alias")] = "mle",
    level: Text = None,
    region: Text = None,
    country: Text = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    company_size: Annotated[str | None, Query(max_length=10, description="S, M or L")] = None,
) -> SalaryQuery:
    return SalaryQuery(
        role=role.strip() or "mle",
        level=clean(level),
        region=clean(region),
        country=clean(country),
        year=year,
        company_size=clean(company_size),
    )


QueryDep = Annotated[SalaryQuery, Depends(salary_query)]


def salary_page_query(
    role: Text = None,
    level: Text = None,
    region: Text = None,
    country: Text = None,
    year: Annotated[str | None, Query(max_length=10)] = None,
    company_size: Annotated[str | None, Query(max_length=10)] = None,
) -> tuple[SalaryQuery, dict[str, Any] | None]:
    """The page's form sends blank fields; an unusable year becomes a message next to the form."""
    error = None
    try:
        y = form_int(year, "year")
    except InputError as exc:
        y, error = None, exc.to_dict()
    q = SalaryQuery(
        role=clean(role) or "mle",
        level=clean(level),
        region=clean(region),
        country=clean(country),
        year=y,
        company_size=clean(company_size),
    )
    return q, error


def compute_salary(handle: Any, settings: Any, kb: Any, q: SalaryQuery, *, by_level: bool) -> SalaryStats:
    """One call into analytics.salary under the store lock."""
    salary_stats = feature("salary statistics", "careerlens.analytics.salary", "salary_stats")
    with handle.use() as store:
        result: SalaryStats = salary_stats(
            store, q.role, settings=settings, kb=kb, by_level=by_level, **q.filters()
        )
    return result


@api.get("/salary", response_model=SalaryStats)
def salary_api(
    q: QueryDep, store: StoreDep, settings: SettingsDep, kb: KBDep, by_level: bool = False
) -> SalaryStats:
    """Salary distribution (p10–p90, median with bootstrap CI, n) under filters; withheld below min n."""
    return compute_salary(store, settings, kb, q, by_level=by_level)


@api.get("/salary/by-level", response_model=list[SalaryStats])
def salary_by_level_api(q: QueryDep, store: StoreDep, settings: SettingsDep, kb: KBDep) -> list[SalaryStats]:
    """One salary distribution per level that has any job of the role (the level filter is ignored)."""
    salary_by_level = feature("salary statistics", "careerlens.analytics.salary", "salary_by_level")
    filters = q.filters()
    filters.pop("level")
    with store.use() as st:
        result: list[SalaryStats] = salary_by_level(st, q.role, settings=settings, kb=kb, **filters)
    return result


@pages.get("/salary", response_class=HTMLResponse)
def salary_page(
    request: Request,
    pq: Annotated[tuple[SalaryQuery, dict[str, Any] | None], Depends(salary_page_query)],
    store: StoreDep,
    settings: SettingsDep,
    kb: KBDep,
) -> HTMLResponse:
    q, error = pq
    stats: SalaryStats | None = None
    figs: dict[str, Any] = {}
    try:
        if error is None:
            stats = compute_salary(store, settings, kb, q, by_level=True)
    except SOFT_ERRORS as exc:  # a bad filter keeps the form on screen with the message
        error = exc.to_dict()
    if stats is not None:
        groups = [(lv.level, lv) for lv in stats.by_level or []]
        scope = ", ".join(f"{k}={v}" for k, v in q.filters().items() if v is not None) or "all jobs"
        if groups:
            figs["fig-salary-levels"] = charts.salary_boxes(
                groups, f"{stats.role_name}: salary by level ({scope})"
            )
    return page(
        request,
        "salary.html",
        active="salary",
        q=q,
        stats=stats,
        error=error,
        charts=figs,
        roles=list(kb.roles.values()),
        levels=LEVELS,
        regions=REGIONS,
        sizes=SIZES,
    )
