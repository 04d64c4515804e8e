"""End-to-end: every page in headless chromium against a real server; charts render, no console errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def plotted_points(page: Any, selector: str) -> int:
    """Points in the Plotly figure drawn in ``selector`` (sum over traces of x, y or box medians)."""
    page.wait_for_selector(f"{selector}.js-plotly-plot", timeout=15_000)
    return int(
        page.evaluate(
            """(sel) => {
                const el = document.querySelector(sel);
                return (el.data || []).reduce((acc, t) => {
                    const xs = t.x || t.y || t.median || [];
                    return acc + xs.filter((v) => v !== null && v !== undefined).length;
                }, 0);
            }""",
            selector,
        )
    )


def test_roles_page_shows_a_card_per_role(page: Any) -> None:
    page.goto("/roles")
    cards = page.locator("article.role-card")
    assert cards.count() >= 10
    mle = page.locator("#role-machine_learning_engineer")
    assert "Machine Learning Engineer" in mle.inner_text()
    assert mle.locator(".skill").count() >= 10


def test_compare_page_selector_and_charts(page: Any) -> None:
    page.goto("/compare")
    assert plotted_points(page, "#fig-compare-salary") > 0
    assert page.locator("#verdicts tbody tr").count() >= 1
    # choose another pair with the selector: the form submits itself on change
    with page.expect_navigation():
        page.select_option("#compare-b", "data_scientist")
    assert "b=data_scientist" in page.url
    assert "Data Scientist" in page.locator("#salary").inner_text()
    assert plotted_points(page, "#fig-compare-salary") > 0
    assert plotted_points(page, "#fig-compare-demand") > 0


def test_salary_filters_redraw_the_chart(page: Any) -> None:
    page.goto("/salary")
    assert plotted_points(page, "#fig-salary-levels") > 0
    with page.expect_navigation():
        page.select_option("#f-role", "ai_engineer")
    with page.expect_navigation():
        page.select_option("#f-region", "North America")
    page.fill("#f-year", "2024")
    with page.expect_navigation():
        page.click("#salary-filters button[type=submit]")
    assert re.search(r"role=ai_engineer.*region=North", page.url)
    assert "year=2024" in page.url
    assert plotted_points(page, "#fig-salary-levels") > 0
    table = page.locator("#salary-table").inner_text()
    assert "n=" in page.locator("#salary-summary").inner_text()
    assert "withheld" in table  # executive has 3 jobs, below min n
    # every box carries its n as an annotation
    notes = page.evaluate(
        "() => document.querySelector('#fig-salary-levels').layout.annotations.map(a => a.text)"
    )
    assert any(n.startswith("n=") for n in notes)


def test_salary_bad_filter_shows_message_not_error_page(page: Any) -> None:
    page.goto("/salary?role=mle&country=Atlantis")
    assert "unknown country" in page.locator("#filter-error").inner_text()


def test_skills_and_demand_page(page: Any) -> None:
    page.goto("/skills?role=machine_learning_engineer")
    assert plotted_points(page, "#fig-top-skills") > 0
    assert plotted_points(page, "#fig-demand") > 0


def test_paths_page_draws_the_ladder(page: Any) -> None:
    page.goto("/paths")
    assert plotted_points(page, "#fig-ladder") > 10
    page.select_option("#p-from", "data_analyst")
    page.select_option("#p-to", "machine_learning_engineer")
    with page.expect_navigation():
        page.click("#path-form button[type=submit]")
    steps = page.locator("#path-result li")
    assert steps.count() >= 1


def test_about_page(page: Any) -> None:
    page.goto("/about")
    text = page.locator("#store").inner_text()
    assert "salaries" in text and "quarantine" in text
    assert "/home/someone" not in page.content()  # private paths are reduced to file names


def test_advisor_with_uploaded_resume(page: Any, resume_pdf: Path) -> None:
    page.goto("/advisor")
    page.set_input_files("#resume", str(resume_pdf))
    page.check("#q-work_focus input[value=models]")
    with page.expect_navigation():
        page.click("#advise-submit")
    assert page.locator("#fit tbody tr").count() >= 3
    assert plotted_points(page, "#fig-fit") >= 3
    assert "python" in page.locator("#profile-skills").inner_text().lower()
    assert page.locator("#path li").count() >= 1
    # the report downloads without the server keeping anything
    with page.expect_download() as dl:
        page.click("#report-md")
    assert dl.value.suggested_filename == "careerlens-advice.md"


def test_error_page_is_friendly(page: Any) -> None:
    resp = page.goto("/no/such/page")
    assert resp is not None and resp.status == 404
    assert "Not found" in page.locator("h1").inner_text()
    page.errors.messages.clear()  # the browser logs the 404 of the document itself


def test_compare_screenshot_for_readme(page: Any) -> None:
    """docs/screenshot.png: the compare page as the README shows it."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto("/compare?a=machine_learning_engineer&b=ai_engineer")
    assert plotted_points(page, "#fig-compare-salary") > 0
    page.wait_for_timeout(300)
    (ROOT / "artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "compare.png"), full_page=False)
