"""CLI command: serve — the web dashboard and JSON API (FastAPI + uvicorn), on localhost by default."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from careerlens.cli.common import DbOption, JsonOption, err_console, settings_for


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def serve(
        host: Annotated[
            str,
            typer.Option(help="Interface to bind; the default keeps the dashboard private to this machine."),
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0 picks a free one).")] = 8000,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Run the web dashboard and the JSON API (/api/v1, schema at /openapi.json).

        With --json, one JSON line saying where it serves comes first on stdout, for scripts that start it.
        """
        import uvicorn

        from careerlens.web.app import create_app

        settings = settings_for(db)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(
                f"[yellow]warning:[/] serving on {host}: anyone who can reach it can use the dashboard"
            )
        app_ = create_app(settings)
        if as_json:
            url_host = f"[{host}]" if ":" in host else host
            info = {"url": f"http://{url_host}:{port}/", "host": host, "port": port}
            info["db"] = str(settings.db_path)
            typer.echo(json.dumps(info))
        uvicorn.run(app_, host=host, port=port, log_level="info", access_log=False, server_header=False)
