"""Per-document notes on source quality: how much is reporting, is it opinion, is it translated.

A brief cites its sources, and a reader weighing a citation wants to know what kind of page it
came from: a wire report, a blog post arguing a case, a report with an opinion post glued
under it, a machine translation that mangles names, a page that is mostly reader comments,
or a copy of another source. Everything here is computed from what earlier stages already
wrote on the model (block labels, language, duplicate marks, entities); nothing is guessed
from the site name. Stages, in order:

1. ``shares``/``counts``: characters and blocks per label group (reporting = title, heading,
   body; comment; boilerplate).
2. Opinion vs reporting: the reporting blocks are split into *posts* (a new title after body
   text starts a new post, as when a blog reposts a report and appends its own piece). Each
   post's body sentences, with quoted speech removed, are measured for: attribution rate
   ("said", "told", "according to"...), first person, second person, evaluative or hedging
   words, exclamations and rhetorical questions, capitalised emphasis ("Barely even
   LOOKED"). A post is opinion when enough signals fire; the document is "mixed" when its
   posts disagree.
3. Machine-translation signs: name spellings that the entity stage found to differ from the
   consensus of the other sources ("Blingen (consensus: Antony Blinken)"), the same person
   spelt two ways in one document, and a person given another person's role ("Secretary of
   State Lavrov" where the story's Secretary of State is Blinken), a typical calque.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from storybrief.analyze.entities import Entity
from storybrief.analyze.sentences import split_sentences
from storybrief.model import REPORTING_LABELS, Block, Document

__all__ = [
    "MIN_OPINION_SIGNALS",
    "SourceNote",
    "opinion_signals",
    "source_notes",
]

#: A post is opinion when at least this many of the signals below fire. One signal alone is
#: common in news (a feature opening with a rhetorical question, a wire story paraphrasing
#: "we" without quotation marks); it takes two to call a post opinion.
MIN_OPINION_SIGNALS = 2

# The rate thresholds below sit near the 5th/95th percentile of the 575 DUC 2007 articles
# (NYT/AP/Xinhua wire; their few op-eds and columns are among those above the bar) and of the
# 919 PolNeAR 2016-election articles, measured with each document's lines as body blocks.
# With them, 3.5% of DUC (every other article) and 5% of PolNeAR come out opinion; those
# flagged are mostly columns, letters to the editor and first-person features.

#: Attribution rate (share of body sentences with a reporting verb) below which "few
#: attributions" fires. DUC: 5th percentile 0.09, median 0.38; PolNeAR 5th percentile 0.05.
LOW_ATTRIBUTION_RATE = 0.1
#: Share of sentences with a first-person pronoun outside quotation marks. DUC: median
#: 0.02, 95th percentile 0.28 (wire copy paraphrases "we" of officials and runs quotations
#: over paragraphs without closing marks); PolNeAR 95th percentile 0.21.
FIRST_PERSON_RATE = 0.25
#: Share of sentences addressing the reader ("you", "your") outside quotation marks.
#: DUC and PolNeAR 95th percentile: 0.08-0.09.
SECOND_PERSON_RATE = 0.1
#: Evaluative or hedging words per sentence. DUC and PolNeAR 95th percentile: 0.1.
EVALUATIVE_RATE = 0.15
#: Share of sentences ending in "!" or "?" outside quotation marks. DUC 95th percentile
#: 0.04, PolNeAR 0.08.
EXCLAIM_QUESTION_RATE = 0.1
#: Fewest body sentences a post needs before rates mean anything; shorter posts still
#: count capitalised emphasis, but not rates.
MIN_SENTENCES_FOR_RATES = 3

_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|telling|according to|added|adds|announced|"
    r"stated|stressed|noted|warned|confirmed|reported|reports|described|accused|"
    r"reiterated|tweeted|wrote|insisted|claimed|claims|argued|argues|explained|"
    r"acknowledged|asked|urged|called on|declared|denied|denies|spokesm[ae]n|spokeswoman|"
    r"statement|readout|remarks|quoted)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_RE = re.compile(r"\bI\b|\b(?i:me|my|mine|myself|we|our|ours|ourselves|us)\b")
_SECOND_PERSON_RE = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
#: Evaluative and hedging words typical of argument rather than report. Kept short and
#: unambiguous: words a reporter writes only inside a quotation.
_EVALUATIVE_RE = re.compile(
    r"\b(?:clearly|obviously|of course|surely|frankly|honestly|absurd\w*|ridiculous\w*|"
    r"disgrace\w*|shameful|pathetic|outrageous|stupid\w*|idiot\w*|incompeten\w+|"
    r"nonsense|farce|sham|hypocri\w+|liars?|lies|so-called|nothing but|mere|merely|"
    r"barely|half-hearted|pretend\w*|laughable|disastrous|terrible|awful|"
    r"i think|i believe|in my view|seems?|apparently|perhaps|maybe|no doubt|"
    r"undoubtedly|shows? (?:that|these|this|how)|what we do|let's|let us)\b",
    re.IGNORECASE,
)
#: The two case-insensitive expressions again, for lower-cased text (3-4x faster): the same
#: answers unless a sentence holds one of ``_CASE_TRAPS``, the only characters that match an
#: ASCII letter ignoring case but not once lower-cased (dotted capital I, whose lower case is
#: two characters; dotless i; long s: checked over every code point in the tests).
_ATTRIBUTION_LOWER = re.compile(_ATTRIBUTION_RE.pattern)
_EVALUATIVE_LOWER = re.compile(_EVALUATIVE_RE.pattern)
_CASE_TRAPS = frozenset("\u0130\u0131\u017f")
_QUOTED_RE = re.compile(r"“[^”]*(?:”|$)|\"[^\"\n]*(?:\"|$)|‘[^’]*’(?!\w)")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_CAPS_WORD_RE = re.compile(r"\b[A-Z]{2,}\b")
#: Capitalised words that are emphasis, not acronyms, whatever the document says.
_EMPHASIS_WORDS = frozenset(
    "NOT NEVER NO ME WE YOU ALL ANY IS ARE WAS WERE DID DO WILL MUST ONLY EVEN THE".split()
)


@dataclass
class SourceNote:
    """What a reader should know about one document before trusting a citation from it."""

    doc_id: str
    #: Share of characters by label group: reporting (title+heading+body), comment, boilerplate.
    shares: dict[str, float] = field(default_factory=dict)
    #: Blocks per label (title, heading, body, comment, boilerplate).
    counts: dict[str, int] = field(default_factory=dict)
    #: "reporting" | "opinion" | "mixed".
    kind: str = "reporting"
    #: Why the kind was chosen: the opinion signals that fired, per post.
    opinion_signals: list[str] = field(default_factory=list)
    #: Signs of machine translation ("Blingen (consensus: Antony Blinken)").
    machine_translation: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    language: str | None = None


def source_notes(
    docs: Sequence[Document], entities: Sequence[Entity] | None = None
) -> list[SourceNote]:
    """One note per document, in input order. ``docs`` must have labelled blocks; pass the
    story's ``entities`` (from ``extract_entities``) to get machine-translation signs."""
    mt_signs = _translation_signs(docs, entities or [])
    notes = []
    for doc in docs:
        kind, signals = _classify(doc)
        notes.append(
            SourceNote(
                doc_id=doc.id,
                shares=_shares(doc.blocks),
                counts=_counts(doc.blocks),
                kind=kind,
                opinion_signals=signals,
                machine_translation=mt_signs.get(doc.id, []),
                duplicate_of=doc.duplicate_of,
                language=doc.language,
            )
        )
    return notes


