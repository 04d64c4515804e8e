"""Are two roles converging? Per period, the cosine similarity of the roles' skill-share vectors and the
Jaccard overlap of their top-k skills, then a trend test on the cosine over periods and a verdict.

The trend and intervals use a noise-corrected cosine (see ``corrected_cosine``), since the plug-in cosine
falls as n falls. Uncertainty: a parametric bootstrap (each skill count redrawn as Binomial(n_with_skills,
share), because the aggregates hold no posting rows to resample) gives basic intervals for each period's
cosine, for the change and for the trend, the OLS slope of the cosine per period step; a one-sided
permutation p-value of the period order backs the slope. With fewer than four usable periods the trend is
not testable: the result says so and why. With monthly periods over several years the slope is estimated
within years (a year fixed effect), because each year of the bundled data is a different population
(2023: salaried subset; 2024: Sep-Dec, all postings).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from careerlens.analytics.models import Interval, ResultModel, VerdictValue
from careerlens.analytics.salary import StoreLike, open_default_store, resolve_role
from careerlens.analytics.skills import (
    POSTINGS_CAVEATS,
    data_set_note,
    postings_source,
    query,
    resolve_data_set,
    source_clause,
)
from careerlens.analytics.stats import percentile_interval, withheld_note
from careerlens.errors import InputError
from careerlens.settings import Settings, get_settings

CONVERGE_SCHEMA = "careerlens.converge/v1"
MIN_TREND_PERIODS = 4
_MAX_EXACT_PERMUTATIONS = 5040
_RANDOM_PERMUTATIONS = 5000
FLAT_SLOPE = 0.005  # a cosine change per period below this is read as "no convergence"


class PeriodSimilarity(ResultModel):
    """Similarity of the two roles' skill demand in one period."""

    period: str
    n_a: int = Field(description="postings of role A with skills in the period")
    n_b: int = Field(description="postings of role B with skills in the period")
    cosine: float | None = Field(default=None, description="plug-in cosine of the observed skill shares")
    cosine_corrected: float | None = Field(
        default=None,
        description="cosine with the sampling noise of each share vector's squared norm removed; the trend "
        "uses it, because the plug-in cosine is biased down more when n is small",
    )
    cosine_ci: Interval | None = Field(
        default=None, description="parametric bootstrap 95 % interval of the corrected cosine"
    )
    jaccard_top_k: float | None = None
    top_k_shared: list[str] = Field(default_factory=list)
    withheld: bool = False
    note: str | None = None


class Trend(ResultModel):
    """Slope of the cosine over usable periods."""

    testable: bool
    n_periods: int
    slope_per_period: float | None = None
    slope_ci: Interval | None = None
    p_value: float | None = Field(default=None, description="one-sided permutation p-value of slope > 0")
    change: float | None = Field(
        default=None, description="corrected cosine of the last minus the first usable period"
    )
    change_ci: Interval | None = None
    method: str
    note: str


class Convergence(ResultModel):
    """`careerlens converge A B`."""

    schema_: Literal["careerlens.converge/v1"] = Field(default="careerlens.converge/v1", alias="schema")
    role_a: str
    role_b: str
    role_a_name: str
    role_b_name: str
    by: Literal["year", "month"]
    top_k: int
    min_n: int
    periods: list[PeriodSimilarity] = Field(default_factory=list)
    trend: Trend
    claim: str
    verdict: VerdictValue
    explanation: str
    data_set: str = Field(description="the postings data set used (a reader name), or 'all'")
    data_set_note: str
    source: str
    caveats: list[str] = Field(default_factory=lambda: list(POSTINGS_CAVEATS))


def cosine(u: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    """Cosine similarity of two non-negative vectors (0 when either is all zero)."""
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    return 0.0 if nu == 0 or nv == 0 else float(u @ v / (nu * nv))


def top_k_set(counts: dict[str, int], k: int) -> set[str]:
    """The k most mentioned skills (ties broken by skill id, so the set is deterministic)."""
    return {s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]}


def jaccard(a: set[str], b: set[str]) -> float | None:
    return len(a & b) / len(a | b) if a | b else None


