"""The JSON API and the pages through TestClient: shapes, status codes, errors, escaping, security headers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from careerlens.settings import Settings
from careerlens.web.app import create_app

PAGES = ["/roles", "/compare", "/salary", "/skills", "/paths", "/advisor", "/about"]
XSS = "<script>alert(1)</script>"


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_roles_list_and_one_role_by_alias(client: TestClient) -> None:
    roles = client.get("/api/v1/roles").json()
    ids = {r["id"] for r in roles}
    assert {"machine_learning_engineer", "ai_engineer"} <= ids
    one = client.get("/api/v1/roles/MLE").json()
    assert one["id"] == "machine_learning_engineer"
    assert one["skills"] and one["levels"]


def test_unknown_role_is_a_json_404_with_a_hint(client: TestClient) -> None:
    r = client.get("/api/v1/roles/astronaut")
    assert r.status_code == 404
    body = r.json()
    assert body["error"] == "UnknownRoleError"
    assert "astronaut" in body["message"]
    assert body["hint"]


def test_salary_has_n_and_withholds_small_cells(client: TestClient) -> None:
    body = client.get("/api/v1/salary", params={"role": "mle", "by_level": True}).json()
    assert body["schema"] == "careerlens.salary/v1"
    assert body["n"] == 40 + 60 + 80 + 35 + 3
    levels = {lv["level"]: lv for lv in body["by_level"]}
    assert levels["senior"]["n"] == 80 and levels["senior"]["median"] > 0
    assert levels["executive"]["withheld"] is True and levels["executive"]["median"] is None


def test_salary_filters_and_bad_filters(client: TestClient) -> None:
    ok = client.get("/api/v1/salary", params={"role": "ai engineer", "region": "North America", "year": 2024})
    assert ok.status_code == 200 and ok.json()["filters"]["year"] == 2024
    bad = client.get("/api/v1/salary", params={"role": "mle", "level": "galactic"})
    assert bad.status_code == 422 and bad.json()["error"] == "InputError"
    wrong_type = client.get("/api/v1/salary", params={"role": "mle", "year": "soon"})
    assert wrong_type.status_code == 422
    assert set(wrong_type.json()) == {"error", "message", "hint"}


def test_salary_by_level_endpoint(client: TestClient) -> None:
    rows = client.get("/api/v1/salary/by-level", params={"role": "data_scientist"}).json()
    assert [r["filters"]["level"] for r in rows][:4] == ["entry", "mid", "senior", "lead"]


def test_compare_is_cached_and_symmetric_in_names(client: TestClient, app: Any) -> None:
    r1 = client.get("/api/v1/compare", params={"a": "mle", "b": "ai-engineer"})
    assert r1.status_code == 200
    body = r1.json()
    assert body["a"]["id"] == "machine_learning_engineer" and body["b"]["id"] == "ai_engineer"
    assert body["premium"]["n_a"] > 0 and body["verdicts"]
    hits = app.state.cache.hits
    r2 = client.get("/api/v1/compare", params={"a": "Machine Learning Engineer", "b": "AI Engineer"})
    assert r2.json() == body
    assert app.state.cache.hits == hits + 1


def test_compare_same_role_twice_is_422(client: TestClient) -> None:
    r = client.get("/api/v1/compare", params={"a": "mle", "b": "machine_learning_engineer"})
    assert r.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/skills/top?role=mle",
        "/api/v1/demand?by=year",
        "/api/v1/demand?role=ai_engineer&by=month",
        "/api/v1/converge?a=mle&b=data_scientist",
        "/api/v1/premium?role=data_engineer",
        "/api/v1/ladder",
        "/api/v1/paths?from_role=data_analyst&to_role=mle",
        "/api/v1/about",
        "/api/v1/questions",
    ],
)
def test_other_endpoints_answer(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text


def test_ladder_has_pay_per_step(client: TestClient) -> None:
    lad = client.get("/api/v1/ladder").json()
    assert lad["pay_available"] is True
    senior_mle = next(n for n in lad["nodes"] if n["id"] == "machine_learning_engineer:senior")
    assert senior_mle["n"] == 80 and senior_mle["median_usd"] > 0
    assert lad["edges"]


def test_about_hides_private_paths(client: TestClient) -> None:
    body = client.get("/api/v1/about").json()
    assert body["store"]["tables"]["salaries"] == 6 * (40 + 60 + 80 + 35 + 3)
    assert body["store"]["quarantine_by_reason"][0]["n"] == 1
    assert "/home/someone" not in str(body)


def test_unknown_paths_json_for_api_html_for_pages(client: TestClient) -> None:
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    assert api.json()["error"] == "NotFound"
    html = client.get("/nothing-here")
    assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")
    assert "Not found" in html.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_hosts(client: TestClient, path: str) -> None:
    html = client.get(path).text
    external = re.findall(r"""(?:src|href|action)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", html, re.I)
    assert not external, external


