"""A career path from the user's current role and level to the target (and one step beyond) on the ladder
graph, each step with the salary range in the user's region and the skills it adds."""

from __future__ import annotations

from typing import Any

from careerlens.advisor.models import PathStep, SalaryRange, UserProfile
from careerlens.kb.roles import LEVEL_ORDER, KnowledgeBase, Role


def salary_range(
    store: Any, role: str, level: str, region: str | None, *, settings: Any = None
) -> SalaryRange:
    """Salary of role × level in the region; withheld or missing data say so instead of giving a number."""
    base = SalaryRange(role=role, level=level, region=region)
    if store is None:
        return base.model_copy(update={"note": "no data (no warehouse or snapshot)"})
    from careerlens.errors import CareerlensError

    try:
        from careerlens.analytics.salary import salary_stats

        st = salary_stats(store, role, level=level, region=region, settings=settings)
    except (CareerlensError, ImportError, Exception) as exc:  # noqa: BLE001 - salary data are optional here
        return base.model_copy(update={"note": f"no data ({type(exc).__name__})"})
    if st.withheld or st.median is None:
        return base.model_copy(update={"n": st.n, "note": st.note or f"too few data (n={st.n})"})
    ci = (st.median_ci.low, st.median_ci.high) if st.median_ci else None
    return base.model_copy(
        update={
            "n": st.n,
            "median": st.median,
            "p25": st.p25,
            "p75": st.p75,
            "median_ci": ci,
            "withheld": False,
            "note": f"n={st.n}, {st.source}",
        }
    )


def entry_level(role: Role, level: str) -> str:
    """The user's level if the role has it, else the nearest level the role has (e.g. lead)."""
    ids = role.level_ids()
    if level in ids:
        return level
    want = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0
    return min(ids, key=lambda lv: (abs(LEVEL_ORDER.index(lv) - want), LEVEL_ORDER.index(lv)))


def _step(
    kb: KnowledgeBase,
    role_id: str,
    level: str,
    kind: str,
    note: str,
    user_skills: set[str],
    store: Any,
    region: str | None,
    settings: Any,
) -> PathStep:
    role = kb.roles[role_id]
    add = [] if kind == "start" else [s for s in role.skill_ids("core") if s not in user_skills]
    user_skills.update(add)  # later steps list only what is new
    return PathStep(
        role=role_id,
        role_name=role.name,
        level=level,
        kind=kind,
        note=note,
        salary=salary_range(store, role_id, level, region, settings=settings),
        skills_to_add=add,
        typical_titles=role.typical_titles[:4],
    )


def build_path(
    kb: KnowledgeBase,
    user: UserProfile,
    target: str,
    *,
    store: Any = None,
    settings: Any = None,
) -> tuple[list[PathStep], str]:
    """Steps from (current role, level) to the target, then the next promotion; also the target level."""
    target_role = kb.roles[target]
    skills = set(user.skills)
    region = user.region
    start_role = user.current_role if user.current_role in kb.roles and user.current_role != "other" else None
    steps: list[PathStep] = []
    if start_role is None:
        lvl = entry_level(target_role, user.level)
        note = "enter the target role directly"
        steps.append(_step(kb, target, lvl, "switch", note, skills, store, region, settings))
    else:
        start_level = entry_level(kb.roles[start_role], user.level)
        ladder = kb.shortest_path(start_role, start_level, target) if start_role != target else []
        stepped_down = False
        if start_role != target and not ladder:
            # moves between roles are often made one level lower: try the lower levels of the current role
            lower = [
                lv
                for lv in kb.roles[start_role].level_ids()
                if LEVEL_ORDER.index(lv) < LEVEL_ORDER.index(start_level)
            ]
            for lv in reversed(lower):
                ladder = kb.shortest_path(start_role, lv, target)
                if ladder:
                    stepped_down = True
                    break
        steps.append(
            _step(kb, start_role, start_level, "start", "where you are now", skills, store, region, settings)
        )
        if start_role != target:
            if ladder:
                for k, node in enumerate(ladder[1:]):
                    edge = node.edge
                    note = edge.note if edge else ""
                    if stepped_down and k == 0:
                        note += (
                            f" (this move is usual from {ladder[0].level} level: expect to re-enter lower)"
                        )
                    steps.append(
                        _step(
                            kb,
                            node.role,
                            node.level,
                            edge.kind if edge else "lateral",
                            note,
                            skills,
                            store,
                            region,
                            settings,
                        )
                    )
            else:
                lvl = entry_level(target_role, user.level)
                steps.append(
                    _step(
                        kb,
                        target,
                        lvl,
                        "switch",
                        f"no usual ladder move from {kb.roles[start_role].name}: a career change",
                        skills,
                        store,
                        region,
                        settings,
                    )
                )
    target_level = steps[-1].level
    # one step beyond: the next promotion (or, at the top of a ladder, the usual next move)
    nexts = kb.next_steps(target, target_level)
    nexts.sort(key=lambda e: (e.kind != "promotion", e.to != target))
    if nexts:
        e = nexts[0]
        steps.append(_step(kb, e.to, e.to_level, "next", e.note, skills, store, region, settings))
    return steps, target_level
