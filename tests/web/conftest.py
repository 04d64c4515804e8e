"""Fixtures of the web tests: a throwaway warehouse with known data, the app in-process (TestClient), a real
uvicorn server started through `careerlens serve`, and headless Debian chromium driven by Playwright.

Browser tests are skipped with a loud notice when /usr/bin/chromium is missing, except under CI=true, where a
missing browser fails them instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from careerlens.settings import Settings
from careerlens.store.aggregates import refresh_aggregates
from careerlens.store.warehouse import open_warehouse
from careerlens.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
POSTINGS_DIR = ROOT / "tests" / "fixtures" / "postings"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Debian chromium; CAREERLENS_TEST_CHROMIUM points elsewhere (test_harness.py: a missing chromium)
CHROMIUM = Path(os.environ.get("CAREERLENS_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SOURCE_NAME = "web test salary survey"

# (role, level, n, median) — n below 30 is withheld; several levels per role so the charts have boxes
SALARY_CELLS: list[tuple[str, str, int, float]] = [
    (role, level, n, base * mult)
    for role, base in (
        ("machine_learning_engineer", 150_000),
        ("ai_engineer", 155_000),
        ("software_engineer", 140_000),
        ("data_scientist", 130_000),
        ("data_engineer", 125_000),
        ("data_analyst", 85_000),
    )
    for level, n, mult in (
        ("entry", 40, 0.7),
        ("mid", 60, 0.9),
        ("senior", 80, 1.1),
        ("lead", 35, 1.35),
        ("executive", 3, 1.6),
    )
]


def build_warehouse(path: Path) -> Path:
    """A real warehouse: salaries of six roles × five levels, the postings fixture, a quarantine row."""
    store = open_warehouse(path)
    con = store.con
    con.execute(
        "INSERT INTO ingest_runs (run_id, dataset, source, source_name, file_path, file_sha256, started_at, "
        "finished_at, rows_read, loaded, quarantined, duplicates, status) VALUES "
        "('run-s', 'salaries', 'test', ?, '/home/someone/private/salaries.csv', 'sha-s', ?, ?, "
        "0, 0, 1, 0, 'done'), ('fixture', 'postings', 'postings', 'postings fixture', 'postings.csv', "
        "'sha-p', ?, ?, 74, 74, 0, 0, 'done')",
        [SOURCE_NAME, datetime(2025, 1, 1), datetime(2025, 1, 1), datetime(2025, 1, 2), datetime(2025, 1, 2)],
    )
    rng = np.random.default_rng(7)
    rows: list[tuple[Any, ...]] = []
    fact = 1
    for role, level, n, median in SALARY_CELLS:
        for i in range(n):
            year = 2023 + (i % 2)
            region, country = (("North America", "US"), ("Europe & Central Asia", "DE"))[i % 3 == 0]
            size = "SML"[i % 3]
            spec = "genai" if role == "ai_engineer" and i % 2 == 0 else None
            pay = float(median * np.exp(rng.normal(0, 0.15)))
            rows.append(
                (
                    fact,
                    "run-s",
                    "sha-s",
                    fact,
                    1,
                    "test",
                    year,
                    role,
                    role,
                    level,
                    spec,
                    pay,
                    country,
                    region,
                    size,
                )
            )
            fact += 1
    con.executemany(
        "INSERT INTO salaries (fact_id, run_id, file_sha256, row_number, rows_collapsed, source, work_year, "
        "title, role, level, specialisation, salary_usd, company_country, region, company_size) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.execute(
        "INSERT INTO quarantine VALUES ('run-s', 'sha-s', '/home/someone/private/salaries.csv', 7, "
        "'salary_in_usd', 'not a number: abc', NULL)"
    )
    for table in ("postings", "posting_skills"):
        csv = str(POSTINGS_DIR / f"{table}.csv")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header=true)", [csv])
    refresh_aggregates(con)
    store.close()
    return path


@pytest.fixture(scope="session")
def warehouse_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("wh") / "template.duckdb")


def copy_of(template: Path, dest_dir: Path) -> Path:
    """A private copy: DuckDB locks a file per process; the server and the in-process app each open one."""
    dest = dest_dir / "warehouse.duckdb"
    shutil.copyfile(template, dest)
    return dest


@pytest.fixture(scope="session")
def settings(warehouse_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = copy_of(warehouse_template, tmp_path_factory.mktemp("app"))
    return Settings(db_path=db, min_n=5, bootstrap_samples=200, seed=7)


@pytest.fixture(scope="session")
def app(settings: Settings) -> Any:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    # raise_server_exceptions=False: a test sees the 500 page a visitor would see, not the exception
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not answer /healthz in time")


@pytest.fixture(scope="session")
def server(warehouse_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 and a free port, started the way a user starts it."""
    db = copy_of(warehouse_template, tmp_path_factory.mktemp("server"))
    port = free_port()
    log = (tmp_path_factory.mktemp("log") / "server.log").open("wb")
    env = {**os.environ, "CAREERLENS_MIN_N": "5"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "careerlens.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--db", str(db)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: browser tests cannot run (install it with `make browser`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI=true requires them", pytrace=False)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A banner nobody can miss when the browser tests were skipped for want of chromium."""
    if CHROMIUM.exists():
        return
    skipped = terminalreporter.stats.get("skipped", [])
    if any("chromium is missing" in str(getattr(r, "longrepr", "")) for r in skipped):
        terminalreporter.write_sep(
            "!", f"SKIPPING BROWSER TESTS: {CHROMIUM} is missing (make browser)", red=True
        )


class PageErrors:
    """Console errors and uncaught page errors collected while a test drives a page."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def console(self, msg: Any) -> None:
        if msg.type == "error":
            self.messages.append(f"console: {msg.text}")

    def pageerror(self, exc: Any) -> None:
        self.messages.append(f"pageerror: {exc}")


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page whose console errors fail the test; a screenshot is saved as an artefact at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = context.new_page()
    errors = PageErrors()
    pg.on("console", errors.console)
    pg.on("pageerror", errors.pageerror)
    # any request to another host is a bug (no CDN, no tracking): fail it and remember it
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test's own result
        pass
    context.close()
    assert not outside, f"the page requested other hosts: {outside}"
    assert not errors.messages, "\n".join(errors.messages)


RESUME_LINES = [
    "Jane Doe",
    "Machine Learning Engineer",
    "",
    "Experience",
    "Machine Learning Engineer, Acme Corp    Jan 2020 - Present",
    "Built and deployed PyTorch models in Python; Docker, Kubernetes, AWS; pipelines in SQL and Spark.",
    "Data Analyst, Beta Inc    Jun 2017 - Dec 2019",
    "Dashboards in Tableau, analysis in SQL and Python, A/B tests and statistics.",
    "",
    "Education",
    "MSc Computer Science, 2017",
    "",
    "Skills: Python, PyTorch, SQL, Docker, Kubernetes, AWS, Spark, MLflow, statistics",
]


def resume_text(extra: list[str] | None = None) -> str:
    return "\n".join(RESUME_LINES + (extra or []))


def write_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(path: Path, text: str) -> Path:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(str(path))
    return path


@pytest.fixture(scope="session")
def resume_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(tmp_path_factory.mktemp("resume") / "jane doe resume.pdf", resume_text())


@pytest.fixture(scope="session")
def resume_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(tmp_path_factory.mktemp("resume") / "jane.docx", resume_text())
