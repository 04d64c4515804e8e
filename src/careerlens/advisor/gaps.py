"""Skill gaps for a target role, ranked by KB weight × measured demand × pay premium.

Demand is the share of the target role's postings that mention the skill (analytics.skills.top_skills); the
premium is the median pay with vs without it (analytics.premium.skill_premium). A figure that is missing
or withheld never becomes a number here: the factor stays neutral and the gap says "no data".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from careerlens.advisor.models import Gap
from careerlens.kb.roles import Role

NEUTRAL_DEMAND = 0.25  # demand factor used when there is no measured share (a typical mid-table share)
MIN_DEMAND = 0.01


@dataclass
class MarketSkills:
    """Measured demand and premium per skill for one role (empty when there are no data)."""

    demand: dict[str, tuple[float, int]] = field(
        default_factory=dict
    )  # skill → (share, n postings mentioning it)
    demand_base: int = 0  # postings with skills: the denominator of the shares
    premium: dict[str, tuple[float, int]] = field(default_factory=dict)  # skill → (premium %, n with skill)
    premium_usd: dict[str, float] = field(default_factory=dict)
    measured: set[str] | None = None  # skills the postings data can name at all (None: unknown)
    notes: list[str] = field(default_factory=list)


def market_skills(store: Any, role_id: str, *, settings: Any = None, kb: Any = None) -> MarketSkills:
    """Demand shares and pay premiums of a role's skills from the store; problems become notes, not errors."""
    out = MarketSkills()
    if store is None:
        out.notes.append("no market data (no warehouse or snapshot): gaps are ranked by KB weight only")
        return out
    from careerlens.errors import CareerlensError

    try:
        from careerlens.analytics.skills import top_skills

        top = top_skills(store, role_id, limit=1000, settings=settings, kb=kb)
        if top.withheld:
            out.notes.append(f"skill demand withheld for {role_id}: {top.note}")
        else:
            out.demand_base = top.n_with_skills
            out.demand = {s.skill: (s.share, s.n) for s in top.skills}
            # a skill no posting of any role names is outside the data's vocabulary: not measured, not zero
            rows = store.con.execute("SELECT DISTINCT skill FROM agg_posting_skills").fetchall()
            out.measured = {str(r[0]) for r in rows}
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


def rank_gaps(
    role: Role, skills: set[str], market: MarketSkills | None = None, limit: int | None = None
) -> list[Gap]:
    """The target role's skills the user lacks, highest priority first, each with why it matters."""
    market = market or MarketSkills()
    gaps: list[Gap] = []
    for rs in role.skills:
        if rs.skill in skills:
            continue
        share_n = market.demand.get(rs.skill)
        prem = market.premium.get(rs.skill)
        # measured demand: the share. A skill the role's postings do not name gets the neutral factor, not a
        # zero: the postings' skill tags (a fixed taxonomy) often cannot name newer skills such as RAG
        demand_factor = max(share_n[0], MIN_DEMAND) if share_n else NEUTRAL_DEMAND
        tagged = market.measured is not None and rs.skill in market.measured
        premium_factor = 1.0 + max(prem[0], 0.0) / 100.0 if prem else 1.0
        priority = rs.weight_value * demand_factor * premium_factor
        why = [f"{rs.weight.replace('_', ' ')} skill of {role.name} (weight {rs.weight_value})"]
        if share_n:
            why.append(
                f"asked for by {share_n[0]:.0%} of {role.name} postings "
                f"(n={share_n[1]} of {market.demand_base})"
            )
        elif market.demand_base and tagged:
            why.append(
                f"demand: no data (not named in the {market.demand_base} {role.name} postings with skills)"
            )
        elif market.demand_base:
            why.append("demand: no data (the postings data do not tag this skill)")
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
                demand_share=share_n[0] if share_n else None,
                demand_n=share_n[1] if share_n else None,
                premium_pct=prem[0] if prem else None,
                premium_n=prem[1] if prem else None,
                premium_usd=market.premium_usd.get(rs.skill) if prem else None,
                priority=round(priority, 4),
                why="; ".join(why),
            )
        )
    gaps.sort(key=lambda g: (-g.priority, -g.weight_value, g.skill))
    return gaps[:limit] if limit else gaps
