"""A throwaway DuckDB warehouse (the real schema.sql), a builder that inserts salary facts, and a warehouse
holding the hand-checked postings fixture (tests/fixtures/postings/README.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from careerlens.settings import Settings
from careerlens.store.aggregates import refresh_aggregates
from careerlens.store.warehouse import Store, open_warehouse

POSTINGS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "postings"
SOURCE_NAME = "test salary survey"
RUN_ID = "run0"


@dataclass
class Jobs:
    """Inserts salary facts into a store; each ``add`` call is one group of like jobs."""

    store: Store
    next_id: int = 1
    rows: list[tuple[object, ...]] = field(default_factory=list)

    def add(
        self,
        role: str,
        salaries: Sequence[float] | np.ndarray,
        *,
        level: str = "senior",
        region: str | None = "North America",
        country: str | None = "US",
        year: int = 2024,
        size: str | None = "M",
        specialisation: str | None = None,
    ) -> Jobs:
        rows = []
        for s in salaries:
            i = self.next_id
            rows.append(
                (i, RUN_ID, "sha", i, 1, "test", year, role, role, level, specialisation, float(s), country,
                 region, size)
            )  # fmt: skip
            self.next_id += 1
        self.store.con.executemany(
            "INSERT INTO salaries (fact_id, run_id, file_sha256, row_number, rows_collapsed, source, "
            "work_year, title, role, level, specialisation, salary_usd, company_country, region, "
            "company_size) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return self


def lognormal(n: int, median: float, sigma: float = 0.05, seed: int = 0) -> np.ndarray:
    """n pay values spread around a median (a fixed seed keeps fixtures stable)."""
    return median * np.exp(np.random.default_rng(seed).normal(0.0, sigma, n))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def make_store(db_path: Path) -> Store:
    """A real warehouse file with one ingest run; used by the fixtures and by the CLI tests."""
    s = open_warehouse(db_path)
    s.con.execute(
        "INSERT INTO ingest_runs (run_id, dataset, source, source_name, file_path, file_sha256, started_at, "
        "status) VALUES (?, 'salaries', 'test', ?, 'test.csv', 'sha', ?, 'done')",
        [RUN_ID, SOURCE_NAME, datetime(2025, 1, 1)],
    )
    return s


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = make_store(db_path)
    yield s
    s.close()


@pytest.fixture
def source_name() -> str:
    return SOURCE_NAME


@pytest.fixture
def jobs(store: Store) -> Jobs:
    return Jobs(store)


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(db_path=db_path, min_n=30, bootstrap_samples=400, seed=7)


@pytest.fixture
def postings_db(tmp_path: Path) -> Path:
    """A closed warehouse file with the postings fixture and its aggregates."""
    path = tmp_path / "postings.duckdb"
    with open_warehouse(path) as s:
        for table in ("postings", "posting_skills"):
            s.con.execute(f"COPY {table} FROM '{POSTINGS_FIXTURE / (table + '.csv')}' (HEADER, NULLSTR '')")
        refresh_aggregates(s.con)
    return path


@pytest.fixture
def postings_store(postings_db: Path) -> Iterator[Store]:
    with open_warehouse(postings_db) as s:
        yield s
