"""One router per resource; app.py includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from careerlens.web.routes import about, advisor, compare, health, paths, roles, salary, skills

ROUTERS: tuple[APIRouter, ...] = tuple(
    r for m in (health, roles, compare, salary, skills, paths, advisor, about) for r in (m.api, m.pages)
)
