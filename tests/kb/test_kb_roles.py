"""The role knowledge base: roles.toml loads, is complete, resolves names; broken copies fail clearly."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from careerlens.errors import CareerlensError, KnowledgeBaseError, UnknownRoleError
from careerlens.kb import KnowledgeBase, Role, load_kb
from careerlens.kb.roles import LEVEL_ORDER, MIN_SKILLS_TECHNICAL, RoleSkill, normalize_name

# The role ids of the shared labelling scheme (/work/shared/data/labels/ROLES.md).
ROLE_IDS = [
    "machine_learning_engineer",
    "ai_engineer",
    "mlops_engineer",
    "data_scientist",
    "research_scientist",
    "data_engineer",
    "data_analyst",
    "business_analyst",
    "software_engineer",
    "cloud_engineer",
    "ai_architect",
    "ml_leadership",
    "data_leadership",
    "product_manager",
    "other",
]
ROLES_MD = Path("/work/shared/data/labels/ROLES.md")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_bundled_kb_loads_and_is_cached(kb: KnowledgeBase) -> None:
    assert isinstance(kb, KnowledgeBase)
    assert load_kb() is kb
    assert kb.meta.version
    assert len(kb.skills) > 300


def test_every_labelled_role_is_present(kb: KnowledgeBase) -> None:
    assert kb.role_ids() == ROLE_IDS


@pytest.mark.skipif(not ROLES_MD.exists(), reason="the shared label file is not on this machine")
def test_role_ids_match_roles_md(kb: KnowledgeBase) -> None:
    text = ROLES_MD.read_text(encoding="utf-8").split("## Roles")[1].split("## Rules")[0]
    ids = re.findall(r"^\| ([a-z_]+) \|", text, flags=re.M)
    assert ids and set(ids) - {"id"} == set(kb.role_ids())


@pytest.mark.parametrize("role_id", [r for r in ROLE_IDS if r != "other"])
def test_roles_are_complete(kb: KnowledgeBase, role_id: str) -> None:
    role = kb.roles[role_id]
    assert role.summary and role.responsibilities and role.tools and role.typical_titles and role.industries
    assert role.levels and role.ladder and role.differs_from
    assert len(role.skills) >= MIN_SKILLS_TECHNICAL
    assert {"core", "important", "nice_to_have"} <= {s.weight for s in role.skills}
    assert all(s.skill in kb.skills for s in role.skills)
    assert [lv.id for lv in role.levels] == [lv for lv in LEVEL_ORDER if lv in role.level_ids()]


def test_technical_roles_have_enough_skills(kb: KnowledgeBase) -> None:
    technical = [r for r in kb.roles.values() if r.technical]
    assert len(technical) >= 10
    assert all(len(r.skills) >= MIN_SKILLS_TECHNICAL for r in technical)
    assert not kb.roles["other"].technical


def test_other_is_minimal(kb: KnowledgeBase) -> None:
    other = kb.roles["other"]
    assert other.skills == [] and other.ladder == []


def test_weight_values() -> None:
    values = {
        w: RoleSkill(skill="python", weight=w).weight_value for w in ("core", "important", "nice_to_have")
    }
    assert values == {"core": 3, "important": 2, "nice_to_have": 1}


def test_mle_and_aie_are_distinct(kb: KnowledgeBase) -> None:
    mle, aie = kb.roles["machine_learning_engineer"], kb.roles["ai_engineer"]
    assert {"pytorch", "model deployment", "mlops", "deep learning"} <= set(mle.skill_ids("core"))
    assert {"llm", "rag", "prompt engineering", "ai agents"} <= set(aie.skill_ids("core"))
    assert set(mle.skill_ids("core")) & set(aie.skill_ids("core")) == {"python"}
    a, b = set(mle.skill_ids()), set(aie.skill_ids())
    assert len(a & b) / len(a | b) < 0.3
    framing = " ".join(d.note for d in mle.differs_from if d.role == "ai_engineer")
    assert "engine" in framing and "vehicle" in framing and "article" in framing


@pytest.mark.parametrize("role_id", [r for r in ROLE_IDS if r != "other"])
def test_neighbours_differ(kb: KnowledgeBase, role_id: str) -> None:
    role = kb.roles[role_id]
    for diff in role.differs_from:
        other = kb.roles[diff.role]
        assert set(role.skill_ids("core")) != set(other.skill_ids("core")), (role_id, diff.role)


def test_occupation_codes(kb: KnowledgeBase) -> None:
    assert kb.roles["data_scientist"].codes.onet == "15-2051.00"
    assert kb.roles["software_engineer"].codes.onet == "15-1252.00"
    assert kb.roles["data_analyst"].codes.onet == "15-2051.01"
    for role in kb.roles.values():
        assert role.codes.onet is None or re.fullmatch(r"\d{2}-\d{4}\.\d{2}", role.codes.onet)
        assert (role.codes.onet is None) == (role.codes.onet_title is None)


def test_meta_names_its_sources(kb: KnowledgeBase) -> None:
    names = " ".join(s.name for s in kb.meta.sources)
    for needle in ("ROLES.md", "O*NET", "ESCO", "Machine Learning Engineer vs AI Engineer", "job postings"):
        assert needle in names


# ---------------------------------------------------------------------------------------- names and aliases


@pytest.mark.parametrize(
    ("name", "role_id"),
    [
        ("machine_learning_engineer", "machine_learning_engineer"),
        ("Machine Learning Engineer", "machine_learning_engineer"),
        ("mle", "machine_learning_engineer"),
        ("ML Engineer", "machine_learning_engineer"),
        ("ai engineer", "ai_engineer"),
        ("AI-Engineer", "ai_engineer"),
        ("  AI   ENGINEER. ", "ai_engineer"),
        ("aie", "ai_engineer"),
        ("GenAI Engineer", "ai_engineer"),
        ("Gen-AI engineer", "ai_engineer"),
        ("ds", "data_scientist"),
        ("DE", "data_engineer"),
        ("swe", "software_engineer"),
        ("PM", "product_manager"),
        ("AI Product Manager", "product_manager"),
        ("Head of ML", "ml_leadership"),
        ("director of AI", "ml_leadership"),
        ("MLOps", "mlops_engineer"),
        ("Head of Data", "data_leadership"),
    ],
)
def test_role_resolves_names_and_aliases(kb: KnowledgeBase, name: str, role_id: str) -> None:
    role = kb.role(name)
    assert isinstance(role, Role) and role.id == role_id
    assert kb.resolve(name) == role_id


@pytest.mark.parametrize("name", ["", "astronaut", "machine learning", "ai"])
def test_unknown_role(kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(UnknownRoleError) as info:
        kb.role(name)
    exc = info.value
    assert isinstance(exc, CareerlensError) and exc.exit_code == 2
    assert exc.name == name and exc.known == ROLE_IDS
    assert "careerlens roles" in str(exc)
    assert kb.resolve(name) is None


def test_normalize_name() -> None:
    assert normalize_name("AI-Engineer") == normalize_name("ai engineer") == "ai engineer"
    assert normalize_name("R&D") == "r and d"


# ---------------------------------------------------------------------------------------- broken files


def role_section(text: str, role_id: str) -> tuple[int, int]:
    """Start and end offsets of the [[role]] table whose id is role_id in roles.toml text."""
    start = text.index(f'[[role]]\nid = "{role_id}"')
    end = text.find("\n[[role]]", start + 1)
    return start, (len(text) if end == -1 else end)


def edit_role(text: str, role_id: str, old: str, new: str) -> str:
    """Replace the first `old` inside one role's table (fails loudly if it is not there)."""
    start, end = role_section(text, role_id)
    section = text[start:end]
    assert old in section, f"{old!r} not in role {role_id}"
    return text[:start] + section.replace(old, new, 1) + text[end:]


