"""Ingest throughput: rows/s of careerlens' ingest (fresh warehouse) vs DuckDB's own read_csv into a table.

    .venv/bin/python benchmarks/ingest_throughput.py [--data ../shared/data] [--repeat 5]

Both sides read the same file into a fresh DuckDB file; careerlens additionally classifies titles, maps
countries, converts pay, quarantines, deduplicates and links skills. An ingest leaves the postings aggregates
to the first reader after it (one rebuild for any number of ingests): the '+ aggregates' line adds that
rebuild to the ingest, as a user pays it before the first postings query. Target: >= 0.5x.
The two sides take turns, --repeat times (the machine is shared and its load changes within seconds): the
ratio is best time against best time; 'pairs' is the median of the ratios of each turn's two runs, and 'cpu'
compares the CPU seconds (all threads) of the two best runs, which other users' load changes less.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import duckdb

from careerlens.store.ingest import ingest
from careerlens.store.warehouse import open_warehouse

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = (("ai_jobs_salaries.csv", "ai-jobs"), ("postings/data_jobs_2024_09_12.csv.gz", "postings"))


class Run(NamedTuple):
    seconds: float
    cpu: float  # user + system seconds of the process (every thread) during the run
    rows: int


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_duckdb(path: Path, tmp: Path) -> Run:
    db = tmp / f"duck-{time.perf_counter_ns()}.duckdb"
    con = duckdb.connect(str(db))
    c0, t0 = cpu_seconds(), time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path.as_posix()}')")
    con.execute("CHECKPOINT")
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    rows = int(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
    con.close()
    return Run(elapsed, cpu, rows)


def clear_caches() -> None:
    """Per-value caches (titles, geography) would make repeated runs look faster than a first ingest."""
    from careerlens.normalize import geo, titles

    for fn in (getattr(titles, "classify_title", None), geo.to_iso2, geo.location_to_iso2):
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def time_careerlens(path: Path, source: str, tmp: Path, refresh: bool) -> Run:
    clear_caches()
    db = tmp / f"cl-{time.perf_counter_ns()}.duckdb"
    with open_warehouse(db) as store:
        c0, t0 = cpu_seconds(), time.perf_counter()
        result = ingest(path, source, store, refresh=refresh)
        store.con.execute("CHECKPOINT")
        elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return Run(elapsed, cpu, result.rows_read)


def time_titles(path: Path) -> tuple[float, int]:
    """Cold time of the title classifier over the file's distinct titles (a part of the careerlens time)."""
    from careerlens.normalize.titles import classify_titles

    col = "job_title"
    titles = [
        r[0]
        for r in duckdb.execute(
            f"SELECT DISTINCT trim({col}) FROM read_csv('{path.as_posix()}', all_varchar=true) "
            f"WHERE {col} IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    clear_caches()
    t0 = time.perf_counter()
    classify_titles(titles)
    return time.perf_counter() - t0, len(titles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # warm the title classifier, skill lexicon and extractor once, so the first file does not pay for
    # loading them
    with tempfile.TemporaryDirectory() as tmp:
        time_careerlens(Path(__file__).resolve().parents[1] / "tests/fixtures/store/postings_small.csv",
                        "postings", Path(tmp), True)  # fmt: skip
    heads = ("rows", "duckdb rows/s", "careerlens rows/s", "ratio", "pairs", "cpu")
    print(f"{'file':44} " + " ".join(f"{h:>{w}}" for h, w in zip(heads, (8, 14, 18, 6, 6, 6), strict=True)))
    for rel, source in FILES:
        path = args.data / rel
        variants = [("", False)] if source == "ai-jobs" else [("", False), (" + aggregates", True)]
        for label, refresh in variants:
            duck: list[Run] = []
            ours: list[Run] = []
            with tempfile.TemporaryDirectory() as tmp:
                for _ in range(args.repeat):
                    duck.append(time_duckdb(path, Path(tmp)))
                    ours.append(time_careerlens(path, source, Path(tmp), refresh))
            assert {r.rows for r in duck} == {r.rows for r in ours}, "both sides must read every row"
            d, o = min(duck), min(ours)
            pairs = statistics.median(a.seconds / b.seconds for a, b in zip(duck, ours, strict=True))
            print(
                f"{rel + label:44} {d.rows:>8,} {d.rows / d.seconds:>14,.0f} {o.rows / o.seconds:>18,.0f} "
                f"{d.seconds / o.seconds:>5.2f}x {pairs:>5.2f}x {d.cpu / o.cpu:>5.2f}x"
            )
        secs, n = time_titles(path)
        print(f"  of which title classification (normalize.titles): {secs:.2f} s for {n:,} distinct titles")


if __name__ == "__main__":
    main()
