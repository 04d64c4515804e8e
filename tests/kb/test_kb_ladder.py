"""The career ladder: required edges exist, promotions chain the levels, next_steps and shortest_path work."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerlens.errors import UnknownRoleError
from careerlens.kb import KnowledgeBase, LadderEdge, load_kb


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.mark.parametrize(
    ("src", "from_level", "dst", "kind"),
    [
        ("machine_learning_engineer", "senior", "mlops_engineer", "specialist"),
        ("machine_learning_engineer", "senior", "machine_learning_engineer", "promotion"),
        ("machine_learning_engineer", "lead", "ml_leadership", "management"),
        ("ai_architect", "lead", "ml_leadership", "management"),
        ("ai_engineer", "senior", "ai_architect", "specialist"),
        ("ai_engineer", "senior", "product_manager", "lateral"),
        ("ai_engineer", "senior", "ml_leadership", "management"),
        ("data_analyst", "mid", "data_scientist", "lateral"),
        ("data_analyst", "mid", "data_engineer", "lateral"),
        ("software_engineer", "mid", "ai_engineer", "lateral"),
        ("software_engineer", "mid", "machine_learning_engineer", "lateral"),
        ("data_scientist", "mid", "machine_learning_engineer", "lateral"),
        ("data_scientist", "senior", "research_scientist", "specialist"),
        ("data_scientist", "senior", "ml_leadership", "management"),
    ],
)
def test_required_edges_exist(kb: KnowledgeBase, src: str, from_level: str, dst: str, kind: str) -> None:
    steps = kb.next_steps(src, from_level)
    assert any(e.to == dst and e.kind == kind for e in steps), [(e.to, e.kind) for e in steps]


def test_ai_engineer_can_become_director_of_ai(kb: KnowledgeBase) -> None:
    path = kb.shortest_path("ai_engineer", "senior", "director of ai", "executive")
    assert path and path[-1].role == "ml_leadership" and path[-1].level == "executive"


def test_promotions_chain_every_level(kb: KnowledgeBase) -> None:
    for role in kb.roles.values():
        if role.id == "other":
            continue
        levels = role.level_ids()
        for low, high in zip(levels, levels[1:], strict=False):
            edges = [e for e in role.ladder if e.to == role.id and e.from_level == low and e.to_level == high]
            assert edges and edges[0].kind == "promotion", (role.id, low, high)


def test_ladder_edges_are_triples(kb: KnowledgeBase) -> None:
    edges = kb.ladder_edges()
    assert len(edges) == sum(len(r.ladder) for r in kb.roles.values())
    for src, dst, edge in edges:
        assert isinstance(edge, LadderEdge)
        assert edge.from_role == src and edge.to == dst
        assert edge.from_level in kb.roles[src].level_ids() and edge.to_level in kb.roles[dst].level_ids()
        assert edge.note


def test_next_steps_accepts_aliases_and_unknown_levels(kb: KnowledgeBase) -> None:
    assert kb.next_steps("MLE", "senior") == kb.next_steps("machine_learning_engineer", "senior")
    assert kb.next_steps("other", "mid") == []
    assert kb.next_steps("ai_engineer", "executive") == []
    with pytest.raises(UnknownRoleError):
        kb.next_steps("astronaut", "mid")


def test_every_technical_role_reaches_leadership(kb: KnowledgeBase) -> None:
    for role in kb.roles.values():
        if role.technical:
            path = kb.shortest_path(role.id, role.level_ids()[0], "ml_leadership")
            alt = kb.shortest_path(role.id, role.level_ids()[0], "data_leadership")
            assert path or alt, role.id


# ------------------------------------------------------------------------------- shortest path (mini kb)


@pytest.fixture
def mini(mini_dir: Path) -> KnowledgeBase:
    return load_kb(mini_dir)


def test_shortest_path_steps(mini: KnowledgeBase) -> None:
    path = mini.shortest_path("an", "entry", "boss")
    assert [(s.role, s.level) for s in path] == [
        ("analyst", "entry"),
        ("analyst", "mid"),
        ("scientist", "mid"),
        ("scientist", "senior"),
        ("manager", "lead"),
    ]
    assert path[0].edge is None
    for prev, step in zip(path, path[1:], strict=False):
        assert step.edge is not None
        assert (step.edge.from_role, step.edge.from_level) == (prev.role, prev.level)
        assert (step.edge.to, step.edge.to_level) == (step.role, step.level)
    assert [s.edge.kind for s in path[1:] if s.edge] == ["promotion", "lateral", "promotion", "management"]


def test_shortest_path_to_a_level(mini: KnowledgeBase) -> None:
    path = mini.shortest_path("analyst", "entry", "scientist", "entry")
    assert [(s.role, s.level) for s in path] == [("analyst", "entry"), ("scientist", "entry")]
    any_level = mini.shortest_path("analyst", "entry", "scientist")
    assert len(any_level) == 2


def test_shortest_path_to_itself_and_nowhere(mini: KnowledgeBase) -> None:
    assert [(s.role, s.level) for s in mini.shortest_path("analyst", "mid", "analyst", "mid")] == [
        ("analyst", "mid")
    ]
    assert mini.shortest_path("analyst", "entry", "island") == []
    assert mini.shortest_path("manager", "lead", "analyst") == []
    with pytest.raises(UnknownRoleError):
        mini.shortest_path("analyst", "entry", "astronaut")


def test_path_steps_serialise(mini: KnowledgeBase) -> None:
    data = [s.model_dump(mode="json") for s in mini.shortest_path("analyst", "entry", "manager")]
    assert data[0]["edge"] is None and data[-1]["edge"]["kind"] == "management"
