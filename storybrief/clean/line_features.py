"""Features of one line of a plain-text page, for telling reporting from reader comments.

Shared by the labeller (``lines.py``) and the training script, so that a model is always
scored on exactly the features it was trained on. Features are sparse ``name -> value``
dicts: a few word features (pronouns, chat words and reporting verbs are the strongest
lexical signals) plus the line's shape, where it stands, and whether it repeats text seen
earlier on the page (readers paste article sentences; articles do not repeat themselves).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from storybrief.clean.furniture import is_furniture

Features = dict[str, float]

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_URL_RE = re.compile(r"https?://|www\.", re.IGNORECASE)
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_DATE_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}"
    r"|\b\d{1,2}(st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? \d{2,4}\b"
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b",
    re.IGNORECASE,
)
_CAPITALISED_RE = re.compile(r"\b[A-Z][a-z]+")
_SHINGLE = 4  # words per shingle when looking for text repeated from earlier lines
# Lines on each side whose words describe a line's surroundings ("ctx:" features): a
# comment thread's style shows over a few lines even when one line is neutral.
CONTEXT_WINDOW = 3
# A line this long that repeats earlier text is a paste, not a short stock phrase.
LONG_LINE_WORDS = 8


def _bucket(value: float, edges: Sequence[float]) -> int:
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges)


def _words(line: str) -> list[str]:
    return _WORD_RE.findall(line.lower().replace("’", "'"))


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def shape_features(line: str) -> Features:
    """Features of the line on its own: its words and its shape."""
    text = line.strip()
    words = _words(text)
    feats: Features = {"bias": 1.0}
    for word in set(words):
        feats["w=" + ("<num>" if word.isdigit() else word)] = 1.0
    n_words = len(text.split())
    if n_words >= LONG_LINE_WORDS:
        feats["long_line"] = 1.0
    feats[f"words_b{_bucket(n_words, (2, 4, 8, 16, 32, 64))}"] = 1.0
    last = text[-1] if text else ""
    if last in ".!?":
        feats["end=" + last] = 1.0
    elif last in "\"”’'":
        feats["end=quote"] = 1.0
    elif last == ":":
        feats["end=colon"] = 1.0
    elif last.isalnum():
        feats["end=alnum"] = 1.0
    else:
        feats["end=other"] = 1.0
    first = text[0] if text else ""
    if first.islower():
        feats["start=lower"] = 1.0
    elif first in "\"“‘'":
        feats["start=quote"] = 1.0
    elif first in "-•*–—":
        feats["start=bullet"] = 1.0
    if _URL_RE.search(text):
        feats["has_url"] = 1.0
        if len(text.split()) == 1:
            feats["only_url"] = 1.0
    if _TIME_RE.search(text):
        feats["has_time"] = 1.0
    if _DATE_RE.search(text):
        feats["has_date"] = 1.0
    if "?" in text:
        feats["has_question"] = 1.0
    if "!" in text:
        feats["has_exclaim"] = 1.0
    if "..." in text or "…" in text:
        feats["has_ellipsis"] = 1.0
    if n_words >= 4:
        caps = len(_CAPITALISED_RE.findall(text)) / n_words
        feats[f"caps_b{_bucket(caps, (0.1, 0.2, 0.35, 0.6))}"] = 1.0
    if is_furniture(text):
        feats["furniture"] = 1.0
    if n_words >= 3 and sum(1 for w in text.split() if w.isupper() and len(w) > 2) / n_words > 0.3:
        feats["shouting"] = 1.0
    if is_name_line(text):
        feats["name_line"] = 1.0
    return feats


# A line that is only a name ("Chris Pearson", "Gibbo", "Paul H. Byerly"): how many comment
# threads print their posters. Section headings look the same ("Ingredients", "History"),
# so this is a feature the model weighs, not a rule; see ``structure_marks`` for when such
# lines are taken as per-comment metadata.
_NAME_WORD_RE = re.compile(r"^[A-Z][\w'’.-]*$")
NAME_MAX_WORDS = 4
# Words a heading has and a name does not ("Download Thesis Now", "How To Bake Bread").
_NOT_NAME_WORDS = frozenset(
    "a about all an and are at by for from how in is it its my new no not now of on or our "
    "the this to what when where who why with you your".split()
)


def is_name_line(line: str) -> bool:
    """A short line of capitalised words with no sentence end and no heading words."""
    words = line.strip().split()
    return (
        0 < len(words) <= NAME_MAX_WORDS
        and all(_NAME_WORD_RE.match(w) and w.lower() not in _NOT_NAME_WORDS for w in words)
        and not any(ch.isdigit() for ch in line)
        and not line.rstrip().endswith((".", "!", "?", ":"))
    )


# --- structure: comment-section openers and per-comment metadata --------------------------

# A header opening a comment section: "Comments", "12 Responses to …", "Leave a Reply",
# "Join the discussion", "3 thoughts on …", "Reader comments (5)".
_OPENER_RE = re.compile(
    r"^\W*(?:\d+\s+)?(?:(?:reader |user |your )?comments?|responses?|replies|reactions?|"
    r"thoughts?|trackbacks?|discussion)\b(?:\s*\(\d+\))?(?:\s+(?:to|on)\b.*)?\W*$"
    r"|^\W*(?:leave|post|add|write) a (?:reply|comment|response)\b.*$"
    r"|^\W*join the (?:discussion|conversation)\b.*$"
    r"|^\W*what do you think\??\W*$",
    re.IGNORECASE,
)
# Per-comment metadata: "Posted by: NAME at DATE", "NAME says:", "by NAME (12345)",
# "NAME July 6, 2012 at 10:47 pm", "Reply", "Report abuse", "12 points", "#3".
_META_RE = re.compile(
    r"^\W*(?:reply|report(?: abuse)?|permalink|flag|quote|like|share|link|"
    r"reply to this( comment)?|report this comment)\W*$"
    r"|\bsays:?\s*$|\bwrote:\s*$|\bsaid\s*(?:,|\.\.\.|…)\s*$"
    r"|^\W*(?:posted|submitted|written|comment(?:ed)?) by:?\s+\S.*"
    r"|^by\s+\S+(?:\s+\S+){0,3}\s+\(\d+\)"
    r"|^\W*(?:\S+\s+)?[+-]?\d+\s+(?:pts|points?|likes?|votes?|replies|recs|recommend\w*)\W*$"
    r"|^\W*pingback\b"
    r"|^\W*#?\d{1,4}[.:)]?\W*$",
    re.IGNORECASE,
)
# Metadata lines are short: a name and a date, not a sentence.
META_MAX_WORDS = 14
# Distances (in lines) to the nearest metadata line that features distinguish.
_DISTANCE_EDGES = (1, 2, 4, 8, 20)


def is_comment_opener(line: str) -> bool:
    """A header that opens a comment section ("Comments", "12 Responses to …")."""
    return len(line.split()) <= META_MAX_WORDS and bool(_OPENER_RE.match(line.strip()))


def is_comment_meta(line: str) -> bool:
    """Per-comment metadata: a poster's name with a date or time, "says:", "Reply", votes."""
    text = line.strip()
    if not text or len(text.split()) > META_MAX_WORDS:
        return False
    if _META_RE.search(text) or _DAY_RE.match(text):
        return True
    if _CITATION_RE.search(text):
        return False
    if _URL_NAME_RE.match(text) or (_AGO_RE.search(text) and len(text.split()) <= AGO_MAX_WORDS):
        return True
    text = _URL_RE_FULL.sub(" ", text).strip()  # "…/thesis/2.01/" is no time of day
    dated = bool(_TIME_RE.search(text) or _DATE_RE.search(text))
    if dated and _DATE_FIRST_RE.match(text):
        return not _SENTENCE_END_RE.search(text) and len(text.split()) <= DATE_FIRST_MAX_WORDS
    return dated and bool(_END_RE.search(text) or _SAID_RE.search(text))


