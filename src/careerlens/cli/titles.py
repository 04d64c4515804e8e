"""`careerlens classify-titles`: classify a column of job titles into role, level and specialisation."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from careerlens.cli.common import JsonOption, user_errors
from careerlens.errors import InputError
from careerlens.normalize.titles import TitleClass, classify_titles
from careerlens.report.csv_export import safe_cell

OUT_COLUMNS = ("title", "role", "level", "specialisation", "confidence")


def read_titles(file: str, column: str = "title") -> list[str]:
    """Titles of a CSV file's ``column`` in row order, or of stdin (one per line) when ``file`` is '-'."""
    if file == "-":
        return [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    path = Path(file)
    if not path.is_file():
        raise InputError(
            "file not found", file=file, hint="pass a CSV file with a header row, or '-' for stdin"
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            if column not in fields:
                raise InputError(
                    f"no column {column!r}; the columns are: {', '.join(fields) or '(none)'}",
                    file=file,
                    field=column,
                    hint="name the title column with --column",
                )
            return [row.get(column) or "" for row in reader]
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason})", file=file, hint="save the file as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc})", file=file) from None


def write_classes(titles: Iterable[str], classes: Iterable[TitleClass], out: TextIO) -> None:
    """Write `title,role,level,specialisation,confidence` rows, the title text as read.

    A title that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUT_COLUMNS)
    for title, tc in zip(titles, classes, strict=True):
        spec = tc.specialisation or ""
        writer.writerow([safe_cell(title), tc.role, tc.level, spec, f"{tc.confidence:.2f}"])


def write_json(titles: Iterable[str], classes: Iterable[TitleClass], out: TextIO) -> None:
    """The same rows as a JSON array of objects (titles as read: JSON cells are never run as formulas)."""
    rows = [
        {
            "title": t,
            "role": c.role,
            "level": c.level,
            "specialisation": c.specialisation,
            "confidence": c.confidence,
        }
        for t, c in zip(titles, classes, strict=True)
    ]
    json.dump(rows, out, ensure_ascii=False, indent=1)
    out.write("\n")


def classify_titles_cmd(
    file: Annotated[
        str, typer.Argument(help="CSV file with a header row, or '-' to read one title per line from stdin.")
    ],
    column: Annotated[
        str, typer.Option("--column", "-c", help="Name of the title column of the CSV file.")
    ] = "title",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the CSV here instead of to stdout.", dir_okay=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Classify job titles into role, level and specialisation.

    Writes CSV with the columns title,role,level,specialisation,confidence, one row per input row, in order
    (with --json: a JSON array of objects with the same fields).
    """
    with user_errors(as_json):
        titles = read_titles(file, column)
        classes = classify_titles(titles)
        buf = io.StringIO()
        if as_json:
            write_json(titles, classes, buf)
        else:
            write_classes(titles, classes, buf)
        if out is None:
            sys.stdout.write(buf.getvalue())
            return
        try:
            out.write_text(buf.getvalue(), encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"cannot write the output ({exc.strerror})", file=str(out)) from None
        typer.echo(f"classified {len(titles)} titles -> {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("classify-titles")(classify_titles_cmd)
