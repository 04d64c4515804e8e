"""Ingest one file into the warehouse: read → normalise (SQL) → classify titles → write → link skills.

One transaction per file: either every fact, duplicate, quarantine row and the ingest_runs row are written, or
nothing is. Accounting is checked before commit: rows_read = loaded + quarantined + duplicates. Re-ingesting a
file already ingested (same sha256 and source) changes nothing and reports the first run's counts ('skipped').
Rules (duplicates, quarantine reasons, levels, countries): docs/data-rules.md.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from careerlens.errors import InputError, StoreError
from careerlens.normalize.geo import posting_country, region_of, to_iso2
from careerlens.normalize.pay import MAX_USD_YEAR, MIN_USD_YEAR, RATE_FACTORS, load_fx_table, usd_per_unit
from careerlens.sources import Reader, get_reader, sql_str, unreadable
from careerlens.store.warehouse import IngestResult, Store, file_sha256, run_result

STAGES = ("read", "normalise", "classify titles", "write", "extract skills")
EXPERIENCE_LEVELS = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}
REPOST_WINDOW_DAYS = 30
RAW_VIEW = "_in_raw_arrow"  # the file's rows in memory (Reader.raw_relation)
FACTS_VIEW = "_in_facts_arrow"  # the raw rows of the facts, filtered from those (_Job.facts_raw)
PAIRS_VIEW = "_in_pairs_arrow"  # each salary row's job (_pair_rows)
# rows per Arrow batch of PAIRS_VIEW: DuckDB scans a registered table's batches in parallel, a temp table of
# fewer than 122,880 rows (one row group) with one thread
ARROW_BATCH_ROWS = 8192
StageCallback = Callable[[str], None]
ABSURD = (
    f"'absurd salary (outside {MIN_USD_YEAR:,.0f}-{MAX_USD_YEAR:,.0f} USD/year): ' "
    "|| round(usd)::BIGINT || ' USD/year'"
)


def ingest(
    path: str | Path,
    source: str,
    store: Store,
    *,
    mapping: str | Path | None = None,
    on_stage: StageCallback | None = None,
    display_path: str | None = None,
    run_id: str | None = None,
    now: datetime | None = None,
    refresh: bool = False,
) -> IngestResult:
    """Ingest ``path`` with the reader ``source`` into ``store`` (a warehouse) and return the run's counts.

    The postings aggregates are left for the next reader to rebuild (``open_store``), once for any number
    of ingests; ``refresh=True`` rebuilds them in this run's transaction instead."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError("file not found", file=str(p), hint="check the path of the file to ingest")
    if store.kind != "warehouse":
        raise StoreError(
            "the bundled snapshot is read-only", hint="pass --db PATH to ingest into a warehouse"
        )
    reader = get_reader(source, mapping=mapping) if source == "generic" else get_reader(source)
    sha = file_sha256(p)
    shown = display_path or str(p)
    con = store.con
    previous = con.execute(
        "SELECT run_id FROM ingest_runs WHERE file_sha256 = ? AND source = ? AND source_name = ? "
        "AND status = 'done' "
        "ORDER BY started_at LIMIT 1",
        [sha, reader.name, reader.source_name],
    ).fetchall()
    if previous:
        return run_result(con, previous[0][0], status="skipped")
    stage = on_stage or (lambda _s: None)
    rid = run_id or uuid.uuid4().hex
    started = now or datetime.now()
    job = _Job(con, reader, p, shown, sha, rid, stage)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO ingest_runs (run_id, dataset, source, source_name, file_path, file_sha256, "
            "started_at, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'running')",
            [rid, reader.dataset, reader.name, reader.source_name, shown, sha, started],
        )
        if reader.dataset == "salaries":
            job.run_salaries()
        else:
            job.run_postings(refresh=refresh)
        stage("commit")
        counts = job.check_accounting()
        con.execute(
            "UPDATE ingest_runs SET finished_at = ?, rows_read = ?, loaded = ?, quarantined = ?, "
            "duplicates = ?, "
            "status = 'done' WHERE run_id = ?",
            [now or datetime.now(), *counts, rid],
        )
        job.drop_temps()
        con.execute("COMMIT")
    except duckdb.InvalidInputException as exc:  # the file itself is malformed (CSV/JSON parse errors)
        con.execute("ROLLBACK")
        raise unreadable(p, exc, hint="check the file's format") from None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        job.release()
    result = run_result(con, rid, status="done")
    result.skills_linked = job.skills_linked
    return result


