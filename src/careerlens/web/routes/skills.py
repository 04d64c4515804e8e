"""Skills and demand: what a role's postings ask for, postings over time, GenAI share, premiums."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from careerlens.analytics.converge import Convergence
from careerlens.analytics.demand import Demand
from careerlens.analytics.premium import SkillPremiumResult
from careerlens.analytics.skills import TopSkills
from careerlens.errors import CareerlensError, InputError
from careerlens.web import charts
from careerlens.web.api_models import ERROR_RESPONSES
from careerlens.web.deps import CacheDep, KBDep, LRUCache, SettingsDep, StoreDep, StoreHandle, Text, feature
from careerlens.web.render import SOFT_ERRORS, clean, form_int, page

api = APIRouter(prefix="/api/v1", tags=["skills and demand"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

Role = Annotated[str, Query(min_length=1, max_length=80, description="role id, name or alias")]
Year = Annotated[int | None, Query(ge=1990, le=2100)]


def _call(handle: StoreHandle, label: str, module: str, fn: str, *args: Any, **kwargs: Any) -> Any:
    func = feature(label, module, fn)
    with handle.use() as store:
        return func(store, *args, **kwargs)


def _demand(
    handle: StoreHandle, cache: LRUCache, settings: Any, kb: Any, role_id: str | None, by: str
) -> Any:
    """analytics.demand through the app's LRU; the API and the page share its entries."""
    return cache.get_or_compute(
        ("demand", role_id, by, handle.identity),
        lambda: _call(handle, "demand", "careerlens.analytics.demand", "demand", role=role_id, by=by,
                      settings=settings, kb=kb),
    )  # fmt: skip


@api.get("/skills/top", response_model=TopSkills)
def top_skills_api(
    store: StoreDep,
    settings: SettingsDep,
    kb: KBDep,
    role: Role,
    year: Year = None,
    country: Text = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Any:
    """The skills a role's postings mention most, with shares, Wilson CIs and change."""
    return _call(
        store, "top skills", "careerlens.analytics.skills", "top_skills", role,
        year=year, country=clean(country), limit=limit, settings=settings, kb=kb,
    )  # fmt: skip


@api.get("/demand", response_model=Demand)
def demand_api(
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    role: Text = None,
    by: Literal["year", "month", "country", "industry"] = "year",
) -> Any:
    """Postings per role over years, months, countries or industries, with role share and GenAI share."""
    role = clean(role)
    return _demand(store, cache, settings, kb, kb.role(role).id if role else None, by)


@api.get("/converge", response_model=Convergence)
def converge_api(
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    a: Role,
    b: Role,
    by: Literal["year", "month"] = "year",
) -> Any:
    """Whether the skill demand of two roles is growing more similar (cosine, slope, permutation p)."""
    ida, idb = kb.role(a).id, kb.role(b).id
    return cache.get_or_compute(
        ("converge-by", ida, idb, by, store.identity),
        lambda: _call(store, "convergence", "careerlens.analytics.converge", "converge", ida, idb, by=by,
                      settings=settings, kb=kb),
    )  # fmt: skip


@api.get("/premium", response_model=SkillPremiumResult)
def premium_api(
    store: StoreDep,
    settings: SettingsDep,
    kb: KBDep,
    role: Role,
    level: Text = None,
    country: Text = None,
    skill: Text = None,
) -> Any:
    """Advertised-pay premium of each skill within a role (× level × country), from postings with pay."""
    return _call(
        store, "skill premium", "careerlens.analytics.premium", "skill_premium", role=role,
        level=clean(level), country=clean(country), skill=clean(skill), settings=settings, kb=kb,
    )  # fmt: skip


@pages.get("/skills", response_class=HTMLResponse)
def skills_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    role: Text = None,
    year: Text = None,
    country: Text = None,
) -> HTMLResponse:
    role_q = clean(role) or "machine_learning_engineer"
    country = clean(country)
    errors: list[str] = []
    try:
        year_n = form_int(year, "year")
    except InputError as exc:
        year_n = None
        errors.append(exc.message)
    figs: dict[str, Any] = {}
    top: Any = None
    prem: Any = None
    demand_all: Any = None
    role_obj: Any = None
    try:
        role_obj = kb.role(role_q)
    except SOFT_ERRORS as exc:
        errors.append(exc.message + (f" — {exc.hint}" if exc.hint else ""))
    if role_obj is not None:
        try:
            top = _call(
                store, "top skills", "careerlens.analytics.skills", "top_skills", role_obj.id,
                year=year_n, country=country, limit=20, settings=settings, kb=kb,
            )  # fmt: skip
        except CareerlensError as exc:
            errors.append(f"Top skills: {exc.message}")
        if top is not None and top.skills:
            figs["fig-top-skills"] = charts.hbar(
                [s.skill for s in top.skills], [s.share for s in top.skills],
                f"Top skills of {top.role_name} postings ({top.period}, n={top.n_with_skills})",
            )  # fmt: skip
        try:
            prem = _call(
                store, "skill premium", "careerlens.analytics.premium", "skill_premium",
                role=role_obj.id, country=country, settings=settings, kb=kb,
            )  # fmt: skip
        except CareerlensError as exc:
            errors.append(f"Skill premium: {exc.message}")
        shown = [r for r in (prem.rows if prem else []) if not r.withheld and r.premium_pct is not None][:15]
        if shown:
            figs["fig-premium"] = charts.hbar(
                [r.skill for r in shown], [r.premium_pct / 100 for r in shown],
                f"Advertised-pay premium by skill ({prem.role_name})", fmt="+.0%", color=2,
            )  # fmt: skip
    try:
        demand_all = _demand(store, cache, settings, kb, None, "year")
    except CareerlensError as exc:
        errors.append(f"Demand: {exc.message}")
    if demand_all is not None and demand_all.cells:
        by_role: dict[str, list[Any]] = {}
        for c in demand_all.cells:
            by_role.setdefault(c.role, []).append(c)
        names = {rid: r.name for rid, r in kb.roles.items()}
        ranked = sorted(by_role.items(), key=lambda kv: -sum(c.n_postings for c in kv[1]))[:7]
        rows = [(names.get(rid, rid), cs) for rid, cs in ranked]
        demand_fig, genai_fig, withheld = charts.demand_charts(rows, "Job postings per year (largest roles)")
        figs["fig-demand"] = demand_fig
        if genai_fig is not None:
            figs["fig-genai"] = genai_fig
        if withheld:
            errors.append(withheld)
    return page(
        request,
        "skills.html",
        active="skills",
        role=role_obj,
        role_q=role_q,
        year=year_n,
        country=country,
        top=top,
        prem=prem,
        demand=demand_all,
        errors=errors,
        charts=figs,
        roles=list(kb.roles.values()),
    )
