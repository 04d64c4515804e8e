"""Skill extraction from postings: lexicon spellings found by Aho-Corasick, ambiguity settled by context.

Why this design: one automaton over the whole lexicon scans a description once (linear in its length,
whatever the number of spellings), and the text is normalised in a length-preserving way so every match maps
straight back to the original characters. Separators (spaces, punctuation, '/', '-') all become one space,
so "CI/CD", "ci-cd" and "CI CD" are the same key, and every key is padded with spaces so it can only match
whole words: "r" never fires inside "from", "java" never inside "javascript", "sql" never inside "mysql".
The characters that are part of skill names ('+', '#', '&' and a '.' inside a name like "node.js" or ".NET")
are kept, so "c" does not fire in "C++" or "C#"; "C-level" and the like are left to the context rules.

Short names that are also English words ("R", "Go", "Excel", "Spark", "Word" ...) are accepted only when the
context rules in ``normalize/data/skill_context.toml`` say so: letter case, rejected neighbouring words
("excel at", "go-to", "R&D") and a required technical context (another skill of a related kind close by, as
in "Python, R, SQL", or a cue word such as "programming").
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from careerlens.errors import KnowledgeBaseError
from careerlens.kb.skills import Skill, load_skills

CONTEXT_FILE = Path(__file__).parent / "data" / "skill_context.toml"

# The text is normalised as ASCII bytes: every non-ASCII code point becomes one "?" byte (so offsets stay
# valid), then one bytes.translate turns every byte that is not a letter, digit or one of + # & . into a space
# and lowercases. A '.' stays only inside a name ("node.js", "asp.net", ".NET"), not at a sentence end
# ("Python. Experience").
_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if (chr(c).isalnum() and c < 128) or chr(c) in "+#&." else 32
    for c in range(256)
)
_DOT = re.compile(rb"\.(?![a-z0-9]|NET\b)")

# HTML entities left in scraped text ("LLM&#39;s", "R&amp;D") become spaces of the same length.
_ENTITY = re.compile(rb"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")

# Scrapes that dropped line breaks glue a skill to the next line's first word ("SQLAble to", "PythonExperience
# with"). In text without any line break, a space is inserted before such common line-opening words; a closed
# list, so names written in camel case ("JavaScript", "GitHub", "PowerPoint") are never split.
_GLUE_WORDS = frozenset(
    (
        "Able Ability Abilities Experience Experienced Excellent Strong Knowledge Familiarity Familiar "
        "Proficiency Proficient Understanding Working Bachelor Bachelors Master Masters Must Minimum "
        "Preferred Demonstrated Solid Expert Expertise Advanced Good Great Basic Previous Prior Required "
        "Requirements Qualifications Responsibilities Skills Degree You We Our Your This The Build "
        "Develop Design Create Collaborate Communicate Perform Analyze Support Manage Lead Provide "
        "Identify Partner Drive Apply Conduct Write Maintain Help Define Present Comfortable Passion "
        "Passionate Nice Bonus Benefits About What Who Why Key Education Desired Ideal Additional Other "
        "Hands Self Attention Keen Exposure Creating Developing Building Ensure Establish Deliver "
        "Translate Mentor Participate Exceptional Outstanding Effective Plus Knowledgeable Background "
        "Proven Superior Detail Curiosity Intellectual Willingness Job Equal "
    ).split()
)
# Letter shapes to find glue points fast: lowercase, digits and ")+#" -> "a", uppercase -> "A", rest " ".
_SHAPE = (
    bytes(
        ord("a")
        if chr(c).islower() or chr(c).isdigit() or chr(c) in ")+#"
        else ord("A")
        if chr(c).isupper()
        else ord(" ")
        for c in range(128)
    )
    + b" " * 128
)
_CAP_WORD = re.compile(r"[A-Z][a-z]+")


def _glue_points(text: str) -> list[int]:
    """Where a line-opening word is glued to the previous word ("SQLAble"), in text without line breaks."""
    if "\n" in text:
        return []
    shape = text.encode("ascii", "replace").translate(_SHAPE)
    points = []
    for pattern in (b"aAa", b"AAa"):  # "...softwareAble", "...SQLAble"
        pos = shape.find(pattern)
        while pos >= 0:
            m = _CAP_WORD.match(text, pos + 1)
            if m is not None and m.group() in _GLUE_WORDS:
                points.append(pos + 1)
            pos = shape.find(pattern, pos + 1)
    return sorted(points)


def normalize_text(text: str) -> str:
    """Lowercase ``text``; separators and non-ASCII characters become spaces (same length: offsets hold)."""
    raw = text.encode("ascii", "replace")
    if b"&" in raw and b";" in raw:
        raw = _ENTITY.sub(lambda m: b" " * len(m.group()), raw)
    if b"." in raw:
        raw = _DOT.sub(b" ", raw)
    return raw.translate(_ASCII_TABLE).decode("ascii")


def _key(spelling: str) -> str:
    """The automaton key of a spelling: normalised, single-spaced, padded to match whole words only."""
    return " " + " ".join(normalize_text(spelling).split()) + " "


def spelling_variants(spelling: str) -> set[str]:
    """Spellings postings use interchangeably: hyphen, slash or dot as a space or dropped; plural phrases."""
    base = spelling.strip().lower()
    out = {base}
    if any(ch in base for ch in "-/"):
        out.add(re.sub(r"[-/]", "", base))
    if "." in base.strip("."):
        out.add(base.replace(".", " "))
        out.add(base.replace(".", ""))
    if " " in base and base[-1].isalpha() and not base.endswith("s"):
        out.add(base + "s")
    return {v for v in out if v.strip()}


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """One mention of a skill: canonical id and the span ``text[start:end]`` in the original text."""

    skill: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ContextRule:
    """How an ambiguous spelling must look and what must surround it to count as the skill."""

    skill: str
    forms: frozenset[str]
    case: str = "any"  # "any" | "title" (first letter upper) | "upper" (all upper) | "exact" (one of `cased`)
    cased: frozenset[str] = frozenset()
    reject_before: re.Pattern[str] | None = None
    reject_after: re.Pattern[str] | None = None
    reject_around: re.Pattern[str] | None = None
    before_window: int = 40
    before_words: tuple[str, ...] = ()  # reject_before runs only if one of these is in the window (speed)
    needs_context: bool = False
    categories: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    near: int = 30
    cues: re.Pattern[str] | None = None
    window: int = 80

    def applies_to(self, form: str) -> bool:
        return not self.forms or form in self.forms


def _compile(pattern: str | None, file: str, item: str, fld: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise KnowledgeBaseError(f"bad regular expression: {exc}", file=file, item=item, field=fld) from None


def load_context_rules(
    path: Path = CONTEXT_FILE,
) -> tuple[dict[str, list[ContextRule]], dict[str, list[str]]]:
    """Read the context rules and the implied skills ("pyspark" also names "spark") from the data file."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, {}
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"TOML syntax error: {exc}", file=path.name) from None
    defaults = data.get("defaults", {})
    named_cues: dict[str, str] = data.get("cues", {})
    rules: dict[str, list[ContextRule]] = {}
    for i, raw in enumerate(data.get("rule", [])):
        sid = raw.get("skill")
        if not isinstance(sid, str):
            raise KnowledgeBaseError("rule without a skill", file=path.name, item=f"#{i + 1}", field="skill")
        cue_src = raw.get("cues")
        if isinstance(cue_src, str) and cue_src in named_cues:
            cue_src = named_cues[cue_src]
        rule = ContextRule(
            skill=sid,
            forms=frozenset(f.lower() for f in raw.get("forms", [])),
            case=raw.get("case", "any"),
            cased=frozenset(raw.get("cased", [])),
            reject_before=_compile(raw.get("reject_before"), path.name, sid, "reject_before"),
            reject_after=_compile(raw.get("reject_after"), path.name, sid, "reject_after"),
            reject_around=_compile(raw.get("reject_around"), path.name, sid, "reject_around"),
            before_window=int(raw.get("before_window", 40)),
            before_words=tuple(w.lower() for w in raw.get("before_words", [])),
            needs_context=bool(raw.get("needs_context", False)),
            categories=frozenset(raw.get("categories", defaults.get("categories", []))),
            skills=frozenset(raw.get("skills", [])),
            near=int(raw.get("near", defaults.get("near", 30))),
            cues=_compile(cue_src, path.name, sid, "cues"),
            window=int(raw.get("window", defaults.get("window", 80))),
        )
        rules.setdefault(sid, []).append(rule)
    implies = {k: list(v) for k, v in data.get("implies", {}).items()}
    return rules, implies


