"""Skill extraction: spellings, word boundaries, context rules for ambiguous names, spans, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerlens.cli.main import app
from careerlens.errors import InputError, KnowledgeBaseError
from careerlens.kb.skills import load_skills
from careerlens.normalize.skills import (
    SkillExtractor,
    extract_many,
    extract_skills,
    get_extractor,
    load_context_rules,
    normalize_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "skills"
runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Strong C++ and modern STL experience.", "c++"),
        ("Services written in C# on .NET.", "c#"),
        ("Own our CI/CD pipelines in GitHub Actions.", "ci/cd"),
        ("Maintain ci-cd for the data platform.", "ci/cd"),
        ("Models in scikit-learn or PyTorch.", "scikit-learn"),
        ("Classical ML with sklearn.", "scikit-learn"),
        ("Scikit Learn pipelines.", "scikit-learn"),
        ("APIs in Node.js and TypeScript.", "node.js"),
        ("Backend in NodeJS.", "node.js"),
        ("Applications built on LLMs.", "llm"),
        ("Experience with large language models is a plus.", "llm"),
        ("Deploy services on k8s.", "kubernetes"),
        ("Dashboards in PowerBI.", "power bi"),
        ("Data on Google Cloud Platform.", "gcp"),
        ("Data lake on Amazon Web Services.", "aws"),
        ("Queries on MS SQL Server.", "sql server"),
        ("Tables in Postgres.", "postgresql"),
        ("Models from HuggingFace.", "hugging face"),
        ("Prototype GenAI features.", "generative ai"),
        ("Build retrieval-augmented generation systems.", "rag"),
        ("Design A/B tests for the checkout.", "a/b testing"),
        ("Apply natural language processing to tickets.", "nlp"),
        ("Fine-tune open models.", "fine-tuning"),
        ("Languages: Python, R, SQL.", "r"),
        ("Backend languages such as Java, Go and Python.", "go"),
        ("Advanced Excel (pivot tables, VLOOKUP).", "excel"),
        ("Strong excel and database skills.", "excel"),
        ("Pipelines with Apache Spark and Kafka.", "spark"),
        ("Microsoft Word, Excel and PowerPoint.", "word"),
        ("MS Word for reports.", "word"),
        ("Experience with LLM&#39;s is a plus.", "llm"),
        ("Query and manipulate data in SQLAble to perform regression.", "sql"),
        ("PySpark jobs on Databricks.", "spark"),  # pyspark implies spark
    ],
)
def test_finds_skill_in_its_real_spellings(text: str, skill: str) -> None:
    assert skill in extract_skills(text)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Ten years of R&D leadership.", "r"),
        ("Our R & D centre in Austin.", "r"),
        ("Products (R) are trademarks.", "r"),
        ("Report R-squared, RMSE and MAE.", "r"),
        ("You will be the go-to person for data questions.", "go"),
        ("Ready to go live next month.", "go"),
        ("You will excel at stakeholder communication.", "excel"),
        ("We want people who excel in fast-paced teams.", "excel"),
        ("An equal opportunity to grow and excel.", "excel"),
        ("Ideas that spark curiosity across the company.", "spark"),
        ("Work in the spring semester.", "spring"),
        ("Based in Silver Spring, MD.", "spring"),
        ("Reliable in every sense of the word.", "word"),
        ("A long-term outlook on growth.", "outlook"),
        ("Presentations to the C-suite.", "c"),
        ("Offices in Washington D.C. and Boston.", "c"),
        ("Send your CV and cover letter.", "computer vision"),
        ("Degree in Computer Science, Statistics, or a related field.", "statistics"),
        ("BA/BS in statistics, applied mathematics or economics.", "statistics"),
        ("MS in Statistics or related field.", "statistics"),
        ("Experience with JavaScript and TypeScript.", "java"),
        ("Databases such as MySQL and MongoDB.", "sql"),
        ("Document stores and NoSQL databases.", "sql"),
        ("Agents in our call centre answer customers.", "ai agents"),
        ("The rest of the team.", "rest api"),
        ("Must have a B.S. degree in Biology.", "a/b testing"),
        ("ETL tools such as Ab Initio.", "a/b testing"),
        ("Acme is immediately hiring a Data Engineer.", "hiring"),
        ("At Notion, we build tools. Notion is hiring.", "notion"),
        ("Databricks is the data and AI company.", "databricks"),
        ("Share your GitHub profile with us.", "github"),
        ("We may use machine learning tools to screen applications.", "machine learning"),
        ("Please include a portfolio or GitHub links.", "github"),
    ],
)
def test_ambiguous_words_out_of_context_are_not_skills(text: str, skill: str) -> None:
    assert skill not in extract_skills(text)


def test_vendor_names_count_when_used_as_tools() -> None:
    assert {"databricks", "notion", "snowflake"} <= set(
        extract_skills("Tools: Notion and Jira. Pipelines on Databricks and Snowflake.")
    )


def test_word_boundaries_and_longest_match() -> None:
    assert extract_skills("JavaScript, MySQL and PySpark") == ["javascript", "mysql", "pyspark", "spark"]
    assert extract_skills("Java and SQL") == ["java", "sql"]
    # T-SQL is its own skill and is also SQL; "sql server" wins over "sql" inside it
    assert extract_skills("T-SQL on SQL Server") == ["sql", "sql server", "t-sql"]
    assert "c" not in extract_skills("C++ and C# developers")


def test_spans_point_at_the_original_text() -> None:
    text = "Stack:\u00a0Python,  C++ / CI/CD\n- Node.js (LLMs) and “scikit-learn”."
    matches = get_extractor().extract(text)
    assert [m.skill for m in matches] == ["python", "c++", "ci/cd", "node.js", "llm", "scikit-learn"]
    for m in matches:
        assert text[m.start : m.end] == m.text
    assert [m.text for m in matches] == ["Python", "C++", "CI/CD", "Node.js", "LLMs", "scikit-learn"]


def test_spans_survive_glued_lines_and_entities() -> None:
    text = "Query data in SQLAble to use R&amp;D tools; LLM&#39;s and PythonExperience"
    matches = get_extractor().extract(text)
    assert {m.skill: m.text for m in matches} == {"sql": "SQL", "llm": "LLM", "python": "Python"}
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_camel_case_names_are_not_split() -> None:
    assert "java" not in extract_skills("Strong JavaScript")
    assert extract_skills("Code on GitHub") == ["github"]


@pytest.mark.parametrize("text", ["", None, "   ", "No technical requirements at all."])
def test_empty_or_missing_text_has_no_skills(text: str | None) -> None:
    assert extract_skills(text) == []
    assert get_extractor().extract(text) == []


def test_extract_many_keeps_order_and_sorts_ids() -> None:
    out = extract_many(["SQL and Python", None, "Tableau, Excel"])
    assert out == [["python", "sql"], [], ["excel", "tableau"]]


def test_normalize_text_keeps_length() -> None:
    for text in ["İstanbul C++ Node.js", "a–b — c’s", "LLM&#39;s", "😀 Python"]:
        assert len(normalize_text(text)) == len(text)


def test_every_vocabulary_skill_is_reachable_by_its_id() -> None:
    ex = get_extractor()
    for sid in ("sql", "c++", "c#", "ci/cd", "a/b testing", "node.js", "power bi", "vertex ai"):
        assert sid in ex.lexicon
        assert sid in ex.skills(f"Experience with {sid} and Python programming.") or sid in ("ci/cd",)


def test_context_rules_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ctx.toml"
    bad.write_text('[[rule]]\nskill = "r"\ncues = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="ctx.toml"):
        load_context_rules(bad)


def test_custom_lexicon_and_rules(tmp_path: Path) -> None:
    lex = tmp_path / "skills.toml"
    lex.write_text(
        '[[skill]]\nid = "go"\ncategory = "programming"\naliases = ["golang"]\n\n'
        '[[skill]]\nid = "python"\ncategory = "programming"\naliases = []\n',
        encoding="utf-8",
    )
    rules_file = tmp_path / "ctx.toml"
    rules_file.write_text(
        '[[rule]]\nskill = "go"\nforms = ["go"]\nneeds_context = true\n'
        'categories = ["programming"]\nnear = 10\n',
        encoding="utf-8",
    )
    rules, implies = load_context_rules(rules_file)
    ex = SkillExtractor(load_skills(lex), rules, implies)
    assert ex.skills("Python, Go") == ["go", "python"]
    assert ex.skills("Go team! We love Python") == ["python"]
    assert ex.skills("golang services") == ["go"]


# -- CLI ---------------------------------------------------------------------------------------------------


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_cli_csv_to_stdout_in_input_order() -> None:
    result = runner.invoke(app, ["extract-skills", str(FIXTURES / "postings.csv"), "--column", "description"])
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    assert [r["id"] for r in rows] == ["p1", "p2", "p3", "p4"]
    assert {"excel", "sql", "tableau"} <= set(rows[0]["skills"])  # type: ignore[arg-type]
    assert "r" not in rows[0]["skills"]  # type: ignore[operator]
    assert {"aws", "ci/cd", "github", "kubernetes", "langchain", "llm", "rag"} <= set(rows[1]["skills"])  # type: ignore[arg-type]
    assert {"c#", "c++", "go", "node.js", "rust"} <= set(rows[2]["skills"])  # type: ignore[arg-type]
    assert rows[3]["skills"] == []


def test_cli_jsonl_with_id_column_and_out(tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(
        app,
        [
            "extract-skills",
            str(FIXTURES / "postings.jsonl"),
            "--column",
            "text",
            "--id-column",
            "job_id",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _lines(out.read_text(encoding="utf-8"))
    assert rows == [
        {"id": "j1", "skills": ["python", "pytorch", "r", "scikit-learn", "sql"]},
        {"id": "j2", "skills": ["hadoop", "spark"]},
        {"id": "j3", "skills": []},
    ]


def test_cli_without_id_column_numbers_rows(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("description\nPython and SQL\n\n", encoding="utf-8")
    result = runner.invoke(app, ["extract-skills", str(src)])
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout) == [{"id": 1, "skills": ["python", "sql"]}]


def test_cli_missing_column_is_a_clear_error() -> None:
    result = runner.invoke(app, ["extract-skills", str(FIXTURES / "postings.csv"), "--column", "body"])
    assert result.exit_code == 2
    assert "postings.csv" in result.output and "'body'" in result.output
    assert "description" in result.output  # lists the available columns


def test_cli_missing_id_column_and_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract-skills", str(FIXTURES / "postings.csv"), "--id-column", "job_id"])
    assert result.exit_code == 2 and "job_id" in result.output
    result = runner.invoke(app, ["extract-skills", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_cli_help() -> None:
    result = runner.invoke(app, ["extract-skills", "--help"])
    assert result.exit_code == 0
    assert "--column" in result.output and "--id-column" in result.output and "--out" in result.output


def test_cli_large_input_keeps_every_row_in_order(tmp_path: Path) -> None:
    src = tmp_path / "many.csv"
    lines = ["id,description"] + [f"r{i},{'Python and SQL' if i % 2 else 'Tableau'}" for i in range(600)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "many.jsonl"
    result = runner.invoke(app, ["extract-skills", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _lines(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(600)]
    assert rows[0]["skills"] == ["tableau"] and rows[1]["skills"] == ["python", "sql"]


def test_extract_file_is_the_programmatic_entry_point() -> None:
    from careerlens.cli.extract import extract_file

    records = extract_file(FIXTURES / "postings.jsonl", column="text", id_column="job_id")
    assert [r["id"] for r in records] == ["j1", "j2", "j3"]
    with pytest.raises(InputError, match="available columns"):
        extract_file(FIXTURES / "postings.jsonl", column="description", id_column="job_id")


def test_cli_json_is_one_array_of_the_same_records() -> None:
    lines = runner.invoke(app, ["extract-skills", str(FIXTURES / "postings.csv")])
    array = runner.invoke(app, ["extract-skills", str(FIXTURES / "postings.csv"), "--json"])
    assert lines.exit_code == 0 and array.exit_code == 0
    assert json.loads(array.stdout) == [json.loads(line) for line in lines.stdout.splitlines()]


def test_version_json() -> None:
    from careerlens import __version__

    result = runner.invoke(app, ["version", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"version": __version__}
