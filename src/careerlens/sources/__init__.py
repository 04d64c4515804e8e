"""Source readers: one per known file schema, registered by name (`careerlens ingest --source NAME`).

A reader loads a file into a DuckDB table of raw rows (all VARCHAR, plus a 1-based ``row_number``) and
    returns the
SQL that maps those raw columns onto the *staging columns* of its dataset (``SALARY_FIELDS`` or
    ``POSTING_FIELDS``,
all VARCHAR). Everything after that — validation, quarantine, titles, geography, pay, duplicates — is
    done once, in
``careerlens.store.ingest``, so every source gets the same rules.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv

from careerlens.errors import InputError

Dataset = Literal["salaries", "postings"]

# Staging columns (all VARCHAR) each reader's SQL must produce, besides row_number.
SALARY_FIELDS = (
    "title", "work_year", "experience_level", "employment_type", "salary", "currency", "salary_usd", "rate",
    "company_country", "residence_country", "remote_ratio", "company_size",
)  # fmt: skip
POSTING_FIELDS = (
    "title", "search_category", "company", "location", "country", "posted_date", "year", "industry",
    "salary_year", "salary_hour", "description", "skills",
)  # fmt: skip


def sql_str(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """A quoted SQL identifier (source columns have spaces: 'Salary Estimate')."""
    return '"' + name.replace('"', '""') + '"'


class RawRows(NamedTuple):
    """A file's raw rows: the SQL relation every pass reads, and the rows in memory when they are there."""

    sql: str
    table: pa.Table | None


@dataclass
class Reader:
    """Base reader: CSV/CSV.GZ/JSONL/Parquet through DuckDB, staged by ``column_map`` (our field → SQL
    expression)."""

    name: str = "base"
    dataset: Dataset = "salaries"
    source_name: str = ""
    column_map: dict[str, str] = field(
        default_factory=dict
    )  # staging field → SQL expression over raw columns
    field_names: dict[str, str] = field(
        default_factory=dict
    )  # staging field → source column (for quarantine)
    required_columns: tuple[str, ...] = ()
    pair_ranges: bool = False  # ai-jobs: adjacent low/high rows of one job (docs/data-rules.md)
    label_vocab: bool = False  # the skills column holds Luke Barousse skill labels
    fact_source: str = ""  # value of salaries.source / postings.source (default: the reader name)

    @property
    def label(self) -> str:
        """What facts of this reader carry in their ``source`` column."""
        return self.fact_source or self.name

    def raw_relation(self, con: duckdb.DuckDBPyConnection, path: Path, *, arrow_view: str = "") -> RawRows:
        """SQL relation of the file's raw rows (row_number + columns as VARCHAR), checked against the reader.

        With ``arrow_view``, a CSV that pyarrow can read is read into memory once and registered on ``con``
        under that name (the caller unregisters it): every later pass scans memory instead of the file, and
        ``RawRows.table`` holds it (row ``n`` at position ``n - 1``). Otherwise DuckDB streams the file;
        ``WITH ORDINALITY`` numbers rows in file order (1-based), also when DuckDB reads the file in parallel.
        """
        src = read_expr(path)
        try:
            cols = csv_header(path)
            if cols is None:
                cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
        except (duckdb.Error, OSError, UnicodeDecodeError, csv.Error) as exc:
            raise unreadable(path, exc, hint="is it a CSV (optionally .gz), JSONL or Parquet file?") from None
        self.check_columns(cols, path)
        table = read_csv_arrow(path, cols) if arrow_view and src.startswith("read_csv(") else None
        if table is not None:
            con.register(arrow_view, table)
            return RawRows(f"(SELECT * FROM {arrow_view})", table)
        numbered = "ordinality::BIGINT AS row_number, * EXCLUDE (ordinality)"
        return RawRows(f"(SELECT {numbered} FROM {src} WITH ORDINALITY)", None)

    def check_columns(self, cols: list[str], path: Path) -> None:
        """Raise before reading when the file lacks a column this reader needs."""
        missing = [c for c in self.required_columns if c not in cols]
        if missing:
            raise InputError(
                f"missing column {missing[0]!r} (the file has: {', '.join(cols[:20])})",
                file=str(path),
                field=missing[0],
                hint=f"is this a {self.name!r} file? for other layouts pass --source generic --map FILE.toml",
            )

    def staged_sql(self, raw: str, extra: str = "") -> str:
        """SELECT row_number + this reader's staging fields (+ ``extra`` columns) from ``raw``."""
        fields = SALARY_FIELDS if self.dataset == "salaries" else POSTING_FIELDS
        exprs = [f"CAST(({self.column_map.get(f, 'NULL')}) AS VARCHAR) AS {f}" for f in fields]
        return f"SELECT row_number, {', '.join(exprs)}{', ' + extra if extra else ''} FROM {raw}"

    def field_of(self, staging_field: str) -> str:
        """The source column name a staging field came from (quarantine rows name it)."""
        return self.field_names.get(staging_field, staging_field)


def read_expr(path: Path) -> str:
    """DuckDB table function reading ``path`` with every column as VARCHAR."""
    p = sql_str(str(path))
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return f"read_parquet({p})"
    if name.endswith((".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")):
        return f"read_json({p}, format='auto', records=true)"
    dialect = "delim=',', quote='\"', escape='\"', strict_mode=false"
    return f"read_csv({p}, all_varchar=true, header=true, {dialect})"


