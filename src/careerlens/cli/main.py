"""The `careerlens` command: a thin Typer app; each command module registers its commands here."""

from __future__ import annotations

import importlib
import json

import typer

from careerlens.cli.common import JsonOption

app = typer.Typer(
    name="careerlens",
    help="Evidence for choosing a career in AI: roles, salaries, skills, demand, paths and advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per command group; each exposes register(app).
COMMAND_MODULES = ("kb", "titles", "extract", "ingest", "snapshot", "salary", "postings", "advise", "serve")

for _name in COMMAND_MODULES:
    importlib.import_module(f"careerlens.cli.{_name}").register(app)


@app.command()
def version(as_json: JsonOption = False) -> None:
    """Print the careerlens version."""
    from careerlens import __version__

    typer.echo(json.dumps({"version": __version__}) if as_json else __version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
