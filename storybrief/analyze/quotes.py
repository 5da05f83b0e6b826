"""Direct quotes with their speakers and cue verbs, found by rules (no downloaded models).

Why rules: quotation marks, a small closed class of speech verbs ("said", "told", "added",
"according to") and the word order of news attribution (``"…," X said`` / ``X said: "…"`` /
``said X``) carry almost all of the signal, and rules are deterministic, fast and explainable
(every speaker and cue is a span that can be highlighted).

Stages, in order:

1. Pair quotation marks line by line (curly, straight, guillemets; single quotes only at top
   level so apostrophes and nested quotes stay inside their outer quote). A paragraph left open
   and followed by a paragraph that opens again is the multi-paragraph convention: one quote.
2. Mask the quoted content and split the masked text into sentences, so that cue verbs inside
   quotes are never taken for attributions and sentence ends inside quotes are ignored; a
   quote ending in "!" or "?" keeps the attribution the splitter cut off after it.
3. For each quote pick the nearest cue in its sentence and read the speaker noun phrase next
   to it (``said Mr Blinken`` → after; ``Mr Blinken said`` → before, skipping adverbs, dates,
   appositives and "who"; otherwise the clause subject).
4. Join the parts of one utterance: ``"We will decide," Donfried said, "on a date"`` and a
   quote-only sentence right after an attributed quote with no cue of its own.
5. Resolve "he"/"she" to the most recent named person subject before it (a sentence's subject
   is its first name not after a preposition; title-case headlines and a sentence-opening
   participle, "Hosting Cook at ...", give no names), and write
   named speakers in the longest form the text used before ("Mr Blinken" → "Antony Blinken").
   A phrase that names no one is no speaker (the quote keeps its cue): a poll's figure
   ("Fifty-one percent say"), a share of a population or a bare nationality ("Americans
   say"), a description pointing back ("the agency's spokesman"), a long run of a headline.
6. Classify: ``direct`` (a quoted statement), ``partial`` (a fragment woven into reported
   speech: ``said some were "unacceptable"``) or ``scare``: 1–3 quoted words with no speech
   verb in the sentence or used as a modifier (``the "security guarantees" issue``), or any
   woven-in fragment whose sentence has no speech verb (titles, slogans). Scare quotes never
   get a speaker and are left out unless ``include_scare=True``; a standalone quotation with
   no attribution is kept as ``direct`` with ``speaker=None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from storybrief.analyze.quotes_lexicon import (
    ADVERBS,
    BASE_FORMS,
    CAP_STOP,
    CONNECTORS,
    CUE_RE,
    DETERMINERS,
    FUNCTION,
    MODALS,
    ORG_WORDS,
    PERSON_NOUNS,
    PRONOUNS,
    RESOLVABLE,
    TELL_OBJECTS,
    TITLES,
    TOKEN_RE,
    cue_spans,
)
from storybrief.analyze.quotes_merge import merge_quotes, normalize_quote
from storybrief.analyze.quotes_speakers import can_speak, governed, in_headline
from storybrief.analyze.sentences import split_sentences

__all__ = ["Quote", "QuoteKind", "extract_quotes", "merge_quotes", "normalize_quote"]

QuoteKind = Literal["direct", "partial", "scare"]

#: A quoted phrase of at most this many words with no speech verb (or used as a modifier,
#: ``the "X" issue``) is a scare quote / title. 3 follows the brief; on polnear-train, gold
#: quotes of 1-3 words are mostly woven-in fragments that do have a cue in their sentence.
SCARE_MAX_WORDS = 3
#: Longest speaker noun phrase (characters) read after an inverted cue (``said X, the ...``).
MAX_SPEAKER_CHARS = 120
#: Longest single-quoted span accepted as a quote: apostrophes make long ‘…’ pairings unreliable.
MAX_SINGLE_QUOTE_CHARS = 400
#: A quote ending in "!" or "?" makes the sentence splitter end the sentence there even when
#: the attribution follows ('“... Kentucky!” Trump tweeted'); the next sentence is read as the
#: quote's attribution when at most this many words come before its speech verb (a speaker
#: phrase: "Sen. Elizabeth Warren of Massachusetts" is 5).
JOIN_LEAD_WORDS = 6
#: Longest speaker phrase (words) believed in a title-case headline: there the capitals do not
#: show where a name ends ("Elizabeth Warren Hammers Wells Fargo CEO: ‘...’").
HEADLINE_SPEAKER_WORDS = 3


@dataclass
class Quote:
    """One quoted utterance.

    ``start``/``end`` index the source text and cover the quoted content inside the marks (from
    the first part's start to the last part's end); ``parts`` lists each marked segment when the
    quote is split by an attribution or continues over sentences, and ``text`` is those segments
    joined with single spaces (without the interrupting attribution).
    """

    doc_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    kind: QuoteKind = "direct"
    cue_start: int | None = None
    cue_end: int | None = None
    parts: tuple[tuple[int, int], ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- lexicon



_OPEN_DOUBLE = "“„«"
_CLOSE_MARKS = frozenset({"”", '"', "’", "'", "»"})
_CLOSE_DOUBLE = "”»"
_QUOTE_CHARS = "\"“”„«»‘’'`"
_TRAIL_PUNCT = ".,;:!?…"


# --------------------------------------------------------------------------- stage 1: marks


@dataclass
class _Mark:
    open: int  # index of the opening mark
    close: int  # index of the closing mark (or of the line end when left open)
    continues: bool = False  # left open at a line end; the next line opens again


#: Every character ``_find_marks`` acts on (the quotation marks above, straight and curly).
_MARK_CHARS = re.compile("[" + re.escape(_OPEN_DOUBLE + _CLOSE_DOUBLE + "\"‘’'") + "]")


def _find_marks(text: str, start: int, end: int) -> list[_Mark]:
    marks: list[_Mark] = []
    lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]+", text[start:end])]
    for idx, (ls, le) in enumerate(lines):
        open_at: int | None = None
        single_at: int | None = None
        for found in _MARK_CHARS.finditer(text, ls, le):  # other characters change nothing
            i = found.start()
            ch = text[i]
            prev = text[i - 1] if i > ls else " "
            nxt = text[i + 1] if i + 1 < le else " "
            if (
                ch in _OPEN_DOUBLE
                and open_at is not None
                and not prev.isspace()
                and (nxt.isspace() or nxt in ".,;:!?")
            ):
                marks.append(_Mark(open_at, i))  # a typo'd closing mark: 'unusual,“ said'
                open_at = None
            elif ch in _OPEN_DOUBLE or (ch == '"' and open_at is None and _opens(prev, nxt)):
                open_at = i  # a second opening drops an unclosed first one
                single_at = None
            elif ch in _CLOSE_DOUBLE or ch == '"':
                if open_at is not None:
                    marks.append(_Mark(open_at, i))
                    open_at = None
            elif open_at is None and ch in "‘'" and single_at is None:
                if _opens(prev, nxt) and nxt.isalpha():
                    single_at = i
            elif (
                open_at is None
                and ch in "’'"
                and single_at is not None
                and not prev.isspace()
                and not nxt.isalnum()
            ):
                if i - single_at <= MAX_SINGLE_QUOTE_CHARS:
                    marks.append(_Mark(single_at, i))
                single_at = None
        if open_at is not None and idx + 1 < len(lines):
            nxt_line = text[lines[idx + 1][0] : lines[idx + 1][1]].lstrip()
            if nxt_line[:1] in _OPEN_DOUBLE + '"':
                marks.append(_Mark(open_at, le, continues=True))
    marks.sort(key=lambda m: m.open)
    return marks


def _opens(prev: str, nxt: str) -> bool:
    """A straight mark opens after a space or opening punctuation and before a non-space."""
    return (prev.isspace() or prev in "([{—–-:/") and not nxt.isspace()


def _inner(text: str, mark: _Mark) -> tuple[int, int]:
    s, e = mark.open + 1, mark.close
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


# --------------------------------------------------------------------------- stage 2: masking


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Replace quoted content by 'x' (keeping its first and closing punctuation characters)."""
    chars = list(text)
    for s, e in spans:
        last = e
        while last > s and text[last - 1] in _TRAIL_PUNCT + " ":
            last -= 1
        for i in range(s + 1, last):
            if chars[i] != "\n":
                chars[i] = "x"
    return "".join(chars)


