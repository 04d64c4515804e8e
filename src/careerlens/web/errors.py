"""One exception handler for the web app: JSON ``{error, message, hint}`` under /api, a page elsewhere.

Library errors (``CareerlensError``) carry the message and hint the user needs; any other exception becomes
a plain 500 whose body says nothing about the code (the traceback goes to the server log only).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from careerlens.errors import (
    CareerlensError,
    InputError,
    InsufficientDataError,
    KnowledgeBaseError,
    StoreError,
    UnknownRoleError,
)

log = logging.getLogger("careerlens.web")


class WebError(CareerlensError):
    """An error of the web layer itself, with the HTTP status it answers with."""

    status_code = 400

    def __init__(
        self, message: str, *, hint: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.headers = headers or {}
        super().__init__(message, hint=hint)


class FeatureUnavailableError(WebError):
    """A page or endpoint whose library module is not installed or not built yet."""

    status_code = 503

    def __init__(self, feature: str, *, detail: str | None = None) -> None:
        self.feature = feature
        super().__init__(
            f"this part is not available yet: {feature}" + (f" ({detail})" if detail else ""),
            hint="the module behind it is missing from this installation; upgrade careerlens",
        )


class UploadTooLargeError(WebError):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the upload is larger than the limit of {limit // (1024 * 1024)} MB",
            hint="upload a shorter resume (PDF, DOCX or plain text) under the limit",
        )


class RateLimitedError(WebError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "too many uploads from this client",
            hint=f"wait {retry_after} s and try again",
            headers={"Retry-After": str(retry_after)},
        )


class BadRequestError(WebError):
    status_code = 400


# status of each library error; the most specific class wins (checked in MRO order)
_STATUS: dict[type[CareerlensError], int] = {
    UnknownRoleError: 404,
    InsufficientDataError: 422,
    InputError: 422,
    KnowledgeBaseError: 500,
    StoreError: 503,
}


def status_for(exc: CareerlensError) -> int:
    """HTTP status of a library or web error."""
    if isinstance(exc, WebError):
        return exc.status_code
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 400


def wants_json(request: Request) -> bool:
    """API paths (and the health check) answer JSON; pages answer HTML."""
    path = request.url.path
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


def _render(
    request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "error": body, "title": _TITLES.get(status, "Something went wrong")},
        status_code=status,
        headers=headers,
    )


_TITLES = {
    400: "That request does not look right",
    404: "Not found",
    405: "Not allowed",
    413: "That file is too large",
    422: "That input cannot be used",
    429: "Slow down a little",
    500: "Something went wrong on our side",
    503: "Not available yet",
}


async def careerlens_error_response(request: Request, exc: Exception) -> Response:
    """The JSON or HTML answer to a CareerlensError (the app's handler; also used by middleware)."""
    assert isinstance(exc, CareerlensError)
    status = status_for(exc)
    if status >= 500 and not isinstance(exc, WebError):
        log.error("library error on %s: %s", request.url.path, exc)
    body = exc.to_dict()
    if isinstance(exc, KnowledgeBaseError):  # file paths of the installation are not the visitor's business
        body = {
            "error": body["error"],
            "message": "the knowledge base is invalid",
            "hint": "report this problem",
        }
    return _render(request, status, body, getattr(exc, "headers", None))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    hint = "check the address; the API is described at /openapi.json" if exc.status_code == 404 else None
    body = {"error": _TITLES.get(exc.status_code, "HTTPError"), "message": message, "hint": hint}
    body["error"] = "NotFound" if exc.status_code == 404 else f"HTTP{exc.status_code}"
    return _render(request, exc.status_code, body, dict(exc.headers) if exc.headers else None)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        problems.append(f"{loc or 'input'}: {err.get('msg', 'invalid')}")
    body = {
        "error": "ValidationError",
        "message": "; ".join(problems) or "invalid input",
        "hint": "see /openapi.json for the parameters this endpoint takes",
    }
    return _render(request, 422, body)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    body = {
        "error": "InternalError",
        "message": "an unexpected error happened while answering this request",
        "hint": "try again; if it keeps happening, report it with the address you asked for",
    }
    return _render(request, 500, body)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on an app (once, in create_app)."""
    app.add_exception_handler(CareerlensError, careerlens_error_response)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)
