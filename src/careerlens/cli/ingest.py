"""CLI commands: `ingest FILE`, `quarantine`, `db info` — thin wrappers over careerlens.store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from careerlens.cli.common import DbOption, JsonOption, console, emit_json, settings_for, user_errors

db_app = typer.Typer(help="Inspect the warehouse (or the bundled snapshot).", no_args_is_help=True)


def ingest_command(
    file: Annotated[Path, typer.Argument(help="CSV, CSV.GZ, JSONL or Parquet file to ingest.")],
    source: Annotated[
        str,
        typer.Option("--source", "-s", help="Reader: ai-jobs | postings | generic (generic needs --map)."),
    ] = "ai-jobs",
    map_: Annotated[
        Path | None,
        typer.Option(
            "--map", help="Mapping TOML for --source generic, or a shipped one by name (docs/data-rules.md)."
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Ingest FILE into the warehouse: rows read / loaded / quarantined / duplicates, with provenance."""
    from careerlens.store.ingest import STAGES, ingest
    from careerlens.store.warehouse import open_warehouse

    with user_errors(json):
        settings = settings_for(db)
        with open_warehouse(settings.db_path) as store:
            if json:
                result = ingest(file, source, store, mapping=map_)
            else:
                with Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                ) as progress:
                    task = progress.add_task("read", total=len(STAGES))
                    done: set[str] = set()

                    def on_stage(name: str) -> None:
                        if name in STAGES and name not in done:
                            done.add(name)
                            progress.update(task, description=name, completed=len(done) - 1)

                    result = ingest(file, source, store, mapping=map_, on_stage=on_stage)
                    progress.update(task, completed=len(STAGES))
        if json:
            emit_json(result)
            return
        word = "already ingested (nothing changed)" if result.status == "skipped" else "ingested"
        console.print(f"[bold]{result.file_path}[/] {word} into {settings.db_path}", highlight=False)
        console.print(
            f"rows read {result.rows_read:,} · loaded {result.loaded:,} · quarantined "
            f"{result.quarantined:,} · "
            f"duplicates {result.duplicates:,}",
            highlight=False,
        )
        for rule, n in result.duplicates_by_rule.items():
            console.print(f"  duplicate rule {rule}: {n:,}", highlight=False)
        for reason, n in result.quarantine_by_reason.items():
            console.print(f"  quarantined {reason}: {n:,}", highlight=False)
        for q in result.first_quarantine:
            console.print(f"  row {q['row_number']} field {q['field']!r}: {q['reason']}", highlight=False)
        if result.quarantined:
            console.print("see all quarantined rows with `careerlens quarantine`", highlight=False)


def quarantine_command(
    db: DbOption = None,
    json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show (0 = all).")] = 20,
    reason: Annotated[str | None, typer.Option("--reason", help="Only reasons containing this text.")] = None,
) -> None:
    """List quarantined rows: file, row number, field and reason (the raw row with --json)."""
    from careerlens.store.warehouse import open_store

    with user_errors(json):
        with open_store(settings_for(db)) as store:
            sql = "SELECT file_path, row_number, field, reason, raw FROM quarantine"
            params: list[object] = []
            if reason:
                sql += " WHERE reason ILIKE ?"
                params.append(f"%{reason}%")
            sql += " ORDER BY file_path, row_number, field"
            if limit > 0:
                sql += f" LIMIT {int(limit)}"
            rows = store.con.execute(sql, params).fetchall()
            total = store.con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
            label = store.source_label
    keys = ("file_path", "row_number", "field", "reason", "raw")
    if json:
        emit_json(
            {
                "schema": "careerlens.quarantine/v1",
                "source": label,
                "total": total,
                "rows": [dict(zip(keys, r, strict=True)) for r in rows],
            }  # fmt: skip
        )
        return
    table = Table(title=f"quarantine ({len(rows)} of {total:,}) — {label}")
    for col in ("file", "row", "field", "reason"):
        table.add_column(col)
    for f, rn, fld, why, _raw in rows:
        table.add_row(str(f), str(rn), str(fld), str(why))
    console.print(table)


@db_app.command("info")
def db_info(db: DbOption = None, json: JsonOption = False) -> None:
    """Counts per table, ingest runs and quarantine reasons of the warehouse or the bundled snapshot."""
    from careerlens.store.warehouse import open_store

    with user_errors(json):
        with open_store(settings_for(db)) as store:
            info = store.describe()
    if json:
        emit_json(info)
        return
    console.print(f"[bold]{info['source_label']}[/] ({info['kind']}: {info['path']})", highlight=False)
    if info.get("snapshot_date"):
        console.print(f"snapshot date {info['snapshot_date']}", highlight=False)
    table = Table(title="tables")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in info["tables"].items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    runs = Table(title="ingest runs")
    for col in ("file", "source", "read", "loaded", "quarantined", "duplicates", "status"):
        runs.add_column(col)
    for r in info["runs"]:
        runs.add_row(
            str(r["file_path"]), str(r["source"]), *(f"{r[k] or 0:,}" for k in ("rows_read", "loaded",
            "quarantined", "duplicates")), str(r["status"])
        )  # fmt: skip
    console.print(runs)
    for q in info["quarantine_by_reason"][:15]:
        console.print(
            f"  quarantine {q['file_path']} {q['field']}: {q['reason']} — {q['n']:,}", highlight=False
        )


def register(app: typer.Typer) -> None:
    """Add `ingest`, `quarantine` and `db info` to the app."""
    app.command("ingest")(ingest_command)
    app.command("quarantine")(quarantine_command)
    app.add_typer(db_app, name="db")