# --------------------------------------------------------------------------- stage 3: speakers


@dataclass
class _Tok:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass
class _Attr:
    cue_start: int
    cue_end: int
    speaker: tuple[int, int] | None  # span of the speaker phrase as written


def _tokens(masked: str, s: int, e: int) -> list[_Tok]:
    return [_Tok(m.start() + s, m.end() + s, m.group()) for m in TOKEN_RE.finditer(masked[s:e])]


_DOTTED_LETTERS = re.compile(r"(?:[A-Za-z]\.)+")
_CAPITAL_AND_XS = re.compile(r"[A-Z]x*")
_WORDLIKE = re.compile(r"[\w.\-’']+")
_LOWER_WORD = re.compile(r"[a-z][\w\-’']*")


def _is_cap(tok: _Tok) -> bool:
    t = tok.text
    if "." in t and _DOTTED_LETTERS.fullmatch(t) and not t.isupper():
        return False  # "E.g."
    return t[:1].isupper() and t not in CAP_STOP and not _CAPITAL_AND_XS.fullmatch(t)


def _name_back(toks: list[_Tok], k: int, lo: int) -> int | None:
    """Start index of a mention ending at token ``k`` (not before ``lo``), or ``None``."""
    tok = toks[k]
    if tok.low in PRONOUNS and tok.text[0] in "HhSsTtWwIi":
        return k
    if _is_cap(tok):
        i = k
        while i - 1 >= lo:
            p = toks[i - 1]
            if _is_cap(p) or (
                p.low in CONNECTORS and i - 2 >= lo and _is_cap(toks[i - 2]) and i - 1 != k
            ):
                i -= 1
            else:
                break
        i = _extend_det(toks, i, lo)
        if i - 2 >= lo and toks[i - 1].low == "and" and toks[i - 2].text != ",":
            j = _name_back(toks, i - 2, lo)  # "the U.S. and NATO"
            if j is not None:
                return j
        return i
    if tok.low in PERSON_NOUNS:
        i = k
        for _ in range(4):
            if i - 1 < lo:
                break
            p = toks[i - 1]
            if p.low in DETERMINERS or p.text.endswith(("’s", "'s")):
                return i - 1
            if not _WORDLIKE.fullmatch(p.text) or p.low in ADVERBS or p.low == "that":
                break
            i -= 1
        if tok.low.endswith("s") or _is_cap(toks[i]):
            return i  # "Western officials said", "State Department officials said"
        return None
    return None


