"""The job-title classifier's rules: ``normalize/data/titles.toml`` read, validated and indexed once per
process (``load_rules()``). The parser that applies them is ``careerlens.normalize.titles``.

This module and ``titles`` are compiled with mypyc when the package is installed (setup.py); the .py files
stay the reference, and a compiled build that no longer matches them gives way to them (``_native_fallback``).
"""

from __future__ import annotations

import os
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import FunctionType, ModuleType
from typing import Any, Final

from careerlens.errors import KnowledgeBaseError

ROLES: tuple[str, ...] = (
    "machine_learning_engineer",
    "ai_engineer",
    "mlops_engineer",
    "data_scientist",
    "research_scientist",
    "data_engineer",
    "data_analyst",
    "business_analyst",
    "software_engineer",
    "cloud_engineer",
    "ai_architect",
    "ml_leadership",
    "data_leadership",
    "product_manager",
    "other",
)
LEVELS: tuple[str, ...] = ("unspecified", "entry", "mid", "senior", "lead", "executive")
LEVEL_RANK: Final = {lvl: i for i, lvl in enumerate(LEVELS)}
NUMERAL_LEVEL: Final = {
    "i": "entry", "1": "entry", "ii": "mid", "2": "mid", "iii": "senior", "3": "senior",
    "iv": "lead", "4": "lead", "v": "lead", "5": "lead", "vi": "lead", "6": "lead",
}  # fmt: skip
ROLE_FAMILY: Final = {
    "machine_learning_engineer": "ml",
    "ai_engineer": "ml",
    "mlops_engineer": "ml",
    "data_scientist": "ml",
    "research_scientist": "ml",
    "ai_architect": "ml",
    "ml_leadership": "ml",
    "data_engineer": "data",
    "data_analyst": "data",
    "data_leadership": "data",
    "business_analyst": "data",
    "product_manager": "product",
}
RULES_FILE = "normalize/data/titles.toml"


@dataclass(frozen=True)
class Function:
    """A field of work a title can name (machine learning, data, ...): the role it gives each kind of head."""

    id: str
    strong: bool
    family: str
    default: str
    roles: dict[str, str]
    spec: str | None
    team_manager: bool
    genai: bool
    qualifier: bool  # may qualify a generic head from a later segment ("Software Engineer, ML Platform")
    domain: bool  # a weak function that still names a field of its own ("Financial Analyst")


@dataclass
class Entry:
    """Everything a phrase means; one phrase can be a head, a function and a level cue at once."""

    func: Function | None = None
    head: str | None = None  # kind of head noun
    fixed: str | None = None  # a head with a fixed role
    cue: str | None = None  # level
    prep: bool = False
    # derived by load_rules once every phrase is in (the parser asks these of every word it reads)
    is_head: bool = False  # a head noun: a kind of head or a fixed role
    person: bool = False  # a head naming a person, not a bare rank ("Senior", "Lead")


@dataclass(frozen=True)
class Rules:
    rewrite: dict[tuple[str, ...], tuple[str, ...]]
    words: dict[str, tuple[str, ...]]
    compound: tuple[tuple[str, tuple[str, ...]], ...]
    drop: frozenset[str]
    lexicon: dict[tuple[str, ...], Entry]
    max_len: dict[str, int]  # longest phrase starting with a word
    head_defaults: dict[str, str]
    families: dict[str, str]
    rank: frozenset[str]
    leading: frozenset[str]
    carrier: frozenset[str]
    leadership_prefix: frozenset[str]
    absorb_cloud: dict[str, Function]
    spec_order: tuple[str, ...]
    spec_phrases: dict[tuple[str, ...], str]
    heads: frozenset[tuple[str, ...]]  # English head nouns of one word (a hyphen after one splits the title)

    def role_for(self, func: Function | None, kind: str) -> str:
        """The role of a head of this kind qualified by this function."""
        if func is None:
            return self.head_defaults.get(kind, "other")
        if kind in func.roles:
            return func.roles[kind]
        if kind in self.leading:
            return self.families.get(func.family, "other")
        return func.default


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return (
        "".join(ch for ch in text if not unicodedata.combining(ch))
        .lower()
        .replace("ß", "ss")
        .replace("ł", "l")
    )


