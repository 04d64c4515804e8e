"""The library entry points (skills(), demand_for(), ...) close the store they open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

import careerlens.store.warehouse as warehouse
from careerlens.analytics.converge import convergence
from careerlens.analytics.demand import demand_for
from careerlens.analytics.premium import premium
from careerlens.analytics.salary import salary
from careerlens.analytics.skills import skills
from careerlens.settings import Settings
from careerlens.store.warehouse import Store

ENTRY_POINTS: dict[str, Callable[[Path], Any]] = {
    "salary": lambda db: salary("data engineer", db=db),
    "skills": lambda db: skills("mle", min_n=5, db=db),
    "demand_for": lambda db: demand_for(min_n=5, db=db),
    "convergence": lambda db: convergence("mle", "data scientist", min_n=5, db=db),
    "premium": lambda db: premium("data engineer", min_n=10, db=db),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_entry_point_closes_its_store(name: str, postings_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Store] = []
    real_open_store = warehouse.open_store

    def recording_open_store(settings: Settings) -> Store:
        opened.append(real_open_store(settings))
        return opened[-1]

    monkeypatch.setattr(warehouse, "open_store", recording_open_store)
    ENTRY_POINTS[name](postings_db)
    assert len(opened) == 1 and opened[0].path == postings_db
    with pytest.raises(duckdb.ConnectionException):
        opened[0].con.execute("SELECT 1")