def _extend_det(toks: list[_Tok], i: int, lo: int) -> int:
    """Take in a determiner and lowercase head before a name: "a spokesman for the Ministry"."""
    if i - 1 >= lo and toks[i - 1].low in ("the", "a", "an"):
        i -= 1
    if i - 2 >= lo and toks[i - 1].low in ("for", "of", "at") and toks[i - 2].low in PERSON_NOUNS:
        j = _name_back(toks, i - 2, lo)
        if j is not None:
            return j
    return i


def _name_forward(toks: list[_Tok], k: int) -> int | None:
    """End index (inclusive) of a mention starting at token ``k`` or ``None``."""
    if k >= len(toks):
        return None
    i = k
    if toks[i].low in PRONOUNS:
        return i
    has_det = toks[i].low in DETERMINERS
    if has_det:
        i += 1
    last: int | None = None
    j = i
    while j < len(toks) and j - i < 10:
        t = toks[j]
        if _is_cap(t) or t.low in PERSON_NOUNS:
            last = j
        elif t.low in CONNECTORS and last is not None and j + 1 < len(toks):
            pass
        elif (
            last is None
            and j - i < 3
            and _LOWER_WORD.fullmatch(t.text)
            and t.low not in ADVERBS
            and t.low not in FUNCTION
        ):
            pass  # adjective before the head: "a senior official"
        else:
            break
        j += 1
    return last


