"""salary_stats on a throwaway warehouse: filters, role aliases, withholding and the level breakdown."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from careerlens.analytics.salary import salary_by_level, salary_stats
from careerlens.errors import InputError, UnknownRoleError
from careerlens.settings import Settings
from careerlens.store.warehouse import Store

MLE = "machine_learning_engineer"


@pytest.fixture
def filled(jobs: Any) -> Any:
    jobs.add(MLE, np.arange(100_000, 140_000, 1_000), level="senior")  # 40 jobs, median 119,500
    jobs.add(MLE, np.arange(60_000, 72_000, 1_000), level="entry")  # 12 jobs
    jobs.add(MLE, [50_000] * 35, level="mid", region="Europe & Central Asia", country="DE", year=2023)
    jobs.add(MLE, [300_000] * 31, level="senior", size="L", year=2025)
    return jobs


def test_overall_figures_with_quantiles_ci_n_and_source(
    store: Store, filled: Any, settings: Settings, source_name: str
) -> None:
    s = salary_stats(store, "mle", settings=settings)
    assert s.role == MLE and s.role_name == "Machine Learning Engineer"
    assert s.n == 40 + 12 + 35 + 31 and not s.withheld
    assert s.median == pytest.approx(
        float(
            np.median(
                np.r_[
                    np.arange(100_000, 140_000, 1_000),
                    np.arange(60_000, 72_000, 1_000),
                    [50_000] * 35,
                    [300_000] * 31,
                ]
            )
        )
    )
    assert s.median_ci is not None and s.median_ci.low <= s.median <= s.median_ci.high
    assert s.p10 is not None and s.p90 is not None and s.p10 <= s.p25 <= s.median <= s.p75 <= s.p90  # type: ignore[operator]
    assert source_name in s.source
    assert s.model_dump()["schema"] == "careerlens.salary/v1"


@pytest.mark.parametrize(
    ("filters", "n"),
    [
        ({"level": "senior"}, 71),
        ({"level": "Sr"}, 71),
        ({"region": "europe"}, 35),
        ({"region": "North America"}, 83),
        ({"country": "Germany"}, 35),
        ({"country": "us"}, 83),
        ({"year": 2025}, 31),
        ({"company_size": "large"}, 31),
        ({"level": "senior", "year": 2024, "company_size": "M"}, 40),
    ],
)
def test_filters(store: Store, filled: Any, settings: Settings, filters: dict[str, object], n: int) -> None:
    assert salary_stats(store, MLE, settings=settings, **filters).n == n  # type: ignore[arg-type]


def test_filters_are_normalised_in_the_result(store: Store, filled: Any, settings: Settings) -> None:
    s = salary_stats(store, "ML Engineer", region="europe", level="Senior", settings=settings)
    assert (
        s.filters.region == "Europe & Central Asia" and s.filters.level == "senior" and s.filters.role == MLE
    )


def test_below_min_n_is_withheld_with_a_note(store: Store, filled: Any, settings: Settings) -> None:
    s = salary_stats(store, MLE, level="entry", settings=settings)
    assert s.withheld and s.n == 12
    assert s.note == "too few data (n=12 < 30)"
    assert s.median is None and s.p10 is None and s.median_ci is None
    assert not salary_stats(store, MLE, level="entry", min_n=10, settings=settings).withheld


def test_by_level_breakdown_in_ladder_order(store: Store, filled: Any, settings: Settings) -> None:
    s = salary_stats(store, MLE, by_level=True, settings=settings)
    assert s.by_level is not None
    assert [(c.level, c.n, c.withheld) for c in s.by_level] == [
        ("entry", 12, True),
        ("mid", 35, False),
        ("senior", 71, False),
    ]
    levels = salary_by_level(store, MLE, settings=settings, region="north america")
    assert [(x.filters.level, x.n) for x in levels] == [("entry", 12), ("senior", 71)]


def test_salary_by_level_equals_salary_stats_per_level(store: Store, filled: Any, settings: Settings) -> None:
    where = {"region": "north america", "min_n": 10, "settings": settings}
    levels = salary_by_level(store, MLE, **where)
    each = [salary_stats(store, MLE, level=x.filters.level, **where) for x in levels]
    assert len(levels) == 2
    assert [x.model_dump() for x in levels] == [x.model_dump() for x in each]


def test_unknown_role_raises_with_a_hint(store: Store, settings: Settings) -> None:
    with pytest.raises(UnknownRoleError) as exc:
        salary_stats(store, "wizard", settings=settings)
    assert exc.value.hint and "machine_learning_engineer" in exc.value.hint


@pytest.mark.parametrize(
    "filters",
    [
        {"level": "godlike"},
        {"region": "atlantis"},
        {"country": "Narnia"},
        {"company_size": "XL"},
        {"region": "europe", "country": "DE"},
    ],
)
def test_bad_filters_raise_input_errors(store: Store, settings: Settings, filters: dict[str, str]) -> None:
    with pytest.raises(InputError) as exc:
        salary_stats(store, MLE, settings=settings, **filters)  # type: ignore[arg-type]
    assert exc.value.hint or "both" in exc.value.message


def test_empty_role_is_withheld_not_an_error(store: Store, settings: Settings) -> None:
    s = salary_stats(store, "ai engineer", settings=settings)
    assert s.n == 0 and s.withheld and s.note == "too few data (n=0 < 30)"


def test_library_entry_point_opens_the_warehouse_like_the_cli(
    store: Store, filled: Any, db_path: Any
) -> None:
    from careerlens.analytics.salary import salary

    s = salary("mle", level="senior", db=db_path)
    assert s.n == 71 and s.filters.level == "senior"
    assert store.con.execute("SELECT count(*) FROM salaries").fetchone() == (
        118,
    )  # our connection still works


def test_intervals_do_not_depend_on_the_order_the_facts_are_stored_in(
    store: Store, filled: Any, settings: Settings
) -> None:
    """The bootstrap resamples positions: the same facts stored in another order (a parallel insert may
    store them so) must give the same intervals."""
    from careerlens.analytics.compare import MLE as MLE_ID
    from careerlens.analytics.compare import matched_premium

    filled.add("ai_engineer", np.arange(90_000, 150_000, 1_500), level="senior")

    def figures() -> tuple[object, ...]:
        s = salary_stats(store, "mle", settings=settings)
        levels = salary_by_level(store, "mle", settings=settings)
        p = matched_premium(store, "ai_engineer", MLE_ID, settings=settings)
        return s.median_ci, [lv.median_ci for lv in levels], p.ci_pct, p.estimate_pct

    stored = figures()
    con = store.con
    order = [r[0] for r in con.execute("SELECT fact_id FROM salaries").fetchall()]
    con.execute("CREATE TEMP TABLE reversed AS SELECT * FROM salaries ORDER BY fact_id DESC")
    con.execute("DELETE FROM salaries")
    con.execute("INSERT INTO salaries SELECT * FROM reversed")
    assert [r[0] for r in con.execute("SELECT fact_id FROM salaries").fetchall()] == order[::-1]
    assert figures() == stored
