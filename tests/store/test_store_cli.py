"""`careerlens ingest`, `quarantine`, `db info` and `snapshot build` through the real Typer app."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from careerlens.cli.main import app

runner = CliRunner()


def test_ingest_json_and_skip(tmp_path: Path, ai_jobs_csv: Path) -> None:
    db = tmp_path / "w.duckdb"
    res = runner.invoke(app, ["ingest", str(ai_jobs_csv), "--source", "ai-jobs", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "careerlens.ingest/v1"
    assert (out["rows_read"], out["loaded"], out["quarantined"], out["duplicates"], out["status"]) == (
        13, 6, 0, 7, "done"
    )  # fmt: skip
    again = json.loads(runner.invoke(app, ["ingest", str(ai_jobs_csv), "--db", str(db), "--json"]).stdout)
    assert again["status"] == "skipped" and again["loaded"] == 6


def test_ingest_human_output_and_quarantine_listing(tmp_path: Path, postings_csv: Path) -> None:
    db = tmp_path / "w.duckdb"
    res = runner.invoke(app, ["ingest", str(postings_csv), "--source", "postings", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "rows read 10" in res.stdout and "quarantined 3" in res.stdout and "duplicates 2" in res.stdout
    assert "row 7 field 'job_title': missing title" in res.stdout
    q = runner.invoke(app, ["quarantine", "--db", str(db), "--json", "--limit", "2"])
    assert q.exit_code == 0, q.output
    rows = json.loads(q.stdout)
    assert rows["total"] == 3 and len(rows["rows"]) == 2
    assert rows["rows"][0]["row_number"] == 7 and rows["rows"][0]["field"] == "job_title"
    info = runner.invoke(app, ["db", "info", "--db", str(db), "--json"])
    assert info.exit_code == 0, info.output
    assert json.loads(info.stdout)["tables"]["postings"] == 5
    assert runner.invoke(app, ["db", "info", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["quarantine", "--db", str(db)]).exit_code == 0


def test_ingest_errors_exit_2(tmp_path: Path, postings_csv: Path) -> None:
    db = tmp_path / "w.duckdb"
    res = runner.invoke(app, ["ingest", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert res.exit_code == 2 and "not found" in res.output and "nope.csv" in res.output
    res = runner.invoke(app, ["ingest", str(postings_csv), "--source", "generic", "--db", str(db), "--json"])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["error"] == "MappingError"
    ragged = tmp_path / "ragged.csv"
    lines = postings_csv.read_text(encoding="utf-8").splitlines()
    lines[3] += ",one too many"
    ragged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(ragged), "--source", "postings", "--db", str(db), "--json"])
    assert res.exit_code == 2
    err = json.loads(res.stdout)
    assert (err["error"], err["file"], err["row"]) == ("InputError", str(ragged), 3)
    assert "where the header has" in err["message"] and "nothing was loaded" in err["hint"]


def test_snapshot_build_cli(tmp_path: Path, ai_jobs_csv: Path) -> None:
    from careerlens.normalize.pay import FX_FILE

    package_fx = FX_FILE.read_bytes()
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ai_jobs_csv, data / "ai_jobs_salaries.csv")
    res = runner.invoke(
        app, ["snapshot", "build", "--from", str(data), "--out", str(tmp_path / "snap"), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["tables"]["salaries"] == 6
    assert FX_FILE.read_bytes() == package_fx  # a build elsewhere never rewrites the package's FX table
    assert (tmp_path / "snap" / "fx_usd.csv").read_text().startswith("# USD per unit")
    missing = runner.invoke(
        app, ["snapshot", "build", "--from", str(tmp_path / "none"), "--out", str(tmp_path / "x")]
    )
    assert missing.exit_code == 2


def test_help_of_commands() -> None:
    for args in (
        ["ingest", "--help"],
        ["quarantine", "--help"],
        ["db", "info", "--help"],
        ["snapshot", "build", "--help"],
    ):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and "Usage" in res.output
