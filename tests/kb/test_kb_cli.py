"""`careerlens roles`, `careerlens role ROLE` and `careerlens kb check` through CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerlens.cli.main import app
from careerlens.kb.skills import DATA_DIR

runner = CliRunner()


def test_roles_table() -> None:
    result = runner.invoke(app, ["roles"])
    assert result.exit_code == 0, result.output
    for role_id in ("machine_learning_engineer", "ai_engineer", "ml_leadership", "other"):
        assert role_id in result.stdout


def test_roles_json() -> None:
    result = runner.invoke(app, ["roles", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kb_version"]
    rows = {r["id"]: r for r in data["roles"]}
    assert len(rows) == 15
    assert rows["ai_engineer"]["technical"] is True and rows["ai_engineer"]["skills"] >= 15
    assert rows["ai_engineer"]["summary"]


@pytest.mark.parametrize("name", ["mle", "Machine Learning Engineer", "machine_learning_engineer"])
def test_role_json(name: str) -> None:
    result = runner.invoke(app, ["role", name, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "machine_learning_engineer"
    assert {"summary", "responsibilities", "skills", "tools", "levels", "ladder", "codes"} <= set(data)
    assert {s["weight_value"] for s in data["skills"]} == {1, 2, 3}
    assert data["ladder"][0]["from_role"] == "machine_learning_engineer"


def test_role_text() -> None:
    result = runner.invoke(app, ["role", "AI-Engineer"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "AI Engineer (ai_engineer)" in out
    for heading in ("Responsibilities", "Skills", "Tools", "Levels", "Ladder"):
        assert heading in out
    assert "rag" in out and "core (3)" in out


def test_unknown_role_exits_2() -> None:
    result = runner.invoke(app, ["role", "astronaut"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "unknown role 'astronaut'" in result.output
    assert "Traceback" not in result.output


def test_unknown_role_json_error() -> None:
    result = runner.invoke(app, ["role", "astronaut", "--json"])
    assert result.exit_code == 2
    err = json.loads(result.stdout)
    assert err["error"] == "UnknownRoleError"


def test_kb_check_bundled() -> None:
    result = runner.invoke(app, ["kb", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 15 roles")


def test_kb_check_dir_json(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "roles.toml", tmp_path / "roles.toml")
    result = runner.invoke(app, ["kb", "check", "--dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["roles"] == 15 and data["ladder_edges"] > 50


def test_kb_check_broken_file_exits_2(tmp_path: Path) -> None:
    text = (DATA_DIR / "roles.toml").read_text(encoding="utf-8")
    (tmp_path / "roles.toml").write_text(text.replace('weight = "nice_to_have"', 'weight = "optional"', 1))
    result = runner.invoke(app, ["kb", "check", "--dir", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "roles.toml, entry 'machine_learning_engineer', field 'skills[22].weight'" in result.output
    result = runner.invoke(app, ["kb", "check", "--dir", str(tmp_path), "--json"])
    assert result.exit_code == 2
    err = json.loads(result.stdout)
    assert err["error"] == "KnowledgeBaseError"
    assert (err["file"], err["item"], err["field"]) == (
        "roles.toml",
        "machine_learning_engineer",
        "skills[22].weight",
    )


def test_kb_check_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "roles.toml").write_text("[meta\n", encoding="utf-8")
    result = runner.invoke(app, ["kb", "check", "--dir", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "roles.toml: TOML syntax error" in result.output


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ("roles", "role", "kb"):
        assert command in result.stdout