def test_vendored_plotly_is_served(client: TestClient) -> None:
    r = client.get("/static/vendor/plotly.min.js")
    assert r.status_code == 200 and len(r.content) > 1_000_000
    assert client.get("/static/vendor/plotly.LICENSE.txt").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/salary?role={XSS}",
        f"/salary?role=mle&country={XSS}",
        f"/compare?a={XSS}&b=ai_engineer",
        f"/skills?role={XSS}",
        f"/paths?role={XSS}",
        f"/paths?from_role={XSS}&to_role=mle",
        f"/{XSS}",
    ],
)
def test_script_in_query_comes_back_escaped(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code < 500
    assert "<script>alert(1)" not in r.text
    assert "</script><script" not in r.text


def test_script_in_api_query_is_plain_json(client: TestClient) -> None:
    r = client.get("/api/v1/compare", params={"a": XSS, "b": "mle"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert XSS in r.json()["message"]  # JSON is data, not markup; browsers never render it as HTML


@pytest.fixture
def broken_client(tmp_path: Path) -> Any:
    """An app over a warehouse whose salaries table lacks its columns, plus a route with a bug in it."""
    db = tmp_path / "broken.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE salaries (oops INTEGER)")
    con.close()
    app = create_app(Settings(db_path=db, min_n=5, bootstrap_samples=50))

    def bug() -> None:
        raise RuntimeError("secret internals in /srv/careerlens/app.py line 42")

    app.add_api_route("/api/v1/bug", bug)
    app.add_api_route("/bug", bug)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


LEAKS = ("Traceback", 'File "', "secret internals", "site-packages", ".py", "RuntimeError")


@pytest.mark.parametrize("path", ["/api/v1/bug", "/bug"])
def test_internal_error_leaks_no_traceback(broken_client: TestClient, path: str) -> None:
    r = broken_client.get(path)
    assert r.status_code == 500
    for leak in LEAKS:
        assert leak not in r.text, leak
    if path.startswith("/api"):
        assert r.json()["error"] == "InternalError" and r.json()["hint"]
    else:
        assert r.headers["content-type"].startswith("text/html")
        assert "Something went wrong" in r.text


@pytest.mark.parametrize(
    "path", ["/api/v1/salary?role=mle", "/salary?role=mle", "/compare", "/api/v1/ladder"]
)
def test_broken_store_fails_cleanly(broken_client: TestClient, path: str) -> None:
    r = broken_client.get(path)
    assert r.status_code in (200, 500, 503)
    for leak in ("Traceback", 'File "', "site-packages"):
        assert leak not in r.text, leak


def test_missing_store_is_503_with_a_hint(tmp_path: Path) -> None:
    app = create_app(Settings(db_path=tmp_path / "none.duckdb", snapshot_dir=tmp_path / "no-snapshot"))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/compare", params={"a": "mle", "b": "ai_engineer"})
        assert r.status_code == 503
        assert r.json()["error"] == "StoreError" and r.json()["hint"]
        page = c.get("/salary")
        assert page.status_code == 503 and "Not available yet" in page.text
        assert c.get("/roles").status_code == 200  # the knowledge base needs no store


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/v1/compare", "/api/v1/salary", "/api/v1/advise/resume", "/healthz", "/api/v1/ladder"):
        assert p in paths
    assert not any(p.startswith(("/roles", "/salary", "/static")) for p in paths)  # pages stay out


def test_missing_module_is_503_json_and_friendly_page(settings: Settings) -> None:
    """While a library module is missing, its endpoint and page say so instead of crashing."""
    from careerlens.web.deps import feature
    from careerlens.web.render import page

    app = create_app(settings)

    def api_route() -> None:
        feature("the crystal ball", "careerlens.crystal_ball", "predict")

    def page_route(request: Request) -> Any:
        feature("the crystal ball", "careerlens.crystal_ball", "predict")
        return page(request, "roles.html", active="roles", roles=[], kb=None)

    app.add_api_route("/api/v1/crystal-ball", api_route)
    app.add_api_route("/crystal-ball", page_route)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/crystal-ball")
        assert r.status_code == 503
        assert r.json()["error"] == "FeatureUnavailableError"
        assert "not available yet" in r.json()["message"]
        html = c.get("/crystal-ball")
        assert html.status_code == 503 and "Not available yet" in html.text
        assert "Traceback" not in html.text


def test_serve_command_binds_to_localhost_by_default() -> None:
    from typer.testing import CliRunner

    from careerlens.cli.main import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--host" in result.output and "127.0.0.1" in result.output
    assert "--port" in result.output and "--db" in result.output


@pytest.mark.skipif(
    not (Settings().snapshot_dir / "manifest.json").exists(), reason="no bundled snapshot in this checkout"
)
def test_pages_over_the_bundled_snapshot(tmp_path: Path) -> None:
    """The real data shipped with the package renders on every page (no user warehouse: the snapshot)."""
    app = create_app(Settings(db_path=tmp_path / "no-warehouse.duckdb"))
    with TestClient(app, raise_server_exceptions=False) as c:
        for path in ("/compare", "/salary?role=ai_engineer&region=Europe", "/skills", "/paths", "/about"):
            r = c.get(path)
            assert r.status_code == 200, (path, r.text[:300])
        about = c.get("/api/v1/about").json()
        assert about["store"]["kind"] == "snapshot" and about["store"]["snapshot_date"]
