"""Response models of the API endpoints that have no library result model of their own."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every API error: what went wrong and what to do next."""

    error: str = Field(description="error class, e.g. UnknownRoleError")
    message: str
    hint: str | None = None


class Health(BaseModel):
    status: str = "ok"
    version: str


class RoleSummary(BaseModel):
    """A role in the list: enough for a card; /api/v1/roles/{role} has everything."""

    id: str
    name: str
    aliases: list[str]
    technical: bool
    summary: str


class LadderNode(BaseModel):
    id: str = Field(description="role:level")
    role: str
    role_name: str
    level: str
    median_usd: float | None = None
    n: int | None = None
    withheld: bool | None = None


class LadderEdgeOut(BaseModel):
    source: str
    target: str
    kind: str
    note: str


class Ladder(BaseModel):
    """The career-ladder graph: (role, level) nodes with pay where known, and the moves between them."""

    nodes: list[LadderNode]
    edges: list[LadderEdgeOut]
    source: str | None = None
    pay_available: bool


class About(BaseModel):
    """Where the data comes from: the store's description plus the knowledge base's sources."""

    store: dict[str, Any] | None
    store_error: str | None = None
    kb_version: str | None = None
    kb_sources: list[dict[str, Any]] = Field(default_factory=list)


# responses documented on every API route
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": desc}
    for code, desc in (
        (400, "bad request"),
        (404, "unknown role or address"),
        (422, "invalid input or too few data"),
        (503, "the data or the module behind this endpoint is not available"),
    )
}
