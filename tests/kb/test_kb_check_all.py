"""`careerlens kb check` over every data file: roles, skills, questions, prerequisites, title rules."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from careerlens.cli.kb import check_knowledge_base
from careerlens.cli.main import app
from careerlens.kb.skills import DATA_DIR
from careerlens.normalize.skills import CONTEXT_FILE

runner = CliRunner()

ALL_FILES = [
    "skills.toml",
    "roles.toml",
    "questions.toml",
    "skill_prereqs.toml",
    "titles.toml",
    "skill_context.toml",
]
DIR_FILES = ("roles.toml", "skills.toml", "questions.toml", "skill_prereqs.toml")


def check(*args: str) -> Any:
    return runner.invoke(app, ["kb", "check", *args])


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    res = check(*args, "--json")
    return res.exit_code, json.loads(res.stdout)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A writable copy of every bundled knowledge-base file and the skill-context rules."""
    for name in DIR_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    shutil.copy(CONTEXT_FILE, tmp_path / CONTEXT_FILE.name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test must be updated"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def by_file(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["file"]: f for f in data["files"]}


def test_bundled_files_all_pass() -> None:
    res = check()
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("ok: 15 roles")
    for name in ALL_FILES:
        assert any(re.match(rf"\s+OK\s+\S*{re.escape(name)} \(bundled\): ", ln) for ln in lines), name
    assert "ERROR" not in res.output and "SKIP" not in res.output


def test_bundled_files_all_pass_json() -> None:
    code, data = check_json()
    assert code == 0
    assert data["schema"] == "careerlens.kb-check/v1" and data["ok"] is True and "error" not in data
    assert [f["file"] for f in data["files"]] == ALL_FILES
    assert all(f["ok"] is True and f["error"] is None for f in data["files"])
    assert data["questions"] >= 10 and data["prereq_skills"] > 100 and data["roles"] == 15
    assert "acyclic" in by_file(data)["skill_prereqs.toml"]["summary"]


def test_copied_directory_is_checked_file_by_file(kb_dir: Path) -> None:
    code, data = check_json("--dir", str(kb_dir))
    assert code == 0, data
    files = by_file(data)
    for name in (*DIR_FILES, "skill_context.toml"):
        assert files[name]["ok"] is True and files[name]["path"] == str(kb_dir / name)
    # the title rules have no loader for another path: not checked, and that is said
    assert files["titles.toml"]["ok"] is None and "not in" in files["titles.toml"]["summary"]


def test_questionnaire_effect_on_unknown_role_exits_2(kb_dir: Path) -> None:
    edit(kb_dir / "questions.toml", "effects = { data_analyst = 3", "effects = { astronaut = 3")
    res = check("--dir", str(kb_dir))
    assert res.exit_code == 2
    assert re.search(r"ERROR\s+\S*questions\.toml", res.stdout)
    assert (
        "questions.toml, entry 'work_focus', field 'options[0].effects.astronaut': "
        "unknown role 'astronaut' in effects"
    ) in res.output
    assert "Traceback" not in res.output

    code, data = check_json("--dir", str(kb_dir))
    assert code == 2 and data["ok"] is False
    # the error convention of every command, for the first failing file
    assert data["error"] == "KnowledgeBaseError"
    assert (data["file"], data["item"], data["field"]) == (
        "questions.toml",
        "work_focus",
        "options[0].effects.astronaut",
    )
    files = by_file(data)
    assert files["questions.toml"]["ok"] is False and "astronaut" in files["questions.toml"]["error"]
    # the other files are still checked and pass
    assert files["roles.toml"]["ok"] is True and files["skill_prereqs.toml"]["ok"] is True


def test_questionnaire_checked_against_the_directorys_roles(kb_dir: Path) -> None:
    """A role renamed in roles.toml breaks the questionnaire that still names the old id."""
    text = (kb_dir / "roles.toml").read_text(encoding="utf-8")
    (kb_dir / "roles.toml").write_text(
        re.sub(r"\bbusiness_analyst\b", "business_analyst_x", text), encoding="utf-8"
    )
    code, data = check_json("--dir", str(kb_dir))
    assert code == 2
    files = by_file(data)
    assert files["roles.toml"]["ok"] is True
    assert files["questions.toml"]["ok"] is False
    assert "unknown role 'business_analyst'" in files["questions.toml"]["error"]


def test_prerequisite_cycle_exits_2(kb_dir: Path) -> None:
    edit(kb_dir / "skill_prereqs.toml", '"probability" = []', '"probability" = ["hypothesis testing"]')
    res = check("--dir", str(kb_dir))
    assert res.exit_code == 2
    assert re.search(r"ERROR\s+\S*skill_prereqs\.toml", res.stdout)
    assert "skill_prereqs.toml, entry 'probability', field 'requires': prerequisite cycle: " in res.output
    assert "probability → hypothesis testing → statistics → probability" in res.output

    code, data = check_json("--dir", str(kb_dir))
    assert code == 2
    assert (data["file"], data["item"], data["field"]) == ("skill_prereqs.toml", "probability", "requires")
    files = by_file(data)
    assert files["skill_prereqs.toml"]["ok"] is False
    assert files["questions.toml"]["ok"] is True


def test_prerequisite_on_unknown_skill_exits_2(kb_dir: Path) -> None:
    edit(kb_dir / "skill_prereqs.toml", '"statistics" = ["probability"]', '"statistics" = ["alchemy"]')
    code, data = check_json("--dir", str(kb_dir))
    assert code == 2
    assert (data["file"], data["item"], data["field"]) == ("skill_prereqs.toml", "statistics", "requires[0]")
    assert "unknown prerequisite 'alchemy'" in data["message"]


def test_several_broken_files_are_all_reported(kb_dir: Path) -> None:
    edit(kb_dir / "questions.toml", "effects = { data_analyst = 3", "effects = { astronaut = 3")
    edit(kb_dir / "skill_prereqs.toml", '"probability" = []', '"probability" = ["hypothesis testing"]')
    res = check("--dir", str(kb_dir))
    assert res.exit_code == 2
    assert "unknown role 'astronaut'" in res.output and "prerequisite cycle" in res.output
    assert "2 file(s) failed" in res.output


def test_broken_roles_skip_the_questionnaire(kb_dir: Path) -> None:
    """The questionnaire names roles: with roles.toml broken it cannot be checked, and the report says so."""
    edit(kb_dir / "roles.toml", 'weight = "nice_to_have"', 'weight = "optional"')
    code, data = check_json("--dir", str(kb_dir))
    assert code == 2 and data["file"] == "roles.toml"
    files = by_file(data)
    assert files["roles.toml"]["ok"] is False
    questions = files["questions.toml"]
    assert questions["ok"] is None and "roles.toml has errors" in questions["summary"]
    assert files["skill_prereqs.toml"]["ok"] is True  # depends on skills only


def test_questionnaire_syntax_error(kb_dir: Path) -> None:
    (kb_dir / "questions.toml").write_text("[[question]\n", encoding="utf-8")
    res = check("--dir", str(kb_dir))
    assert res.exit_code == 2
    assert "questions.toml: TOML syntax error" in res.output


def test_bad_context_regex_exits_2(kb_dir: Path) -> None:
    path = kb_dir / CONTEXT_FILE.name
    text = path.read_text(encoding="utf-8")
    assert "reject_before = '" in text
    path.write_text(text.replace("reject_before = '", "reject_before = '(unclosed", 1), encoding="utf-8")
    code, data = check_json("--dir", str(kb_dir))
    assert code == 2
    assert data["file"] == "skill_context.toml" and data["field"] == "reject_before"
    assert "bad regular expression" in by_file(data)["skill_context.toml"]["error"]


def test_directory_without_the_optional_files(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "roles.toml", tmp_path / "roles.toml")
    res = check("--dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert re.search(r"OK\s+skills\.toml \(bundled\): \d+ skills", res.stdout)
    for name in ("questions.toml", "skill_prereqs.toml", "skill_context.toml"):
        assert re.search(rf"SKIP\s+\S*{re.escape(name)}: not in ", res.stdout), name


def test_library_report_matches_the_cli() -> None:
    report = check_knowledge_base()
    assert report.ok and report.first_error is None
    assert [f.file for f in report.files] == ALL_FILES


def test_title_classifier_role_missing_from_roles_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classifier's roles must all be knowledge-base roles (a role it assigns that roles.toml lacks)."""
    from careerlens.normalize import title_rules

    monkeypatch.setattr(title_rules, "ROLES", (*title_rules.ROLES, "astronaut"))
    code, data = check_json()
    assert code == 2
    assert (data["file"], data["item"]) == ("normalize/data/titles.toml", "astronaut")
    assert "which roles.toml does not define" in data["message"]
    assert by_file(data)["roles.toml"]["ok"] is True


def test_title_rules_missing_table_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from careerlens.normalize import title_rules

    def broken() -> None:
        raise KeyError("heads")

    monkeypatch.setattr(title_rules, "load_rules", broken)
    res = check()
    assert res.exit_code == 2
    assert re.search(r"ERROR\s+normalize/data/titles\.toml", res.stdout)
    assert "normalize/data/titles.toml: missing or malformed table 'heads'" in res.output
