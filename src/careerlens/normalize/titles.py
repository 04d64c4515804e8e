"""Job-title normaliser: a free-text title -> (role, level, specialisation, confidence).

Why rules and not a model: the labels follow a short written guide (role ids and hard-case rules), the
titles are short, and the same classifier must run on 250k-row columns in seconds with no download. The rules
are data in ``normalize/data/titles.toml``, loaded by ``normalize.title_rules``; this module reads a title as
*modifiers HEAD [of complement]* segments:

* the head noun decides ("Data Scientist, Machine Learning" -> data_scientist);
* a generic head (Engineer, Software Engineer, Consultant) takes its function from a qualifier
  ("Software Engineer, Machine Learning" -> machine_learning_engineer);
* joined titles ("A / B") are decided by the first full role; a bare rank in front ("Senior Manager /") is
  skipped;
* "X Manager", "Head of X", "Director, X" -> the leadership role of X's family;
* "Lead X" / "X Lead" -> the practitioner at level lead;
* the level is the highest cue anywhere in the title.

A title the rules cannot place gets role ``other`` with a low confidence rather than a guess.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Final, TypeVar

from careerlens.normalize.title_rules import (
    LEVEL_RANK,
    LEVELS,
    NUMERAL_LEVEL,
    ROLE_FAMILY,
    ROLES,
    Entry,
    Function,
    Rules,
    _native_fallback,
    fold,
    load_rules,
)

__all__ = ["LEVELS", "ROLES", "TitleClass", "classify_title", "classify_titles"]


_C = TypeVar("_C")


def _python_class(doc: str, annotations: dict[str, str]) -> Callable[[type[_C]], type[_C]]:
    """A class decorator for mypyc's sake: a class with any decorator but @dataclass stays a plain Python
    class when the module is compiled (TitleClass is public: a native class would not pickle or copy). mypyc
    still gives such a class a docstring of its own and evaluated annotations (``str | None`` as ``type``):
    the decorator sets the ones of the Python module (strings, as ``from __future__ import annotations``
    leaves them), on the class, its dataclass fields and its __init__."""

    def keep(cls: type[_C]) -> type[_C]:
        cls.__doc__ = doc
        cls.__annotations__ = annotations
        for f in fields(cls):  # type: ignore[arg-type]
            f.type = annotations[f.name]
        cls.__init__.__annotations__.update(annotations)
        return cls

    return keep


@_python_class(
    "What a job title says: role and level ids of labels/ROLES.md, a specialisation, and how sure we are.",
    {"role": "str", "level": "str", "specialisation": "str | None", "confidence": "float"},
)
@dataclass(frozen=True, slots=True)
class TitleClass:
    # its docstring and annotations are the decorator's too (keep them in step)
    role: str
    level: str
    specialisation: str | None
    confidence: float


# the classes are frozen and few (roles x levels x specialisations x confidences): each is built once
# (building a frozen dataclass costs more than looking one up)
_title_class: Final = lru_cache(maxsize=None)(TitleClass)


# -------------------------------------------------------------------------------------- tokenising
Tokens = tuple[str, ...]  # a part's or a segment's English words
# A word the parser cannot tell from another unknown word (a place, a company, a team) is read as this one
# placeholder (no rule or token can be empty): titles that differ only in such words share their parsed
# segments (a third fewer to parse). The parser compares tokens with the rules' words and with these, no
# others (keep this set in step with the code).
_UNKNOWN_WORD: Final = ""
_PARSER_WORDS: Final = frozenset({"and", "staff", "manager", "level", "ia"})
_JOINERS: Final = {"/", "\\", "|", "or", "ou", "oder", "o", "and"}
# ([/\\|,;:()\[\]{}•·–—]|\b(?:or|ou|oder|with|con|mit|avec)\b|\s-+\s*|-+\s)\s*, written to start with one
# character class (a sign, the first letter of a word it splits at, whitespace, a hyphen; lookbehinds tell
# the four apart): re scans for that class instead of trying the four at every position. No leading \s*:
# whitespace left at a part's end makes no token, and the separator is stripped (a leading \s* was 2x slower).
_SPLIT_RE: Final = re.compile(
    r"([/\\|,;:()\[\]{}•·–—owcma\s-]"
    r"(?:(?<=[/\\|,;:()\[\]{}•·–—])"
    r"|(?<!\w\w)(?:(?<=o)(?:r|u|der)|(?<=w)ith|(?<=c)on|(?<=m)it|(?<=a)vec)\b"
    r"|(?<=\s)-+\s*"
    r"|(?<=-)-*\s))\s*"
)
# the words _SPLIT_RE splits at
_SPLIT_WORDS: Final = frozenset({"or", "ou", "oder", "with", "con", "mit", "avec"})
_SIGN_SPLIT_RE: Final = re.compile(r"([/\\|,;:()\[\]{}•·–—])\s*")  # _SPLIT_RE's first alternative alone
# the ASCII bytes that are not word characters (\w) -> b" ": what is left between spaces are \b's words
_NON_WORD_TO_SPACE: Final = bytes(c if chr(c).isalnum() or c == ord("_") else ord(" ") for c in range(256))
_SPLIT_WORDS_ASCII: Final = frozenset(w.encode() for w in _SPLIT_WORDS)
# The patterns tried on every title start with a character class (a lookbehind after it where needed): re then
# scans for that character instead of trying the whole pattern at every position (2-8x fewer instructions).
_INNER_HYPHEN_RE: Final = re.compile(r"[-_](?<=\S[-_])(?=\S)")
_LETTER_HYPHEN_RE: Final = re.compile(r"-(?<=[a-z]-)(?=[a-z])")  # where _HEAD_HYPHEN_RE can match
_HEAD_HYPHEN_RE: Final = re.compile(r"\b([a-z]+)-(?=[a-z])")
_TOKEN_RE: Final = re.compile(r"[a-z0-9]+")
_CPP_RE: Final = re.compile(r"\bc\+\+")
_CSHARP_RE: Final = re.compile(r"\bc#")
_DOTNET_RE: Final = re.compile(r"(?<![a-z0-9])\.net\b")
# a capital starting a word inside a word: "Sr Data EngineerRemote", "AzureDataEngineer"
_CAMEL_RE: Final = re.compile(r"[A-Z](?<=[a-z][A-Z])(?=[a-z])")
_ABBREV_DOT_RE: Final = re.compile(r"\b(sr|jr|snr|jnr|mgr|eng|engr|dir|assoc|prin|sen|dev)\.(?=[a-z])")


class _Memo:
    """Per-rules caches of the pure per-part / per-segment work (titles share most of their segments), and the
    word sets the parser derives from the rules.

    The parser's helpers are handed the memo (and read the rules from it), not looking it up per call."""

    __slots__ = (
        "rules", "title", "part", "token", "match", "parse",
        "lengths", "rewrite_lengths", "known", "level_words", "spec_words",
    )  # fmt: skip

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.title: dict[object, TitleClass] = {}  # classify_titles' (classify_title has its lru cache)
        self.part: dict[str, Tokens] = {}  # _part_tokens
        self.token: dict[str, Tokens] = {}  # _translate
        self.match: dict[Tokens, tuple[_Item, ...]] = {}
        self.parse: dict[tuple[str, Tokens, int], _Seg] = {}
        # the lengths of the lexicon / rewrite phrases starting with each word, longest first (the only ones
        # worth trying)
        self.lengths = _lengths_by_first(rules.lexicon)
        self.rewrite_lengths = _lengths_by_first(rules.rewrite)
        phrases = rules.lexicon.items()
        spec_phrase_words = {w for phrase in rules.spec_phrases for w in phrase}
        # every word the parser can tell from an unknown one (see _UNKNOWN_WORD). One frozenset() around each
        # union: ``frozenset | dict.keys()`` is a set at run time (dict_keys' __ror__), not the frozenset the
        # type says, which a compiled (mypyc) build rejects.
        self.known = frozenset(
            {w for phrase, _ in phrases for w in phrase}
            | NUMERAL_LEVEL.keys()
            | rules.leadership_prefix
            | spec_phrase_words
            | _PARSER_WORDS
        )
        # the words of the phrases that give a level / a specialisation: a segment with none of them has none
        self.level_words = frozenset(
            {w for phrase, e in phrases if e.cue for w in phrase} | NUMERAL_LEVEL.keys()
        )
        self.spec_words = frozenset(
            {w for phrase, e in phrases if e.func and e.func.spec for w in phrase} | spec_phrase_words
        )


