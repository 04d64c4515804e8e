"""Executable documentation: docs/json-schema.md and README.md's Usage table against the real code.

- every field of every JSON result (Pydantic models, and the plain-dict outputs as the commands print them) is
  documented in the section of its schema id, and nothing documented is gone;
- every command of the `careerlens` app has help text, `--help` exits 0, it is in README's Usage table, the
  options the table shows exist, and every command that prints a result has `--json` (exceptions listed).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from careerlens.advisor.models import (
    Advice,
    Gap,
    PathStep,
    PlanItem,
    PlanStage,
    RoleFit,
    SalaryRange,
    UserProfile,
)
from careerlens.analytics.converge import Convergence, PeriodSimilarity, Trend
from careerlens.analytics.demand import Demand, DemandCell
from careerlens.analytics.models import Comparison, LevelSalary, Premium, SalaryStats, Verdict
from careerlens.analytics.premium import SkillPremiumResult, SkillPremiumRow
from careerlens.analytics.skills import SkillShare, TopSkills
from careerlens.cli.main import app
from careerlens.cli.titles import OUT_COLUMNS
from careerlens.kb.roles import Role
from careerlens.settings import SNAPSHOT_DIR
from careerlens.store.ingest import IngestResult

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "json-schema.md"
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "fixtures"

runner = CliRunner()


# --- docs/json-schema.md ------------------------------------------------------------------------------------


def doc_sections(text: str) -> dict[str, str]:
    """Heading line → its body (up to the next ## or ### heading)."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


SECTIONS = doc_sections(DOC.read_text(encoding="utf-8"))


def section(key: str) -> str:
    """The body of the one section whose heading names `key` in backticks."""
    found = [body for head, body in SECTIONS.items() if f"`{key}`" in head]
    assert len(found) == 1, f"{len(found)} sections of docs/json-schema.md name `{key}` in their heading"
    return found[0]


def documented_fields(key: str) -> set[str]:
    """Field (or column) names in the first column of the section's table."""
    names: set[str] = set()
    for line in section(key).splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Za-z_0-9]+)`", line.split("|")[1]))
    assert names, f"the section of `{key}` has no field table"
    return names


def model_fields(model: type[BaseModel]) -> set[str]:
    """Top-level JSON names (by alias, e.g. `schema`) of a model as it is serialised."""
    return set(model.model_json_schema(by_alias=True, mode="serialization")["properties"])


MODEL_SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("careerlens.salary/v1", SalaryStats),
    ("careerlens.compare/v1", Comparison),
    ("SalaryCell", LevelSalary),  # the section documents `level` of by_level[] too
    ("Premium", Premium),
    ("Verdict", Verdict),
    ("careerlens.skills/v1", TopSkills),
    ("SkillShare", SkillShare),
    ("careerlens.demand/v1", Demand),
    ("DemandCell", DemandCell),
    ("careerlens.premium/v1", SkillPremiumResult),
    ("SkillPremiumRow", SkillPremiumRow),
    ("careerlens.converge/v1", Convergence),
    ("PeriodSimilarity", PeriodSimilarity),
    ("Trend", Trend),
    ("careerlens.advice/v1", Advice),
    ("UserProfile", UserProfile),
    ("RoleFit", RoleFit),
    ("Gap", Gap),
    ("PathStep", PathStep),
    ("SalaryRange", SalaryRange),
    ("PlanStage", PlanStage),
    ("PlanItem", PlanItem),
    ("Role", Role),
]


@pytest.mark.parametrize(("key", "model"), MODEL_SECTIONS, ids=[k for k, _ in MODEL_SECTIONS])
def test_every_model_field_is_documented(key: str, model: type[BaseModel]) -> None:
    assert documented_fields(key) == model_fields(model)


@pytest.mark.parametrize(
    ("key", "model"),
    [(k, m) for k, m in MODEL_SECTIONS if k.startswith("careerlens.")],
    ids=[k for k, _ in MODEL_SECTIONS if k.startswith("careerlens.")],
)
def test_schema_id_matches_the_model(key: str, model: type[BaseModel]) -> None:
    """The section's schema id is the one the model writes."""
    assert model.model_fields["schema_"].default == key
    assert f'`"{key}"`' in section(key)


def schema_ids_in_source() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "src" / "careerlens").rglob("*.py"):
        ids |= set(re.findall(r"careerlens\.[a-z][a-z-]*/v\d+", path.read_text(encoding="utf-8")))
    return ids


def test_every_schema_id_in_the_code_is_documented() -> None:
    ids = schema_ids_in_source()
    assert {"careerlens.salary/v1", "careerlens.ingest/v1", "careerlens.kb-check/v1"} <= ids
    headings = {m for head in SECTIONS for m in re.findall(r"`(careerlens\.[a-z-]+/v\d+)`", head)}
    assert ids - headings == set(), "schema ids without a section in docs/json-schema.md"
    assert headings - ids == set(), "documented schema ids that no code writes"


def cli_json(*args: str) -> dict[str, Any]:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(res.stdout)
    return data


def test_roles_json_is_documented() -> None:
    data = cli_json("roles")
    assert set(data) == documented_fields("careerlens.roles/v1")
    assert data["schema"] == "careerlens.roles/v1"
    assert set(data["roles"][0]) == documented_fields("roles[]")


def test_role_json_is_documented() -> None:
    data = cli_json("role", "mle")
    assert set(data) == documented_fields("Role")
    body = section("Role")
    # the nested objects are described inline: every key of the first entry is named in its row
    for key in ("skills", "levels", "codes", "differs_from", "ladder"):
        value = data[key][0] if isinstance(data[key], list) else data[key]
        row = next(ln for ln in body.splitlines() if ln.startswith(f"| `{key}` |"))
        assert set(value) <= set(re.findall(r"[a-z_]+", row)), key


def test_kb_check_json_is_documented(tmp_path: Path) -> None:
    ok = cli_json("kb", "check")
    assert ok["schema"] == "careerlens.kb-check/v1"
    assert set(ok["files"][0]) == documented_fields("files[]")
    (tmp_path / "roles.toml").write_text("[meta\n", encoding="utf-8")
    res = runner.invoke(app, ["kb", "check", "--dir", str(tmp_path), "--json"])
    assert res.exit_code == 2
    failed = json.loads(res.stdout)
    assert set(ok) | set(failed) == documented_fields("careerlens.kb-check/v1")
    assert set(failed) - set(ok) == {"error", "message", "hint", "file", "item", "field"}


def test_store_json_is_documented() -> None:
    """`db info` and `quarantine` on the bundled snapshot."""
    info = cli_json("db", "info")
    assert set(info) == documented_fields("careerlens.store/v1")
    runs_row = next(ln for ln in section("careerlens.store/v1").splitlines() if ln.startswith("| `runs` |"))
    assert set(info["runs"][0]) <= set(re.findall(r"[a-z_0-9]+", runs_row))
    quarantine = cli_json("quarantine", "--limit", "1")
    assert set(quarantine) == documented_fields("careerlens.quarantine/v1")
    rows_line = next(
        ln for ln in section("careerlens.quarantine/v1").splitlines() if ln.startswith("| `rows` |")
    )
    for row in quarantine["rows"]:
        assert set(row) <= set(re.findall(r"[a-z_]+", rows_line))


def test_ingest_json_is_documented(tmp_path: Path) -> None:
    csv_file = FIXTURES / "store" / "ai_jobs_small.csv"
    data = cli_json("ingest", str(csv_file), "--source", "ai-jobs", "--db", str(tmp_path / "w.duckdb"))
    assert data["schema"] == "careerlens.ingest/v1"
    assert set(data) == documented_fields("careerlens.ingest/v1")
    assert {f.name for f in dataclasses.fields(IngestResult)} | {"schema"} == set(data)


def test_snapshot_manifest_is_documented() -> None:
    """`snapshot build --json` prints the manifest it writes; the bundled one has the same shape."""
    manifest = json.loads((SNAPSHOT_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == documented_fields("careerlens.snapshot/v1")
    for source in manifest["sources"]:
        assert set(source) == documented_fields("sources[]")


def test_market_report_json_is_documented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's wrapper around the report (building a real report is the report tests' job)."""
    from careerlens.report import market

    out = tmp_path / "r.html"
    monkeypatch.setattr(market, "build_market_report", lambda path, **_: [Path(path), tmp_path / "c.svg"])
    data = cli_json("market", "report", "--out", str(out))
    assert set(data) == documented_fields("careerlens.market-report/v1")
    assert data["files"][0] == str(out)


def test_classify_titles_columns_are_documented(tmp_path: Path) -> None:
    assert documented_fields("classify-titles") == set(OUT_COLUMNS)
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify-titles", str(FIXTURES / "titles" / "jobs.csv"), "-c", "job_title",
                              "--out", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and set(rows[0]) == documented_fields("classify-titles")


def test_extract_skills_lines_are_documented() -> None:
    res = runner.invoke(app, ["extract-skills", str(FIXTURES / "skills" / "postings.csv")])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert records and all(set(r) == documented_fields("extract-skills") for r in records)


# --- the command tree and README's Usage table --------------------------------------------------------------


def is_group(cmd: Any) -> bool:
    return hasattr(cmd, "commands")  # typer vendors click: duck-type rather than isinstance(click.Group)


def walk(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command below `cmd` with its path of names."""
    if path:
        yield path, cmd
    if is_group(cmd):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, (*path, name))


ROOT_CMD = typer.main.get_command(app)
COMMANDS = dict(walk(ROOT_CMD))
LEAVES = {p: c for p, c in COMMANDS.items() if not is_group(c)}

# Commands without --json, and why.
# (none left: `serve --json` prints where it serves)
NO_JSON: dict[tuple[str, ...], str] = {}


def test_the_command_tree_is_complete() -> None:
    """The walk sees every registered command (guards the other tests against an empty tree)."""
    names = {" ".join(p) for p in COMMANDS}
    assert {"roles", "role", "compare", "salary", "kb check", "db info", "market report", "advise"} <= names
    assert len(LEAVES) >= 19


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p))
def test_command_has_help_text(path: tuple[str, ...]) -> None:
    cmd = COMMANDS[path]
    assert (cmd.help or "").strip(), f"`careerlens {' '.join(path)}` has no help text"


@pytest.mark.parametrize("path", [(), *sorted(COMMANDS)], ids=lambda p: " ".join(p) or "careerlens")
def test_help_exits_0(path: tuple[str, ...]) -> None:
    res = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Usage:" in res.output
    if path:
        first_line = (COMMANDS[path].help or "").strip().splitlines()[0]
        assert " ".join(first_line.split()[:4]) in " ".join(res.output.split())


def usage_table() -> list[str]:
    text = README.read_text(encoding="utf-8")
    body = text.split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in body.splitlines() if ln.startswith("| `careerlens ")]
    assert len(rows) >= 10
    return rows


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p))
def test_command_is_in_the_readme_usage_table(path: tuple[str, ...]) -> None:
    name = "careerlens " + " ".join(path)
    pattern = re.compile(rf"`{re.escape(name)}(?=[\s`])")
    assert any(pattern.search(row) for row in usage_table()), f"`{name}` is missing from README's Usage table"


