"""About the data: sources and licences, snapshot date, table counts, ingest runs and quarantine counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from careerlens.errors import CareerlensError
from careerlens.web.api_models import ERROR_RESPONSES, About
from careerlens.web.deps import KBDep, StoreDep
from careerlens.web.render import page

api = APIRouter(prefix="/api/v1", tags=["about"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

# Paths of the machine the data was ingested on are not the visitor's business; only the file name is shown.
_PRIVATE_KEYS = ("file_path", "path")


def _public(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (str(v).replace("\\", "/").rsplit("/", 1)[-1] if k in _PRIVATE_KEYS and v else _public(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def describe(store: Any, kb: Any) -> About:
    desc: dict[str, Any] | None = None
    error = None
    try:
        with store.use() as st:
            desc = _public(st.describe())
    except CareerlensError as exc:
        error = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return About(
        store=desc,
        store_error=error,
        kb_version=kb.meta.version,
        kb_sources=[s.model_dump() for s in kb.meta.sources],
    )


@api.get("/about", response_model=About)
def about_api(store: StoreDep, kb: KBDep) -> About:
    """Where the figures come from: sources, licences, snapshot date, counts, runs, quarantine."""
    return describe(store, kb)


@pages.get("/about", response_class=HTMLResponse)
def about_page(request: Request, store: StoreDep, kb: KBDep) -> HTMLResponse:
    return page(request, "about.html", active="about", about=describe(store, kb), kb=kb)
