"""Throughput of the job-title classifier on the 2024 postings' distinct titles, against DuckDB in one run.

Corpus: the distinct ``job_title`` values of shared/data/postings/data_jobs_2024_09_12.csv.gz (about 41k).
``classify_titles`` is timed cold (its per-title and per-segment caches emptied before each repeat),
alternately with DuckDB's ``read_csv`` of the same file into a table (the baseline of
benchmarks/ingest_throughput.py), best of N, in the same process. Printed: titles/s, the seconds of both, and
the ratio DuckDB-read time / classification time (the classifier is the bulk of ``careerlens ingest`` on this
file, so this bounds the ingest ratio), and whether the classifier in use is the compiled one (setup.py builds
it with mypyc) or the .py source.

    .venv/bin/python benchmarks/titles_throughput.py [--data ../shared/data] [--repeat 3]
    CAREERLENS_PURE_PYTHON=1 .venv/bin/python benchmarks/titles_throughput.py   # the .py source
"""

from __future__ import annotations

import argparse
import csv
import gzip
import inspect
import os
import time
from pathlib import Path

import duckdb

from careerlens.normalize import titles as titles_mod
from careerlens.normalize.title_rules import load_rules

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POSTINGS = Path("postings") / "data_jobs_2024_09_12.csv.gz"


def load_titles(path: Path) -> list[str]:
    """The distinct job titles of a postings file, in first-seen order."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(dict.fromkeys(r.get("job_title") or "" for r in csv.DictReader(fh)))


def classifier_in_use() -> str:
    """Which classifier runs: mypyc compiles a function to a builtin one."""
    if inspect.isbuiltin(titles_mod.classify_titles):
        return f"compiled (mypyc): {Path(titles_mod.__file__).name}"
    if os.environ.get("CAREERLENS_PURE_PYTHON") == "1":
        return "the .py source (CAREERLENS_PURE_PYTHON=1)"
    return "the .py source (no compiled build, or a stale one: run make dev)"


def time_classify(titles: list[str]) -> float:
    titles_mod.classify_title.cache_clear()
    getattr(titles_mod, "_MEMO", []).clear()  # the per-segment caches (a cold run)
    t0 = time.perf_counter()
    titles_mod.classify_titles(titles)
    return time.perf_counter() - t0


def time_duckdb(path: Path) -> float:
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path.as_posix()}')")
    dt = time.perf_counter() - t0
    con.close()
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = args.data / POSTINGS
    titles = load_titles(path)
    load_rules()
    time_duckdb(path)  # warm-up (file cache, DuckDB's extension loading)
    classify: list[float] = []
    duck: list[float] = []
    for _ in range(max(1, args.repeat)):
        classify.append(time_classify(titles))
        duck.append(time_duckdb(path))
    c, d = min(classify), min(duck)
    print(f"classifier: {classifier_in_use()}")
    print(f"file: {path.name}, {len(titles)} distinct titles, best of {len(classify)}")
    print(f"classify_titles   {c:7.3f} s  {len(titles) / c:10,.0f} titles/s")
    print(f"duckdb read_csv   {d:7.3f} s  (whole file)")
    print(f"ratio duckdb read / classification: {d / c:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
