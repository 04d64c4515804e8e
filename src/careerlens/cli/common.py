"""Helpers shared by the command modules: options, JSON output, and library errors as exit code 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from careerlens.errors import CareerlensError
from careerlens.settings import Settings, get_settings

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB warehouse file (default: $CAREERLENS_DB or the user data dir; else the snapshot).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (see docs/json-schema.md).")
]


T = TypeVar("T")


def settings_for(db: Path | None) -> Settings:
    return get_settings(db=db)


def emit_json(obj: Any) -> None:
    """Write a result as JSON on stdout: pydantic models, dataclasses with to_dict(), or plain data."""
    if isinstance(obj, BaseModel):
        text = obj.model_dump_json(indent=2)
    else:
        if hasattr(obj, "to_dict"):
            obj = obj.to_dict()
        text = json.dumps(obj, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write(text + "\n")


def show(result: T, json_out: bool, render: Callable[[T], None]) -> None:
    """Print a command's result: its JSON with --json, else the command's own rendering."""
    if json_out:
        emit_json(result)
    else:
        render(result)


@contextmanager
def user_errors(as_json: bool = False) -> Iterator[None]:
    """Turn a CareerlensError into a clear message and exit code 2, never a traceback."""
    try:
        yield
    except CareerlensError as exc:
        if as_json:
            sys.stdout.write(json.dumps(exc.to_dict(), default=str) + "\n")
        else:
            err_console.print(
                f"[bold red]error:[/] {escape(exc.message)}", highlight=False, markup=True, soft_wrap=True
            )
            if exc.hint:
                err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


Register = Callable[[typer.Typer], None]
