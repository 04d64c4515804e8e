"""Salary figures by role × level × region/country × year × company size, from the ``salaries`` survey table.

Roles are resolved through the knowledge base (id, name or alias), so `salary("mle")` and
`salary("Machine Learning Engineer")` give the same figure. Figures below ``min_n`` jobs are withheld.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import numpy as np

from careerlens.analytics.models import Interval, LevelSalary, SalaryCell, SalaryFilters, SalaryStats
from careerlens.analytics.stats import median_ci, quantiles, withheld_note
from careerlens.errors import InputError, StoreError
from careerlens.normalize.geo import REGIONS as WORLD_BANK_REGIONS
from careerlens.normalize.geo import to_iso2
from careerlens.settings import Settings, get_settings

if TYPE_CHECKING:
    from careerlens.store.warehouse import Store

LEVELS: tuple[str, ...] = ("entry", "mid", "senior", "lead", "executive", "unspecified")
_LEVEL_ALIASES = {
    "junior": "entry",
    "jr": "entry",
    "en": "entry",
    "intermediate": "mid",
    "mi": "mid",
    "sr": "senior",
    "se": "senior",
    "staff": "lead",
    "principal": "lead",
    "exec": "executive",
    "ex": "executive",
    "director": "executive",
}
_SIZES = {"s": "S", "small": "S", "m": "M", "medium": "M", "l": "L", "large": "L"}

# Short forms people type → a phrase that the World Bank region name contains (after normalising).
_REGION_SHORT = {
    "na": "north america",
    "us and canada": "north america",
    "eu": "europe",
    "europe": "europe",
    "emea": "europe",
    "latam": "latin america",
    "south america": "latin america",
    "mena": "middle east",
    "apac": "east asia",
    "asia pacific": "east asia",
    "africa": "sub saharan africa",
}


class StoreLike(Protocol):
    """What analytics need of a store (careerlens.store.warehouse.Store); read-only, so a store whose
    ``kind`` is a narrower type (Store's Literal) matches too."""

    @property
    def con(self) -> duckdb.DuckDBPyConnection: ...

    @property
    def kind(self) -> str: ...

    @property
    def source_label(self) -> str: ...


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("&", " and ")).split())


def resolve_role(role: str, kb: Any | None = None) -> tuple[str, str]:
    """(id, name) of a role given by id, name or alias; UnknownRoleError (with a hint) otherwise."""
    if kb is None:
        from careerlens.kb.roles import load_kb

        kb = load_kb()
    r = kb.role(role)
    return r.id, r.name


def resolve_level(level: str | None) -> str | None:
    if level is None:
        return None
    key = _norm(level).replace(" level", "")
    key = _LEVEL_ALIASES.get(key, key)
    if key not in LEVELS:
        raise InputError(f"unknown level {level!r}", field="level", hint="use one of " + ", ".join(LEVELS))
    return key


def resolve_company_size(size: str | None) -> str | None:
    if size is None:
        return None
    out = _SIZES.get(size.strip().casefold())
    if out is None:
        raise InputError(f"unknown company size {size!r}", field="company_size", hint="use S, M or L")
    return out


def resolve_country(country: str | None) -> str | None:
    """ISO-3166 alpha-2 code of a country given by code or name."""
    if country is None:
        return None
    iso2 = to_iso2(country)
    if iso2 is None:
        raise InputError(
            f"unknown country {country!r}",
            field="country",
            hint="use an ISO code (US, DE) or a name (Germany)",
        )
    return iso2


