"""CLI commands: `snapshot build` — rebuild the bundled offline snapshot from the shared data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from careerlens.cli.common import JsonOption, console, emit_json, user_errors

snapshot_app = typer.Typer(
    help="The bundled offline snapshot (Parquet + manifest.json).", no_args_is_help=True
)


@snapshot_app.command("build")
def build(
    from_: Annotated[
        Path, typer.Option("--from", help="Shared data directory (holds ai_jobs_salaries.csv).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output directory (default: the package's data/snapshot).")
    ] = None,
    json: JsonOption = False,
) -> None:
    """Ingest the shared data deterministically and write the snapshot: salary facts + postings aggregates."""
    from careerlens.settings import SNAPSHOT_DIR
    from careerlens.store.snapshot import build_snapshot

    with user_errors(json):
        manifest = build_snapshot(from_, out or SNAPSHOT_DIR)
    if json:
        emit_json(manifest)
        return
    console.print(
        f"snapshot of {manifest['snapshot_date']} written to {out or SNAPSHOT_DIR}", highlight=False
    )
    for s in manifest["sources"]:
        console.print(
            f"  {s['file']}: read {s['rows_read']:,} · loaded {s['loaded']:,} · quarantined "
            f"{s['quarantined']:,} · "
            f"duplicates {s['duplicates']:,}",
            highlight=False,
        )
    console.print(
        "  tables: " + ", ".join(f"{k} {v:,}" for k, v in manifest["tables"].items()), highlight=False
    )


def register(app: typer.Typer) -> None:
    """Add `snapshot build` to the app."""
    app.add_typer(snapshot_app, name="snapshot")
