"""The bundled snapshot: a deterministic build of the shared data into Parquet files + manifest.json.

What is redistributed follows each source's licence: the CC0 ai-jobs salary facts (with their duplicates and
raw
quarantined rows); for postings (licence not stated, or MIT for one file — treated alike) only the ``agg_*``
aggregate tables and quarantine counts, never raw posting rows, titles, companies or text.
Deterministic: fixed ingest order, run ids from the file sha256, timestamps set to the newest data date,
    and every
table written with a total ORDER BY — building twice gives identical tables.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from careerlens import __version__
from careerlens.errors import InputError
from careerlens.normalize.pay import FX_FILE, derive_fx_table, write_fx_table
from careerlens.settings import SNAPSHOT_DIR
from careerlens.sources.generic import MAPPINGS_DIR
from careerlens.store.ingest import ingest
from careerlens.store.warehouse import IngestResult, file_sha256, open_warehouse

AI_JOBS_FILE = "ai_jobs_salaries.csv"
_PLACEHOLDER_TIME = datetime(2000, 1, 1)

_KNOWN = {
    "ai-jobs": {
        "origin": "https://github.com/foorilla/ai-jobs-net-salaries (salaries.csv, blob 41ab0cdd)",
        "licence": "CC0 1.0",
        "redistributed": "salary facts, duplicates and quarantined rows (public domain)",
    },
    "postings": {
        "origin": "Luke Barousse course repos (lukebarousse/Excel_Data_Analytics_Course, "
        "lukebarousse/PowerBI_Data_Analytics_Course), data_jobs extracts",
        "licence": "not stated",
        "redistributed": "aggregates only (agg_* tables) and quarantine counts",
    },
}


@dataclass
class SnapshotInput:
    """One file of the build: where it is, which reader, and its provenance."""

    rel_path: str
    source: str
    mapping: Path | None
    origin: str
    licence: str
    redistributed: str


def plan(from_dir: Path) -> list[SnapshotInput]:
    """The files of a shared-data directory, in build order: ai-jobs, postings, then description files."""
    if not (from_dir / AI_JOBS_FILE).is_file():
        raise InputError(
            f"{AI_JOBS_FILE} not found in {from_dir}",
            file=str(from_dir / AI_JOBS_FILE),
            hint="pass --from the shared data directory (e.g. ../shared/data)",
        )
    items = [SnapshotInput(AI_JOBS_FILE, "ai-jobs", None, **_KNOWN["ai-jobs"])]
    for p in sorted((from_dir / "postings").glob("data_jobs*.csv*")):
        items.append(
            SnapshotInput(p.relative_to(from_dir).as_posix(), "postings", None, **_KNOWN["postings"])
        )
    for mapping in sorted(MAPPINGS_DIR.glob("*.toml")):
        spec = tomllib.loads(mapping.read_text(encoding="utf-8"))
        rel = str(spec.get("file", ""))
        if rel and (from_dir / rel).is_file():
            items.append(
                SnapshotInput(
                    rel,
                    "generic",
                    mapping,
                    str(spec.get("origin", "")),
                    str(spec.get("licence", "not stated")),
                    "aggregates only (agg_* tables) and quarantine counts",
                )
            )
    return items


def _stable_run_id(source: str, sha: str) -> str:
    return hashlib.sha256(f"{source}:{sha}".encode()).hexdigest()[:32]


def build_snapshot(
    from_dir: str | Path, out_dir: str | Path = SNAPSHOT_DIR, *, fx_file: Path | None = None
) -> dict[str, Any]:
    """Ingest the shared data into a throwaway warehouse and write the snapshot; returns the manifest.

    The derived FX table goes to ``fx_file``; by default that is the package's normalize/data/fx_usd.csv when
    building the bundled snapshot, else ``out_dir/fx_usd.csv`` (a test build never rewrites the package file).
    """
    src, out = Path(from_dir).expanduser().resolve(), Path(out_dir)
    items = plan(src)
    if fx_file is None:
        fx_file = FX_FILE if out.resolve() == Path(SNAPSHOT_DIR).resolve() else out / "fx_usd.csv"
    out.mkdir(parents=True, exist_ok=True)
    write_fx_table(derive_fx_table(src / AI_JOBS_FILE), fx_file)
    results: list[tuple[SnapshotInput, IngestResult]] = []
    with (
        tempfile.TemporaryDirectory(prefix="careerlens-snapshot-") as tmp,
        open_warehouse(Path(tmp) / "build.duckdb") as store,
    ):
        for item in items:
            sha = file_sha256(src / item.rel_path)
            res = ingest(
                src / item.rel_path,
                item.source,
                store,
                mapping=item.mapping,
                display_path=item.rel_path,
                run_id=_stable_run_id(item.source + (item.mapping.stem if item.mapping else ""), sha),
                now=_PLACEHOLDER_TIME,
                refresh=False,
            )
            results.append((item, res))
        con = store.con
        from careerlens.store.aggregates import ensure_aggregates

        ensure_aggregates(con)  # once, after all the ingests
        snap_date = _snapshot_date(con)
        con.execute("UPDATE ingest_runs SET started_at = ?, finished_at = ?", [snap_date, snap_date])
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.parquet"):
            old.unlink()
        salary_runs = [r.run_id for i, r in results if i.source == "ai-jobs"]
        tables = _export(con, out, salary_runs)
    manifest = {
        "schema": "careerlens.snapshot/v1",
        "generator": f"careerlens {__version__} snapshot build",
        "snapshot_date": snap_date.isoformat(),
        "tables": tables,
        "sources": [
            {
                "file": i.rel_path,
                "source": i.source,
                "source_name": r.source_name,
                "origin": i.origin,
                "licence": i.licence,
                "redistributed": i.redistributed,
                "sha256": r.file_sha256,
                "rows_read": r.rows_read,
                "loaded": r.loaded,
                "quarantined": r.quarantined,
                "duplicates": r.duplicates,
                "duplicates_by_rule": r.duplicates_by_rule,
                "quarantine_by_reason": r.quarantine_by_reason,
            }
            for i, r in results
        ],
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (out / "SOURCES.md").write_text(_sources_md(manifest), encoding="utf-8")
    return manifest


def _snapshot_date(con: Any) -> date:
    """The newest data date: the latest posting date, else the end of the latest salary year."""
    row = con.execute("SELECT max(posted_date) FROM postings").fetchall()[0][0]
    if row is not None:
        return row  # type: ignore[no-any-return]
    year = con.execute("SELECT max(work_year) FROM salaries").fetchall()[0][0]
    return date(int(year or 2000), 12, 31)


def _copy(con: Any, sql: str, path: Path) -> int:
    con.execute(f"COPY ({sql}) TO '{path.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
    return int(con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0])


def _export(con: Any, out: Path, salary_runs: list[str]) -> dict[str, int]:
    runs = ", ".join(f"'{r}'" for r in salary_runs) or "''"
    queries = {
        "salaries": "SELECT * FROM salaries ORDER BY fact_id",
        "duplicates": f"SELECT * FROM duplicates WHERE run_id IN ({runs}) ORDER BY run_id, row_number",
        "quarantine": (
            f"SELECT run_id, file_sha256, file_path, row_number, field, reason, "
            f"CASE WHEN run_id IN ({runs}) THEN raw END AS raw FROM quarantine ORDER BY file_path, "
            f"row_number, field"
        ),
        "ingest_runs": "SELECT * FROM ingest_runs ORDER BY file_path, run_id",
    }
    aggs = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'agg_%' "
        "AND table_catalog = current_database() ORDER BY 1"
    ).fetchall()
    for (name,) in aggs:
        queries[name] = f"SELECT * FROM {name} ORDER BY ALL"
    return {name: _copy(con, sql, out / f"{name}.parquet") for name, sql in queries.items()}


def _sources_md(manifest: dict[str, Any]) -> str:
    lines = [
        "# Bundled snapshot: sources, licences and what is redistributed",
        "",
        f"Built by `careerlens snapshot build` ({manifest['generator']}); snapshot date "
        f"{manifest['snapshot_date']}"
        " (the newest data date, not the build time). Counts: rows read = loaded + quarantined + duplicates.",
        "",
        "| file | licence | redistributed here | sha256 | read | loaded | quarantined | duplicates |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in manifest["sources"]:
        lines.append(
            f"| `{s['file']}` | {s['licence']} | {s['redistributed']} | `{s['sha256'][:12]}…` | "
            f"{s['rows_read']:,} "
            f"| {s['loaded']:,} | {s['quarantined']:,} | {s['duplicates']:,} |"
        )
    lines += [
        "",
        "## Attribution",
        "- Salaries: the aijobs.net salary index by foorilla "
        "(https://github.com/foorilla/ai-jobs-net-salaries),",
        "  published under CC0 1.0. The salary facts (with range pairs collapsed, see "
        "docs/data-rules.md) are included.",
        "- Job postings: Luke Barousse's data_jobs data (https://github.com/lukebarousse, course "
        "repositories",
        "  Excel_Data_Analytics_Course and PowerBI_Data_Analytics_Course). No licence is stated, so "
        "this snapshot",
        "  holds **aggregates only** (counts by role, level, country, region, year, month and skill; "
        "skill pay",
        "  premiums): no posting rows, titles, company names or texts.",
        "- Job descriptions (aggregates only, for skill counts): "
        + "; ".join(
            f"`{s['file']}` from {s['origin']} ({s['licence']})"
            for s in manifest["sources"]
            if s["source"] == "generic"
        )
        + ".",
        "- Quarantined rows: raw rows only for the CC0 ai-jobs file; for the other files only file, row "
        "number,",
        "  field and reason.",
        "- Exchange rates (normalize/data/fx_usd.csv) are derived from the CC0 ai-jobs data itself.",
        "",
    ]
    return "\n".join(lines)
