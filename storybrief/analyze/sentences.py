"""Sentence segmentation for news text that keeps exact character offsets.

Why rule-based: the well-known statistical splitters either need downloaded model data
(NLTK punkt, spaCy) or lose the link to the original characters (pySBD's spans drift on
repeated text). Every later stage cites sentences by offset, so we need
``text[s.start:s.end] == s.text`` without exception, and we need it fast (the whole corpus of
a story is split several times). News prose is regular enough that a candidate-boundary
regex plus a small, explicit abbreviation policy gets the hard cases right:

1. A line break always ends a sentence (our plain-text inputs put one paragraph, heading or
   comment per line), so lines are split independently.
2. Inside a line, a candidate boundary is a run of ``. ! ? …`` (or ``...``/``. . .``), then any
   closing quotes or brackets, then whitespace, then the next word.
3. The candidate is rejected when the next word starts in lower case (``"Is it?" he asked.``,
   ``the U.S. military``), or when the word before the period is an abbreviation that does not
   end sentences there (``Mr.``, ``Sen.``, ``Sept. 11``, ``No. 2``, ``Anthony J. Blinken``,
   ``U.S. officials``, ``5 p.m. Eastern``). Ambiguous abbreviations (``U.S.``, ``Inc.``,
   ``a.m.``, single initials) end a sentence only when the next word is one that typically
   opens a sentence (``The``, ``He``, ``But``...), the same orthographic cue Punkt uses.
"""

from __future__ import annotations

import re

from storybrief.model import Sentence

__all__ = [
    "AMBIGUOUS_ABBREVIATIONS",
    "NUMBER_ABBREVIATIONS",
    "SENTENCE_STARTERS",
    "STATE_ABBREVIATIONS",
    "TITLE_ABBREVIATIONS",
    "split_sentences",
]

#: Abbreviations that precede a name and so never end a sentence (lower case, no final dot).
TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "messrs", "mmes", "mme", "mlle", "dr", "prof", "gen", "lt", "col",
        "maj", "capt", "cmdr", "cmdt", "cdr", "adm", "brig", "sgt", "cpl", "pvt", "spc", "sen",
        "sens", "rep", "reps", "gov", "govs", "pres", "supt", "insp", "det", "amb", "rev",
        "msgr", "hon", "fr", "ste", "lieut", "atty", "asst", "gens",
    }
)

#: Abbreviations that precede a number (``No. 2``, ``Sept. 11``, ``Art. 5``, ``Jan. 21``):
#: no boundary when a digit follows; otherwise they may end a sentence.
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "no", "nos", "art", "arts", "sec", "secs", "vol", "vols", "pp", "p", "fig", "figs",
        "ch", "chap", "para", "op", "tel", "ext", "rt", "hwy", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)

#: Abbreviations that can end a sentence but usually do not (``U.S. officials``,
#: ``Apple Inc. shares``, ``Martin Luther King Jr. Day``): a boundary only before a
#: sentence-opening word. Dotted initialisms (``U.S.``, ``a.m.``, ``J.R.R.``) and single
#: capital initials are handled by pattern, not listed here.
AMBIGUOUS_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "inc", "corp", "co", "cos", "ltd", "llc", "plc", "bros", "jr", "sr", "esq", "etc", "vs",
        "v", "al", "approx", "dept", "univ", "assn", "est", "ave", "blvd", "rd", "st", "hwy",
        "mt", "ft", "ph.d", "gov't", "cf",
    }
)

#: US state abbreviations (AP style) that end datelines and place names ("Mobile, Ala."):
#: they end a sentence before a capitalised word, but not before a bracket
#: ("MOBILE, Ala. (AP) --"). "Miss." is left out: it is far more often the honorific.
STATE_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
        "kans", "ky", "la", "md", "mass", "mich", "minn", "mo", "mont", "neb", "nebr", "nev",
        "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
    }
)

