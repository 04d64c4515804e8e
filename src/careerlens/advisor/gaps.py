"""Skill gaps for a target role, ranked by KB weight × measured demand × pay premium.

Demand is the share of the target role's postings that mention the skill (analytics.skills.top_skills); the
premium is the median pay with vs without it (analytics.premium.skill_premium). A figure that is missing
or withheld never becomes a number here: the factor stays neutral and the gap says "no data".

Postings data sets are not pooled (they found skills differently), but one set's vocabulary may not name a
skill at all: the largest set has fixed skill labels without GenAI terms, while the sets read from description
text name RAG or LangChain. So each skill's demand comes from the largest data set that can name it (some
posting of any role there does) and has enough postings of the role; the gap says which set that was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from careerlens.advisor.models import Gap
from careerlens.kb.roles import Role

NEUTRAL_DEMAND = 0.25  # demand factor used when there is no measured share (a typical mid-table share)
MIN_DEMAND = 0.01


@dataclass(frozen=True)
class SkillDemand:
    """A skill's demand for one role in the data set that measured it."""

    share: float | None  # None: the data set can name the skill, but none of the role's postings does
    n: int  # postings of the role naming it
    base: int  # postings of the role with skills in that data set: the denominator
    source: str  # the data set


@dataclass
class MarketSkills:
    """Measured demand and premium per skill for one role (empty when there are no data)."""

    demand: dict[str, SkillDemand] = field(default_factory=dict)  # skills some data set can name
    has_postings: bool = False  # some data set has enough of the role's postings with skills
    premium: dict[str, tuple[float, int]] = field(default_factory=dict)  # skill → (premium %, n with skill)
    premium_usd: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def market_skills(store: Any, role_id: str, *, settings: Any = None, kb: Any = None) -> MarketSkills:
    """Demand shares and pay premiums of a role's skills from the store; problems become notes, not errors."""
    out = MarketSkills()
    if store is None:
        out.notes.append("no market data (no warehouse or snapshot): gaps are ranked by KB weight only")
        return out
    from careerlens.errors import CareerlensError

    try:
        _demand(store, role_id, out, settings=settings, kb=kb)
    except (CareerlensError, ImportError, Exception) as exc:  # noqa: BLE001 - market data are optional here
        out.notes.append(f"no skill demand data for {role_id} ({type(exc).__name__})")
    try:
        from careerlens.analytics.premium import skill_premium

        prem = skill_premium(store, role=role_id, settings=settings, kb=kb)
        for row in prem.rows:
            if not row.withheld and row.premium_pct is not None:
                out.premium[row.skill] = (row.premium_pct, row.n_with)
                if row.median_with is not None and row.median_without is not None:
                    out.premium_usd[row.skill] = row.median_with - row.median_without
    except (CareerlensError, ImportError, Exception) as exc:  # noqa: BLE001
        out.notes.append(f"no pay premium data for {role_id} ({type(exc).__name__})")
    return out


def _demand(store: Any, role_id: str, out: MarketSkills, *, settings: Any, kb: Any) -> None:
    """Fill ``out.demand``: per skill, the largest data set that can name it and has enough role postings."""
    from careerlens.analytics.skills import postings_data_sets, top_skills

    for data_set in postings_data_sets(store):
        # a skill no posting of any role names is outside this set's vocabulary: not measured, not zero
        nameable = {
            str(r[0])
            for r in store.con.execute(
                "SELECT DISTINCT skill FROM agg_posting_skills WHERE source = ?", [data_set.source]
            ).fetchall()
        } - set(out.demand)
        if not nameable:
            continue
        top = top_skills(store, role_id, limit=1000, source=data_set.source, settings=settings, kb=kb)
        if top.withheld:
            out.notes.append(f"skill demand in {data_set.source} withheld for {role_id}: {top.note}")
            continue
        out.has_postings = True
        named = {s.skill: s for s in top.skills}
        for skill in nameable:
            hit = named.get(skill)
            out.demand[skill] = SkillDemand(
                share=hit.share if hit else None,
                n=hit.n if hit else 0,
                base=top.n_with_skills,
                source=data_set.source,
            )


def rank_gaps(
    role: Role, skills: set[str], market: MarketSkills | None = None, limit: int | None = None
) -> list[Gap]:
    """The target role's skills the user lacks, highest priority first, each with why it matters."""
    market = market or MarketSkills()
    gaps: list[Gap] = []
    for rs in role.skills:
        if rs.skill in skills:
            continue
        demand = market.demand.get(rs.skill)
        share = demand.share if demand else None
        prem = market.premium.get(rs.skill)
        # measured demand: the share. A skill the role's postings do not name gets the neutral factor, not a
        # zero: a data set's skill tags (a fixed taxonomy) often cannot name newer skills such as RAG
        demand_factor = max(share, MIN_DEMAND) if share is not None else NEUTRAL_DEMAND
        premium_factor = 1.0 + max(prem[0], 0.0) / 100.0 if prem else 1.0
        priority = rs.weight_value * demand_factor * premium_factor
        why = [f"{rs.weight.replace('_', ' ')} skill of {role.name} (weight {rs.weight_value})"]
        if demand and share is not None:
            why.append(
                f"asked for by {share:.0%} of {role.name} postings "
                f"(n={demand.n} of {demand.base}, {demand.source})"
            )
        elif demand:
            why.append(
                f"demand: no data (not named in the {demand.base} {role.name} postings with skills of "
                f"{demand.source})"
            )
        elif market.has_postings:
            why.append("demand: no data (no postings data set tags this skill)")
        else:
            why.append("demand: no data")
        if prem:
            usd = market.premium_usd.get(rs.skill)
            money = f", {usd:+,.0f} USD/yr" if usd is not None else ""
            why.append(f"pay premium {prem[0]:+.0f}%{money} (n={prem[1]} postings with it)")
        else:
            why.append("pay premium: no data")
        gaps.append(
            Gap(
                skill=rs.skill,
                weight=rs.weight,
                weight_value=rs.weight_value,
                demand_share=share,
                demand_n=demand.n if demand and share is not None else None,
                demand_source=demand.source if demand and share is not None else None,
                premium_pct=prem[0] if prem else None,
                premium_n=prem[1] if prem else None,
                premium_usd=market.premium_usd.get(rs.skill) if prem else None,
                priority=round(priority, 4),
                why="; ".join(why),
            )
        )
    gaps.sort(key=lambda g: (-g.priority, -g.weight_value, g.skill))
    return gaps[:limit] if limit else gaps