BreakCase = tuple[str, Callable[[str], str], str | None, str | None, str]
BREAKS: list[BreakCase] = [
    (
        "bad weight",
        lambda t: edit_role(
            t, "ai_engineer", '{ skill = "rag", weight = "core" }', '{ skill = "rag", weight = "vital" }'
        ),
        "ai_engineer",
        "skills[3].weight",
        "Input should be 'core', 'important' or 'nice_to_have'",
    ),
    (
        "missing summary",
        lambda t: re.sub(
            r'(\[\[role\]\]\nid = "data_scientist"(?:.|\n)*?)\nsummary = "[^"]*"', r"\1", t, count=1
        ),
        "data_scientist",
        "summary",
        "required field is missing",
    ),
    (
        "unknown skill id",
        lambda t: edit_role(t, "ai_engineer", '{ skill = "rag",', '{ skill = "retrieval magic",'),
        "ai_engineer",
        "skills[3].skill",
        "unknown skill 'retrieval magic'",
    ),
    (
        "ladder edge to an unknown role",
        lambda t: edit_role(
            t, "machine_learning_engineer", 'to = "mlops_engineer"', 'to = "quantum_engineer"'
        ),
        "machine_learning_engineer",
        "ladder[3].to",
        "unknown role 'quantum_engineer'",
    ),
    (
        "ladder edge to a level the target lacks",
        lambda t: edit_role(
            t,
            "ai_engineer",
            'to = "ai_architect", from_level = "senior", to_level = "lead"',
            'to = "ai_architect", from_level = "senior", to_level = "entry"',
        ),
        "ai_engineer",
        "ladder[3].to_level",
        "'entry' is not a level of 'ai_architect'",
    ),
    (
        "unknown edge kind",
        lambda t: edit_role(t, "data_analyst", 'kind = "lateral"', 'kind = "sideways"'),
        "data_analyst",
        "ladder[3].kind",
        "Input should be",
    ),
    (
        "alias used by two roles",
        lambda t: edit_role(t, "ai_engineer", 'aliases = ["aie",', 'aliases = ["aie", "MLE",'),
        "ai_engineer",
        "aliases[1]",
        "'MLE' already names role 'machine_learning_engineer'",
    ),
    (
        "too few skills for a technical role",
        lambda t: edit_role(t, "other", "technical = false", "technical = true"),
        "other",
        "skills",
        "at least 15 skills",
    ),
    (
        "unknown field",
        lambda t: edit_role(t, "cloud_engineer", "technical = true", "technical = true\nsalary = 1"),
        "cloud_engineer",
        "salary",
        "unknown field",
    ),
    (
        "bad O*NET code",
        lambda t: edit_role(t, "data_scientist", '"15-2051.00"', '"152051"'),
        "data_scientist",
        "codes.onet",
        "O*NET-SOC code",
    ),
    (
        "duplicate role id",
        lambda t: t.replace('id = "other"', 'id = "ai_engineer"'),
        "ai_engineer",
        "id",
        "duplicate",
    ),
    ("TOML syntax error", lambda t: t + "\n[[role]\n", None, None, "TOML syntax error"),
    (
        "no meta",
        lambda t: t.replace("[meta]\n", "[metadata]\n"),
        "meta",
        "version",
        "required field is missing",
    ),
]


