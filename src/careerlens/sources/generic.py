"""Generic reader: any CSV/JSONL/Parquet described by a mapping TOML (``--map mapping.toml``).

dataset = "salaries" | "postings"
source_name = "human label"            # optional; origin, licence, url are kept for the snapshot manifest
[columns]   our_field = "their column" # fields: SALARY_FIELDS or POSTING_FIELDS of careerlens.sources
[defaults]  our_field = value          # used when the column is absent or empty (currency, year, rate, ...)
            scrape_date = "2025-09-06" # the date relative 'posted_since' text counts back from
[parse]     missing = ["-1"]           # cell values meaning "missing"
            salary = "glassdoor_range" # "$53K-$91K (Glassdoor est.)" → midpoint, per year or per hour
            posted_date = "relative"   # "5 days ago" → scrape_date minus 5 days
            company = "first_line"     # "Tecolote Research\\n3.8" → "Tecolote Research"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerlens.errors import MappingError
from careerlens.sources import POSTING_FIELDS, SALARY_FIELDS, Reader, register, sql_ident, sql_str

MAPPINGS_DIR = Path(__file__).parent / "mappings"
_PARSERS = {"salary": {"glassdoor_range"}, "posted_date": {"relative", "date"}, "company": {"first_line"}}


@dataclass
class GenericReader(Reader):
    """A Reader configured by a mapping file; checks the mapping against the file's columns before reading."""

    mapping_path: str = ""
    mapping: dict[str, Any] | None = None

    def check_columns(self, cols: list[str], path: Path) -> None:
        for our, theirs in (self.mapping or {}).get("columns", {}).items():
            if theirs not in cols:
                raise MappingError(
                    f"column {theirs!r} (mapped to {our!r} in {self.mapping_path}) is not in the file; "
                    f"its columns are: {', '.join(cols[:25])}",
                    file=str(path),
                    field=theirs,
                    hint=f"fix [columns] {our} = ... in {self.mapping_path}",
                )


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check a mapping TOML; errors name the file and the key to fix."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(
            "mapping file not found", file=str(p), hint="pass --map PATH to an existing TOML"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"TOML syntax error: {exc}", file=str(p)) from None
    dataset = data.get("dataset")
    if dataset not in ("salaries", "postings"):
        raise MappingError(
            f"dataset must be 'salaries' or 'postings', not {dataset!r}", file=str(p), field="dataset"
        )
    fields = SALARY_FIELDS if dataset == "salaries" else POSTING_FIELDS
    columns, defaults = data.get("columns", {}), data.get("defaults", {})
    for section, keys in (("columns", columns), ("defaults", defaults)):
        for key in keys:
            if key not in fields and not (section == "defaults" and key == "scrape_date"):
                raise MappingError(
                    f"unknown field {key!r} in [{section}]",
                    file=str(p),
                    field=key,
                    hint="known fields: " + ", ".join(fields),
                )
    if "title" not in columns:
        raise MappingError(
            "[columns] must map 'title'", file=str(p), field="title", hint='add title = "Job Title"'
        )
    if dataset == "salaries" and not ({"salary", "salary_usd"} & set(columns)):
        raise MappingError(
            "[columns] must map 'salary' or 'salary_usd'",
            file=str(p),
            field="salary",
            hint='add salary = "..."',
        )
    if dataset == "salaries" and "work_year" not in columns and "work_year" not in defaults:
        raise MappingError(
            "give the year: [columns] work_year or [defaults] work_year", file=str(p), field="work_year"
        )
    for key, how in data.get("parse", {}).items():
        if key != "missing" and how not in _PARSERS.get(key, set()):
            raise MappingError(f"unknown parser {how!r} for {key!r}", file=str(p), field=f"parse.{key}")
    if data.get("parse", {}).get("posted_date") == "relative" and "scrape_date" not in defaults:
        raise MappingError(
            "relative posted_date needs [defaults] scrape_date", file=str(p), field="defaults.scrape_date"
        )
    return data


def _col(column: str, missing: list[str]) -> str:
    expr = f"NULLIF(trim(CAST({sql_ident(column)} AS VARCHAR)), '')"
    for m in missing:
        expr = f"NULLIF({expr}, {sql_str(m)})"
    return expr