# A name-and-date line ends in the time or date (perhaps a time zone), not in a sentence.
_END_RE = re.compile(
    r"(\d|\d(?:st|nd|rd|th)|[ap]\.?m\.?(?:\s+[A-Z]{2,4})?|\)|\])\W*$", re.IGNORECASE
)
# "Beth on August 22, 2012 at 6:29 pm said:" (with a date, unlike a quote's "the minister said:").
_SAID_RE = re.compile(r"\bsaid:\s*$", re.IGNORECASE)
# A date alone on its line without the year ("November 8th"), as comment threads print it.
_DAY_RE = re.compile(
    r"^\W*(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?\W*$",
    re.IGNORECASE,
)
# A URL then a name, as comment exports print a poster with a website:
# "http://twitter.com/jyarmis Jonathan L. Yarmis".
_URL_NAME_RE = re.compile(r"^(?:https?://|www\.)\S+(?:\s+[\w@.'’-]+){1,4}$", re.IGNORECASE)
_URL_RE_FULL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "3 hours ago", "thecrus8r • 15 minutes ago", "QueenSashy added 1 day ago": a relative time
# stamp closing a short line (a sentence saying "two years ago" is longer, goes on or spells
# the number).
_AGO_RE = re.compile(
    r"\b\d+\s+(?:sec|min|hour|hr|day|week|month|year)[a-z]*\s+ago(?:\s*\([^()]*\))?\s*$",
    re.IGNORECASE,
)
AGO_MAX_WORDS = 8
# A line that opens with the date or time and then names the poster: "October 19, 2012 Fazal
# Majid", "July 31, 2012 | Unregistered CommenterPW", "Thu, 08/09/2012 - 14:32 | 2691789 Sparky".
# Short and without a sentence's end, unlike a dateline opening a paragraph.
_DATE_FIRST_RE = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d|\d{1,2}[./:-]\d)",
    re.IGNORECASE,
)
DATE_FIRST_MAX_WORDS = 8
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*$")
# A numbered list item citing a dated source, "5. A Dreadful Act (Los Angeles Times, Feb 13, 2003)":
# reporting, though it ends in a date.
_CITATION_RE = re.compile(r"^\d{1,3}\.\s+\S.*\(.*\d{4}\)?\W*$|\([^()]*\d{4}\)\W*$")


