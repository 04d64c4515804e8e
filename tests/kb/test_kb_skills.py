"""The skill lexicon: the bundled file loads; duplicates and bad entries raise KnowledgeBaseError."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from careerlens.errors import KnowledgeBaseError
from careerlens.kb import Skill, load_skills
from careerlens.kb.skills import DATA_DIR, SkillCategory


def test_bundled_lexicon_loads() -> None:
    skills = load_skills()
    assert len(skills) > 300
    assert skills["python"].category == "programming"
    assert skills["python"].name == "python"
    assert all(isinstance(s, Skill) and s.id == key for key, s in skills.items())


def test_categories_match_the_file_header() -> None:
    header = (DATA_DIR / "skills.toml").read_text(encoding="utf-8").split("[[skill]]")[0]
    lines = [ln for ln in header.splitlines() if ln.startswith("# categories:") or ln.startswith("#    ")]
    declared = " ".join(ln.replace("# categories:", "").lstrip("# ") for ln in lines).split()
    assert set(declared) == set(typing.get_args(SkillCategory))


def test_load_skills_returns_a_fresh_dict() -> None:
    first = load_skills()
    first.pop("python")
    assert "python" in load_skills()


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "skills.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "item", "field", "words"),
    [
        (
            '[[skill]]\nid = "python"\ncategory = "programming"\n\n'
            '[[skill]]\nid = "python"\ncategory = "programming"\n',
            "python",
            "id",
            "duplicate",
        ),
        (
            '[[skill]]\nid = "python"\ncategory = "programming"\naliases = ["py"]\n\n'
            '[[skill]]\nid = "pypy"\ncategory = "programming"\naliases = ["PY"]\n',
            "pypy",
            "aliases[0]",
            "already used by skill 'python'",
        ),
        ('[[skill]]\nid = "python"\ncategory = "snakes"\n', "python", "category", "Input should be"),
        ('[[skill]]\nid = "python"\ncategory = "programming"\naliases = "py"\n', "python", "aliases", "list"),
    ],
)
def test_bad_lexicon_names_item_and_field(
    tmp_path: Path, body: str, item: str, field: str, words: str
) -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        load_skills(_write(tmp_path, body))
    exc = info.value
    assert (exc.file, exc.item, exc.field) == ("skills.toml", item, field)
    assert f"skills.toml, entry {item!r}, field {field!r}" in exc.message
    assert words in exc.message


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="skills.toml: TOML syntax error"):
        load_skills(_write(tmp_path, '[[skill]\nid = "x"\n'))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="file not found"):
        load_skills(tmp_path / "nope.toml")


def test_public_api_of_the_kb_package() -> None:
    import careerlens.kb as kb_pkg

    for name in ("load_kb", "load_skills", "KnowledgeBase", "Role", "Skill"):
        assert name in kb_pkg.__all__
    assert all(hasattr(kb_pkg, name) for name in kb_pkg.__all__)
