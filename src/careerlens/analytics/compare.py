"""Compare two roles: what they are, what skills they share, what they pay, and whether one pays more than the
other *for like jobs* — with verdicts on the article's claims about ML and AI engineers.

The raw medians of two roles mix in differences of level, region, year and company size (AI-engineer jobs
are newer and more often senior, say). The matched premium compares the roles only within strata of equal
level × region × work_year × company size and then averages the per-stratum gaps, so that a difference in
mix cannot pass for a difference in pay.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from careerlens.analytics.models import (
    Comparison,
    Interval,
    LevelPair,
    Premium,
    RoleSummary,
    SalaryFilters,
    SkillComparison,
    SkillRow,
    StratumRow,
    Verdict,
)
from careerlens.analytics.salary import LEVELS, StoreLike, fetch_salaries, salary_cell, source_label
from careerlens.analytics.stats import Stratum, matched_difference
from careerlens.errors import InputError, StoreError
from careerlens.settings import Settings, get_settings

MLE = "machine_learning_engineer"
AIE = "ai_engineer"
SWE = "software_engineer"
STRATA_BY: tuple[str, ...] = ("level", "region", "work_year", "company_size")
MIN_PER_STRATUM = 10
SLIGHT_MAX_PCT = 15.0  # "slightly more": a premium above 0 and at most this
LIKE_PCT = 10.0  # "earn like": within ± this, with the CI inside
_GENAI_MARKERS = ("genai", "gen_ai", "llm", "generative")
_STRATA_TEXT = {"level": "level", "region": "region", "work_year": "year", "company_size": "company size"}


# ------------------------------------------------------------------------------------------- matched premium


def _groups(
    store: StoreLike, role: str, by: Sequence[str], where: Mapping[str, Any]
) -> dict[tuple[Hashable, ...], np.ndarray[Any, Any]]:
    """Salaries of one role grouped by the stratum columns, each group in fact order (as fetch_salaries)."""
    clauses, params = ["role = ?"], [role]
    for col, value in where.items():
        if isinstance(value, list | tuple):
            clauses.append(f"{col} IN ({', '.join('?' for _ in value)})")
            params.extend(value)
        else:
            clauses.append(f"{col} = ?")
            params.append(value)
    cols = ", ".join(by)
    sql = (
        f"SELECT {cols}, list(salary_usd ORDER BY fact_id) FROM salaries WHERE {' AND '.join(clauses)} "
        "GROUP BY ALL"
    )
    try:
        rows = store.con.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise StoreError(
            f"cannot read salaries: {exc}", hint="run `careerlens ingest` or use the snapshot"
        ) from None
    return {tuple(r[:-1]): np.asarray(r[-1], dtype=np.float64) for r in rows}


def _sort_key(key: tuple[Hashable, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, str(k)) if k is not None else (1, "") for k in key)


def matched_premium(
    store: StoreLike,
    role_a: str,
    role_b: str,
    *,
    scope: str = "all",
    by: Sequence[str] = STRATA_BY,
    where_a: Mapping[str, Any] | None = None,
    where_b: Mapping[str, Any] | None = None,
    min_per_stratum: int = MIN_PER_STRATUM,
    settings: Settings | None = None,
    source: str | None = None,
) -> Premium:
    """Premium of role B over role A within strata of like jobs (see the module docstring); withheld when no
    stratum has enough jobs of both roles or the matched n of a role is below ``settings.min_n``."""
    settings = settings or get_settings()
    source = source or source_label(store)
    ga = _groups(store, role_a, by, where_a or {})
    gb = _groups(store, role_b, by, where_b or {})
    empty = np.empty(0, dtype=np.float64)
    keys = sorted(set(ga) | set(gb), key=_sort_key)
    strata = [Stratum(k, ga.get(k, empty), gb.get(k, empty)) for k in keys]
    md = matched_difference(
        strata,
        min_per_stratum=min_per_stratum,
        samples=settings.bootstrap_samples,
        seed=settings.seed,
    )
    base: dict[str, Any] = dict(
        scope=scope,
        role_a=role_a,
        role_b=role_b,
        strata_by=list(by),
        min_per_stratum=min_per_stratum,
        n_strata=md.n_strata,
        n_strata_skipped=md.n_strata_skipped,
        n_a=md.n_a,
        n_b=md.n_b,
        n=md.n_a + md.n_b,
        source=source,
    )
    total_a = int(sum(v.size for v in ga.values()))
    total_b = int(sum(v.size for v in gb.values()))
    if md.estimate is None:
        note = (
            f"no stratum has ≥{min_per_stratum} jobs of both roles "
            f"({total_a} jobs of {role_a}, {total_b} of {role_b} in {len(keys)} strata)"
        )
        return Premium(withheld=True, note=note, **base)
    if min(md.n_a, md.n_b) < settings.min_n:
        note = f"too few matched data (n={min(md.n_a, md.n_b)} < {settings.min_n})"
        return Premium(withheld=True, note=note, **base)
    assert md.premium is not None and md.premium_ci is not None  # noqa: S101 - set together with estimate
    rows = [
        StratumRow(
            key=dict(zip(by, (_plain(k) for k in key), strict=True)),
            n_a=na,
            n_b=nb,
            premium_pct=100.0 * float(np.expm1(d)),
            weight=w,
        )
        for key, na, nb, d, w in sorted(md.per_stratum, key=lambda r: -r[4])
    ]
    note = f"matched {md.n_a} of {total_a} {role_a} and {md.n_b} of {total_b} {role_b} jobs"
    return Premium(
        estimate_pct=100.0 * md.premium,
        ci_pct=Interval(low=100.0 * md.premium_ci[0], high=100.0 * md.premium_ci[1]),
        strata=rows,
        note=note,
        **base,
    )


def _plain(value: Hashable) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def invert(p: Premium) -> Premium:
    """The same comparison read the other way (premium of A over B): exact in log space, CI ends swap."""

    def inv(x: float) -> float:
        return 100.0 * (1.0 / (1.0 + x / 100.0) - 1.0)

    strata = [
        s.model_copy(update={"n_a": s.n_b, "n_b": s.n_a, "premium_pct": inv(s.premium_pct)}) for s in p.strata
    ]
    return p.model_copy(
        update={
            "role_a": p.role_b,
            "role_b": p.role_a,
            "n_a": p.n_b,
            "n_b": p.n_a,
            "estimate_pct": None if p.estimate_pct is None else inv(p.estimate_pct),
            "ci_pct": None if p.ci_pct is None else Interval(low=inv(p.ci_pct.high), high=inv(p.ci_pct.low)),
            "strata": strata,
        }
    )


# --------------------------------------------------------------------------------------------------- verdicts


def _pct(x: float) -> str:
    return f"{x:+.1f} %"


def _evidence(p: Premium, name_a: str, name_b: str) -> str:
    """One sentence of the estimate, its CI and the data it rests on."""
    if p.withheld or p.estimate_pct is None or p.ci_pct is None:
        return f"No estimate: {p.note}."
    strata = " × ".join(_STRATA_TEXT.get(c, c) for c in p.strata_by)
    return (
        f"{name_b} jobs pay {_pct(p.estimate_pct)} relative to {name_a} jobs "
        f"(95 % CI {_pct(p.ci_pct.low)} to {_pct(p.ci_pct.high)}), "
        f"comparing like jobs within {p.n_strata} strata of equal {strata} "
        f"(n = {p.n_b} {name_b} and {p.n_a} {name_a} jobs; {p.n_strata_skipped} strata skipped with "
        f"< {p.min_per_stratum} jobs of a role)."
    )


def verdict_more(
    p: Premium, name_a: str, name_b: str, *, slight_max: float | None = None, claim: str = ""
) -> Verdict:
    """Does B earn more than A? With ``slight_max``: 'slightly more', i.e. more but at most slight_max %."""
    claim = claim or f"{name_b} jobs pay more than {name_a} jobs"
    ev = _evidence(p, name_a, name_b)
    if p.withheld or p.estimate_pct is None or p.ci_pct is None:
        return Verdict(claim=claim, verdict="untestable", explanation=ev, evidence=[p])
    lo, hi, est = p.ci_pct.low, p.ci_pct.high, p.estimate_pct
    if hi < 0:
        v, why = "contradicted", f"{name_b} jobs pay less, and the CI excludes 0."
    elif lo <= 0:
        v, why = "inconclusive", "The CI includes 0: the data cannot tell whether there is any premium."
    elif slight_max is None:
        v, why = "supported", "The CI excludes 0."
    elif est <= slight_max:
        v = "supported"
        why = f"The premium is above 0 (CI excludes 0) and at most {slight_max:.0f} %: 'slightly more' fits."
        if hi > slight_max:
            why += f" The upper end of the CI exceeds {slight_max:.0f} %, so it may be more than slight."
    else:
        v = "not_supported"
        why = f"{name_b} jobs pay more, but the premium exceeds {slight_max:.0f} %: more than 'slightly'."
    return Verdict(claim=claim, verdict=v, explanation=f"{ev} {why}", evidence=[p])  # type: ignore[arg-type]


def verdict_especially(
    overall: Premium, sub: Premium | None, why_none: str | None, name_a: str, name_b: str
) -> Verdict:
    """Is B's premium larger within GenAI jobs than overall?"""
    claim = "… especially in generative AI"
    if sub is None or sub.withheld or sub.estimate_pct is None or sub.ci_pct is None:
        reason = why_none or (sub.note if sub is not None else "no GenAI data")
        ev = [sub] if sub is not None else []
        return Verdict(
            claim=claim, verdict="untestable", explanation=f"Cannot be tested: {reason}.", evidence=ev
        )
    ev_text = f"{sub.scope}: {_evidence(sub, name_a, name_b)}"
    if overall.estimate_pct is None:
        return Verdict(
            claim=claim,
            verdict="untestable",
            explanation=f"{ev_text} There is no overall premium to compare it with.",
            evidence=[sub, overall],
        )
    base = overall.estimate_pct
    if sub.ci_pct.low > base and sub.ci_pct.low > 0:
        v, why = (
            "supported",
            f"Within GenAI jobs the premium is larger than overall ({_pct(base)}), beyond its CI.",
        )
    elif sub.ci_pct.high < base:
        v, why = "not_supported", f"Within GenAI jobs the premium is smaller than overall ({_pct(base)})."
    else:
        v, why = (
            "inconclusive",
            f"The GenAI CI includes the overall premium ({_pct(base)}): no clear difference.",
        )
    return Verdict(claim=claim, verdict=v, explanation=f"{ev_text} {why}", evidence=[sub, overall])  # type: ignore[arg-type]


