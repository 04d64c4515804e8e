"""The questionnaire: bundled questions and prerequisite graph validate; answers files (TOML/JSON) are checked
and errors name the file and the question; option effects (data) move the fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerlens.advisor import advise
from careerlens.advisor.questionnaire import ask_interactive, load_answers, validate_answers
from careerlens.errors import InputError, KnowledgeBaseError
from careerlens.kb.questions import Question, load_prereqs, load_questionnaire
from careerlens.settings import Settings

RESEARCH_ANSWERS = """
work_focus = "models"
depth_breadth = "deep"
math = "love"
research_shipping = "paper"
infrastructure = "avoid"
leadership = "individual"
genai = "somewhat"
coding = "notebooks"
data_work = "statistics"
business = "far"
industries = ["academia", "healthcare"]
region = "Europe & Central Asia"
current_role = "data_scientist"
level = "mid"
years = 3
"""


def test_bundled_questionnaire_is_valid() -> None:
    qn = load_questionnaire()
    assert 10 <= len(qn.questions) <= 15
    uses = {q.use for q in qn.questions}
    assert {"preference", "industry", "region", "current_role", "level", "years"} <= uses
    assert len(load_prereqs().requires) > 50


def test_toml_answers_rank_research_first(tmp_path: Path, offline: Settings) -> None:
    f = tmp_path / "answers.toml"
    f.write_text(RESEARCH_ANSWERS, encoding="utf-8")
    advice = advise(answers=f, settings=offline)
    assert advice.fits[0].role == "research_scientist"
    assert any("math" in r for r in advice.fits[0].reasons)
    ai_eng = next(x for x in advice.fits if x.role == "mlops_engineer")
    assert any("infrastructure" in a for a in ai_eng.against)
    assert advice.profile.region == "Europe & Central Asia"
    assert advice.profile.current_role == "data_scientist" and advice.profile.level == "mid"
    assert advice.profile.industries == ["academia", "healthcare"]


def test_json_answers_with_labels_and_skills(tmp_path: Path, offline: Settings) -> None:
    f = tmp_path / "answers.json"
    answers = {
        "work_focus": "Building applications and products on top of AI models",  # a label works too
        "genai": "very",
        "coding": "a_lot",
        "skills": ["Python", "docker", "REST API"],
        "years": 1,
    }
    f.write_text(json.dumps(answers), encoding="utf-8")
    advice = advise(answers=f, settings=offline)
    assert advice.fits[0].role == "ai_engineer"
    assert advice.profile.skills == ["docker", "python", "rest api"]
    assert advice.profile.level == "entry"


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ('favourite_colour = "blue"', "favourite_colour", "unknown question"),
        ('work_focus = "dancing"', "work_focus", "invalid option 'dancing'"),
        ('work_focus = ["models", "applications"]', "work_focus", "exactly one option"),
        ("years = 99", "years", "out of range"),
        ('years = "many"', "years", "not a whole number"),
        ('skills = ["python", "telepathy"]', "skills", "unknown skill"),
    ],
)
def test_invalid_answers_name_file_and_question(
    tmp_path: Path, content: str, field: str, message: str
) -> None:
    f = tmp_path / "my-answers.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_answers(f)
    assert err.value.file == "my-answers.toml" and err.value.field == field
    assert message in err.value.message


def test_broken_answers_file(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON"):
        load_answers(f)
    with pytest.raises(InputError, match="not found"):
        load_answers(tmp_path / "missing.toml")


def test_interactive_with_a_scripted_asker() -> None:
    picks = {
        "work_focus": "infrastructure",
        "infrastructure": "love",
        "years": 6,
        "industries": ["technology"],
    }

    def asker(q: Question) -> object:
        return picks.get(q.id)

    prefs = ask_interactive(asker=asker)  # type: ignore[arg-type]
    assert prefs.years == 6 and prefs.industries == ["technology"]
    top = max(prefs.effects, key=lambda r: prefs.effects[r])
    assert top in ("mlops_engineer", "cloud_engineer")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


QUESTION = """
[[question]]
id = "q1"
text = "Pick"
kind = "choice"
options = [
  {{ id = "a", label = "A", effects = {{ {effects} }} }},
  {{ id = "b", label = "B" }},
]
"""


def test_questions_file_errors_name_file_question_and_field(tmp_path: Path) -> None:
    roles = ["ai_engineer", "data_analyst"]
    bad_role = _write(tmp_path, "questions.toml", QUESTION.format(effects="wizard = 2"))
    with pytest.raises(KnowledgeBaseError) as err:
        load_questionnaire(bad_role, role_ids=roles)
    assert (err.value.file, err.value.item, err.value.field) == (
        "questions.toml",
        "q1",
        "options[0].effects.wizard",
    )
    one_option = _write(
        tmp_path,
        "q2.toml",
        '[[question]]\nid = "q2"\ntext = "t"\nkind = "choice"\noptions = [{id = "a", label = "A"}]',
    )
    with pytest.raises(KnowledgeBaseError, match="at least two options") as err2:
        load_questionnaire(one_option, role_ids=roles)
    assert err2.value.item == "q2"
    ok = _write(tmp_path, "q3.toml", QUESTION.format(effects="ai_engineer = 2"))
    assert load_questionnaire(ok, role_ids=roles).questions[0].options[0].effects == {"ai_engineer": 2}


def test_prereqs_file_must_be_acyclic_with_known_skills(tmp_path: Path) -> None:
    skills = ["python", "machine learning", "statistics", "deep learning"]
    cyc = _write(
        tmp_path,
        "skill_prereqs.toml",
        '[requires]\n"statistics" = ["machine learning"]\n"machine learning" = ["deep learning"]\n'
        '"deep learning" = ["statistics"]\n',
    )
    with pytest.raises(KnowledgeBaseError, match="cycle") as err:
        load_prereqs(cyc, skill_ids=skills)
    assert err.value.file == "skill_prereqs.toml"
    unknown = _write(tmp_path, "p2.toml", '[requires]\n"python" = ["snake charming"]\n')
    with pytest.raises(KnowledgeBaseError) as err2:
        load_prereqs(unknown, skill_ids=skills)
    assert (err2.value.item, err2.value.field) == ("python", "requires[0]")


def test_validate_answers_mapping() -> None:
    prefs = validate_answers({"leadership": "people", "region": "north_america"})
    assert prefs.region == "North America"
    assert prefs.effects["ml_leadership"] > 0


def _best_answers_for(role: str, roles: list[str]) -> tuple[str, float]:
    """Coordinate ascent over the preference questions: answers that favour ``role`` most over the others."""
    from careerlens.advisor.fit import preference_score

    qn = load_questionnaire()
    questions = [q for q in qn.questions if q.use in ("preference", "industry")]
    answers: dict[str, object] = {
        q.id: q.options[0].id if q.kind == "choice" else [q.options[0].id] for q in questions
    }

    def margin(ans: dict[str, object]) -> tuple[float, str]:
        prefs = validate_answers(ans)
        scores = {r: preference_score(r, prefs) or 0.5 for r in roles}
        best_other = max(v for r, v in scores.items() if r != role)
        top = max(scores, key=lambda r: (scores[r], r == role))
        return scores[role] - best_other, top

    for _ in range(4):
        for q in questions:
            options = [o.id if q.kind == "choice" else [o.id] for o in q.options]
            answers[q.id] = max(options, key=lambda o: margin({**answers, q.id: o})[0])
    m, top = margin(answers)
    return top, m


def test_every_role_can_come_first_from_some_answers() -> None:
    from careerlens.kb.roles import load_kb

    roles = [r for r in load_kb().roles if r != "other"]
    for role in roles:
        top, m = _best_answers_for(role, roles)
        assert top == role and m > 0, (
            f"no answers make {role} the top preference (best: {top}, margin {m:.2f})"
        )
