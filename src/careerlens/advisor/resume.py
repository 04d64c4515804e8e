"""Read a resume (PDF, DOCX, TXT, Markdown) into text; parsing the text is in experience.py.

The file type is decided by its content (magic bytes), never by its extension, and every way a file can be
unusable (too big, empty, corrupt, encrypted, a zip bomb, a language we cannot read) is a ``ResumeError``
saying what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from careerlens.advisor.experience import (
    RANGE_RE,
    level_from_years,
    parse_date,
    parse_date_range,
    parse_resume,
    years_of_experience,
)
from careerlens.advisor.language import check_language
from careerlens.advisor.models import ResumeKind, ResumeText
from careerlens.errors import ResumeError
from careerlens.settings import get_settings

# DOCX zip-bomb limits: checked on the zip directory before anything is decompressed.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 200.0  # per entry, for entries over 1 MB uncompressed
MIN_TEXT_CHARS = 40
MAX_PDF_PAGES = 40  # reading pages costs time; no resume is longer

__all__ = [
    "RANGE_RE",
    "check_language",
    "level_from_years",
    "parse_date",
    "parse_date_range",
    "parse_resume",
    "read_resume",
    "read_resume_bytes",
    "sniff_kind",
    "years_of_experience",
]

_TEXT_HINT = "save the resume as PDF (with selectable text), DOCX, TXT or Markdown and try again"


# ------------------------------------------------------------------------------------------ reading files


def sniff_kind(head: bytes, name: str = "") -> ResumeKind:
    """The resume type from the first bytes: %PDF, a zip (DOCX is checked later), else UTF-8 text."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise ResumeError(
            "this is an old Word (.doc) or RTF file, which careerlens cannot read", file=name, hint=_TEXT_HINT
        )
    sample = head[:4096]
    if b"\x00" in sample:
        raise ResumeError(
            "not a PDF, DOCX or text file (binary content of an unknown type)", file=name, hint=_TEXT_HINT
        )
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a cut multi-byte character at the end is fine
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                raise ResumeError(
                    "not a PDF, DOCX or readable text file", file=name, hint=_TEXT_HINT
                ) from None
    lower = name.lower()
    return "md" if lower.endswith((".md", ".markdown")) or re.search(rb"(?m)^#{1,3} \S", sample) else "txt"


def read_resume(path: str | Path, *, max_bytes: int | None = None) -> ResumeText:
    """Read a resume file into text; any unusable file raises ResumeError naming the file and the problem."""
    p = Path(path)
    name = p.name
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if not p.exists():
        raise ResumeError("file not found", file=str(path), hint="check the path passed to --resume")
    if not p.is_file():
        raise ResumeError("not a file", file=str(path))
    size = p.stat().st_size
    if size > limit:
        raise ResumeError(
            f"file is too large ({size / 1024 / 1024:.1f} MB; the limit is {limit / 1024 / 1024:.0f} MB)",
            file=name,
            hint="a resume is usually under 1 MB: export it again without embedded images",
        )
    if size == 0:
        raise ResumeError("file is empty", file=name, hint=_TEXT_HINT)
    data = p.read_bytes()
    return read_resume_bytes(data, name=name, max_bytes=limit)


def read_resume_bytes(data: bytes, *, name: str = "resume", max_bytes: int | None = None) -> ResumeText:
    """Read resume bytes (e.g. an upload in the web app) into text, with the same checks as read_resume."""
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if len(data) > limit:
        raise ResumeError(f"file is too large (limit {limit / 1024 / 1024:.0f} MB)", file=name)
    if not data.strip():
        raise ResumeError("file is empty", file=name, hint=_TEXT_HINT)
    kind = sniff_kind(data[:8192], name)
    pages: int | None = None
    columns = False
    if kind == "pdf":
        text, pages, columns = _read_pdf(data, name)
    elif kind == "docx":
        text = _read_docx(data, name)
    else:
        text = _decode_text(data)
        if kind == "md":
            text = _strip_markdown(text)
    text = _clean(text)
    if len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS:
        what = (
            "no text could be extracted (is it a scanned image?)" if kind == "pdf" else "the file has no text"
        )
        raise ResumeError(what, file=name, hint=_TEXT_HINT)
    check_language(text, name)
    return ResumeText(source=name, kind=kind, text=text, pages=pages, columns_detected=columns)


def _decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _strip_markdown(text: str) -> str:
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return re.sub(r"(?m)^\s*[-*+]\s+", "- ", text)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -------------------------------------------------------------------------------------------------------- PDF


@dataclass
class _Frag:
    text: str
    x: float
    y: float
    size: float


