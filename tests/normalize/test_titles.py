"""Job-title classifier: cases written from the labelling guide's rules, and the classify-titles command."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerlens.cli.main import app
from careerlens.cli.titles import OUT_COLUMNS
from careerlens.normalize.titles import LEVELS, ROLES, TitleClass, classify_title, classify_titles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "titles"


@pytest.mark.parametrize(
    ("title", "role"),
    [
        # the head noun decides
        ("Data Scientist, Computer Vision", "data_scientist"),
        ("ML Engineer - Analytics Platform", "machine_learning_engineer"),
        ("Data Engineer (Machine Learning)", "data_engineer"),
        ("LLM Data Scientist", "data_scientist"),
        ("Cloud Data Engineer", "data_engineer"),
        ("Machine Learning Research Engineer", "research_scientist"),
        # a generic head takes its qualifier
        ("Software Engineer II, Deep Learning", "machine_learning_engineer"),
        ("Software Engineer - Generative AI", "ai_engineer"),
        ("Software Engineer, ETL Pipelines", "data_engineer"),
        ("Backend Engineer - ML Infrastructure", "mlops_engineer"),
        ("Consultant, Business Intelligence", "data_analyst"),
        ("Engineer - Data Warehouse", "data_engineer"),
        ("Software Engineer - Remote", "software_engineer"),
        # AI/ML reads as ML; GenAI / LLM / agents -> ai_engineer
        ("AI/ML Engineer", "machine_learning_engineer"),
        ("ML/AI Engineer", "machine_learning_engineer"),
        ("Machine Learning Engineer, LLM Agents", "ai_engineer"),
        ("GenAI/ML Developer", "ai_engineer"),
        ("AI Solutions Consultant", "ai_engineer"),
        ("LLM/MLOps Engineer", "mlops_engineer"),
        # joined titles: the first full role decides; a bare rank in front is skipped
        ("Data Analyst / Data Engineer", "data_analyst"),
        ("Research Scientist or ML Engineer", "research_scientist"),
        ("Data Scientist & Machine Learning Engineer", "data_scientist"),
        ("Lead / Data Engineer", "data_engineer"),
        ("Business/Data Analyst", "business_analyst"),
        # leadership vs lead
        ("Head of Machine Learning", "ml_leadership"),
        ("VP, Analytics", "data_leadership"),
        ("Data Engineering Manager", "data_leadership"),
        ("Manager, Data Science", "ml_leadership"),
        ("Analytics Team Lead", "data_leadership"),
        ("Lead Data Analyst", "data_analyst"),
        ("Data Science Lead", "data_scientist"),
        ("Tech Lead, Machine Learning", "machine_learning_engineer"),
        ("Director, Data Engineer", "data_engineer"),
        ("Director of Data Engineering", "data_leadership"),
        ("Chief Data Scientist", "ml_leadership"),
        ("Software Engineering Manager", "other"),
        ("Senior Product Manager, AI Platform", "product_manager"),
        # data family and research
        ("Data Integrity Analyst", "data_analyst"),
        ("Tableau Developer", "data_analyst"),
        ("SQL Database Engineer", "data_engineer"),
        ("Master Data Analyst", "other"),
        ("Data Labeling Specialist", "other"),
        ("Research Fellow, Deep Learning", "research_scientist"),
        ("User Experience Researcher", "other"),
        ("Quant Researcher", "data_scientist"),
        ("Quantitative Developer", "software_engineer"),
        ("Systems Administrator", "cloud_engineer"),
        ("Business Systems Analyst", "business_analyst"),
        ("Python Developer", "software_engineer"),
        # non-English
        ("Datenwissenschaftlerin", "data_scientist"),
        ("Dateningenieur (m/w/d)", "data_engineer"),
        ("Ingénieur Données", "data_engineer"),
        ("Ingeniera de Datos Senior", "data_engineer"),
        ("Científica de Datos", "data_scientist"),
        ("Analista de Dados Pleno", "data_analyst"),
        ("Desenvolvedor Java", "software_engineer"),
        ("Leiterin Business Intelligence", "data_leadership"),
        ("Responsable Data Science", "ml_leadership"),
        ("Analityk danych", "data_analyst"),
        ("Sviluppatore Software", "software_engineer"),
        ("Développeur IA", "ai_engineer"),
        ("Data Analyst - Des Moines, IA", "data_analyst"),
        ("Specjalista ds. analizy danych", "data_analyst"),
        ("Estagiário em Ciência de Dados", "data_scientist"),
        # text quirks: glued words, abbreviations with dots
        ("Sr Data EngineerRemote", "data_engineer"),
        ("Jr.Data Analyst", "data_analyst"),
        ("DevSecOps Engineer", "cloud_engineer"),
        ("Senior QA Engineer (AI Platform Team)", "software_engineer"),
        ("Data Analyst with Python Developer experience", "data_analyst"),
        ("Python Developer with AI/ML", "machine_learning_engineer"),
        ("Machine Learning SRE", "mlops_engineer"),
        ("Data Scientist-Manager", "data_scientist"),
        ("Intern-Health Data Analytics", "data_analyst"),
        ("Insurance Agent", "other"),
        # unknown or generic -> other
        ("Engineer", "other"),
        ("Senior Associate", "other"),
        ("Pastry Chef Assistant", "other"),
        ("Warehouse Picker", "other"),
        ("", "other"),
    ],
)
def test_role_rules(title: str, role: str) -> None:
    assert classify_title(title).role == role


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Sr. Data Scientist", "senior"),
        ("SENIOR data analyst", "senior"),
        ("Jr Data Engineer", "entry"),
        ("Data Analyst I", "entry"),
        ("Data Analyst II", "mid"),
        ("Data Engineer III", "senior"),
        ("Data Engineer IV", "lead"),
        ("Data Engineer 2", "mid"),
        ("Data Engineer 5", "lead"),
        ("Data Scientist II/III", "senior"),
        ("Data Scientist I-II", "mid"),
        ("Junior/Mid Data Engineer", "mid"),
        ("Python 3 Developer", "unspecified"),
        ("Data Engineer, L5", "unspecified"),
        ("Senior Staff Machine Learning Engineer", "lead"),
        ("Principal Data Scientist", "lead"),
        ("Senior Director, Analytics", "executive"),
        ("Head of Data", "executive"),
        ("Associate Director, Data Science", "executive"),
        ("Associate Data Scientist", "entry"),
        ("Senior Associate, Data Analytics", "senior"),
        ("Data Analytics Manager", "lead"),
        ("Assistant Manager - Data", "lead"),
        ("Product Manager", "unspecified"),
        ("Senior Project Manager", "senior"),
        ("Data Architect", "lead"),
        ("Machine Learning Intern", "entry"),
        ("Data Science Co-op", "entry"),
        ("Werkstudent Data Analytics", "entry"),
        ("Stagiaire Data Scientist", "entry"),
        ("Estagiário de Dados", "entry"),
        ("Account Executive, Data Cloud", "unspecified"),
        ("Member of Technical Staff", "unspecified"),
        ("Postdoctoral Researcher, NLP", "unspecified"),
        ("Data Scientist", "unspecified"),
        ("Mid-Level Data Analyst", "mid"),
        ("Temporary staff", "unspecified"),
    ],
)
def test_level_rules(title: str, level: str) -> None:
    assert classify_title(title).level == level


@pytest.mark.parametrize(
    ("title", "spec"),
    [
        ("Senior LLM Engineer", "genai_llm"),
        ("NLP Data Scientist", "nlp"),
        ("Computer Vision Engineer", "cv"),
        ("Machine Learning Engineer, Recommendations", "recsys"),
        ("MLOps Engineer", "mlops"),
        ("Data Platform Engineer", "data_platform"),
        ("Data Engineer", None),
    ],
)
def test_specialisation(title: str, spec: str | None) -> None:
    assert classify_title(title).specialisation == spec


def test_result_is_valid_and_confident_only_when_placed() -> None:
    placed, unknown = classify_title("Senior Data Engineer"), classify_title("Bear Robotics")
    for tc in (placed, unknown):
        assert (
            isinstance(tc, TitleClass) and tc.role in ROLES and tc.level in LEVELS and 0 <= tc.confidence <= 1
        )
    assert unknown.role == "other" and unknown.confidence < 0.5 < placed.confidence


def test_case_and_punctuation_do_not_matter() -> None:
    variants = [
        "senior data scientist",
        "SENIOR DATA SCIENTIST",
        "Sr. Data-Scientist",
        "  Senior   Data Scientist  ",
    ]
    assert {classify_title(v) for v in variants} == {classify_title("Senior Data Scientist")}


def test_classify_titles_keeps_order_and_length() -> None:
    titles = ["Data Analyst", "Head of AI", "Data Analyst", "", "Cook", "Head of AI"]
    out = classify_titles(titles)
    assert len(out) == len(titles)
    assert [tc.role for tc in out] == [
        "data_analyst", "ml_leadership", "data_analyst", "other", "other", "ml_leadership",
    ]  # fmt: skip
    assert out[0] is out[2]  # distinct titles are classified once


def test_classify_titles_classifies_each_distinct_title_once() -> None:
    # speed is measured in benchmarks/; here: a repeated title reuses the one classification of its text
    distinct = [f"Senior Data Engineer {i} - Team {i % 97}" for i in range(2_000)]
    column = distinct * 5
    out = classify_titles(column)
    assert len(out) == len(column)
    assert all(out[i] is out[i + 2_000] for i in range(0, 8_000, 997))
    assert {tc.role for tc in out} == {"data_engineer"}


def test_classify_titles_leaves_what_it_keeps_out_of_the_young_generation() -> None:
    # the cyclic collector is paused during a batch; what the batch keeps (its memo) must not then wait in
    # the youngest generation, where the next collection, on any thread, would walk all of it at once
    classify_title.cache_clear()  # a cold memo, filled by this batch
    gc.collect()
    words = ["Senior", "Lead", "Junior", "Staff", "Principal", "Head of", "Intern", "Manager,"]
    roles = ["Data Engineer", "ML Engineer", "Data Scientist", "AI Engineer", "MLOps Engineer", "Analyst"]
    teams = ["NLP", "BI", "Risk", "Search", "Ads", "Vision", "Payments", "Fraud", "Growth", "Health", "Web"]
    combos = [(w, r, t, u) for w in words for r in roles for t in teams for u in teams]
    titles = [f"{w} {r}, {t} {u} - req {i}" for i, (w, r, t, u) in enumerate(combos)]  # 5,808 distinct
    assert gc.isenabled()
    classify_titles(titles)
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # left in the young generation, they would be ~14,000


def test_classify_titles_leaves_what_the_application_froze_frozen() -> None:
    classify_title.cache_clear()
    gc.freeze()  # as a pre-fork server does, to keep its pages shared with the workers
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        classify_titles([f"Senior Data Engineer {i}, Team {i % 7}" for i in range(500)])
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------------------------- CLI
runner = CliRunner()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_csv_file_to_stdout() -> None:
    result = runner.invoke(app, ["classify-titles", str(FIXTURES / "jobs.csv"), "--column", "job_title"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["title"] for r in rows] == [
        "Senior Machine Learning Engineer", "Director, Data Science", "Datenanalyst (m/w/d)", "Receptionist",
    ]  # fmt: skip
    assert [(r["role"], r["level"]) for r in rows] == [
        ("machine_learning_engineer", "senior"),
        ("ml_leadership", "executive"),
        ("data_analyst", "unspecified"),
        ("other", "unspecified"),
    ]
    assert list(rows[0]) == ["title", "role", "level", "specialisation", "confidence"]


def test_cli_stdin(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["classify-titles", "-"], input="Sr. Data Engineer\nHead of AI\n\nIngénieur IA\n"
    )
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [(r["title"], r["role"]) for r in rows] == [
        ("Sr. Data Engineer", "data_engineer"),
        ("Head of AI", "ml_leadership"),
        ("Ingénieur IA", "ai_engineer"),
    ]


def test_cli_out_file(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('title,n\n"Data Scientist, NLP",1\nBI Developer,2\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["classify-titles", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_text(encoding="utf-8"))
    assert [(r["title"], r["role"], r["specialisation"]) for r in rows] == [
        ("Data Scientist, NLP", "data_scientist", "nlp"), ("BI Developer", "data_analyst", "bi"),
    ]  # fmt: skip


def test_cli_missing_column_is_a_user_error() -> None:
    result = runner.invoke(app, ["classify-titles", str(FIXTURES / "jobs.csv")])
    assert result.exit_code == 2
    assert "'title'" in result.output and "job_title" in result.output and "jobs.csv" in result.output
    assert "Traceback" not in result.output


def test_cli_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify-titles", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_cli_help() -> None:
    result = runner.invoke(app, ["classify-titles", "--help"])
    assert result.exit_code == 0 and "--column" in result.output and "--out" in result.output


def test_classify_titles_csv_is_safe_from_formula_injection(tmp_path: Path) -> None:
    src = tmp_path / "titles.csv"
    rows_in = 'title\n"=HYPERLINK(""http://x"",""Data Scientist"")"\n@SUM(A1)\nData Engineer\n'
    src.write_text(rows_in, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["classify-titles", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["title"][0] for r in rows] == ["'", "'", "D"]
    assert rows[0]["title"] == '\'=HYPERLINK("http://x","Data Scientist")'
    assert rows[2]["title"] == "Data Engineer"


def test_classify_titles_json_has_the_csv_fields_in_order(tmp_path: Path) -> None:
    src = tmp_path / "titles.csv"
    src.write_text("title\nSr. Machine Learning Engineer\nHead of Data Science\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify-titles", str(src), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [list(r) for r in rows] == [list(OUT_COLUMNS)] * 2
    assert [(r["role"], r["level"]) for r in rows] == [
        ("machine_learning_engineer", "senior"),
        ("ml_leadership", "executive"),
    ]