def corrected_cosine(
    pa: NDArray[np.float64], na: int, pb: NDArray[np.float64], nb: int
) -> NDArray[np.float64]:
    """Cosine of share vectors with the noise term removed from each squared norm (rows = replicates).

    With independent samples the dot product of the observed shares is unbiased, but E|p̂|² = |p|² +
    Σ p(1−p)/n inflates the norms, so the plug-in cosine is pulled down, more so for small n. Since
    E[p̂(1−p̂)] = p(1−p)(n−1)/n, Σ p̂² − Σ p̂(1−p̂)/(n−1) is an unbiased squared norm. Clipped to [0, 1].
    """
    dot = (pa * pb).sum(axis=-1)
    sa = (pa * pa).sum(axis=-1) - (pa * (1 - pa)).sum(axis=-1) / max(na - 1, 1)
    sb = (pb * pb).sum(axis=-1) - (pb * (1 - pb)).sum(axis=-1) / max(nb - 1, 1)
    den = np.sqrt(np.clip(sa, 1e-12, None) * np.clip(sb, 1e-12, None))
    return np.asarray(np.clip(dot / den, 0.0, 1.0))


def _slope(t: NDArray[np.float64], y: NDArray[np.float64], groups: NDArray[np.int64]) -> NDArray[np.float64]:
    """OLS slope of y on t with a fixed effect per group; y may be 2-D (replicates × periods)."""
    tc = t.astype(np.float64).copy()
    yc = np.array(y, dtype=np.float64, copy=True)
    for g in np.unique(groups):
        m = groups == g
        tc[m] -= tc[m].mean()
        yc[..., m] -= yc[..., m].mean(axis=-1, keepdims=True)
    denom = float((tc * tc).sum())
    if denom == 0:
        return np.full(yc.shape[:-1], np.nan)
    return np.asarray((yc * tc).sum(axis=-1) / denom)


def _period_data(
    store: StoreLike, roles: tuple[str, str], by: str, source: str | None
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], dict[str, int]], dict[str, int]]:
    key = (
        "CAST(year AS VARCHAR)"
        if by == "year"
        else ("CAST(year AS VARCHAR) || '-' || lpad(CAST(month AS VARCHAR), 2, '0')")
    )
    src, src_params = source_clause(source)
    cond = f"role IN (?, ?) AND {src} AND year IS NOT NULL" + (
        " AND month IS NOT NULL" if by == "month" else ""
    )
    params = [*roles, *src_params]
    n: dict[tuple[str, str], int] = {}
    year_of: dict[str, int] = {}
    for role, k, w, y in query(
        store,
        f"SELECT role, {key}, sum(n_with_skills), min(year) FROM agg_posting_counts "
        f"WHERE {cond} GROUP BY ALL",
        params,
    ):
        n[(str(role), str(k))] = int(w)
        year_of[str(k)] = int(y)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for role, k, skill, c in query(
        store,
        f"SELECT role, {key}, skill, sum(n_postings) FROM agg_posting_skills WHERE {cond} GROUP BY ALL",
        params,
    ):
        counts.setdefault((str(role), str(k)), {})[str(skill)] = int(c)
    return n, counts, year_of


def _permutation_p(
    t: NDArray[np.float64], y: NDArray[np.float64], groups: NDArray[np.int64], rng: np.random.Generator
) -> float:
    """Share of within-group reorderings of y whose slope is at least the observed one."""
    observed = float(_slope(t, y, groups))
    blocks = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    total = math.prod(math.factorial(len(b)) for b in blocks)
    perms: list[NDArray[np.float64]] = []
    if total <= _MAX_EXACT_PERMUTATIONS:
        for combo in itertools.product(*(itertools.permutations(b) for b in blocks)):
            yp = y.copy()
            for b, order in zip(blocks, combo, strict=True):
                yp[b] = y[list(order)]
            perms.append(yp)
    else:
        for _ in range(_RANDOM_PERMUTATIONS):
            yp = y.copy()
            for b in blocks:
                yp[b] = y[rng.permutation(b)]
            perms.append(yp)
    slopes = _slope(t, np.array(perms), groups)
    return float(np.mean(slopes >= observed - 1e-12))


