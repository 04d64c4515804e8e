"""Load benchmark of the JSON API: /api/v1/compare against /healthz on one real server.

Starts `careerlens serve` on 127.0.0.1 (a free port) in a subprocess, warms the compare cache with a request,
then drives each endpoint with ``--clients`` concurrent httpx clients until ``--requests`` requests
or ``--seconds`` have passed, and prints p50/p99 latency and requests/s of both, and compare/healthz ratios.
Target: compare p99 ≤ 3 × healthz p99 (the server caches comparisons keyed on roles and store).

    .venv/bin/python benchmarks/api_load.py [--db PATH] [--clients 50] [--requests 2000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx

COMPARE = "/api/v1/compare?a=mle&b=ai-engineer"
HEALTHZ = "/healthz"
TARGET_P99_RATIO = 3.0


@dataclass
class Result:
    path: str
    latencies: list[float]
    errors: int
    wall: float

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000 if xs else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def line(self) -> str:
        mean = statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")
        return (
            f"{self.path:38s} n={len(self.latencies):5d} err={self.errors:3d} p50={self.pct(0.50):7.2f} ms "
            f"p99={self.pct(0.99):7.2f} ms mean={mean:7.2f} ms {self.rps:7.1f} req/s"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, db: str | None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "careerlens.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if db:
        cmd += ["--db", db]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"server exited with {proc.returncode}:\n{err[-2000:]}")
        try:
            if httpx.get(base + HEALTHZ, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not come up")


async def drive(base: str, path: str, clients: int, total: int, seconds: float) -> Result:
    """``clients`` workers share one budget of ``total`` requests and a time limit."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal issued, errors
            while issued < total and time.monotonic() < stop_at:
                issued += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - start
    return Result(path, latencies, errors, wall)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="warehouse file (default: the user's warehouse, else the bundled snapshot)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    ap.add_argument("--seconds", type=float, default=30.0, help="time limit per endpoint")
    args = ap.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.db)
    try:
        wait_up(base, proc)
        t0 = time.perf_counter()
        first = httpx.get(base + COMPARE, timeout=120)
        cold = time.perf_counter() - t0
        if first.status_code != 200:
            raise SystemExit(f"compare answered {first.status_code}: {first.text[:300]}")
        print(f"server {base}; first (uncached) compare: {cold * 1000:.0f} ms, {len(first.content):,} bytes")
        # warm both paths so connection set-up is not measured as latency
        asyncio.run(drive(base, HEALTHZ, args.clients, args.clients * 2, 10))
        asyncio.run(drive(base, COMPARE, args.clients, args.clients * 2, 10))
        health = asyncio.run(drive(base, HEALTHZ, args.clients, args.requests, args.seconds))
        comp = asyncio.run(drive(base, COMPARE, args.clients, args.requests, args.seconds))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"{args.clients} concurrent clients, up to {args.requests} requests or {args.seconds:.0f} s each")
    print(health.line())
    print(comp.line())
    p50 = comp.pct(0.5) / health.pct(0.5)
    p99 = comp.pct(0.99) / health.pct(0.99)
    rps = comp.rps / health.rps if health.rps else float("nan")
    verdict = "OK" if p99 <= TARGET_P99_RATIO else "ABOVE TARGET"
    target = f"target <= {TARGET_P99_RATIO:.0f}x: {verdict}"
    print(f"ratio compare/healthz: p50 {p50:.2f}x  p99 {p99:.2f}x ({target})  throughput {rps:.2f}x")
    return 0 if p99 <= TARGET_P99_RATIO and not (health.errors or comp.errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
