"""Read a resume (PDF, DOCX, TXT, Markdown) into text and parse it into a ResumeProfile.

The file type is decided by its content (magic bytes), never by its extension, and every way a file can be
unusable (too big, empty, corrupt, encrypted, a zip bomb, a language we cannot read) is a ``ResumeError``
saying what to do.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from careerlens.advisor.models import Position, ResumeKind, ResumeProfile, ResumeText
from careerlens.errors import ResumeError
from careerlens.settings import get_settings

# DOCX zip-bomb limits: checked on the zip directory before anything is decompressed.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 200.0  # per entry, for entries over 1 MB uncompressed
MIN_TEXT_CHARS = 40

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


# --------------------------------------------------------------------------------------------------- language

_EN_STOP = set(
    "the and of to in for with a an on at by from as is are was were be been our my i we you your it this "
    "that using used use into over across including team teams work worked working built build led "
    "developed".split()
)
_OTHER_STOP: dict[str, set[str]] = {
    "German": set(
        "und der die das mit für von den im ist auf zu ein eine bei als auch nicht werden wurde".split()
    ),
    "French": set("et le la les des du pour avec dans une un sur est par au aux en de".split()),
    "Spanish": set("y el la los las del para con en una un por es como de al su".split()),
    "Portuguese": set("e o a os as do da dos das para com em uma um por é como de no na".split()),
    "Italian": set("e il la le gli dei delle per con in una un di da che del della".split()),
    "Dutch": set("en de het een van voor met in op is bij als ook niet".split()),
}


def check_language(text: str, name: str = "resume") -> None:
    """Refuse a resume we cannot read: mostly non-Latin script, or no English function words at all."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return
    latin = sum(1 for c in letters if ord(c) < 0x250)
    if latin / len(letters) < 0.5:
        script = _script_name(letters)
        raise ResumeError(
            f"the resume is mostly in a non-Latin script ({script}); careerlens reads English resumes only",
            file=name,
            hint="upload an English version of the resume",
        )
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 25:
        return
    en = sum(1 for w in words if w in _EN_STOP)
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _OTHER_STOP.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    # English words are few, or another language's function words clearly outnumber them
    if en / len(words) >= 0.03 and not (hits / len(words) >= 0.08 and hits > 2 * en):
        return
    found = f"it looks like {lang}" if hits > en and hits / len(words) >= 0.03 else "no English was found"
    raise ResumeError(
        f"careerlens reads English resumes only, and {found}",
        file=name,
        hint="upload an English version of the resume",
    )


def _script_name(letters: list[str]) -> str:
    import unicodedata

    counts: dict[str, int] = {}
    for c in letters:
        if ord(c) >= 0x250:
            try:
                script = unicodedata.name(c).split()[0]
            except ValueError:
                script = "unknown"
            counts[script] = counts.get(script, 0) + 1
    top = max(counts, key=lambda k: counts[k]) if counts else "unknown"
    return top.title()


# ------------------------------------------------------------------------------------------------ dates, jobs

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH_RE}\s*,?\s*(?:19|20)\d{{2}}"  # March 2017, Jan. 2020
    r"|(?:0?[1-9]|1[0-2])\s*[/.]\s*(?:19|20)\d{2}"  # 03/2018
    r"|(?:19|20)\d{2}\s*[-/.]\s*(?:0[1-9]|1[0-2])(?!\d)"  # 2018-03
    r"|(?:19|20)\d{2})"  # 2019
)
_NOW = r"(?:present|now|current(?:ly)?|today|ongoing|date)"
_SEP = r"\s*(?:-|–|—|‒|−|to|until|till|through|thru)\s*"
RANGE_RE = re.compile(rf"(?P<start>{_DATE}){_SEP}(?P<end>{_DATE}|{_NOW})", re.IGNORECASE)
_SINCE_RE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_DATE})\b", re.IGNORECASE)