#: Characters that join a cue word to its neighbours into one token (see ``TOKEN_RE``).
_JOINERS = frozenset("-’'")


def _cues(masked: str, s: int, e: int) -> list[tuple[int, int]]:
    found = []
    for start, end in cue_spans(masked[s:e]):
        start, end = start + s, end + s
        word = masked[start:end]
        if masked[start - 1 : start] in _JOINERS or masked[end : end + 1] in _JOINERS:
            continue  # part of a compound or a URL ("how-we-said-it"), not a speech verb
        if word[0].isupper() and not word.startswith("According"):
            continue  # "State Department", "the United States": names, not verbs
        prev = _word_before(masked, s, start).lower()
        if prev in DETERMINERS or prev.endswith(("’s", "'s")):
            continue  # a noun: "his call for", "in opening remarks"
        if prev in MODALS and word.lower() in BASE_FORMS:
            continue
        if prev in ("in", "of", "for") and word.endswith("ing"):
            continue  # "in writing"
        if word.startswith("continu"):
            after = masked[end:e].split(maxsplit=1)
            if after and (after[0] == "to" or after[0].endswith("ing")):
                continue  # "continued to push", "continues expanding"
        found.append((start, end))
    # a colon right after a name introduces a quote: 'Donald Trump: "..."'
    for m in re.finditer(r":(?=\s*[\"“‘])", masked[s:e]):
        if not any(0 <= m.start() + s - ce <= 2 for _cs, ce in found):  # "who tweeted:"
            found.append((m.start() + s, m.end() + s))
    return sorted(found)


def _word_before(text: str, start: int, pos: int) -> str:
    """``text[start:pos].split()[-1]`` (``""`` without one), reading back one word only."""
    j = pos
    while j > start and text[j - 1].isspace():
        j -= 1
    i = j
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i:j]


