"""Evaluate the title classifier on the labelled dev titles; report agreement with postings' categories.

usage: python benchmarks/eval_titles.py [--data DIR] [--errors N] [--no-postings]

Scores use the definitions of shared/tools/score_titles.py: per-role P/R/F1, macro-F1 over roles with at
least 8 gold titles, level accuracy, most frequent confusions. The postings' ``job_title_short`` is the search
that found a posting, not a label, so its agreement is reported only as a sanity number (never tuned to).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from careerlens.normalize.titles import classify_titles

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MIN_SUPPORT = 8

# job_title_short category -> (role, level or None when the category states no level)
POSTING_CATEGORIES: dict[str, tuple[str, str | None]] = {
    "Data Analyst": ("data_analyst", None),
    "Senior Data Analyst": ("data_analyst", "senior"),
    "Data Scientist": ("data_scientist", None),
    "Senior Data Scientist": ("data_scientist", "senior"),
    "Data Engineer": ("data_engineer", None),
    "Senior Data Engineer": ("data_engineer", "senior"),
    "Business Analyst": ("business_analyst", None),
    "Machine Learning Engineer": ("machine_learning_engineer", None),
    "Software Engineer": ("software_engineer", None),
    "Cloud Engineer": ("cloud_engineer", None),
}


def score(gold: list[dict[str, str]], pred_roles: list[str], pred_levels: list[str]) -> dict[str, object]:
    """Per-role P/R/F1, macro-F1 (roles with >= 8 gold titles), level accuracy and confusions."""
    support = Counter(g["role"] for g in gold)
    per_role: dict[str, tuple[int, float, float, float]] = {}
    f1s = []
    for r in sorted(support):
        tp = sum(1 for g, p in zip(gold, pred_roles, strict=True) if g["role"] == r and p == r)
        fp = sum(1 for g, p in zip(gold, pred_roles, strict=True) if g["role"] != r and p == r)
        fn = sum(1 for g, p in zip(gold, pred_roles, strict=True) if g["role"] == r and p != r)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_role[r] = (support[r], prec, rec, f1)
        if support[r] >= MIN_SUPPORT:
            f1s.append(f1)
    macro = sum(f1s) / len(f1s) if f1s else 0.0
    lacc = sum(g["level"] == p for g, p in zip(gold, pred_levels, strict=True)) / len(gold) if gold else 0.0
    conf = Counter((g["role"], p) for g, p in zip(gold, pred_roles, strict=True) if g["role"] != p)
    return {
        "per_role": per_role,
        "macro_f1": macro,
        "n_roles": len(f1s),
        "level_accuracy": lacc,
        "confusions": conf,
    }


def _posting_rows(data: Path) -> Iterator[tuple[str, str]]:
    files = [
        data / "postings" / "data_jobs_salary_2023.csv",
        data / "postings" / "data_jobs_2024_09_12.csv.gz",
    ]
    for path in files:
        if not path.exists():
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
            for row in csv.DictReader(fh):
                yield row["job_title"], row["job_title_short"]


def posting_agreement(data: Path) -> None:
    """Share of postings whose classified role (and stated senior level) matches the search category."""
    rows = list(_posting_rows(data))
    if not rows:
        print("postings: files not found, skipped")
        return
    start = time.perf_counter()
    preds = classify_titles(t for t, _ in rows)
    elapsed = time.perf_counter() - start
    distinct = len({t for t, _ in rows})
    role_ok = level_ok = level_n = 0
    by_cat: Counter[str] = Counter()
    by_cat_ok: Counter[str] = Counter()
    for (_, cat), p in zip(rows, preds, strict=True):
        role, level = POSTING_CATEGORIES.get(cat, ("?", None))
        by_cat[cat] += 1
        if p.role == role:
            role_ok += 1
            by_cat_ok[cat] += 1
        if level is not None:
            level_n += 1
            level_ok += p.level == level
    print(
        f"\npostings job_title_short agreement (a sanity number, not a label): n={len(rows)} "
        f"({distinct} distinct), classified in {elapsed:.2f}s"
    )
    print(
        f"  role agreement {role_ok / len(rows):.3f}; 'Senior *' categories classified senior: "
        f"{level_ok / max(level_n, 1):.3f}"
    )
    for cat, n in by_cat.most_common():
        print(f"  {cat:28s} {n:6d}  role agrees {by_cat_ok[cat] / n:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default: %(default)s)"
    )
    ap.add_argument("--errors", type=int, default=0, help="print up to N misclassified dev titles")
    ap.add_argument("--no-postings", action="store_true", help="skip the postings agreement")
    args = ap.parse_args(argv)

    gold_path = args.data / "labels" / "titles_dev.csv"
    with open(gold_path, encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    preds = classify_titles(g["title"] for g in gold)
    res = score(gold, [p.role for p in preds], [p.level for p in preds])
    print(f"{'role':28s} {'n':>4s} {'P':>5s} {'R':>5s} {'F1':>5s}")
    for r, (n, p, rc, f1) in res["per_role"].items():  # type: ignore[attr-defined]
        print(
            f"{r:28s} {n:4d} {p:5.2f} {rc:5.2f} {f1:5.2f}{'' if n >= MIN_SUPPORT else '  (too few to count)'}"
        )
    conf: Counter[tuple[str, str]] = res["confusions"]  # type: ignore[assignment]
    print(
        "most frequent confusions (gold -> predicted):",
        ", ".join(f"{a}->{b} x{c}" for (a, b), c in conf.most_common(8)),
    )
    print(
        f"titles n={len(gold)}: role macro-F1={res['macro_f1']:.3f} over {res['n_roles']} roles (goal 0.92), "
        f"level accuracy={res['level_accuracy']:.3f} (goal 0.95)"
    )
    if args.errors:
        shown = 0
        for g, p in zip(gold, preds, strict=True):
            if (g["role"], g["level"]) != (p.role, p.level) and shown < args.errors:
                shown += 1
                print(
                    f"  {g['title'][:70]:70s} gold {g['role']}/{g['level']}  got {p.role}/{p.level}",
                    file=sys.stderr,
                )
    if not args.no_postings:
        posting_agreement(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
