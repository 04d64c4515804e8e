"""CLI command `extract-skills`: canonical skills of each job description in a CSV or JSONL file."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from careerlens.cli.common import JsonOption, err_console, user_errors
from careerlens.errors import InputError

PROGRESS_MIN_ROWS = 500  # below this a progress bar is just noise


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson", ".json"}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a CSV (BOM-tolerant) or JSONL file; a bad file raises InputError naming it."""
    if not path.is_file():
        raise InputError("file not found", file=str(path), hint="check the path")
    try:
        if _is_jsonl(path):
            rows: list[dict[str, Any]] = []
            with path.open(encoding="utf-8-sig") as fh:
                for n, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(f"not valid JSON: {exc.msg}", file=str(path), row=n) from None
                    if not isinstance(obj, dict):
                        raise InputError("each line must be a JSON object", file=str(path), row=n)
                    rows.append(obj)
            columns = list(dict.fromkeys(k for r in rows for k in r))
            return columns, rows
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    except UnicodeDecodeError:
        raise InputError(
            "not UTF-8 text", file=str(path), hint="save the file as UTF-8 (CSV or JSONL)"
        ) from None


def _require(columns: list[str], name: str, path: Path, option: str) -> None:
    if name not in columns:
        shown = ", ".join(columns[:30]) or "(none)"
        raise InputError(
            f"no column {name!r}; available columns: {shown}",
            file=str(path),
            field=name,
            hint=f"pass the right column with {option}",
        )


def extract_rows(rows: list[dict[str, Any]], column: str, id_column: str | None) -> Iterator[dict[str, Any]]:
    """One ``{"id", "skills"}`` record per row, in order (without an id column the id is the row number)."""
    from careerlens.normalize.skills import get_extractor

    ex = get_extractor()
    for n, row in enumerate(rows, start=1):
        text = row.get(column)
        rid = row.get(id_column) if id_column else n
        yield {"id": rid, "skills": ex.skills(text if isinstance(text, str) else None)}


def extract_file(
    path: Path, column: str = "description", id_column: str | None = "id"
) -> list[dict[str, Any]]:
    """The records of ``extract_rows`` for a CSV or JSONL file; a missing column is an InputError."""
    columns, rows = read_rows(path)
    _require(columns, column, path, "--column")
    if id_column is not None:
        _require(columns, id_column, path, "--id-column")
    return list(extract_rows(rows, column, id_column))


def _write_array(records: Iterator[dict[str, Any]], out: TextIO, total: int) -> None:
    """--json: the records as one JSON array."""
    json.dump(list(records), out, ensure_ascii=False, indent=1)
    out.write("\n")


def _write(records: Iterator[dict[str, Any]], out: TextIO, total: int) -> None:
    if total < PROGRESS_MIN_ROWS:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("extracting skills"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("extract", total=total)
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            progress.advance(task)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command("extract-skills")
    def extract_skills_cmd(
        file: Annotated[Path, typer.Argument(help="CSV (header row) or JSONL file of job postings.")],
        column: Annotated[
            str, typer.Option("--column", help="Column holding the description text.")
        ] = "description",
        id_column: Annotated[
            str,
            typer.Option(
                "--id-column", help="Column holding each row's id (default 'id'; row number if absent)."
            ),
        ] = "id",
        out: Annotated[
            Path | None, typer.Option("--out", help="Write JSON lines here instead of stdout.")
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Find the canonical skills of each description: one {"id", "skills"} JSON line per row, in order.

        With --json the same objects come as one JSON array instead of JSON lines.
        """
        with user_errors(as_json):
            columns, rows = read_rows(file)
            _require(columns, column, file, "--column")
            # an explicitly different id column must exist; the default "id" falls back to row numbers
            if id_column != "id":
                _require(columns, id_column, file, "--id-column")
            use_id: str | None = id_column if id_column in columns else None
            records = extract_rows(rows, column, use_id)
            write = _write_array if as_json else _write
            if out is None:
                write(records, sys.stdout, len(rows))
            else:
                try:
                    with out.open("w", encoding="utf-8") as fh:
                        write(records, fh, len(rows))
                except OSError as exc:
                    raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from None
                err_console.print(f"wrote {len(rows)} rows to {out}", highlight=False)
