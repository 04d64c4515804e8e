"""Pay: everything becomes USD per year.

Exchange rates are not downloaded: ``data/fx_usd.csv`` is *derived* from the CC0 ai-jobs data, which
    gives every
salary both in its own currency and in USD (upstream's conversion). The rate of a currency in a year is the
median of
salary_in_usd / salary over that data's rows (``derive_fx_table``); ``snapshot build`` rewrites the file.
Rates: hour × 2080, day × 260, month × 12, year × 1 (a full-time year).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from careerlens.errors import InputError

FX_FILE = Path(__file__).parent / "data" / "fx_usd.csv"

RATE_FACTORS: dict[str, float] = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 260.0, "hour": 2080.0}
MIN_USD_YEAR = 1_000.0
MAX_USD_YEAR = 5_000_000.0

_HEADER = (
    "# USD per unit of currency by year, derived from the CC0 aijobs.net salary index "
    "(ai_jobs_salaries.csv):\n"
    "# usd_per_unit = median(salary_in_usd / salary) over n rows of that currency and work_year "
    "(upstream's own FX).\n"
    "# Written by careerlens.normalize.pay.derive_fx_table during `careerlens snapshot build`; do not "
    "edit by hand.\n"
)


@dataclass(frozen=True)
class FxRate:
    year: int
    currency: str
    usd_per_unit: float
    n: int
    source: str


def derive_fx_table(
    source: duckdb.DuckDBPyConnection | str | Path, table: str = "ai_jobs_raw"
) -> list[FxRate]:
    """FX rates from ai-jobs data: a path to ai_jobs_salaries.csv, or a connection holding its raw rows
    in ``table``."""
    if isinstance(source, str | Path):
        con = duckdb.connect()
        rel = f"read_csv('{str(source).replace(chr(39), chr(39) * 2)}', all_varchar=true, header=true)"
        label = Path(source).name
    else:
        con, rel, label = source, table, "ai-jobs"
    rows = con.execute(
        f"""
        SELECT TRY_CAST(work_year AS INTEGER) AS year, upper(trim(salary_currency)) AS currency,
               round(median(TRY_CAST(salary_in_usd AS DOUBLE) / TRY_CAST(salary AS DOUBLE)), 8) AS rate,
               count(*) AS n
        FROM {rel}
        WHERE TRY_CAST(salary AS DOUBLE) > 0 AND TRY_CAST(salary_in_usd AS DOUBLE) > 0
              AND TRY_CAST(work_year AS INTEGER) IS NOT NULL AND salary_currency IS NOT NULL
        GROUP BY ALL ORDER BY currency, year
        """
    ).fetchall()
    out = [FxRate(int(y), str(c), float(r), int(n), f"ai-jobs median ({label})") for y, c, r, n in rows]
    years = sorted({r.year for r in out})
    have_usd = {r.year for r in out if r.currency == "USD"}
    out += [FxRate(y, "USD", 1.0, 0, "identity") for y in years if y not in have_usd]
    return sorted(out, key=lambda r: (r.currency, r.year))


def write_fx_table(rates: list[FxRate], path: Path = FX_FILE) -> Path:
    """Write the FX table as CSV with a provenance header (deterministic: sorted, fixed float format)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(_HEADER)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["year", "currency", "usd_per_unit", "n", "source"])
        for r in sorted(rates, key=lambda r: (r.currency, r.year)):
            writer.writerow([r.year, r.currency, f"{r.usd_per_unit:.8g}", r.n, r.source])
    load_fx_table.cache_clear()
    return path


@lru_cache(maxsize=4)
def load_fx_table(path: Path = FX_FILE) -> tuple[FxRate, ...]:
    """The FX table as rows; a missing file means only USD is known."""
    if not path.exists():
        return (FxRate(2020, "USD", 1.0, 0, "identity"),)
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(
            FxRate(int(r["year"]), r["currency"], float(r["usd_per_unit"]), int(r["n"]), r["source"])
            for r in reader
        )


def register_fx(con: duckdb.DuckDBPyConnection, name: str = "fx_usd", path: Path = FX_FILE) -> str:
    """Create a temp table ``name``(year, currency, usd_per_unit) in ``con`` so ingest converts pay in SQL."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (year INTEGER, currency VARCHAR, usd_per_unit DOUBLE)")
    rows = [(r.year, r.currency, r.usd_per_unit) for r in load_fx_table(path)]
    if not any(c == "USD" for _, c, _ in rows):
        rows.append((2020, "USD", 1.0))
    con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?)", rows)
    return name


def usd_per_unit(currency: str, year: int, path: Path = FX_FILE) -> float:
    """USD per unit of ``currency`` in ``year`` (nearest year when the exact one is missing; ties → the
    later)."""
    cur = currency.strip().upper()
    if cur == "USD":
        return 1.0
    candidates = [r for r in load_fx_table(path) if r.currency == cur]
    if not candidates:
        known = sorted({r.currency for r in load_fx_table(path)})
        raise InputError(
            f"unknown currency {currency!r}",
            field="currency",
            hint="use one of " + ", ".join(known) + " or give the salary in USD",
        )
    best = min(candidates, key=lambda r: (abs(r.year - year), -r.year))
    return best.usd_per_unit


def to_usd_year(amount: float, currency: str, year: int, rate: str = "year") -> float:
    """An amount of pay in ``currency`` per ``rate`` ('year'|'month'|'day'|'hour') as USD per year."""
    factor = RATE_FACTORS.get(rate.strip().lower())
    if factor is None:
        raise InputError(
            f"unknown pay rate {rate!r}", field="rate", hint="use one of " + ", ".join(RATE_FACTORS)
        )
    return float(amount) * factor * usd_per_unit(currency, year)