def converge(
    store: StoreLike,
    role_a: str,
    role_b: str,
    *,
    by: str = "year",
    top_k: int = 20,
    min_n: int | None = None,
    source: str | None = None,
    settings: Settings | None = None,
    kb: Any | None = None,
) -> Convergence:
    """Per-period similarity of two roles' skill demand, the trend of the cosine and a convergence verdict."""
    if by not in ("year", "month"):
        raise InputError(
            f"cannot track convergence by {by!r}", field="by", hint="use --by year or --by month"
        )
    if top_k < 1:
        raise InputError("top-k must be at least 1", field="top_k")
    settings = settings or get_settings()
    min_n = settings.min_n if min_n is None else min_n
    a_id, a_name = resolve_role(role_a, kb)
    b_id, b_name = resolve_role(role_b, kb)
    if a_id == b_id:
        raise InputError("give two different roles", field="role_b", hint=f"both name {a_id!r}")
    used, sets = resolve_data_set(store, source)
    n, counts, year_of = _period_data(store, (a_id, b_id), by, used)
    rng = np.random.default_rng(settings.seed)
    samples = settings.bootstrap_samples
    keys = sorted({k for _, k in n})
    periods: list[PeriodSimilarity] = []
    # (period, corrected cosine, bootstrap errors: replicate minus the bootstrap world's true cosine)
    usable: list[tuple[str, float, NDArray[np.float64]]] = []
    for k in keys:
        na, nb = n.get((a_id, k), 0), n.get((b_id, k), 0)
        row = PeriodSimilarity(period=k, n_a=na, n_b=nb)
        note = withheld_note(min(na, nb), min_n)
        if note is not None:
            who = a_id if na <= nb else b_id
            row.withheld, row.note = True, f"{note} for {who}"
            periods.append(row)
            continue
        ca, cb = counts.get((a_id, k), {}), counts.get((b_id, k), {})
        skills = sorted(set(ca) | set(cb))
        pa = np.array([ca.get(s, 0) / na for s in skills])
        pb = np.array([cb.get(s, 0) / nb for s in skills])
        row.cosine = cosine(pa, pb)
        row.cosine_corrected = float(corrected_cosine(pa, na, pb, nb))
        boot = corrected_cosine(
            rng.binomial(na, pa, size=(samples, len(skills))) / na,
            na,
            rng.binomial(nb, pb, size=(samples, len(skills))) / nb,
            nb,
        )
        # In the bootstrap world the true shares are the observed ones, whose cosine is the plug-in one; the
        # replicates' errors around it give a basic (pivotal) interval around the corrected estimate.
        errors = boot - row.cosine
        lo, hi = basic_interval(row.cosine_corrected, errors)
        lo, hi = max(0.0, lo), min(1.0, hi)
        row.cosine_ci = Interval(low=lo, high=hi)
        ta, tb = top_k_set(ca, top_k), top_k_set(cb, top_k)
        row.jaccard_top_k = jaccard(ta, tb)
        row.top_k_shared = sorted(ta & tb)
        periods.append(row)
        usable.append((k, row.cosine_corrected, errors))
    trend = _trend(usable, year_of, by, rng)
    verdict, explanation = _verdict(trend, usable, a_name, b_name, by)
    return Convergence(
        role_a=a_id,
        role_b=b_id,
        role_a_name=a_name,
        role_b_name=b_name,
        by=by,  # type: ignore[arg-type]
        top_k=top_k,
        min_n=min_n,
        periods=periods,
        trend=trend,
        claim=f"{a_name} and {b_name} are converging (their postings ask for increasingly similar skills)",
        verdict=verdict,
        explanation=explanation,
        data_set=used or "all",
        data_set_note=data_set_note(used, sets),
        source=postings_source(store, used),
    )


def basic_interval(estimate: float, errors: NDArray[np.float64], level: float = 0.95) -> tuple[float, float]:
    """The basic bootstrap interval: estimate minus the upper and lower quantiles of the replicate errors."""
    e_low, e_high = percentile_interval(errors, level)
    return estimate - e_high, estimate - e_low


def _time_index(period: str, by: str) -> int:
    if by == "year":
        return int(period)
    y, m = period.split("-")
    return int(y) * 12 + int(m) - 1


