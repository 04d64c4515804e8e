"""Aggregates over job postings: the only postings tables that analytics read.

The bundled snapshot may not redistribute raw posting rows (their licence is not stated), so every postings
figure is computed from these tables; a user's warehouse and the snapshot then answer the same queries.
``refresh_aggregates(con)`` rebuilds them from ``postings`` + ``posting_skills`` after every postings ingest
and in the snapshot build. It runs DELETE + INSERT without its own transaction, so it joins the caller's.

``agg_skill_premium`` (DDL below) holds the pay premium of a skill among salaried postings:

=============== =======================================================================================
role            role id
level           level id, or ``'all'`` (every level of the role pooled)
country         ISO-2 country, or ``'all'`` (every country pooled, postings without a country included)
skill           canonical skill id
n_with          salaried postings of the cell that mention the skill
n_without       salaried postings of the cell (with skill information) that do not mention it
median_with     median USD/year of the ``n_with`` postings (NULL when withheld)
median_without  median USD/year of the ``n_without`` postings (NULL when withheld)
premium_pct     100 · (median_with / median_without − 1) (NULL when withheld)
ci_low, ci_high 95 % percentile bootstrap interval of premium_pct (both sides resampled independently)
withheld        TRUE when either side has fewer than ``min_cell`` (10) postings; the numbers are then NULL
=============== =======================================================================================

Years are pooled (2023 salaried subset + Sep–Dec 2024 in the bundled data): a cell is a pay comparison within
role × level × country, not a trend.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from careerlens.analytics.stats import percentile_interval

ALL = "all"
MIN_CELL = 10
BOOTSTRAP_SAMPLES = 1000
SEED = 20251

PREMIUM_DDL = """
CREATE TABLE IF NOT EXISTS agg_skill_premium (
    role VARCHAR, level VARCHAR, country VARCHAR, skill VARCHAR,
    n_with BIGINT, n_without BIGINT,
    median_with DOUBLE, median_without DOUBLE,
    premium_pct DOUBLE, ci_low DOUBLE, ci_high DOUBLE,
    withheld BOOLEAN
)
"""

_GROUP_COLS = "p.source, p.role, p.level, p.country, p.region, p.year, p.month, p.industry"


def genai_skill_ids() -> list[str]:
    """Skills of the KB category 'genai' (LLMs, prompt engineering, RAG, agents, vector databases, ...)."""
    from careerlens.kb.skills import load_skills

    return sorted(s.id for s in load_skills().values() if s.category == "genai")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create agg_skill_premium when missing (the other agg_* tables come with schema.sql)."""
    con.execute(PREMIUM_DDL)


def refresh_aggregates(
    con: duckdb.DuckDBPyConnection,
    *,
    genai_skills: list[str] | None = None,
    min_cell: int = MIN_CELL,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
) -> None:
    """Rebuild agg_posting_counts, agg_posting_skills and agg_skill_premium from the posting facts.

    Idempotent: the tables are emptied and refilled, so running it twice gives the same rows.
    """
    ensure_tables(con)
    genai = genai_skills if genai_skills is not None else genai_skill_ids()
    con.execute("DELETE FROM agg_posting_counts")
    con.execute("DELETE FROM agg_posting_skills")
    con.execute("DELETE FROM agg_skill_premium")
    # A posting's skills may come from the source label and the extractor: count a posting once per skill.
    con.execute(
        f"""
        INSERT INTO agg_posting_counts
        WITH ps AS (
            SELECT posting_id,
                   count(*) AS n_skills,
                   bool_or(list_contains($genai, skill)) AS has_genai
            FROM posting_skills GROUP BY posting_id
        )
        SELECT {_GROUP_COLS},
               count(*) AS n_postings,
               count(ps.posting_id) AS n_with_skills,
               count(*) FILTER (WHERE coalesce(ps.has_genai, FALSE)) AS n_genai
        FROM postings p LEFT JOIN ps ON ps.posting_id = p.posting_id
        GROUP BY ALL
        """,
        {"genai": genai},
    )
    con.execute(
        f"""
        INSERT INTO agg_posting_skills
        WITH ps AS (SELECT DISTINCT posting_id, skill FROM posting_skills)
        SELECT {_GROUP_COLS}, ps.skill, count(*) AS n_postings
        FROM postings p JOIN ps ON ps.posting_id = p.posting_id
        GROUP BY ALL
        """
    )
    rows = _premium_rows(con, min_cell=min_cell, samples=samples, seed=seed)
    if rows["role"]:
        table = pa.table(rows, schema=_PREMIUM_SCHEMA)
        con.register("_careerlens_premium_rows", table)
        try:
            con.execute(
                "INSERT INTO agg_skill_premium SELECT role, level, country, skill, n_with, n_without, "
                "median_with, median_without, premium_pct, ci_low, ci_high, withheld "
                "FROM _careerlens_premium_rows"
            )
        finally:
            con.unregister("_careerlens_premium_rows")