# --- shares -------------------------------------------------------------------------------


def _group(label: str) -> str:
    return "reporting" if label in REPORTING_LABELS else label


def _shares(blocks: Sequence[Block]) -> dict[str, float]:
    chars: Counter[str] = Counter({"reporting": 0, "comment": 0, "boilerplate": 0})
    for b in blocks:
        chars[_group(b.label)] += len(b.text)
    total = sum(chars.values())
    return {k: round(v / total, 3) if total else 0.0 for k, v in chars.items()}


def _counts(blocks: Sequence[Block]) -> dict[str, int]:
    counts = {label: 0 for label in ("title", "heading", "body", "comment", "boilerplate")}
    for b in blocks:
        counts[b.label] += 1
    return counts


# --- opinion vs reporting -----------------------------------------------------------------


def _posts(blocks: Sequence[Block]) -> list[list[Block]]:
    """Reporting blocks grouped into posts: a title after body text opens a new post."""
    posts: list[list[Block]] = []
    current: list[Block] = []
    for b in blocks:
        if b.label not in REPORTING_LABELS:
            continue
        if b.label == "title" and any(x.label == "body" for x in current):
            posts.append(current)
            current = []
        current.append(b)
    if current:
        posts.append(current)
    return posts


def _classify(doc: Document) -> tuple[str, list[str]]:
    posts = [p for p in _posts(doc.blocks) if any(b.label == "body" for b in p)]
    if not posts:
        return "reporting", []
    verdicts: list[bool] = []
    reasons: list[str] = []
    for i, post in enumerate(posts):
        fired = opinion_signals(post, doc.text)
        is_opinion = len(fired) >= MIN_OPINION_SIGNALS
        verdicts.append(is_opinion)
        if fired:
            where = f"post {i + 1}/{len(posts)}: " if len(posts) > 1 else ""
            reasons.extend(where + s for s in fired)
    if all(verdicts):
        return "opinion", reasons
    if any(verdicts):
        return "mixed", reasons
    return "reporting", reasons


