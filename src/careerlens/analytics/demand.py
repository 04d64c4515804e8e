"""Demand for roles in job postings: postings by role over year, month, country or industry, each role's
share of the period's postings, and the GenAI share (postings mentioning any GenAI skill / postings with
skills).

Counts reflect what was scraped, so the role's share of all postings in a cell is the comparable figure across
periods; raw counts are shown with it. Reads only ``agg_posting_counts``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from careerlens.analytics.models import Interval, ResultModel
from careerlens.analytics.salary import StoreLike, open_default_store, resolve_role
from careerlens.analytics.skills import (
    POSTINGS_CAVEATS,
    data_set_note,
    postings_source,
    query,
    resolve_data_set,
    source_clause,
    wilson_interval,
)
from careerlens.analytics.stats import withheld_note
from careerlens.errors import InputError
from careerlens.settings import Settings, get_settings

DEMAND_SCHEMA = "careerlens.demand/v1"
By = Literal["year", "month", "country", "industry"]
_KEY_SQL: dict[str, str] = {
    "year": "CAST(year AS VARCHAR)",
    "month": "CAST(year AS VARCHAR) || '-' || lpad(CAST(month AS VARCHAR), 2, '0')",
    "country": "country",
    "industry": "industry",
}
NOT_MEASURABLE = "not measurable in this data set"
NOT_MEASURABLE_NOTE = (
    "GenAI share is not measurable here: no posting of this data set mentions any GenAI skill, which "
    "means its skill labels (a fixed vocabulary) have no GenAI terms, not that no job asks for them. "
    "Use a data set whose skills were extracted from description text (--source)."
)
GENAI_DEFINITION = (
    "GenAI share = postings mentioning any skill of the knowledge-base category 'genai' (LLMs, "
    "generative AI, prompt engineering, RAG, fine-tuning, LangChain, vector databases, agents, ...) "
    "/ postings with skills."
)


class DemandCell(ResultModel):
    """Postings of one role in one period (or country, or industry)."""

    role: str
    key: str = Field(description="the year, 'YYYY-MM', country code or industry")
    n_postings: int
    n_total: int = Field(description="postings of every role in the same cell")
    share_of_postings: float | None = Field(default=None, description="n_postings / n_total")
    share_ci: Interval | None = None
    n_with_skills: int = Field(description="denominator of the GenAI share")
    n_genai: int | None = None
    genai_share: float | None = None
    genai_ci: Interval | None = Field(default=None, description="Wilson 95 % interval of the GenAI share")
    withheld: bool = False
    note: str | None = None
    genai_withheld: bool = False
    genai_note: str | None = None


class Demand(ResultModel):
    """`careerlens demand`: postings by role over a dimension, with GenAI share."""

    schema_: Literal["careerlens.demand/v1"] = Field(default="careerlens.demand/v1", alias="schema")
    by: By
    role: str | None = None
    min_n: int
    cells: list[DemandCell] = Field(default_factory=list)
    genai_definition: str = GENAI_DEFINITION
    genai_measurable: bool = Field(
        default=True, description="false when the data set's skills include no GenAI skill at all"
    )
    genai_note: str | None = None
    note: str | None = None
    data_set: str = Field(description="the postings data set used (a reader name), or 'all'")
    data_set_note: str
    source: str
    caveats: list[str] = Field(default_factory=lambda: list(POSTINGS_CAVEATS))


def demand(
    store: StoreLike,
    *,
    role: str | None = None,
    by: str = "year",
    min_n: int | None = None,
    source: str | None = None,
    settings: Settings | None = None,
    kb: Any | None = None,
) -> Demand:
    """Postings by role × ``by``, the role's share of the cell and the GenAI share; small cells withheld."""
    if by not in _KEY_SQL:
        raise InputError(
            f"cannot group demand by {by!r}", field="by", hint="use year, month, country or industry"
        )
    settings = settings or get_settings()
    min_n = settings.min_n if min_n is None else min_n
    role_id = resolve_role(role, kb)[0] if role else None
    used, sets = resolve_data_set(store, source)
    src, src_params = source_clause(used)
    measurable = _genai_measurable(store, src, src_params)
    key = _KEY_SQL[by]
    not_null = "year IS NOT NULL" + (" AND month IS NOT NULL" if by == "month" else "")
    if by in ("country", "industry"):
        not_null = f"{by} IS NOT NULL"
    rows = query(
        store,
        f"""
        WITH c AS (
            SELECT role, {key} AS k, sum(n_postings) AS n, sum(n_with_skills) AS w, sum(n_genai) AS g
            FROM agg_posting_counts WHERE {not_null} AND {src} GROUP BY ALL
        )
        SELECT role, k, n, w, g, sum(n) OVER (PARTITION BY k) AS total FROM c
        """,
        src_params,
    )
    cells: list[DemandCell] = []
    for r_id, k, n, w, g, total in rows:
        if role_id is not None and r_id != role_id:
            continue
        n, w, g, total = int(n), int(w), int(g), int(total)
        cell = DemandCell(role=str(r_id), key=str(k), n_postings=n, n_total=total, n_with_skills=w)
        note = withheld_note(n, min_n)
        if note is not None:
            cell.withheld, cell.note = True, note
        else:
            cell.share_of_postings, cell.share_ci = n / total, wilson_interval(n, total)
        gnote = withheld_note(w, min_n) if measurable else NOT_MEASURABLE
        if gnote is not None:
            cell.genai_withheld, cell.genai_note = True, gnote
        else:
            cell.n_genai, cell.genai_share, cell.genai_ci = g, g / w, wilson_interval(g, w)
        cells.append(cell)
    if by in ("year", "month"):
        cells.sort(key=lambda c: (c.role, c.key))
    else:
        cells.sort(key=lambda c: (c.role, -c.n_postings, c.key))
    return Demand(
        by=by,  # type: ignore[arg-type]
        role=role_id,
        min_n=min_n,
        cells=cells,
        genai_measurable=measurable,
        genai_note=None if measurable else NOT_MEASURABLE_NOTE,
        note=None
        if cells
        else f"no postings with {by} information in the data set {used or 'all'} (try --source)",
        data_set=used or "all",
        data_set_note=data_set_note(used, sets),
        source=postings_source(store, used),
    )


def _genai_measurable(store: StoreLike, src: str, params: list[Any]) -> bool:
    """Whether any posting of the data set mentions a GenAI skill: a fixed label vocabulary without GenAI
    terms (the Luke Barousse postings) gives a GenAI share of 0 by construction: not a measurement."""
    from careerlens.store.aggregates import genai_skill_ids

    rows = query(
        store,
        f"SELECT count(*) FROM agg_posting_skills WHERE {src} AND list_contains(?, skill)",
        [*params, genai_skill_ids()],
    )
    return bool(rows and rows[0][0])


def demand_for(
    role: str | None = None,
    *,
    by: str = "year",
    min_n: int | None = None,
    source: str | None = None,
    db: str | Path | None = None,
) -> Demand:
    """Library entry point: the same path as `careerlens demand`."""
    settings = get_settings(db=db)
    with open_default_store(settings=settings) as store:
        return demand(store, role=role, by=by, min_n=min_n, source=source, settings=settings)
