"""Reader for the aijobs.net salary index (ai_jobs_salaries.csv, CC0): one row per salary *value*, see
data-rules."""

from __future__ import annotations

from careerlens.sources import Reader, register

AI_JOBS_COLUMNS = (
    "work_year", "experience_level", "employment_type", "job_title", "salary", "salary_currency",
    "salary_in_usd",
    "employee_residence", "remote_ratio", "company_location", "company_size",
)  # fmt: skip

_MAP = {
    "title": "job_title",
    "work_year": "work_year",
    "experience_level": "experience_level",
    "employment_type": "employment_type",
    "salary": "salary",
    "currency": "salary_currency",
    "salary_usd": "salary_in_usd",
    "company_country": "company_location",
    "residence_country": "employee_residence",
    "remote_ratio": "remote_ratio",
    "company_size": "company_size",
}


@register("ai-jobs")
def ai_jobs_reader() -> Reader:
    """aijobs.net / foorilla salaries.csv: 11 columns, pay already annual, salary_in_usd preferred over FX."""
    return Reader(
        name="ai-jobs",
        dataset="salaries",
        source_name="aijobs.net salary index (CC0)",
        column_map={**{k: f'"{v}"' for k, v in _MAP.items()}, "rate": "'year'"},
        field_names={**_MAP, "rate": "salary"},
        required_columns=AI_JOBS_COLUMNS,
        pair_ranges=True,
    )
