"""Quantiles, bootstrap CI of the median, withholding and the matched difference, on hand-computed cases."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from careerlens.analytics.stats import (
    Stratum,
    matched_difference,
    median_ci,
    quantiles,
    stratum_weight,
    withheld_note,
)

# 11 values, sorted; linear quantile at q sits at position q·(n−1) = 10q
ELEVEN = [3.0, 7.0, 8.0, 12.0, 13.0, 14.0, 18.0, 21.0, 22.0, 29.0, 40.0]


def test_quantiles_match_hand_computation() -> None:
    q = quantiles(list(reversed(ELEVEN)))
    assert q["p10"] == pytest.approx(7.0)  # position 1
    assert q["p25"] == pytest.approx(10.0)  # position 2.5: 8 + 0.5·(12 − 8)
    assert q["median"] == pytest.approx(14.0)  # position 5
    assert q["p75"] == pytest.approx(21.5)  # position 7.5: 21 + 0.5·(22 − 21)
    assert q["p90"] == pytest.approx(29.0)  # position 9


def test_quantiles_equal_duckdb_quantile_cont() -> None:
    values = np.random.default_rng(1).lognormal(11.5, 0.4, 257)
    con = duckdb.connect()
    con.execute("CREATE TABLE t (v DOUBLE)")
    con.executemany("INSERT INTO t VALUES (?)", [[float(v)] for v in values])
    sql = "SELECT quantile_cont(v, [0.1, 0.25, 0.5, 0.75, 0.9]) FROM t"
    expected = con.execute(sql).fetchone()[0]
    assert list(quantiles(values).values()) == pytest.approx(expected)


def test_quantiles_ignore_missing_and_reject_empty() -> None:
    assert quantiles([1.0, float("nan"), 3.0])["median"] == 2.0
    with pytest.raises(ValueError):
        quantiles([])


def test_median_ci_contains_median_and_is_reproducible() -> None:
    low, high = median_ci(ELEVEN, samples=2000, seed=3)
    assert low <= 14.0 <= high
    assert low >= 7.0 and high <= 29.0  # a resampled median of 11 values stays between the 2nd and 10th
    assert median_ci(ELEVEN, samples=2000, seed=3) == (low, high)


def test_median_ci_narrows_with_n() -> None:
    rng = np.random.default_rng(5)
    small = rng.lognormal(11.5, 0.4, 40)
    large = rng.lognormal(11.5, 0.4, 4000)
    ws = np.subtract(*reversed(median_ci(small, samples=500)))
    wl = np.subtract(*reversed(median_ci(large, samples=500)))
    assert wl < ws / 4  # width ∝ 1/√n: √100 = 10, allow slack


def test_median_ci_of_a_large_sample_is_chunked_without_error() -> None:
    values = np.random.default_rng(2).lognormal(11.5, 0.4, 50_000)
    low, high = median_ci(values, samples=200)
    assert low < float(np.median(values)) < high


@pytest.mark.parametrize(
    ("n", "min_n", "note"),
    [(12, 30, "too few data (n=12 < 30)"), (30, 30, None), (0, 1, "too few data (n=0 < 1)")],
)
def test_withheld_note(n: int, min_n: int, note: str | None) -> None:
    assert withheld_note(n, min_n) == note


def test_stratum_weight_is_harmonic() -> None:
    assert stratum_weight(10, 10) == 5.0
    assert stratum_weight(1000, 10) < 10


def _stratum(key: str, a: np.ndarray, b: np.ndarray) -> Stratum:
    return Stratum((key,), np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def test_matched_difference_recovers_a_constant_ten_percent() -> None:
    rng = np.random.default_rng(0)
    strata = []
    for i, base in enumerate((60_000, 120_000, 200_000)):
        a = base * np.exp(rng.normal(0, 0.03, 50 + 20 * i))
        strata.append(_stratum(f"s{i}", a, a * 1.10))
    md = matched_difference(strata, samples=1000, seed=1)
    assert md.premium == pytest.approx(0.10, abs=1e-9)  # medians scale exactly
    assert md.premium_ci is not None
    low, high = md.premium_ci
    assert low < 0.10 < high and high - low < 0.04
    assert (md.n_strata, md.n_strata_skipped) == (3, 0)


def test_matched_difference_skips_thin_strata_and_counts_them() -> None:
    a = np.full(20, 100.0)
    strata = [_stratum("ok", a, a * 1.2), _stratum("thin", np.full(3, 50.0), np.full(40, 60.0))]
    md = matched_difference(strata, min_per_stratum=10, samples=100)
    assert (md.n_strata, md.n_strata_skipped, md.n_a, md.n_b) == (1, 1, 20, 20)
    assert md.premium == pytest.approx(0.2)


def test_matched_difference_without_usable_strata_gives_no_estimate() -> None:
    md = matched_difference([_stratum("x", np.full(5, 1.0), np.full(5, 2.0))], min_per_stratum=10)
    assert md.estimate is None and md.premium is None and md.premium_ci is None and md.n_strata_skipped == 1
