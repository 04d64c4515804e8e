"""Rendering helpers for pages: one call from a route to a template response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from careerlens.errors import InputError, InsufficientDataError, UnknownRoleError

# errors a page shows next to its form instead of replacing the page: the user can fix them there
SOFT_ERRORS = (InputError, UnknownRoleError, InsufficientDataError)


def page(
    request: Request, template: str, *, active: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page template with the navigation state; Jinja2 autoescapes every value."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, template, {"active": active, **context}, status_code=status_code
    )
    return response


def clean(value: str | None) -> str | None:
    """A query value as the user meant it: blank strings (an empty form field) are no filter."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def form_int(value: str | None, field: str, low: int = 1990, high: int = 2100) -> int | None:
    """A whole number from a form field (a page's query), where blank means no filter; else an InputError."""
    text = clean(value)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError(f"{field} must be a year from {low} to {high}, not {text!r}", field=field)
    return int(text)
