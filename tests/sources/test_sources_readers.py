"""Reader registry, generic mappings and the shipped description mappings."""

from pathlib import Path

import pytest

from careerlens.errors import InputError, MappingError
from careerlens.sources import get_reader, reader_names
from careerlens.sources.generic import MAPPINGS_DIR, load_mapping
from careerlens.store.ingest import ingest
from careerlens.store.warehouse import open_warehouse

GLASSDOOR_CSV = (
    ",Job Title,Salary Estimate,Job Description,Rating,Company Name,Location,Industry\n"
    '0,Data Scientist,$53K-$91K (Glassdoor est.),"We need Python and SQL.",3.8,"Tecolote Research\n3.8",'
    '"Albuquerque, NM",Aerospace & Defense\n'
    '1,Data Analyst,$21-$34 Per Hour(Glassdoor est.),"Excel, Tableau",-1,"Acme\n4.1","Austin, TX",-1\n'
    '2,Senior Data Scientist,-1,"Deep learning with PyTorch",4.0,"Initech\n4.0","Remote",-1\n'
)
GLASSDOOR_MAP = """
dataset = "postings"
source_name = "glassdoor test"
[columns]
title = "Job Title"
salary_year = "Salary Estimate"
description = "Job Description"
company = "Company Name"
location = "Location"
industry = "Industry"
[defaults]
year = 2020
[parse]
missing = ["-1"]
salary = "glassdoor_range"
company = "first_line"
"""


def test_registry_knows_builtin_readers() -> None:
    assert {"ai-jobs", "postings", "generic"} <= set(reader_names())
    assert get_reader("ai-jobs").dataset == "salaries"
    assert get_reader("postings").dataset == "postings"
    with pytest.raises(InputError, match="unknown source 'nope'"):
        get_reader("nope")


def test_generic_without_mapping_is_mapping_error() -> None:
    with pytest.raises(MappingError, match="needs a mapping"):
        get_reader("generic")


@pytest.mark.parametrize("path", sorted(MAPPINGS_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_mappings_are_valid(path: Path) -> None:
    spec = load_mapping(path)
    assert spec["dataset"] == "postings"
    assert spec["file"].startswith("descriptions/")
    assert "description" in spec["columns"]


def test_generic_glassdoor_mapping(tmp_path: Path) -> None:
    data, mapping = tmp_path / "gd.csv", tmp_path / "gd.toml"
    data.write_text(GLASSDOOR_CSV, encoding="utf-8")
    mapping.write_text(GLASSDOOR_MAP, encoding="utf-8")
    with open_warehouse(tmp_path / "w.duckdb") as store:
        r = ingest(data, "generic", store, mapping=mapping)
        assert (r.rows_read, r.loaded, r.quarantined, r.duplicates) == (3, 3, 0, 0)
        rows = store.con.execute(
            "SELECT company, salary_usd, salary_rate, country, year, industry, has_description FROM postings "
            "ORDER BY row_number"
        ).fetchall()
    assert rows[0] == ("Tecolote Research", 72000.0, "year", "US", 2020, "Aerospace & Defense", True)
    assert rows[1][:4] == ("Acme", 27.5 * 2080, "hour", "US")
    assert rows[1][5] is None  # -1 means missing
    assert rows[2][1] is None and rows[2][3] is None


def test_generic_salaries_mapping_with_defaults(tmp_path: Path) -> None:
    data, mapping = tmp_path / "pay.csv", tmp_path / "pay.toml"
    data.write_text(
        "role,pay,where\nData Engineer,100000,Germany\nML Engineer,9000,Poland\n", encoding="utf-8"
    )
    mapping.write_text(
        'dataset = "salaries"\n[columns]\ntitle = "role"\nsalary = "pay"\ncompany_country = "where"\n'
        '[defaults]\nwork_year = 2024\ncurrency = "USD"\nrate = "month"\n',
        encoding="utf-8",
    )
    with open_warehouse(tmp_path / "w.duckdb") as store:
        r = ingest(data, "generic", store, mapping=mapping)
        assert (r.loaded, r.quarantined) == (2, 0)
        rows = store.con.execute(
            "SELECT salary_usd, company_country, region FROM salaries ORDER BY 1"
        ).fetchall()
    assert rows == [(108000.0, "PL", "Europe & Central Asia"), (1_200_000.0, "DE", "Europe & Central Asia")]


def test_mapping_missing_column_names_file_and_column(tmp_path: Path) -> None:
    data, mapping = tmp_path / "x.csv", tmp_path / "x.toml"
    data.write_text("title,when\nData Scientist,2024-01-01\n", encoding="utf-8")
    mapping.write_text(
        'dataset = "postings"\n[columns]\ntitle = "title"\nposted_date = "posted"\n', encoding="utf-8"
    )
    with open_warehouse(tmp_path / "w.duckdb") as store:
        with pytest.raises(MappingError) as err:
            ingest(data, "generic", store, mapping=mapping)
        assert store.con.execute("SELECT count(*) FROM ingest_runs").fetchall()[0][0] == 0
    assert err.value.file == str(data)
    assert err.value.field == "posted"
    assert "x.toml" in str(err.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('dataset = "jobs"\n', "dataset must be"),
        ('dataset = "postings"\n[columns]\nlocation = "x"\n', "must map 'title'"),
        ('dataset = "postings"\n[columns]\ntitle = "t"\nwage = "w"\n', "unknown field 'wage'"),
        ('dataset = "salaries"\n[columns]\ntitle = "t"\n', "'salary' or 'salary_usd'"),
        ('dataset = "postings"\n[columns]\ntitle = "t"\n[parse]\nposted_date = "relative"\n', "scrape_date"),
        ("dataset = \n", "TOML syntax error"),
    ],
)
def test_bad_mappings(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=match) as err:
        load_mapping(path)
    assert err.value.file == str(path)


def test_relative_posted_since(tmp_path: Path) -> None:
    data, mapping = tmp_path / "li.csv", tmp_path / "li.toml"
    data.write_text("t,since\nData Analyst,5 days ago\nData Analyst II,2 weeks ago\nBI Analyst,3 hours ago\n")
    mapping.write_text(
        'dataset = "postings"\n[columns]\ntitle = "t"\nposted_date = "since"\n'
        '[defaults]\nscrape_date = "2025-09-06"\n'
        '[parse]\nposted_date = "relative"\n'
    )
    with open_warehouse(tmp_path / "w.duckdb") as store:
        ingest(data, "generic", store, mapping=mapping)
        dates = [
            str(r[0])
            for r in store.con.execute("SELECT posted_date FROM postings ORDER BY row_number").fetchall()
        ]
    assert dates == ["2025-09-01", "2025-08-23", "2025-09-06"]


def test_shipped_mapping_by_name() -> None:
    reader = get_reader("generic", mapping="linkedin_data_jobs_2025")
    assert reader.dataset == "postings"
    assert reader.label == "linkedin_data_jobs_2025"
    with pytest.raises(MappingError, match="mapping file not found"):
        get_reader("generic", mapping="no_such_mapping")