def verdict_like(ps: Sequence[Premium], name_a: str, name_b: str, *, band: float = LIKE_PCT) -> Verdict:
    """Does B earn 'like' A: within ± band %, CI inside? Judged on the first premium; all are evidence."""
    claim = f"{name_b} jobs pay like {name_a} jobs"
    p = ps[0]
    texts = " ".join(f"{q.scope}: {_evidence(q, name_a, name_b)}" for q in ps)
    others = " ".join(f"For {q.scope} {_band_text(q, band)}." for q in ps[1:])
    if p.withheld or p.estimate_pct is None or p.ci_pct is None:
        return Verdict(claim=claim, verdict="untestable", explanation=texts, evidence=list(ps))
    lo, hi = p.ci_pct.low, p.ci_pct.high
    if -band <= lo and hi <= band:
        v, why = "supported", f"The whole CI lies within ±{band:.0f} %: they earn alike."
    elif lo > band or hi < -band:
        side = "more" if lo > band else "less"
        v, why = "not_supported", f"The whole CI lies beyond ±{band:.0f} %: {name_b} jobs pay clearly {side}."
    else:
        v, why = "inconclusive", f"The CI crosses the ±{band:.0f} % band: the data cannot tell."
    explanation = f"{texts} Judged on {p.scope}: {why}" + (f" {others}" if others else "")
    return Verdict(claim=claim, verdict=v, explanation=explanation, evidence=list(ps))  # type: ignore[arg-type]