# An opener needs this many lines under it: a reply form closing the page ("Post a Comment",
# "Leave a Reply" and its fine print) opens nothing.
OPENER_MIN_AFTER = 3


# Name-only lines are per-comment metadata on a page where at least this many different
# names each stand alone on two or more lines: posters who reply again, the author who
# answers. A post's section headings rarely repeat (two parallel sections share at most a
# couple: "History", "Mechanism"). Set a priori, not fitted (on the previous model's
# out-of-fold Dragnet probabilities 2, 3 and 4 gave the same figures).
REPEATED_NAMES_MIN = 3


def structure_marks(lines: Sequence[str]) -> list[int]:
    """Per line: 2 = comment-section opener, 1 = comment metadata, 0 = neither."""
    n = len(lines)
    names = Counter(x.strip() for x in lines if is_name_line(x))
    repeated = {name for name, count in names.items() if count >= 2}
    if len(repeated) < REPEATED_NAMES_MIN:
        repeated = set()
    return [
        2
        if n - i > OPENER_MIN_AFTER and is_comment_opener(x)
        else 1
        if is_comment_meta(x) or x.strip() in repeated
        else 0
        for i, x in enumerate(lines)
    ]


def _structure_features(marks: Sequence[int]) -> list[Features]:
    """Where each line stands relative to openers and metadata lines of the page."""
    n = len(marks)
    out: list[Features] = [{} for _ in range(n)]
    if not any(marks):
        # No structure to go by: no feature at all, so such a page is judged on its style
        # alone (as the synthetic news pages teach), not as "a page before its metadata".
        return out
    above = 0
    opener_seen = False
    last = -1
    for i in range(n):
        f = out[i]
        if marks[i] == 2:
            f["opener_here"] = 1.0
        elif marks[i] == 1:
            f["meta_here"] = 1.0
        f[f"meta_above_b{_bucket(above, (1, 2, 4))}"] = 1.0
        if opener_seen:
            f["opener_above"] = 1.0
        if last >= 0:
            f[f"meta_dist_above_b{_bucket(i - last, _DISTANCE_EDGES)}"] = 1.0
        if marks[i]:
            above += 1
            last = i
            opener_seen = opener_seen or marks[i] == 2
    below = 0
    nxt = -1
    for i in range(n - 1, -1, -1):
        f = out[i]
        if nxt >= 0:
            f[f"meta_dist_below_b{_bucket(nxt - i, _DISTANCE_EDGES)}"] = 1.0
        if below and "meta_above_b0" in f:
            f["before_first_meta"] = 1.0
        if marks[i]:
            below += 1
            nxt = i
    total = sum(1 for m in marks if m)
    if total:
        f_share = f"meta_share_b{_bucket(total / max(n, 1), (0.02, 0.05, 0.1, 0.2))}"
        for f in out:
            f[f_share] = 1.0
    return out


def page_features(lines: Sequence[str]) -> list[Features]:
    """Features of every line of one page, including where it stands and what it repeats."""
    shapes = [shape_features(line) for line in lines]
    n = len(lines)
    structure = _structure_features(structure_marks(lines))
    seen: set[tuple[str, ...]] = set()
    out: list[Features] = []
    for i, line in enumerate(lines):
        feats = dict(shapes[i])
        feats.update(structure[i])
        feats[f"index_b{_bucket(i, (1, 3, 8, 20))}"] = 1.0
        shingles = _shingles(_words(line))
        if shingles:
            repeated = len(shingles & seen) / len(shingles)
            if repeated >= 0.5:
                feats["repeats_earlier"] = 1.0
            elif repeated > 0:
                feats["repeats_some"] = 1.0
        seen |= shingles
        # The neighbours' shape tells a lot about a short line ("Thank you.", a user name).
        for prefix, j in (("prev:", i - 1), ("next:", i + 1)):
            if 0 <= j < n:
                for key in shapes[j]:
                    if not key.startswith("w=") and key != "bias":
                        feats[prefix + key] = 1.0
                if len(lines[j].split()) <= 6:
                    for key in shapes[j]:
                        if key.startswith("w="):
                            feats[prefix + key] = 1.0
        out.append(feats)
    for i, feats in enumerate(out):
        window = [
            j for j in range(i - CONTEXT_WINDOW, i + CONTEXT_WINDOW + 1) if j != i and 0 <= j < n
        ]
        for j in window:
            for key in shapes[j]:
                if key != "bias":
                    name = "ctx:" + key
                    feats[name] = feats.get(name, 0.0) + 1.0 / len(window)
    return out