#: Words that commonly open a sentence in news prose. After an ambiguous abbreviation, a
#: capitalised word from this list signals a new sentence ("... with the U.S. The talks");
#: any other capitalised word (a name, "State", "Eastern") continues it. Chosen from the
#: function words that open sentences in the bundled examples and in DUC news text.
SENTENCE_STARTERS: frozenset[str] = frozenset(
    {
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
        "those", "there", "here", "his", "her", "its", "their", "our", "my", "your", "but",
        "and", "or", "so", "yet", "nor", "for", "in", "on", "at", "after", "before", "when",
        "while", "if", "as", "since", "though", "although", "because", "despite", "during",
        "meanwhile", "however", "still", "also", "earlier", "later", "last", "next", "then",
        "now", "today", "yesterday", "tomorrow", "what", "who", "why", "how", "where", "which",
        "some", "many", "most", "several", "few", "all", "both", "each", "every", "no", "not",
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "according", "officials", "asked", "speaking", "under", "over", "until", "unlike",
        "like", "with", "without", "instead", "indeed", "thus", "once", "such", "another",
        "other", "more", "among",
    }
)

# A sentence terminator: spaced or unspaced ellipsis, or a run of . ! ? … characters.
_TERMINATOR = r"(?:\.(?:[ \t]\.){2,}|[.!?…]+)"
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«`"
_CANDIDATE = re.compile(_TERMINATOR + f"[{re.escape(_CLOSERS)}]*" + r"[ \t\u00a0]+")
_LINE = re.compile(r"[^\r\n]+")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # "U.S" / "a.m" / "J.R.R" (final dot cut)
_INITIAL = re.compile(r"[A-Z]$")
_ROMAN = re.compile(r"(?:[IVXLC]{2,}|[VX])\b")  # "Art. IV", "No. II"; a lone "I" is a pronoun


def split_sentences(
    text: str, doc_id: str = "", start: int = 0, end: int | None = None
) -> list[Sentence]:
    """Split ``text[start:end]`` into stripped sentences whose offsets index ``text``."""
    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text, start, end):
        line_end = line.end()
        pos = line.start()
        for match in _CANDIDATE.finditer(text, pos, line_end):
            if _is_boundary(text, match, line_end):
                _append(sentences, text, doc_id, pos, match.end())
                pos = match.end()
        _append(sentences, text, doc_id, pos, line_end)
    return sentences


def _is_boundary(text: str, match: re.Match[str], line_end: int) -> bool:
    """Decide whether the terminator ``match`` ends a sentence (see the module docstring)."""
    nxt = match.end()
    if nxt >= line_end:
        return False  # trailing punctuation: the line end is the boundary anyway
    # Skip opening quotes/brackets of the next sentence.
    while nxt < line_end and text[nxt] in _OPENERS:
        nxt += 1
    if nxt >= line_end:
        return False
    first = text[nxt]
    if not (first.isupper() or first.isdigit()):
        return False  # lower case, dash, punctuation: the sentence goes on
    terminator = match.group().rstrip(" \t\u00a0" + _CLOSERS)
    if terminator != ".":
        return True  # ! ? … and runs like "?!" or "..." end a sentence before a capital
    word = _word_before(text, match.start())
    if not word:
        return True
    key = word.lower()
    if key in TITLE_ABBREVIATIONS:
        return False
    if key in NUMBER_ABBREVIATIONS and (first.isdigit() or _ROMAN.match(text, nxt, line_end)):
        return False
    if key in STATE_ABBREVIATIONS:
        return text[match.end()] not in "([«"
    if key in AMBIGUOUS_ABBREVIATIONS or _INITIALISM.fullmatch(word) or _INITIAL.fullmatch(word):
        return _next_word(text, nxt, line_end).lower() in SENTENCE_STARTERS
    return True


def _word_before(text: str, stop: int) -> str:
    """The token ending at ``stop`` without leading quotes or brackets."""
    begin = stop
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:stop].lstrip(_OPENERS)


def _next_word(text: str, begin: int, line_end: int) -> str:
    finish = begin
    while finish < line_end and (text[finish].isalnum() or text[finish] in "'’-"):
        finish += 1
    word = text[begin:finish]
    for suffix in ("'s", "’s"):
        word = word.removesuffix(suffix)
    return word


def _append(out: list[Sentence], text: str, doc_id: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(doc_id, s, e, text[s:e]))
