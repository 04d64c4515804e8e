"""An ordered learning plan: the gap skills plus their missing prerequisites, in topological order over
kb/data/skill_prereqs.toml and grouped into stages (foundations → core → specialisation)."""

from __future__ import annotations

from careerlens.advisor.models import Gap, PlanItem, PlanStage
from careerlens.kb.questions import STAGES, SkillPrereqs
from careerlens.kb.skills import load_skills

# stage of a skill the prerequisite graph does not mention, by its lexicon category
FOUNDATION_CATEGORIES = {"math_statistics", "programming", "os", "collaboration", "analytics_bi"}


def stage_of(skill: str, prereqs: SkillPrereqs) -> str:
    """The plan stage: from the prerequisite graph when it knows the skill, else from the skill's category."""
    if skill in prereqs.requires or skill in prereqs.stage:
        return prereqs.stage_of(skill)
    lexicon = load_skills()
    category = lexicon[skill].category if skill in lexicon else "other"
    return "foundations" if category in FOUNDATION_CATEGORIES else "core"


def missing_prerequisites(skill: str, prereqs: SkillPrereqs, known: set[str]) -> set[str]:
    """The skill and its transitive prerequisites the user lacks (those of known skills are assumed)."""
    out: set[str] = set()
    stack = [skill]
    while stack:
        s = stack.pop()
        if s in out or s in known:
            continue
        out.add(s)
        stack.extend(prereqs.prerequisites(s))
    return out


def plan_order(skills: list[str], prereqs: SkillPrereqs, priority: dict[str, float]) -> list[str]:
    """Topological order (prerequisites first); among ready skills the higher priority comes first."""
    todo = set(skills)
    order: list[str] = []
    done: set[str] = set()
    while todo:
        ready = [s for s in todo if all(p in done or p not in todo for p in prereqs.prerequisites(s))]
        if not ready:  # cannot happen for a validated (acyclic) graph; keep going rather than loop
            ready = list(todo)
        ready.sort(key=lambda s: (STAGES.index(stage_of(s, prereqs)), -priority.get(s, 0.0), s))
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
    needed: set[str] = set()
    needed_by: dict[str, list[str]] = {}
    for g in top:
        for s in missing_prerequisites(g.skill, prereqs, user_skills):
            needed.add(s)
            if s != g.skill:
                needed_by.setdefault(s, []).append(g.skill)
    priority = {g.skill: g.priority for g in top}
    for s, parents in needed_by.items():
        priority.setdefault(s, max(priority.get(p, 0.0) for p in parents))
    gap_by_skill = {g.skill: g for g in top}
    order = plan_order(sorted(needed), prereqs, priority)
    # a skill is never placed in an earlier stage than one of its prerequisites
    stage_idx: dict[str, int] = {}
    for s in order:
        idx = STAGES.index(stage_of(s, prereqs))
        for p in prereqs.prerequisites(s):
            if p in stage_idx:
                idx = max(idx, stage_idx[p])
        stage_idx[s] = idx
    stages = {name: PlanStage(stage=name) for name in STAGES}
    for s in order:
        pre = [p for p in prereqs.prerequisites(s) if p in needed]
        if s in gap_by_skill:
            g = gap_by_skill[s]
            why = f"{g.weight.replace('_', ' ')} skill of {target_name}"
            if g.demand_share is not None:
                why += f", asked for by {g.demand_share:.0%} of its postings (n={g.demand_n})"
            if g.premium_pct is not None:
                why += f", pay premium {g.premium_pct:+.0f}% (n={g.premium_n})"
        else:
            why = f"prerequisite of {', '.join(sorted(needed_by.get(s, [])))}"
        if pre:
            why += f" — after {', '.join(pre)}"
        stages[STAGES[stage_idx[s]]].items.append(
            PlanItem(skill=s, stage=STAGES[stage_idx[s]], why=why, prerequisites=pre)
        )
    return [st for st in stages.values() if st.items]
