"""compare_roles on constructed warehouses: a known +10 % premium, Simpson's paradox, verdict wording."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from careerlens.analytics.compare import (
    AIE,
    MLE,
    SWE,
    compare_roles,
    invert,
    matched_premium,
    verdict_like,
    verdict_more,
)
from careerlens.analytics.models import Interval, Premium
from careerlens.errors import InputError, UnknownRoleError
from careerlens.kb.roles import KnowledgeBase, load_kb
from careerlens.settings import Settings
from careerlens.store.warehouse import Store

LEVELS3 = (("mid", 90_000), ("senior", 140_000), ("lead", 190_000))


def noisy(n: int, median: float, seed: int, sigma: float = 0.03) -> np.ndarray:
    return median * np.exp(np.random.default_rng(seed).normal(0.0, sigma, n))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def add_ratio(jobs: Any, ratio: float, *, year: int = 2024, spec: str | None = None, n: int = 40) -> None:
    """MLE and AIE jobs in three level strata; every AIE job is exactly ``ratio`` × an MLE job."""
    for i, (level, base) in enumerate(LEVELS3):
        a = noisy(n, base, seed=i + year)
        jobs.add(MLE, a, level=level, year=year, specialisation=spec)
        jobs.add(AIE, a * ratio, level=level, year=year, specialisation=spec)


def test_matched_premium_recovers_ten_percent(store: Store, jobs: Any, settings: Settings) -> None:
    add_ratio(jobs, 1.10)
    p = matched_premium(store, MLE, AIE, settings=settings)
    assert not p.withheld
    assert p.estimate_pct == pytest.approx(10.0, abs=1e-6)
    assert p.ci_pct is not None and p.ci_pct.low < 10.0 < p.ci_pct.high
    assert p.ci_pct.high - p.ci_pct.low < 4.0
    assert (p.n_strata, p.n_strata_skipped, p.n_a, p.n_b) == (3, 0, 120, 120)
    assert p.strata_by == ["level", "region", "work_year", "company_size"]
    assert {s.key["level"] for s in p.strata} == {"mid", "senior", "lead"}


def test_simpsons_paradox_raw_medians_mislead_matching_does_not(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    # ML engineers are mostly senior, AI engineers mostly entry; within each level AI engineers earn +10 %
    jobs.add(MLE, noisy(15, 80_000, 1), level="entry").add(AIE, noisy(100, 88_000, 2), level="entry")
    jobs.add(MLE, noisy(100, 200_000, 3), level="senior").add(AIE, noisy(15, 220_000, 4), level="senior")
    c = compare_roles(store, kb, "mle", "ai engineer", settings=settings)
    overall = next(pair for pair in c.salary_by_level if pair.level == "all")
    assert overall.a.median is not None and overall.b.median is not None
    assert overall.b.median < 0.5 * overall.a.median  # raw: AI engineers look far worse paid
    assert c.premium.estimate_pct == pytest.approx(10.0, abs=1.0)  # matched: +10 %
    assert c.premium.ci_pct is not None and c.premium.ci_pct.low > 0


def test_compare_supported_slightly_more(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    add_ratio(jobs, 1.10)
    c = compare_roles(store, kb, "machine_learning_engineer", "AI Engineer", settings=settings)
    assert c.model_dump()["schema"] == "careerlens.compare/v1"
    assert (c.a.id, c.b.id) == (MLE, AIE)
    v1, v1b, v2 = c.verdicts
    assert v1.claim == "AI Engineers earn slightly more than ML Engineers"
    assert v1.verdict == "supported"
    assert "+10.0 %" in v1.explanation and "95 % CI" in v1.explanation and "n = 120" in v1.explanation
    assert v1b.verdict == "untestable" and "GenAI" in v1b.explanation
    assert c.premium_genai is None and c.genai_note
    assert v2.claim == "ML Engineers earn like senior Software Engineers" and v2.verdict == "untestable"
    # per-level premiums: each level is one stratum of 40 vs 40
    assert [(p.scope, round(p.estimate_pct or 0, 6)) for p in c.premium_by_level] == [
        ("level=mid", 10.0),
        ("level=senior", 10.0),
        ("level=lead", 10.0),
    ]


def test_verdicts_read_the_same_whatever_the_order(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    add_ratio(jobs, 1.10)
    c = compare_roles(store, kb, "aie", "mle", settings=settings)
    assert c.premium.estimate_pct == pytest.approx(100 * (1 / 1.1 - 1), abs=1e-6)
    assert c.verdicts[0].verdict == "supported"
    assert "+10.0 %" in c.verdicts[0].explanation


@pytest.mark.parametrize(
    ("ratio", "verdict"), [(1.0, "inconclusive"), (0.8, "contradicted"), (1.3, "not_supported")]
)
def test_claim_one_verdicts(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase, ratio: float, verdict: str
) -> None:
    if ratio == 1.0:  # same pay, independent noise: no premium, the CI straddles 0
        for i, (level, base) in enumerate(LEVELS3):
            jobs.add(MLE, noisy(40, base, seed=i, sigma=0.2), level=level)
            jobs.add(AIE, noisy(40, base, seed=i + 10, sigma=0.2), level=level)
    else:
        add_ratio(jobs, ratio)
    c = compare_roles(store, kb, MLE, AIE, settings=settings)
    assert c.verdicts[0].verdict == verdict
    if verdict == "inconclusive":
        assert "includes 0" in c.verdicts[0].explanation


def test_especially_in_genai(store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase) -> None:
    add_ratio(jobs, 1.05, year=2024)
    add_ratio(jobs, 1.30, year=2025, spec="genai_llm")
    c = compare_roles(store, kb, MLE, AIE, settings=settings)
    assert c.premium_genai is not None and c.premium_genai.scope == "specialisation=genai"
    assert c.premium_genai.estimate_pct == pytest.approx(30.0, abs=1e-6)
    assert c.verdicts[1].verdict == "supported"


def test_claim_two_against_senior_software_engineers(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    add_ratio(jobs, 1.10)
    # senior SWEs in the same region and year, paid like the MLE mix as a whole
    mle_all = np.concatenate([noisy(40, base, seed=i + 2024) for i, (_, base) in enumerate(LEVELS3)])
    jobs.add(SWE, mle_all, level="senior")
    v2 = compare_roles(store, kb, MLE, AIE, settings=settings).verdicts[2]
    assert v2.verdict == "supported"
    assert [p.scope for p in v2.evidence] == ["MLE (all levels) vs senior SWE", "senior MLE vs senior SWE"]
    assert v2.evidence[0].strata_by == ["region", "work_year"]


def test_other_pairs_get_only_a_premium_verdict(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    jobs.add("data_scientist", noisy(50, 100_000, 1)).add("data_engineer", noisy(50, 120_000, 2))
    c = compare_roles(store, kb, "data scientist", "data engineer", settings=settings)
    assert len(c.verdicts) == 1
    assert c.verdicts[0].claim == "Data Engineer jobs pay more than Data Scientist jobs"
    assert c.verdicts[0].verdict == "supported"


def test_thin_data_withhold_premium_and_cells(
    store: Store, jobs: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    jobs.add(MLE, noisy(12, 100_000, 1)).add(AIE, noisy(8, 110_000, 2))
    c = compare_roles(store, kb, MLE, AIE, settings=settings)
    assert c.premium.withheld and c.premium.estimate_pct is None
    assert "no stratum has ≥10 jobs of both roles" in (c.premium.note or "")
    assert c.premium.n_strata_skipped == 1
    overall = c.salary_by_level[0]
    assert overall.a.withheld and overall.a.note == "too few data (n=12 < 30)" and overall.a.median is None
    assert c.verdicts[0].verdict == "untestable"


def test_skills_shared_and_distinct_with_weights(store: Store, settings: Settings, kb: KnowledgeBase) -> None:
    c = compare_roles(store, kb, MLE, AIE, settings=settings)
    mle, aie = kb.role(MLE).skill_weights(), kb.role(AIE).skill_weights()
    assert {r.skill for r in c.skills.shared} == set(mle) & set(aie)
    assert {r.skill for r in c.skills.only_a} == set(mle) - set(aie)
    assert {r.skill for r in c.skills.only_b} == set(aie) - set(mle)
    for r in c.skills.shared:
        assert (r.weight_value_a, r.weight_value_b) == (mle[r.skill], aie[r.skill])
    assert c.a.responsibilities and c.b.summary


def test_unknown_and_identical_roles(store: Store, settings: Settings, kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownRoleError):
        compare_roles(store, kb, "mle", "wizard", settings=settings)
    with pytest.raises(InputError):
        compare_roles(store, kb, "mle", "machine learning engineer", settings=settings)


def _premium(est: float | None, lo: float = 0.0, hi: float = 0.0) -> Premium:
    base: dict[str, Any] = dict(
        scope="all", role_a="a", role_b="b", strata_by=["level"], min_per_stratum=10, n=100, source="s"
    )
    if est is None:
        return Premium(withheld=True, note="too few matched data (n=3 < 30)", **base)
    return Premium(estimate_pct=est, ci_pct=Interval(low=lo, high=hi), n_strata=4, n_a=50, n_b=50, **base)


@pytest.mark.parametrize(
    ("p", "verdict", "phrase"),
    [
        (_premium(8, 3, 13), "supported", "'slightly more' fits"),
        (_premium(12, 4, 19), "supported", "may be more than slight"),
        (_premium(22, 14, 30), "not_supported", "more than 'slightly'"),
        (_premium(3, -2, 9), "inconclusive", "includes 0"),
        (_premium(-10, -15, -5), "contradicted", "pay less"),
        (_premium(None), "untestable", "too few matched data"),
    ],
)
def test_verdict_more_wording(p: Premium, verdict: str, phrase: str) -> None:
    v = verdict_more(p, "ML Engineer", "AI Engineer", slight_max=15)
    assert v.verdict == verdict and phrase in v.explanation
    if p.estimate_pct is not None:
        assert "n = 50 AI Engineer and 50 ML Engineer jobs" in v.explanation


@pytest.mark.parametrize(
    ("p", "verdict"),
    [
        (_premium(1, -4, 6), "supported"),
        (_premium(20, 15, 25), "not_supported"),
        (_premium(5, -3, 14), "inconclusive"),
    ],
)
def test_verdict_like(p: Premium, verdict: str) -> None:
    assert verdict_like([p], "senior Software Engineer", "Machine Learning Engineer").verdict == verdict


def test_invert_is_exact_in_log_space() -> None:
    p = invert(_premium(10, 5, 20))
    assert p.estimate_pct == pytest.approx(100 * (1 / 1.1 - 1))
    assert p.ci_pct is not None
    assert p.ci_pct.low == pytest.approx(100 * (1 / 1.2 - 1)) and p.ci_pct.high == pytest.approx(
        100 * (1 / 1.05 - 1)
    )
    assert (p.role_a, p.role_b) == ("b", "a")


def test_salary_only_warehouse_says_why_postings_context_is_missing(store: Store, jobs: Any) -> None:
    rng = np.random.default_rng(3)
    jobs.add("machine_learning_engineer", rng.normal(150_000, 5_000, 40))
    jobs.add("ai_engineer", rng.normal(160_000, 5_000, 40))
    c = compare_roles(store, load_kb(), "mle", "aie")
    assert c.demand == [] and c.top_skills == [] and c.convergence is None
    assert c.postings_note and "postings" in c.postings_note


def test_snapshot_comparison_carries_demand_top_skills_and_convergence(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from careerlens.analytics.compare import compare

    monkeypatch.setenv("CAREERLENS_DB", str(tmp_path / "absent.duckdb"))
    c = compare("mle", "ai engineer")
    assert c.postings_note is None
    assert [d.role for d in c.demand] == ["machine_learning_engineer", "ai_engineer"]
    assert all(cell.n_postings > 0 for d in c.demand for cell in d.cells)
    assert [t.role for t in c.top_skills] == ["machine_learning_engineer", "ai_engineer"]
    assert all(t.withheld or t.skills for t in c.top_skills)
    assert c.convergence is not None and c.convergence.periods
    assert c.convergence.verdict in (
        "supported",
        "not_supported",
        "inconclusive",
        "contradicted",
        "untestable",
    )


def test_library_entry_point(store: Store, jobs: Any, db_path: Any) -> None:
    from careerlens.analytics.compare import compare

    add_ratio(jobs, 1.10)
    c = compare("mle", "aie", db=db_path)
    assert c.premium.estimate_pct == pytest.approx(10.0, abs=1e-6)
    with pytest.raises(UnknownRoleError):
        compare("mle", "wizard", db=db_path)