def resolve_region(store: StoreLike, region: str | None) -> str | None:
    """The region name used in the store for a World Bank region name or a short form ('europe', 'latam')."""
    if region is None:
        return None
    try:
        rows = store.con.execute("SELECT DISTINCT region FROM salaries WHERE region IS NOT NULL").fetchall()
        stored = [str(r[0]) for r in rows]
    except duckdb.Error:
        stored = []
    candidates = sorted(stored) + [r for r in WORLD_BANK_REGIONS if r not in stored]
    key = _norm(region)
    for cand in candidates:
        if _norm(cand) == key:
            return cand
    phrase = _REGION_SHORT.get(key, key)
    hits = [c for c in candidates if phrase and phrase in _norm(c)]
    if len(hits) >= 1:
        return hits[0]
    raise InputError(
        f"unknown region {region!r}",
        field="region",
        hint="use a World Bank region (" + "; ".join(WORLD_BANK_REGIONS) + ") or a short form like 'europe'",
    )


def source_label(store: StoreLike) -> str:
    """Which salary data sets the store holds: 'aijobs.net salary index (CC0) — bundled snapshot of …'."""
    names: list[str] = []
    try:
        rows = store.con.execute(
            "SELECT DISTINCT source_name FROM ingest_runs WHERE dataset = 'salaries' "
            "AND run_id IN (SELECT DISTINCT run_id FROM salaries) ORDER BY 1"
        ).fetchall()
        names = [r[0] for r in rows if r[0]]
    except duckdb.Error:
        names = []
    if not names:
        return str(getattr(store, "source_label", "") or "unknown source")
    return (
        "; ".join(names) + " — " + str(getattr(store, "source_label", "") or getattr(store, "kind", "store"))
    )


def salary_cell(
    values: np.ndarray[Any, Any] | list[float],
    *,
    source: str,
    min_n: int,
    settings: Settings,
) -> SalaryCell:
    """Quantiles and the bootstrap CI of the median of one group, or a withheld cell when n < min_n."""
    arr = np.asarray(values, dtype=np.float64)
    n = int(arr.size)
    note = withheld_note(n, min_n)
    if note is not None:
        return SalaryCell(n=n, source=source, withheld=True, note=note)
    q = quantiles(arr)
    low, high = median_ci(arr, samples=settings.bootstrap_samples, seed=settings.seed)
    return SalaryCell(
        n=n,
        source=source,
        p10=q["p10"],
        p25=q["p25"],
        median=q["median"],
        p75=q["p75"],
        p90=q["p90"],
        median_ci=Interval(low=low, high=high),
    )


