"""Reader for Luke Barousse's data_jobs postings (CSV/CSV.GZ, 16-17 columns; licence not stated →
aggregates only)."""

from __future__ import annotations

from careerlens.sources import Reader, register

POSTINGS_COLUMNS = (
    "job_title_short", "job_title", "job_location", "job_posted_date", "job_country",
    "salary_year_avg", "salary_hour_avg", "company_name", "job_skills",
)  # fmt: skip

_MAP = {
    "title": "job_title",
    "search_category": "job_title_short",
    "company": "company_name",
    "location": "job_location",
    "country": "job_country",
    "posted_date": "job_posted_date",
    "salary_year": "salary_year_avg",
    "salary_hour": "salary_hour_avg",
    "skills": "job_skills",
}


@register("postings")
def postings_reader() -> Reader:
    """data_jobs: job_skills is a Python-list string of skill labels (the lexicon's vocabulary); no
    description."""
    return Reader(
        name="postings",
        dataset="postings",
        source_name="Luke Barousse data_jobs postings (licence not stated)",
        column_map={k: f'"{v}"' for k, v in _MAP.items()},
        field_names=dict(_MAP),
        required_columns=POSTINGS_COLUMNS,
        label_vocab=True,
    )
