"""Which speaker phrases name someone, and where names may be read (``quotes.py`` stage 5).

Rules over the masked text (quoted content replaced by "x"), each for a kind of phrase that
the attribution rules would otherwise take for a speaker or a name.
"""

from __future__ import annotations

import re

from storybrief.analyze.entities_lexicon import is_demonym
from storybrief.analyze.quotes_lexicon import (
    NUMBER_WORDS,
    PARTY_PLURALS,
    PREPOSITIONS,
    SHARE_WORDS,
    TOKEN_RE,
)

__all__ = ["HEADLINE_CAPITALS", "can_speak", "governed", "in_headline"]

#: A line without final punctuation whose words of four letters or more are at least this
#: share capitalised is a title-case headline ("Republicans Are Following Trump to Nowhere"):
#: its capitalised runs are not names. Set by reasoning, not swept: title case capitalises
#: nearly every such word, a body line reaches this share only when it is a list of names.
HEADLINE_CAPITALS = 0.6

#: A quotation on one line (its content masked), for reading the words around it.
_QUOTED_RE = re.compile(r"[“„«\"‘][^“”\"‘’»\n]*[”\"’»]")
#: "the agency's spokesman", "its spokeswoman": an owner named only earlier in the article.
_ANAPHORIC_OWNER = re.compile(r"(?:[Tt]he\s+[a-z]+[’']s|[Ii]ts|[Tt]heir)\s+[a-z]+")


def in_headline(masked: str, pos: int) -> bool:
    """Whether ``pos`` lies on a title-case headline line (``HEADLINE_CAPITALS``)."""
    line_start = masked.rfind("\n", 0, pos) + 1
    line_end = masked.find("\n", pos)
    line = masked[line_start : line_end if line_end >= 0 else len(masked)]
    line = _QUOTED_RE.sub(" ", line).strip()  # 'Warren Hammers Wells Fargo CEO: ‘You ...’'
    if not line or line[-1] in ".!?…;,":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", line) if len(w) >= 4]
    capitals = sum(w[0].isupper() for w in words)
    return len(words) >= 2 and capitals >= HEADLINE_CAPITALS * len(words)


def can_speak(masked: str, start: int, end: int) -> bool:
    """Whether the speaker phrase ``masked[start:end]`` can name who said something.

    Not: a number ("Fifty-one percent say"), a share of a population ("44 percent of Americans
    say", "most voters said"), a bare nationality ("Americans say"), or a description whose
    possessor points back to something the brief does not show ("the agency's spokesman").
    """
    words = TOKEN_RE.findall(masked[start:end])
    if not words:
        return False
    if all(_is_number(w) for w in words):
        return False
    after = masked[end : end + 12].lower().split()[:1]
    before = masked[max(0, start - 40) : start].lower().split()[-3:]
    if after and after[0].strip(",.") in SHARE_WORDS or set(before) & SHARE_WORDS:
        return False
    if len(words) == 1 and words[0] not in PARTY_PLURALS:
        plural = words[0].endswith("s") and words[0][:1].isupper()
        if plural and is_demonym(words[0]):
            return False
    return not _ANAPHORIC_OWNER.fullmatch(masked[start:end])


def governed(masked: str, pos: int) -> bool:
    """Whether the name at ``pos`` follows a preposition (after any determiner)."""
    before = masked[max(0, pos - 30) : pos].split()
    while before and before[-1].lower() in ("the", "a", "an"):
        before.pop()
    return bool(before) and before[-1].lower() in PREPOSITIONS


def _is_number(word: str) -> bool:
    parts = word.lower().replace(",", "").split("-")
    return all(p.isdigit() or p in NUMBER_WORDS for p in parts)