# a CSV larger than this (uncompressed) is streamed by DuckDB rather than held in memory as an Arrow table
ARROW_MAX_BYTES = 256 * 1024 * 1024


def read_csv_arrow(path: Path, columns: list[str]) -> pa.Table | None:
    """The CSV (or CSV.GZ) as an Arrow table: ``row_number`` (1-based, file order) + every column as a
    string, empty cells NULL: the rows DuckDB's ``read_csv(all_varchar=true)`` of ``read_expr`` gives, read
    2-3x faster (pyarrow parses in parallel and inflates gzip at C speed).

    None when this reader should not be used: a file too large to hold in memory, empty or repeated column
    names (DuckDB renames them), or a file pyarrow's strict parser rejects (ragged rows, bad UTF-8, broken
    gzip): DuckDB's more lenient reader then reads it, or names the error, exactly as before.
    """
    # a gzip CSV inflates ~5.5x in memory (the 2024 postings: 5.1 MB -> 28 MB)
    limit = ARROW_MAX_BYTES // 6 if path.name.lower().endswith(".gz") else ARROW_MAX_BYTES
    if path.stat().st_size > limit or "" in columns or len(set(columns)) != len(columns):
        return None
    try:
        table = pa_csv.read_csv(
            path,
            parse_options=pa_csv.ParseOptions(delimiter=",", quote_char='"', double_quote=True,
                                              newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={c: pa.string() for c in columns}, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )  # fmt: skip
    except (pa.ArrowException, OSError, EOFError):
        return None
    if table.column_names != columns:
        return None
    ones = pa.nulls(table.num_rows, pa.int64()).fill_null(1)
    return table.add_column(0, "row_number", pa_compute.cumulative_sum(ones))


ROW_HINT = (
    "fix that row (a field with a comma, quote or line break needs double quotes) and ingest again; "
    "nothing was loaded"
)


def unreadable(path: Path, exc: BaseException, *, hint: str) -> InputError:
    """The error for a file that cannot be read: its first bad CSV row when it has one (``csv_row_problem``),
    else the reader's own message with ``hint``."""
    problem = csv_row_problem(path)
    if problem is not None:
        row, why = problem
        return InputError(f"cannot read the file: {why}", file=str(path), row=row, hint=ROW_HINT)
    return InputError(f"cannot read the file: {str(exc).splitlines()[0]}", file=str(path), hint=hint)


def csv_row_problem(path: Path) -> tuple[int, str] | None:
    """The first data row (1-based, header not counted) of a CSV / CSV.GZ that a reader cannot take, and why:
    a field count other than the header's, bytes that are not UTF-8, a broken quote. None when every row
    reads (or the file is not a CSV). Only asked after a read failed, to name the row in the error."""
    name = path.name.lower()
    if not name.endswith((".csv", ".csv.gz")):
        return None
    n = 0
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8-sig", newline="")
            if name.endswith(".gz")
            else path.open(encoding="utf-8-sig", newline="")
        ) as fh:
            rows = csv.reader(fh, strict=True)
            width = len(next(rows, []))
            for n, row in enumerate(rows, start=1):
                if row and len(row) != width:
                    return n, f"it has {len(row)} fields where the header has {width}"
    except UnicodeDecodeError:
        return _non_utf8_row(path), "it has bytes that are not UTF-8 (save the file as UTF-8)"
    except csv.Error as exc:
        return n + 1, f"it cannot be parsed as CSV ({exc})"
    except (OSError, EOFError):
        return None
    return None


def _non_utf8_row(path: Path) -> int:
    """The data row holding a file's first byte that is not UTF-8 (text is decoded in blocks, so the csv
    reader's own row count stops short of it)."""
    data = gzip.decompress(path.read_bytes()) if path.name.lower().endswith(".gz") else path.read_bytes()
    try:
        data.decode("utf-8-sig")
        return 1
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(prefix, newline="")))
    # rows[0] is the header; a prefix ending at a line break ends before the bad row, else inside it
    return len(rows) if prefix.endswith(("\n", "\r")) else max(len(rows) - 1, 1)


def csv_header(path: Path) -> list[str] | None:
    """Column names of a CSV or CSV.GZ from its first line (cheaper than the sniffer); else None."""
    name = path.name.lower()
    if name.endswith(".csv.gz"):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    if name.endswith(".csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    return None


_REGISTRY: dict[str, Callable[..., Reader]] = {}


def register(name: str) -> Callable[[Callable[..., Reader]], Callable[..., Reader]]:
    """Class decorator: make a reader available as ``--source name``."""

    def deco(factory: Callable[..., Reader]) -> Callable[..., Reader]:
        _REGISTRY[name] = factory
        return factory

    return deco


def get_reader(name: str, **options: Any) -> Reader:
    """A reader by its registered name (options such as ``mapping=`` go to its constructor)."""
    _load_builtin()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise InputError(
            f"unknown source {name!r}", field="--source", hint="use one of: " + ", ".join(sorted(_REGISTRY))
        ) from None
    return factory(**options)


def reader_names() -> list[str]:
    """Names of the registered readers."""
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    from careerlens.sources import ai_jobs, generic, postings  # noqa: F401  (registration side effect)


__all__ = [
    "POSTING_FIELDS",
    "SALARY_FIELDS",
    "Dataset",
    "RawRows",
    "Reader",
    "get_reader",
    "read_expr",
    "reader_names",
    "register",
    "sql_ident",
    "sql_str",
]