def _glassdoor_mid(x: str) -> str:
    """Midpoint of '$53K-$91K (...)' / '$21-$34 Per Hour' in the text's own unit (K multiplied out)."""
    lo = f"TRY_CAST(regexp_extract({x}, '\\$(\\d+(?:\\.\\d+)?)', 1) AS DOUBLE)"
    hi = f"TRY_CAST(regexp_extract({x}, '-\\s*\\$(\\d+(?:\\.\\d+)?)', 1) AS DOUBLE)"
    k = f"(CASE WHEN {x} ILIKE '%K%' THEN 1000 ELSE 1 END)"
    return f"((coalesce({lo}, {hi}) + coalesce({hi}, {lo})) / 2 * {k})"


def _relative_date(x: str, scrape_date: str) -> str:
    n = f"coalesce(TRY_CAST(regexp_extract({x}, '(\\d+)', 1) AS INTEGER), 1)"
    unit = f"regexp_extract(lower({x}), '(minute|hour|day|week|month|year)', 1)"
    days = (
        f"(CASE {unit} WHEN 'day' THEN {n} WHEN 'week' THEN 7 * {n} WHEN 'month' THEN 30 * {n} "
        f"WHEN 'year' THEN 365 * {n} WHEN 'hour' THEN 0 WHEN 'minute' THEN 0 END)"
    )
    return f"CAST(DATE {sql_str(scrape_date)} - {days} AS VARCHAR)"


def build_column_map(mapping: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(staging field → SQL expression, staging field → source column) from a checked mapping."""
    columns: dict[str, str] = mapping.get("columns", {})
    defaults: dict[str, Any] = mapping.get("defaults", {})
    parse: dict[str, Any] = mapping.get("parse", {})
    missing = [str(m) for m in parse.get("missing", [])]
    fields = SALARY_FIELDS if mapping["dataset"] == "salaries" else POSTING_FIELDS
    exprs: dict[str, str] = {}
    for f in fields:
        expr = _col(columns[f], missing) if f in columns else "NULL"
        if f in defaults:
            expr = f"coalesce({expr}, {sql_str(str(defaults[f]))})"
        exprs[f] = expr
    if parse.get("company") == "first_line" and "company" in columns:
        exprs["company"] = f"NULLIF(trim(split_part({exprs['company']}, chr(10), 1)), '')"
    if parse.get("posted_date") == "relative" and "posted_date" in columns:
        exprs["posted_date"] = _relative_date(
            _col(columns["posted_date"], missing), str(defaults["scrape_date"])
        )
    if parse.get("salary") == "glassdoor_range":
        src_field = "salary" if mapping["dataset"] == "salaries" else "salary_year"
        raw = _col(columns[src_field], missing) if src_field in columns else "NULL"
        hourly = f"({raw} ILIKE '%per hour%')"
        mid = _glassdoor_mid(raw)
        if mapping["dataset"] == "salaries":
            exprs["salary"] = mid
            exprs["rate"] = f"CASE WHEN {hourly} THEN 'hour' ELSE {exprs['rate']} END"
        else:
            exprs["salary_year"] = f"CASE WHEN NOT {hourly} THEN {mid} END"
            exprs["salary_hour"] = f"CASE WHEN {hourly} THEN {mid} END"
    return exprs, {f: c for f, c in columns.items()}


@register("generic")
def generic_reader(mapping: str | Path | None = None) -> Reader:
    """A reader for a file described by a mapping TOML (see the module docstring)."""
    if mapping is None:
        raise MappingError(
            "the generic source needs a mapping",
            field="--map",
            hint="pass --map mapping.toml (see docs/data-rules.md)",
        )
    if not Path(mapping).exists() and shipped_mapping(str(mapping)).exists():
        mapping = shipped_mapping(str(mapping))  # by name: --map glassdoor_ds_jobs_2020
    spec = load_mapping(mapping)
    column_map, field_names = build_column_map(spec)
    return GenericReader(
        name="generic",
        dataset=spec["dataset"],
        source_name=str(spec.get("source_name") or Path(mapping).stem),
        column_map=column_map,
        field_names=field_names,
        mapping_path=str(mapping),
        fact_source=Path(mapping).stem,
        mapping=spec,
    )


def shipped_mapping(name: str) -> Path:
    """Path of a mapping shipped in sources/mappings/ (e.g. 'glassdoor_ds_jobs_2020')."""
    return MAPPINGS_DIR / f"{name}.toml"
