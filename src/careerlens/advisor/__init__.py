"""The advisor: "which role should I choose?" from a questionnaire and/or a resume.

``advise()`` is the one entry point (the CLI and the web app call it): it reads the inputs, ranks every role's
fit with reasons, ranks the skill gaps for the target, walks the career ladder from the current role to the
target with salaries in the user's region, and orders a learning plan that respects skill prerequisites.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from careerlens.advisor.fit import rank_roles
from careerlens.advisor.gaps import market_skills, rank_gaps
from careerlens.advisor.models import Advice, Preferences, ResumeProfile, UserProfile
from careerlens.advisor.path import build_path
from careerlens.advisor.plan import build_plan
from careerlens.advisor.questionnaire import load_answers, validate_answers
from careerlens.advisor.resume import (
    MIN_TEXT_CHARS,
    check_language,
    parse_resume,
    read_resume,
    read_resume_bytes,
)
from careerlens.errors import CareerlensError, InputError, ResumeError
from careerlens.kb.questions import load_prereqs
from careerlens.kb.roles import LEVEL_ORDER, load_kb
from careerlens.settings import Settings, get_settings

__all__ = ["Advice", "advise", "build_profile", "parse_resume", "read_resume"]


def build_profile(resume: ResumeProfile | None, prefs: Preferences | None, region: str | None) -> UserProfile:
    """Merge the resume and the answers: answers win for facts the user stated; the resume supplies skills."""
    user = UserProfile()
    if resume is not None:
        user.sources.append("resume")
        user.skills = list(resume.skills)
        user.current_role = resume.current_role
        user.current_title = resume.current_title
        user.level = resume.level
        user.level_reason = resume.level_reason
        user.years_experience = resume.years_experience
        user.degrees = list(resume.degrees)
        user.past_roles = sorted(
            {p.role for p in resume.positions if p.role not in ("other", resume.current_role)}
        )
    if prefs is not None:
        user.sources.append("questionnaire")
        user.skills = sorted(set(user.skills) | set(prefs.skills))
        if prefs.current_role:
            user.current_role = prefs.current_role
        if prefs.years is not None:
            user.years_experience = float(prefs.years)
        if prefs.level:
            user.level = prefs.level
            user.level_reason = "as you answered"
        elif prefs.years is not None and resume is None:
            from careerlens.advisor.resume import level_from_years

            user.level = level_from_years(prefs.years)
            user.level_reason = f"{prefs.years} years of experience → {user.level}"
        user.region = prefs.region
        user.industries = list(prefs.industries)
    if region:
        user.region = region
    if user.level not in LEVEL_ORDER:
        user.level = "entry"
    user.skills = sorted(set(user.skills))
    return user


def _open_store(settings: Settings) -> tuple[Any, str | None, str | None]:
    try:
        from careerlens.store.warehouse import open_store

        store = open_store(settings)
        return store, getattr(store, "source_label", None), None
    except (CareerlensError, ImportError, Exception) as exc:  # noqa: BLE001 - advice works without market data
        msg = exc.message if isinstance(exc, CareerlensError) else type(exc).__name__
        return None, None, f"no market data: {msg}; salaries and demand show “no data”"


def advise(
    *,
    answers: str | Path | Mapping[str, Any] | Preferences | None = None,
    resume: str | Path | None = None,
    resume_text: str | None = None,
    resume_bytes: bytes | None = None,
    resume_name: str = "resume",
    target: str | None = None,
    region: str | None = None,
    db: str | Path | None = None,
    settings: Settings | None = None,
) -> Advice:
    """Advice from questionnaire answers (file, mapping or Preferences) and/or a resume (file, bytes or text).

    ``resume_bytes`` (with ``resume_name`` for messages) is an upload, e.g. from the web app; it gets the same
    checks as a file (size, type by content, zip bomb, encryption, language).
    """
    if answers is None and resume is None and resume_text is None and resume_bytes is None:
        raise InputError(
            "nothing to advise on: give questionnaire answers and/or a resume",
            hint="pass --answers FILE (TOML/JSON) or --resume FILE, or run `careerlens advise` in a terminal",
        )
    kb = load_kb()
    settings = settings or get_settings(db=db)
    prefs: Preferences | None
    if answers is None or isinstance(answers, Preferences):
        prefs = answers
    elif isinstance(answers, Mapping):
        prefs = validate_answers(answers)
    else:
        prefs = load_answers(answers)
    profile: ResumeProfile | None = None
    if resume is not None:
        profile = parse_resume(read_resume(resume, max_bytes=settings.max_upload_bytes).text)
    elif resume_bytes is not None:
        read = read_resume_bytes(resume_bytes, name=resume_name, max_bytes=settings.max_upload_bytes)
        profile = parse_resume(read.text)
    elif resume_text is not None:
        if len("".join(resume_text.split())) < MIN_TEXT_CHARS:
            raise ResumeError("the resume text is empty or too short", field="resume_text")
        check_language(resume_text, "resume text")
        profile = parse_resume(resume_text)
    user = build_profile(profile, prefs, region)
    fits = rank_roles(user, prefs, kb)
    target_id = kb.role(target).id if target else fits[0].role
    if target_id == "other":
        raise InputError(
            "'other' is not a role to advise on", field="target", hint="pick a role from the ranking"
        )
    store, source, store_note = _open_store(settings)
    notes = [store_note] if store_note else []
    try:
        if store is not None and user.region:
            from careerlens.analytics.salary import resolve_region

            user.region = resolve_region(store, user.region)
        market = market_skills(store, target_id, settings=settings, kb=kb)
        if store is not None:
            notes.extend(market.notes)
        gaps = rank_gaps(kb.roles[target_id], set(user.skills), market)
        path, target_level = build_path(kb, user, target_id, store=store, settings=settings)
    finally:
        if store is not None:
            store.close()
    plan = build_plan(gaps, set(user.skills), load_prereqs(), kb.roles[target_id].name)
    if not user.skills:
        notes.append(
            "no skills known (no resume and no `skills` answer): fit uses preferences, experience, level"
        )
    return Advice(
        profile=user,
        fits=fits,
        target=target_id,
        target_name=kb.roles[target_id].name,
        target_level=target_level,
        gaps=gaps,
        path=path,
        plan=plan,
        data_source=source,
        notes=notes,
    )
