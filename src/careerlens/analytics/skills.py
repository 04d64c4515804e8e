"""Top skills of a role in job postings: the share of the role's postings mentioning each skill, with a Wilson
95 % interval, and the change against the previous comparable period.

Reads only the ``agg_*`` tables (the bundled snapshot has no raw postings). The denominator of every share is
``n_with_skills`` — the postings with any skill information — because a posting without a skill list says
nothing about which skills it asks for.

Which periods are compared (the default): the chosen year (else the latest) against the same months of the
year before, so seasonality and partial-year coverage cancel; when the year before has no data for the role,
the latest month against the month before it. The result names both periods and their n.
"""

from __future__ import annotations

import calendar
import math
from pathlib import Path
from typing import Any, Literal

import duckdb
from pydantic import Field

from careerlens.analytics.models import Interval, ResultModel
from careerlens.analytics.salary import StoreLike, open_default_store, resolve_country, resolve_role
from careerlens.analytics.stats import withheld_note
from careerlens.errors import InputError, StoreError
from careerlens.settings import Settings, get_settings

SKILLS_SCHEMA = "careerlens.skills/v1"

# Caveats of the bundled postings data (data/SOURCES.md); shown with every postings result.
POSTINGS_CAVEATS: tuple[str, ...] = (
    "Postings of 2024 cover only September–December (the January–August files could not be obtained).",
    "Postings of 2023 are the salaried subset published for a course (every row has pay), so 2023 and 2024 "
    "are different populations: compare them with care.",
    "Postings were found by search categories (Data Analyst, Data Scientist, ML Engineer, ...); there is no "
    "'AI Engineer' search, so AI-engineer postings exist only where the title classifier finds them.",
    "Counts reflect what was scraped and kept, not the whole job market.",
    "In the 2023 postings, 'Sudan' as a country (2,680 rows) is a known artefact of the scrape: "
    "treat it as suspect.",
)

Period = tuple[tuple[int, int], ...]  # sorted (year, month) pairs


def wilson_interval(k: int, n: int, z: float = 1.959963984540054) -> Interval | None:
    """Wilson score 95 % interval of a proportion k/n; well-behaved near 0 and 1 and for small n."""
    if n <= 0:
        return None
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return Interval(low=low, high=high)


def newcombe_interval(k1: int, n1: int, k2: int, n2: int) -> Interval | None:
    """Newcombe's hybrid score interval of p1 − p2 from the two Wilson intervals."""
    a, b = wilson_interval(k1, n1), wilson_interval(k2, n2)
    if a is None or b is None:
        return None
    p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    low = d - math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2)
    high = d + math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2)
    return Interval(low=low, high=high)


def postings_source(store: StoreLike, source: str | None = None) -> str:
    """The postings files behind the figures (of one data set, or all when ``source`` is None),
    e.g. 'Luke Barousse data_jobs postings [snapshot]'."""
    names: list[str] = []
    sql = "SELECT DISTINCT source_name FROM ingest_runs WHERE dataset = 'postings'"
    params: list[Any] = []
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    try:
        names = [str(r[0]) for r in store.con.execute(sql + " ORDER BY 1", params).fetchall() if r[0]]
    except duckdb.Error:
        names = []
    if not names:
        names = [f"postings ({source or 'all data sets'})"]
    return "; ".join(names) + f" [{getattr(store, 'kind', 'store')}]"


class DataSet(ResultModel):
    """A postings data set (the reader that loaded it) and how many postings it holds."""

    source: str
    n_postings: int