def test_readme_usage_options_exist() -> None:
    """Each `--option` a Usage row shows is an option of the command(s) that row names."""
    names = sorted(COMMANDS, key=len, reverse=True)
    for row in usage_table():
        cell = row.split("|")[1]
        for snippet in re.findall(r"`(careerlens [^`]+)`", cell):
            words = snippet.split()[1:]
            path = next(p for p in names if tuple(words[: len(p)]) == p)
            opts = {o for param in COMMANDS[path].params for o in param.opts}
            for opt in re.findall(r"--[a-z][a-z-]*", snippet):
                assert opt in opts, f"README shows `{opt}` for `careerlens {' '.join(path)}`"


def test_no_json_exceptions_are_real() -> None:
    for path in NO_JSON:  # pragma: no cover - kept for the day a command cannot have --json
        assert path in LEAVES, f"{path} is listed as an exception but is not a command"
        assert "--json" not in {o for p in LEAVES[path].params for o in p.opts}


@pytest.mark.parametrize("path", sorted(p for p in LEAVES if p not in NO_JSON), ids=lambda p: " ".join(p))
def test_command_with_a_result_has_json(path: tuple[str, ...]) -> None:
    opts = {o: p for p in LEAVES[path].params for o in p.opts}
    assert "--json" in opts, f"`careerlens {' '.join(path)}` prints a result but has no --json"
    assert opts["--json"].param_type_name == "option" and opts["--json"].is_flag
    assert "docs/json-schema.md" in (opts["--json"].help or "")
