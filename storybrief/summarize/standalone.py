"""Whether a sentence needs the sentences before it to be understood.

A summary sentence is read away from its article, so "They stopped him on suspicion of
having a criminal record." or "But the drugs can have serious side effects." says less than
it seems to (who? but what?). These rules find such sentences. They are cues of English news
prose, each a family of phrasings rather than one example:

1. an anaphor opens it ("He", "They", "This", "Such", "The latter", "Another"), also after a
   short opening phrase ("On Monday, he said…");
2. a discourse connective opens it ("But", "And", "However,", "Moreover,", "In addition,"):
   it answers or continues the sentence before;
3. it points elsewhere in its article ("…as shown above", "the following");
4. a personal pronoun (he, him, his, she, her) comes before any name in it ("Federal agents
   also want to question him…", "Police said he was…"): the person was named earlier (not
   after an indefinite opening, "A climber who watched his brother fall…"); not
   when an opening phrase uses the pronoun of the person the main clause then names ("Two
   months after laying his show to rest, comedian Jerry Seinfeld…").

The summarizer demotes sentences that rules 1-3 find (``context_opening``,
``extractive.ANAPHOR_FACTOR``); all four (``needs_context``) measure what a summary still
holds (``bench/bench_pile.py``, ``bench/bench_brief_summary.py``). Rule 4 as a selection
rule cost 0.001 ROUGE-2 through the CLI on DUC 2007 main (.1303 -> .1293; with focus .1308 ->
.1298) for two sentences of 212, so it only measures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from storybrief.stopwords import FUNCTION_WORDS

__all__ = ["CATAPHORA_WORDS", "context_opening", "lowercase_words", "needs_context"]

#: Time words after "This": "This morning, police arrested…" is dated, not an anaphor.
_THIS_TIME = (
    r"(?! (?:morning|afternoon|evening|night|week|weekend|month|year|spring|summer|fall|"
    r"autumn|winter|season)\b)"
)
_ANAPHOR_OPENING = re.compile(
    rf"(?:He|She|They|It|Its|His|Her|Their|Them|This{_THIS_TIME}|These|Those|That|Such|Both|"
    # "The former said…", not "The former secretary of state…"
    r"The (?:latter|former)(?=[,;]| (?:is|was|are|were|has|had|have|said|says|will|would|"
    r"could|can|may|might|did|does|also|then|later)\b)|Another|Other|Others)\b"
)
#: A short opening phrase, then the anaphor: "On Monday, he…", "In a statement, they…" (not
#: "it", mostly an empty subject there: "Often, it appeared that…").
_ANAPHOR_AFTER_OPENER = re.compile(
    r"[A-Z][^,;:\"“”()]{0,40},\s+(?:he|she|they|this|these|those|his|her|their)\b"
)
_CONNECTIVE_OPENING = re.compile(
    r"(?:And|But|Yet|Or|Nor|Also|Still|However|Moreover|Furthermore|Meanwhile|Besides|"
    r"Nevertheless|Nonetheless|Likewise|Similarly|Otherwise|Thus|Therefore|Hence|"
    r"Then|Again|Even so|On the other hand|In contrast|By contrast|At the same time|"
    r"For example|For instance|In turn|In fact|So(?! far)|"
    # "In addition, …", not "In addition to the fines, …"
    r"(?:In addition|Instead|As a result)(?! (?:to|of)\b))(?=[\s,;])"
)
#: An indefinite opening brings its own person: "A climber who watched his brother fall…".
_INDEFINITE_OPENING = re.compile(r"(?:A|An|One)\s")
_POINTER = re.compile(
    r"\b(?:as (?:shown|mentioned|noted|described|seen|stated) (?:above|below|earlier)|"
    r"(?:see|shown|listed|pictured) (?:above|below)|the (?:above|following))\b",
    re.IGNORECASE,
)
_PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
#: Capitalised words that are not names: a pronoun after them still has no antecedent.
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december i".split()
)
#: How many words into the main clause a name may come after an opening phrase that uses
#: its pronoun ("In her counterclaim…, Marianne Gingrich accuses…", "…, comedian Jerry
#: Seinfeld is…"): the subject, perhaps after a title word.
CATAPHORA_WORDS = 3
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")
_CAPITALISED_INSIDE = re.compile(r"(?<=[a-z,] )[A-Z][a-z'’-]*\b")


def lowercase_words(texts: Collection[str]) -> frozenset[str]:
    """Words the pile writes in lower case more often than capitalised inside a sentence: a
    capitalised first word that is one of them ("Investigators", "Federal") is a common word,
    not a name ("Schultz", and "Bush" in a pile that names him more than it means shrubs)."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        lower.update(_LOWER_WORD.findall(text))
        capitalised.update(word.lower() for word in _CAPITALISED_INSIDE.findall(text))
    return frozenset(word for word, count in lower.items() if count > capitalised[word])


def context_opening(text: str) -> bool:
    """Whether ``text`` (one sentence) opens on what came before it or points elsewhere in
    its article (rules 1-3 of the module docstring)."""
    if _ANAPHOR_OPENING.match(text) or _CONNECTIVE_OPENING.match(text):
        return True
    return bool(_ANAPHOR_AFTER_OPENER.match(text) or _POINTER.search(text))


def needs_context(text: str, common: Collection[str] = FUNCTION_WORDS) -> bool:
    """Whether ``text`` (one sentence) needs the sentences before it (rules 1-4).

    ``common``: words known to be used in lower case (``lowercase_words`` of the pile); a
    capitalised first word not among them counts as a name."""
    return context_opening(text) or _pronoun_before_name(text, common)


def _pronoun_before_name(text: str, common: Collection[str]) -> bool:
    if _INDEFINITE_OPENING.match(text):
        return False
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        lower = word.lower().rstrip(".")
        if lower in _PERSONAL_PRONOUNS:
            return not _named_after_opening(text, match.start())
        is_name = word[0].isupper() and lower not in _NOT_NAMES
        if is_name and (index > 0 or lower not in common):
            return False  # a name comes first: the pronoun may well be that person
    return False


def _named_after_opening(text: str, pronoun: int) -> bool:
    """Whether the pronoun at ``pronoun`` is in an opening phrase whose person the main
    clause then names (cataphora): the phrase ends at the first comma, a name is among the
    ``CATAPHORA_WORDS`` words after it, and the clause goes on after the name (its verb); a
    place that ends the sentence (", Ala.") is no subject."""
    comma = text.find(", ")
    if comma < pronoun:
        return False
    after = _WORD.findall(text, comma)
    for index, word in enumerate(after[:CATAPHORA_WORDS]):
        if word[0].isupper() and word.lower() not in _NOT_NAMES:
            end = index
            while end < len(after) and after[end][0].isupper():
                end += 1  # the name runs on ("Marianne Gingrich")
            return end < len(after)  # then the main clause goes on ("accuses")
    return False
