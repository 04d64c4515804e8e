"""Compare two roles: skills, salary by level, matched premium, demand trend, convergence and verdicts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from careerlens.analytics.models import Comparison
from careerlens.web import charts
from careerlens.web.api_models import ERROR_RESPONSES
from careerlens.web.deps import CacheDep, KBDep, LRUCache, SettingsDep, StoreDep, StoreHandle, Text, feature
from careerlens.web.render import SOFT_ERRORS, clean, page

api = APIRouter(prefix="/api/v1", tags=["compare"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

RoleParam = Annotated[str, Query(min_length=1, max_length=80, description="role id, name or alias, e.g. mle")]
DEFAULT_A, DEFAULT_B = "machine_learning_engineer", "ai_engineer"


def cached_comparison(
    handle: StoreHandle, cache: LRUCache, settings: Any, kb: Any, a: str, b: str
) -> Comparison:
    """compare_roles through the app's LRU, keyed on the resolved role ids and the store's identity.

    A comparison bootstraps matched premiums over thousands of jobs; the result only changes when the store
    does, so repeated visits (and the load benchmark) are answered from memory.
    """
    ida, idb = kb.role(a).id, kb.role(b).id  # unknown roles fail here, before the store is opened
    compare_roles = feature("role comparison", "careerlens.analytics.compare", "compare_roles")

    def compute() -> Comparison:
        with handle.use() as store:
            result: Comparison = compare_roles(store, kb, ida, idb, settings=settings)
        return result

    result: Comparison = cache.get_or_compute(("compare", ida, idb, handle.identity), compute)
    return result


@api.get("/compare", response_model=Comparison)
async def compare_api(
    store: StoreDep, cache: CacheDep, settings: SettingsDep, kb: KBDep, a: RoleParam, b: RoleParam
) -> Response:
    """Compare role B with role A: skills, salary by level, matched premium of B over A with CI, verdicts."""
    # The serialised JSON is cached too: a hit is a dict lookup on the event loop, no thread, no encoding.
    key = ("compare-json", kb.role(a).id, kb.role(b).id, store.identity)
    body = cache.peek(key)
    if body is None:

        def compute() -> bytes:
            comp = cached_comparison(store, cache, settings, kb, a, b)
            return comp.model_dump_json(by_alias=True).encode("utf-8")

        body = await run_in_threadpool(cache.get_or_compute, key, compute)
    return Response(body, media_type="application/json")


@pages.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    a: Text = None,
    b: Text = None,
) -> HTMLResponse:
    a, b = clean(a) or DEFAULT_A, clean(b) or DEFAULT_B
    error: dict[str, Any] | None = None
    comp: Comparison | None = None
    notes: list[str] = []
    figs: dict[str, Any] = {}
    demand_rows: list[Any] = []
    try:
        comp = cached_comparison(store, cache, settings, kb, a, b)
    except SOFT_ERRORS as exc:
        error = exc.to_dict()
    if comp is not None:
        levels = [p.level for p in comp.salary_by_level]
        figs["fig-compare-salary"] = charts.median_ci_bars(
            levels,
            [
                (comp.a.name, [p.a for p in comp.salary_by_level]),
                (comp.b.name, [p.b for p in comp.salary_by_level]),
            ],
            "Median salary by level (95% CI)",
        )
        prem = [
            p for p in [comp.premium, *comp.premium_by_level] if not p.withheld and p.estimate_pct is not None
        ]
        if prem:
            figs["fig-compare-premium"] = premium_chart(prem, comp.b.name, comp.a.name)
        names = (comp.a.name, comp.b.name)
        demand_rows = [(names[i], d.cells) for i, d in enumerate(comp.demand[:2]) if d.cells]
        if comp.postings_note:
            notes.append(comp.postings_note)
        if demand_rows:
            demand_fig, genai_fig, withheld = charts.demand_charts(demand_rows, "Job postings per year")
            figs["fig-compare-demand"] = demand_fig
            if genai_fig is not None:
                figs["fig-compare-genai"] = genai_fig
            if withheld:
                notes.append(withheld)
        for i, top in enumerate(comp.top_skills[:2]):
            if top.skills:
                figs[f"fig-compare-top-{'ab'[i]}"] = charts.hbar(
                    [sk.skill for sk in top.skills],
                    [sk.share for sk in top.skills],
                    f"{top.role_name}: top skills in postings ({top.period}, n={top.n_with_skills})",
                    color=i,
                )
        conv = comp.convergence
        if conv is not None and conv.periods:
            figs["fig-compare-converge"] = charts.lines(
                [("cosine similarity", [p.period for p in conv.periods], [p.cosine for p in conv.periods])],
                "Similarity of the two roles' skill demand",
                yfmt=".2f",
            )
    return page(
        request,
        "compare.html",
        active="compare",
        comp=comp,
        a=a,
        b=b,
        error=error,
        notes=notes,
        charts=figs,
        roles=list(kb.roles.values()),
    )


def premium_chart(prem: list[Any], name_b: str, name_a: str) -> dict[str, Any]:
    """Matched premium of B over A overall and per level, with bootstrap CIs as error bars."""
    fig = {
        "data": [
            {
                "type": "bar",
                "x": [f"{p.scope}<br>n={p.n_a}+{p.n_b}" for p in prem],
                "y": [p.estimate_pct for p in prem],
                "hovertemplate": "%{x}: %{y:+.1f}%<extra></extra>",
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [(p.ci_pct.high - p.estimate_pct) if p.ci_pct else 0 for p in prem],
                    "arrayminus": [(p.estimate_pct - p.ci_pct.low) if p.ci_pct else 0 for p in prem],
                },
                "marker": {"color": charts.PALETTE[2]},
            }
        ],
        "layout": charts.layout(
            f"Matched pay premium of {name_b} over {name_a} (%)",
            yaxis={"title": {"text": "premium %"}, "zeroline": True},
        ),
    }
    return fig