def opinion_signals(post: Sequence[Block], text: str = "") -> list[str]:
    """The opinion signals that fire on one post (its title, headings and body blocks).

    ``text`` is the whole document text, used to tell an emphasised word ("LOOKED") from an
    acronym ("NATO"): emphasis is a capitalised word the document also writes in lower case.
    """
    # Quotations are blanked out per block before splitting, so a quoted passage of several
    # sentences ("Should we fight NATO then? Has anyone thought...") never counts.
    sentences = [
        s.text
        for b in post
        if b.label == "body"
        for s in split_sentences(_QUOTED_RE.sub(_blank, b.text))
        if any(c.isalpha() for c in s.text)
    ]
    fired: list[str] = []
    n = len(sentences)
    if n >= MIN_SENTENCES_FOR_RATES:
        rates = {
            "attribution": sum(_attributes(s) for s in sentences) / n,
            "first": sum(bool(_FIRST_PERSON_RE.search(_strip_us(s))) for s in sentences) / n,
            "second": sum(bool(_SECOND_PERSON_RE.search(s)) for s in sentences) / n,
            "evaluative": sum(_evaluative_count(s) for s in sentences) / n,
            "exclaim": sum(s.rstrip(" \"'”’)").endswith(("!", "?")) for s in sentences) / n,
        }
        if rates["attribution"] < LOW_ATTRIBUTION_RATE:
            fired.append(f"few attributions ({rates['attribution']:.0%} of {n} sentences)")
        if rates["first"] >= FIRST_PERSON_RATE:
            fired.append(f"first person outside quotes ({rates['first']:.0%} of sentences)")
        if rates["second"] >= SECOND_PERSON_RATE:
            fired.append(f"addresses the reader ({rates['second']:.0%} of sentences)")
        if rates["evaluative"] >= EVALUATIVE_RATE:
            words = sorted({m.lower() for s in sentences for m in _EVALUATIVE_RE.findall(s)})
            fired.append(f"evaluative/hedging words ({', '.join(words[:5])})")
        if rates["exclaim"] >= EXCLAIM_QUESTION_RATE:
            fired.append(f"exclamations/questions ({rates['exclaim']:.0%} of sentences)")
    emphasis = _emphasis_words(post, text)
    if emphasis:
        fired.append("capitalised emphasis (" + ", ".join(emphasis[:3]) + ")")
    return fired


def _attributes(sentence: str) -> bool:
    """Whether ``_ATTRIBUTION_RE`` finds an attribution in ``sentence``."""
    if _CASE_TRAPS.isdisjoint(sentence):
        return _ATTRIBUTION_LOWER.search(sentence.lower()) is not None
    return _ATTRIBUTION_RE.search(sentence) is not None


def _evaluative_count(sentence: str) -> int:
    """How many evaluative or hedging words ``_EVALUATIVE_RE`` finds in ``sentence``."""
    if _CASE_TRAPS.isdisjoint(sentence):
        return len(_EVALUATIVE_LOWER.findall(sentence.lower()))
    return len(_EVALUATIVE_RE.findall(sentence))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _strip_us(sentence: str) -> str:
    """Remove "US"/"U.S." so the country is not read as the pronoun "us"."""
    return re.sub(r"\bU\.?S\.?(?=\W|$)", " ", sentence)


