"""`careerlens skills|demand|premium|converge|market report` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerlens.cli.main import app
from careerlens.store.aggregates import refresh_aggregates
from careerlens.store.warehouse import open_warehouse

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "postings"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "postings.duckdb"
    with open_warehouse(path) as s:
        for table in ("postings", "posting_skills"):
            s.con.execute(f"COPY {table} FROM '{FIXTURE / (table + '.csv')}' (HEADER, NULLSTR '')")
        refresh_aggregates(s.con)
    return str(path)


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_skills_json(db: str) -> None:
    out = run_json("skills", "--role", "mle", "--min-n", "5", "--db", db)
    assert out["schema"] == "careerlens.skills/v1"
    assert out["n_with_skills"] == 10 and out["compared_period"] == "Oct 2023"
    assert out["skills"][0] == {**out["skills"][0], "skill": "python", "n": 8, "share": 0.8}


def test_skills_text_shows_n_and_too_few_data(db: str) -> None:
    result = runner.invoke(app, ["skills", "--role", "mle", "--min-n", "5", "--db", db])
    assert result.exit_code == 0 and "n = 10 postings" in result.stdout and "python" in result.stdout
    result = runner.invoke(app, ["skills", "--role", "mle", "--db", db])
    assert result.exit_code == 0 and "too few data" in result.stdout


def test_demand_json(db: str) -> None:
    out = run_json("demand", "--by", "year", "--min-n", "5", "--db", db)
    assert out["schema"] == "careerlens.demand/v1"
    cell = next(c for c in out["cells"] if c["role"] == "machine_learning_engineer" and c["key"] == "2024")
    assert (cell["n_postings"], cell["n_genai"], cell["genai_share"]) == (11, 4, 0.4)


def test_demand_text_withholds(db: str) -> None:
    result = runner.invoke(
        app, ["demand", "--role", "ai engineer", "--by", "month", "--min-n", "5", "--db", db]
    )
    assert result.exit_code == 0 and "too few data" in result.stdout


def test_premium_json(db: str) -> None:
    out = run_json("premium", "--role", "data engineer", "--min-n", "10", "--db", db)
    assert out["schema"] == "careerlens.premium/v1"
    spark = out["rows"][0]
    assert spark["skill"] == "spark" and spark["median_with"] == 127500.0 and spark["n_without"] == 12


def test_converge_json_and_text(db: str) -> None:
    out = run_json("converge", "mle", "data scientist", "--top-k", "2", "--min-n", "5", "--db", db)
    assert out["schema"] == "careerlens.converge/v1" and out["verdict"] == "inconclusive"
    assert [p["period"] for p in out["periods"]] == ["2023", "2024"]
    result = runner.invoke(app, ["converge", "mle", "data scientist", "--min-n", "5", "--db", db])
    assert result.exit_code == 0 and "inconclusive" in result.stdout and "[warehouse]" in result.stdout


def test_unknown_role_is_exit_2_with_json_error(db: str) -> None:
    result = runner.invoke(app, ["skills", "--role", "astronaut", "--db", db, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "UnknownRoleError"
    result = runner.invoke(app, ["demand", "--by", "planet", "--db", db])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_market_report_markdown(db: str, tmp_path: Path) -> None:
    out = tmp_path / "market.md"
    result = runner.invoke(app, ["market", "report", "--out", str(out), "--min-n", "5", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert files[0] == str(out) and len(files) > 3 and all(Path(f).exists() for f in files)


def test_market_report_bad_extension(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["market", "report", "--out", str(tmp_path / "r.txt"), "--db", db])
    assert result.exit_code == 2 and ".md, .html or .pdf" in result.output


@pytest.mark.parametrize(
    "command", [["skills"], ["demand"], ["premium"], ["converge"], ["market"], ["market", "report"]]
)
def test_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
