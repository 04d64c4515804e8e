-- careerlens warehouse schema (DuckDB). This file is the contract between ingest (writes) and analytics (reads).
-- Levels: entry|mid|senior|lead|executive|unspecified. Roles: the ids of labels/ROLES.md (see kb/data/roles.toml).
-- Pay is always USD per year. Countries are ISO-3166 alpha-2; region is one of kb region names (normalize/geo.py).

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id        VARCHAR PRIMARY KEY,     -- uuid4 hex
    dataset       VARCHAR NOT NULL,        -- 'salaries' | 'postings'
    source        VARCHAR NOT NULL,        -- reader name: 'ai-jobs' | 'postings' | 'generic' | ...
    source_name   VARCHAR NOT NULL,        -- human label of the data set, e.g. 'aijobs.net salary index (CC0)'
    file_path     VARCHAR NOT NULL,
    file_sha256   VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    rows_read     BIGINT,
    loaded        BIGINT,
    quarantined   BIGINT,
    duplicates    BIGINT,
    status        VARCHAR NOT NULL         -- 'running' | 'done' | 'skipped' (same file already ingested)
);

-- Fact ids (salaries.fact_id, postings.posting_id) are unique by construction: an ingest numbers its facts
-- max(id) + the row number of their first source row, inside its one transaction (DuckDB lets one process open
-- a warehouse file for writing; an ingest runs on one connection). They carry no PRIMARY KEY: its index is never
-- read (analytics scan), and building and committing it cost ~9% of an ai-jobs ingest (ingests of the file
-- alternating with and without it). Warehouses created with the key keep it; both work.
-- One row per distinct job in a salary survey (ai-jobs pairs collapsed, exact duplicates counted apart).
CREATE TABLE IF NOT EXISTS salaries (
    fact_id         BIGINT NOT NULL,
    run_id          VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL,
    row_number      BIGINT NOT NULL,        -- 1-based data row (header excluded) of the first source row of this job
    rows_collapsed  INTEGER NOT NULL,       -- source rows that make this job (2 for a low/high range pair)
    source          VARCHAR NOT NULL,       -- reader name (ai-jobs), or the mapping file stem for --source generic
    work_year       INTEGER NOT NULL,
    title           VARCHAR NOT NULL,
    role            VARCHAR NOT NULL,
    level           VARCHAR NOT NULL,
    specialisation  VARCHAR,
    title_confidence DOUBLE,
    experience_level VARCHAR,               -- raw code of the source (EN/MI/SE/EX)
    employment_type VARCHAR,                -- FT/PT/CT/FL
    salary_usd      DOUBLE NOT NULL,        -- USD/year; midpoint of a range pair
    salary_usd_min  DOUBLE,
    salary_usd_max  DOUBLE,
    currency        VARCHAR,
    salary_original DOUBLE,
    company_country VARCHAR,
    region          VARCHAR,
    residence_country VARCHAR,
    remote_ratio    INTEGER,
    company_size    VARCHAR                 -- S/M/L
);

-- Source rows not loaded as their own fact because they repeat another one; kept so nothing disappears silently.
CREATE TABLE IF NOT EXISTS duplicates (
    run_id          VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL,
    row_number      BIGINT NOT NULL,
    kept_row_number BIGINT NOT NULL,        -- row_number of the fact it was merged into
    rule            VARCHAR NOT NULL        -- 'range_pair' | 'exact_duplicate' | 'repost'
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id       VARCHAR NOT NULL,
    file_sha256  VARCHAR NOT NULL,
    file_path    VARCHAR NOT NULL,
    row_number   BIGINT NOT NULL,
    field        VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    raw          VARCHAR                    -- the source row as JSON (NULL in the bundled snapshot)
);

-- One row per distinct job posting.
CREATE TABLE IF NOT EXISTS postings (
    posting_id      BIGINT NOT NULL,        -- unique (see salaries.fact_id)
    run_id          VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL,
    row_number      BIGINT NOT NULL,
    source          VARCHAR NOT NULL,       -- 'postings', or the mapping stem (e.g. 'glassdoor_ds_jobs_2020')
    title           VARCHAR NOT NULL,
    role            VARCHAR NOT NULL,
    level           VARCHAR NOT NULL,
    specialisation  VARCHAR,
    search_category VARCHAR,                -- e.g. job_title_short: the search that found it, not a label
    company         VARCHAR,
    location        VARCHAR,
    country         VARCHAR,
    region          VARCHAR,
    posted_date     DATE,
    year            INTEGER,
    month           INTEGER,
    industry        VARCHAR,
    salary_usd      DOUBLE,                 -- USD/year (hourly * 2080), NULL when the posting has none
    salary_rate     VARCHAR,                -- 'year' | 'hour' | NULL
    has_description BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS posting_skills (
    posting_id  BIGINT NOT NULL,
    skill       VARCHAR NOT NULL,           -- canonical skill id of kb/data/skills.toml
    method      VARCHAR NOT NULL            -- 'source_label' | 'extractor'
);

-- Aggregates over postings. Analytics on postings read only these, so the bundled snapshot (which may not
-- redistribute raw postings) and a user's warehouse answer the same queries. Rebuilt by the first reader after
-- postings ingests (store/aggregates.py: ensure_aggregates).
CREATE TABLE IF NOT EXISTS agg_posting_counts (
    source VARCHAR, role VARCHAR, level VARCHAR, country VARCHAR, region VARCHAR,
    year INTEGER, month INTEGER, industry VARCHAR,
    n_postings BIGINT, n_with_skills BIGINT, n_genai BIGINT
);
CREATE TABLE IF NOT EXISTS agg_posting_skills (
    source VARCHAR, role VARCHAR, level VARCHAR, country VARCHAR, region VARCHAR,
    year INTEGER, month INTEGER, industry VARCHAR, skill VARCHAR,
    n_postings BIGINT
);
