"""Resume uploads: size limit while streaming, content sniffing, no files left behind, no paths from names,
rate limiting, and escaping of whatever the resume says."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from careerlens.settings import Settings
from careerlens.web.app import create_app
from careerlens.web.deps import TokenBucket
from careerlens.web.errors import UploadTooLargeError
from careerlens.web.uploads import FORM_OVERHEAD, BodyLimit, read_form

from .conftest import resume_text, write_docx, write_pdf

XSS = "<script>alert(1)</script>"


@pytest.fixture
def clean_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the process's temp dir at an empty folder, so anything an upload leaves behind shows up."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    yield tmp


@pytest.fixture
def upload_client(settings: Settings) -> Iterator[TestClient]:
    """An app of its own, so the rate limit of one test does not spill into another."""
    app = create_app(settings, upload_capacity=100, upload_refill_per_s=100)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def post_resume(client: TestClient, data: bytes, name: str = "resume.pdf", ctype: str = "application/pdf",
                **fields: str) -> Any:  # fmt: skip
    return client.post("/api/v1/advise/resume", files={"file": (name, data, ctype)}, data=fields)


@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
def test_resume_upload_gives_advice_and_leaves_no_file(
    upload_client: TestClient, clean_tmp: Path, tmp_path: Path, kind: str
) -> None:
    src = tmp_path / f"cv.{kind}"
    if kind == "pdf":
        write_pdf(src, resume_text())
    elif kind == "docx":
        write_docx(src, resume_text())
    else:
        src.write_text(resume_text(), encoding="utf-8")
    r = post_resume(
        upload_client, src.read_bytes(), name=src.name, answers=json.dumps({"work_focus": "models"})
    )
    assert r.status_code == 200, r.text
    advice = r.json()
    assert advice["schema"] == "careerlens.advice/v1"
    assert {"python", "pytorch"} <= set(advice["profile"]["skills"])
    assert advice["fits"] and advice["path"]
    assert list(clean_tmp.iterdir()) == []


def test_failed_upload_leaves_no_file(upload_client: TestClient, clean_tmp: Path) -> None:
    r = post_resume(upload_client, b"%PDF-1.4\n this is not really a pdf \n%%EOF", name="broken.pdf")
    assert r.status_code == 422
    assert r.json()["error"] == "ResumeError"
    assert list(clean_tmp.iterdir()) == []


def test_type_comes_from_the_bytes_not_the_name_or_content_type(
    upload_client: TestClient, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "x.pdf", resume_text()).read_bytes()
    r = post_resume(upload_client, pdf, name="holiday.png", ctype="image/png")
    assert r.status_code == 200, r.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    r = post_resume(upload_client, png, name="resume.pdf", ctype="application/pdf")
    assert r.status_code == 422 and r.json()["error"] == "ResumeError"


def test_filename_is_never_a_path(upload_client: TestClient, tmp_path: Path, clean_tmp: Path) -> None:
    evil = "../../../../tmp/careerlens-pwned.txt"
    r = post_resume(upload_client, resume_text().encode(), name=evil, ctype="text/plain")
    assert r.status_code == 200, r.text
    assert not Path("/tmp/careerlens-pwned.txt").exists()
    assert not list(Path("/tmp").glob("careerlens-pwned*"))
    assert list(clean_tmp.iterdir()) == []


def test_too_large_upload_is_413_before_reading_it(upload_client: TestClient, settings: Settings) -> None:
    big = b"%PDF-1.4\n" + b"0" * (settings.max_upload_bytes + 1)
    r = post_resume(upload_client, big)
    assert r.status_code == 413
    assert r.json()["error"] == "UploadTooLargeError" and r.json()["hint"]


def test_too_large_streamed_upload_without_length_is_cut_off(settings: Settings) -> None:
    """A chunked body (no Content-Length) is counted as it arrives and refused once it passes the limit."""
    boundary = "XyZ"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    chunks = [head] + [b"0" * (1024 * 1024)] * 50  # 50 MB if nobody stops reading
    received = {"bytes": 0}

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        received["bytes"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/advise/resume",
        "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())],
    }
    # a thread of its own: the browser tests' Playwright loop may be running in this one
    with ThreadPoolExecutor(1) as pool, pytest.raises(UploadTooLargeError):
        pool.submit(asyncio.run, read_form(Request(scope, receive), settings.max_upload_bytes)).result()
    assert received["bytes"] <= settings.max_upload_bytes + 2 * 1024 * 1024


def test_too_large_json_or_form_body_is_413(upload_client: TestClient, settings: Settings) -> None:
    """FastAPI reads a JSON body (or a urlencoded form) whole before it checks any field's max_length."""
    too_long = "a" * (settings.max_upload_bytes + FORM_OVERHEAD + 1)
    body = json.dumps({"resume_text": too_long})
    r = upload_client.post("/api/v1/advise", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == "UploadTooLargeError" and r.json()["hint"]
    page = upload_client.post("/advisor/report", data={"inputs": too_long})
    assert page.status_code == 413 and "That file is too large" in page.text


def test_body_limit_cuts_off_a_streamed_body_without_length(settings: Settings) -> None:
    chunks = [b"0" * (1024 * 1024)] * 50  # 50 MB if nobody stops reading
    received = {"bytes": 0}

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        received["bytes"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def read_everything(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass

    async def send(message: Any) -> None:
        raise AssertionError("nothing is sent before the body is refused")

    limited = BodyLimit(read_everything, settings.max_upload_bytes)
    scope = {"type": "http", "method": "POST", "path": "/api/v1/advise", "headers": []}
    with ThreadPoolExecutor(1) as pool, pytest.raises(UploadTooLargeError):
        pool.submit(asyncio.run, limited(scope, receive, send)).result()
    assert received["bytes"] <= settings.max_upload_bytes + 2 * 1024 * 1024


def test_upload_needs_a_file(upload_client: TestClient) -> None:
    r = upload_client.post("/api/v1/advise/resume", data={"target": "mle"})
    assert r.status_code in (400, 422)
    r = upload_client.post(
        "/api/v1/advise/resume", content=b"plain body", headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 400 and r.json()["error"] == "BadRequestError"


def test_rate_limit_answers_429_with_retry_after(settings: Settings) -> None:
    app = create_app(settings, upload_capacity=2, upload_refill_per_s=0.01)
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [
            post_resume(c, resume_text().encode(), name="r.txt", ctype="text/plain").status_code
            for _ in range(3)
        ]
        assert codes[:2] == [200, 200]
        assert codes[2] == 429
        r = post_resume(c, b"x", name="r.txt")
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) >= 1
        assert r.json()["error"] == "RateLimitedError"
        assert c.get("/healthz").status_code == 200  # only uploads are limited


def test_token_bucket_refills() -> None:
    b = TokenBucket(capacity=2, rate=1.0)
    assert b.take("a", now=0.0) == 0 and b.take("a", now=0.0) == 0
    wait = b.take("a", now=0.0)
    assert wait == pytest.approx(1.0)
    assert b.take("b", now=0.0) == 0  # per client
    assert b.take("a", now=1.5) == 0


def test_script_in_resume_comes_back_escaped(upload_client: TestClient) -> None:
    text = resume_text([f"Senior {XSS} Engineer, Evil Corp    Jan 2024 - Present", f"Skills: python, {XSS}"])
    files = {"resume": ("cv.txt", text.encode(), "text/plain")}
    page = upload_client.post("/advisor", files=files, data={"work_focus": "models", "skills": "python"})
    assert page.status_code == 200, page.text[:1000]
    assert "<script>alert(1)" not in page.text
    bad_skill = upload_client.post("/advisor", files=files, data={"skills": XSS})
    assert bad_skill.status_code == 422
    assert "<script>alert(1)" not in bad_skill.text
    api = post_resume(upload_client, text.encode(), name="cv.txt", ctype="text/plain")
    assert api.status_code == 200 and api.headers["content-type"].startswith("application/json")


def test_advisor_form_without_resume_and_bad_answers(upload_client: TestClient) -> None:
    ok = upload_client.post("/advisor", data={"work_focus": "applications", "years": "3"}, files={})
    assert ok.status_code == 200 and "Fit ranking" in ok.text
    empty = upload_client.post("/advisor", data={}, files={"resume": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422 and "nothing to advise on" in empty.text


def test_advise_json_and_report_round_trip(upload_client: TestClient) -> None:
    inputs = {"answers": {"work_focus": "models", "skills": ["python", "sql"]}, "target": "mle"}
    r = upload_client.post("/api/v1/advise", json=inputs)
    assert r.status_code == 200, r.text
    assert r.json()["target"] == "machine_learning_engineer"
    for fmt, magic in (("md", b"#"), ("html", b"<"), ("pdf", b"%PDF")):
        rep = upload_client.post("/api/v1/advise/report", params={"format": fmt}, json=inputs)
        assert rep.status_code == 200, rep.text[:300]
        assert rep.content.lstrip().startswith(magic)
    page = upload_client.post("/advisor/report", data={"inputs": json.dumps(inputs), "format": "md"})
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    bad = upload_client.post("/advisor/report", data={"inputs": "{not json", "format": "pdf"})
    assert bad.status_code == 422
    assert "not valid" in bad.text


def test_form_parser_keeps_only_a_display_label() -> None:
    from careerlens.web.uploads import _label

    assert _label("../../etc/passwd") == "passwd"
    assert _label("C:\\Users\\x\\cv.pdf") == "cv.pdf"
    assert _label("..") == "resume"
    assert _label(None) == "resume"
    assert "<" not in _label("<b>.pdf")