def _read_pdf(data: bytes, name: str) -> tuple[str, int, bool]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - any failure to decrypt means we cannot read it
                ok = False
            if not ok:
                raise ResumeError(
                    "the PDF is encrypted (password protected)",
                    file=name,
                    hint="remove the password (print or export to a new PDF) and try again",
                )
        pages = list(reader.pages)
    except ResumeError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise ResumeError(
            f"the PDF is corrupt or unreadable ({type(exc).__name__})", file=name, hint=_TEXT_HINT
        ) from None
    if not pages:
        raise ResumeError("the PDF has no pages", file=name, hint=_TEXT_HINT)
    if len(pages) > MAX_PDF_PAGES:
        raise ResumeError(
            f"the PDF has {len(pages)} pages; a resume has at most {MAX_PDF_PAGES}",
            file=name,
            hint="upload the resume itself, not a portfolio or thesis",
        )
    out: list[str] = []
    any_columns = False
    try:
        for page in pages:
            text, columns = _page_text(page)
            any_columns = any_columns or columns
            out.append(text)
    except ResumeError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a damaged content stream
        if "crypt" in str(exc).lower():
            raise ResumeError(
                "the PDF is encrypted (password protected)", file=name, hint=_TEXT_HINT
            ) from None
        raise ResumeError(
            f"the PDF is corrupt or unreadable ({type(exc).__name__})", file=name, hint=_TEXT_HINT
        ) from None
    return "\n\n".join(out), len(pages), any_columns


def _page_text(page: object) -> tuple[str, bool]:
    """Text of one page in reading order: a two-column layout is read left column first, then right."""
    frags: list[_Frag] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[0] * cm[0]) or 1.0
        frags.append(_Frag(text.replace("\n", " "), x, y, (size or 10.0) * scale))

    plain: str = page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    width = float(page.mediabox.width)  # type: ignore[attr-defined]
    split = _column_split(frags, width)
    if split is None:
        return plain, False
    left = [f for f in frags if f.x < split]
    right = [f for f in frags if f.x >= split]
    return _lines(left) + "\n\n" + _lines(right), True


def _frag_end(f: _Frag) -> float:
    return f.x + 0.5 * f.size * len(f.text)  # rough width: half an em per character


def _column_split(frags: list[_Frag], width: float) -> float | None:
    """An x between 30 % and 70 % of the page width that no line crosses, with text on both sides."""
    if len(frags) < 8 or width <= 0:
        return None
    best: tuple[int, float] | None = None
    for cand in sorted({round(f.x, 1) for f in frags if 0.3 * width <= f.x <= 0.7 * width}):
        left = [f for f in frags if f.x < cand - 1]
        right = [f for f in frags if f.x >= cand - 1]
        if len(left) < 4 or len(right) < 4:
            continue
        crossing = sum(1 for f in left if _frag_end(f) > cand + 2)
        if crossing > 0.1 * len(left):
            continue
        # both columns must share vertical space (side by side, not a header above a body)
        ly = (min(f.y for f in left), max(f.y for f in left))
        ry = (min(f.y for f in right), max(f.y for f in right))
        overlap = min(ly[1], ry[1]) - max(ly[0], ry[0])
        if overlap <= 0.3 * max(ly[1] - ly[0], ry[1] - ry[0], 1.0):
            continue
        score = min(len(left), len(right))
        if best is None or score > best[0]:
            best = (score, cand - 1)
    return best[1] if best else None


def _lines(frags: list[_Frag]) -> str:
    """Join fragments into lines, top to bottom and left to right (within 2 pt of a line's y joins it)."""
    rows: list[list[_Frag]] = []
    for f in sorted(frags, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - f.y) <= 2.0:
            rows[-1].append(f)
        else:
            rows.append([f])
    return "\n".join(" ".join(fr.text.strip() for fr in sorted(r, key=lambda f: f.x)) for r in rows)


# ------------------------------------------------------------------------------------------------------- DOCX


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ResumeError(f"the DOCX has too many parts ({len(infos)}); it looks like a zip bomb", file=name)
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise ResumeError(
            f"the DOCX would expand to {total / 1024 / 1024:.0f} MB; it looks like a zip bomb", file=name
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size / max(i.compress_size, 1) > MAX_ZIP_RATIO:
            raise ResumeError(
                f"the DOCX part {i.filename!r} is compressed {i.file_size / max(i.compress_size, 1):.0f}:1; "
                "it looks like a zip bomb",
                file=name,
            )


def _read_docx(data: bytes, name: str) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ResumeError(
            "the file looks like a DOCX (zip) but is corrupt", file=name, hint=_TEXT_HINT
        ) from None
    with zf:
        _check_zip(zf, name)
        if "word/document.xml" not in zf.namelist():
            raise ResumeError(
                "a zip file that is not a Word document (no word/document.xml)", file=name, hint=_TEXT_HINT
            )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError/ValueError/lxml errors on damage
        raise ResumeError(
            f"the DOCX is corrupt or unreadable ({type(exc).__name__})", file=name, hint=_TEXT_HINT
        ) from None
    parts: list[str] = []
    body = document.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # walk the body in document order so tables stay where they are
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                        cells.append(t)
                parts.append(" | ".join(cells))
    # text boxes (common in CV templates) are not body paragraphs: read their paragraphs too
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for box in body.iter(f"{w}txbxContent"):
        for p in box.iter(f"{w}p"):
            text = "".join(t.text or "" for t in p.iter(f"{w}t"))
            if text.strip() and text not in parts:
                parts.append(text)
    for section in document.sections:
        for para in section.header.paragraphs:
            if para.text.strip():
                parts.insert(0, para.text)
    return "\n".join(parts)