def _trend(
    usable: list[tuple[str, float, NDArray[np.float64]]],
    year_of: dict[str, int],
    by: str,
    rng: np.random.Generator,
) -> Trend:
    k = len(usable)
    method = (
        "OLS slope of the corrected cosine per "
        + by
        + (" within years (year fixed effect)" if by == "month" else "")
    )
    method += "; parametric bootstrap interval; one-sided permutation p-value"
    if k == 0:
        return Trend(
            testable=False, n_periods=0, method=method, note="no period has enough postings of both roles"
        )
    first, last = usable[0], usable[-1]
    change = last[1] - first[1] if k >= 2 else None
    change_ci = None
    if k >= 2:
        lo, hi = basic_interval(last[1] - first[1], last[2] - first[2])
        change_ci = Interval(low=lo, high=hi)
    t = np.array([_time_index(p, by) for p, _, _ in usable], dtype=np.float64)
    groups = np.array([year_of[p] if by == "month" else 0 for p, _, _ in usable], dtype=np.int64)
    # with year fixed effects only the within-year steps inform the slope
    dof = k - len(np.unique(groups))
    if k < MIN_TREND_PERIODS or dof < MIN_TREND_PERIODS - 1:
        why = (
            f"only {k} usable period(s)"
            + (f" ({dof} within-year step(s))" if by == "month" and len(np.unique(groups)) > 1 else "")
            + f": a trend needs at least {MIN_TREND_PERIODS} periods to be told apart from noise"
        )
        if by == "year":
            why += (
                "; the bundled postings have only 2023 (salaried subset) and Sep–Dec 2024, "
                "different populations"
            )
        return Trend(testable=False, n_periods=k, change=change, change_ci=change_ci, method=method, note=why)
    y = np.array([c for _, c, _ in usable])
    boots = np.stack([b for _, _, b in usable], axis=1)
    slope = float(_slope(t, y, groups))
    lo, hi = basic_interval(slope, _slope(t, boots, groups))  # the slope is linear in y
    p = _permutation_p(t, y, groups, rng)
    return Trend(
        testable=True,
        n_periods=k,
        slope_per_period=slope,
        slope_ci=Interval(low=lo, high=hi),
        p_value=p,
        change=change,
        change_ci=change_ci,
        method=method,
        note=f"{k} usable periods",
    )


def _verdict(
    trend: Trend, usable: list[tuple[str, float, NDArray[np.float64]]], a: str, b: str, by: str
) -> tuple[VerdictValue, str]:
    if not trend.testable:
        text = f"Inconclusive: the trend is not testable ({trend.note})."
        if trend.change is not None and trend.change_ci is not None:
            text += (
                " Descriptively, the corrected cosine similarity went from "
                f"{usable[0][1]:.3f} ({usable[0][0]}) to {usable[-1][1]:.3f} ({usable[-1][0]}), "
                f"a change of {trend.change:+.3f} "
                f"(95 % CI {trend.change_ci.low:+.3f} to {trend.change_ci.high:+.3f})."
            )
        return "inconclusive", text
    assert trend.slope_per_period is not None and trend.slope_ci is not None and trend.p_value is not None
    s, ci, p = trend.slope_per_period, trend.slope_ci, trend.p_value
    evidence = (
        f"cosine slope {s:+.4f} per {by} (95 % CI {ci.low:+.4f} to {ci.high:+.4f}), permutation p = {p:.3f}, "
        f"over {trend.n_periods} periods"
    )
    if ci.low > 0 and p < 0.05:
        return "supported", f"Supported: {a} and {b} postings grew more similar; {evidence}."
    if ci.high < FLAT_SLOPE:
        return "not_supported", f"Not supported: the similarity did not rise; {evidence}."
    return "inconclusive", f"Inconclusive: the data allow both a rise and no change; {evidence}."


def convergence(
    role_a: str,
    role_b: str,
    *,
    by: str = "year",
    top_k: int = 20,
    min_n: int | None = None,
    source: str | None = None,
    db: str | Path | None = None,
) -> Convergence:
    """Library entry point: the same path as `careerlens converge`."""
    settings = get_settings(db=db)
    with open_default_store(settings=settings) as store:
        return converge(
            store, role_a, role_b, by=by, top_k=top_k, min_n=min_n, source=source, settings=settings
        )