def parse_date(token: str, *, end: bool = False, today: dt.date | None = None) -> dt.date | None:
    """A date token → the first of its month; an end year alone → December; "present" → None."""
    t = token.strip().lower().rstrip(".")
    if re.fullmatch(_NOW, t):
        return None
    m = re.fullmatch(r"([a-z]+)\.?\s*,?\s*(\d{4})", t)
    if m and m.group(1) in _MONTHS:
        return dt.date(int(m.group(2)), _MONTHS[m.group(1)], 1)
    m = re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{4})", t)
    if m:
        return dt.date(int(m.group(2)), int(m.group(1)), 1)
    m = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{2})", t)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    m = re.fullmatch(r"\d{4}", t)
    if m:
        year = int(t)
        if end:
            last = dt.date(year, 12, 1)
            today = today or dt.date.today()
            return min(last, dt.date(today.year, today.month, 1))
        return dt.date(year, 1, 1)
    return None


def parse_date_range(text: str, *, today: dt.date | None = None) -> tuple[dt.date, dt.date | None] | None:
    """The first date range in a line: (start, end) with end None for "present"; None when there is none."""
    m = RANGE_RE.search(text)
    if m:
        start = parse_date(m.group("start"), today=today)
        end = parse_date(m.group("end"), end=True, today=today)
        if start is None:
            return None
        if end is not None and end < start:
            return None
        return start, end
    m = _SINCE_RE.search(text)
    if m:
        start = parse_date(m.group("start"), today=today)
        return (start, None) if start else None
    return None


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def years_of_experience(
    ranges: list[tuple[dt.date, dt.date | None]], *, today: dt.date | None = None
) -> float:
    """Years covered by date ranges: overlaps count once, end months are inclusive, open ends run to today."""
    today = today or dt.date.today()
    spans: list[tuple[int, int]] = []
    for start, end in ranges:
        a = _month_index(start)
        b = _month_index(end) + 1 if end is not None else _month_index(today) + 1
        b = min(b, _month_index(today) + 1)
        if b > a:
            spans.append((a, b))
    spans.sort()
    total = 0
    cur: tuple[int, int] | None = None
    for a, b in spans:
        if cur is None or a > cur[1]:
            if cur is not None:
                total += cur[1] - cur[0]
            cur = (a, b)
        else:
            cur = (cur[0], max(cur[1], b))
    if cur is not None:
        total += cur[1] - cur[0]
    return round(total / 12, 1)


# ------------------------------------------------------------------------------------------------ parse

_SECTION_RE = re.compile(
    r"^(?:#+\s*)?(?P<h>(?:professional\s+|work\s+|relevant\s+)?experience|employment(?:\s+history)?|work\s+history|"
    r"education(?:\s+and\s+training)?|academic\s+background|skills|technical\s+skills|projects|publications|"
    r"certifications?|awards|summary|profile|languages|interests|teaching|volunteering)\s*:?\s*$",
    re.IGNORECASE,
)
_NON_WORK = (
    "education",
    "academic",
    "certification",
    "award",
    "publication",
    "teaching",
    "volunteer",
    "project",
)
_DEGREES = (
    ("phd", re.compile(r"\b(?:ph\.?\s?d|doctor(?:ate)? of|d\.?phil)\b", re.I)),
    ("master", re.compile(r"\b(?:m\.?sc|m\.?s\.|master(?:'s)?|mba|m\.?eng)\b", re.I)),
    ("bachelor", re.compile(r"\b(?:B\.?Sc|B\.?S\.|B\.?A\b\.?|(?i:bachelor)(?:'s)?|B\.?Eng|B\.?Tech)\b")),
)
_SPLIT_RE = re.compile(r"\s*(?:\||•|·|,|;|\s@\s|\sat\s|\s[-–—]\s|\t)\s*")
LEVEL_ORDER = ("entry", "mid", "senior", "lead", "executive")


def level_from_years(years: float) -> str:
    """Level implied by years of experience: <2 entry, 2–5 mid, 5–9 senior, 9+ lead."""
    if years < 2:
        return "entry"
    if years < 5:
        return "mid"
    if years < 9:
        return "senior"
    return "lead"


def _classify(title: str) -> tuple[str, str, float]:
    try:
        from careerlens.normalize.titles import classify_title
    except ImportError:  # the title classifier is optional at import time; fall back to KB title matching
        return _classify_by_kb(title)
    tc = classify_title(title)
    return str(tc.role), str(tc.level), float(tc.confidence)


_LEVEL_CUES = (
    ("executive", r"\b(?:head|director|vp|vice president|chief)\b"),
    ("lead", r"\b(?:lead|staff|principal|manager)\b"),
    ("senior", r"\b(?:senior|sr)\b"),
    ("entry", r"\b(?:junior|jr|intern|graduate|trainee|associate)\b"),
)


