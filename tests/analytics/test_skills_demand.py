"""top_skills and demand on the hand-checked postings fixture (tests/fixtures/postings/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerlens.analytics.demand import demand
from careerlens.analytics.skills import choose_periods, period_label, top_skills, wilson_interval
from careerlens.errors import InputError, StoreError, UnknownRoleError
from careerlens.store.aggregates import refresh_aggregates
from careerlens.store.warehouse import Store, open_warehouse


def test_wilson_interval_known_values() -> None:
    ci = wilson_interval(8, 10)
    assert ci is not None
    assert (ci.low, ci.high) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    zero = wilson_interval(0, 10)
    assert zero is not None and zero.low == 0.0 and zero.high == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_top_skills_shares_and_change_vs_same_months_of_last_year(postings_store: Store) -> None:
    t = top_skills(postings_store, "mle", min_n=5)
    assert t.role == "machine_learning_engineer"
    assert (t.period, t.compared_period) == ("Oct 2024", "Oct 2023")
    assert (t.n_postings, t.n_with_skills, t.n_with_skills_previous) == (11, 10, 10)
    rows = {s.skill: s for s in t.skills}
    assert [s.skill for s in t.skills] == ["python", "pytorch", "llm", "sql"]
    assert (rows["python"].n, rows["python"].share) == (8, 0.8)
    assert rows["python"].n_previous == 6 and rows["python"].change_pp == pytest.approx(20.0)
    assert rows["llm"].change_pp == pytest.approx(30.0)
    assert rows["sql"].change_pp == pytest.approx(-20.0)
    assert rows["pytorch"].change_pp == pytest.approx(0.0)
    ci = rows["llm"].change_ci_pp
    assert ci is not None and ci.low < 30.0 < ci.high
    assert "n_with_skills" in t.denominator_note


def test_top_skills_falls_back_to_the_previous_month(postings_store: Store) -> None:
    t = top_skills(postings_store, "AI Engineer", min_n=3)
    assert t.period == "Sep–Oct 2024"
    assert (t.current_period_for_change, t.compared_period) == ("Oct 2024", "Sep 2024")
    rows = {s.skill: s for s in t.skills}
    assert rows["llm"].share == pytest.approx(6 / 8)
    assert rows["llm"].change_pp == pytest.approx(50.0)  # 4/4 in Oct vs 2/4 in Sep
    assert rows["rag"].n_previous == 0
    assert "month before" in t.comparison_note


def test_top_skills_for_an_earlier_year_and_limit(postings_store: Store) -> None:
    t = top_skills(postings_store, "data_scientist", year=2023, limit=2, min_n=5)
    assert t.period == "Oct 2023" and t.compared_period is None
    assert [(s.skill, s.n) for s in t.skills] == [("python", 8), ("sql", 8)]
    assert all(s.change_pp is None for s in t.skills)


def test_top_skills_withheld_below_min_n(postings_store: Store) -> None:
    t = top_skills(postings_store, "mle", min_n=30)
    assert t.withheld and t.skills == [] and "too few data" in (t.note or "")


def test_top_skills_country_filter(postings_store: Store) -> None:
    t = top_skills(postings_store, "mle", country="Germany", min_n=1)
    assert t.withheld and t.n_with_skills == 0


def test_unknown_role(postings_store: Store) -> None:
    with pytest.raises(UnknownRoleError):
        top_skills(postings_store, "astronaut")


def test_periods_default() -> None:
    months = {(2023, 9): (5, 5), (2023, 10): (5, 5), (2024, 10): (5, 5), (2024, 11): (5, 5)}
    period, current, previous, _ = choose_periods(months, None)
    assert period_label(period) == "Oct–Nov 2024"
    assert period_label(current) == "Oct 2024" and period_label(previous) == "Oct 2023"
    assert period_label(tuple((2023, m) for m in range(1, 13))) == "2023"


def test_demand_by_year(postings_store: Store) -> None:
    d = demand(postings_store, by="year", min_n=5)
    cells = {(c.role, c.key): c for c in d.cells}
    mle = cells[("machine_learning_engineer", "2024")]
    assert (mle.n_postings, mle.n_total, mle.n_with_skills, mle.n_genai) == (11, 54, 10, 4)
    assert mle.share_of_postings == pytest.approx(11 / 54)
    assert mle.genai_share == pytest.approx(0.4)
    assert mle.genai_ci is not None and mle.genai_ci.low < 0.4 < mle.genai_ci.high
    assert cells[("machine_learning_engineer", "2023")].genai_share == pytest.approx(0.1)
    assert cells[("data_scientist", "2023")].share_of_postings == pytest.approx(0.5)
    assert any("September" in c for c in d.caveats)


def test_demand_withholds_small_cells(postings_store: Store) -> None:
    d = demand(postings_store, role="ai engineer", by="month", min_n=5)
    assert [c.key for c in d.cells] == ["2024-09", "2024-10"]
    for c in d.cells:
        assert c.withheld and c.share_of_postings is None and c.genai_withheld and c.genai_share is None
        assert c.n_postings == 4 and "too few data" in (c.note or "")


def test_demand_by_industry_and_country(postings_store: Store) -> None:
    d = demand(postings_store, role="mle", by="industry", min_n=1)
    assert [(c.key, c.n_postings, c.n_genai) for c in d.cells] == [("Finance", 6, 0), ("Tech", 5, 4)]
    d = demand(postings_store, by="country", min_n=1)
    assert {c.key for c in d.cells} == {"US"}


def test_demand_rejects_an_unknown_dimension(postings_store: Store) -> None:
    with pytest.raises(InputError):
        demand(postings_store, by="planet")


def test_missing_aggregates_raise_store_error(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "empty.duckdb") as s:
        s.con.execute("DROP TABLE agg_posting_counts")
        with pytest.raises(StoreError):
            demand(s, by="year")


def add_generic_postings(store: Store) -> None:
    """Three more MLE postings (Oct 2024) from a second data set whose skills have no GenAI term."""
    for pid in (201, 202, 203):
        store.con.execute(
            "INSERT INTO postings (posting_id, run_id, file_sha256, row_number, source, title, role, level, "
            "country, year, month, has_description) VALUES (?, 'g', 'sha', ?, 'generic', 'ML Engineer', "
            "'machine_learning_engineer', 'mid', 'US', 2024, 10, TRUE)",
            [pid, pid],
        )
        store.con.execute("INSERT INTO posting_skills VALUES (?, 'excel', 'extractor')", [pid])
    refresh_aggregates(store.con)


def test_data_sets_are_not_mixed_by_default(postings_store: Store) -> None:
    add_generic_postings(postings_store)
    t = top_skills(postings_store, "mle", min_n=1)
    assert t.data_set == "postings" and t.n_with_skills == 10 and "generic (n=3)" in t.data_set_note
    pooled = top_skills(postings_store, "mle", min_n=1, source="all")
    assert pooled.data_set == "all" and pooled.n_with_skills == 13
    only = top_skills(postings_store, "mle", min_n=1, source="generic")
    assert [(s.skill, s.n) for s in only.skills] == [("excel", 3)]
    with pytest.raises(InputError):
        top_skills(postings_store, "mle", source="nope")


def test_genai_share_not_measurable_without_genai_vocabulary(postings_store: Store) -> None:
    add_generic_postings(postings_store)
    d = demand(postings_store, by="year", min_n=1, source="generic")
    assert not d.genai_measurable and "not measurable" in (d.genai_note or "")
    assert all(c.genai_withheld and c.genai_share is None for c in d.cells)
    assert demand(postings_store, by="year", min_n=1).genai_measurable


def test_demand_says_when_a_dimension_is_empty(postings_store: Store) -> None:
    postings_store.con.execute("UPDATE postings SET industry = NULL")
    refresh_aggregates(postings_store.con)
    d = demand(postings_store, by="industry", min_n=1)
    assert d.cells == [] and "no postings with industry information" in (d.note or "")


def test_a_store_without_postings_says_so(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "empty.duckdb") as s:
        refresh_aggregates(s.con)
        t = top_skills(s, "mle")
        assert t.withheld and t.skills == [] and "no postings" in t.data_set_note
        assert demand(s).cells == []
