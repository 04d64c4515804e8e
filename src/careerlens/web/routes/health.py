"""Liveness check and the home page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from careerlens import __version__
from careerlens.web.api_models import Health

api = APIRouter(tags=["health"])
pages = APIRouter(include_in_schema=False)


@api.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Answers as long as the server runs; touches no data, so it is the baseline of the load benchmark."""
    return Health(version=__version__)


@pages.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/roles", status_code=307)
