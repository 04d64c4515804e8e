"""Snapshot build (deterministic, aggregates only for postings) and the open_store fallback."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from careerlens.errors import StoreError
from careerlens.settings import Settings
from careerlens.store.snapshot import build_snapshot
from careerlens.store.warehouse import open_store


@pytest.fixture
def data_dir(tmp_path: Path, ai_jobs_csv: Path, postings_csv: Path) -> Path:
    d = tmp_path / "data"
    (d / "postings").mkdir(parents=True)
    shutil.copy(ai_jobs_csv, d / "ai_jobs_salaries.csv")
    shutil.copy(postings_csv, d / "postings" / "data_jobs_test.csv")
    return d


def tables_of(out: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect()
    return {
        p.stem: con.execute(f"SELECT * FROM read_parquet('{p}')").fetchall()
        for p in sorted(out.glob("*.parquet"))
    }


def test_build_is_deterministic_and_aggregates_only(tmp_path: Path, data_dir: Path) -> None:
    a = build_snapshot(data_dir, tmp_path / "a", fx_file=tmp_path / "fx_a.csv")
    b = build_snapshot(data_dir, tmp_path / "b", fx_file=tmp_path / "fx_b.csv")
    assert a == b
    assert tables_of(tmp_path / "a") == tables_of(tmp_path / "b")
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()
    assert (tmp_path / "fx_a.csv").read_bytes() == (tmp_path / "fx_b.csv").read_bytes()
    files = {p.name for p in (tmp_path / "a").iterdir()}
    assert {"salaries.parquet", "ingest_runs.parquet", "agg_posting_counts.parquet", "manifest.json",
            "SOURCES.md"} <= files  # fmt: skip
    assert "postings.parquet" not in files and "posting_skills.parquet" not in files
    assert a["snapshot_date"] == "2023-10-05"  # the newest posting date, not the build time
    by_file = {s["file"]: s for s in a["sources"]}
    assert by_file["ai_jobs_salaries.csv"]["loaded"] == 6
    post = by_file["postings/data_jobs_test.csv"]
    assert (post["rows_read"], post["loaded"], post["quarantined"], post["duplicates"]) == (10, 5, 3, 2)
    quarantine = tables_of(tmp_path / "a")["quarantine"]
    assert quarantine and all(row[-1] is None for row in quarantine)  # postings: counts only, no raw rows
    runs = tables_of(tmp_path / "a")["ingest_runs"]
    assert all(str(r[6]).startswith("2023-10-05") for r in runs)


def test_open_store_falls_back_to_snapshot(tmp_path: Path, data_dir: Path) -> None:
    build_snapshot(data_dir, tmp_path / "snap", fx_file=tmp_path / "fx.csv")
    settings = Settings(db_path=tmp_path / "absent.duckdb", snapshot_dir=tmp_path / "snap")
    with open_store(settings) as store:
        assert store.kind == "snapshot"
        assert store.con.execute("SELECT count(*) FROM salaries").fetchall()[0][0] == 6
        assert store.con.execute("SELECT count(*) FROM postings").fetchall()[0][0] == 0
        info = store.describe()
    assert info["snapshot_date"] == "2023-10-05"
    assert info["tables"]["salaries"] == 6
    assert {s["file"] for s in info["sources"]} == {"ai_jobs_salaries.csv", "postings/data_jobs_test.csv"}
    assert not (tmp_path / "absent.duckdb").exists()


def test_open_store_prefers_existing_warehouse(tmp_path: Path) -> None:
    from careerlens.store.warehouse import open_warehouse

    open_warehouse(tmp_path / "w.duckdb").close()
    with open_store(Settings(db_path=tmp_path / "w.duckdb", snapshot_dir=tmp_path / "none")) as store:
        assert store.kind == "warehouse"
        assert store.describe()["tables"]["salaries"] == 0


def test_missing_snapshot_tells_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no warehouse and no bundled snapshot") as err:
        open_store(Settings(db_path=tmp_path / "absent.duckdb", snapshot_dir=tmp_path / "none"))
    assert "careerlens snapshot build --from ../shared/data" in str(err.value.hint)


def test_manifest_is_sorted_json(tmp_path: Path, data_dir: Path) -> None:
    build_snapshot(data_dir, tmp_path / "s", fx_file=tmp_path / "fx.csv")
    text = (tmp_path / "s" / "manifest.json").read_text()
    assert json.loads(text)["schema"] == "careerlens.snapshot/v1"
    assert "aggregates only" in (tmp_path / "s" / "SOURCES.md").read_text()
