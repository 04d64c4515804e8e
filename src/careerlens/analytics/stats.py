"""Small, vectorised statistics shared by the analytics: quantiles, a bootstrap CI of the median, a matched
difference of medians across strata, and min-n withholding.

Quantiles use numpy's "linear" method, which is DuckDB's ``quantile_cont``, so a figure computed here
matches one computed in SQL. Bootstrap resampling is vectorised in chunks so that a role with tens of
thousands of jobs stays within a few tens of MB of memory.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

QUANTILE_LEVELS: tuple[float, ...] = (0.10, 0.25, 0.50, 0.75, 0.90)
QUANTILE_NAMES: tuple[str, ...] = ("p10", "p25", "median", "p75", "p90")

# Upper bound of resampled values held in memory at once (float64: 8 bytes each → ~32 MB).
_CHUNK_ELEMENTS = 4_000_000


def as_array(values: ArrayLike) -> NDArray[np.float64]:
    """A 1-D float array without NaNs (missing pay is not a figure)."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    return arr[~np.isnan(arr)]


def quantiles(values: ArrayLike) -> dict[str, float]:
    """p10/p25/median/p75/p90 with linear interpolation (= DuckDB quantile_cont)."""
    arr = as_array(values)
    if arr.size == 0:
        raise ValueError("quantiles of an empty sample")
    qs = np.quantile(arr, QUANTILE_LEVELS, method="linear")
    return {name: float(q) for name, q in zip(QUANTILE_NAMES, qs, strict=True)}


def bootstrap_medians(values: ArrayLike, samples: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Medians of ``samples`` resamples (with replacement) of ``values``; chunked to bound memory."""
    arr = as_array(values)
    n = arr.size
    if n == 0:
        raise ValueError("bootstrap of an empty sample")
    out = np.empty(samples, dtype=np.float64)
    rows = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, samples, rows):
        stop = min(samples, start + rows)
        idx = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = np.median(arr[idx], axis=1)
    return out


def percentile_interval(draws: ArrayLike, level: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap draws."""
    arr = np.asarray(draws, dtype=np.float64)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(arr, [tail, 100.0 - tail])
    return float(low), float(high)


def median_ci(
    values: ArrayLike, *, samples: int = 1000, seed: int = 20251, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap CI of the median; seeded so the same data always give the same interval."""
    rng = np.random.default_rng(seed)
    return percentile_interval(bootstrap_medians(values, samples, rng), level)


def withheld_note(n: int, min_n: int) -> str | None:
    """The note of a withheld figure, or None when ``n`` is enough to report it."""
    return f"too few data (n={n} < {min_n})" if n < min_n else None


@dataclass(frozen=True)
class Stratum:
    """One matched cell: the samples of both groups sharing the same key (e.g. level × region × year)."""

    key: tuple[Hashable, ...]
    a: NDArray[np.float64]
    b: NDArray[np.float64]


@dataclass
class MatchedDifference:
    """Weighted mean over strata of median(log b) − median(log a), with a within-stratum bootstrap CI."""

    estimate: float | None  # log difference; None when no stratum was usable
    ci: tuple[float, float] | None
    n_strata: int
    n_strata_skipped: int
    n_a: int  # matched jobs of group a (in used strata)
    n_b: int
    per_stratum: list[tuple[tuple[Hashable, ...], int, int, float, float]] = field(default_factory=list)
    # (key, n_a, n_b, log difference, weight)

    @property
    def premium(self) -> float | None:
        """exp(difference) − 1: the relative premium of b over a."""
        return None if self.estimate is None else float(np.expm1(self.estimate))

    @property
    def premium_ci(self) -> tuple[float, float] | None:
        return None if self.ci is None else (float(np.expm1(self.ci[0])), float(np.expm1(self.ci[1])))


def stratum_weight(n_a: int, n_b: int) -> float:
    """n_a·n_b/(n_a+n_b): proportional to the inverse variance of a difference of two means, so a stratum
    counts by the information it holds, and a stratum lopsided towards one role does not dominate."""
    return n_a * n_b / (n_a + n_b)


def matched_difference(
    strata: Sequence[Stratum],
    *,
    min_per_stratum: int = 10,
    samples: int = 1000,
    seed: int = 20251,
    level: float = 0.95,
) -> MatchedDifference:
    """Compare b with a only within strata of like jobs, so a difference in mix (levels, regions, years)
    between the groups cannot pass for a difference in pay (Simpson's paradox).

    Values are pay (positive); the per-stratum figure is median(log b) − median(log a). Strata where
    either side has fewer than ``min_per_stratum`` values are skipped and counted.
    The CI resamples within each stratum.
    """
    used: list[Stratum] = []
    skipped = 0
    for s in strata:
        if s.a.size >= min_per_stratum and s.b.size >= min_per_stratum:
            used.append(s)
        elif s.a.size > 0 or s.b.size > 0:
            skipped += 1
    if not used:
        return MatchedDifference(None, None, 0, skipped, 0, 0)
    rng = np.random.default_rng(seed)
    weights = np.array([stratum_weight(s.a.size, s.b.size) for s in used])
    weights = weights / weights.sum()
    point = 0.0
    draws = np.zeros(samples, dtype=np.float64)
    rows: list[tuple[tuple[Hashable, ...], int, int, float, float]] = []
    for s, w in zip(used, weights, strict=True):
        la, lb = np.log(s.a), np.log(s.b)
        d = float(np.median(lb) - np.median(la))
        point += w * d
        draws += w * (bootstrap_medians(lb, samples, rng) - bootstrap_medians(la, samples, rng))
        rows.append((s.key, int(s.a.size), int(s.b.size), d, float(w)))
    return MatchedDifference(
        estimate=float(point),
        ci=percentile_interval(draws, level),
        n_strata=len(used),
        n_strata_skipped=skipped,
        n_a=int(sum(s.a.size for s in used)),
        n_b=int(sum(s.b.size for s in used)),
        per_stratum=rows,
    )