def _lengths_by_first(phrases: Iterable[Tokens]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for key in phrases:
        lengths.setdefault(key[0], set()).add(len(key))
    return {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}


_MEMO: Final[list[_Memo]] = []
_MEMO_MAX: Final = 200_000  # entries per cache before it is emptied (bounds memory on unbounded inputs)


def _memo(rules: Rules) -> _Memo:
    if _MEMO and _MEMO[0].rules is rules:
        return _MEMO[0]
    m = _Memo(rules)
    _MEMO[:] = [m]
    return m


_K = TypeVar("_K")
_V = TypeVar("_V")


def _store(cache: dict[_K, _V], key: _K, value: _V) -> None:
    if len(cache) >= _MEMO_MAX:
        cache.clear()
    cache[key] = value


def _part_tokens(part: str, memo: _Memo) -> Tokens:
    """The English tokens of one split part (rewrites and translations applied); memoised per part."""
    out = memo.part.get(part)
    if out is None:
        rules = memo.rules
        tokens: list[str] = []
        translated = memo.token
        for tok in _rewrite(_TOKEN_RE.findall(part), memo):
            words = translated.get(tok)
            if words is None:
                english = _translate(tok, rules)
                words = translated[tok] = tuple(w if w in memo.known else _UNKNOWN_WORD for w in english)
            tokens.extend(words)
        out = tuple(tokens)
        _store(memo.part, part, out)
    return out


def _segments(title: str, memo: _Memo) -> list[tuple[str, Tokens]]:
    """Split a title into (separator before, English tokens) segments."""
    s = fold(_CAMEL_RE.sub(_space_before, title))
    if s.isascii() and s.replace(" ", "").isalnum():
        # only letters, digits and spaces (a third of titles): no sign to rewrite, only a word can split it
        parts = _SPLIT_RE.split(s) if not _SPLIT_WORDS.isdisjoint(s.split()) else [s]
    else:
        parts = _split(_signs(s, memo.rules))
    # parts: [part, separator, part, separator, ..., part]
    out: list[tuple[str, Tokens]] = []
    for k in range(0, len(parts), 2):
        tokens = _part_tokens(parts[k], memo)
        if not tokens:
            continue
        sep = (parts[k - 1].strip() or "-") if k else ""
        # French/Spanish "IA", not ", IA" (Iowa)
        if "ia" in tokens and not (sep == "," and tokens == ("ia",)):
            tokens = tuple("ai" if t == "ia" else t for t in tokens)
        out.append((sep, tokens))
    return out


def _split(s: str) -> list[str]:
    """``_SPLIT_RE.split(s)``; with the cheaper one-character pattern when no hyphen or separator word is in s
    (half of the titles that are not plain: the full pattern costs them 5x more)."""
    if "-" in s or not s.isascii():
        return _SPLIT_RE.split(s)
    if not _SPLIT_WORDS_ASCII.isdisjoint(s.encode().translate(_NON_WORD_TO_SPACE).split()):
        return _SPLIT_RE.split(s)
    return _SIGN_SPLIT_RE.split(s)


def _space_before(m: re.Match[str]) -> str:
    return " " + m[0]


def _signs(s: str, rules: Rules) -> str:
    """Abbreviation dots, C++ / C# / .NET, apostrophes, '&', '+' and hyphens rewritten in a folded title."""
    if "." in s:
        s = _ABBREV_DOT_RE.sub(r"\1 ", s)  # "Jr.Data Analyst"
    if "+" in s or "#" in s or ".net" in s:
        s = _CPP_RE.sub(" cpp ", s)
        s = _CSHARP_RE.sub(" csharp ", s)
        s = _DOTNET_RE.sub(" dotnet ", s)
    s = s.replace(".", "").replace("'", " ").replace("’", " ").replace("&", " and ").replace("+", " and ")
    if "-" in s and _LETTER_HYPHEN_RE.search(s):
        # "Data Scientist-Manager": a hyphen right after a head noun ends that title part
        s = _HEAD_HYPHEN_RE.sub(lambda m: m.group(1) + (" - " if (m.group(1),) in rules.heads else " "), s)
    if "-" in s or "_" in s:
        s = _INNER_HYPHEN_RE.sub(" ", s)
    return s


def _rewrite(words: list[str], memo: _Memo) -> list[str]:
    """Multi-word rewrites ("machine learning" -> "ml", "vice president" -> "vp"), longest first.

    Only the words that start a rewrite are looked at (few are rewritten: the rest is copied in slices)."""
    lengths = memo.rewrite_lengths
    if lengths.keys().isdisjoint(words):
        return words
    rewrite = memo.rules.rewrite
    size = len(words)
    out: list[str] = []
    done = 0  # words[:done] are in out
    for i, word in enumerate(words):
        if i < done or word not in lengths:
            continue
        for n in lengths[word]:
            if i + n <= size:
                repl = rewrite.get(tuple(words[i : i + n]))
                if repl is not None:
                    out += words[done:i]
                    out += repl
                    done = i + n
                    break
    if not done:
        return words
    out += words[done:]
    return out


def _translate(tok: str, rules: Rules) -> tuple[str, ...]:
    if tok in rules.words:
        return rules.words[tok]
    if tok in rules.drop:
        return ()
    if len(tok) >= 8 and (tok,) not in rules.lexicon:
        for suffix, english in rules.compound:
            if tok.endswith(suffix) and len(tok) - len(suffix) >= 3:
                front = tok[: -len(suffix)]
                front_words = rules.words.get(front) or rules.words.get(front.rstrip("s")) or (front,)
                return (*front_words, *english)
    return (tok,)


# ----------------------------------------------------------------------------------------- parsing
# _Item and _Seg are plain classes with their own __init__, not dataclasses: compiled (mypyc), a dataclass is
# still built by the __init__ that the dataclasses module writes in Python (a tenth of the classifier's time)
class _Item:
    __slots__ = ("entry", "words", "start")

    def __init__(self, entry: Entry, words: Tokens, start: int = 0) -> None:
        self.entry = entry
        self.words = words
        self.start = start  # token offset in its segment


class _Seg:
    __slots__ = (
        "sep", "tokens", "items", "head", "kind", "role", "strong", "has_func", "domain", "funcs",
        "rank_kinds", "carry", "level_rank", "specs",
    )  # fmt: skip

    def __init__(
        self, sep: str, tokens: Tokens, items: tuple[_Item, ...], rank_kinds: frozenset[str], carry: int = 0
    ) -> None:
        self.sep = sep
        self.tokens = tokens
        self.items = items
        self.head: _Item | None = None
        self.kind: str | None = None
        self.role = "other"
        self.strong = False  # the role comes from a specific head or a strong function
        self.has_func = False
        self.domain = False  # decided by a domain function: a full title even though its role is "other"
        self.funcs: list[Function] = []
        self.rank_kinds = rank_kinds
        self.carry = carry
        self.level_rank = -1  # memo of _seg_level (-1: not computed yet)
        self.specs: frozenset[str] | None = None  # memo of _seg_specs

    def with_sep(self, sep: str) -> _Seg:
        """A (shallow) copy with another separator: _parse's segments are shared."""
        seg = _Seg(sep, self.tokens, self.items, self.rank_kinds, self.carry)
        seg.head, seg.kind, seg.role, seg.strong = self.head, self.kind, self.role, self.strong
        seg.has_func, seg.domain, seg.funcs = self.has_func, self.domain, self.funcs
        seg.level_rank, seg.specs = self.level_rank, self.specs
        return seg

    @property
    def bare_rank(self) -> bool:
        return self.head is not None and not self.has_func and self.kind in self.rank_kinds


def _match(tokens: Tokens, memo: _Memo) -> tuple[_Item, ...]:
    """Greedy longest match of lexicon phrases; unknown words become empty items (they separate phrases)."""
    items = memo.match.get(tokens)
    if items is None:
        items = _match_uncached(tokens, memo)
        _store(memo.match, tokens, items)
    return items


_UNKNOWN: Final = Entry()  # shared by every unknown word (entries are never changed after loading)


def _match_uncached(tokens: Tokens, memo: _Memo) -> tuple[_Item, ...]:
    items: list[_Item] = []
    lexicon = memo.rules.lexicon
    lengths = memo.lengths
    size = len(tokens)
    i = 0
    while i < size:
        for n in lengths.get(tokens[i], ()):
            if n > size - i:
                continue
            key = tokens[i : i + n]
            e = lexicon.get(key)
            if e is not None:
                items.append(_Item(e, key, i))
                i += n
                break
        else:
            items.append(_Item(_UNKNOWN, (tokens[i],), i))
            i += 1
    return tuple(items)


def _pick(funcs: list[Function], nearest_last: bool) -> Function | None:
    """The deciding function: the strong one nearest the head, else the nearest weak one."""
    ordered = list(reversed(funcs)) if nearest_last else funcs
    for f in ordered:
        if f.strong:
            return f
    return ordered[0] if ordered else None


def _absorb(func: Function | None, funcs: list[Function], rules: Rules) -> Function | None:
    """'ML DevOps Engineer' -> mlops, 'Data/Cloud Engineer' -> data engineer: a domain takes a cloud word."""
    if func is None or func.id != "cloud":
        return func
    for f in reversed(funcs):
        if f.id in rules.absorb_cloud:
            return rules.absorb_cloud[f.id]
    return func


def _family_lead(role: str, rules: Rules) -> str:
    return rules.families.get(ROLE_FAMILY.get(role, "other"), "other")


def _parse(sep: str, tokens: Tokens, memo: _Memo, carry: int = 0) -> _Seg:
    """Read one segment as modifiers HEAD [prep complement]; ``carry`` tokens in front came from 'X /' .

    Memoised per (sep, tokens, carry): the segment returned is shared, so callers must not change it (copy it
    first, as ``_merge_headless`` does to set ``sep``)."""
    key = (sep, tokens, carry)
    seg = memo.parse.get(key)
    if seg is None:
        seg = _parse_uncached(sep, tokens, memo, carry)
        _store(memo.parse, key, seg)
    return seg


def _parse_uncached(sep: str, tokens: Tokens, memo: _Memo, carry: int) -> _Seg:
    rules = memo.rules
    items = _match(tokens, memo)
    seg = _Seg(sep, tokens, items, rank_kinds=rules.rank, carry=carry)
    seg.funcs = [it.entry.func for it in items if it.entry.func is not None]
    heads = [i for i, it in enumerate(items) if it.entry.is_head]
    if not heads:
        return seg
    # "Head of Data", "Ingeniero de datos": a head followed by a preposition governs what follows it
    h = next((i for i in heads if i + 1 < len(items) and items[i + 1].entry.prep), heads[-1])
    head = items[h]
    seg.head = head
    pre, post = items[:h], items[h + 1 :]
    e = head.entry
    kind = "fixed" if e.fixed is not None else (e.head or "other")
    seg.kind = kind

    # a person noun in front: "Data Scientist Lead", "Data Analyst Intern" -> that person; "Product Owner Data
    # Engineer" -> the first full role decides
    inner = [i for i, it in enumerate(pre) if it.entry.person]
    if inner:
        sub = _parse("", tuple(w for it in pre[: inner[-1] + 1] for w in it.words), memo)
        if sub.role != "other" and (sub.strong or kind in rules.carrier):
            seg.has_func, seg.strong, seg.role = True, sub.strong, sub.role
            if kind in rules.leading and kind != "exec":  # "Data Analyst Team Lead" -> leadership
                seg.role = _family_lead(sub.role, rules)
            return seg
    if e.fixed is not None:  # "Data Analyst Report Writer" keeps the first full role, else the fixed one
        seg.role, seg.strong, seg.has_func = e.fixed, True, True
        return seg

    pre_funcs = [it.entry.func for it in pre if it.entry.func is not None]
    post_items = post[1:] if post and post[0].entry.prep else post
    if kind in rules.leading and any(it.entry.person for it in post_items):  # "Head of Data Scientists"
        sub = _parse("", tuple(w for it in post_items for w in it.words), memo)
        if sub.role != "other":
            seg.has_func, seg.strong, seg.role = True, sub.strong, _family_lead(sub.role, rules)
            return seg
    post_funcs = _first_conjunct(post_items)
    func: Function | None = None
    if carry:  # "Business/Data Analyst": the first conjunct decides ("Business Analyst")
        carried = [
            it.entry.func for it in pre if it.entry.func is not None and it.start + len(it.words) <= carry
        ]
        func = _pick(carried, nearest_last=True)
        # only when one function stands between the slash and the head ("AI/LLM Data Engineer" is a data
        # engineer);
        # GenAI words are adjectives ("LLM/MLOps Engineer" is an MLOps engineer)
        if (
            func is None
            or func.genai
            or len(pre_funcs) - len(carried) != 1
            or rules.role_for(func, kind) == "other"
        ):
            func = None
    if func is None:
        func = _absorb(_pick(pre_funcs, nearest_last=True), pre_funcs, rules)
    if func is None or not func.strong:
        after = _absorb(_pick(post_funcs, nearest_last=False), post_funcs, rules)
        if after is not None and (after.strong or func is None):
            func = after
    seg.has_func = func is not None
    seg.strong = func is not None and func.strong
    seg.domain = func is not None and func.domain
    seg.role = rules.role_for(func, kind)
    # "Chief Data Scientist": a leadership prefix on a person noun
    if kind not in rules.leading and kind != "architect":
        if any(w in rules.leadership_prefix for it in pre for w in it.words):
            seg.role = _family_lead(seg.role, rules)
    return seg


# ------------------------------------------------------------------------------------------ decide
def _resolve(segs: list[_Seg], rules: Rules) -> tuple[str, float, int]:
    """Pick the role of the whole title from its parsed segments; also return the deciding segment's index."""
    for i, seg in enumerate(segs):
        if seg.head is None:
            continue
        if seg.strong:
            return seg.role, 0.95, i
        role, conf, j = _qualify(segs, i, rules)
        return role, conf, j
    for s_i, seg in enumerate(segs):
        if seg.items[-1].entry.func is None:
            continue  # "Excel Trainer": an unknown noun, not the name of a field ("Business Intelligence")
        for f in seg.funcs:
            if f.strong and f.default != "other":
                return f.default, 0.5, s_i
    return "other", 0.1 if not any(s.funcs for s in segs) else 0.3, 0


def _first_conjunct(items: Sequence[_Item]) -> list[Function]:
    """Functions of the first of 'A and B' (a compound's head is its last word: 'Marketing Data Science')."""
    out: list[Function] = []
    for it in items:
        if it.words == ("and",) and out:
            break
        if it.entry.func is not None:
            out.append(it.entry.func)
    return out


def _qualifier(seg: _Seg, rules: Rules, any_func: bool = False) -> Function | None:
    """The function a qualifier segment names ("Manager, Marketing Data Science" -> data science)."""
    items: Sequence[_Item] = seg.items
    if seg.carry and not any(it.start < seg.carry < it.start + len(it.words) for it in items):
        items = [it for it in items if it.start < seg.carry] or items  # "Big Data / ML": the first conjunct
    funcs = [f for f in _first_conjunct(items) if f.qualifier or any_func]
    return _absorb(_pick(funcs, nearest_last=True), funcs, rules)


def _qualify(segs: list[_Seg], i: int, rules: Rules) -> tuple[str, float, int]:
    """A generic head or a bare rank at segment i: the role comes from the qualifier after (or before) it."""
    seg = segs[i]
    kind = seg.kind or "other"
    open_role = seg.bare_rank or (seg.role == "other" and not seg.domain)
    any_func = seg.bare_rank or not seg.has_func  # a bare "Analyst" takes even a plain "Data" qualifier
    for j in range(i + 1, len(segs)):
        later = segs[j]
        if later.sep in _JOINERS and not open_role:
            break  # "Software Engineer / Data Engineer": the first full role decides
        if later.head is not None and (later.kind not in rules.rank or (seg.bare_rank and later.strong)):
            # "Systems Engineer III - Data Engineer", "Lead / Manager of Data Science"; not an aside in ()
            if later.strong and (open_role or (later.sep != "(" and later.role != "other")):
                return later.role, 0.85, j
            if seg.bare_rank:
                return _qualify(segs, j, rules)
            if not open_role:
                break  # "Financial Analyst, Consultant - ...": another title follows
            continue
        func = _qualifier(later, rules, any_func)
        if func is None:
            continue
        role = rules.role_for(func, kind)
        if role != "other" and (func.strong or seg.bare_rank):  # "Intern - Software Engineering"
            return role, 0.85, j
        if func.strong or func.domain:  # the first qualifier that names a field decides
            if open_role:
                return role, 0.5, j
            break
    for j in range(i - 1, -1, -1):  # "Machine Learning Operations (MLOps) Lead Engineer"
        func = _qualifier(segs[j], rules, any_func)
        if segs[j].head is None and func is not None and func.strong:
            role = rules.role_for(func, kind)
            if role != "other":
                return role, 0.75, i
    if seg.role == "other":
        return "other", 0.4 if seg.has_func else 0.3, i
    return seg.role, 0.75, i


def _level(segs: list[_Seg], memo: _Memo) -> str:
    """The highest level cue in the title; numerals count after a head noun, alone, or (roman) at the end."""
    best = 0
    for seg in segs:
        if seg.level_rank < 0:
            seg.level_rank = _seg_level(seg, memo)
        if seg.level_rank > best:
            best = seg.level_rank
    return LEVELS[best]


def _seg_level(seg: _Seg, memo: _Memo) -> int:
    """The rank of the highest level cue of one segment (a pure function of its items)."""
    if memo.level_words.isdisjoint(seg.tokens):
        return 0  # most segments name no level at all
    items = seg.items
    best = 0
    prev: _Item | None = None
    for n, it in enumerate(items):
        level = it.entry.cue
        if it.words == ("staff",) and n == len(items) - 1 and prev is not None and prev.entry.cue is None:
            level = None  # "Temporary staff": a rank only in front of a role ("Staff Engineer")
        if level == "lead" and it.words == ("manager",) and prev is not None and prev.entry.func is not None:
            if not prev.entry.func.team_manager:
                level = None
        word = it.words[0] if len(it.words) == 1 else ""
        if level is None and word in NUMERAL_LEVEL:
            after_head = prev is not None and (
                prev.entry.is_head or prev.words[0] in NUMERAL_LEVEL or prev.words == ("level",)
            )
            at_end = not word.isdigit() and all(x.words[0] in NUMERAL_LEVEL for x in items[n:])
            only_levels = all(
                x.entry.cue or x.words[0] in NUMERAL_LEVEL or x.words[0] == "level" for x in items
            )
            if after_head or only_levels or (at_end and prev is not None):
                level = NUMERAL_LEVEL[word]
        if level is not None:
            best = max(best, LEVEL_RANK[level])
        prev = it
    return best


def _specialisation(segs: list[_Seg], memo: _Memo) -> str | None:
    found: set[str] = set()
    for seg in segs:
        if seg.specs is None:
            seg.specs = _seg_specs(seg, memo)
        found.update(seg.specs)
    if not found:
        return None
    return next((s for s in memo.rules.spec_order if s in found), None)


def _seg_specs(seg: _Seg, memo: _Memo) -> frozenset[str]:
    if memo.spec_words.isdisjoint(seg.tokens):
        return frozenset()
    rules = memo.rules
    found: set[str] = set()
    for it in seg.items:
        if it.entry.func is not None and it.entry.func.spec:
            found.add(it.entry.func.spec)
        if it.words in rules.spec_phrases:
            found.add(rules.spec_phrases[it.words])
    return frozenset(found)


def _split_and(sep: str, tokens: Tokens, memo: _Memo) -> list[tuple[str, Tokens]]:
    """'Data Scientist & ML Engineer': 'and' between two person nouns joins two titles."""
    if "and" not in tokens:
        return [(sep, tokens)]
    for k, tok in enumerate(tokens):
        if tok != "and" or k == 0:
            continue
        left, right = tokens[:k], tokens[k + 1 :]
        if any(it.entry.person for it in _match(left, memo)) and any(
            it.entry.person for it in _match(right, memo)
        ):
            return [(sep, left), *_split_and("and", right, memo)]
    return [(sep, tokens)]


def _merge_headless(raw: list[tuple[str, Tokens]], memo: _Memo) -> list[_Seg]:
    """'AI/ML Engineer': a segment with no head noun before a '/' is a modifier of the next segment."""
    pieces: list[tuple[str, Tokens]] = []
    for sep, tokens in raw:
        if "and" in tokens:
            pieces.extend(_split_and(sep, tokens, memo))
        else:
            pieces.append((sep, tokens))
    last = len(pieces) - 1
    segs: list[_Seg] = []
    carry: Tokens = ()
    carry_sep = ""
    for idx, (sep, tokens) in enumerate(pieces):
        seg = _parse(carry_sep if carry else sep, carry + tokens, memo, carry=len(carry))
        if carry and seg.head is not None:
            # "X with a / b / Data Scientist": the titled part after the last '/' is joined
            seg = seg.with_sep(sep)
        if seg.head is None and idx < last and pieces[idx + 1][0] in _JOINERS:
            if not carry:
                carry_sep = sep
            carry = carry + tokens
            continue
        carry = ()
        segs.append(seg)
    return segs


@lru_cache(maxsize=200_000)
def classify_title(title: str) -> TitleClass:
    """Classify one job title into the role and level ids of labels/ROLES.md."""
    return _classify(title or "", _memo(load_rules()))


def _cold_start() -> None:
    """Forget all the classifier remembers: classify_title's lru cache and the memo (per-part / per-segment
    caches, classify_titles' per-title results)."""
    _lru_cache_clear()
    _MEMO.clear()


# classify_title.cache_clear() is a cold start (what the cold benchmarks rely on), not only an empty lru cache
_lru_cache_clear = classify_title.cache_clear
classify_title.cache_clear = _cold_start  # type: ignore[method-assign]


def _classify(title: str, memo: _Memo) -> TitleClass:
    rules = memo.rules
    segs = _merge_headless(_segments(title, memo), memo)
    if not segs:
        return _title_class("other", "unspecified", None, 0.0)
    role, confidence, i = _resolve(segs, rules)
    if role in ("machine_learning_engineer", "software_engineer"):
        # "Gen AI/ML Engineer": once GenAI, LLMs or agents are named in this role or its qualifiers
        scope = [segs[i]]
        for later in segs[i + 1 :]:
            if later.sep in _JOINERS:
                break
            scope.append(later)
        if any(f.genai for s in scope for f in s.funcs):
            role = "ai_engineer"
    spec = _specialisation(segs, memo) if role != "other" else None
    return _title_class(role, _level(segs, memo), spec, confidence)


def classify_titles(titles: Iterable[str | None]) -> list[TitleClass]:
    """Classify a whole column: each distinct title is classified once, results come back in input order.

    The results are kept in the memo (a dict lookup per title: classify_title's lru wrapper, rules and memo
    look-ups per title cost more), so a later batch reuses them as classify_title reuses its own."""
    memo = _memo(load_rules())
    done = memo.title
    out: list[TitleClass] = []
    # The classifier makes no reference cycles, but its caches hold ~10^5 objects that every full collection
    # would walk again while a large column allocates: pause the cyclic collector for the batch (~1.4x).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for title in titles:
            tc = done.get(title)
            if tc is None:
                tc = _classify(title if isinstance(title, str) else "", memo)
                _store(done, title, tc)
            out.append(tc)
    finally:
        if gc_was_enabled:
            # What the batch keeps (its memo entries: ~4 * 10^5 objects for 41k titles) would all be walked
            # by the first young collection after gc.enable() (~0.1 s with the GIL held, on whichever thread
            # allocates next). Freeze + unfreeze moves every tracked object to the oldest generation without
            # walking it: objects of the memo live as long as the process anyway. Not when the application
            # froze objects itself (a pre-fork server): unfreeze would give them back to the collector.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
    return out


# a compiled build of this module that no longer matches this file gives way to it (see title_rules)
_native_fallback(globals(), classify_titles)
