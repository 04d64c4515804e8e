"""`careerlens serve --json` via the real entry point: a JSON line saying where it serves, then it serves."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import copy_of, wait_until_up

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "ai_jobs_small.csv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_json_prints_where_it_serves_then_answers(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "absent.duckdb"  # no warehouse: the bundled snapshot is read
    proc = subprocess.Popen(
        [sys.executable, "-m", "careerlens.cli.main", "serve", "--port", str(port)]
        + ["--db", str(db), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert info == {"url": f"http://127.0.0.1:{port}/", "host": "127.0.0.1", "port": port, "db": str(db)}
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(info["url"] + "healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_runs_while_the_server_serves_the_same_warehouse(
    warehouse_template: Path, tmp_path: Path
) -> None:
    """The server reads an in-memory copy, so `careerlens ingest` can write the file it serves; the next
    request answers from the new data."""
    db = copy_of(warehouse_template, tmp_path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "careerlens.cli.main", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, proc)
        before = httpx.get(base + "/api/v1/about", timeout=30).json()["store"]
        ingested = subprocess.run(
            [sys.executable, "-m", "careerlens.cli.main", "ingest", str(FIXTURE), "--source", "ai-jobs"]
            + ["--db", str(db), "--json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ingested.returncode == 0, ingested.stderr
        result = json.loads(ingested.stdout)
        assert result["status"] == "done" and result["loaded"] > 0
        after = httpx.get(base + "/api/v1/about", timeout=30).json()["store"]
        assert after["tables"]["salaries"] == before["tables"]["salaries"] + result["loaded"]
        assert [r["source"] for r in after["runs"]].count("ai-jobs") == 1
        assert proc.poll() is None  # still serving
    finally:
        proc.terminate()
        proc.wait(timeout=10)
