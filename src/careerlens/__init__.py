"""careerlens: evidence for choosing and growing a career in AI.

The library is the product; the CLI and the web app only render what these functions return. Each entry point
runs the same path as its command (``careerlens.compare`` ≡ ``careerlens compare``) and returns a Pydantic
result object. Names are imported lazily so that ``import careerlens`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    "compare": "careerlens.analytics.compare",
    "salary": "careerlens.analytics.salary",
    "skills": "careerlens.analytics.skills",
    "demand": "careerlens.analytics.demand",
    "premium": "careerlens.analytics.premium",
    "convergence": "careerlens.analytics.converge",
    "advise": "careerlens.advisor",
    "classify_title": "careerlens.normalize.titles",
    "classify_titles": "careerlens.normalize.titles",
    "extract_skills": "careerlens.normalize.skills",
    "ingest": "careerlens.store.ingest",
    "open_store": "careerlens.store.warehouse",
    "open_warehouse": "careerlens.store.warehouse",
    "load_kb": "careerlens.kb",
    "get_settings": "careerlens.settings",
    "Settings": "careerlens.settings",
    "CareerlensError": "careerlens.errors",
    "KnowledgeBaseError": "careerlens.errors",
    "UnknownRoleError": "careerlens.errors",
    "InputError": "careerlens.errors",
    "MappingError": "careerlens.errors",
    "ResumeError": "careerlens.errors",
    "StoreError": "careerlens.errors",
    "InsufficientDataError": "careerlens.errors",
}
# the module attribute behind a public name, where the two differ
_ALIASES = {"demand": "demand_for"}

__all__ = [
    "__version__",
    "compare",
    "salary",
    "skills",
    "demand",
    "premium",
    "convergence",
    "advise",
    "classify_title",
    "classify_titles",
    "extract_skills",
    "ingest",
    "open_store",
    "open_warehouse",
    "load_kb",
    "get_settings",
    "Settings",
    "CareerlensError",
    "KnowledgeBaseError",
    "UnknownRoleError",
    "InputError",
    "MappingError",
    "ResumeError",
    "StoreError",
    "InsufficientDataError",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from careerlens.advisor import advise
    from careerlens.analytics.compare import compare
    from careerlens.analytics.converge import convergence
    from careerlens.analytics.demand import demand_for as demand
    from careerlens.analytics.premium import premium
    from careerlens.analytics.salary import salary
    from careerlens.analytics.skills import skills
    from careerlens.errors import (
        CareerlensError,
        InputError,
        InsufficientDataError,
        KnowledgeBaseError,
        MappingError,
        ResumeError,
        StoreError,
        UnknownRoleError,
    )
    from careerlens.kb import load_kb
    from careerlens.normalize.skills import extract_skills
    from careerlens.normalize.titles import classify_title, classify_titles
    from careerlens.settings import Settings, get_settings
    from careerlens.store.ingest import ingest
    from careerlens.store.warehouse import open_store, open_warehouse


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'careerlens' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
