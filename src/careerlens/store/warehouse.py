"""Opening the data: a user's DuckDB warehouse, or else the bundled read-only snapshot (Parquet as views)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb

from careerlens.errors import StoreError
from careerlens.settings import Settings
from careerlens.sources import sql_str

SCHEMA_FILE = Path(__file__).parent / "schema.sql"
TABLES = ("ingest_runs", "salaries", "duplicates", "quarantine", "postings", "posting_skills",
          "agg_posting_counts", "agg_posting_skills")  # fmt: skip
ROW_GROUP_ROWS = 16_384  # DuckDB's default is 122,880: smaller groups are written during the transaction
BUILD_HINT = (
    "run `careerlens snapshot build --from ../shared/data` (or ingest a file with `careerlens ingest`)"
)


@dataclass
class IngestResult:
    """Counts of one ingest run (the CLI prints them, tests assert on them)."""

    run_id: str
    file_path: str
    file_sha256: str
    source: str
    dataset: str
    status: str
    rows_read: int
    loaded: int
    quarantined: int
    duplicates: int
    quarantine_by_reason: dict[str, int] = field(default_factory=dict)
    duplicates_by_rule: dict[str, int] = field(default_factory=dict)
    first_quarantine: list[dict[str, Any]] = field(default_factory=list)
    skills_linked: int = 0
    source_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "careerlens.ingest/v1", **self.__dict__}


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (provenance and the idempotency key)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_result(con: duckdb.DuckDBPyConnection, run_id: str, *, status: str) -> IngestResult:
    """The counts of an ingest run as stored (also what a skipped re-ingest reports)."""
    row = con.execute(
        "SELECT run_id, file_path, file_sha256, source, dataset, rows_read, loaded, quarantined, duplicates, "
        "source_name FROM ingest_runs WHERE run_id = ?",
        [run_id],
    ).fetchall()[0]
    reasons = con.execute(
        "SELECT field || ': ' || regexp_replace(reason, ' [(:].*$', ''), count(*) FROM quarantine "
        "WHERE run_id = ? "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        [run_id],
    ).fetchall()
    rules = con.execute(
        "SELECT rule, count(*) FROM duplicates WHERE run_id = ? GROUP BY 1 ORDER BY 1", [run_id]
    ).fetchall()
    first = con.execute(
        "SELECT row_number, field, reason FROM quarantine WHERE run_id = ? "
        "ORDER BY row_number, field LIMIT 5",
        [run_id],
    ).fetchall()
    return IngestResult(
        run_id=row[0],
        file_path=row[1],
        file_sha256=row[2],
        source=row[3],
        dataset=row[4],
        status=status,
        rows_read=int(row[5]),
        loaded=int(row[6]),
        quarantined=int(row[7]),
        duplicates=int(row[8]),
        quarantine_by_reason={k: int(n) for k, n in reasons},
        duplicates_by_rule={k: int(n) for k, n in rules},
        first_quarantine=[{"row_number": r, "field": f, "reason": why} for r, f, why in first],
        source_name=row[9],
    )


class Store:
    """An open DuckDB connection with the careerlens tables; ``kind`` says whether it is a warehouse or
    the snapshot."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        kind: Literal["warehouse", "snapshot"],
        source_label: str,
        path: Path | None = None,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self.con = con
        self.kind = kind
        self.source_label = source_label
        self.path = path
        self.manifest = manifest or {}

    def tables(self) -> list[str]:
        """Names of the tables and views visible in the store."""
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_catalog = current_database() ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def describe(self) -> dict[str, Any]:
        """Counts per table, ingest runs, quarantine counts by reason, and the snapshot's date and sources."""
        counts = {
            t: int(self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in self.tables()
        }
        runs = self.con.execute(
            "SELECT run_id, dataset, source, source_name, file_path, file_sha256, CAST(started_at AS "
            "VARCHAR), "
            "rows_read, loaded, quarantined, duplicates, status FROM ingest_runs ORDER BY started_at, "
            "file_path"
        ).fetchall()
        keys = ("run_id", "dataset", "source", "source_name", "file_path", "file_sha256", "started_at",
                "rows_read", "loaded", "quarantined", "duplicates", "status")  # fmt: skip
        reasons = self.con.execute(
            "SELECT file_path, field, regexp_replace(reason, ':.*$', '') AS reason, count(*) AS n "
            "FROM quarantine GROUP BY ALL ORDER BY n DESC, file_path, field, reason"
        ).fetchall()
        dups = self.con.execute("SELECT rule, count(*) FROM duplicates GROUP BY 1 ORDER BY 1").fetchall()
        return {
            "schema": "careerlens.store/v1",
            "kind": self.kind,
            "source_label": self.source_label,
            "path": str(self.path) if self.path else None,
            "tables": counts,
            "runs": [dict(zip(keys, r, strict=True)) for r in runs],
            "quarantine_by_reason": [
                {"file_path": f, "field": fld, "reason": r, "n": n} for f, fld, r, n in reasons
            ],
            "duplicates_by_rule": {rule: n for rule, n in dups},
            "snapshot_date": self.manifest.get("snapshot_date"),
            "sources": self.manifest.get("sources", []),
        }

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the contract tables (idempotent)."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))


def open_warehouse(path: str | Path) -> Store:
    """Open (creating directories and schema) a DuckDB warehouse file for reading and ingesting.

    The file is attached with row groups of ``ROW_GROUP_ROWS``: an ingest writes tens of thousands of facts
    and duplicate rows in one transaction, and DuckDB writes full row groups straight to the file while the
    transaction runs, instead of logging every row to the WAL at commit and copying it again at the
    checkpoint (measured: ~40 % less time persisting an ai-jobs ingest).
    """
    p = Path(path).expanduser()
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        con = _attached(p)
    except (OSError, duckdb.Error) as exc:
        raise StoreError(
            f"cannot open the warehouse {p}: {exc}",
            hint="pass --db PATH to a writable file, or close other users",
        ) from None
    apply_schema(con)
    return Store(con, "warehouse", f"warehouse {p.name}", path=p)


def _attached(p: Path) -> duckdb.DuckDBPyConnection:
    """A new connection, with ``p`` attached as its default database ``warehouse``.

    Each file gets one named in-memory DuckDB instance per process, shared by every connection to the
    file: like ``duckdb.connect(path)``, a second store of the same file in the process sees the same data
    instead of failing to attach it twice, and the file is released when the last of them closes.
    """
    key = hashlib.sha256(str(p.resolve()).encode()).hexdigest()[:16]
    con = duckdb.connect(f":memory:careerlens-{key}")
    try:
        con.execute(f"ATTACH IF NOT EXISTS {sql_str(str(p))} AS warehouse (ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
        con.execute("USE warehouse")
    except duckdb.Error:
        con.close()
        raise
    return con


def open_snapshot(snapshot_dir: str | Path) -> Store:
    """The bundled snapshot: an in-memory DuckDB whose contract tables are views over
    ``snapshot_dir/*.parquet``.

    Tables the snapshot does not ship (raw postings) exist empty, so every query of the contract still runs.
    """
    d = Path(snapshot_dir)
    manifest_file = d / "manifest.json"
    if not manifest_file.exists():
        raise StoreError(f"no warehouse and no bundled snapshot in {d}", hint=BUILD_HINT)
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise StoreError(f"{manifest_file}: invalid JSON ({exc})", hint=BUILD_HINT) from None
    con = duckdb.connect()
    apply_schema(con)
    for file in sorted(d.glob("*.parquet")):
        name = file.stem
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({sql_str(str(file))})")
    label = f"bundled snapshot of {manifest.get('snapshot_date', '?')}"
    return Store(con, "snapshot", label, path=d, manifest=manifest)


def open_warehouse_copy(path: str | Path) -> Store:
    """An in-memory copy of a warehouse file, for long-lived readers such as the web server.

    Why: DuckDB lets a process write a file only while no other process has it open, so a server that kept the
    warehouse open would make every ``careerlens ingest`` into it fail. The copy holds the file only while it
    is read (table by table through Arrow); the reader reopens it when the file changes (``StoreHandle`` in
    the web app).
    """
    p = Path(path).expanduser()
    con = duckdb.connect()
    try:
        src = _attached(p)
        try:
            names = [
                r[0]
                for r in src.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'warehouse' "
                    "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
                ).fetchall()
            ]
            for name in names:
                con.register("_careerlens_copy", src.sql(f'SELECT * FROM "{name}"').to_arrow_table())
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _careerlens_copy')
                con.unregister("_careerlens_copy")
        finally:
            src.close()
    except duckdb.Error as exc:
        con.close()
        raise StoreError(
            f"cannot read the warehouse {p}: {str(exc).splitlines()[0]}",
            hint="if an ingest is writing it, try again when it has finished",
        ) from None
    apply_schema(con)
    return Store(con, "warehouse", f"warehouse {p.name}", path=p)


def open_store(settings: Settings, *, copy: bool = False) -> Store:
    """The user's warehouse if its file exists (``copy``: an in-memory copy of it), else the bundled
    snapshot (read-only). A warehouse's postings aggregates are rebuilt here when postings were ingested
    since they were built (in the copy only, for ``copy``)."""
    if not settings.db_path.exists():
        return open_snapshot(settings.snapshot_dir)
    store = open_warehouse_copy(settings.db_path) if copy else open_warehouse(settings.db_path)
    try:
        from careerlens.store.aggregates import ensure_aggregates

        ensure_aggregates(store.con)
    except BaseException:
        store.close()
        raise
    return store
