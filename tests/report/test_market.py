"""The market report in Markdown, HTML and PDF on the postings fixture plus a few salary facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from careerlens.analytics.skills import top_skills
from careerlens.errors import InputError
from careerlens.kb.roles import load_kb
from careerlens.report.charts import top_skills_chart
from careerlens.report.market import market_report, write_report
from careerlens.report.render import Chart, Report, Section, Table, latin1, to_html, to_markdown
from careerlens.settings import get_settings
from careerlens.store.aggregates import refresh_aggregates
from careerlens.store.warehouse import Store, open_warehouse

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "postings"
EVIL = "<script>alert('x')</script>"


class EvilNameKB:
    """The real knowledge base, except that the ML engineer's display name carries a script tag."""

    def __init__(self) -> None:
        self._kb = load_kb()
        self.roles = self._kb.roles

    def role(self, alias: str) -> Any:
        r = self._kb.role(alias)
        return (
            r.model_copy(update={"name": f"{EVIL} ML Engineer"}) if r.id == "machine_learning_engineer" else r
        )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    # module scope: rendering the charts is the slow part, so the report is built once for these tests
    with open_warehouse(tmp_path_factory.mktemp("market") / "market.duckdb") as s:
        for table in ("postings", "posting_skills"):
            s.con.execute(f"COPY {table} FROM '{FIXTURE / (table + '.csv')}' (HEADER, NULLSTR '')")
        refresh_aggregates(s.con)
        rows = [
            (
                i,
                "r",
                "sha",
                i,
                1,
                "t",
                2024,
                "ML Engineer",
                "machine_learning_engineer",
                "senior",
                150_000 + 1000 * i,
            )
            for i in range(1, 41)
        ]
        s.con.executemany(
            "INSERT INTO salaries (fact_id, run_id, file_sha256, row_number, rows_collapsed, source, "
            "work_year, title, role, level, salary_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        yield s


@pytest.fixture(scope="module")
def report(store: Store) -> Report:
    return market_report(store, EvilNameKB(), settings=get_settings(db=store.path, min_n=5))


def test_report_has_every_section_with_charts(report: Report) -> None:
    headings = [s.heading for s in report.sections]
    assert headings == [
        "Salary by role and level",
        "Demand",
        "Top skills",
        "GenAI share",
        "Convergence",
        "Skill pay premium in postings",
        "Data caveats",
    ]
    names = {c.name for c in report.charts()}
    assert {"salary_by_level", "demand_by_month", "genai_share", "convergence"} <= names
    assert "top_skills_machine_learning_engineer" in names
    for chart in report.charts():
        assert chart.png.startswith(b"\x89PNG") and "n = " in chart.caption and "Source:" in chart.caption


def test_chart_as_svg(store: Store) -> None:
    t = top_skills(store, "mle", min_n=5)
    chart = top_skills_chart(t, svg=True)
    assert chart.svg is not None and "<svg" in chart.svg and "n=8" in chart.svg.replace(" ", "")


def test_markdown_writes_chart_files(report: Report, tmp_path: Path) -> None:
    files = write_report(report, tmp_path / "market.md")
    md = (tmp_path / "market.md").read_text(encoding="utf-8")
    pngs = sorted((tmp_path / "market_charts").glob("*.png"))
    assert len(pngs) == len(report.charts()) == len(files) - 1
    for png in pngs:
        assert f"](market_charts/{png.name})" in md
    assert "## Data caveats" in md and "too few data" in md


def test_html_is_self_contained_and_escaped(report: Report, tmp_path: Path) -> None:
    write_report(report, tmp_path / "market.html")
    html = (tmp_path / "market.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == len(report.charts())
    assert EVIL not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html


def test_pdf_holds_the_chart_images(report: Report, tmp_path: Path) -> None:
    write_report(report, tmp_path / "market.pdf")
    data = (tmp_path / "market.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(tmp_path / "market.pdf")
    assert sum(len(page.images) for page in reader.pages) == len(report.charts())
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Data caveats" in text


def test_unknown_extension(report: Report, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        write_report(report, tmp_path / "market.docx")


def test_generic_report_rendering() -> None:
    chart = Chart(name="c", title="T", png=b"\x89PNG fake", caption="cap n = 3")
    r = Report(
        "Personal <b>report</b>",
        [Section("A | B", ["para"], [Table(["x", "y"], [[None, 1234.5], ["a|b", 3]])], [chart], ["point"])],
    )
    md = to_markdown(r)
    assert "| – | 1,234 |" in md and "a\\|b" in md and "![T](c.png)" in md
    html = to_html(r)
    assert "Personal &lt;b&gt;report&lt;/b&gt;" in html and "data:image/png;base64," in html


def test_latin1_replaces_what_core_fonts_cannot_print() -> None:
    assert latin1("Sep–Dec · ≥ 30 — naïve “AI” 東") == 'Sep-Dec . >= 30 - naïve "AI" ?'