def _longest_by_first(lexicon: dict[tuple[str, ...], Entry]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key in lexicon:
        out[key[0]] = max(out.get(key[0], 0), len(key))
    return out


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Load and index titles.toml once per process."""
    path = resources.files("careerlens").joinpath(RULES_FILE)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(str(exc), file=RULES_FILE) from exc

    lexicon: dict[tuple[str, ...], Entry] = {}

    def entry(phrase: str) -> Entry:
        key = tuple(fold(phrase).split())
        return lexicon.setdefault(key, Entry())

    for kind_phrase, kind in data["heads"].items():
        entry(kind_phrase).head = kind
    for phrase, role in data["fixed"].items():
        if role not in ROLES:
            raise KnowledgeBaseError(f"unknown role {role!r}", file=RULES_FILE, item=phrase, field="fixed")
        entry(phrase).fixed = role
    for level, phrases in data["levels"].items():
        if level not in LEVEL_RANK:
            raise KnowledgeBaseError(f"unknown level {level!r}", file=RULES_FILE, item=level, field="levels")
        for phrase in phrases:
            entry(phrase).cue = level
    for phrase in data["grammar"]["preps"]:
        entry(phrase).prep = True
    for raw in data["function"]:
        roles = dict(raw.get("roles", {}))
        for role in [raw["default"], *roles.values()]:
            if role not in ROLES:
                raise KnowledgeBaseError(
                    f"unknown role {role!r}", file=RULES_FILE, item=raw["id"], field="roles"
                )
        func = Function(
            id=raw["id"],
            strong=raw.get("strength", "strong") == "strong",
            family=raw.get("family", "other"),
            default=raw["default"],
            roles=roles,
            spec=raw.get("spec"),
            team_manager=raw.get("team_manager", True),
            genai=raw.get("genai", False),
            qualifier=raw.get("qualifier", True),
            domain=raw.get("strength") == "domain",
        )
        for phrase in raw["phrases"]:
            e = entry(phrase)
            if e.func is not None:
                raise KnowledgeBaseError(
                    f"phrase {phrase!r} in two functions", file=RULES_FILE, item=raw["id"]
                )
            e.func = func

    rewrite = {tuple(fold(k).split()): tuple(fold(v).split()) for k, v in data["rewrite"].items()}
    spec_phrases = {
        tuple(p.split()): "data_platform" for p in data["specialisation"].get("data_platform", [])
    }
    kinds = data["kinds"]
    rank = frozenset(kinds["rank"])
    for e in lexicon.values():
        e.is_head = e.head is not None or e.fixed is not None
        e.person = e.fixed is not None or (e.head is not None and e.head not in rank)
    by_id = {e.func.id: e.func for e in lexicon.values() if e.func is not None}
    absorb = {k: by_id[v] for k, v in kinds.get("absorb_cloud", {}).items()}
    return Rules(
        rewrite=rewrite,
        words={fold(k): tuple(fold(v).split()) for k, v in data["words"].items()},
        compound=tuple(
            sorted(((k, tuple(v.split())) for k, v in data["compound"].items()), key=lambda kv: -len(kv[0]))
        ),
        drop=frozenset(data["grammar"]["drop"]),
        lexicon=lexicon,
        max_len=_longest_by_first(lexicon),
        head_defaults=dict(data["head_defaults"]),
        families=dict(data["families"]),
        rank=rank,
        leading=frozenset(kinds["leading"]),
        carrier=frozenset(kinds["carrier"]),
        leadership_prefix=frozenset(kinds["leadership_prefix"]),
        absorb_cloud=absorb,
        spec_order=tuple(data["specialisation"]["order"]),
        spec_phrases=spec_phrases,
        heads=frozenset(
            k for k, e in lexicon.items() if len(k) == 1 and (e.head or e.fixed) and k[0] != "head"
        ),
    )


# ------------------------------------------------------------------ the compiled build (setup.py, mypyc)
NATIVE_SOURCES: tuple[str, ...] = ("title_rules.py", "titles.py")  # what setup.py compiles, in this package
# written by setup.py beside them when it compiles them: ``sha256sum title_rules.py titles.py`` at that moment
NATIVE_STAMP = "_titles_native.sha256"
PURE_PYTHON_ENV = "CAREERLENS_PURE_PYTHON"  # =1: build pure Python (setup.py), run the .py sources (here)


@lru_cache(maxsize=4)
def _why_source(directory: str) -> str | None:
    """Why the compiled modules in ``directory`` must give way to the .py sources there (None: they need not).

    Only the classifier's code is compiled: its rules (data/titles.toml) are read at run time, and changing
    them needs no rebuild."""
    import hashlib

    if os.environ.get(PURE_PYTHON_ENV) == "1":
        return f"{PURE_PYTHON_ENV}=1"
    digests = []
    for name in NATIVE_SOURCES:
        try:
            with open(os.path.join(directory, name), "rb") as fh:
                digests.append(f"{hashlib.sha256(fh.read()).hexdigest()}  {name}\n")
        except OSError:
            return None  # an install without its sources: the build is all there is
    try:
        with open(os.path.join(directory, NATIVE_STAMP), encoding="ascii") as fh:
            stamp = fh.read()
    except OSError:
        stamp = ""
    if stamp == "".join(digests):
        return None
    return "no build stamp" if not stamp else "titles.py or title_rules.py changed since it was built"


def _native_fallback(namespace: dict[str, Any], probe: object) -> None:
    """Called at the end of both modules with their globals() and one of their functions: when the function is
    compiled and the build must give way (``_why_source``), the module's .py source runs in the module's own
    namespace, so every name of the module is the source's (the compiled functions are left uncalled).
    Putting the source module in sys.modules instead would not last: importing an extension module puts the
    extension module back. (A compiled module's __file__ may not be set yet: mypyc versions differ.)"""
    if isinstance(probe, FunctionType):
        return  # the .py source
    name = str(namespace["__name__"])
    package, _, child = name.rpartition(".")
    package_file = sys.modules[package].__file__
    if package_file is None:
        return
    directory = os.path.dirname(package_file)
    why = _why_source(directory)
    if why is None:
        return
    path = os.path.join(directory, f"{child}.py")
    if not why.startswith(PURE_PYTHON_ENV):
        import warnings

        warnings.warn(
            f"{name}: the compiled build in {directory} is stale ({why}), running "
            f"{child}.py instead (about 2x slower): run make dev to rebuild the compiled title classifier",
            RuntimeWarning,
            stacklevel=2,
        )
    with open(path, "rb") as fh:
        code = compile(fh.read(), path, "exec", dont_inherit=True)
    # older mypyc versions run a module's code before it is in sys.modules, where @dataclass looks at it
    stand_in = ModuleType(name) if name not in sys.modules else None
    if stand_in is not None:
        stand_in.__dict__.update(namespace)
        sys.modules[name] = stand_in
    try:
        exec(code, namespace)  # noqa: S102
    finally:
        if stand_in is not None and sys.modules.get(name) is stand_in:
            del sys.modules[name]


_native_fallback(globals(), fold)
