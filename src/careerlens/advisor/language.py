"""Is a resume in a language careerlens can read? Mostly non-Latin script, or no English function words, is
refused with a ResumeError that says which language or script it looks like."""

from __future__ import annotations

import re

from careerlens.errors import ResumeError

_EN_STOP = set(
    "the and of to in for with a an on at by from as is are was were be been our my i we you your it this "
    "that using used use into over across including team teams work worked working built build led "
    "developed".split()
)
_OTHER_STOP: dict[str, set[str]] = {
    "German": set(
        "und der die das mit für von den im ist auf zu ein eine bei als auch nicht werden wurde".split()
    ),
    "French": set("et le la les des du pour avec dans une un sur est par au aux en de".split()),
    "Spanish": set("y el la los las del para con en una un por es como de al su".split()),
    "Portuguese": set("e o a os as do da dos das para com em uma um por é como de no na".split()),
    "Italian": set("e il la le gli dei delle per con in una un di da che del della".split()),
    "Dutch": set("en de het een van voor met in op is bij als ook niet".split()),
}


def check_language(text: str, name: str = "resume") -> None:
    """Refuse a resume we cannot read: mostly non-Latin script, or no English function words at all."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return
    latin = sum(1 for c in letters if ord(c) < 0x250)
    if latin / len(letters) < 0.5:
        script = _script_name(letters)
        raise ResumeError(
            f"the resume is mostly in a non-Latin script ({script}); careerlens reads English resumes only",
            file=name,
            hint="upload an English version of the resume",
        )
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 25:
        return
    en = sum(1 for w in words if w in _EN_STOP)
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _OTHER_STOP.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    # English words are few, or another language's function words clearly outnumber them
    if en / len(words) >= 0.03 and not (hits / len(words) >= 0.08 and hits > 2 * en):
        return
    found = f"it looks like {lang}" if hits > en and hits / len(words) >= 0.03 else "no English was found"
    raise ResumeError(
        f"careerlens reads English resumes only, and {found}",
        file=name,
        hint="upload an English version of the resume",
    )


def _script_name(letters: list[str]) -> str:
    import unicodedata

    counts: dict[str, int] = {}
    for c in letters:
        if ord(c) >= 0x250:
            try:
                script = unicodedata.name(c).split()[0]
            except ValueError:
                script = "unknown"
            counts[script] = counts.get(script, 0) + 1
    top = max(counts, key=lambda k: counts[k]) if counts else "unknown"
    return top.title()