def _attribute(masked: str, s: int, e: int, cue: tuple[int, int], inverted: bool) -> _Attr:
    """Read the speaker next to ``cue`` inside the sentence ``masked[s:e]``."""
    cs, ce = cue
    toks = _tokens(masked, s, e)
    ci = next(i for i, t in enumerate(toks) if t.start >= cs)
    cj = next((i for i, t in enumerate(toks) if t.start >= ce), len(toks))
    word = masked[cs:ce].lower()
    if word.startswith(("told", "tell")) and cj < len(toks) and toks[cj].low in TELL_OBJECTS:
        ce = toks[cj].end
    forward = word.startswith("according") or (inverted and masked[cs:ce] != ":")
    if forward:
        k = cj
        while k < len(toks) and (toks[k].low in ADVERBS or toks[k].text in CAP_STOP):
            k += 1
        last = _name_forward(toks, k)
        if last is not None and toks[last].start - ce <= MAX_SPEAKER_CHARS:
            return _Attr(cs, ce, (toks[k].start, toks[last].end))
        if word.startswith("according"):
            return _Attr(cs, ce, None)
    # clause start: the last quote mark, ':' or ';' before the cue
    lo = 0
    for i in range(ci - 1, -1, -1):
        if toks[i].text in (";", ":", "”", '"', "“", "’") and i < ci - 1:
            lo = i + 1
            break
    k = ci - 1
    while k >= lo and (
        toks[k].low in ADVERBS
        or toks[k].low in ("did", "does", "do")
        or (toks[k].low.endswith("ly") and toks[k].text.islower())
        or toks[k].text in CAP_STOP - {"I", "He", "She", "They", "We", "It"}
    ):
        k -= 1
    if k - 1 >= lo and toks[k].low == "who" and toks[k - 1].text == ",":
        k -= 2  # "Zelensky, who tweeted": the name before the relative clause
    elif k >= lo and toks[k].text == ",":
        # appositive ("Karen Donfried, the assistant secretary ..., told"): the first mention;
        # a participle ("..., adding") falls through to the sentence subject
        k = lo
        while k < ci and _name_forward(toks, k) is None:
            k += 1
        last = _name_forward(toks, k) if k < ci else None
        if last is not None and last < ci and not word.endswith("ing"):
            return _Attr(cs, ce, (toks[k].start, toks[last].end))
        k = -1
    if 0 < lo <= k and toks[lo - 1].text in _CLOSE_MARKS and k - lo < 4:
        # '"...," federal prosecutors wrote': the whole short phrase between quote and cue
        phrase = toks[lo : k + 1]
        if all(t.text not in (",", "and") and t.low not in FUNCTION for t in phrase) and (
            phrase[0].low in DETERMINERS
            or phrase[0].low in PRONOUNS
            or _is_cap(phrase[0])
            or len(phrase) > 1
        ):
            return _Attr(cs, ce, (phrase[0].start, phrase[-1].end))
    if k >= lo:
        first_tok = _name_back(toks, k, lo)
        if first_tok is not None:
            return _Attr(cs, ce, (toks[first_tok].start, toks[k].end))
    # the clause subject: first mention of the clause ("Lavrov in remarks ... said"), else of
    # the sentence ('Blinken called on Russia to "..." and stressed that')
    for first in (lo, 0) if lo else (0,):
        for k in range(first, ci):
            last = _name_forward(toks, k)
            if last is not None and last < ci:
                return _Attr(cs, ce, (toks[k].start, toks[last].end))
    return _Attr(cs, ce, None)


# --------------------------------------------------------------------------- stage 5: names


def _words(name: str) -> list[str]:
    return TOKEN_RE.findall(name)


def _name_core(name: str) -> list[str]:
    """The personal name inside a mention: "US Secretary of State Antony Blinken" → 2 words."""
    core: list[str] = []
    for w in reversed(_words(name)):
        if w.endswith(("’s", "'s")) or not w[:1].isupper() or w in TITLES or w in CAP_STOP:
            break
        core.insert(0, w)
    return core


def _person_strength(name: str) -> int:
    """2: surely a person (title or full name); 1: a bare surname-like word; 0: not a person."""
    words = _words(name)
    core = _name_core(name)
    if not core or any(w in ORG_WORDS or (w.isupper() and len(w) > 1) for w in core):
        return 0
    prefix = words[: len(words) - len(core)]
    if any(w.rstrip(".") in TITLES or w.lower() in PERSON_NOUNS for w in prefix):
        return 2  # "Mr Blinken", "Kremlin spokesman Dmitry Peskov"
    if any(w[:1].islower() and w not in CONNECTORS | DETERMINERS for w in prefix):
        return 0
    return 2 if len(core) >= 2 else 1


@dataclass
class _Names:
    """Person mentions seen so far, for pronoun resolution and full-name lookup."""

    #: (position, mention text) of person subjects and speakers, in text order
    subjects: list[tuple[int, str]] = field(default_factory=list)
    #: last word of a full name → longest full name seen for it
    full: dict[str, str] = field(default_factory=dict)

    def add(self, pos: int, name: str, speaker: bool, full_only: bool = False) -> None:
        strength = _person_strength(name)
        core = _name_core(name)
        if strength == 2 and len(core) >= 2:
            key = core[-1].lower()
            if len(" ".join(core)) > len(self.full.get(key, "")):
                self.full[key] = " ".join(core)
        if full_only:
            return
        if strength == 2 or (strength == 1 and (speaker or core[-1].lower() in self.full)):
            self.subjects.append((pos, name))

    def resolve(self, pos: int) -> str | None:
        for p, name in reversed(self.subjects):
            if p < pos:
                return self.canonical(name)
        return None

    def canonical(self, name: str) -> str:
        core = _name_core(name)
        if core and _person_strength(name):
            return self.full.get(core[-1].lower(), " ".join(core) if len(core) > 1 else name)
        return name


