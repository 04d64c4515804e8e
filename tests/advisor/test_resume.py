"""Reading resumes: real PDF (one and two columns), DOCX (with tables), TXT and Markdown; type by content;
every bad input is a ResumeError with a clear message; date ranges, years of experience, level estimate."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader, PdfWriter

from careerlens.advisor.resume import (
    level_from_years,
    parse_date_range,
    parse_resume,
    read_resume,
    years_of_experience,
)
from careerlens.errors import ResumeError

TODAY = dt.date(2026, 11, 15)


def test_pdf_two_columns_are_read_column_by_column(tmp_path: Path, rb: ModuleType) -> None:
    pdf = rb.make_pdf(tmp_path / "cv.pdf", rb.RESEARCHER_LEFT, rb.RESEARCHER_RIGHT)
    text = read_resume(pdf)
    assert text.kind == "pdf" and text.columns_detected
    lines = text.text.splitlines()
    # the left column is read top to bottom before the right one: no line mixes both columns
    assert "Postdoctoral Researcher (ML)" in lines
    assert lines.index("Postdoctoral Researcher (ML)") < lines.index("Tech University, 2018 - 2022")
    assert lines.index("Tech University, 2018 - 2022") < lines.index("SKILLS")
    assert not any("EXPERIENCE" in ln and "SKILLS" in ln for ln in lines)


def test_pdf_one_column(tmp_path: Path, rb: ModuleType) -> None:
    text = read_resume(rb.make_pdf(tmp_path / "cv.pdf", rb.ANALYST))
    assert not text.columns_detected
    assert "Senior Data Analyst, RetailCo | Jun 2021 - Present" in text.text


def test_docx_paragraphs_and_tables(tmp_path: Path, rb: ModuleType) -> None:
    text = read_resume(rb.make_docx(tmp_path / "cv.docx", rb.BACKEND, rb.BACKEND_TABLE))
    assert text.kind == "docx"
    assert "Senior Backend Engineer | PayCorp | March 2019 - Present" in text.text
    assert "Infrastructure | Docker, Kubernetes, AWS, Linux" in text.text


def test_markdown_and_text(tmp_path: Path, rb: ModuleType) -> None:
    md = tmp_path / "cv.md"
    md.write_text("\n".join(rb.JUNIOR_AI), encoding="utf-8")
    text = read_resume(md)
    assert text.kind == "md" and "# " not in text.text and "Junior AI Engineer" in text.text
    txt = tmp_path / "cv.txt"
    txt.write_text("\n".join(rb.SENIOR_MLE), encoding="utf-8")
    assert read_resume(txt).kind == "txt"


@pytest.mark.parametrize("name", ["resume.txt", "resume", "resume.docx"])
def test_type_is_sniffed_from_content_not_extension(tmp_path: Path, rb: ModuleType, name: str) -> None:
    pdf = rb.make_pdf(tmp_path / "real.pdf", rb.ANALYST)
    renamed = tmp_path / name
    renamed.write_bytes(pdf.read_bytes())
    assert read_resume(renamed).kind == "pdf"


def _encrypted_pdf(tmp_path: Path, rb: ModuleType) -> Path:
    src = rb.make_pdf(tmp_path / "plain.pdf", rb.ANALYST)
    writer = PdfWriter()
    for page in PdfReader(src).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = tmp_path / "locked.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _scanned(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")  # a page with a picture and no text, like a scan
    pdf.output(str(path))
    return path


def _many_pages(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for k in range(41):
        pdf.add_page()
        pdf.cell(100, 10, f"Chapter {k}: the data scientist and the machine learning engineer")
    pdf.output(str(path))
    return path


FRENCH = (
    "Expérience professionnelle. Analyste de données chez Exemple SA depuis 2020, responsable des tableaux "
    "de bord et des rapports pour la direction. Je travaille avec les équipes du marketing et de la finance "
    "sur la qualité des données, et je participe à la formation des nouveaux collègues dans le groupe. "
    "Formation: master en statistique à l'université de Lyon, avec un mémoire sur les séries temporelles."
)
CORRUPT = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage" + bytes(range(256)) * 4
MANY = {"word/document.xml": "<w:document/>", **{f"word/media/p{k}.xml": "" for k in range(2100)}}

# case → (build the file in tmp_path, words the message must contain); each test builds only its own file
BAD_INPUTS: dict[str, tuple[Callable[[Path, ModuleType], Path], str]] = {
    "corrupt": (lambda d, rb: _write_bytes(d / "corrupt.pdf", CORRUPT), "corrupt"),
    "encrypted": (lambda d, rb: _encrypted_pdf(d, rb), "encrypted"),
    "empty": (lambda d, rb: _write_bytes(d / "empty.pdf", b""), "empty"),
    "blank": (lambda d, rb: _write_text(d / "blank.txt", "   \n\n  \n"), "empty"),
    "unknown type": (
        lambda d, rb: _write_bytes(d / "resume.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        "not a PDF, DOCX or text file",
    ),
    "old word": (
        lambda d, rb: _write_bytes(d / "cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        "old Word (.doc) or RTF",
    ),
    "too big": (lambda d, rb: _sparse(d / "big.pdf", b"%PDF-1.7\n", 11 * 1024 * 1024), "too large"),
    "zip bomb": (lambda d, rb: rb.make_zip_bomb(d / "bomb.docx"), "zip bomb"),
    "zip not word": (lambda d, rb: _zip(d / "archive.docx", {"notes.txt": "hello"}), "not a Word document"),
    "zip many entries": (lambda d, rb: _zip(d / "many.docx", MANY), "too many parts"),
    "german": (lambda d, rb: _write_text(d / "lebenslauf.txt", rb.GERMAN), "English"),
    "french": (lambda d, rb: _write_text(d / "cv.txt", FRENCH), "French"),
    "chinese": (lambda d, rb: rb.make_docx(d / "jianli.docx", rb.CHINESE.splitlines()), "non-Latin script"),
    "too many pages": (lambda d, rb: _many_pages(d / "thesis.pdf"), "41 pages"),
    "scanned": (lambda d, rb: _scanned(d / "scan.pdf"), "no text"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_a_clear_resume_error(tmp_path: Path, rb: ModuleType, case: str) -> None:
    build, expected = BAD_INPUTS[case]
    path = build(tmp_path, rb)
    with pytest.raises(ResumeError) as err:
        read_resume(path)
    assert expected.lower() in err.value.message.lower()
    assert path.name in err.value.message


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: reading it would take 50 MB of memory
    with pytest.raises(ResumeError, match="too large"):
        read_resume(big)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2020 – Present", dt.date(2020, 1, 1), None),
        ("Data Scientist, Acme | 2019-2021", dt.date(2019, 1, 1), dt.date(2021, 12, 1)),
        ("03/2018 to 06/2020", dt.date(2018, 3, 1), dt.date(2020, 6, 1)),
        ("March 2017 - Dec 2019", dt.date(2017, 3, 1), dt.date(2019, 12, 1)),
        ("2021 – now", dt.date(2021, 1, 1), None),
        ("Sept. 2019 — current", dt.date(2019, 9, 1), None),
        ("2018-03 – 2020-11", dt.date(2018, 3, 1), dt.date(2020, 11, 1)),
        ("since 2022", dt.date(2022, 1, 1), None),
    ],
)
def test_date_ranges(text: str, start: dt.date, end: dt.date | None) -> None:
    assert parse_date_range(text, today=TODAY) == (start, end)


@pytest.mark.parametrize("text", ["Python, SQL, 2 years", "Dec 2019 - Jan 2018", "Phone 2019 555"])
def test_no_date_range(text: str) -> None:
    assert parse_date_range(text, today=TODAY) is None


def test_years_merge_overlapping_ranges() -> None:
    ranges = [
        (dt.date(2018, 1, 1), dt.date(2020, 12, 1)),  # 3 years
        (dt.date(2020, 1, 1), dt.date(2021, 12, 1)),  # overlaps one year: adds 1
        (dt.date(2024, 11, 1), None),  # open: Nov 2024 .. Nov 2026 = 25 months
    ]
    assert years_of_experience(ranges, today=TODAY) == pytest.approx(4 + 25 / 12, abs=0.05)


@pytest.mark.parametrize(
    ("years", "level"), [(0.5, "entry"), (1.9, "entry"), (2, "mid"), (5, "senior"), (9, "lead")]
)
def test_level_from_years(years: float, level: str) -> None:
    assert level_from_years(years) == level


def test_parse_resume_positions_skip_education(rb: ModuleType) -> None:
    profile = parse_resume("\n".join(rb.ANALYST), today=TODAY)
    assert [p.start.year for p in profile.positions] == [2021, 2019]  # the BA 2015–2019 is education
    assert profile.current_role == "data_analyst"
    assert profile.years_experience == pytest.approx(7.9, abs=0.1)
    assert {"sql", "excel", "tableau", "power bi"} <= set(profile.skills)
    assert "bachelor" in profile.degrees


def test_title_level_wins_over_years(rb: ModuleType) -> None:
    profile = parse_resume("\n".join(rb.JUNIOR_AI), today=TODAY)
    assert profile.current_role == "ai_engineer"
    assert profile.level == "entry"
    assert profile.years_experience == pytest.approx(2.5, abs=0.05)  # Jun 2024 .. Nov 2026, 30 months


def test_right_aligned_dates_are_not_mistaken_for_columns(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    rows = [
        ("Senior Data Scientist, Acme Corp", "Jan 2021 - Present"),
        ("- Built forecasting models in Python and SQL for the supply chain team across regions", None),
        ("- Ran A/B testing and causal inference studies with product managers and engineers", None),
        ("Data Scientist, Beta Inc", "2018 - 2020"),
        ("- Statistics, machine learning and dashboards for marketing and sales leadership teams", None),
        ("- Feature engineering with pandas and scikit-learn on customer behaviour data sets", None),
    ]
    y = 20.0
    for left, right in rows:
        pdf.set_xy(15, y)
        pdf.cell(150, 5, left)
        if right:
            pdf.set_xy(150, y)
            pdf.cell(45, 5, right, align="R")
        y += 6
    path = tmp_path / "cv.pdf"
    pdf.output(str(path))
    text = read_resume(path)
    assert not text.columns_detected
    profile = parse_resume(text.text, today=TODAY)
    assert [(p.role, p.start.year) for p in profile.positions] == [
        ("data_scientist", 2021),
        ("data_scientist", 2018),
    ]


def test_docx_text_boxes_are_read(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Casey Candidate — resume with a sidebar text box")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:AlternateContent><mc:Fallback><w:pict><w:txbxContent>"
        "<w:p><w:r><w:t>Data Engineer, Pipes Ltd, 2019 - Present</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Airflow, Spark, dbt and Snowflake pipelines</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    document.paragraphs[0]._p.append(parse_xml(box))
    path = tmp_path / "box.docx"
    document.save(str(path))
    text = read_resume(path).text
    assert "Data Engineer, Pipes Ltd, 2019 - Present" in text
    profile = parse_resume(text, today=TODAY)
    assert profile.current_role == "data_engineer"
    assert {"airflow", "spark", "dbt", "snowflake"} <= set(profile.skills)


def test_two_columns_under_a_full_width_header(tmp_path: Path, rb: ModuleType) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(12, 10)
    pdf.cell(186, 6, "Dr. Rae Researcher - Postdoctoral Researcher in machine learning - rae@example.org")
    for x, col in ((12.0, rb.RESEARCHER_LEFT[1:]), (112.0, rb.RESEARCHER_RIGHT)):
        y = 24.0
        for line in col:
            pdf.set_xy(x, y)
            pdf.cell(88, 5, line)
            y += 6
    path = tmp_path / "cv.pdf"
    pdf.output(str(path))
    text = read_resume(path)
    assert text.columns_detected
    lines = text.text.splitlines()
    assert lines[0].startswith("Dr. Rae Researcher")
    assert lines.index("Jan 2023 - Present") < lines.index("SKILLS") < lines.index("PyTorch, JAX, Python")
    profile = parse_resume(text.text, today=TODAY)
    assert profile.current_role == "research_scientist" and "phd" in profile.degrees