# Skill label lists (posting_skills). The common form, "['sql', 'power bi']" (single-quoted labels without
# quotes or backslashes, joined by ", "), is split on "', '": the labels QUOTED_LABEL finds, at a third of its
# cost (every list of the shared postings files has this form).
PLAIN_LABEL_LIST = r"""\['[^'"\\]+'(, '[^'"\\]+')*\]"""
# any other Python list: each label in single quotes (group 1) or in double quotes (group 2)
QUOTED_LABEL = """'([^']*)'|"([^"]*)\""""

# GIL switch interval while the lookup thread runs (Python's default: 5 ms); on the 2024 postings file 0.5 ms
# took ~0.1-0.2 s off an ingest of ~1.6 s
GIL_SWITCH_SECONDS = 0.0005


@contextmanager
def _lookup_thread() -> Iterator[ThreadPoolExecutor]:
    """One worker thread for the Python lookups (titles, places), with a shorter GIL switch interval while it
    runs: the SQL thread needs the GIL between statements and while DuckDB scans the file's Arrow table, and
    waits up to the interval each time the lookup thread holds it."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="careerlens-lookups") as pool:
            yield pool
    finally:
        sys.setswitchinterval(previous)


def _pair_rows(
    rows: NDArray[np.int64], keys: NDArray[np.uint64], usd: NDArray[np.float64], *, pair: bool
) -> pa.Table:
    """Each row's job, from rows in file order (numpy over whole columns, not a loop per row):
    ``kept_row`` (the job's first row), ``rows_collapsed``, its pay (a pair's midpoint) and pay range.

    With ``pair``, rows pair up within each run of neighbours with equal ``keys`` from the run's start
    (0-1, 2-3, ...): a row at an odd position in its run is a pair's second row, at an even one its first
    when the run goes on (docs/data-rules.md).
    """
    n = len(rows)
    same_as_prev = np.zeros(n, dtype=bool)
    same_as_prev[1:] = keys[1:] == keys[:-1]
    if pair:
        pos = np.arange(n)
        run_start = np.maximum.accumulate(np.where(same_as_prev, 0, pos))
        second = (pos - run_start) % 2 == 1
        run_goes_on = np.zeros(n, dtype=bool)
        run_goes_on[:-1] = same_as_prev[1:]
        first = ~second & run_goes_on
    else:
        second = first = np.zeros(n, dtype=bool)
    # a second row's partner is the row before it, a first row's the row after it (never past either end)
    partner = usd.copy()
    partner[1:][second[1:]] = usd[:-1][second[1:]]
    partner[:-1][first[:-1]] = usd[1:][first[:-1]]
    kept = rows.copy()
    kept[1:][second[1:]] = rows[:-1][second[1:]]
    paired = second | first
    table = pa.table(
        {
            "row_number": rows, "attr_key": keys, "kept_row": kept,
            "rows_collapsed": np.where(paired, 2, 1).astype(np.int32),
            "salary_usd": np.where(paired, (usd + partner) / 2, usd),
            "salary_usd_min": np.minimum(usd, partner), "salary_usd_max": np.maximum(usd, partner),
        }
    )  # fmt: skip
    return pa.Table.from_batches(table.to_batches(max_chunksize=ARROW_BATCH_ROWS), schema=table.schema)


def _classify(titles: list[str]) -> pa.Table:
    from careerlens.normalize.titles import classify_titles

    classes = classify_titles(titles)
    return pa.table(
        {
            "title": titles,
            "role": [c.role for c in classes],
            "level": [c.level for c in classes],
            "specialisation": [c.specialisation for c in classes],
            "confidence": pa.array([c.confidence for c in classes], pa.float64()),
        }
    )


def _try_cast(col: str, sql_type: str, *, commas: bool = False) -> str:
    """SQL: the value (a number, a timestamp) in a text column, NULL when there is none. The plain cast goes
    first: it skips ASCII spaces around a value itself, so trim() (no-break spaces) and dropping thousands
    separators ("1,000") are only tried when it fails. Same values as the cast of the cleaned text (checked on
    2*10^5 random strings), without two string copies per row: ~10% of an ai-jobs ingest."""
    cleaned = f"replace(trim({col}), ',', '')" if commas else f"trim({col})"
    return f"coalesce(TRY_CAST({col} AS {sql_type}), TRY_CAST({cleaned} AS {sql_type}))"


Places = list[tuple[str | None, str | None]]


def _places(pairs: Places, *, postings: bool) -> pa.Table:
    """Distinct raw (location, country) → (iso2, region), mapped once per distinct value (``_in_geo``)."""
    isos = [posting_country(loc, cty) if postings else to_iso2(cty) for loc, cty in pairs]
    cols = {
        "loc": [p[0] for p in pairs], "cty": [p[1] for p in pairs], "iso2": isos,
        "region": [region_of(i) for i in isos],
    }  # fmt: skip
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def _skill_labels() -> pa.Table:
    """Lowercased skill ids and aliases → canonical id (postings' own labels are the lexicon's vocabulary)."""
    from careerlens.kb.skills import load_skills

    pairs: dict[str, str] = {}
    for sid in load_skills():
        pairs.setdefault(sid.lower(), sid)
    for sid, skill in load_skills().items():
        for alias in skill.aliases:
            pairs.setdefault(alias.strip().lower(), sid)
    return pa.table({"label": list(pairs), "skill": list(pairs.values())})


class _Job:
    """One ingest's temp tables and SQL; all temp names start with ``_in_``."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, reader: Reader, path: Path, shown: str, sha: str, run_id: str,
        stage: StageCallback,
    ) -> None:  # fmt: skip
        self.con, self.reader, self.path, self.shown = con, reader, path, shown
        self.sha, self.rid, self.stage = sha, run_id, stage
        self.temps: list[str] = []
        self.arrows: list[str] = []
        self.skills_linked = 0

    # -- helpers ------------------------------------------------------------------------------------------
    def temp(self, name: str, sql: str, params: list[Any] | None = None, *, view: bool = False) -> None:
        kind = "VIEW" if view else "TABLE"
        self.con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {sql}", params or [])
        self.temps.append(f"{kind} {name}")

    def register(self, name: str, table: pa.Table) -> None:
        """An Arrow table built here (a lookup, the facts' raw rows, the pairs) as the relation ``name``:
        scanned where it is, not copied, and registered until ``release``."""
        self.con.register(name, table)
        self.arrows.append(name)

    def drop_temps(self) -> None:
        for kind_name in reversed(self.temps):
            self.con.execute(f"DROP {kind_name.replace(' ', ' IF EXISTS ', 1)}")
        self.temps.clear()

    def release(self) -> None:
        """Free the file's in-memory rows and the tables of ``register`` (Arrow tables registered on the
        connection, not temp tables, so a rollback does not remove them)."""
        for view in (RAW_VIEW, *self.arrows):
            self.con.unregister(view)

    def read(self) -> str:
        """The file as a relation of raw rows: a CSV in memory (read once, scanned by every later pass), else
        DuckDB's stream of the file (see Reader.raw_relation)."""
        self.stage("read")
        self.raw, self.raw_table = self.reader.raw_relation(self.con, self.path, arrow_view=RAW_VIEW)
        return self.raw

    def facts_raw(self, rows_sql: str) -> str:
        """The raw rows whose row numbers ``rows_sql`` selects: filtered from the file's rows in memory (in
        the reader's batches, which DuckDB scans with every thread), else read again from the file."""
        if self.raw_table is None:
            self.temp("_in_facts_raw", f"SELECT * FROM {self.raw} WHERE row_number IN ({rows_sql})")
            return "_in_facts_raw"
        rows = np.asarray(self.con.execute(rows_sql).fetchnumpy()["row_number"])
        keep = np.zeros(self.raw_table.num_rows, dtype=bool)
        keep[rows - 1] = True  # row n is at position n - 1 (Reader.raw_relation)
        self.register(FACTS_VIEW, self.raw_table.filter(pa.array(keep)))
        return f"(SELECT * FROM {FACTS_VIEW})"

    @contextmanager
    def any_order(self) -> Iterator[None]:
        """Let DuckDB write a statement's rows in any order, so both threads write: facts are read in key
        order (fact_id, posting_id), never in the order they were stored."""
        self.con.execute("SET SESSION preserve_insertion_order = false")
        try:
            yield
        finally:
            self.con.execute("RESET SESSION preserve_insertion_order")

    def checks_sql(self, checks: list[tuple[str, str, str]]) -> str:
        """q_field, q_reason columns: the first failing check (condition, staging field, reason SQL) wins.

        A condition is evaluated for every row: its cheap test goes first ("posted IS NULL AND ..."), since
        the rest of an AND is evaluated only for the rows that pass it."""
        cond = " ".join(f"WHEN {c} THEN {sql_str(self.reader.field_of(f))}" for c, f, _ in checks)
        why = " ".join(f"WHEN {c} THEN {r}" for c, _, r in checks)
        return f"CASE {cond} END AS q_field, CASE {why} END AS q_reason"

    def write_quarantine(self) -> None:
        """Quarantine rows with their raw source row as JSON (the file is re-read only when some failed)."""
        self.temp("_in_q", "SELECT row_number, q_field, q_reason FROM _in_conv WHERE q_field IS NOT NULL")
        if not self.con.execute("SELECT count(*) FROM _in_q").fetchall()[0][0]:
            return
        self.con.execute(
            f"""
            INSERT INTO quarantine (run_id, file_sha256, file_path, row_number, field, reason, raw)
            SELECT ?, ?, ?, q.row_number, q.q_field, q.q_reason, to_json(r)::VARCHAR
            FROM _in_q q JOIN {self.raw} r USING (row_number) ORDER BY q.row_number
            """,
            [self.rid, self.sha, self.shown],
        )

    def write_duplicates(self, sql: str) -> None:
        self.con.execute(
            f"INSERT INTO duplicates (run_id, file_sha256, row_number, kept_row_number, rule) "
            f"SELECT ?, ?, row_number, kept_row_number, rule FROM ({sql})",
            [self.rid, self.sha],
        )

    def check_accounting(self) -> tuple[int, int, int, int]:
        """Counts of this run; raises StoreError (rolling everything back) unless read = loaded + q + dups."""
        con, rid = self.con, self.rid
        facts = "salaries" if self.reader.dataset == "salaries" else "postings"
        read, loaded, q, dups = con.execute(
            f"""
            SELECT (SELECT count(*) FROM _in_conv), (SELECT count(*) FROM {facts} WHERE run_id = $rid),
                   (SELECT count(DISTINCT row_number) FROM quarantine WHERE run_id = $rid),
                   (SELECT count(*) FROM duplicates WHERE run_id = $rid)
            """,
            {"rid": rid},
        ).fetchall()[0]
        if read != loaded + q + dups:
            raise StoreError(
                f"{self.shown}: accounting mismatch: rows read {read} != loaded {loaded} + quarantined {q} "
                f"+ duplicates {dups}; nothing was written",
                hint="this is a bug in careerlens; please report it with the file",
            )
        return int(read), int(loaded), int(q), int(dups)

    def fx_lookup(self) -> None:
        """_in_fx(cur, y, fx): each currency × year of the FX table's span, with its nearest year's rate."""
        rates = load_fx_table()
        years = range(min(r.year for r in rates), max(r.year for r in rates) + 1)
        rows = [(c, y, usd_per_unit(c, y)) for c in sorted({r.currency for r in rates}) for y in years]
        self.register(
            "_in_fx",
            pa.table(
                {"cur": [r[0] for r in rows], "y": [r[1] for r in rows], "fx": [float(r[2]) for r in rows]}
            ),
        )
        self.fx_years = (years.start, years.stop - 1)

    # -- salaries -----------------------------------------------------------------------------------------
    def run_salaries(self) -> None:
        """The checks and de-duplication read a few columns of every row (``_in_conv``); the facts' other
        columns are normalised only for the rows that become facts (a third of the ai-jobs file)."""
        raw = self.read()
        self.stage("normalise")
        self.fx_lookup()
        levels = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in EXPERIENCE_LEVELS.items())
        checks = self.checks_sql(
            [
                ("title_t IS NULL", "title", "'missing title'"),
                (
                    "y IS NULL", "work_year",
                    "'missing or non-integer year: ' || coalesce(work_year, '<empty>')",
                ),
                ("y NOT BETWEEN 1990 AND 2100", "work_year", "'year out of range 1990-2100: ' || work_year"),
                ("factor IS NULL", "rate", "'unknown pay rate: ' || rate_t"),
                (
                    "salary_usd IS NOT NULL AND usd_given IS NULL", "salary_usd",
                    "'non-numeric salary: ' || salary_usd",
                ),
                (
                    "usd_given IS NULL AND amount IS NULL", "salary",
                    "'missing or non-numeric salary: ' || coalesce(salary, '<empty>')",
                ),
                (
                    "coalesce(usd_given, amount) <= 0", "salary",
                    "'non-positive salary: ' || coalesce(salary_usd, salary)",
                ),
                ("usd_given IS NULL AND cur IS NULL", "currency", "'missing currency'"),
                ("usd_given IS NULL AND fx IS NULL", "currency", "'unknown currency: ' || cur"),
                (f"usd < {MIN_USD_YEAR} OR usd > {MAX_USD_YEAR}", "salary", ABSURD),
            ]
        )  # fmt: skip
        self.temp(
            "_in_conv",
            f"""
            {self.salary_rows_sql(raw)}
            SELECT d.row_number, {checks}, d.usd AS salary_usd,
                   hash(d.work_year, d.experience_level, d.employment_type, d.title, d.currency,
                        d.residence_country, d.remote_ratio, d.company_country, d.company_size, d.rate_t)
                       AS attr_key
            FROM d
            """,
        )
        self.write_quarantine()
        self.stage("write")
        self.dedup_salaries()
        facts_raw = self.facts_raw(
            "SELECT kept_row AS row_number FROM _in_rows WHERE row_number = kept_row AND kept_row = canon_row"
        )
        self.temp(
            "_in_facts",
            f"""
            {self.salary_rows_sql(facts_raw)}
            SELECT c.row_number, c.title_t AS title, c.y AS work_year,
                   NULLIF(upper(trim(c.experience_level)), '') AS experience_level,
                   NULLIF(upper(trim(c.employment_type)), '') AS employment_type,
                   c.cur AS currency, coalesce(c.amount, c.usd_given) AS salary_original,
                   c.company_country AS company_country_raw, c.residence_country AS residence_country_raw,
                   TRY_CAST(TRY_CAST(c.remote_ratio AS DOUBLE) AS INTEGER) AS remote_ratio,
                   CASE WHEN upper(trim(c.company_size)) IN ('S', 'M', 'L')
                        THEN upper(trim(c.company_size)) END AS company_size
            FROM c  -- the facts' pay is _in_rows' (no FX join here)
            """,
            view=True,
        )
        self.stage("classify titles")
        # the facts' distinct titles and countries (NULL included), in one pass over them
        titles, company, residence = self.con.execute(
            "SELECT list(DISTINCT title), list(DISTINCT company_country_raw), "
            "list(DISTINCT residence_country_raw) FROM _in_facts"
        ).fetchall()[0]
        self.register("_in_titles", _classify(sorted(titles or [])))
        self.stage("extract skills")
        countries = sorted({*(company or []), *(residence or [])}, key=lambda c: (c is None, c or ""))
        self.register("_in_geo", _places([(None, c) for c in countries], postings=False))
        base = self.con.execute("SELECT coalesce(max(fact_id), 0) FROM salaries").fetchall()[0][0]
        # fact_id = base + the job's first row number: unique and stable without a sort
        with self.any_order():
            self.con.execute(
                f"""
                INSERT INTO salaries
                SELECT {int(base)} + j.kept_row, ?, ?, j.kept_row, j.rows_collapsed, ?,
                       v.work_year, v.title, coalesce(t.role, 'other'),
                       CASE WHEN t.level IN ('lead', 'executive') THEN t.level
                            ELSE coalesce(CASE v.experience_level {levels} END, t.level, 'unspecified') END,
                       t.specialisation, t.confidence, v.experience_level, v.employment_type,
                       j.salary_usd, j.salary_usd_min, j.salary_usd_max, v.currency,
                       CASE WHEN j.rows_collapsed = 1 THEN v.salary_original END,
                       gc.iso2, gc.region, gr.iso2, v.remote_ratio, v.company_size
                FROM _in_facts v JOIN _in_rows j ON j.kept_row = v.row_number
                LEFT JOIN _in_titles t ON t.title = v.title
                LEFT JOIN _in_geo gc ON gc.cty IS NOT DISTINCT FROM v.company_country_raw
                LEFT JOIN _in_geo gr ON gr.cty IS NOT DISTINCT FROM v.residence_country_raw
                WHERE j.row_number = j.kept_row AND j.kept_row = j.canon_row
                """,
                [self.rid, self.sha, self.reader.label],
            )

    def salary_rows_sql(self, raw: str) -> str:
        """WITH c, d: the rows of ``raw`` with their parsed year, pay, currency and rate (``c``) and USD/year
        (``d.usd``); the checks of every row are selected from ``d``, the columns of the facts from ``c``."""
        lo, hi = self.fx_years
        factors = " ".join(f"WHEN '{k}' THEN {v}" for k, v in RATE_FACTORS.items())
        return f"""
            WITH c AS (
                SELECT s.*, NULLIF(trim(s.title), '') AS title_t, {_try_cast("s.work_year", "INTEGER")} AS y,
                       {_try_cast("s.salary", "DOUBLE", commas=True)} AS amount,
                       {_try_cast("s.salary_usd", "DOUBLE", commas=True)} AS usd_given,
                       NULLIF(upper(trim(s.currency)), '') AS cur,
                       lower(coalesce(NULLIF(trim(s.rate), ''), 'year')) AS rate_t
                FROM ({self.reader.staged_sql(raw)}) s),
            d AS (
                SELECT c.*, x.fx, CASE c.rate_t {factors} END AS factor,
                       coalesce(c.usd_given, c.amount * x.fx) * CASE c.rate_t {factors} END AS usd
                FROM c LEFT JOIN _in_fx x ON x.cur = c.cur AND x.y = least(greatest(c.y, {lo}), {hi}))
            """

    def dedup_salaries(self) -> None:
        """Range pairs (adjacent rows, equal attributes) → one job; then identical jobs → exact duplicates.

        One row per source row that passed the checks in ``_in_rows``: its job's first row (``kept_row``),
        pay and row count (``_pair_rows``), and ``canon_row``, the first job of its kind.
        """
        cols = self.con.execute(
            "SELECT row_number, attr_key, salary_usd FROM _in_conv WHERE q_field IS NULL ORDER BY row_number"
        ).fetchnumpy()
        if any(np.ma.is_masked(col) for col in cols.values()):  # the checks leave no row without pay or key
            raise StoreError(
                f"{self.shown}: a row passed the checks without pay or key; nothing was written",
                hint="this is a bug in careerlens; please report it with the file",
            )
        pairs = _pair_rows(
            np.asarray(cols["row_number"]), np.asarray(cols["attr_key"]), np.asarray(cols["salary_usd"]),
            pair=self.reader.pair_ranges,
        )  # fmt: skip
        self.register(PAIRS_VIEW, pairs)
        self.temp(  # canon: a GROUP BY and a join, cheaper than the same minimum as a partitioned window
            "_in_rows",
            f"""
            WITH canon AS (
                SELECT attr_key, salary_usd_min, salary_usd_max, rows_collapsed, min(kept_row) AS canon_row
                FROM {PAIRS_VIEW} GROUP BY ALL)
            SELECT p.row_number, p.kept_row, p.rows_collapsed, p.salary_usd, p.salary_usd_min,
                   p.salary_usd_max, canon.canon_row
            FROM {PAIRS_VIEW} p JOIN canon USING (attr_key, salary_usd_min, salary_usd_max, rows_collapsed)
            """,
        )
        self.write_duplicates(
            """
            SELECT row_number, canon_row AS kept_row_number,
                   CASE WHEN kept_row <> canon_row OR salary_usd_min = salary_usd_max
                        THEN 'exact_duplicate' ELSE 'range_pair' END AS rule
            FROM _in_rows WHERE row_number <> kept_row OR kept_row <> canon_row
            """
        )

    # -- postings -----------------------------------------------------------------------------------------
    def run_postings(self, *, refresh: bool) -> None:
        """Checks and de-duplication read a few columns of every row (``_in_conv``); the facts' columns are
        normalised from their raw rows (``_in_facts``, a view), read by the skills and the facts' insert."""
        con = self.con
        raw = self.read()
        # Titles and places are looked up in Python, and DuckDB releases the GIL while it runs a statement:
        # a thread classifies the distinct titles (of every row: a superset of the facts') from the start,
        # while this thread runs SQL only.
        self.stage("classify titles")
        titles_sql = f"{self.postings_rows_sql(raw)} SELECT DISTINCT title_t FROM c WHERE title_t IS NOT NULL"
        titles = [r[0] for r in con.execute(titles_sql).fetchall()]
        with _lookup_thread() as pool:
            classes = pool.submit(_classify, titles)
            self.stage("normalise")
            self.normalise_postings(raw)
            self.write_quarantine()
            self.stage("write")
            self.dedup_postings()
            facts_raw = self.facts_raw(
                "SELECT row_number FROM _in_conv "
                "WHERE q_field IS NULL AND row_number NOT IN (SELECT row_number FROM _in_dups)"
            )
            base = con.execute("SELECT coalesce(max(posting_id), 0) FROM postings").fetchall()[0][0]
            self.temp(
                "_in_facts",
                f"""
                {self.postings_rows_sql(facts_raw)}
                SELECT {int(base)} + d.row_number AS posting_id, d.row_number, d.title_t AS title,
                       NULLIF(trim(d.search_category), '') AS search_category,
                       NULLIF(trim(d.company), '') AS company, NULLIF(trim(d.location), '') AS location,
                       d.location AS location_raw, d.country AS country_raw, d.posted AS posted_date,
                       d.y AS year, month(d.posted) AS month, NULLIF(trim(d.industry), '') AS industry,
                       d.usd AS salary_usd, d.rate_t AS salary_rate,
                       NULLIF(trim(d.description), '') AS description, d.skills, d.desc_hash
                FROM d
                """,
                view=True,
            )
            # the facts' places, mapped in the same thread after the titles
            pairs = con.execute(
                "SELECT DISTINCT location_raw, country_raw FROM _in_facts ORDER BY ALL"
            ).fetchall()
            places = pool.submit(_places, pairs, postings=True)
            self.stage("extract skills")
            self.link_skills()
            self.register("_in_titles", classes.result())
            self.register("_in_geo", places.result())
        with self.any_order():
            con.execute(
                """
                INSERT INTO postings
                SELECT f.posting_id, ?, ?, f.row_number, ?, f.title, coalesce(t.role, 'other'),
                       coalesce(t.level, 'unspecified'), t.specialisation,
                       f.search_category, f.company, f.location,
                       g.iso2, g.region, f.posted_date, f.year, f.month, f.industry, f.salary_usd,
                       f.salary_rate, f.description IS NOT NULL
                FROM _in_facts f LEFT JOIN _in_titles t ON t.title = f.title
                LEFT JOIN _in_geo g ON g.loc IS NOT DISTINCT FROM f.location_raw
                                    AND g.cty IS NOT DISTINCT FROM f.country_raw
                """,
                [self.rid, self.sha, self.reader.label],
            )
        if refresh:
            from careerlens.store.aggregates import refresh_aggregates

            refresh_aggregates(con)

    def postings_rows_sql(self, raw: str, extra: str = "") -> str:
        """WITH c, d: the rows of ``raw`` with their parsed title, date, year and pay (``usd``) and the hash
        of their text; the checks of every row and the columns of the facts are selected from ``d``, the
        distinct titles from ``c``. ``extra``: more columns of the raw rows (Reader.staged_sql)."""
        pd = "trim(s.posted_date)"
        date_sql = (
            f"coalesce(({_try_cast('s.posted_date', 'TIMESTAMP')})::DATE, TRY_CAST({pd} AS DATE), "
            f"try_strptime({pd}, '%m/%d/%Y')::DATE)"
        )
        return f"""
            WITH c AS (
                SELECT s.*, NULLIF(trim(s.title), '') AS title_t, {date_sql} AS posted,
                       {_try_cast("s.year", "INTEGER")} AS y_default,
                       {_try_cast("s.salary_year", "DOUBLE", commas=True)} AS sy,
                       {_try_cast("s.salary_hour", "DOUBLE", commas=True)} AS sh
                FROM ({self.reader.staged_sql(raw, extra=extra)}) s),
            d AS (
                SELECT c.*, coalesce(c.sy, c.sh * {RATE_FACTORS["hour"]}) AS usd,
                       CASE WHEN c.sy IS NOT NULL THEN 'year' WHEN c.sh IS NOT NULL THEN 'hour' END AS rate_t,
                       coalesce(year(c.posted), c.y_default) AS y,
                       md5(lower(regexp_replace(trim(c.description), '\\s+', ' ', 'g'))) AS desc_hash
                FROM c)
            """

    def normalise_postings(self, raw: str) -> None:
        """_in_conv: one row per source row with its checks (q_field, q_reason) and what the duplicate rules
        read."""
        checks = self.checks_sql(
            [
                ("title_t IS NULL", "title", "'missing title'"),
                (
                    "posted IS NULL AND NULLIF(trim(posted_date), '') IS NOT NULL", "posted_date",
                    "'unparseable date: ' || posted_date",
                ),
                ("y IS NULL", "posted_date", "'missing date (and no default year in the mapping)'"),
                ("y NOT BETWEEN 1990 AND 2100", "posted_date", "'year out of range 1990-2100: ' || y"),
                (
                    "sy IS NULL AND NULLIF(trim(salary_year), '') IS NOT NULL", "salary_year",
                    "'non-numeric salary: ' || salary_year",
                ),
                (
                    "sh IS NULL AND NULLIF(trim(salary_hour), '') IS NOT NULL", "salary_hour",
                    "'non-numeric salary: ' || salary_hour",
                ),
                (
                    f"usd IS NOT NULL AND (usd < {MIN_USD_YEAR} OR usd > {MAX_USD_YEAR})", "salary_year",
                    ABSURD,
                ),
            ]
        )  # fmt: skip
        raw_hash = "hash(*COLUMNS(* EXCLUDE (row_number))) AS raw_hash"  # 64-bit hash of every raw column
        self.temp(
            "_in_conv",
            f"""
            {self.postings_rows_sql(raw, extra=raw_hash)}
            SELECT d.row_number, {checks}, d.posted AS posted_date, d.desc_hash,
                   NULLIF(trim(d.company), '') IS NOT NULL AS has_company,
                   NULLIF(trim(d.description), '') IS NOT NULL AS has_text,
                   hash(lower(NULLIF(trim(d.company), '')),
                        lower(trim(regexp_replace(d.title_t, '[^A-Za-z0-9]+', ' ', 'g'))),
                        lower(NULLIF(trim(d.location), ''))) AS repost_key,
                   d.raw_hash
            FROM d
            """,
        )

    def dedup_postings(self) -> None:
        """Exact duplicate rows first, then reposts among the rest (docs/data-rules.md)."""
        key = "repost_key"  # hash of lower(company), normalised title, lower(location)
        self.temp(
            "_in_dups",
            f"""
            WITH v AS (
                SELECT row_number, has_company, repost_key, posted_date, desc_hash, has_text,
                       first_value(row_number) OVER (PARTITION BY raw_hash ORDER BY row_number) AS canon
                FROM _in_conv WHERE q_field IS NULL),
            u AS (SELECT * FROM v WHERE canon = row_number AND has_company),
            text AS (
                SELECT row_number, first_value(row_number) OVER (
                    PARTITION BY {key}, desc_hash ORDER BY row_number) AS kept
                FROM u WHERE has_text),
            nodesc AS (
                SELECT *, CASE WHEN posted_date - lag(posted_date) OVER (
                                   PARTITION BY {key} ORDER BY posted_date, row_number) <=
                                       {REPOST_WINDOW_DAYS}
                               THEN 0 ELSE 1 END AS brk
                FROM u WHERE NOT has_text AND posted_date IS NOT NULL),
            isl AS (
                SELECT *, sum(brk) OVER (PARTITION BY {key} ORDER BY posted_date, row_number
                                         ROWS UNBOUNDED PRECEDING) AS island
                FROM nodesc),
            dated AS (
                SELECT row_number, first_value(row_number) OVER (
                    PARTITION BY {key}, island ORDER BY posted_date, row_number) AS kept
                FROM isl)
            SELECT row_number, canon AS kept_row_number, 'exact_duplicate' AS rule
            FROM v WHERE canon <> row_number
            UNION ALL SELECT row_number, kept, 'repost' FROM text WHERE kept <> row_number
            UNION ALL SELECT row_number, kept, 'repost' FROM dated WHERE kept <> row_number
            """,
        )
        self.write_duplicates("SELECT * FROM _in_dups")

    def link_skills(self) -> None:
        """posting_skills from the source's own labels ('source_label') and description text ('extractor')."""
        con = self.con
        before = con.execute("SELECT count(*) FROM posting_skills").fetchall()[0][0]
        self.register("_in_labels", _skill_labels())
        plain, quoted = sql_str(PLAIN_LABEL_LIST), sql_str(QUOTED_LABEL)
        con.execute(
            f"""
            INSERT INTO posting_skills
            WITH d AS MATERIALIZED (  -- each distinct list string, numbered once; later steps use the number
                SELECT skills, row_number() OVER () AS k
                FROM (SELECT DISTINCT skills FROM _in_facts WHERE NULLIF(trim(skills), '') IS NOT NULL)),
            l AS (  -- each distinct list string is parsed once: "['sql', 'power bi']" or "sql, power bi"
                SELECT k,
                       unnest(CASE WHEN regexp_full_match(skills, {plain})  -- the common form: split
                                   THEN string_split(skills[3:-3], ''', ''')
                                   WHEN trim(skills) LIKE '[%'  -- a Python list: 'a "b"' and "a's" are labels
                                   THEN list_concat(regexp_extract_all(skills, {quoted}, 1),
                                                    regexp_extract_all(skills, {quoted}, 2))
                                   ELSE string_split(skills, ',') END) AS label
                FROM d),
            s AS (SELECT DISTINCT l.k, m.skill FROM l JOIN _in_labels m ON m.label = lower(trim(l.label)))
            SELECT f.posting_id, s.skill, 'source_label'
            FROM _in_facts f JOIN d USING (skills) JOIN s USING (k)
            """
        )
        texts = con.execute(
            "SELECT desc_hash, any_value(description) FROM _in_facts WHERE description IS NOT NULL "
            "GROUP BY desc_hash ORDER BY desc_hash"
        ).fetchall()
        if texts:
            from careerlens.normalize.skills import extract_many

            found = extract_many([t for _, t in texts])
            hashes = [h for (h, _), skills in zip(texts, found, strict=True) for _ in skills]
            ids = [s for skills in found for s in skills]
            self.register(
                "_in_dskills",
                pa.table({"desc_hash": pa.array(hashes, pa.string()), "skill": pa.array(ids, pa.string())}),
            )
            con.execute(
                """
                INSERT INTO posting_skills
                SELECT DISTINCT f.posting_id, d.skill, 'extractor'
                FROM _in_facts f JOIN _in_dskills d USING (desc_hash)
                """
            )
        after = con.execute("SELECT count(*) FROM posting_skills").fetchall()[0][0]
        self.skills_linked = int(after - before)
