"""The careerlens web app: ``create_app(settings)`` builds the FastAPI app: pages and the API under /api/v1.

Each resource has one router module in ``routes/`` holding its API endpoints and its page; the core
library does the work, this layer parses input, calls one library function and renders the result.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerlens import __version__
from careerlens.settings import Settings, get_settings
from careerlens.web.deps import LRUCache, StoreHandle, TokenBucket
from careerlens.web.errors import install_error_handlers
from careerlens.web.routes import ROUTERS
from careerlens.web.uploads import BodyLimit

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


SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every response (cheaper than @app.middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


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

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
