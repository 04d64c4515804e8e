"""The careerlens web app: ``create_app(settings)`` builds the FastAPI app: pages and the API under /api/v1.

Each resource has one router module in ``routes/`` holding its API endpoints and its page; the core
library does the work, this layer parses input, calls one library function and renders the result.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from careerlens import __version__
from careerlens.settings import Settings, get_settings
from careerlens.web.deps import LRUCache, StoreHandle, TokenBucket
from careerlens.web.errors import install_error_handlers
from careerlens.web.routes import ROUTERS

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

# Everything the pages load comes from this server; Plotly injects <style> elements: 'unsafe-inline' styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

NAV = (
    ("roles", "/roles", "Roles"),
    ("compare", "/compare", "Compare"),
    ("salary", "/salary", "Salaries"),
    ("skills", "/skills", "Skills & demand"),
    ("paths", "/paths", "Career paths"),
    ("advisor", "/advisor", "Advisor"),
    ("about", "/about", "About the data"),
)


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(nav=NAV, version=__version__)
    env.filters["money"] = lambda v: "—" if v is None else f"${v:,.0f}"
    env.filters["pct"] = lambda v, digits=0: "—" if v is None else f"{v * 100:.{digits}f}%"
    env.filters["title"] = lambda s: str(s).replace("_", " ").capitalize()
    return Jinja2Templates(env=env)


def create_app(
    settings: Settings | None = None,
    *,
    upload_capacity: float = 10.0,
    upload_refill_per_s: float = 10.0 / 60.0,
    cache_size: int = 512,
) -> FastAPI:
    """Build the app for one Settings (warehouse, min n); the store opens lazily on first use."""
    settings = settings or get_settings()
    store = StoreHandle(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="careerlens",
        version=__version__,
        description="Roles, salaries, skills, demand, career paths and advice for careers in AI.",
        lifespan=lifespan,
        docs_url=None,  # the Swagger UI loads its assets from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.cache = LRUCache(cache_size)
    app.state.upload_bucket = TokenBucket(capacity=upload_capacity, rate=upload_refill_per_s)
    app.state.templates = _templates()

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