def postings_data_sets(store: StoreLike) -> list[DataSet]:
    """Every postings data set in the aggregates, largest first."""
    rows = query(
        store,
        "SELECT source, sum(n_postings) FROM agg_posting_counts WHERE source IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    return [DataSet(source=str(s), n_postings=int(n)) for s, n in rows]


def resolve_data_set(store: StoreLike, source: str | None) -> tuple[str | None, list[DataSet]]:
    """The data set figures use: by default the largest, because data sets differ in how skills were found
    (a fixed label vocabulary vs. extraction from description text) and must not be mixed silently;
    ``'all'`` pools them (returns None)."""
    sets = postings_data_sets(store)
    if source is not None and source.strip().casefold() == "all":
        return None, sets
    if source is None:
        return (sets[0].source if sets else None), sets
    for d in sets:
        if d.source.casefold() == source.strip().casefold():
            return d.source, sets
    raise InputError(
        f"no postings data set {source!r}",
        field="source",
        hint="use one of " + ", ".join([d.source for d in sets] + ["all"]),
    )


def source_clause(source: str | None) -> tuple[str, list[Any]]:
    """SQL condition (with its parameters) restricting the aggregates to a data set; TRUE for all."""
    return ("source = ?", [source]) if source is not None else ("TRUE", [])


DATA_SET_NOTE = (
    "Figures use one postings data set ({used}); data sets are not mixed by default because they found "
    "skills differently (a fixed label vocabulary vs. extraction from description text). Others: {others}."
)


def data_set_note(used: str | None, sets: list[DataSet]) -> str:
    if not sets:
        return "There are no postings in this store: ingest a postings file with `careerlens ingest`."
    if used is None:
        return (
            "Figures pool every postings data set: "
            + ", ".join(f"{d.source} (n={d.n_postings:,})" for d in sets)
            + ". They found skills differently, so shares mix methods."
        )
    others = ", ".join(f"{d.source} (n={d.n_postings:,})" for d in sets if d.source != used) or "none"
    return DATA_SET_NOTE.format(used=used, others=others) + " Pass --source to choose."


def query(store: StoreLike, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Run a read query on the aggregates; a missing table becomes a StoreError that says what to run."""
    try:
        return store.con.execute(sql, params or []).fetchall()
    except duckdb.CatalogException as exc:
        raise StoreError(
            f"the postings aggregates are missing: {exc}",
            hint="run `careerlens ingest postings FILE` (it rebuilds them) or use the bundled snapshot",
        ) from None


def period_label(period: Period) -> str:
    """'Sep–Dec 2024', 'Oct 2024', '2023' (all 12 months) or a list for a gap-toothed set."""
    if not period:
        return "no data"
    by_year: dict[int, list[int]] = {}
    for y, m in period:
        by_year.setdefault(y, []).append(m)
    parts = []
    for y, months in sorted(by_year.items()):
        months.sort()
        if len(months) == 12:
            parts.append(str(y))
        elif len(months) == 1:
            parts.append(f"{calendar.month_abbr[months[0]]} {y}")
        elif months == list(range(months[0], months[-1] + 1)):
            parts.append(f"{calendar.month_abbr[months[0]]}–{calendar.month_abbr[months[-1]]} {y}")
        else:
            parts.append(", ".join(calendar.month_abbr[m] for m in months) + f" {y}")
    return "; ".join(parts)


def _period_sql(period: Period) -> tuple[str, list[Any]]:
    if not period:
        return "FALSE", []
    clause = " OR ".join("(year = ? AND month = ?)" for _ in period)
    params: list[Any] = [v for ym in period for v in ym]
    return f"({clause})", params


class SkillShare(ResultModel):
    """One skill: how many of the role's postings with skills mention it, in the period and before."""

    skill: str
    n: int = Field(description="postings mentioning the skill in the period")
    share: float = Field(description="n / n_with_skills of the period")
    ci: Interval | None = Field(default=None, description="Wilson 95 % interval of the share")
    n_previous: int | None = Field(default=None, description="postings mentioning it in the previous period")
    share_previous: float | None = None
    change_pp: float | None = Field(default=None, description="share(current) − share(previous), in points")
    change_ci_pp: Interval | None = Field(default=None, description="Newcombe 95 % interval of the change")


class TopSkills(ResultModel):
    """`careerlens skills`: the skills a role's postings ask for."""

    schema_: Literal["careerlens.skills/v1"] = Field(default="careerlens.skills/v1", alias="schema")
    role: str
    role_name: str
    country: str | None = None
    period: str = Field(description="the period the shares describe")
    n_postings: int = Field(description="postings of the role in the period")
    n_with_skills: int = Field(description="denominator of every share: postings with any skill information")
    compared_period: str | None = Field(default=None, description="the period the change is measured from")
    current_period_for_change: str | None = Field(
        default=None, description="the part of the period the change is measured to (same months)"
    )
    n_with_skills_previous: int | None = None
    n_with_skills_current_for_change: int | None = None
    comparison_note: str
    denominator_note: str = (
        "Shares are of the role's postings with any skill information (n_with_skills), not of all postings."
    )
    withheld: bool = False
    note: str | None = None
    min_n: int
    data_set: str = Field(description="the postings data set used (a reader name), or 'all'")
    data_set_note: str
    skills: list[SkillShare] = Field(default_factory=list)
    source: str
    caveats: list[str] = Field(default_factory=lambda: list(POSTINGS_CAVEATS))


def role_months(
    store: StoreLike, role: str, country: str | None = None, source: str | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """(year, month) → (n_postings, n_with_skills) of a role (and country, and data set)."""
    src, src_params = source_clause(source)
    where, params = f"role = ? AND year IS NOT NULL AND month IS NOT NULL AND {src}", [role, *src_params]
    if country:
        where += " AND country = ?"
        params.append(country)
    rows = query(
        store,
        f"SELECT year, month, sum(n_postings), sum(n_with_skills) FROM agg_posting_counts WHERE {where} "
        "GROUP BY year, month ORDER BY year, month",
        params,
    )
    return {(int(y), int(m)): (int(n), int(w)) for y, m, n, w in rows}


def choose_periods(
    months: dict[tuple[int, int], tuple[int, int]], year: int | None
) -> tuple[Period, Period, Period, str]:
    """(period, current part for the change, previous period, note) by the default described above."""
    with_skills = {ym for ym, (_, w) in months.items() if w > 0}
    years = sorted({y for y, _ in with_skills})
    if year is None:
        if not years:
            return (), (), (), "no postings with skill information"
        year = years[-1]
    period: Period = tuple(sorted(ym for ym in with_skills if ym[0] == year))
    if not period:
        return (), (), (), f"no postings with skill information in {year}"
    prev_year = tuple(sorted(ym for ym in with_skills if ym[0] == year - 1))
    if prev_year:
        cur_months = {m for _, m in period}
        same = tuple(ym for ym in prev_year if ym[1] in cur_months)
        if same:
            current = tuple(ym for ym in period if ym[1] in {m for _, m in same})
            note = (
                f"{period_label(current)} compared with the same months of {year - 1} "
                f"({period_label(same)}), so seasonality and partial-year coverage cancel."
            )
            return period, current, same, note
        note = f"{period_label(period)} compared with {period_label(prev_year)} (no months in common)."
        return period, period, prev_year, note
    if len(period) >= 2:
        current, previous = (period[-1],), (period[-2],)
        note = (
            f"{year - 1} has no postings of this role, so the latest month ({period_label(current)}) is "
            f"compared with the month before it ({period_label(previous)})."
        )
        return period, current, previous, note
    return period, (), (), f"only {period_label(period)} has data: no previous period to compare with."


def _skill_counts(
    store: StoreLike, role: str, period: Period, country: str | None, source: str | None
) -> dict[str, int]:
    if not period:
        return {}
    where, params = _period_sql(period)
    src, src_params = source_clause(source)
    sql = f"SELECT skill, sum(n_postings) FROM agg_posting_skills WHERE role = ? AND {where} AND {src}"
    all_params: list[Any] = [role, *params, *src_params]
    if country:
        sql += " AND country = ?"
        all_params.append(country)
    return {str(s): int(n) for s, n in query(store, sql + " GROUP BY skill", all_params)}


def top_skills(
    store: StoreLike,
    role: str,
    *,
    year: int | None = None,
    country: str | None = None,
    limit: int = 20,
    min_n: int | None = None,
    source: str | None = None,
    settings: Settings | None = None,
    kb: Any | None = None,
) -> TopSkills:
    """The ``limit`` skills most often mentioned by the role's postings, with shares, CIs and change."""
    settings = settings or get_settings()
    min_n = settings.min_n if min_n is None else min_n
    role_id, role_name = resolve_role(role, kb)
    iso2 = resolve_country(country)
    used, sets = resolve_data_set(store, source)
    months = role_months(store, role_id, iso2, used)
    period, current, previous, note = choose_periods(months, year)

    def total(p: Period, col: int) -> int:
        return sum(months[ym][col] for ym in p)

    n_with = total(period, 1)
    result = TopSkills(
        role=role_id,
        role_name=role_name,
        country=iso2,
        period=period_label(period) if period else (str(year) if year else "no data"),
        n_postings=total(period, 0),
        n_with_skills=n_with,
        comparison_note=note,
        min_n=min_n,
        data_set=used or "all",
        data_set_note=data_set_note(used, sets),
        source=postings_source(store, used),
    )
    withheld = withheld_note(n_with, min_n)
    if withheld is not None:
        result.withheld, result.note = True, withheld
        return result
    counts = _skill_counts(store, role_id, period, iso2, used)
    n_cur, n_prev = total(current, 1), total(previous, 1)
    compare = bool(previous) and n_cur >= min_n and n_prev >= min_n
    if previous:
        result.compared_period = period_label(previous)
        result.current_period_for_change = period_label(current)
        result.n_with_skills_previous = n_prev
        result.n_with_skills_current_for_change = n_cur
        if not compare:
            result.comparison_note += " The change is withheld: " + (
                withheld_note(min(n_cur, n_prev), min_n) or "too few data"
            )
    cur_counts: dict[str, int] = {}
    prev_counts: dict[str, int] = {}
    if compare:  # the counts of the change's two periods are read only when the change is shown
        cur_counts = counts if current == period else _skill_counts(store, role_id, current, iso2, used)
        prev_counts = _skill_counts(store, role_id, previous, iso2, used)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: max(0, limit)]
    for skill, k in ranked:
        row = SkillShare(skill=skill, n=k, share=k / n_with, ci=wilson_interval(k, n_with))
        if compare:
            kc, kp = cur_counts.get(skill, 0), prev_counts.get(skill, 0)
            row.n_previous, row.share_previous = kp, kp / n_prev
            row.change_pp = 100.0 * (kc / n_cur - kp / n_prev)
            ci = newcombe_interval(kc, n_cur, kp, n_prev)
            row.change_ci_pp = None if ci is None else Interval(low=100.0 * ci.low, high=100.0 * ci.high)
        result.skills.append(row)
    return result


def skills(
    role: str,
    *,
    year: int | None = None,
    country: str | None = None,
    limit: int = 20,
    min_n: int | None = None,
    source: str | None = None,
    db: str | Path | None = None,
) -> TopSkills:
    """Library entry point: the same path as `careerlens skills`."""
    settings = get_settings(db=db)
    with open_default_store(settings=settings) as store:
        return top_skills(
            store,
            role,
            year=year,
            country=country,
            limit=limit,
            min_n=min_n,
            source=source,
            settings=settings,
        )
