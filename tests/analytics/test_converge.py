"""converge: cosine and Jaccard by hand on the fixture; the trend test on synthetic aggregates."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerlens.analytics.converge import converge
from careerlens.errors import InputError
from careerlens.store.warehouse import Store, open_warehouse

A, B = "machine_learning_engineer", "data_scientist"
# noise-corrected squared norms: Σp² − Σp(1−p)/(n−1), n = 10 for every role and year
CORRECTED_2024 = 0.99 / math.sqrt((1.09 - 0.81 / 9) * (1.35 - 0.55 / 9))
CORRECTED_2023 = 0.80 / math.sqrt((0.78 - 0.82 / 9) * (1.32 - 0.48 / 9))


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    with open_warehouse(tmp_path / "synthetic.duckdb") as s:
        yield s


def put(store: Store, role: str, year: int, month: int, n: int, shares: dict[str, float]) -> None:
    """Insert one aggregate cell directly: n postings with skills and round(n·share) mentions per skill."""
    store.con.execute(
        "INSERT INTO agg_posting_counts VALUES ('t', ?, 'mid', 'US', NULL, ?, ?, NULL, ?, ?, 0)",
        [role, year, month, n, n],
    )
    for skill, share in shares.items():
        store.con.execute(
            "INSERT INTO agg_posting_skills VALUES ('t', ?, 'mid', 'US', NULL, ?, ?, NULL, ?, ?)",
            [role, year, month, skill, round(n * share)],
        )


def test_cosine_and_jaccard_by_hand(postings_store: Store) -> None:
    c = converge(postings_store, "mle", "data scientist", top_k=2, min_n=5)
    by = {p.period: p for p in c.periods}
    # 2024: MLE (python .8, pytorch .5, llm .4, sql .2); DS (python .9, sql .7, llm .2, pytorch .1)
    assert by["2024"].cosine == pytest.approx(0.99 / math.sqrt(1.09 * 1.35))
    # 2023: MLE (python .6, pytorch .5, sql .4, llm .1); DS (python .8, sql .8, tableau .2)
    assert by["2023"].cosine == pytest.approx(0.80 / math.sqrt(0.78 * 1.32))
    # top-2: {python, pytorch} vs {python, sql} → 1/3 in both years
    assert by["2024"].jaccard_top_k == pytest.approx(1 / 3) and by["2024"].top_k_shared == ["python"]
    assert (by["2024"].n_a, by["2024"].n_b) == (10, 10)
    assert by["2024"].cosine_corrected == pytest.approx(CORRECTED_2024)
    assert by["2023"].cosine_corrected == pytest.approx(CORRECTED_2023)
    ci = by["2024"].cosine_ci
    assert ci is not None and ci.low <= CORRECTED_2024 <= ci.high


def test_two_periods_are_not_a_testable_trend(postings_store: Store) -> None:
    c = converge(postings_store, A, B, min_n=5)
    assert not c.trend.testable and c.trend.n_periods == 2
    assert c.verdict == "inconclusive" and "not testable" in c.explanation
    assert c.trend.change == pytest.approx(CORRECTED_2024 - CORRECTED_2023)


def test_periods_with_too_few_postings_are_withheld(postings_store: Store) -> None:
    c = converge(postings_store, A, "ai engineer", by="month", min_n=5)
    assert all(p.withheld and p.cosine is None for p in c.periods)
    assert c.verdict == "inconclusive" and c.trend.n_periods == 0


def test_rising_similarity_is_supported(empty_store: Store) -> None:
    for i, year in enumerate(range(2019, 2025)):
        put(empty_store, A, year, 6, 4000, {"python": 0.9, "pytorch": 0.6, "sql": 0.2})
        put(empty_store, B, year, 6, 4000, {"python": 0.9, "sql": 0.8 - 0.12 * i, "pytorch": 0.1 * i})
    c = converge(empty_store, A, B, min_n=30)
    assert c.trend.testable and c.trend.n_periods == 6
    assert c.trend.slope_per_period is not None and c.trend.slope_per_period > 0
    assert c.trend.slope_ci is not None and c.trend.slope_ci.low > 0
    assert c.trend.p_value is not None and c.trend.p_value < 0.05
    assert c.verdict == "supported"


def test_flat_similarity_is_not_supported(empty_store: Store) -> None:
    for year in range(2019, 2025):
        put(empty_store, A, year, 6, 5000, {"python": 0.9, "pytorch": 0.6, "sql": 0.2})
        put(empty_store, B, year, 6, 5000, {"python": 0.9, "sql": 0.7, "pytorch": 0.1})
    c = converge(empty_store, A, B, min_n=30)
    assert c.trend.testable and c.verdict == "not_supported"


def test_a_jump_between_years_is_not_a_monthly_trend(empty_store: Store) -> None:
    # flat within each year, higher similarity in 2024 than in 2023 (a different population, not a trend)
    for month in range(1, 7):
        put(empty_store, A, 2023, month, 5000, {"python": 0.9, "pytorch": 0.6, "sql": 0.2})
        put(empty_store, B, 2023, month, 5000, {"python": 0.9, "sql": 0.8})
        put(empty_store, A, 2024, month, 5000, {"python": 0.9, "pytorch": 0.6, "sql": 0.2})
        put(empty_store, B, 2024, month, 5000, {"python": 0.9, "sql": 0.3, "pytorch": 0.5})
    c = converge(empty_store, A, B, by="month", min_n=30)
    assert c.trend.testable and c.trend.n_periods == 12
    assert c.trend.slope_per_period == pytest.approx(0.0, abs=1e-9)
    assert c.verdict != "supported"


def test_bad_arguments(postings_store: Store) -> None:
    with pytest.raises(InputError):
        converge(postings_store, A, B, by="week")
    with pytest.raises(InputError):
        converge(postings_store, "mle", "machine learning engineer")


def test_corrected_cosine_does_not_fall_with_n(empty_store: Store) -> None:
    # the same shares each year with ever fewer postings: the corrected cosine stays near the true 0.5
    shares_a = {f"s{i}": 0.3 for i in range(20)}
    shares_b = {f"s{i}": 0.3 for i in range(10)} | {f"t{i}": 0.3 for i in range(10)}
    for year, n in zip(range(2019, 2025), (4000, 2000, 800, 400, 200, 100), strict=True):
        put(empty_store, A, year, 6, n, shares_a)
        put(empty_store, B, year, 6, n, shares_b)
    c = converge(empty_store, A, B, min_n=30)
    assert all(p.cosine_corrected == pytest.approx(0.5, abs=0.02) for p in c.periods)
    assert c.verdict != "supported"