def _all_names(masked: str, s: int, e: int) -> list[tuple[int, str]]:
    """Every capitalised name of a sentence; the first is taken as its subject."""
    toks = _tokens(masked, s, e)
    out: list[tuple[int, str]] = []
    # a sentence opening with a participle ("Hosting Cook at the plant, Trump ...") does not
    # open a name: "Hosting Cook" is no one's full name
    k = 1 if toks and toks[0].text.endswith("ing") and len(toks[0].text) >= 6 else 0
    while k < len(toks):
        if _is_cap(toks[k]):
            last = _name_forward(toks, k)
            if last is not None:
                out.append((toks[k].start, masked[toks[k].start : toks[last].end]))
                k = last + 1
                continue
        k += 1
    return out


# --------------------------------------------------------------------------- extraction


@dataclass
class _Draft:
    parts: list[tuple[int, int]]
    marks: list[_Mark]
    sent: tuple[int, int]
    attr: _Attr | None = None
    kind: QuoteKind = "direct"
    speaker: str | None = None
    inherited: bool = False


def extract_quotes(
    text: str,
    doc_id: str = "",
    start: int = 0,
    end: int | None = None,
    *,
    include_scare: bool = False,
) -> list[Quote]:
    """Quotes in ``text[start:end]`` with speaker, cue and spans (offsets index ``text``).

    Scare quotes (short quoted labels, see the module docstring) are left out unless
    ``include_scare`` is set; they then come back with ``kind="scare"`` and no speaker.
    """
    end = len(text) if end is None else end
    marks = _find_marks(text, start, end)
    if not marks:
        return []
    inners = [_inner(text, m) for m in marks]
    masked = _mask(text, [(m.open + 1, m.close) for m in marks])
    sentences = _join_handovers(
        masked, [(s.start, s.end) for s in split_sentences(masked, doc_id, start, end)]
    )
    names = _Names()
    drafts: list[_Draft] = []
    mi = 0
    prev_attrs: list[_Attr] = []
    prev_end = start
    for ss, se in sentences:
        in_sent: list[int] = []
        while mi < len(marks) and marks[mi].open < se:
            if marks[mi].open >= ss:
                in_sent.append(mi)
            mi += 1
        cues = _cues(masked, ss, se)
        attrs = [(cue, _attr_for(masked, ss, se, cue, marks, in_sent)) for cue in cues]
        if not in_headline(masked, ss):
            found = _all_names(masked, ss, se)
            # the subject: the first name not governed by a preposition ("On The Steve Harvey
            # Morning Show on Tuesday, Clinton criticized ...": Clinton)
            subject = next((i for i, (pos, _) in enumerate(found) if not governed(masked, pos)), 0)
            for i, (pos, name) in enumerate(found):
                names.add(pos, name, speaker=False, full_only=i != subject)
            for _cue, attr in attrs:
                if attr.speaker and can_speak(masked, *attr.speaker):
                    sp_s, sp_e = attr.speaker
                    names.add(sp_s, masked[sp_s:sp_e], speaker=True)
        for idx in in_sent:
            mark = marks[idx]
            draft = _Draft([inners[idx]], [mark], (ss, se))
            draft.attr = _choose(text, ss, mark, attrs)
            if draft.attr is None and _line_start(masked, mark.open):
                draft.attr = _intro(masked, prev_end, prev_attrs)
            draft.kind = _kind(text, masked, ss, se, mark, inners[idx], draft.attr)
            if draft.kind == "partial" and draft.attr is None:
                draft.kind = "scare"  # a woven-in phrase with no speech verb: a title or label
            if draft.kind == "scare":
                draft.attr = None
            elif draft.attr and draft.attr.speaker:
                sp_s, sp_e = draft.attr.speaker
                written = text[sp_s:sp_e]
                if not can_speak(masked, sp_s, sp_e) or (
                    len(written.split()) > HEADLINE_SPEAKER_WORDS and in_headline(masked, sp_s)
                ):
                    draft.speaker = None  # a poll's figure, "the agency's ...", a headline
                elif written.lower() in RESOLVABLE:
                    draft.speaker = names.resolve(sp_s) or written
                else:
                    draft.speaker = names.canonical(written)
            drafts.append(draft)
        prev_attrs, prev_end = [a for _c, a in attrs], se
    drafts = _join(drafts, text, masked)
    return [_to_quote(d, text, doc_id) for d in drafts if include_scare or d.kind != "scare"]


