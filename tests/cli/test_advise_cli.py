"""`careerlens advise` through the real entry point: personas, JSON, every bad input (exit 2, a clear
message, no traceback), and the personal report (PDF rendered to PNG with pdftoppm, charts present)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from careerlens.cli.main import app

_BUILDERS = Path(__file__).parents[1] / "fixtures" / "advisor" / "resume_builders.py"


def _builders() -> ModuleType:
    spec = importlib.util.spec_from_file_location("advisor_resume_builders_cli", _BUILDERS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rb = _builders()
runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """--db pointing at no warehouse, and no snapshot: the advice must work without market data."""
    monkeypatch.setenv("CAREERLENS_DB", str(tmp_path / "absent.duckdb"))
    return ["--db", str(tmp_path / "absent.duckdb")]


def _run(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args)
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out, out
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, out


def test_help() -> None:
    code, out = _run(["advise", "--help"])
    assert code == 0
    for opt in ("--answers", "--resume", "--target", "--region", "--report", "--db", "--json"):
        assert opt in out


def test_resume_pdf_rich_output(tmp_path: Path, db: list[str]) -> None:
    pdf = rb.make_pdf(tmp_path / "analyst.pdf", rb.ANALYST)
    code, out = _run(["advise", "--resume", str(pdf), "--target", "data_scientist", *db])
    assert code == 0, out
    assert "Role fit" in out and "Data Analyst" in out
    assert "Skill gaps for Data Scientist" in out and "Learning plan" in out and "Path" in out


def test_json_output(tmp_path: Path, db: list[str]) -> None:
    docx = rb.make_docx(tmp_path / "backend.docx", rb.BACKEND, rb.BACKEND_TABLE)
    code, out = _run(["advise", "--resume", str(docx), "--target", "AI Engineer", "--json", *db])
    assert code == 0, out
    data = json.loads(out)
    assert data["schema"] == "careerlens.advice/v1"
    assert data["target"] == "ai_engineer"
    assert {"llm", "rag"} <= {g["skill"] for g in data["gaps"][:8]}
    assert data["fits"][0]["rank"] == 1 and "reasons" in data["fits"][0]


def test_answers_file(tmp_path: Path, db: list[str]) -> None:
    f = tmp_path / "answers.toml"
    f.write_text('work_focus = "infrastructure"\ninfrastructure = "love"\nyears = 4\n', encoding="utf-8")
    code, out = _run(["advise", "--answers", str(f), "--json", *db])
    assert code == 0, out
    assert json.loads(out)["fits"][0]["role"] in ("mlops_engineer", "cloud_engineer")


def _encrypted(d: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = rb.make_pdf(d / "plain.pdf", rb.SENIOR_MLE)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="pw")
    out = d / "encrypted.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _file(path: Path, data: bytes | str, size: int | None = None) -> Path:
    with path.open("wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        if size is not None:
            fh.truncate(size)
    return path


def _not_word(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("data.csv", "a,b\n1,2\n")
    return path


# case → (build the file, words the message must contain); each test builds only its own file
BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "corrupt pdf": (
        lambda d: _file(d / "corrupt.pdf", b"%PDF-1.4\n%%garbage\n" + os.urandom(2000)),
        "corrupt",
    ),
    "encrypted pdf": (_encrypted, "encrypted"),
    "empty file": (lambda d: _file(d / "empty.docx", b""), "empty"),
    "over 10 MB": (lambda d: _file(d / "huge.pdf", b"%PDF-1.7\n", 10 * 1024 * 1024 + 1), "too large"),
    "wrong type with .pdf extension": (
        lambda d: _file(d / "photo.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 500),
        "not a PDF, DOCX or text file",
    ),
    "zip that is not a docx": (lambda d: _not_word(d / "not-a-resume.docx"), "not a Word document"),
    "docx zip bomb": (lambda d: rb.make_zip_bomb(d / "bomb.docx"), "zip bomb"),
    "german resume": (lambda d: _file(d / "lebenslauf.txt", rb.GERMAN), "English"),
    "chinese resume": (lambda d: _file(d / "jianli.md", rb.CHINESE), "non-Latin script"),
    "missing file": (lambda d: d / "nope.pdf", "not found"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_resume_exits_2_with_a_clear_message(tmp_path: Path, db: list[str], case: str) -> None:
    build, expected = BAD_FILES[case]
    path = build(tmp_path)
    code, out = _run(["advise", "--resume", str(path), *db])
    assert code == 2, out
    assert "error:" in out and expected.lower() in out.lower().replace("\n", " ")
    code, out = _run(["advise", "--resume", str(path), "--json", *db])
    assert code == 2
    assert json.loads(out)["error"] in ("ResumeError", "InputError")


@pytest.mark.parametrize("name", ["resume", "resume.txt", "cv.jpeg"])
def test_wrong_or_missing_extension_is_sniffed(tmp_path: Path, db: list[str], name: str) -> None:
    pdf = rb.make_pdf(tmp_path / "real.pdf", rb.SENIOR_MLE)
    target = tmp_path / name
    target.write_bytes(pdf.read_bytes())
    code, out = _run(["advise", "--resume", str(target), "--json", *db])
    assert code == 0, out
    assert json.loads(out)["profile"]["level"] == "senior"


@pytest.mark.parametrize(
    ("content", "needle"),
    [('work_focus = "juggling"', "work_focus"), ('hobby = "chess"', "hobby"), ("years = [", "invalid TOML")],
)
def test_bad_answers_name_file_and_question(tmp_path: Path, db: list[str], content: str, needle: str) -> None:
    f = tmp_path / "answers.toml"
    f.write_text(content, encoding="utf-8")
    code, out = _run(["advise", "--answers", str(f), *db])
    assert code == 2 and "answers.toml" in out and needle in out


def test_no_inputs_and_no_tty_is_a_clear_error(db: list[str]) -> None:
    code, out = _run(["advise", *db])
    assert code == 2
    assert "no answers and no resume" in out and "--answers" in out


def test_unknown_target(tmp_path: Path, db: list[str]) -> None:
    pdf = rb.make_pdf(tmp_path / "cv.pdf", rb.ANALYST)
    code, out = _run(["advise", "--resume", str(pdf), "--target", "astronaut", *db])
    assert code == 2 and "unknown role 'astronaut'" in out


def test_bad_report_name(tmp_path: Path, db: list[str]) -> None:
    pdf = rb.make_pdf(tmp_path / "cv.pdf", rb.ANALYST)
    code, out = _run(["advise", "--resume", str(pdf), "--report", str(tmp_path / "out.docx"), *db])
    assert code == 2 and "out.md, out.html or out.pdf" in out


def test_markdown_and_html_reports(tmp_path: Path, db: list[str]) -> None:
    md_resume = tmp_path / "junior.md"
    md_resume.write_text("\n".join(rb.JUNIOR_AI), encoding="utf-8")
    for name in ("me.md", "me.html"):
        out_path = tmp_path / name
        code, out = _run(["advise", "--resume", str(md_resume), "--report", str(out_path), *db])
        assert code == 0, out
        text = out_path.read_text(encoding="utf-8")
        assert "Skill gaps for AI Engineer" in text and "Learning plan" in text
    html = (tmp_path / "me.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3
    assert "http://" not in html and "https://" not in html
    pngs = list(tmp_path.rglob("*.png"))
    assert len(pngs) == 3  # the Markdown report's charts are written beside it


def test_pdf_report_renders_with_charts(tmp_path: Path, db: list[str]) -> None:
    docx = rb.make_docx(tmp_path / "mle.docx", rb.SENIOR_MLE, rb.SENIOR_MLE_TABLE)
    out_pdf = tmp_path / "report.pdf"
    code, out = _run(["advise", "--resume", str(docx), "--report", str(out_pdf), *db])
    assert code == 0, out
    from pypdf import PdfReader

    reader = PdfReader(out_pdf)
    images = 0
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object() if "/Resources" in page else {}
        xobjects: Any = resources.get("/XObject")
        if xobjects:
            images += sum(1 for o in xobjects.get_object().values() if o.get_object()["/Subtype"] == "/Image")
    assert images >= 3  # fit, skill coverage, salary along the path
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Machine Learning Engineer" in text and "Learning plan" in text

    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is required under CI (install poppler-utils)")
        pytest.skip("pdftoppm (poppler-utils) is not installed; install it to render the report to PNG")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out_pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == len(reader.pages)
    from matplotlib.image import imread

    for page_png in pages:
        pixels = imread(str(page_png))
        assert pixels.std() > 0.01, f"{page_png.name} is blank"


def test_ask_reads_the_questionnaire_from_the_terminal(db: list[str]) -> None:
    from careerlens.kb.questions import load_questionnaire

    qn = load_questionnaire()
    # pick the option whose id we want by its number; multi and number questions take text
    wanted = {
        "work_focus": "models",
        "math": "love",
        "research_shipping": "paper",
        "leadership": "individual",
    }
    lines: list[str] = []
    for q in qn.questions:
        if q.kind == "number":
            lines.append("2")
        elif q.kind == "multi":
            lines.append("6")
        else:
            ids = [o.id for o in q.options]
            lines.append(str(ids.index(wanted[q.id]) + 1 if q.id in wanted else 1))
    lines.append("python, pytorch, telepathy")  # the skills question; unknown names are skipped
    result = runner.invoke(app, ["advise", "--ask", "--json", *db], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["fits"][0]["role"] == "research_scientist"
    assert data["profile"]["skills"] == ["python", "pytorch"]
    assert data["profile"]["years_experience"] == 2


def test_ask_and_answers_conflict(tmp_path: Path, db: list[str]) -> None:
    f = tmp_path / "a.toml"
    f.write_text('math = "love"\n', encoding="utf-8")
    code, out = _run(["advise", "--ask", "--answers", str(f), *db])
    assert code == 2 and "--ask and --answers" in out
