"""Shared fixtures of the store tests: the small committed CSVs and a fresh warehouse file per test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from careerlens.store.warehouse import Store, open_warehouse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"


@pytest.fixture
def ai_jobs_csv() -> Path:
    return FIXTURES / "ai_jobs_small.csv"


@pytest.fixture
def postings_csv() -> Path:
    return FIXTURES / "postings_small.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_warehouse(tmp_path / "wh" / "test.duckdb") as s:
        yield s
