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


# -- CSV read into memory by pyarrow, or streamed by DuckDB ------------------------------------------------
TRICKY_CSV = (
    "\ufefftitle,company,note\n"
    '"Data Scientist, ""NLP""",,"multi\nline"\n'
    '"",  spaced  ,é ü\n'
    "ML Engineer,Acme,\n"
)


def _duckdb_rows(path: Path) -> list[tuple]:
    import duckdb

    from careerlens.sources import read_expr

    return duckdb.execute(f"SELECT * FROM {read_expr(path)}").fetchall()


@pytest.mark.parametrize("gz", [False, True])
def test_arrow_read_gives_duckdbs_rows(tmp_path: Path, gz: bool) -> None:
    import gzip

    from careerlens.sources import csv_header, read_csv_arrow

    path = tmp_path / ("t.csv.gz" if gz else "t.csv")
    data = TRICKY_CSV.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    table = read_csv_arrow(path, csv_header(path) or [])
    assert table is not None
    rows = [tuple(r.values()) for r in table.to_pylist()]
    assert [r[0] for r in rows] == [1, 2, 3]  # row_number in file order
    assert [r[1:] for r in rows] == _duckdb_rows(path)
    assert rows[0][1:] == ('Data Scientist, "NLP"', None, "multi\nline")


@pytest.mark.parametrize(
    "name, content, columns",
    [
        ("ragged.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n", ["a", "b", "c"]),
        ("latin1.csv", "a,b\nCaf\u00e9,2\n".encode("latin-1"), ["a", "b"]),
        ("repeated.csv", b"a,a\n1,2\n", ["a", "a"]),
        ("unnamed.csv", b"a,,c\n1,2,3\n", ["a", "", "c"]),
        ("broken.csv.gz", b"\x1f\x8b\x08\x00 not gzip", ["a"]),
    ],
)
def test_arrow_read_leaves_what_it_cannot_read_to_duckdb(
    tmp_path: Path, name: str, content: bytes, columns: list[str]
) -> None:
    """None: the file is then streamed by DuckDB, which reads or rejects it as before (a named error)."""
    from careerlens.sources import read_csv_arrow

    path = tmp_path / name
    path.write_bytes(content)
    assert read_csv_arrow(path, columns) is None


def _tables(db: Path) -> dict[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    cols = {
        "salaries": "* EXCLUDE (run_id)",
        "postings": "* EXCLUDE (run_id)",
        "posting_skills": "*",
        "duplicates": "* EXCLUDE (run_id)",
        "quarantine": "* EXCLUDE (run_id)",
    }
    out = {t: con.execute(f"SELECT {c} FROM {t} ORDER BY ALL").fetchall() for t, c in cols.items()}
    con.close()
    return out


def test_ingest_is_the_same_from_memory_and_from_duckdbs_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import careerlens.sources as sources

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    glassdoor = tmp_path / "glassdoor.csv"
    glassdoor.write_text(GLASSDOOR_CSV, encoding="utf-8")
    mapping = tmp_path / "glassdoor.toml"
    mapping.write_text(GLASSDOOR_MAP, encoding="utf-8")
    files = [
        (fixtures / "store" / "ai_jobs_small.csv", "ai-jobs", None),
        (fixtures / "store" / "postings_small.csv", "postings", None),
        (glassdoor, "generic", mapping),
    ]
    results = {}
    for how, limit in (("memory", sources.ARROW_MAX_BYTES), ("stream", -1)):
        monkeypatch.setattr(sources, "ARROW_MAX_BYTES", limit)  # -1: every file is "too large"
        db = tmp_path / f"{how}.duckdb"
        with open_warehouse(db) as store:
            for path, source, m in files:
                ingest(path, source, store, mapping=m)
        results[how] = _tables(db)
    assert results["memory"] == results["stream"]
    assert len(results["memory"]["salaries"]) > 0 and len(results["memory"]["postings"]) > 0
