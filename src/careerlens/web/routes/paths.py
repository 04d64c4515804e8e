"""Career paths: the ladder graph of (role, level) nodes with pay per step, and shortest paths."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from careerlens.errors import CareerlensError, InputError
from careerlens.web import charts
from careerlens.web.api_models import ERROR_RESPONSES, Ladder, LadderEdgeOut, LadderNode
from careerlens.web.deps import CacheDep, KBDep, LRUCache, SettingsDep, StoreDep, StoreHandle, Text, feature
from careerlens.web.render import SOFT_ERRORS, clean, page

api = APIRouter(prefix="/api/v1", tags=["paths"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

LEVELS = ("entry", "mid", "senior", "lead", "executive")
KIND_COLOURS = {
    "promotion": "#3366cc",
    "lateral": "#2e9e6e",
    "management": "#dc7633",
    "specialist": "#8e44ad",
}


class PathStepOut(BaseModel):
    role: str
    role_name: str
    level: str
    kind: str
    note: str
    median_usd: float | None = None
    n: int | None = None
    withheld: bool | None = None


class CareerPath(BaseModel):
    """Fewest ladder moves from one (role, level) to a role, with the median pay of each step."""

    steps: list[PathStepOut]
    reachable: bool
    source: str | None = None


def ladder(handle: StoreHandle, cache: LRUCache, settings: Any, kb: Any) -> Ladder:
    """Every (role, level) of the knowledge base with its median pay where the store has enough jobs."""

    # the graph shows medians and n only, so the bootstrap CI of each median is not worth computing here
    quick = dataclasses.replace(settings, bootstrap_samples=min(settings.bootstrap_samples, 20))

    def compute() -> Ladder:
        pay: dict[tuple[str, str], Any] = {}
        source = None
        try:
            salary_stats = feature("salary statistics", "careerlens.analytics.salary", "salary_stats")
            with handle.use() as store:
                for role in kb.roles.values():
                    st = salary_stats(store, role.id, settings=quick, kb=kb, by_level=True)
                    source = st.source
                    for lv in st.by_level or []:
                        pay[(role.id, lv.level)] = lv
        except CareerlensError:
            pay = {}  # the graph is still useful without pay (no store, no salary module)
        nodes = []
        for role in kb.roles.values():
            for lv in role.levels:
                cell = pay.get((role.id, lv.id))
                nodes.append(
                    LadderNode(
                        id=f"{role.id}:{lv.id}",
                        role=role.id,
                        role_name=role.name,
                        level=lv.id,
                        median_usd=None if cell is None or cell.withheld else cell.median,
                        n=None if cell is None else cell.n,
                        withheld=None if cell is None else cell.withheld,
                    )
                )
        edges = [
            LadderEdgeOut(
                source=f"{src}:{e.from_level}", target=f"{dst}:{e.to_level}", kind=e.kind, note=e.note
            )
            for src, dst, e in kb.ladder_edges()
        ]
        return Ladder(nodes=nodes, edges=edges, source=source, pay_available=bool(pay))

    result: Ladder = cache.get_or_compute(("ladder", handle.identity), compute)
    return result


def ladder_figure(lad: Ladder, kb: Any, highlight: str | None) -> dict[str, Any]:
    """A Plotly network: x = level, y = role; edges drawn as lines coloured by kind, nodes sized by data."""
    role_ids = list(kb.roles)
    pos = {n.id: (LEVELS.index(n.level), len(role_ids) - 1 - role_ids.index(n.role)) for n in lad.nodes}
    data: list[dict[str, Any]] = []
    for kind, colour in KIND_COLOURS.items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for e in lad.edges:
            if e.kind != kind or e.source not in pos or e.target not in pos:
                continue
            hot = (
                highlight is None
                or e.source.startswith(highlight + ":")
                or e.target.startswith(highlight + ":")
            )
            if not hot:
                continue
            (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        if xs:
            line = {"color": colour, "width": 1.5}
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": kind,
                    "x": xs,
                    "y": ys,
                    "line": line,
                    "hoverinfo": "skip",
                }
            )

    def label(n: LadderNode) -> str:
        pay = f"${n.median_usd:,.0f} (n={n.n})" if n.median_usd is not None else (
            f"withheld (n={n.n})" if n.withheld else "no pay data")  # fmt: skip
        return f"{n.role_name}, {n.level}<br>median {pay}"

    paid = [n for n in lad.nodes if n.median_usd is not None]
    unpaid = [n for n in lad.nodes if n.median_usd is None]

    def size(n: LadderNode) -> int:
        return 16 if n.role == highlight else 10

    if unpaid:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "no pay data",
                "x": [pos[n.id][0] for n in unpaid],
                "y": [pos[n.id][1] for n in unpaid],
                "hovertext": [label(n) for n in unpaid],
                "hoverinfo": "text",
                "marker": {
                    "size": [size(n) for n in unpaid],
                    "color": "#888888",
                    "symbol": "circle-open",
                },
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": "median pay",
            "x": [pos[n.id][0] for n in paid],
            "y": [pos[n.id][1] for n in paid],
            "text": [f"${(n.median_usd or 0) / 1000:,.0f}k" for n in paid],
            "textposition": "top center",
            "textfont": {"size": 10},
            "hovertext": [label(n) for n in paid],
            "hoverinfo": "text",
            "marker": {
                "size": [size(n) for n in paid],
                "color": [n.median_usd for n in paid],
                "colorscale": "Blues",
                "reversescale": True,  # plotly's Blues runs dark→light; better pay reads darker
                "cmin": min((n.median_usd or 0) for n in paid) * 0.8 if paid else 0,
                "showscale": bool(paid),
                "colorbar": {"title": {"text": "median USD"}, "tickformat": "$~s"},
                "line": {"width": 1, "color": "#1d2330"},
            },
        }
    )
    fig_layout = charts.layout(
        "Career ladder: moves between roles and levels (hover a node for its pay)",
        height=max(480, 38 * len(role_ids) + 120),
        xaxis={
            "tickvals": list(range(len(LEVELS))),
            "ticktext": list(LEVELS),
            "range": [-0.5, len(LEVELS) - 0.5],
        },
        yaxis={
            "tickvals": list(range(len(role_ids))),
            "ticktext": [kb.roles[r].name for r in role_ids][::-1],
        },
        margin={"l": 220, "r": 20, "t": 50, "b": 60},
    )
    return {"data": data, "layout": fig_layout}


def career_path(
    lad: Ladder, kb: Any, from_role: str, from_level: str, to_role: str, to_level: str | None
) -> CareerPath:
    if from_level not in LEVELS or (to_level is not None and to_level not in LEVELS):
        raise InputError("unknown level", field="level", hint="use one of " + ", ".join(LEVELS))
    steps = kb.shortest_path(from_role, from_level, to_role, to_level)
    nodes = {n.id: n for n in lad.nodes}
    out = []
    for s in steps:
        n = nodes.get(f"{s.role}:{s.level}")
        out.append(
            PathStepOut(
                role=s.role,
                role_name=kb.roles[s.role].name,
                level=s.level,
                kind=s.edge.kind if s.edge else "start",
                note=s.edge.note if s.edge else "",
                median_usd=n.median_usd if n else None,
                n=n.n if n else None,
                withheld=n.withheld if n else None,
            )
        )
    return CareerPath(steps=out, reachable=bool(out), source=lad.source)


@api.get("/ladder", response_model=Ladder)
def ladder_api(store: StoreDep, cache: CacheDep, settings: SettingsDep, kb: KBDep) -> Ladder:
    """The career-ladder graph: (role, level) nodes with median pay and n, and the moves between them."""
    return ladder(store, cache, settings, kb)


@api.get("/paths", response_model=CareerPath)
def path_api(
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    from_role: Annotated[str, Query(min_length=1, max_length=80)],
    to_role: Annotated[str, Query(min_length=1, max_length=80)],
    from_level: Annotated[str, Query(max_length=20)] = "entry",
    to_level: Text = None,
) -> CareerPath:
    """Fewest ladder moves from (from_role, from_level) to to_role (at to_level if given), with pay."""
    return career_path(
        ladder(store, cache, settings, kb), kb, from_role, from_level, to_role, clean(to_level)
    )


@pages.get("/paths", response_class=HTMLResponse)
def paths_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    kb: KBDep,
    role: Text = None,
    from_role: Text = None,
    from_level: Text = None,
    to_role: Text = None,
) -> HTMLResponse:
    lad = ladder(store, cache, settings, kb)
    error = None
    highlight = None
    try:
        highlight = kb.role(clean(role)).id if clean(role) else None
    except SOFT_ERRORS as exc:
        error = exc.message
    path = None
    fr, fl, tr = clean(from_role), clean(from_level) or "entry", clean(to_role)
    if fr and tr:
        try:
            path = career_path(lad, kb, fr, fl, tr, None)
        except SOFT_ERRORS as exc:
            error = exc.message
    return page(
        request,
        "paths.html",
        active="paths",
        ladder=lad,
        highlight=highlight,
        path=path,
        error=error,
        form={
            "from_role": fr or "data_analyst",
            "from_level": fl,
            "to_role": tr or "machine_learning_engineer",
        },
        levels=LEVELS,
        charts={"fig-ladder": ladder_figure(lad, kb, highlight)},
        roles=list(kb.roles.values()),
    )