def _classify_by_kb(title: str) -> tuple[str, str, float]:
    """A crude classifier: the KB role whose typical title or name appears in the title (longest wins)."""
    from careerlens.kb.roles import load_kb, normalize_name

    key = f" {normalize_name(title)} "
    best: tuple[int, str] | None = None
    for role in load_kb().roles.values():
        for name in (role.name, *role.aliases, *role.typical_titles):
            n = normalize_name(name)
            if n and f" {n} " in key and (best is None or len(n) > best[0]):
                best = (len(n), role.id)
    level = next((lv for lv, rx in _LEVEL_CUES if re.search(rx, title, re.I)), "unspecified")
    return (best[1], level, 0.6) if best else ("other", level, 0.0)


def _best_title(candidates: list[str]) -> tuple[str, str, str, float] | None:
    best: tuple[str, str, str, float] | None = None
    for cand in candidates:
        cand = cand.strip(" .:-–—|")
        if cand.count("(") != cand.count(")"):
            cand = cand.strip("()[] ")
        if len(cand) < 3 or len(cand) > 90 or not re.search(r"[A-Za-z]{2}", cand):
            continue
        role, level, conf = _classify(cand)
        score = conf if role != "other" else -1.0 + conf * 0.01
        if best is None or score > (best[3] if best[1] != "other" else -1.0 + best[3] * 0.01):
            best = (cand, role, level, conf)
    return best


def _positions(lines: list[str], today: dt.date) -> list[Position]:
    positions: list[Position] = []
    section = ""
    for i, line in enumerate(lines):
        head = _SECTION_RE.match(line.strip())
        if head:
            section = head.group("h").lower()
            continue
        if any(word in section for word in _NON_WORK):
            continue
        rng = parse_date_range(line, today=today)
        if rng is None:
            continue
        rest = RANGE_RE.sub(" | ", line)
        rest = _SINCE_RE.sub(" | ", rest)
        rest = re.sub(r"\(\s*\|\s*\)", " ", rest)
        candidates = [c for c in _SPLIT_RE.split(rest) if c.strip()]
        found = _best_title(candidates)
        # the title is often on a line above the dates (title / company / dates stacked in templates)
        if found is None or found[1] == "other" or found[3] < 0.75:
            for back in (1, 2):
                if i - back < 0:
                    break
                prev = lines[i - back].strip()
                if not prev or _SECTION_RE.match(prev) or parse_date_range(prev, today=today):
                    break
                if prev.startswith(("-", "•", "*", "·")):
                    continue
                alt = _best_title([c for c in _SPLIT_RE.split(prev) if c.strip()] + [prev])
                if (
                    alt is not None
                    and alt[1] != "other"
                    and (found is None or found[1] == "other" or alt[3] > found[3])
                ):
                    found = alt
        if found is None:
            continue
        title, role, level, conf = found
        positions.append(
            Position(
                title=title,
                start=rng[0],
                end=rng[1],
                role=role,
                level=level,
                confidence=conf,
                line=line.strip(),
            )
        )
    return positions


def parse_resume(text: str, *, today: dt.date | None = None) -> ResumeProfile:
    """Skills, positions, years of experience, current role and level estimated from resume text."""
    from careerlens.normalize.skills import get_extractor

    today = today or dt.date.today()
    skills = sorted(set(get_extractor().skills(text)))
    lines = [ln for ln in text.split("\n")]
    positions = _positions(lines, today)
    years = years_of_experience([(p.start, p.end) for p in positions], today=today)
    degrees = [name for name, rx in _DEGREES if rx.search(text)]

    current: Position | None = None
    if positions:
        current = max(positions, key=lambda p: (p.end is None, p.end or today, p.start))
    by_years = level_from_years(years)
    level, reason = by_years, f"{years:g} years of experience → {by_years}"
    if current is not None and current.level in LEVEL_ORDER:
        level = current.level
        reason = f"the current title {current.title!r} says {current.level} ({years:g} years of experience)"
    return ResumeProfile(
        skills=skills,
        positions=positions,
        years_experience=years,
        current_title=current.title if current else None,
        current_role=current.role if current and current.role != "other" else None,
        level=level,
        level_reason=reason,
        degrees=degrees,
    )
