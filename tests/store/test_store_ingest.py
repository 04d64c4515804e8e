"""Ingest: accounting, quarantine, duplicates, idempotency and atomicity, on real DuckDB files."""

import csv
from pathlib import Path

import pytest

from careerlens.errors import InputError
from careerlens.store.ingest import ingest
from careerlens.store.warehouse import Store

BAD_ROWS = (
    "2024,SE,FT,Data Scientist,150000,USD,150000,US,0,US,M\r\n"  # ok → row 14
    "abc,SE,FT,Data Scientist,150000,USD,150000,US,0,US,M\r\n"  # bad year → row 15
    "2024,SE,FT,,150000,USD,150000,US,0,US,M\r\n"  # missing title → row 16
    "2024,MI,FT,Data Analyst,lots,USD,,US,0,US,M\r\n"  # non-numeric salary → row 17
    "2024,MI,FT,Data Analyst,90000,XYZ,,DE,0,DE,M\r\n"  # unknown currency → row 18
    "2024,MI,FT,Data Analyst,50,USD,50,US,0,US,M\r\n"  # absurd salary → row 19
)


def counts(store: Store, table: str) -> int:
    return int(store.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def test_ai_jobs_accounting_and_duplicate_rules(store: Store, ai_jobs_csv: Path) -> None:
    r = ingest(ai_jobs_csv, "ai-jobs", store)
    assert (r.rows_read, r.loaded, r.quarantined, r.duplicates) == (13, 6, 0, 7)
    assert r.rows_read == r.loaded + r.quarantined + r.duplicates
    assert r.duplicates_by_rule == {"exact_duplicate": 3, "range_pair": 4}
    dups = store.con.execute("SELECT row_number, kept_row_number, rule FROM duplicates ORDER BY 1").fetchall()
    assert dups == [
        (2, 1, "range_pair"),
        (4, 3, "range_pair"),
        (6, 5, "range_pair"),
        (8, 7, "range_pair"),
        (9, 3, "exact_duplicate"),
        (10, 3, "exact_duplicate"),
        (12, 11, "exact_duplicate"),
    ]
    facts = store.con.execute(
        "SELECT row_number, rows_collapsed, salary_usd, salary_usd_min, salary_usd_max, "
        "company_country, region "
        "FROM salaries ORDER BY row_number"
    ).fetchall()
    assert facts[0] == (1, 2, (348516 + 232344) / 2, 232344, 348516, "US", "North America")
    assert facts[-1][:5] == (13, 1, 74551, 74551, 74551)
    assert facts[-1][5:] == ("FR", "Europe & Central Asia")


def test_experience_level_refined_by_title(store: Store, ai_jobs_csv: Path) -> None:
    ingest(ai_jobs_csv, "ai-jobs", store)
    levels = dict(store.con.execute("SELECT title, level FROM salaries").fetchall())
    assert levels["Data Scientist"] == "senior"  # SE
    assert levels["DataOps Engineer"] == "entry"  # EN
    assert levels["Head of Data"] == "executive"  # EX (title says executive too)
    assert levels["AI Product Lead"] == "lead"  # SE refined: the title states lead


def test_quarantine_rows_name_file_row_field_and_reason(
    store: Store, ai_jobs_csv: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "ai_jobs_bad.csv"
    bad.write_bytes(ai_jobs_csv.read_bytes() + BAD_ROWS.encode())
    r = ingest(bad, "ai-jobs", store)
    assert (r.rows_read, r.loaded, r.quarantined, r.duplicates) == (19, 7, 5, 7)
    rows = store.con.execute(
        "SELECT file_path, row_number, field, reason, raw FROM quarantine ORDER BY 2"
    ).fetchall()
    assert [(rn, f) for _, rn, f, _, _ in rows] == [
        (15, "work_year"),
        (16, "job_title"),
        (17, "salary"),
        (18, "salary_currency"),
        (19, "salary"),
    ]
    assert all(fp == str(bad) for fp, *_ in rows)
    reasons = {rn: why for _, rn, _, why, _ in rows}
    assert reasons[15].startswith("missing or non-integer year: abc")
    assert "unknown currency: XYZ" in reasons[18]
    assert "absurd salary" in reasons[19]
    assert '"work_year":"abc"' in rows[0][4]


def test_reingest_same_file_is_skipped(store: Store, ai_jobs_csv: Path) -> None:
    first = ingest(ai_jobs_csv, "ai-jobs", store)
    before = {t: counts(store, t) for t in ("salaries", "duplicates", "quarantine", "ingest_runs")}
    again = ingest(ai_jobs_csv, "ai-jobs", store)
    assert again.status == "skipped"
    assert (again.rows_read, again.loaded, again.quarantined, again.duplicates) == (
        first.rows_read,
        first.loaded,
        first.quarantined,
        first.duplicates,
    )
    assert {t: counts(store, t) for t in before} == before


def test_fact_ids_stay_unique_across_runs(
    store: Store, ai_jobs_csv: Path, postings_csv: Path, tmp_path: Path
) -> None:
    # the ids carry no PRIMARY KEY (schema.sql): each run numbers its facts after the ones already stored
    more_jobs = tmp_path / "ai_jobs_more.csv"
    more_jobs.write_bytes(ai_jobs_csv.read_bytes() + BAD_ROWS.encode())
    more_posts = tmp_path / "postings_more.csv"
    more_posts.write_bytes(postings_csv.read_bytes().replace(b"Data Engineer", b"Data Engineer II"))
    for table, key, files, source in (
        ("salaries", "fact_id", (ai_jobs_csv, more_jobs), "ai-jobs"),
        ("postings", "posting_id", (postings_csv, more_posts), "postings"),
    ):
        runs = [ingest(f, source, store).run_id for f in files]
        spans = store.con.execute(
            f"SELECT run_id, min({key}), max({key}), count(*), count(DISTINCT {key}) FROM {table} GROUP BY 1"
        ).fetchall()
        by_run = {rid: (lo, hi, n, distinct) for rid, lo, hi, n, distinct in spans}
        assert all(n == distinct and n > 0 for _, _, n, distinct in by_run.values())
        assert by_run[runs[1]][0] > by_run[runs[0]][1]  # the second run's ids start after the first's


def test_a_warehouse_made_with_primary_keys_still_takes_ingests(
    tmp_path: Path, ai_jobs_csv: Path, postings_csv: Path
) -> None:
    """Warehouses created before the fact ids lost their PRIMARY KEY (schema.sql) keep it and keep working."""
    import re

    import duckdb

    from careerlens.store.warehouse import SCHEMA_FILE, open_warehouse

    old = re.sub(  # the id, the first column of both tables, as it was declared
        r"(CREATE TABLE IF NOT EXISTS (?:salaries|postings) \(\s+\w+\s+BIGINT) NOT NULL",
        r"\1 PRIMARY KEY",
        SCHEMA_FILE.read_text(),
    )
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(old)
    with open_warehouse(path) as store:
        keys = store.con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1"
        ).fetchall()
        assert keys == [("ingest_runs",), ("postings",), ("salaries",)]
        assert ingest(ai_jobs_csv, "ai-jobs", store).loaded == 6
        assert ingest(postings_csv, "postings", store).loaded == 5


def test_provenance_of_run(store: Store, ai_jobs_csv: Path) -> None:
    r = ingest(ai_jobs_csv, "ai-jobs", store)
    run = store.con.execute(
        "SELECT dataset, source, file_sha256, status, rows_read FROM ingest_runs WHERE run_id = ?", [r.run_id]
    ).fetchall()[0]
    assert run == ("salaries", "ai-jobs", r.file_sha256, "done", 13)
    assert len(r.file_sha256) == 64
    shas = store.con.execute("SELECT DISTINCT file_sha256, run_id FROM salaries").fetchall()
    assert shas == [(r.file_sha256, r.run_id)]


def test_crash_mid_ingest_leaves_store_unchanged(store: Store, ai_jobs_csv: Path, postings_csv: Path) -> None:
    ingest(ai_jobs_csv, "ai-jobs", store)
    tables = ("salaries", "duplicates", "quarantine", "ingest_runs", "postings", "posting_skills")
    before = {t: counts(store, t) for t in tables}

    def boom(stage: str) -> None:
        if stage == "commit":  # every row of this run is written by now
            assert counts(store, "postings") > 0
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        ingest(postings_csv, "postings", store, on_stage=boom)
    assert {t: counts(store, t) for t in tables} == before
    r = ingest(postings_csv, "postings", store)  # and the same file can be ingested afterwards
    assert r.status == "done"


def test_postings_accounting_duplicates_and_quarantine(store: Store, postings_csv: Path) -> None:
    r = ingest(postings_csv, "postings", store)
    assert (r.rows_read, r.loaded, r.quarantined, r.duplicates) == (10, 5, 3, 2)
    assert r.duplicates_by_rule == {"exact_duplicate": 1, "repost": 1}
    assert store.con.execute(
        "SELECT row_number, kept_row_number, rule FROM duplicates ORDER BY 1"
    ).fetchall() == [(2, 1, "exact_duplicate"), (3, 1, "repost")]
    q = store.con.execute("SELECT row_number, field FROM quarantine ORDER BY 1").fetchall()
    assert q == [(7, "job_title"), (8, "job_posted_date"), (9, "salary_year_avg")]
    rows = {
        rn: (country, region, usd, rate)
        for rn, country, region, usd, rate in store.con.execute(
            "SELECT row_number, country, region, salary_usd, salary_rate FROM postings"
        ).fetchall()
    }
    assert rows[1] == (
        "US",
        "North America",
        150000,
        "year",
    )  # job_country 'Sudan' overridden by 'Austin, TX'
    assert rows[5] == ("IN", "South Asia", 25 * 2080, "hour")
    assert rows[6][0] == "GB"
    assert rows[10][0] is None  # 'Anywhere' + 'Sudan': unknown


def test_postings_source_labels_become_canonical_skills(store: Store, postings_csv: Path) -> None:
    ingest(postings_csv, "postings", store)
    skills = store.con.execute(
        "SELECT p.row_number, list(s.skill ORDER BY s.skill) FROM posting_skills s "
        "JOIN postings p USING (posting_id) WHERE s.method = 'source_label' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    got = dict(skills)
    assert got[1] == ["python", "sql"]
    assert "power bi" in " ".join(got[5]) or "power_bi" in " ".join(got[5])


@pytest.mark.parametrize(
    ("labels", "skills"),
    [
        ("['python', 'sql']", ["python", "sql"]),  # the plain form, split
        ("['power bi']", ["power bi"]),
        ("['python','sql']", ["python", "sql"]),  # the other forms: any quoted label
        ("['python',  'sql']", ["python", "sql"]),
        ("""["c++", 'python']""", ["c++", "python"]),
        ("""['c++', "python's"]""", ["c++"]),
        (" ['python', 'sql'] ", ["python", "sql"]),
        ("['', 'sql']", ["sql"]),
        ("python, SQL", ["python", "sql"]),
        ("[]", []),
    ],
)
def test_label_lists_in_every_form_give_their_skills(
    store: Store, postings_csv: Path, tmp_path: Path, labels: str, skills: list[str]
) -> None:
    header = postings_csv.read_text(encoding="utf-8").splitlines()[0]
    row = {c: "" for c in header.split(",")}
    row |= {"job_title": "Data Engineer", "job_title_short": "Data Engineer", "job_location": "Austin, TX",
            "job_posted_date": "2024-03-01", "job_country": "United States", "company_name": "Acme",
            "job_skills": labels}  # fmt: skip
    f = tmp_path / "one.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    assert ingest(f, "postings", store).loaded == 1
    got = store.con.execute("SELECT skill FROM posting_skills ORDER BY 1").fetchall()
    assert [s for (s,) in got] == skills


def test_wrong_reader_names_missing_column(store: Store, postings_csv: Path) -> None:
    with pytest.raises(InputError, match="missing column 'work_year'") as err:
        ingest(postings_csv, "ai-jobs", store)
    assert err.value.file == str(postings_csv)
    assert counts(store, "ingest_runs") == 0


def test_missing_file_and_unknown_source(store: Store, tmp_path: Path, ai_jobs_csv: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        ingest(tmp_path / "nope.csv", "ai-jobs", store)
    with pytest.raises(InputError, match="unknown source"):
        ingest(ai_jobs_csv, "nope", store)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv.gz"])
def test_other_file_formats_give_same_counts(
    store: Store, ai_jobs_csv: Path, tmp_path: Path, fmt: str
) -> None:
    import duckdb

    out = tmp_path / f"ai_jobs.{fmt}"
    options = {"parquet": "FORMAT parquet", "jsonl": "FORMAT json", "csv.gz": "FORMAT csv, COMPRESSION gzip"}[
        fmt
    ]
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{ai_jobs_csv}', all_varchar=true)) TO '{out}' ({options})")
    r = ingest(out, "ai-jobs", store)
    assert (r.rows_read, r.loaded, r.quarantined, r.duplicates) == (13, 6, 0, 7)
    assert r.duplicates_by_rule == {"exact_duplicate": 3, "range_pair": 4}


def test_unreadable_file_is_input_error(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputError, match="cannot read the file") as err:
        ingest(bad, "ai-jobs", store)
    assert err.value.file == str(bad)
    assert counts(store, "ingest_runs") == 0


OK_ROW = b"2024,SE,FT,Data Scientist,150000,USD,150000,US,0,US,M\r\n"


@pytest.mark.parametrize(
    ("name", "broken_row", "row", "why"),
    [
        ("ragged.csv", OK_ROW.replace(b",M\r", b"\r"), 14, "10 fields"),
        ("ragged.csv.gz", OK_ROW.replace(b",M\r", b",M,extra\r"), 14, "12 fields"),
        ("latin1.csv", OK_ROW.replace(b"Data Scientist", "Donn\u00e9es".encode("latin-1")), 14, "UTF-8"),
    ],
)
def test_a_row_no_reader_can_take_is_named_and_nothing_is_loaded(
    store: Store, ai_jobs_csv: Path, tmp_path: Path, name: str, broken_row: bytes, row: int, why: str
) -> None:
    import gzip

    data = ai_jobs_csv.read_bytes() + broken_row + OK_ROW
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert ai_jobs_csv.read_bytes().count(b"\n") == row  # header + 13 rows: the broken row is data row 14
    with pytest.raises(InputError, match=why) as err:
        ingest(path, "ai-jobs", store)
    assert (err.value.file, err.value.row) == (str(path), row)
    assert counts(store, "ingest_runs") == 0 and counts(store, "salaries") == 0


def _pairs_by_the_rule(
    keys: list[int], usd: list[float], pair: bool
) -> list[tuple[int, int, float, float, float]]:
    """docs/data-rules.md, row by row: within a run of neighbours with equal keys, rows pair up 0-1, 2-3,
    ...; a lone last row of an odd run is a job of its own.
    Rows of (row_number, kept_row, rows_collapsed, usd, min, max)."""
    out: list[tuple[int, int, float, float, float]] = []
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        k = i
        while k <= j:
            if pair and k + 1 <= j:
                lo, hi = min(usd[k], usd[k + 1]), max(usd[k], usd[k + 1])
                mid = (usd[k] + usd[k + 1]) / 2
                out += [(k + 1, k + 1, 2, mid, lo, hi), (k + 2, k + 1, 2, mid, lo, hi)]
                k += 2
            else:
                out.append((k + 1, k + 1, 1, usd[k], usd[k], usd[k]))
                k += 1
        i = j + 1
    return out


@pytest.mark.parametrize("pair", [True, False])
def test_pair_rows_follows_the_documented_rule(pair: bool) -> None:
    """The vectorised pairing against a plain loop over the rule, on runs of every length from 1 to 6."""
    import random

    import numpy as np

    from careerlens.store.ingest import _pair_rows

    rng = random.Random(7)
    keys: list[int] = []
    while len(keys) < 3000:
        keys += [rng.randrange(4)] * rng.randint(1, 6)  # neighbouring runs may share a key: one longer run
    usd = [float(rng.randrange(30_000, 300_000)) for _ in keys]
    table = _pair_rows(
        np.arange(1, len(keys) + 1, dtype=np.int64),
        np.array(keys, dtype=np.uint64),
        np.array(usd, dtype=np.float64),
        pair=pair,
    )
    cols = ("row_number", "kept_row", "rows_collapsed", "salary_usd", "salary_usd_min", "salary_usd_max")
    got = list(zip(*(table.column(c).to_pylist() for c in cols), strict=True))
    assert got == _pairs_by_the_rule(keys, usd, pair)
    assert pair == any(row[2] == 2 for row in got)


@pytest.mark.parametrize("source", ["ai-jobs", "postings"])
def test_ingest_hands_the_connection_back_as_it_found_it(
    store: Store, ai_jobs_csv: Path, postings_csv: Path, source: str
) -> None:
    """An ingest writes facts in any row order, and registers Arrow tables (the file's rows, lookups) besides
    its temp tables: after it, committed or failed, the settings are as they were and no working table or
    view (all named _in_...) is left."""
    store.con.execute("SET threads = 3")

    def state() -> list[tuple[object, ...]]:
        return store.con.execute(
            "SELECT current_setting('threads')::VARCHAR, "
            "current_setting('preserve_insertion_order')::VARCHAR "
            "UNION ALL SELECT table_name, 'table' FROM duckdb_tables() WHERE starts_with(table_name, '_in_') "
            "UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE starts_with(view_name, '_in_')"
        ).fetchall()

    before = state()
    assert before == [("3", "true")]
    ingest(ai_jobs_csv if source == "ai-jobs" else postings_csv, source, store)
    assert state() == before

    def boom(stage: str) -> None:
        if stage == "commit":
            raise RuntimeError("disk full")

    other_path, other = (postings_csv, "postings") if source == "ai-jobs" else (ai_jobs_csv, "ai-jobs")
    with pytest.raises(RuntimeError):
        ingest(other_path, other, store, on_stage=boom)
    assert state() == before


@pytest.mark.parametrize("commas", [False, True])
@pytest.mark.parametrize("sql_type", ["INTEGER", "DOUBLE", "TIMESTAMP"])
def test_try_cast_reads_what_the_cleaned_text_reads(commas: bool, sql_type: str) -> None:
    """The plain cast first (ingest._try_cast) gives the value of the cast of the trimmed text (with thousands
    separators dropped), on the forms pay, years and dates come in and on random strings of their characters.
    """
    import random

    import duckdb

    from careerlens.store.ingest import _try_cast

    rng = random.Random(11)
    chars = [*"0123456789" * 3, " ", "\t", "\n", "\xa0", "\u2009", ",", ".", "-", "+", "e", "x", "_", "inf"]
    values = [" 2024 ", "\xa02024", "2024\xa0", "1,234", " 1,234.5 ", "1e3", " -3 ", "\t12\n", "12,", ",12"]
    values += [
        "",
        "x",
        "1_000",
        "0x1F",
        "nan",
        " 2024-09-01 00:01:05 ",
        "\xa02024-09-01",
        "2024-09-01T10:00:00Z",
    ]
    values += ["\t2024-09-01\n", "2024-09-01 10:00:00+02", "2024-13-01", "09/01/2024"]
    values += ["".join(rng.choice(chars) for _ in range(rng.randint(0, 8))) for _ in range(5_000)]
    cleaned = "replace(trim(v), ',', '')" if commas else "trim(v)"
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT v, TRY_CAST({cleaned} AS {sql_type}), {_try_cast('v', sql_type, commas=commas)} "
        "FROM (SELECT unnest($values) AS v)",
        {"values": [*values, None]},
    ).fetchall()
    differ = [(v, a, b) for v, a, b in rows if a != b and not (a != a and b != b)]  # NaN == NaN here
    assert differ == []
    assert sum(b is not None for _, _, b in rows) >= (5 if sql_type == "TIMESTAMP" else 500)  # not only NULLs