def _where(filters: SalaryFilters) -> tuple[str, list[Any]]:
    clauses = ["role = ?"]
    params: list[Any] = [filters.role]
    for column, value in (
        ("level", filters.level),
        ("region", filters.region),
        ("company_country", filters.country),
        ("work_year", filters.year),
        ("company_size", filters.company_size),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(clauses), params


def fetch_salaries(store: StoreLike, filters: SalaryFilters) -> np.ndarray[Any, Any]:
    """USD/year salaries of the jobs matching the filters, in fact order: the bootstrap resamples positions,
    so the same facts must come in the same order whatever order the warehouse stored them in."""
    where, params = _where(filters)
    try:
        res = store.con.execute(
            f"SELECT salary_usd FROM salaries WHERE {where} ORDER BY fact_id", params
        ).fetchnumpy()
    except duckdb.Error as exc:
        raise StoreError(
            f"cannot read salaries: {exc}", hint="run `careerlens ingest` or use the snapshot"
        ) from None
    return np.asarray(res["salary_usd"], dtype=np.float64)


def build_filters(
    store: StoreLike,
    role: str,
    *,
    level: str | None = None,
    region: str | None = None,
    country: str | None = None,
    year: int | None = None,
    company_size: str | None = None,
    kb: Any | None = None,
) -> tuple[SalaryFilters, str]:
    """Normalise user filters (role alias, level synonym, country name, region short form) + the role name."""
    if region is not None and country is not None:
        raise InputError("give --region or --country, not both", field="region")
    role_id, role_name = resolve_role(role, kb)
    filters = SalaryFilters(
        role=role_id,
        level=resolve_level(level),
        region=resolve_region(store, region),
        country=resolve_country(country),
        year=year,
        company_size=resolve_company_size(company_size),
    )
    return filters, role_name


def salary_stats(
    store: StoreLike,
    role: str,
    *,
    level: str | None = None,
    region: str | None = None,
    country: str | None = None,
    year: int | None = None,
    company_size: str | None = None,
    min_n: int | None = None,
    settings: Settings | None = None,
    by_level: bool = False,
    kb: Any | None = None,
) -> SalaryStats:
    """Salary distribution of a role under filters (withheld below min_n); ``by_level`` adds levels."""
    settings = settings or get_settings()
    min_n = settings.min_n if min_n is None else min_n
    filters, role_name = build_filters(
        store, role, level=level, region=region, country=country, year=year, company_size=company_size, kb=kb
    )
    source = source_label(store)
    cell = salary_cell(fetch_salaries(store, filters), source=source, min_n=min_n, settings=settings)
    levels: list[LevelSalary] | None = None
    if by_level:
        levels = _by_level(store, filters, source=source, min_n=min_n, settings=settings)
    return SalaryStats(
        role=filters.role,
        role_name=role_name,
        filters=filters,
        min_n=min_n,
        by_level=levels,
        **cell.model_dump(),
    )


def _level_cells(
    store: StoreLike, filters: SalaryFilters, *, source: str, min_n: int, settings: Settings
) -> Iterator[tuple[str, SalaryFilters, SalaryCell]]:
    """Each level with any job under ``filters`` (ladder order): the level, its filters, its salary cell."""
    for lv in LEVELS:
        level_filters = filters.model_copy(update={"level": lv})
        values = fetch_salaries(store, level_filters)
        if values.size:
            yield lv, level_filters, salary_cell(values, source=source, min_n=min_n, settings=settings)


def _by_level(
    store: StoreLike, filters: SalaryFilters, *, source: str, min_n: int, settings: Settings
) -> list[LevelSalary]:
    cells = _level_cells(store, filters, source=source, min_n=min_n, settings=settings)
    return [LevelSalary(level=lv, **cell.model_dump()) for lv, _, cell in cells]


def salary_by_level(
    store: StoreLike,
    role: str,
    *,
    min_n: int | None = None,
    settings: Settings | None = None,
    kb: Any | None = None,
    **filters: Any,
) -> list[SalaryStats]:
    """One SalaryStats per level that has any job of the role (levels in ladder order)."""
    settings = settings or get_settings()
    min_n = settings.min_n if min_n is None else min_n
    filters.pop("level", None)
    # the filters and the source are the same for every level: resolve and look them up once
    base, role_name = build_filters(store, role, kb=kb, **filters)
    cells = _level_cells(store, base, source=source_label(store), min_n=min_n, settings=settings)
    return [
        SalaryStats(role=f.role, role_name=role_name, filters=f, min_n=min_n, **cell.model_dump())
        for _, f, cell in cells
    ]


def open_default_store(db: str | Path | None = None, settings: Settings | None = None) -> Store:
    """The store the CLI would use: the warehouse at --db / $CAREERLENS_DB, else the bundled snapshot.

    Open it in a ``with`` block: the store holds a DuckDB connection (and a warehouse file's lock)."""
    from careerlens.store.warehouse import open_store

    return open_store(settings or get_settings(db=db))


def salary(
    role: str,
    *,
    level: str | None = None,
    region: str | None = None,
    country: str | None = None,
    year: int | None = None,
    company_size: str | None = None,
    min_n: int | None = None,
    by_level: bool = False,
    db: str | Path | None = None,
) -> SalaryStats:
    """Library entry point: the same path as `careerlens salary`; returns the result instead of printing."""
    settings = get_settings(db=db)
    resolve_role(role)  # an unknown role fails before the store is opened
    with open_default_store(settings=settings) as store:
        return salary_stats(
            store,
            role,
            level=level,
            region=region,
            country=country,
            year=year,
            company_size=company_size,
            min_n=min_n,
            settings=settings,
            by_level=by_level,
        )
