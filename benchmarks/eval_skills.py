"""Evaluate the skill extractor on the labelled job descriptions (labels/skills_dev.jsonl).

Prints micro and macro P/R/F1 over the labelling vocabulary with the same definitions as
shared/tools/score_skills.py (predictions restricted to the vocabulary; macro-F1 over skills with at least 3
gold mentions), then the most frequent false positives and misses with short context snippets, so error
patterns (not single postings) show.

    .venv/bin/python benchmarks/eval_skills.py [--data ../shared/data] [--show 15] [--snippets 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from careerlens.normalize.skills import SkillExtractor, get_extractor

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class Scores:
    """Micro and macro scores with their error counts (the shared scorer's definitions)."""

    precision: float
    recall: float
    f1: float
    macro_f1: float
    macro_n: int
    false_pos: Counter[str]
    misses: Counter[str]


def load_vocab(data: Path) -> set[str]:
    with (data / "labels" / "skill_vocab.csv").open(encoding="utf-8") as fh:
        return {r["skill"] for r in csv.DictReader(fh)}


def load_gold(data: Path) -> list[dict[str, object]]:
    with (data / "labels" / "skills_dev.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(gold: dict[str, set[str]], pred: dict[str, set[str]], vocab: set[str]) -> Scores:
    """Micro P/R/F1 and macro-F1 (skills with >= 3 gold mentions), as in shared/tools/score_skills.py."""
    tp = fp = fn = 0
    fps: Counter[str] = Counter()
    fns: Counter[str] = Counter()
    per: Counter[str] = Counter()
    for i, g in gold.items():
        p = {s.lower() for s in pred.get(i, set())} & vocab
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        fps.update(p - g)
        fns.update(g - p)
        per.update(g)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    macro = []
    for s, n in per.items():
        if n >= 3:
            stp = n - fns[s]
            sp = stp / (stp + fps[s]) if stp + fps[s] else 0.0
            sr = stp / n
            macro.append(2 * sp * sr / (sp + sr) if sp + sr else 0.0)
    return Scores(prec, rec, f1, sum(macro) / max(len(macro), 1), len(macro), fps, fns)


def _snippet(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def _miss_snippets(ex: SkillExtractor, skill: str, text: str, limit: int) -> list[str]:
    """Where a missed skill's spellings occur literally (ignoring case): why did the extractor pass?"""
    spellings = [skill, *ex.lexicon[skill].aliases] if skill in ex.lexicon else [skill]
    out = []
    for sp in spellings:
        for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(sp) + r"(?![A-Za-z0-9])", text, re.IGNORECASE):
            out.append(_snippet(text, m.start(), m.end()))
            if len(out) >= limit:
                return out
    return out or ["(no literal mention of its spellings)"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--show", type=int, default=15, help="how many false-positive and missed skills to list")
    ap.add_argument("--snippets", type=int, default=3, help="context snippets per listed skill")
    args = ap.parse_args(argv)

    vocab = load_vocab(args.data)
    rows = load_gold(args.data)
    ex = get_extractor()
    gold = {str(r["id"]): set(r["skills"]) for r in rows}  # type: ignore[call-overload]
    texts = {str(r["id"]): str(r.get("description") or "") for r in rows}
    matches = {i: ex.extract(t) for i, t in texts.items()}
    pred = {i: set(ex.skills_of(ms)) for i, ms in matches.items()}
    s = score(gold, pred, vocab)
    print(
        f"skills docs={len(gold)}: micro P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
        f"(goal F1 0.90, P 0.92), macro-F1={s.macro_f1:.3f} over {s.macro_n} skills"
    )
    not_in_lexicon = sorted(vocab - set(ex.lexicon))
    if not_in_lexicon:
        print("vocabulary skills missing from the lexicon:", ", ".join(not_in_lexicon))

    fp_where: dict[str, list[str]] = defaultdict(list)
    fn_where: dict[str, list[str]] = defaultdict(list)
    for i in gold:
        p = pred[i] & vocab
        for sk in sorted(p - gold[i]):
            for m in matches[i]:
                if m.skill == sk or sk in ex.implies.get(m.skill, ()):
                    fp_where[sk].append(f"{i}: {_snippet(texts[i], m.start, m.end)}")
                    break
        for sk in sorted(gold[i] - p):
            fn_where[sk].extend(f"{i}: {sn}" for sn in _miss_snippets(ex, sk, texts[i], 1))
    print("\nfalse positives (skill ×count):")
    for sk, c in s.false_pos.most_common(args.show):
        print(f"  {sk} ×{c}")
        for line in fp_where[sk][: args.snippets]:
            print(f"      {line}")
    print("\nmisses (skill ×count):")
    for sk, c in s.misses.most_common(args.show):
        print(f"  {sk} ×{c}")
        for line in fn_where[sk][: args.snippets]:
            print(f"      {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
