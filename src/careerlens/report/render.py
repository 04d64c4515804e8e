"""A small, generic report model and its renderers: Markdown (charts as PNG files next to the .md),
self-contained HTML (Jinja2 with autoescape; charts inlined as base64 PNG; no external URLs) and PDF (fpdf2,
core fonts; text outside latin-1 replaced safely).

The market report and the personal (advisor) report both build a ``Report`` and call ``write_report``.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from careerlens.errors import InputError

Cell = str | int | float | None


@dataclass
class Table:
    """A table: column headers, rows of cells (None prints as a dash) and an optional caption."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: str | None = None


@dataclass
class Chart:
    """A rendered chart: PNG bytes (every format), optional SVG text, and a caption with its n and source."""

    name: str  # file-name stem, e.g. 'salary_by_level'
    title: str
    png: bytes
    caption: str
    svg: str | None = None
    alt: str | None = None


@dataclass
class Section:
    """A heading with paragraphs, bullet points, tables and charts (rendered in that order)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    sections: list[Section] = field(default_factory=list)
    subtitle: str | None = None
    footer: str | None = None

    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]


def format_cell(value: Cell) -> str:
    """Numbers with thousands separators; None as an en dash (a withheld or missing figure)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "chart"


# --- Markdown -----------------------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report, chart_paths: dict[int, str] | None = None) -> str:
    """Markdown text; ``chart_paths`` maps id(chart) to the relative path of its PNG file."""
    chart_paths = chart_paths or {}
    out = [f"# {report.title}", ""]
    if report.subtitle:
        out += [f"_{report.subtitle}_", ""]
    for section in report.sections:
        out += [f"## {section.heading}", ""]
        for p in section.paragraphs:
            out += [p, ""]
        if section.bullets:
            out += [f"- {b}" for b in section.bullets] + [""]
        for t in section.tables:
            if t.caption:
                out += [f"**{t.caption}**", ""]
            out.append("| " + " | ".join(_md_escape(c) for c in t.columns) + " |")
            out.append("|" + "|".join("---" for _ in t.columns) + "|")
            for row in t.rows:
                out.append("| " + " | ".join(_md_escape(format_cell(v)) for v in row) + " |")
            out.append("")
        for c in section.charts:
            path = chart_paths.get(id(c), f"{c.name}.png")
            out += [f"![{_md_escape(c.alt or c.title)}]({path})", "", f"*{c.caption}*", ""]
    if report.footer:
        out += ["---", "", report.footer, ""]
    return "\n".join(out)


def write_markdown(report: Report, path: Path) -> list[Path]:
    """Write ``path`` and the chart PNGs into ``<stem>_charts/`` beside it; returns every file written."""
    chart_dir = path.parent / f"{path.stem}_charts"
    written: list[Path] = []
    chart_paths: dict[int, str] = {}
    used: set[str] = set()
    if report.charts():
        chart_dir.mkdir(parents=True, exist_ok=True)
    for chart in report.charts():
        stem, i = _slug(chart.name), 1
        name = stem
        while name in used:
            i += 1
            name = f"{stem}_{i}"
        used.add(name)
        file = chart_dir / f"{name}.png"
        file.write_bytes(chart.png)
        written.append(file)
        chart_paths[id(chart)] = f"{chart_dir.name}/{file.name}"
    path.write_text(to_markdown(report, chart_paths), encoding="utf-8")
    return [path, *written]


# --- HTML ---------------------------------------------------------------------------------------------------

_env = Environment(
    loader=PackageLoader("careerlens.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def to_html(report: Report) -> str:
    """One self-contained HTML page: styles inline, charts as data: URIs, every text autoescaped."""
    template = _env.get_template("report.html.j2")

    def chart_src(chart: Chart) -> str:
        return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")

    return template.render(report=report, chart_src=chart_src, fmt=format_cell)


# --- PDF ----------------------------------------------------------------------------------------------------

_PDF_REPLACE = {
    "–": "-",
    "—": "-",
    "−": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "×": "x",
    "≥": ">=",
    "≤": "<=",
    "≈": "~",
    "→": "->",
    "•": "-",
    "·": ".",
    "\u00a0": " ",
    "\u202f": " ",
}


def latin1(text: str) -> str:
    """Text the PDF core fonts can print: common typography mapped to ASCII, accents kept where latin-1 has
    them, anything else decomposed or replaced by '?'."""
    out = []
    for ch in text:
        ch = _PDF_REPLACE.get(ch, ch)
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def to_pdf(report: Report) -> bytes:
    """A PDF with the same content; charts as PNG images scaled to the page width."""
    import io

    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(report.title))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 10, style: str = "", h: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, h, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    para(report.title, 18, "B", 9)
    if report.subtitle:
        para(report.subtitle, 10, "I")
    pdf.ln(3)
    for section in report.sections:
        para(section.heading, 14, "B", 8)
        for p in section.paragraphs:
            para(p)
            pdf.ln(1)
        for b in section.bullets:
            para("- " + b)
        for t in section.tables:
            if t.caption:
                para(t.caption, 9, "B")
            pdf.set_font("Helvetica", "", 8)
            with pdf.table(
                width=width, text_align="LEFT", line_height=4.5, first_row_as_headings=True
            ) as table:
                header = table.row()
                for c in t.columns:
                    header.cell(latin1(c))
                for r in t.rows:
                    row = table.row()
                    for v in r:
                        row.cell(latin1(format_cell(v)))
            pdf.ln(2)
        for chart in section.charts:
            w, h = _png_size(chart.png)
            img_w = width * 0.9
            max_h = pdf.h - pdf.t_margin - pdf.b_margin - 15  # room for the caption
            if w and h and img_w * h / w > max_h:
                img_w = max_h * w / h  # a tall chart is scaled to fit one page
            img_h = img_w * h / w if w and h else 100.0
            if pdf.get_y() + img_h > pdf.h - pdf.b_margin - 10:
                pdf.add_page()
            pdf.image(io.BytesIO(chart.png), w=img_w)
            para(chart.caption, 8, "I", 4)
            pdf.ln(2)
        pdf.ln(2)
    if report.footer:
        para(report.footer, 8, "I", 4)
    return bytes(pdf.output())


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk; (0, 0) if the bytes are not a PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 0, 0
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# --- dispatch -----------------------------------------------------------------------------------------------

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def write_report(report: Report, path: str | Path) -> list[Path]:
    """Write the report in the format its extension names (.md, .html, .pdf); returns the files written."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.casefold())
    if fmt is None:
        raise InputError(
            f"cannot tell the report format from {path.name!r}",
            file=str(path),
            hint="end the file name in .md, .html or .pdf",
        )
    if path.parent and not path.parent.exists():
        raise InputError("the output folder does not exist", file=str(path.parent), hint="create it first")
    if fmt == "md":
        return write_markdown(report, path)
    if fmt == "html":
        path.write_text(to_html(report), encoding="utf-8")
    else:
        path.write_bytes(to_pdf(report))
    return [path]
