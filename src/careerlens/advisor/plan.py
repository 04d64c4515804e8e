"""An ordered learning plan: the gap skills plus their missing prerequisites, in topological order over
kb/data/skill_prereqs.toml and grouped into stages (foundations → core → specialisation)."""

from __future__ import annotations

from careerlens.advisor.models import Gap, PlanItem, PlanStage
from careerlens.kb.questions import STAGES, SkillPrereqs


def plan_order(skills: list[str], prereqs: SkillPrereqs, priority: dict[str, float]) -> list[str]:
    """Topological order (prerequisites first); among ready skills the higher priority comes first."""
    todo = set(skills)
    order: list[str] = []
    done: set[str] = set()
    while todo:
        ready = [s for s in todo if all(p in done or p not in todo for p in prereqs.prerequisites(s))]
        if not ready:  # cannot happen for a validated (acyclic) graph; keep going rather than loop
            ready = list(todo)
        ready.sort(key=lambda s: (STAGES.index(prereqs.stage_of(s)), -priority.get(s, 0.0), s))
        nxt = ready[0]
        order.append(nxt)
        done.add(nxt)
        todo.remove(nxt)
    return order


def build_plan(
    gaps: list[Gap], user_skills: set[str], prereqs: SkillPrereqs, target_name: str, *, max_gaps: int = 12
) -> list[PlanStage]:
    """Stages of learning items for the top gaps, each item saying why it is in the plan."""
    top = gaps[:max_gaps]
    wanted = {g.skill for g in top}
    needed = {s for s in prereqs.closure(wanted) if s not in user_skills}
    needed_by: dict[str, list[str]] = {}
    for g in top:
        for s in prereqs.closure([g.skill]) - {g.skill}:
            if s in needed:
                needed_by.setdefault(s, []).append(g.skill)
    priority = {g.skill: g.priority for g in top}
    for s, parents in needed_by.items():
        priority.setdefault(s, max(priority.get(p, 0.0) for p in parents))
    gap_by_skill = {g.skill: g for g in top}
    order = plan_order(sorted(needed), prereqs, priority)
    # a skill is never placed in an earlier stage than one of its prerequisites
    stage_idx: dict[str, int] = {}
    for s in order:
        idx = STAGES.index(prereqs.stage_of(s))
        for p in prereqs.prerequisites(s):
            if p in stage_idx:
                idx = max(idx, stage_idx[p])
        stage_idx[s] = idx
    stages = {name: PlanStage(stage=name) for name in STAGES}
    for s in order:
        pre = [p for p in prereqs.prerequisites(s) if p in needed]
        if s in gap_by_skill:
            g = gap_by_skill[s]
            why = f"gap for {target_name}: {g.why}"
        else:
            why = f"prerequisite of {', '.join(sorted(needed_by.get(s, [])))}"
        if pre:
            why += f" — after {', '.join(pre)}"
        stages[STAGES[stage_idx[s]]].items.append(
            PlanItem(skill=s, stage=STAGES[stage_idx[s]], why=why, prerequisites=pre)
        )
    return [st for st in stages.values() if st.items]
