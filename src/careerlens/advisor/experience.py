"""From resume text to a ResumeProfile: date ranges, positions (titles via the title classifier), years of
experience (overlaps merged), current role, level estimate, degrees and skills."""

from __future__ import annotations

import datetime as dt
import re

from careerlens.advisor.models import Position, ResumeProfile
from careerlens.normalize.titles import classify_title

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
    tc = classify_title(title)
    return str(tc.role), str(tc.level), float(tc.confidence)


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
