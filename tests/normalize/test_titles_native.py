"""The compiled job-title classifier (setup.py compiles titles.py and title_rules.py with mypyc): it is the
one in use, it was built from the current sources, and it classifies exactly as the .py sources do."""

from __future__ import annotations

import ast
import csv
import hashlib
import importlib.machinery
import inspect
import json
import os
import random
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib import resources
from pathlib import Path

import pytest

import careerlens.normalize
from careerlens.normalize import title_rules, titles

REBUILD = "run make dev to rebuild the compiled title classifier"
PACKAGE_DIR = Path(careerlens.normalize.__file__).parent
SOURCES = ("title_rules.py", "titles.py")
STAMP = PACKAGE_DIR / "_titles_native.sha256"
TESTS = Path(__file__).resolve().parents[1]


def compiled_in_use() -> bool:
    """mypyc compiles a function to a builtin one (the .py source's functions are Python functions)."""
    return inspect.isbuiltin(titles.classify_titles)


def compiled_files() -> list[Path]:
    return [
        PACKAGE_DIR / f"{Path(s).stem}{suffix}"
        for s in SOURCES
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if (PACKAGE_DIR / f"{Path(s).stem}{suffix}").exists()
    ]


def sources_stamp(directory: Path) -> str:
    """What ``sha256sum title_rules.py titles.py`` prints there (setup.py writes it when it compiles them)."""
    return "".join(f"{hashlib.sha256((directory / s).read_bytes()).hexdigest()}  {s}\n" for s in SOURCES)


def c_compiler() -> str | None:
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    return shutil.which(cc[0]) if cc else None


def test_the_compiled_classifier_is_in_use() -> None:
    if compiled_in_use():
        assert any(titles.__file__.endswith(s) for s in importlib.machinery.EXTENSION_SUFFIXES)
        assert inspect.isbuiltin(title_rules.fold)
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"CI: the compiled title classifier is not in use (C compiler: {c_compiler()}); {REBUILD}"
        )
    if os.environ.get(title_rules.PURE_PYTHON_ENV) == "1":
        pytest.skip(
            f"!!! {title_rules.PURE_PYTHON_ENV}=1: the title classifier runs as pure Python, 2x slower"
        )
    if compiled_files():
        why = title_rules._why_source(str(PACKAGE_DIR))
        pytest.fail(f"the compiled title classifier is there but not in use ({why}): {REBUILD}")
    if c_compiler() is None:
        pytest.skip("!!! NO C COMPILER: the title classifier is installed as pure Python, 2x slower")
    pytest.fail(f"the title classifier is not compiled although a C compiler is here: {REBUILD}")


def test_the_compiled_build_is_from_the_current_sources() -> None:
    if not compiled_files():
        pytest.skip("no compiled title classifier here (test_the_compiled_classifier_is_in_use says why)")
    assert STAMP.exists(), f"the compiled title classifier has no build stamp ({STAMP.name}): {REBUILD}"
    assert STAMP.read_text(encoding="ascii") == sources_stamp(PACKAGE_DIR), (
        f"titles.py or title_rules.py changed since the compiled title classifier was built: {REBUILD}"
    )