def _band_text(p: Premium, band: float) -> str:
    if p.ci_pct is None:
        return "there is no estimate"
    lo, hi = p.ci_pct.low, p.ci_pct.high
    if -band <= lo and hi <= band:
        return f"the CI lies within ±{band:.0f} %"
    if lo > band or hi < -band:
        return f"the CI lies beyond ±{band:.0f} %"
    return f"the CI crosses ±{band:.0f} %"


# --------------------------------------------------------------------------------------------------- compare


def _summary(role: Any) -> RoleSummary:
    return RoleSummary(
        id=role.id, name=role.name, summary=role.summary, responsibilities=list(role.responsibilities)
    )


def compare_skills(role_a: Any, role_b: Any) -> SkillComparison:
    """Shared skills and those of only one role, heaviest first (weights from the knowledge base)."""
    wa = {s.skill: s for s in role_a.skills}
    wb = {s.skill: s for s in role_b.skills}

    def row(skill: str, group: str) -> SkillRow:
        sa, sb = wa.get(skill), wb.get(skill)
        return SkillRow(
            skill=skill,
            group=group,  # type: ignore[arg-type]
            weight_a=sa.weight if sa else None,
            weight_b=sb.weight if sb else None,
            weight_value_a=sa.weight_value if sa else None,
            weight_value_b=sb.weight_value if sb else None,
        )

    def order(skill: str) -> tuple[int, str]:
        return (
            -(
                (wa[skill].weight_value if skill in wa else 0)
                + (wb[skill].weight_value if skill in wb else 0)
            ),
            skill,
        )

    shared = sorted(set(wa) & set(wb), key=order)
    only_a = sorted(set(wa) - set(wb), key=order)
    only_b = sorted(set(wb) - set(wa), key=order)
    return SkillComparison(
        shared=[row(s, "shared") for s in shared],
        only_a=[row(s, "only_a") for s in only_a],
        only_b=[row(s, "only_b") for s in only_b],
    )


