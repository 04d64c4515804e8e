"""The issue's "Done when": five personas' real resume files → ranking, gaps, path and plan make sense."""

from __future__ import annotations

from pathlib import Path

from careerlens.advisor import Advice, advise
from careerlens.kb.roles import LEVEL_ORDER
from careerlens.settings import Settings


def _plan_order(advice: Advice) -> list[str]:
    return [item.skill for stage in advice.plan for item in stage.items]


def _top(advice: Advice, k: int = 3) -> list[str]:
    return [f.role for f in advice.fits[:k]]


def test_data_analyst_pivoting(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["analyst"], target="data scientist", settings=offline)
    assert advice.profile.current_role == "data_analyst"
    assert {"data_analyst", "data_scientist"} & set(_top(advice))
    assert advice.target == "data_scientist"
    gaps = [g.skill for g in advice.gaps]
    assert {"statistics", "machine learning"} <= set(gaps[:5])
    order = _plan_order(advice)
    assert order.index("probability") < order.index("statistics") < order.index("machine learning")
    assert order.index("machine learning") < order.index("scikit-learn")
    # the move into data science is usual at mid level: the path says so instead of pretending
    assert [s.role for s in advice.path][:2] == ["data_analyst", "data_scientist"]
    assert "lower" in advice.path[1].note


def test_backend_engineer_moving_into_ai(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["backend"], target="AI Engineer", settings=offline)
    assert advice.profile.current_role == "software_engineer"
    assert advice.profile.level == "senior"
    assert {"java", "docker", "kubernetes", "rest api"} <= set(
        advice.profile.skills
    )  # the DOCX table is read
    gaps = [g.skill for g in advice.gaps[:8]]
    assert {"llm", "rag"} <= set(gaps)
    assert all(g.weight == "core" for g in advice.gaps[:5])
    order = _plan_order(advice)
    assert (
        order.index("llm") < order.index("prompt engineering") < order.index("rag") < order.index("ai agents")
    )
    assert order.index("embeddings") < order.index("vector database") < order.index("rag")
    kinds = [(s.kind, s.role) for s in advice.path]
    assert kinds[0] == ("start", "software_engineer")
    assert ("lateral", "ai_engineer") in kinds
    assert "llm" in next(s for s in advice.path if s.role == "ai_engineer").skills_to_add


def test_phd_researcher(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["researcher"], settings=offline)
    assert "phd" in advice.profile.degrees
    assert advice.profile.current_role == "research_scientist"
    assert "research_scientist" in _top(advice)
    research = next(f for f in advice.fits if f.role == "research_scientist")
    assert any("PhD" in r or "Research Scientist now" in r for r in research.reasons)
    # leadership roles need years the researcher does not have yet
    lead = next(f for f in advice.fits if f.role == "ml_leadership")
    assert lead.level_fit < 1 and any("starts at" in a for a in lead.against)


def test_senior_mle(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["senior_mle"], settings=offline)
    assert advice.profile.level == "senior"
    assert advice.profile.current_role == "machine_learning_engineer"
    assert advice.fits[0].role == "machine_learning_engineer"
    levels = [LEVEL_ORDER.index(s.level) for s in advice.path]
    assert levels == sorted(levels) and levels[-1] > levels[0]  # steps go up the ladder
    assert advice.path[-1].kind == "next"


def test_junior_ai_engineer(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["junior_ai"], settings=offline)
    assert advice.profile.level == "entry"
    assert advice.fits[0].role == "ai_engineer"
    assert {"rag", "langchain", "llm", "prompt engineering"} <= set(advice.profile.skills)
    assert "rag" not in [g.skill for g in advice.gaps]
    assert [(s.role, s.level) for s in advice.path] == [("ai_engineer", "entry"), ("ai_engineer", "mid")]


def test_every_role_but_other_is_ranked_with_reasons(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["senior_mle"], settings=offline)
    roles = [f.role for f in advice.fits]
    assert "other" not in roles and len(roles) == len(set(roles)) == 14
    assert [f.rank for f in advice.fits] == list(range(1, 15))
    assert all(0 <= f.score <= 100 for f in advice.fits)
    assert all(f.reasons for f in advice.fits[:5])


def test_no_market_data_says_no_data(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["junior_ai"], settings=offline)
    assert all(g.demand_share is None and "no data" in g.why for g in advice.gaps)
    assert all(s.salary.withheld and s.salary.median is None for s in advice.path)
    assert advice.model_dump()["schema"] == "careerlens.advice/v1"
    assert '"schema":"careerlens.advice/v1"' in advice.model_dump_json()


def test_resume_and_answers_together(personas: dict[str, Path], offline: Settings) -> None:
    answers = {"genai": "very", "work_focus": "applications", "coding": "a_lot", "region": "north_america"}
    advice = advise(resume=personas["backend"], answers=answers, settings=offline)
    assert advice.profile.sources == ["resume", "questionnaire"]
    assert advice.profile.region == "North America"
    assert advice.profile.current_role == "software_engineer"  # from the resume
    rank = {f.role: f.rank for f in advice.fits}
    without = advise(resume=personas["backend"], settings=offline)
    assert (
        rank["ai_engineer"] < {f.role: f.rank for f in without.fits}["ai_engineer"]
    )  # preferences move it up


def test_resume_bytes_upload(personas: dict[str, Path], offline: Settings) -> None:
    data = personas["analyst"].read_bytes()
    advice = advise(resume_bytes=data, resume_name="upload.bin", settings=offline)
    assert advice.profile.current_role == "data_analyst"


def test_advice_round_trips_through_json(personas: dict[str, Path], offline: Settings) -> None:
    advice = advise(resume=personas["researcher"], settings=offline)
    again = Advice.model_validate_json(advice.model_dump_json())
    assert again == advice


def test_resume_text_gets_the_language_check(offline: Settings) -> None:
    import pytest

    from careerlens.errors import ResumeError

    with pytest.raises(ResumeError, match="English"):
        advise(
            resume_text=("Datenanalyst bei der Firma und mit dem Team für die Kunden. " * 10),
            settings=offline,
        )
    with pytest.raises(ResumeError, match="too short"):
        advise(resume_text="  ", settings=offline)


def test_student_without_a_current_role_enters_the_target(offline: Settings) -> None:
    answers = {"current_role": "none", "years": 0, "work_focus": "data_insight", "data_work": "dashboards"}
    advice = advise(answers=answers, settings=offline)
    assert advice.profile.current_role is None and advice.profile.level == "entry"
    assert advice.path[0].kind == "switch" and advice.path[0].level == "entry"
    assert advice.path[0].role == advice.target == advice.fits[0].role
    # the role's core skills are what a newcomer has to add
    assert advice.path[0].skills_to_add