def _join_handovers(masked: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a quote-only sentence ending in "!" or "?" to the attribution after it on the same
    line ('“... Kentucky!” Trump tweeted before Election Day.'), which the splitter cut off."""
    out: list[tuple[int, int]] = []
    for ss, se in sentences:
        if out and _hands_over(masked, out[-1], (ss, se)):
            out[-1] = (out[-1][0], se)
        else:
            out.append((ss, se))
    return out


def _hands_over(masked: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    said = masked[prev[0] : prev[1]].rstrip()
    if len(said) < 3 or said[0] not in _OPEN_DOUBLE + '"' or said[-1] not in _CLOSE_MARKS:
        return False
    if said[-2] not in "!?" or "\n" in masked[prev[1] : nxt[0]]:
        return False
    cues = _cues(masked, nxt[0], nxt[1])
    if not cues:
        return False
    lead = masked[nxt[0] : cues[0][0]]
    words = lead.split()
    return (
        0 < len(words) <= JOIN_LEAD_WORDS
        and words[0][:1].isupper()
        and words[0] not in CAP_STOP  # "He also accused ...": a new sentence
        and not any(c in masked[nxt[0] : nxt[1]] for c in _OPEN_DOUBLE + _CLOSE_DOUBLE + '"')
    )


def _attr_for(
    masked: str, ss: int, se: int, cue: tuple[int, int], marks: list[_Mark], in_sent: list[int]
) -> _Attr:
    # inverted order ("...," said X) only right after a closing mark
    inverted = any(
        marks[i].close < cue[0] and not masked[marks[i].close + 1 : cue[0]].strip(" ,—–-")
        for i in in_sent
    )
    return _attribute(masked, ss, se, cue, inverted)


def _intro(masked: str, prev_end: int, prev_attrs: list[_Attr]) -> _Attr | None:
    """A paragraph that ends "..., he said:" introduces the quote opening the next one."""
    if not masked[:prev_end].rstrip().endswith(":"):
        return None
    spoken = [a for a in prev_attrs if a.speaker is not None]
    return max(spoken, key=lambda a: a.cue_start) if spoken else None


def _choose(
    text: str, sent_start: int, mark: _Mark, attrs: list[tuple[tuple[int, int], _Attr]]
) -> _Attr | None:
    """The nearest cue in the sentence (a tie goes to the cue after the quote).

    A cue after the quote counts only when the quote hands over to it with , ? ! or a dash
    (``"…," she said``); otherwise the quote is part of the clause that follows.
    """
    tail = text[mark.close - 1 : mark.close + 2]
    hands_over = any(c in ",?!—–…" for c in tail) or not text[sent_start : mark.open].strip()
    best: tuple[int, int, _Attr] | None = None
    for (cs, ce), attr in attrs:
        if (cs > mark.close and not hands_over) or (attr.speaker is None and ce - cs == 1):
            continue  # a colon introduces a quote only after a name
        if cs > mark.close:
            key = (cs - mark.close, 0)
        elif ce <= mark.open:
            key = (mark.open - ce, 1)
        else:
            continue
        if best is None or key < best[:2]:
            best = (key[0], key[1], attr)
    return best[2] if best else None


def _kind(
    text: str,
    masked: str,
    ss: int,
    se: int,
    mark: _Mark,
    inner: tuple[int, int],
    attr: _Attr | None,
) -> QuoteKind:
    before = masked[ss : mark.open].rstrip()
    after = masked[mark.close + 1 : se].lstrip()
    n_words = len(text[inner[0] : inner[1]].split())
    if n_words <= SCARE_MAX_WORDS:
        nxt = re.match(r"[a-z][\w\-]*", after)
        modifier = (
            nxt is not None
            and not CUE_RE.fullmatch(nxt.group())
            and (nxt.group() not in DETERMINERS | PRONOUNS | FUNCTION)
        )
        so_called = before.lower().endswith(("so-called", "so called"))
        if attr is None or modifier or so_called:
            return "scare"
    if not before or before.endswith((":", ",")):
        return "direct"
    if attr is not None and attr.cue_end <= mark.open:
        between = masked[attr.cue_end : mark.open].split()
        if (
            len(between) <= 3
            and text[inner[0] : inner[0] + 1].isupper()
            and all(w == "that" or w[:1].isupper() or w in TELL_OBJECTS for w in between)
        ):
            return "direct"  # Lavrov telling Blinken "I heard ...", says that "The ..."
    return "partial"


def _join(drafts: list[_Draft], text: str, masked: str) -> list[_Draft]:
    """Stage 4: join split quotes and quote-only continuation sentences to their quote."""
    out: list[_Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if prev is not None and d.kind != "scare" and prev.kind != "scare":
            gap = masked[prev.marks[-1].close + 1 : d.marks[0].open]
            same_line = "\n" not in gap
            quote_only = not masked[d.sent[0] : d.marks[0].open].strip() and not masked[
                d.marks[-1].close + 1 : d.sent[1]
            ].strip(" .,;!?")
            split = (
                same_line
                and prev.attr is not None
                and d.attr is prev.attr
                and prev.attr.cue_start > prev.marks[-1].close
                and prev.attr.cue_end < d.marks[0].open
            )
            follow = (
                same_line
                and d.attr is None
                and quote_only
                and prev.attr is not None
                and prev.sent[1] <= d.sent[0]
                and not masked[prev.sent[1] : d.sent[0]].strip()
            )
            multi_para = prev.marks[-1].continues and d.marks[0].open > prev.marks[-1].close
            if split or follow or (multi_para and (d.attr is None or prev.attr is None)):
                prev.parts.extend(d.parts)
                prev.marks.extend(d.marks)
                if prev.attr is None:
                    prev.attr, prev.speaker = d.attr, d.speaker
                prev.sent = (prev.sent[0], d.sent[1])
                continue
            paragraph = (
                not same_line
                and d.attr is None
                and quote_only
                and prev.speaker is not None
                and _line_start(masked, d.marks[0].open)
            )
            if paragraph:
                d.speaker, d.inherited = prev.speaker, True
        out.append(d)
    return out


def _line_start(masked: str, pos: int) -> bool:
    line_start = masked.rfind("\n", 0, pos) + 1
    return not masked[line_start:pos].strip()


def _to_quote(d: _Draft, text: str, doc_id: str) -> Quote:
    parts = tuple((s, e) for s, e in d.parts if e > s)
    if not parts:
        parts = (d.parts[0],)
    joined = " ".join(text[s:e] for s, e in parts)
    attr = d.attr
    sp = attr.speaker if attr and not d.inherited else None
    cue = text[attr.cue_start : attr.cue_end] if attr and not d.inherited else None
    return Quote(
        doc_id=doc_id,
        start=parts[0][0],
        end=parts[-1][1],
        text=joined,
        speaker=d.speaker,
        speaker_text=text[sp[0] : sp[1]] if sp else None,
        speaker_start=sp[0] if sp else None,
        speaker_end=sp[1] if sp else None,
        cue=cue,
        kind=d.kind,
        cue_start=attr.cue_start if attr and not d.inherited else None,
        cue_end=attr.cue_end if attr and not d.inherited else None,
        parts=parts,
    )
