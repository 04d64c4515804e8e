"""refresh_aggregates on the hand-checked postings fixture (tests/fixtures/postings/README.md)."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from careerlens.analytics.stats import bootstrap_medians, percentile_interval
from careerlens.store import aggregates
from careerlens.store.aggregates import (
    ALL,
    _bootstrap_sorted_medians,
    _sorted_pairs,
    genai_skill_ids,
    refresh_aggregates,
)
from careerlens.store.warehouse import Store, open_warehouse

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "postings"


def load_postings_fixture(store: Store) -> None:
    for table in ("postings", "posting_skills"):
        store.con.execute(f"COPY {table} FROM '{FIXTURE / (table + '.csv')}' (HEADER, NULLSTR '')")


@pytest.fixture
def postings_store(tmp_path: Path) -> Iterator[Store]:
    with open_warehouse(tmp_path / "postings.duckdb") as s:
        load_postings_fixture(s)
        refresh_aggregates(s.con)
        yield s


def counts(store: Store, role: str, year: int) -> tuple[int, int, int]:
    row = store.con.execute(
        "SELECT sum(n_postings), sum(n_with_skills), sum(n_genai) FROM agg_posting_counts "
        "WHERE role = ? AND year = ?",
        [role, year],
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def skill_count(store: Store, role: str, year: int, skill: str) -> int:
    row = store.con.execute(
        "SELECT coalesce(sum(n_postings), 0) FROM agg_posting_skills "
        "WHERE role = ? AND year = ? AND skill = ?",
        [role, year, skill],
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_genai_skills_come_from_the_kb_category() -> None:
    ids = genai_skill_ids()
    assert {"llm", "rag", "prompt engineering", "langchain", "vector database"} <= set(ids)
    assert "python" not in ids


@pytest.mark.parametrize(
    ("role", "year", "expected"),
    [
        ("machine_learning_engineer", 2023, (10, 10, 1)),
        ("machine_learning_engineer", 2024, (11, 10, 4)),  # posting 21 has no skills
        ("data_scientist", 2024, (10, 10, 2)),
        ("ai_engineer", 2024, (8, 8, 6)),
        ("data_engineer", 2024, (25, 24, 0)),
    ],
)
def test_posting_counts_match_the_hand_counts(
    postings_store: Store, role: str, year: int, expected: tuple
) -> None:
    assert counts(postings_store, role, year) == expected


def test_a_skill_labelled_twice_counts_once(postings_store: Store) -> None:
    # posting 11 has python from the source label and from the extractor
    assert skill_count(postings_store, "machine_learning_engineer", 2024, "python") == 8
    assert skill_count(postings_store, "machine_learning_engineer", 2024, "llm") == 4


def test_counts_keep_the_grouping_columns(postings_store: Store) -> None:
    rows = postings_store.con.execute(
        "SELECT industry, sum(n_postings) FROM agg_posting_counts "
        "WHERE role = 'machine_learning_engineer' AND year = 2024 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("Finance", 6), ("Tech", 5)]


def test_refresh_is_idempotent(postings_store: Store) -> None:
    def snapshot() -> dict[str, list[tuple]]:
        return {
            t: postings_store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("agg_posting_counts", "agg_posting_skills", "agg_skill_premium")
        }

    before = snapshot()
    refresh_aggregates(postings_store.con)
    assert snapshot() == before


def test_refresh_follows_the_facts(postings_store: Store) -> None:
    postings_store.con.execute("DELETE FROM posting_skills WHERE skill = 'llm'")
    refresh_aggregates(postings_store.con)
    assert counts(postings_store, "machine_learning_engineer", 2024) == (11, 10, 0)
    assert skill_count(postings_store, "machine_learning_engineer", 2024, "llm") == 0


def test_skill_premium_cell(postings_store: Store) -> None:
    row = postings_store.con.execute(
        "SELECT n_with, n_without, median_with, median_without, premium_pct, ci_low, ci_high, withheld "
        "FROM agg_skill_premium WHERE role = 'data_engineer' AND level = 'senior' AND country = 'US' "
        "AND skill = 'spark'"
    ).fetchone()
    assert row is not None
    n_with, n_without, med_w, med_wo, prem, lo, hi, withheld = row
    # the 500k posting without skills is left out
    assert (n_with, n_without, med_w, med_wo) == (12, 12, 127_500.0, 107_500.0)
    assert prem == pytest.approx(100 * (127.5 / 107.5 - 1))
    assert lo <= prem <= hi and not withheld


def test_skill_premium_rollups_and_withholding(postings_store: Store) -> None:
    rows = postings_store.con.execute(
        "SELECT level, country, skill, n_with, n_without, premium_pct, withheld FROM agg_skill_premium "
        "WHERE role = 'data_engineer' ORDER BY ALL"
    ).fetchall()
    assert {(lv, c) for lv, c, *_ in rows} == {
        ("all", "all"),
        ("all", "US"),
        ("senior", "all"),
        ("senior", "US"),
    }
    by_skill = {(lv, c, s): (nw, nwo, p, w) for lv, c, s, nw, nwo, p, w in rows}
    assert by_skill[("all", "all", "aws")] == (3, 21, None, True)  # n_with below 10
    assert by_skill[("all", "all", "python")] == (24, 0, None, True)  # nobody without python


def test_fast_bootstrap_matches_resampling() -> None:
    rng = np.random.default_rng(1)
    for n in (31, 40):  # odd and even
        x = np.sort(rng.lognormal(11, 0.4, n))
        fast = _bootstrap_sorted_medians(x, 20_000, np.random.default_rng(2))
        slow = bootstrap_medians(x, 20_000, np.random.default_rng(3))
        lo_f, hi_f = percentile_interval(fast)
        lo_s, hi_s = percentile_interval(slow)
        spread = hi_s - lo_s
        assert abs(lo_f - lo_s) < 0.1 * spread and abs(hi_f - hi_s) < 0.1 * spread
        assert abs(np.mean(fast) - np.mean(slow)) < 0.05 * spread


def premium_by_the_definition(store: Store, min_cell: int, samples: int, seed: int) -> list[tuple[Any, ...]]:
    """agg_skill_premium worked out cell by cell, skill by skill, straight from the module docstring."""
    pay = dict(
        store.con.execute("SELECT posting_id, salary_usd FROM postings WHERE salary_usd > 0").fetchall()
    )
    skills: dict[int, set[str]] = defaultdict(set)
    for pid, skill in store.con.execute("SELECT posting_id, skill FROM posting_skills").fetchall():
        if pid in pay:
            skills[pid].add(skill)
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pid, role, level, country in store.con.execute(
        "SELECT posting_id, role, level, country FROM postings"
    ).fetchall():
        if pid in skills:
            keys = {(role, level, ALL), (role, ALL, ALL)}
            if country:
                keys |= {(role, level, country), (role, ALL, country)}
            for key in keys:
                cells[key].append(pid)
    rows: list[tuple[Any, ...]] = []
    for (role, level, country), members in sorted(cells.items()):
        for skill in sorted(set().union(*(skills[m] for m in members))):
            w = np.sort([pay[m] for m in members if skill in skills[m]])
            wo = np.sort([pay[m] for m in members if skill not in skills[m]])
            figures: tuple[Any, ...] = (None, None, None, None, None, True)
            if w.size >= min_cell and wo.size >= min_cell:
                rng = np.random.default_rng([seed, zlib.crc32(f"{role}|{level}|{country}|{skill}".encode())])
                ratio = _bootstrap_sorted_medians(w, samples, rng) / _bootstrap_sorted_medians(
                    wo, samples, rng
                )
                lo, hi = percentile_interval(100.0 * (ratio - 1.0))
                med_w, med_wo = float(np.median(w)), float(np.median(wo))
                figures = (med_w, med_wo, 100.0 * (med_w / med_wo - 1.0), lo, hi, False)
            rows.append((role, level, country, skill, w.size, wo.size, *figures))
    return rows


@pytest.mark.parametrize(("min_cell", "samples", "block"), [(10, 1000, 512), (3, 101, 2)])
def test_premium_rows_are_exactly_the_definition(
    postings_store: Store, monkeypatch: pytest.MonkeyPatch, min_cell: int, samples: int, block: int
) -> None:
    # the vectorised build (counts by sorting, intervals by blocks of rows) gives the very same numbers
    monkeypatch.setattr(aggregates, "_BLOCK", block)
    refresh_aggregates(postings_store.con, min_cell=min_cell, samples=samples, seed=7)
    got = postings_store.con.execute("SELECT * FROM agg_skill_premium").fetchall()
    expected = premium_by_the_definition(postings_store, min_cell, samples, 7)
    assert sum(not row[-1] for row in expected) >= 3  # some cells are reported, not only withheld ones
    assert got == expected


def test_sorted_pairs_overflow_path_gives_the_same_pairs() -> None:
    rng = np.random.default_rng(4)
    major, minor = rng.integers(0, 50, 2_000), rng.integers(0, 30, 2_000)
    fast = _sorted_pairs(major, minor, 30)
    slow = _sorted_pairs(major, minor, 2**62)  # major · n_minor would overflow: lexsort
    assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])
    assert len({(a, b) for a, b in zip(major.tolist(), minor.tolist(), strict=True)}) == fast[0].size
    assert np.all(np.diff(fast[0] * 30 + fast[1]) > 0)


# -- rebuilt by the first reader after postings ingests ---------------------------------------------------
SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "postings_small.csv"


def agg_rows(con: Any) -> dict[str, list[tuple]]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("agg_posting_counts", "agg_posting_skills", "agg_skill_premium")
    }


def test_ingest_leaves_the_rebuild_to_the_next_reader(tmp_path: Path) -> None:
    from careerlens.settings import get_settings
    from careerlens.store.aggregates import aggregates_stale, ensure_aggregates
    from careerlens.store.ingest import ingest
    from careerlens.store.warehouse import open_store

    db = tmp_path / "w.duckdb"
    with open_warehouse(db) as s:
        ingest(SMALL, "postings", s)
        assert s.con.execute("SELECT count(*) FROM agg_posting_counts").fetchone() == (0,)
        assert aggregates_stale(s.con)
    settings = get_settings(db=str(db))
    with open_store(settings) as s:  # the reader rebuilds, in the file
        assert not aggregates_stale(s.con)
        built = agg_rows(s.con)
        n = s.con.execute("SELECT count(*) FROM postings").fetchone()
        assert s.con.execute("SELECT sum(n_postings) FROM agg_posting_counts").fetchone() == n
    with open_warehouse(db) as s:  # persisted: a second reader rebuilds nothing, and a rebuild is the same
        assert not ensure_aggregates(s.con)
        assert agg_rows(s.con) == built
        refresh_aggregates(s.con)
        assert agg_rows(s.con) == built
        # a second file (another run) makes them stale again; the rebuild counts both runs' postings
        second = tmp_path / "second.csv"
        second.write_text(SMALL.read_text(encoding="utf-8").replace("2023", "2022"), encoding="utf-8")
        ingest(second, "postings", s)
        assert aggregates_stale(s.con)
    with open_store(settings, copy=True) as c:  # an in-memory copy (the web server) rebuilds in the copy
        assert not aggregates_stale(c.con)
        total = c.con.execute("SELECT count(*) FROM postings").fetchone()
        assert c.con.execute("SELECT sum(n_postings) FROM agg_posting_counts").fetchone() == total
        assert total is not None and n is not None and total[0] > n[0]
    with open_warehouse(db) as s:
        assert aggregates_stale(s.con)  # ... and leaves the file as it was