@pytest.mark.parametrize(("case", "edit", "item", "field", "words"), BREAKS, ids=[b[0] for b in BREAKS])
def test_broken_roles_file_names_file_role_and_field(
    roles_copy: Callable[[Callable[[str], str]], Path],
    case: str,
    edit: Callable[[str], str],
    item: str | None,
    field: str | None,
    words: str,
) -> None:
    data_dir = roles_copy(edit)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(data_dir)
    exc = info.value
    assert exc.file == "roles.toml"
    assert (exc.item, exc.field) == (item, field)
    where = "roles.toml" + (f", entry {item!r}" if item else "") + (f", field {field!r}" if field else "")
    assert exc.message.startswith(where + ": ")
    assert words in exc.message
    assert exc.to_dict()["field"] == field


def test_valid_copy_loads_with_the_bundled_lexicon(
    roles_copy: Callable[[Callable[[str], str]], Path],
) -> None:
    kb = load_kb(roles_copy(lambda t: t))
    assert kb is not load_kb()
    assert kb.role_ids() == ROLE_IDS
    assert len(kb.skills) == len(load_kb().skills)


def test_a_directory_without_roles_toml(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="file not found"):
        load_kb(tmp_path)


def test_a_skills_toml_next_to_roles_toml_is_used(copy_mini: Path) -> None:
    (copy_mini / "skills.toml").write_text(
        '[[skill]]\nid = "python"\ncategory = "programming"\n', encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(copy_mini)
    assert (info.value.item, info.value.field) == ("analyst", "skills[0].skill")