@dataclass(slots=True)
class _Candidate:
    skill: str
    start: int
    end: int
    form: str
    rule: ContextRule | None
    accepted: bool = True


class SkillExtractor:
    """Finds lexicon skills in free text; build once (``get_extractor()``) and reuse it."""

    def __init__(
        self,
        skills: dict[str, Skill],
        rules: dict[str, list[ContextRule]] | None = None,
        implies: dict[str, list[str]] | None = None,
    ) -> None:
        self.lexicon = skills
        self.category = {sid: s.category for sid, s in skills.items()}
        self.rules = rules or {}
        self.implies = implies or {}
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, str] = {}
        for sid, skill in skills.items():
            for spelling in [sid, *skill.aliases]:
                for variant in spelling_variants(spelling):
                    key = _key(variant)
                    if len(key.strip()) == 0 or key in owners:
                        continue  # the first owner wins: ids come before aliases of later skills
                    owners[key] = sid
                    form = key.strip()
                    rule = next((r for r in self.rules.get(sid, ()) if r.applies_to(form)), None)
                    self._automaton.add_word(key, (len(key), sid, form, rule))
        self._automaton.make_automaton()

    # -- matching ------------------------------------------------------------------------------------------

    def _candidates(self, text: str) -> list[_Candidate]:
        norm = normalize_text(text)
        glue = _glue_points(text)
        inserted: list[int] = []  # positions of inserted spaces in the glued-apart text
        if glue:
            parts, prev = [], 0
            for i, g in enumerate(glue):
                parts.append(norm[prev:g])
                inserted.append(g + i)
                prev = g
            parts.append(norm[prev:])
            norm = " ".join(parts)
        padded = " " + norm + " "
        # (start, -length, end, ...): a plain sort puts the leftmost-longest match first at each start
        found: list[tuple[int, int, int, str, str, ContextRule | None]] = []
        append = found.append
        for end_idx, (klen, sid, form, rule) in self._automaton.iter(padded):
            # the key covers padded[end_idx - klen + 1 : end_idx + 1]; without its two padding spaces and
            # the leading pad of `padded` the mention is norm[end_idx - klen + 1 : end_idx - 1]
            start = end_idx - klen + 1
            end = end_idx - 1
            if inserted:
                start -= bisect_left(inserted, start)
                end -= bisect_left(inserted, end)
            append((start, start - end, end, sid, form, rule))
        if not found:
            return []
        # leftmost-longest, non-overlapping: "sql server" wins over "sql", "t-sql" over "sql"
        found.sort()
        out: list[_Candidate] = []
        last_end = -1
        for start, _neg, end, sid, form, rule in found:
            if start < last_end:
                continue
            out.append(_Candidate(sid, start, end, form, rule))
            last_end = end
        return out

    def _case_ok(self, rule: ContextRule, surface: str) -> bool:
        if rule.case == "title":
            return surface[:1].isupper()
        if rule.case == "upper":
            return surface.isupper()
        if rule.case == "exact":
            return surface in rule.cased
        return True

    def _context_ok(self, rule: ContextRule, cand: _Candidate, text: str, sure: list[_Candidate]) -> bool:
        for other in sure:
            if other is cand or other.skill == cand.skill:
                continue
            gap = other.start - cand.end if other.start >= cand.end else cand.start - other.end
            if gap <= rule.near and (
                self.category.get(other.skill) in rule.categories or other.skill in rule.skills
            ):
                return True
        if rule.cues is not None:
            lo, hi = max(0, cand.start - rule.window), min(len(text), cand.end + rule.window)
            if rule.cues.search(text, lo, hi):
                return True
        return False

    def _eligible(self, rule: ContextRule, cand: _Candidate, text: str) -> bool:
        """Letter case and rejected neighbours ("excel at", "go-to", "R&D") of an ambiguous mention."""
        if not self._case_ok(rule, text[cand.start : cand.end]):
            return False
        if rule.reject_before is not None:
            lo = max(0, cand.start - rule.before_window)
            before = text[lo : cand.start].lower() if rule.before_words else ""
            if (
                not rule.before_words or any(w in before for w in rule.before_words)
            ) and rule.reject_before.search(text, lo, cand.start):
                return False
        if rule.reject_after is not None and rule.reject_after.match(
            text, cand.end, min(len(text), cand.end + 40)
        ):
            return False
        return not (
            rule.reject_around is not None
            and rule.reject_around.search(text, max(0, cand.start - 6), min(len(text), cand.end + 6))
        )

    def _resolve(self, text: str, cands: list[_Candidate]) -> list[_Candidate]:
        waiting: list[tuple[_Candidate, ContextRule]] = []
        for cand in cands:
            rule = cand.rule
            if rule is None:
                continue
            cand.accepted = False
            if not self._eligible(rule, cand, text):
                continue
            if rule.needs_context:
                waiting.append((cand, rule))
            else:
                cand.accepted = True
        # plain matches and the other eligible ambiguous mentions support each other ("Python, R", "Go and
        # Rust")
        if waiting:
            support = [c for c in cands if c.accepted] + [c for c, _ in waiting]
            for cand, rule in waiting:
                cand.accepted = self._context_ok(rule, cand, text, support)
        return [c for c in cands if c.accepted]

    def extract(self, text: str | None) -> list[SkillMatch]:
        """Every accepted mention in text order, spans in the original text (``text[m.start:m.end]``)."""
        if not text:
            return []
        cands = self._resolve(text, self._candidates(text))
        return [SkillMatch(c.skill, c.start, c.end, text[c.start : c.end]) for c in cands]

    def skills_of(self, matches: Iterable[SkillMatch]) -> list[str]:
        """Sorted unique canonical ids of ``matches``, with the skills they imply ("pyspark" → "spark")."""
        ids: set[str] = set()
        for m in matches:
            ids.add(m.skill)
            ids.update(self.implies.get(m.skill, ()))
        return sorted(ids)

    def skills(self, text: str | None) -> list[str]:
        """Sorted unique canonical skill ids mentioned in ``text``."""
        if not text:
            return []
        ids = {c.skill for c in self._resolve(text, self._candidates(text))}
        for sid in [i for i in ids if i in self.implies]:
            ids.update(self.implies[sid])
        return sorted(ids)


@lru_cache(maxsize=1)
def get_extractor() -> SkillExtractor:
    """The extractor built from the bundled lexicon and context rules (built once per process)."""
    rules, implies = load_context_rules()
    return SkillExtractor(load_skills(), rules, implies)


def extract_skills(text: str | None) -> list[str]:
    """Sorted unique canonical skill ids in ``text`` (empty for empty or missing text)."""
    return get_extractor().skills(text)


def extract_many(texts: Iterable[str | None]) -> list[list[str]]:
    """``extract_skills`` over many texts, building the extractor once."""
    ex = get_extractor()
    return [ex.skills(t) for t in texts]
