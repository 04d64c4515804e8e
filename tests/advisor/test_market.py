"""With market data (a throwaway warehouse on the real schema): salaries along the path carry n, p25–p75 and
the median CI; thin cells are withheld; gaps are ranked by weight × demand × premium with figures and n."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from careerlens.advisor import advise
from careerlens.settings import Settings, get_settings
from careerlens.store.aggregates import ensure_tables
from careerlens.store.warehouse import open_warehouse


def _salaries(con: object, rows: list[tuple[str, str, str, float, int]]) -> None:
    fid = 0
    data = []
    rng = np.random.default_rng(7)
    for role, level, region, median, n in rows:
        for s in median * np.exp(rng.normal(0, 0.1, n)):
            fid += 1
            data.append((fid, "run0", "sha", fid, 1, "test", 2024, role, role, level, float(s), "US", region))
    con.executemany(  # type: ignore[attr-defined]
        "INSERT INTO salaries (fact_id, run_id, file_sha256, row_number, rows_collapsed, source, work_year, "
        "title, role, level, salary_usd, company_country, region) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        data,
    )


@pytest.fixture()
def market(tmp_path: Path) -> Settings:
    db = tmp_path / "warehouse.duckdb"
    store = open_warehouse(db)
    con = store.con
    ensure_tables(con)
    _salaries(
        con,
        [
            ("software_engineer", "senior", "North America", 150_000, 60),
            ("ai_engineer", "senior", "North America", 180_000, 50),
            ("ai_engineer", "lead", "North America", 220_000, 5),  # too few: withheld
            ("ai_engineer", "senior", "Europe & Central Asia", 90_000, 40),
        ],
    )
    con.execute(
        "INSERT INTO agg_posting_counts VALUES ('test', 'ai_engineer', 'senior', 'US', 'North America', "
        "2025, 3, NULL, 400, 400, 300)"
    )
    for skill, n in (("llm", 240), ("rag", 220), ("prompt engineering", 60), ("python", 380)):
        con.execute(
            "INSERT INTO agg_posting_skills VALUES ('test', 'ai_engineer', 'senior', 'US', 'North America', "
            "2025, 3, NULL, ?, ?)",
            [skill, n],
        )
    con.execute(  # 'ai agents' is in the data's vocabulary (another role's postings name it)
        "INSERT INTO agg_posting_skills VALUES ('test', 'data_scientist', 'senior', 'US', 'North America', "
        "2025, 3, NULL, 'ai agents', 3)"
    )
    con.execute(
        "INSERT INTO agg_skill_premium VALUES ('ai_engineer', 'all', 'all', 'rag', 120, 150, 190000, 160000, "
        "18.75, 10.0, 27.0, FALSE), ('ai_engineer', 'all', 'all', 'ai agents', 12, 150, 200000, 160000, "
        "25.0, 1.0, 50.0, TRUE)"
    )
    store.close()
    return get_settings(db=db, min_n=30)


def test_path_salaries_and_ranked_gaps(personas: dict[str, Path], market: Settings) -> None:
    advice = advise(resume=personas["backend"], target="ai_engineer", region="north america", settings=market)
    assert advice.profile.region == "North America"
    start, move, nxt = advice.path
    assert (start.role, start.level) == ("software_engineer", "senior")
    assert start.salary.n == 60 and not start.salary.withheld
    assert start.salary.p25 < start.salary.median < start.salary.p75  # type: ignore[operator]
    assert move.salary.n == 50 and move.salary.median == pytest.approx(180_000, rel=0.1)
    low_high, median = move.salary.median_ci, move.salary.median
    assert low_high is not None and median is not None and low_high[0] < median < low_high[1]
    assert (nxt.role, nxt.level) == ("ai_engineer", "lead")
    assert nxt.salary.withheld and nxt.salary.median is None and nxt.salary.n == 5
    gaps = {g.skill: g for g in advice.gaps}
    # rag: demand 220/400 and a premium (+18.75 %, n=120) → ranked above llm (240/400, no premium)
    assert gaps["rag"].demand_share == pytest.approx(0.55) and gaps["rag"].premium_pct == pytest.approx(18.75)
    assert "n=220 of 400" in gaps["rag"].why and "n=120" in gaps["rag"].why
    order = [g.skill for g in advice.gaps]
    assert (
        order.index("rag") < order.index("llm") < order.index("ai agents") < order.index("prompt engineering")
    )
    # a withheld premium is never shown as a number
    assert gaps["ai agents"].premium_pct is None and "pay premium: no data" in gaps["ai agents"].why
    # a skill the role's postings do not name is not measured: a neutral factor and "no data", never a zero
    assert "not named in the 400 AI Engineer postings" in gaps["ai agents"].why
    assert (
        gaps["ai agents"].demand_share is None
        and gaps["ai agents"].priority == gaps["generative ai"].priority
    )
    assert "no postings data set tags this skill" in gaps["generative ai"].why
    assert gaps["rag"].demand_source == "test" and "test)" in gaps["rag"].why
    assert advice.data_source


def test_region_changes_the_salaries(personas: dict[str, Path], market: Settings) -> None:
    advice = advise(resume=personas["backend"], target="ai_engineer", region="europe", settings=market)
    move = next(s for s in advice.path if s.role == "ai_engineer")
    assert move.salary.region == "Europe & Central Asia" and move.salary.n == 40
    assert move.salary.median == pytest.approx(90_000, rel=0.1)


def _postings(con: object, source: str, n_role: int, skills: dict[str, int]) -> None:
    con.execute(  # type: ignore[attr-defined]
        "INSERT INTO agg_posting_counts VALUES "
        "(?, 'ai_engineer', 'mid', 'US', 'North America', 2025, 3, NULL, ?, ?, 0)",
        [source, n_role, n_role],
    )
    for skill, n in skills.items():
        con.execute(  # type: ignore[attr-defined]
            "INSERT INTO agg_posting_skills VALUES (?, 'ai_engineer', 'mid', 'US', 'North America', 2025, 3, "
            "NULL, ?, ?)",
            [source, skill, n],
        )


def test_each_skill_takes_demand_from_the_largest_data_set_that_can_name_it(
    personas: dict[str, Path], tmp_path: Path
) -> None:
    """A label vocabulary without GenAI terms (the large set) and description text that names them (a small
    set): RAG's demand comes from the small set and says so; sets are never pooled; a set with too few of
    the role's postings is skipped."""
    db = tmp_path / "warehouse.duckdb"
    store = open_warehouse(db)
    ensure_tables(store.con)
    _postings(store.con, "labels", 1000, {"docker": 300, "sql": 300})
    _postings(store.con, "descriptions", 100, {"docker": 90, "rag": 40})
    _postings(store.con, "tiny", 10, {"langchain": 9})  # 10 < min_n: withheld, so langchain stays unmeasured
    store.close()
    advice = advise(resume=personas["analyst"], target="ai_engineer", settings=get_settings(db=db, min_n=30))
    gaps = {g.skill: g for g in advice.gaps}
    assert gaps["rag"].demand_source == "descriptions"
    assert gaps["rag"].demand_share == pytest.approx(0.40) and gaps["rag"].demand_n == 40
    assert "n=40 of 100, descriptions" in gaps["rag"].why
    assert gaps["langchain"].demand_share is None and gaps["langchain"].demand_source is None
    assert "no postings data set tags this skill" in gaps["langchain"].why
    # the larger set wins when both can name a skill
    assert gaps["docker"].demand_source == "labels" and gaps["docker"].demand_share == pytest.approx(0.30)