def genai_specialisations(store: StoreLike, roles: Sequence[str]) -> list[str]:
    """Specialisation values the title classifier uses for generative AI / LLM work, among the given roles."""
    marks = ", ".join("?" for _ in roles)
    try:
        rows = store.con.execute(
            "SELECT DISTINCT specialisation FROM salaries "
            f"WHERE specialisation IS NOT NULL AND role IN ({marks})",
            list(roles),
        ).fetchall()
    except duckdb.Error:
        return []
    return sorted(str(v) for (v,) in rows if any(m in str(v).casefold() for m in _GENAI_MARKERS))


def _salary_by_level(store: StoreLike, a: str, b: str, *, source: str, settings: Settings) -> list[LevelPair]:
    out: list[LevelPair] = []
    for lv in (None, *LEVELS):
        va = fetch_salaries(store, SalaryFilters(role=a, level=lv))
        vb = fetch_salaries(store, SalaryFilters(role=b, level=lv))
        if lv is not None and va.size == 0 and vb.size == 0:
            continue
        out.append(
            LevelPair(
                level=lv or "all",
                a=salary_cell(va, source=source, min_n=settings.min_n, settings=settings),
                b=salary_cell(vb, source=source, min_n=settings.min_n, settings=settings),
            )
        )
    return out


def _genai_premium(
    store: StoreLike, a: str, b: str, names: tuple[str, str], *, source: str, settings: Settings
) -> tuple[Premium | None, str | None]:
    """Premium within GenAI-specialised jobs of both roles. When one role has too few such jobs, the GenAI
    jobs of the other are compared with all its jobs. Returns (premium, what was compared or why not)."""
    values = genai_specialisations(store, [a, b])
    if not values:
        return None, "the title classifier marked no job of either role with a GenAI/LLM specialisation"
    spec = {"specialisation": values}
    kw: dict[str, Any] = dict(settings=settings, source=source)
    both = matched_premium(store, a, b, scope="specialisation=genai", where_a=spec, where_b=spec, **kw)
    if not both.withheld:
        return both, f"both roles restricted to GenAI specialisation ({', '.join(values)})"
    counts = {r: int(sum(v.size for v in _groups(store, r, ("level",), spec).values())) for r in (a, b)}
    have = f"{counts[a]} {names[0]} and {counts[b]} {names[1]} jobs carry a GenAI specialisation"
    for scope, where_a, where_b, who, other in (
        ("GenAI B vs all A", None, spec, names[1], names[0]),
        ("all B vs GenAI A", spec, None, names[0], names[1]),
    ):
        one_sided = matched_premium(store, a, b, scope=scope, where_a=where_a, where_b=where_b, **kw)
        if not one_sided.withheld:
            return (
                one_sided,
                f"{have}, too few to match both; compared GenAI {who} jobs with all {other} jobs",
            )
    return both, f"{have}: too few to compare"


def compare_roles(
    store: StoreLike, kb: Any, a: str, b: str, *, settings: Settings | None = None
) -> Comparison:
    """Summaries, skills, salary by level, matched premium of B over A (all, by level, GenAI), verdicts."""
    settings = settings or get_settings()
    role_a, role_b = kb.role(a), kb.role(b)
    if role_a.id == role_b.id:
        raise InputError(f"both names mean the same role ({role_a.id})", hint="compare two different roles")
    source = source_label(store)
    ida, idb = role_a.id, role_b.id
    premium = matched_premium(store, ida, idb, settings=settings, source=source)
    by_level = [
        matched_premium(
            store,
            ida,
            idb,
            scope=f"level={lv}",
            by=STRATA_BY[1:],
            where_a={"level": lv},
            where_b={"level": lv},
            settings=settings,
            source=source,
        )
        for lv in LEVELS
    ]
    by_level = [p for p in by_level if p.n_strata + p.n_strata_skipped > 0]
    genai, genai_note = _genai_premium(
        store, ida, idb, (role_a.name, role_b.name), source=source, settings=settings
    )
    verdicts = _verdicts(
        store, kb, role_a, role_b, premium, genai, genai_note, source=source, settings=settings
    )
    demand, top, convergence, postings_note = _postings_context(store, kb, ida, idb, settings=settings)
    return Comparison(
        a=_summary(role_a),
        b=_summary(role_b),
        skills=compare_skills(role_a, role_b),
        salary_by_level=_salary_by_level(store, ida, idb, source=source, settings=settings),
        premium=premium,
        premium_by_level=by_level,
        premium_genai=genai,
        genai_note=genai_note,
        verdicts=verdicts,
        source=source,
        min_n=settings.min_n,
        demand=demand,
        top_skills=top,
        convergence=convergence,
        postings_note=postings_note,
    )