def _emphasis_words(post: Sequence[Block], text: str) -> list[str]:
    lower_words = set(re.findall(r"\b[a-z]+\b", _URL_RE.sub(" ", text)))
    found: list[str] = []
    for b in post:
        for m in _CAPS_WORD_RE.finditer(_QUOTED_RE.sub(" ", b.text)):
            word = m.group()
            if word.isupper() and b.text.isupper():
                continue  # an all-caps line is a style, not emphasis
            low = word.lower()
            stems = {low, low.removesuffix("ed"), low.removesuffix("ing"), low.removesuffix("s")}
            is_word = len(word) >= 4 and any(
                w in lower_words or w + "ing" in lower_words or w + "ed" in lower_words
                for w in stems
            )
            if (word in _EMPHASIS_WORDS or is_word) and word not in found:
                found.append(word)
    return found


# --- machine translation ------------------------------------------------------------------


def _translation_signs(
    docs: Sequence[Document], entities: Sequence[Entity]
) -> dict[str, list[str]]:
    signs: dict[str, list[str]] = defaultdict(list)
    by_id = {d.id: d for d in docs}
    for entity in entities:
        misspelt = set(entity.misspellings)
        bad_forms: dict[str, list[str]] = defaultdict(list)
        surnames: dict[str, set[str]] = defaultdict(set)
        for m in entity.mentions:
            surnames[m.doc_id].add(_surname(m.text))
            if m.text in misspelt and m.text not in bad_forms[m.doc_id]:
                bad_forms[m.doc_id].append(m.text)
        for doc_id, forms in bad_forms.items():
            signs[doc_id].append(f"{', '.join(forms)} (consensus: {entity.name})")
        if entity.type == "person":
            for doc_id, names in surnames.items():
                if len(names) > 1 and doc_id in bad_forms:
                    signs[doc_id].append(
                        f"{entity.name} spelt {len(names)} ways in one text: "
                        + ", ".join(sorted(names))
                    )
    people = [e for e in entities if e.type == "person"]
    for doc_id, sign in _borrowed_roles(by_id, people):
        if sign not in signs[doc_id]:
            signs[doc_id].append(sign)
    return dict(signs)


def _surname(surface: str) -> str:
    words = re.findall(r"[\w'-]+", surface)
    return words[-1] if words else surface


#: Words that make a role another role ("Deputy Foreign Minister" is not "Foreign Minister").
_ROLE_MODIFIERS = frozenset(
    {"deputy", "vice", "assistant", "former", "ex", "acting", "under", "junior", "shadow"}
)


def _borrowed_roles(docs: dict[str, Document], people: Sequence[Entity]) -> list[tuple[str, str]]:
    """A person written right after another person's main role ("Secretary of State Lavrov"
    when the story's Secretary of State is Blinken): a translation calque of a title.

    Only multi-word roles held by exactly one person count: "President" alone is shared by
    every head of state in a story.
    """
    holders: dict[str, list[Entity]] = defaultdict(list)
    for person in people:
        if person.roles:
            top = _bare_role(person.roles[0])
            if len(top.split()) >= 2:
                holders[top.casefold()].append(person)
    found: list[tuple[str, str]] = []
    order = {role: n for n, role in enumerate(holders)}
    for person in people:
        own = {_bare_role(r).casefold() for r in person.roles}
        own_top = _bare_role(person.roles[0]).casefold() if person.roles else ""
        surnames = sorted({_surname(v) for v in person.variants}, key=len, reverse=True)
        names = "|".join(re.escape(s) for s in surnames)
        # Only the person's own roles can be borrowed ones: look those up, in holders' order.
        for role in sorted((r for r in own if r in order), key=order.__getitem__):
            owners = holders[role]
            if len(owners) != 1 or owners[0] is person or role == own_top:
                continue
            pattern = re.compile(
                rf"(\w+[\s-]+)?\b{re.escape(role)}\s+(?:\(?[A-Z][\w.'-]*\s+){{0,2}}\(?(?:{names})\b",
                re.IGNORECASE,
            )
            for doc_id in person.documents:
                doc = docs.get(doc_id)
                if doc is None:
                    continue
                for b in doc.blocks:
                    if b.label not in REPORTING_LABELS:
                        continue
                    m = pattern.search(b.text)
                    if m and (m.group(1) or "").strip(" -").casefold() not in _ROLE_MODIFIERS:
                        label = owners[0].roles[0]
                        found.append(
                            (doc_id, f"{person.name} called {label} (the role of {owners[0].name})")
                        )
                        break
    return found


def _bare_role(role: str) -> str:
    """A role without its country qualifier: "US Secretary of State" -> "Secretary of State"."""
    words = role.split()
    while words and (words[0].isupper() or words[0].endswith(("ian", "ese", "ish"))):
        words = words[1:]
    return " ".join(words)
