"""Fit of every role to a user: skill coverage (KB weights), questionnaire preferences, experience and level.

The score is 0–100: a weighted mean of the parts the user gave us (skills need a resume or a skill list,
preferences need answers), so a resume-only user is scored on skills, experience and level alone.
"""

from __future__ import annotations

from careerlens.advisor.models import Preferences, RoleFit, UserProfile
from careerlens.kb.roles import KnowledgeBase, Role

# weights of the parts of the score; when skills or preferences are missing, the other takes their weight
PART_WEIGHTS = {"skills": 0.45, "preference": 0.35, "experience": 0.1, "level": 0.1}
LEVEL_ORDER = ("entry", "mid", "senior", "lead", "executive")
SKIP_ROLES = {"other"}


def skill_coverage(role: Role, skills: set[str]) -> tuple[float, list[str], list[str]]:
    """Weighted share of the role's skills the user has (core 3, important 2, nice 1)."""
    total = sum(rs.weight_value for rs in role.skills)
    if total == 0:
        return 0.0, [], []
    ordered = sorted(role.skills, key=lambda rs: -rs.weight_value)
    have = [rs.skill for rs in ordered if rs.skill in skills]
    got = sum(rs.weight_value for rs in role.skills if rs.skill in skills)
    missing_core = [rs.skill for rs in ordered if rs.weight == "core" and rs.skill not in skills]
    return got / total, have, missing_core


def preference_score(role_id: str, prefs: Preferences) -> float | None:
    """0..1 with 0.5 neutral: the role's summed effects over the largest swing any role could have had."""
    if role_id not in prefs.effects:
        return None
    # one scale for all roles (the largest swing any role could have had), so strong answers stand out
    swing = max([abs(v) for v in (*prefs.effect_min.values(), *prefs.effect_max.values())] or [0])
    if swing == 0:
        return 0.5
    return max(0.0, min(1.0, 0.5 + prefs.effects[role_id] / (2 * swing)))


def _min_years(role: Role) -> int:
    return min((lv.years_min for lv in role.levels), default=0)


def level_fit(role: Role, user: UserProfile) -> tuple[float, str | None]:
    """1.0 when the user has the years of the role's first level; lower (with a reason) when not yet."""
    need = _min_years(role)
    years = user.years_experience
    if years is None:
        years = {"entry": 0.0, "mid": 2.0, "senior": 5.0, "lead": 8.0, "executive": 12.0}.get(user.level, 0.0)
    if need == 0 or years >= need:
        return 1.0, None
    first = min(role.levels, key=lambda lv: lv.years_min)
    fit = max(0.0, 1.0 - (need - years) / need)
    return fit, f"the role starts at {first.id} level ({first.typical_years} years); you have about {years:g}"


def experience_score(role: Role, user: UserProfile, kb: KnowledgeBase) -> tuple[float, str | None]:
    """Credit: the role now 1.0, before 0.6, a PhD for research 0.6, a usual next move 0.4."""
    if user.current_role == role.id:
        return 1.0, f"you work as {role.name} now" + (
            f" ({user.current_title})" if user.current_title else ""
        )
    if role.id in user.past_roles:
        return 0.6, f"you have worked as {role.name} before"
    if role.id == "research_scientist" and "phd" in user.degrees:
        return 0.6, "a PhD is the usual entry to research roles"
    if user.current_role and user.current_role in kb.roles:
        for edge in kb.roles[user.current_role].ladder:
            if edge.to == role.id and edge.to != user.current_role:
                name = kb.roles[user.current_role].name
                return 0.4, f"a usual {edge.kind} move from {name}: {edge.note}"
    return 0.0, None


def fit_role(role: Role, user: UserProfile, prefs: Preferences | None, kb: KnowledgeBase) -> RoleFit:
    """The fit of one role with its reasons and what lowers it."""
    parts: dict[str, float] = {}
    reasons: list[str] = []
    against: list[str] = []
    coverage: float | None = None
    have: list[str] = []
    missing_core: list[str] = []
    if user.skills:
        coverage, have, missing_core = skill_coverage(role, set(user.skills))
        parts["skills"] = coverage
        core = role.skill_ids("core")
        have_core = [s for s in core if s in set(user.skills)]
        if have:
            reasons.append(
                f"you have {len(have_core)} of {len(core)} core skills"
                + (f" ({', '.join(have_core[:5])})" if have_core else "")
                + f"; {coverage:.0%} of the role's weighted skills"
                + (
                    f", also {', '.join([s for s in have if s not in have_core][:4])}"
                    if len(have) > len(have_core)
                    else ""
                )
            )
        if missing_core:
            against.append(f"missing core skills: {', '.join(missing_core[:6])}")
    pref = preference_score(role.id, prefs) if prefs is not None and prefs.effects else None
    if pref is not None and prefs is not None:
        parts["preference"] = pref
        reasons.extend(prefs.reasons.get(role.id, [])[:3])
        against.extend(prefs.against.get(role.id, [])[:3])
    exp, why = experience_score(role, user, kb)
    parts["experience"] = exp
    if why:
        reasons.append(why)
    lfit, lwhy = level_fit(role, user)
    parts["level"] = lfit
    if lwhy:
        against.append(lwhy)
    weights = dict(PART_WEIGHTS)
    if "skills" not in parts and "preference" in parts:
        weights["preference"] += weights["skills"]
    elif "preference" not in parts and "skills" in parts:
        weights["skills"] += weights["preference"]
    total_w = sum(weights[k] for k in parts)
    score = 100.0 * sum(weights[k] * v for k, v in parts.items()) / total_w
    return RoleFit(
        role=role.id,
        name=role.name,
        score=round(score, 1),
        skill_coverage=None if coverage is None else round(coverage, 3),
        preference=None if pref is None else round(pref, 3),
        experience=exp,
        level_fit=round(lfit, 3),
        matched_skills=have,
        missing_core=missing_core,
        reasons=reasons,
        against=against,
    )


def rank_roles(user: UserProfile, prefs: Preferences | None, kb: KnowledgeBase) -> list[RoleFit]:
    """Every role (except 'other') scored and ranked, best first; ties broken by role id for stable output."""
    fits = [fit_role(r, user, prefs, kb) for r in kb.roles.values() if r.id not in SKIP_ROLES]
    fits.sort(key=lambda f: (-f.score, f.role))
    for i, f in enumerate(fits, 1):
        f.rank = i
    return fits