def test_a_stale_build_gives_way_to_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-time guard (title_rules._why_source): it keeps a build only while the stamp matches."""
    monkeypatch.delenv(title_rules.PURE_PYTHON_ENV, raising=False)
    why = title_rules._why_source.__wrapped__  # not its per-directory cache
    for s in SOURCES:
        shutil.copy(PACKAGE_DIR / s, tmp_path / s)
    assert why(str(tmp_path)) == "no build stamp"
    (tmp_path / STAMP.name).write_text(sources_stamp(tmp_path), encoding="ascii")
    assert why(str(tmp_path)) is None
    with open(tmp_path / "titles.py", "a", encoding="utf-8") as fh:
        fh.write("# an edit\n")
    assert why(str(tmp_path)) == "titles.py or title_rules.py changed since it was built"
    monkeypatch.setenv(title_rules.PURE_PYTHON_ENV, "1")
    assert why(str(tmp_path)) == f"{title_rules.PURE_PYTHON_ENV}=1"
    monkeypatch.delenv(title_rules.PURE_PYTHON_ENV)
    (tmp_path / "titles.py").unlink()
    assert why(str(tmp_path)) is None  # no sources beside it: the build is all there is


# ---------------------------------------------------------------------- the same results as the sources
def labelled_titles() -> list[str]:
    """The titles the tests and fixtures hold: test_titles.py's cases and the fixtures' title columns."""
    found: list[str] = []
    tree = ast.parse((TESTS / "normalize" / "test_titles.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Constant):
            if isinstance(node.elts[0].value, str):
                found.append(node.elts[0].value)
    for path in sorted((TESTS / "fixtures").rglob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                found += [v for k, v in row.items() if k and k in ("title", "job_title") and v]
    return found


def generated_titles(n: int, seed: int = 20261125) -> list[str]:
    """Titles composed from the rules' own phrases (levels, functions, heads, fixed roles, foreign words,
    rewrites) with the separators, signs and asides of real titles: every rule has its words in some."""
    rules = tomllib.loads(resources.files("careerlens").joinpath(title_rules.RULES_FILE).read_text("utf-8"))
    rng = random.Random(seed)
    levels = [p for ps in rules["levels"].values() for p in ps] + ["Sr.", "Jr.", "II", "III", "IV", "2"]
    funcs = [p for f in rules["function"] for p in f["phrases"]] + list(rules["rewrite"])
    heads = list(rules["heads"]) + list(rules["fixed"])
    foreign = list(rules["words"]) + [f"daten{s}" for s in rules["compound"]]
    seps = [" / ", "/", " - ", ", ", " | ", " & ", " and ", " or ", " of ", " – ", ": ", " (", " with "]
    asides = ["", "", "", " (m/w/d)", " - Remote", " (Hybrid)", ", Berlin", " II", " - C++/C#", " .NET"]

    def title_part() -> str:
        words = [rng.choice(levels)] if rng.random() < 0.4 else []
        words += [rng.choice(funcs) for _ in range(rng.choice((0, 1, 1, 1, 2)))]
        if rng.random() < 0.15:
            words.append(rng.choice(foreign))
        words.append(rng.choice(heads))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), rng.choice(funcs + foreign))
        return " ".join(words)

    out = []
    for _ in range(n):
        title = title_part()
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            tail = title_part() if rng.random() < 0.5 else rng.choice(funcs + levels)
            title += rng.choice(seps) + tail + (")" if title.endswith("(") else "")
        title += rng.choice(asides)
        shape = rng.random()
        title = title.title() if shape < 0.6 else title.upper() if shape < 0.7 else title
        if rng.random() < 0.05:
            title = title.replace(" ", "", 1)  # "AzureDataEngineer", "Sr.Data Analyst"
        out.append(title)
    return out


PURE_RUN = """
import inspect, json, sys
from careerlens.normalize import titles
assert not inspect.isbuiltin(titles.classify_titles), "the compiled classifier ran, not the .py source"
batch = json.load(sys.stdin)
runs = (titles.classify_titles(batch), [titles.classify_title(t) for t in batch[:500]])
json.dump([[[c.role, c.level, c.specialisation, c.confidence] for c in cs] for cs in runs], sys.stdout)
"""


def test_the_sources_classify_exactly_as_the_compiled_build() -> None:
    if not compiled_in_use():
        pytest.skip("the compiled title classifier is not in use (test_the_compiled_classifier_is_in_use)")
    batch = list(dict.fromkeys([*labelled_titles(), *generated_titles(4000), "", "   ", "Ｄata Ｓcientist"]))
    compiled = [
        [[c.role, c.level, c.specialisation, c.confidence] for c in cs]
        for cs in (titles.classify_titles(batch), [titles.classify_title(t) for t in batch[:500]])
    ]
    env = {**os.environ, title_rules.PURE_PYTHON_ENV: "1"}
    run = subprocess.run(
        [sys.executable, "-c", PURE_RUN], input=json.dumps(batch), capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    pure = json.loads(run.stdout)
    roles = {c[0] for c in pure[0]}
    assert len(batch) > 4000 and len(roles) >= 12, roles  # the titles reach most roles
    differ = [(t, p, c) for t, p, c in zip(batch, pure[0], compiled[0], strict=True) if p != c]
    assert not differ, f"{len(differ)} titles differ (title, .py, compiled), e.g. {differ[:5]}"
    assert pure[1] == compiled[1]
