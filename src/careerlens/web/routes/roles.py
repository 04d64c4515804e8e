"""Roles: the knowledge base's roles with their summaries, responsibilities, skills and ladder."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from careerlens.kb.roles import Role
from careerlens.web.api_models import ERROR_RESPONSES, RoleSummary
from careerlens.web.deps import KBDep
from careerlens.web.render import page

api = APIRouter(prefix="/api/v1", tags=["roles"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)


@api.get("/roles", response_model=list[RoleSummary])
def list_roles(kb: KBDep) -> list[RoleSummary]:
    """Every role of the knowledge base, in its order."""
    return [
        RoleSummary(id=r.id, name=r.name, aliases=r.aliases, technical=r.technical, summary=r.summary)
        for r in kb.roles.values()
    ]


@api.get("/roles/{role}", response_model=Role)
def get_role(role: str, kb: KBDep) -> Role:
    """One role by id, name or alias (any case), e.g. `mle` or `AI Engineer`."""
    found: Role = kb.role(role)
    return found


@pages.get("/roles", response_class=HTMLResponse)
def roles_page(request: Request, kb: KBDep) -> HTMLResponse:
    return page(request, "roles.html", active="roles", roles=list(kb.roles.values()), kb=kb)
