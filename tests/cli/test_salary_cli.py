"""`careerlens salary` and `careerlens compare` through the real entry point; the documented JSON schema."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from careerlens.analytics.models import Comparison, SalaryStats
from careerlens.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "json-schema.md"


def _builder() -> Any:
    """The warehouse builder of tests/analytics/conftest.py (loaded by path: tests are not a package)."""
    spec = importlib.util.spec_from_file_location(
        "analytics_fixtures", ROOT / "tests" / "analytics" / "conftest.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


fx = _builder()
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    store = fx.make_store(path)
    jobs = fx.Jobs(store)
    rng = np.random.default_rng(0)
    for level, base in (("mid", 90_000), ("senior", 140_000)):
        a = base * np.exp(rng.normal(0, 0.05, 40))
        jobs.add("machine_learning_engineer", a, level=level)
        jobs.add("ai_engineer", a * 1.08, level=level)
    jobs.add("machine_learning_engineer", [70_000.0] * 12, level="entry")
    store.close()
    return path


@pytest.fixture(autouse=True)
def wide_console() -> Any:
    """Rich wraps table cells at the terminal width; a wide console keeps each cell's text on one line."""
    from careerlens.cli import common

    old = common.console.width
    common.console.width = 200
    yield
    common.console.width = old


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("cmd", ["salary", "compare"])
def test_help(cmd: str) -> None:
    res = run(cmd, "--help")
    assert res.exit_code == 0 and "--json" in res.output and "--db" in res.output


def test_salary_table(db: Path) -> None:
    res = run("salary", "--role", "mle", "--db", str(db))
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Machine Learning Engineer" in out and "median" in out and "95 % CI" in out
    assert "too few data (n=12 < 30)" in out  # the entry level is withheld
    assert "test salary survey" in out  # the source line


def test_salary_json_matches_model_and_docs(db: Path) -> None:
    res = run("salary", "--role", "ML Engineer", "--region", "north america", "--db", str(db), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema"] == "careerlens.salary/v1" and data["n"] == 92
    assert data["filters"]["region"] == "North America"
    assert [c["level"] for c in data["by_level"]] == ["entry", "mid", "senior"]
    _check_schema(data, SalaryStats)
    assert documented_fields("careerlens.salary/v1") <= set(data)


def test_salary_min_n_and_level(db: Path) -> None:
    res = run("salary", "--role", "mle", "--level", "entry", "--min-n", "10", "--db", str(db), "--json")
    data = json.loads(res.output)
    assert data["withheld"] is False and data["median"] == 70_000 and data["by_level"] is None


def test_unknown_role_exits_2_with_hint(db: Path) -> None:
    res = run("salary", "--role", "wizard", "--db", str(db))
    assert res.exit_code == 2
    assert "unknown role 'wizard'" in res.output and "hint" in res.output
    res = run("compare", "mle", "wizard", "--db", str(db), "--json")
    assert res.exit_code == 2 and json.loads(res.output)["error"] == "UnknownRoleError"


def test_bad_filter_exits_2(db: Path) -> None:
    res = run("salary", "--role", "mle", "--company-size", "XL", "--db", str(db))
    assert res.exit_code == 2 and "S, M or L" in res.output


def test_compare_rich_output(db: Path) -> None:
    res = run("compare", "mle", "ai engineer", "--db", str(db))
    assert res.exit_code == 0, res.output
    out = res.output
    for text in ("Skills", "Salary by level", "Matched premium", "+8.0 %", "AI Engineers earn slightly more",
                 "supported", "source: test salary survey"):  # fmt: skip
        assert text in out, text


def test_compare_json_matches_model_schema_and_docs(db: Path) -> None:
    res = run("compare", "mle", "ai engineer", "--db", str(db), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema"] == "careerlens.compare/v1"
    assert data["premium"]["estimate_pct"] == pytest.approx(8.0, abs=1e-6)
    _check_schema(data, Comparison)
    assert documented_fields("careerlens.compare/v1") <= set(data)
    assert set(data) <= documented_fields("careerlens.compare/v1")


def _check_schema(data: dict[str, Any], model: Any) -> None:
    """The output validates against the model's JSON Schema and round-trips through the model."""
    model.model_validate(data)
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    jsonschema_rs.validate(model.model_json_schema(by_alias=True), data)
    assert set(model.model_json_schema(by_alias=True)["properties"]) == set(data)


def documented_fields(schema: str) -> set[str]:
    """Backticked names in the first column of the field table of the ``## `schema` …`` section of the doc."""
    text = DOC.read_text(encoding="utf-8")
    section = re.split(r"\n## ", text.split(f"## `{schema}`", 1)[1], maxsplit=1)[0]
    table = section.split("\n### ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([a-z_0-9]+)`", line.split("|")[1]))
    return names


@pytest.mark.parametrize(
    ("schema", "model"), [("careerlens.salary/v1", SalaryStats), ("careerlens.compare/v1", Comparison)]
)
def test_every_model_field_is_documented(schema: str, model: Any) -> None:
    assert documented_fields(schema) == set(model.model_json_schema(by_alias=True)["properties"])
