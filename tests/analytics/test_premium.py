"""skill_premium reads agg_skill_premium; figures checked by hand in tests/fixtures/postings/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerlens.analytics.premium import skill_premium
from careerlens.errors import InputError, StoreError
from careerlens.store.warehouse import Store, open_warehouse

SPARK_PREMIUM = 100 * (127_500 / 107_500 - 1)  # 18.60 %


@pytest.mark.parametrize(
    ("level", "country"), [(None, None), ("senior", None), ("senior", "US"), (None, "US")]
)
def test_median_with_and_without(postings_store: Store, level: str | None, country: str | None) -> None:
    p = skill_premium(postings_store, role="data engineer", level=level, country=country, min_n=10)
    assert p.level == (level or "all") and p.country == (country or "all")
    assert p.n_postings == 24
    spark = p.rows[0]
    assert spark.skill == "spark" and not spark.withheld
    assert (spark.n_with, spark.n_without) == (12, 12)
    assert (spark.median_with, spark.median_without) == (127_500.0, 107_500.0)
    assert spark.premium_pct == pytest.approx(SPARK_PREMIUM)
    assert spark.ci_pct is not None and spark.ci_pct.low <= SPARK_PREMIUM <= spark.ci_pct.high
    assert "different population" in p.population_note


def test_small_sides_are_withheld(postings_store: Store) -> None:
    p = skill_premium(postings_store, role="data_engineer", min_n=10)
    rows = {r.skill: r for r in p.rows}
    assert rows["aws"].withheld and rows["aws"].premium_pct is None and "n=3" in (rows["aws"].note or "")
    assert rows["python"].withheld and rows["python"].median_with is None


def test_default_min_n_withholds_everything_here(postings_store: Store) -> None:
    p = skill_premium(postings_store, role="data_engineer", skill="SPARK")
    assert [r.skill for r in p.rows] == ["spark"]
    assert p.rows[0].withheld and p.min_n == 30 and "too few data" in (p.note or "")


def test_min_n_never_goes_below_the_stored_floor(postings_store: Store) -> None:
    p = skill_premium(postings_store, role="data_engineer", skill="aws", min_n=2)
    assert p.min_n == 10 and p.rows[0].withheld


def test_empty_cell_says_so(postings_store: Store) -> None:
    p = skill_premium(postings_store, role="data_scientist")
    assert p.rows == [] and "no salaried postings" in (p.note or "")


def test_bad_level(postings_store: Store) -> None:
    with pytest.raises(InputError):
        skill_premium(postings_store, role="data_engineer", level="galactic")


def test_store_without_premium_table(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "w.duckdb") as s, pytest.raises(StoreError):
        skill_premium(s, role="data_engineer")