def _bootstrap_sorted_medians(
    x: NDArray[np.float64], samples: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Bootstrap medians of a sorted sample in O(samples), with the same distribution as resampling.

    The median of n indices drawn uniformly from 0..n-1 is floor(n·U₍k₎) with U₍k₎ ~ Beta(k, n+1−k), the k-th
    order statistic of n uniforms; a sorted sample maps indices to values monotonically. For even n the next
    order statistic is U₍k₎ + (1 − U₍k₎)·Beta(1, n−k). This keeps a full rebuild with thousands of cells to
    seconds where ``stats.bootstrap_medians`` would cost O(samples·n) per cell.
    """
    n = x.size
    if n % 2 == 1:
        k = (n + 1) // 2
        u = rng.beta(k, n + 1 - k, size=samples)
        return x[np.minimum((u * n).astype(np.int64), n - 1)]
    k = n // 2
    u1 = rng.beta(k, n + 1 - k, size=samples)
    u2 = u1 + (1.0 - u1) * rng.beta(1, n - k, size=samples)
    i1 = np.minimum((u1 * n).astype(np.int64), n - 1)
    i2 = np.minimum((u2 * n).astype(np.int64), n - 1)
    return (x[i1] + x[i2]) / 2.0


def _premium_rows(
    con: duckdb.DuckDBPyConnection, *, min_cell: int, samples: int, seed: int
) -> dict[str, list[Any]]:
    """One row per role × level × country × skill (and 'all' roll-ups), over salaried postings with skills."""
    facts = con.execute(
        """
        SELECT p.posting_id, p.role, p.level, p.country, p.salary_usd
        FROM postings p
        WHERE p.salary_usd IS NOT NULL AND p.salary_usd > 0
          AND EXISTS (SELECT 1 FROM posting_skills s WHERE s.posting_id = p.posting_id)
        ORDER BY p.posting_id
        """
    ).fetchnumpy()
    # one entry per (salaried posting, skill), ordered by posting: the posting's row in ``facts`` (its rank
    # by posting_id) and the skill's code
    skill_rows = con.execute(
        """
        WITH f AS (
            SELECT p.posting_id, row_number() OVER (ORDER BY p.posting_id) - 1 AS idx
            FROM postings p
            WHERE p.salary_usd IS NOT NULL AND p.salary_usd > 0
              AND EXISTS (SELECT 1 FROM posting_skills s WHERE s.posting_id = p.posting_id)),
        ps AS (
            SELECT DISTINCT s.posting_id, s.skill FROM posting_skills s
            JOIN postings p ON p.posting_id = s.posting_id
            WHERE p.salary_usd IS NOT NULL AND p.salary_usd > 0)
        SELECT f.idx, ps.skill FROM ps JOIN f USING (posting_id) ORDER BY f.idx
        """
    ).fetchnumpy()
    n_facts = len(facts["posting_id"])
    skill_col = np.asarray(skill_rows["skill"], dtype=object)
    names_arr, inverse = np.unique(skill_col, return_inverse=True)
    skill_names: list[str] = [str(x) for x in names_arr.tolist()]
    pair_post = np.asarray(skill_rows["idx"], dtype=np.int64)
    pair_skill = np.asarray(inverse, dtype=np.int64).reshape(-1)
    # CSR: the pairs of fact i are pair_skill[offsets[i]:offsets[i + 1]]
    degree = np.bincount(pair_post, minlength=n_facts).astype(np.int64)
    offsets = np.zeros(n_facts + 1, dtype=np.int64)
    np.cumsum(degree, out=offsets[1:])

    # cell key (role, level, country) → rows of facts; a posting belongs to four cells (detail and roll-ups)
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    roles = _as_list(facts["role"])
    levels = _as_list(facts["level"])
    countries = _as_list(facts["country"])
    for idx, (role, level, country) in enumerate(zip(roles, levels, countries, strict=True)):
        keys = {(role, level, ALL), (role, ALL, ALL)}
        if country:
            keys |= {(role, level, country), (role, ALL, country)}
        for key in keys:
            cells[key].append(idx)
    pay = np.asarray(facts["salary_usd"], dtype=np.float64)

    out: dict[str, list[Any]] = {c: [] for c in _PREMIUM_COLUMNS}
    for (role, level, country), members in sorted(cells.items()):
        members_arr = np.array(members, dtype=np.int64)
        members_arr = members_arr[np.argsort(pay[members_arr], kind="stable")]
        values = pay[members_arr]
        n = values.size
        # the pairs of the cell's facts: each with the fact's position in this cell's pay order
        counts_m = degree[members_arr]
        total = int(counts_m.sum())
        pos = np.repeat(np.arange(n, dtype=np.int64), counts_m)
        starts_m = np.repeat(offsets[members_arr] - (np.cumsum(counts_m) - counts_m), counts_m)
        codes = pair_skill[starts_m + np.arange(total, dtype=np.int64)]
        order = np.argsort(codes, kind="stable")  # by skill, then position (pos is ascending)
        pos, codes = pos[order], codes[order]
        # codes are sorted: runs of equal codes are the skills of the cell (what np.unique would return)
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1]))) if codes.size else codes
        uniq = codes[starts]
        counts = np.diff(np.append(starts, codes.size))
        for code, start, n_with in zip(uniq.tolist(), starts.tolist(), counts.tolist(), strict=True):
            skill = skill_names[code]
            n_without = n - n_with
            figures: tuple[Any, ...] = (None, None, None, None, None, True)
            if n_with >= min_cell and n_without >= min_cell:
                taken = pos[start : start + n_with]  # ascending positions of the postings with the skill
                w, wo = values[taken], np.delete(values, taken)  # both stay sorted
                med_w, med_wo = _sorted_median(w), _sorted_median(wo)
                # a seed per cell, so a cell's interval does not depend on which other cells exist
                rng = np.random.default_rng([seed, zlib.crc32(f"{role}|{level}|{country}|{skill}".encode())])
                ratio = _bootstrap_sorted_medians(w, samples, rng) / _bootstrap_sorted_medians(
                    wo, samples, rng
                )
                lo, hi = percentile_interval(100.0 * (ratio - 1.0))
                figures = (med_w, med_wo, 100.0 * (med_w / med_wo - 1.0), lo, hi, False)
            for col, value in zip(
                _PREMIUM_COLUMNS, (role, level, country, skill, n_with, n_without, *figures), strict=True
            ):
                out[col].append(value)
    return out


def _as_list(col: Any) -> list[Any]:
    """A fetched column as a list of Python values (masked entries, i.e. SQL NULLs, as None)."""
    if isinstance(col, np.ma.MaskedArray):
        return [
            None if m else v for v, m in zip(col.data.tolist(), np.ma.getmaskarray(col).tolist(), strict=True)
        ]
    return list(col.tolist())


def _sorted_median(x: NDArray[np.float64]) -> float:
    """Median of a sorted array (what np.median gives, without its sort)."""
    n = x.size
    return float((x[(n - 1) // 2] + x[n // 2]) / 2.0)


_PREMIUM_COLUMNS = (
    "role",
    "level",
    "country",
    "skill",
    "n_with",
    "n_without",
    "median_with",
    "median_without",
    "premium_pct",
    "ci_low",
    "ci_high",
    "withheld",
)

_PREMIUM_SCHEMA = pa.schema(
    [(c, pa.string()) for c in _PREMIUM_COLUMNS[:4]]
    + [("n_with", pa.int64()), ("n_without", pa.int64())]
    + [(c, pa.float64()) for c in _PREMIUM_COLUMNS[6:11]]
    + [("withheld", pa.bool_())]
)