def _postings_context(
    store: StoreLike, kb: Any, ida: str, idb: str, *, settings: Settings
) -> tuple[list[Any], list[Any], Any | None, str | None]:
    """Demand, top skills and convergence of the two roles from the postings aggregates.

    A warehouse may hold salaries only; then the comparison still stands and says why this part is missing.
    """
    from careerlens.analytics.converge import converge
    from careerlens.analytics.demand import demand
    from careerlens.analytics.skills import top_skills
    from careerlens.errors import CareerlensError

    n_postings = store.con.execute("SELECT coalesce(sum(n_postings), 0) FROM agg_posting_counts").fetchone()
    if not n_postings or not n_postings[0]:
        return (
            [],
            [],
            None,
            (
                "no postings context: this store holds no job postings "
                "(load some with `careerlens ingest FILE --source postings`)"
            ),
        )
    try:
        dem = [demand(store, role=r, by="year", settings=settings, kb=kb) for r in (ida, idb)]
        top = [top_skills(store, r, limit=10, settings=settings, kb=kb) for r in (ida, idb)]
        conv = converge(store, ida, idb, by="year", settings=settings, kb=kb)
    except CareerlensError as exc:
        return [], [], None, f"no postings context: {exc.message}"
    return dem, top, conv, None


def _verdicts(
    store: StoreLike,
    kb: Any,
    role_a: Any,
    role_b: Any,
    premium: Premium,
    genai: Premium | None,
    genai_note: str | None,
    *,
    source: str,
    settings: Settings,
) -> list[Verdict]:
    """The article's claims for the MLE/AIE pair (either order); a premium verdict for any other pair."""
    if {role_a.id, role_b.id} != {MLE, AIE}:
        return [verdict_more(premium, role_a.name, role_b.name)]
    # orient so that the claims read "AI engineers over ML engineers" whatever the order on the command line
    flip = role_a.id == AIE
    mle, aie = (role_b, role_a) if flip else (role_a, role_b)
    p = invert(premium) if flip else premium
    g = invert(genai) if (flip and genai is not None) else genai
    out = [
        verdict_more(
            p,
            mle.name,
            aie.name,
            slight_max=SLIGHT_MAX_PCT,
            claim="AI Engineers earn slightly more than ML Engineers",
        ),
        verdict_especially(p, g, genai_note, mle.name, aie.name),
    ]
    try:
        swe = kb.role(SWE)
    except Exception:  # noqa: BLE001 - a knowledge base without software engineers cannot judge claim 2
        swe = None
    claim2 = "ML Engineers earn like senior Software Engineers"
    if swe is None:
        out.append(
            Verdict(
                claim=claim2, verdict="untestable", explanation="The knowledge base has no software_engineer."
            )
        )
        return out
    senior = {"level": "senior"}
    all_levels = matched_premium(
        store, SWE, MLE, scope="MLE (all levels) vs senior SWE", by=("region", "work_year"), where_a=senior,
        settings=settings, source=source,
    )  # fmt: skip
    senior_mle = matched_premium(
        store, SWE, MLE, scope="senior MLE vs senior SWE", by=("region", "work_year"), where_a=senior,
        where_b=senior, settings=settings, source=source,
    )  # fmt: skip
    v = verdict_like([all_levels, senior_mle], f"senior {swe.name}", mle.name)
    out.append(v.model_copy(update={"claim": claim2}))
    return out


def compare(a: str, b: str, db: str | Path | None = None) -> Comparison:
    """Library entry point: the same path as `careerlens compare A B`; returns the result."""
    from careerlens.analytics.salary import open_default_store
    from careerlens.kb.roles import load_kb

    settings = get_settings(db=db)
    kb = load_kb()
    kb.role(a), kb.role(b)  # unknown roles fail before the store is opened
    with open_default_store(settings=settings) as store:
        return compare_roles(store, kb, a, b, settings=settings)
