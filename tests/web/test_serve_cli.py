"""`careerlens serve --json` via the real entry point: a JSON line saying where it serves, then it serves."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


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
