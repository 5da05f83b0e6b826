"""Events inside one story: which documents report the same happening, when it happened.

Coverage of a story arrives as a pile of undated pages: a proposal, a meeting, a phone call a
week later. News text rarely dates itself ("on Friday", "next week"), but the pages of a story
date *each other*: one page says "they met on January 21st in Geneva", another reports a
Geneva meeting "on Friday". The rules, in order:

1. **Per document**: its distinctive terms (TF-IDF over the story's own pages, only terms
   the page repeats, so words every page shares and passing mentions weigh nothing); its
   *reported weekday* (the named weekday from which all the others lie closest in the past:
   "Wednesday... Thursday... on Friday" -> Friday); and the window it was written in: after
   the latest past date it states, before the earliest period it announces plans for
   ("talks could begin in January" -> written before January). Year-less dates take the year
   nearest the story's known dates (the ``near`` hint of ``dates.py``).
2. **Grouping**: pages published the same day start together; then average-link clustering
   on cosine similarity, merging while it is at least ``EVENT_SIMILARITY``. Two pages that
   report different weekdays, were published (or, by their own text, written) on different
   days, or whose writing windows do not overlap never share an event.
3. **Stated dates date events**: every absolute date phrase in any page ("January 21st",
   "December 2021") that is not a plan (its sentence has no "will", "could", "by"...), not
   the page's own dateline and not a month without its year ("in May"), dates
   the event whose *other* pages its paragraph resembles most (smoothed TF-IDF cosine of at
   least ``MENTION_MATCH``), among the events it is *consistent* with: a day must fall on
   the event's reported weekday and inside its pages' windows; a month must hold the
   event's date if it has one. Days are placed before months, published dates before both.
   A page that states a date of *another* event is later than it (news reports the past):
   an event left undated then takes the first reported weekday after that date.
4. **Own text**: an event still undated takes the earliest own date of its pages: the date
   the pile's pages give each (``pile_dates.infer_pile_dates``, computed over the whole
   pile by the brief), or none.
5. **Announced follow-ups**: when an event's pages announce something for "next week" ("the
   U.S. will give written answers next week") and a later or undated event's pages report a
   sentence sharing one of its word pairs ("written response"), that event is no earlier
   than the announced period.

Rules 3 and 5 (pages dating each other) apply to text-only crawls, where no page has a
published date. With published dates at hand they are better evidence than the history an
undated page mentions: on DUC 2007 clusters with every second date withheld, rule 3 dated
withheld pages with a median error of ~90 days against ~40 without it.

Events are ordered by date, undated last, ties by their first page. Ids are content
addressed (a hash of the member ids). ``date_inferred`` is False only for a published date. ``granularity`` says how precise the
date is: "day" when a stated day fixes it, "week" when it is the earliest day allowed by a
bound (rule 3's "first Tuesday after" or rule 5), "month" for a stated month.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storybrief.analyze.dates import (
    NEAR_WINDOW_DAYS,
    DateMention,
    DocumentDate,
    dateline_start,
    find_dates,
    stated_days,
)
from storybrief.analyze.pile_dates import infer_pile_dates
from storybrief.analyze.sentences import split_sentences
from storybrief.terms import content_terms, tokens

__all__ = ["EVENT_SIMILARITY", "Event", "EventDoc", "find_events"]

#: Average cosine similarity (repeated terms, IDF over the story's own pages) at or above
#: which two groups of pages report one event. Deliberately low: with five pages the vectors
#: are sparse (the examples' same-event pairs score 0.15 and 0.034, other pairs 0 to 0.03),
#: so lexical overlap only decides between pages the weekday and date-window constraints
#: allow together; those constraints do most of the separating. On DUC 2007 (dates half
#: withheld) 0.02, 0.05 and 0.1 date withheld pages about equally well.
EVENT_SIMILARITY = 0.02
#: A term must occur this often in a page to describe what the page is about.
MIN_REPEATS = 2
#: A stated date's paragraph must resemble an event's other pages at least this much
#: (smoothed TF-IDF cosine) to date that event; below it the paragraph is about something
#: else. Low on purpose: weekday and window consistency filter first (0.1 and 0.2 changed
#: little on DUC; the examples' matches score well above 0.05).
MENTION_MATCH = 0.05

#: Pages date each other (rules 3 and 5) only when the dates their own text gives lie within
#: this many days: one short period. The bundled examples span 35 days (21 December to 25
#: January); DUC 2007 topic clusters span months to years.
STORY_SPAN_DAYS = 62

_ANY_DAY = datetime.date(2001, 1, 7)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Words that make a stated date history: "memorials commemorating the one-year anniversary".
_HISTORY = re.compile(r"\b(?:anniversary|ago|since|former|formerly|previous)\b")
#: Words that make a sentence a plan or a deadline: its dates say when something may happen.
_PLAN = re.compile(
    r"\b(?:will|could|would|shall|may|plans?|planned|expected|next|by|until|deadline)\b"
)
#: Words about time, left out of the terms that say what a page is about.
_DATE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december week month today yesterday tomorrow
    earlier later
    """,
    )
)


@dataclass
class EventDoc:
    """One document of a story; ``text`` is its reporting text."""

    doc_id: str
    text: str
    published: datetime.date | None = None


@dataclass
class Event:
    """One happening: the documents that report it and when it took place.

    ``label`` is a property: set it, or it is found by ``key_terms`` when first read. It is
    not a constructor argument and takes no part in ``==`` or ``repr``."""

    id: str
    doc_ids: list[str]
    date: datetime.date | None
    date_inferred: bool
    granularity: str  # day / week / month
    evidence: str | None
    #: Finds the key-term label (``label``) when it is first asked for: the brief names most
    #: events by a headline or a lead instead (``labels.event_label``), and counting every
    #: page's words for it took a fifth of a one-document story's brief.
    key_terms: Callable[[], str] = field(default=str, repr=False, compare=False)
    _label: str | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """The event's label: its key terms unless one was set."""
        if self._label is None:
            self._label = self.key_terms()
        return self._label

    @label.setter
    def label(self, value: str) -> None:
        self._label = value


@dataclass
class _Doc:
    index: int
    source: EventDoc
    vector: dict[str, float]
    #: All the page's terms, smoothed IDF: what a stated date's context is compared with.
    profile: dict[str, float]
    weekday: int | None
    #: The page was written on or after this day (the latest past date it states)...
    earliest: datetime.date | None
    #: ... and before this one (the earliest period it announces plans for).
    latest: datetime.date | None
    #: The page's own date from the pile's text (``pile_dates``), if any.
    own: datetime.date | None = None


@dataclass
class _Group:
    docs: list[_Doc]
    date: datetime.date | None = None
    inferred: bool = True
    granularity: str = "day"
    evidence: str | None = None
    after: datetime.date | None = None  # strictly later than this

    @property
    def weekday(self) -> int | None:
        days = {d.weekday for d in self.docs if d.weekday is not None}
        return days.pop() if len(days) == 1 else None


def find_events(
    docs: Sequence[EventDoc], dates: Sequence[DocumentDate] | None = None
) -> list[Event]:
    """Group a story's documents into events, date them and order them (see module doc).

    ``dates``: each document's own date as the whole pile's pages give it
    (``pile_dates.infer_pile_dates`` over the pile the story was found in, so that pages of
    other stories date this one's too); inferred over the story's documents when not given.
    """
    if not docs:
        return []
    if dates is None:
        dates = infer_pile_dates([d.text for d in docs], [d.published for d in docs])
    known = _known_dates(docs, dates)
    # A date near the story, to place year-less dates like "January 21st".
    near = known[len(known) // 2] if known else None
    # Pages dating each other (rules 3 and 5) is for text-only crawls: with published dates
    # at hand, they are better evidence than the history an undated page mentions. Unless
    # the pages' own text dates the story to one short period (``short``), a stated date is
    # as likely history as the day of another page (DUC 2007 topic clusters span years), so
    # it then dates only an event whose pages report its weekday.
    # When no page's text dates it, the days the pages state must themselves fall in one
    # short period (one story told within weeks), or none of them dates another page.
    text_only = all(doc.published is None for doc in docs)
    short = bool(known) and (known[-1] - known[0]).days <= STORY_SPAN_DAYS
    if not known:
        stated = sorted({day for doc in docs for day in stated_days(doc.text)})
        text_only = text_only and bool(stated) and (stated[-1] - stated[0]).days <= STORY_SPAN_DAYS
    texts = [d.text for d in docs]
    infos = [
        _describe(i, doc, vector, profile, near)
        for i, (doc, vector, profile) in enumerate(
            zip(docs, _tfidf(texts), _tfidf(texts, smooth=True), strict=True)
        )
    ]
    for info, date in zip(infos, dates, strict=True):
        info.own = date.date
    groups = _group(infos)
    _date_from_mentions(groups, infos, near, text_only, short, known)
    for group in groups:
        _date_from_documents(group, dates)
    if text_only:
        _apply_follow_ups(groups)
    groups.sort(key=lambda g: (g.date is None, g.date or datetime.date.min, g.docs[0].index))
    idf = _idf([d.text for d in docs])
    return [_to_event(group, idf) for group in groups]


# --- step 1: documents ------------------------------------------------------------------


def _describe(
    index: int,
    doc: EventDoc,
    vector: dict[str, float],
    profile: dict[str, float],
    near: datetime.date | None,
) -> _Doc:
    """A page's weekday and the time window it was written in: after every past date it
    states, before every period it announces plans for ("talks could begin in January")."""
    earliest, latest = None, None
    for mention, sentence in _absolute_dates(doc.text, near):
        if _PLAN.search(sentence):
            latest = mention.value if latest is None else min(latest, mention.value)
        elif mention.granularity in {"day", "month"}:
            earliest = mention.value if earliest is None else max(earliest, mention.value)
    # Any reference serves to find weekday names; the story's own avoids a second search.
    weekday = _reported_weekday(doc.text, near or _ANY_DAY)
    return _Doc(index, doc, vector, profile, weekday, earliest, latest)


@lru_cache(maxsize=256)
def _find_dates(text: str, reference: datetime.date | None) -> tuple[DateMention, ...]:
    """``find_dates``, memoised: each page is searched several times (window, weekday,
    stated dates, follow-ups) and the search dominates the run time."""
    return tuple(find_dates(text, reference))


def _reported_weekday(text: str, reference: datetime.date) -> int | None:
    """The weekday a report is written about: the named weekday (not "next/last Monday")
    from which the other named ones lie closest in the past; ties to the most named."""
    counts = Counter(
        _WEEKDAYS.index(m.text) for m in _find_dates(text, reference) if m.text in _WEEKDAYS
    )
    if not counts:
        return None
    return min(counts, key=lambda d: (max((d - o) % 7 for o in counts), -counts[d]))


@lru_cache(maxsize=1024)
def _terms(text: str) -> tuple[str, ...]:
    """Content terms of a text (cached: each page is weighed several times)."""
    return tuple(t for t in content_terms(tokens(text)) if not t.isdigit() and t not in _DATE_WORDS)


def _idf(texts: Sequence[str]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(_terms(text)))
    return {t: math.log(len(texts) / n) for t, n in df.items()}


def _tfidf(texts: Sequence[str], smooth: bool = False) -> list[dict[str, float]]:
    """Unit TF-IDF vectors (sublinear TF).

    For grouping (``smooth=False``): only each page's *repeated* terms, IDF ``log(n / df)``.
    A page dwells on its own happening ("Geneva", "meeting" twice or more) and mentions the
    story's other happenings in passing; keeping only terms used at least twice keeps the
    background out, and a term on every page weighs nothing. For matching a date's context
    to pages (``smooth=True``): every term, smoothed IDF, so that in a story of two pages
    the place both name ("Vienna") still counts."""
    bags = [Counter(_terms(text)) for text in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(texts)
    vectors = []
    for bag in bags:
        if smooth:
            vec = {
                t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in bag.items()
            }
        else:
            vec = {
                t: (1 + math.log(c)) * math.log(n / df[t])
                for t, c in bag.items()
                if df[t] < n and c >= MIN_REPEATS
            }
        vectors.append(_unit(vec))
    return vectors


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _centroid(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for vec in vectors:
        total.update(vec)
    return _unit(dict(total))


# --- step 2: grouping -------------------------------------------------------------------


def _compatible(a: _Doc, b: _Doc) -> bool:
    """Pages of one event report the same weekday, the same published day (or own day, the
    date the pile's text gives them: the same rule as published days; no change on DUC
    2007), and were written in overlapping time windows."""
    if a.weekday is not None and b.weekday is not None and a.weekday != b.weekday:
        return False
    pa, pb = a.source.published or a.own, b.source.published or b.own
    if pa is not None and pb is not None and pa != pb:
        return False
    for first, second in ((a, b), (b, a)):
        if first.earliest and second.latest and first.earliest >= second.latest:
            return False
    return True


def _group(docs: list[_Doc]) -> list[_Group]:
    """Average-link agglomeration with cannot-link constraints (rule 2). Pages published on
    the same day start in one group: within a story, they report that day's happening."""
    by_day: dict[object, list[_Doc]] = {}
    for doc in docs:
        by_day.setdefault(doc.source.published or doc.index, []).append(doc)
    clusters = list(by_day.values())
    while True:
        best: tuple[float, int, int] | None = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                if not all(_compatible(a, b) for a in clusters[i] for b in clusters[j]):
                    continue
                sims = [_cosine(a.vector, b.vector) for a in clusters[i] for b in clusters[j]]
                score = sum(sims) / len(sims)
                if score >= EVENT_SIMILARITY and (best is None or score > best[0]):
                    best = (score, i, j)
        if best is None:
            break
        _, i, j = best
        clusters[i] = sorted(clusters[i] + clusters[j], key=lambda d: d.index)
        del clusters[j]
    return [_Group(c) for c in sorted(clusters, key=lambda c: c[0].index)]


# --- steps 3-5: dating ------------------------------------------------------------------


def _known_dates(docs: Sequence[EventDoc], dates: Sequence[DocumentDate]) -> list[datetime.date]:
    """The story's dates that need no event reasoning: the published ones when any page has
    one, else those the pages' text gives (``dates``); sorted."""
    published = sorted(doc.published for doc in docs if doc.published is not None)
    if published:
        return published
    return sorted(d.date for d in dates if d.date is not None)


def _paragraph(text: str, start: int, end: int) -> str:
    """The line around a span: a date's context, wider than its sentence ("...in December
    2021. This goes with ensuring that NATO does not expand eastward")."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left : right if right != -1 else len(text)]


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in ".!?\n") if i != -1]
    return text[left : min(ends) if ends else len(text)]


def _absolute_dates(text: str, near: datetime.date | None) -> list[tuple[DateMention, str]]:
    """Absolute day and month phrases of ``text`` with their sentences."""
    return [
        (mention, _sentence(text, mention.start, mention.end))
        for mention in _find_dates(text, near)
        if not mention.relative and mention.granularity in {"day", "month"}
    ]


def _stated_dates(
    docs: Sequence[_Doc], near: datetime.date | None
) -> list[tuple[_Doc, DateMention, str]]:
    """Absolute day and month phrases that are not plans, days first (rule 3).

    A page's dateline ("ANKARA, June 21 (Xinhua) --") is left out: it says when that page
    was written, not a date it reports (on DUC 2007 datelines dating events were right 16
    times in 20 on the main split, 0 in 1 on the update split: below the 90% a rule must
    keep). So is a month without its year ("at the end of May"): its year is a guess from
    the story's dates, a whole year off when wrong (on DUC 2007 its one use was)."""
    found = [
        (doc, mention, sentence)
        for doc in docs
        for line in (dateline_start(doc.source.text),)
        for mention, sentence in _absolute_dates(doc.source.text, near)
        if not _PLAN.search(sentence)
        and not _HISTORY.search(sentence)
        and mention.start != line
        and (mention.granularity == "day" or mention.explicit_year)
    ]
    found.sort(key=lambda item: (item[1].granularity != "day", item[0].index, item[1].start))
    return found


def _consistent(group: _Group, mention: DateMention) -> bool:
    """Whether the stated date can be the event's: its weekday, its date if already fixed,
    and the time windows its pages were written in."""
    first, last = mention.value, _month_end(mention.value)
    if mention.granularity == "day":
        last = first
    for doc in group.docs:
        if (doc.earliest and last < doc.earliest) or (doc.latest and first >= doc.latest):
            return False
    if mention.granularity == "day":
        if group.weekday is not None and mention.value.weekday() != group.weekday:
            return False
        if group.date is not None and group.date != mention.value:
            return False
        return group.after is None or mention.value > group.after
    if group.date is not None:
        return (group.date.year, group.date.month) == (mention.value.year, mention.value.month)
    return group.after is None or _month_end(mention.value) > group.after


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _date_from_mentions(
    groups: list[_Group],
    docs: Sequence[_Doc],
    near: datetime.date | None,
    text_only: bool,
    short: bool = True,
    known: Sequence[datetime.date] = (),
) -> None:
    """Rules 1 (published dates) and 3 (stated dates date the event they are about).

    A stated date must lie within ``NEAR_WINDOW_DAYS`` of a date the pages' own text gives
    (``known``), if any; unless the story is ``short``, it dates only an event whose pages
    report its weekday, and with known dates years apart the "first Tuesday after" bound is
    not used."""
    for group in groups:
        published = [d.source.published for d in group.docs if d.source.published is not None]
        if published:
            group.date, group.inferred, group.granularity = min(published), False, "day"
            group.evidence = "published date"
    if not text_only:
        return
    group_of = {d.index: g for g in groups for d in g.docs}
    for doc, mention, sentence in _stated_dates(docs, near):
        if known and not _near_any(mention, known):
            continue
        context = _paragraph(doc.source.text, mention.start, mention.end)
        vector = _unit({t: 1.0 for t in _terms(context)})
        scored = [
            (_cosine(vector, _centroid([d.profile for d in g.docs if d is not doc])), -k, g)
            for k, g in enumerate(groups)
            if _consistent(g, mention)
            and (short or (mention.granularity == "day" and g.weekday is not None))
        ]
        scored = [item for item in scored if item[0] >= MENTION_MATCH]
        if not scored:
            continue
        target = max(scored, key=lambda item: item[:2])[2]
        if target.date is None:
            target.date, target.granularity = mention.value, mention.granularity
            target.evidence = f"{mention.text!r}: {sentence.strip()}"
        home = group_of[doc.index]
        if home is not target and (home.after is None or mention.value > home.after):
            home.after = mention.value
    for group in groups:
        if (
            (short or not known)
            and group.date is None
            and group.after is not None
            and group.weekday is not None
        ):
            group.date = _next_weekday(group.after + datetime.timedelta(days=1), group.weekday)
            group.granularity = "week"
            group.evidence = (
                f"first {_WEEKDAYS[group.weekday]} after {group.after.isoformat()}, "
                "a date its pages report as past"
            )


def _near_any(mention: DateMention, known: Sequence[datetime.date]) -> bool:
    """Whether the mentioned period comes within ``NEAR_WINDOW_DAYS`` of a known date."""
    first = mention.value
    last = first if mention.granularity == "day" else _month_end(first)
    window = datetime.timedelta(days=NEAR_WINDOW_DAYS)
    return any(first - window <= day <= last + window for day in known)


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _reported_pairs(group: _Group) -> set[tuple[str, str]]:
    """Adjacent content-word pairs of the group's sentences that report rather than plan."""
    pairs: set[tuple[str, str]] = set()
    for doc in group.docs:
        for sentence in split_sentences(doc.source.text):
            if not _PLAN.search(sentence.text):
                terms = _terms(sentence.text)
                pairs.update(zip(terms, terms[1:], strict=False))
    return pairs


def _apply_follow_ups(groups: list[_Group]) -> None:
    """Rule 5: an event whose pages report, as done, what an earlier event announced for
    "next week" / "next month" (a shared word pair: "written response") happened no
    earlier than that period."""
    for earlier in groups:
        if earlier.date is None or earlier.granularity != "day":
            continue
        for doc in earlier.docs:
            text = doc.source.text
            for mention in _find_dates(text, earlier.date):
                if not (mention.relative and mention.text.lower().startswith("next ")):
                    continue
                terms = _terms(_sentence(text, mention.start, mention.end))
                for later in groups:
                    if later is earlier or (
                        later.date and not earlier.date < later.date < mention.value
                    ):
                        continue
                    reported = _reported_pairs(later)
                    shared = [p for p in zip(terms, terms[1:], strict=False) if p in reported]
                    if not shared:
                        continue
                    weekday = later.weekday
                    later.date = (
                        mention.value if weekday is None else _next_weekday(mention.value, weekday)
                    )
                    later.granularity, later.inferred = "week", True
                    words = ", ".join(" ".join(pair) for pair in shared[:3])
                    later.evidence = (
                        f"reports what an earlier report announced for {mention.text!r} "
                        f"({mention.value.isoformat()}): {words}"
                    )


def _date_from_documents(group: _Group, dates: Sequence[DocumentDate]) -> None:
    """Rule 4: an event still undated takes the earliest own date of its pages (``dates``).

    A day a page states, placed in the year nearest the story's dates (``near`` of
    ``dates.explain_document_date``), is not used: on DUC 2007 it dated 5 articles, 4 right,
    and stories there span years."""
    if group.date is not None:
        return
    known = [dates[d.index] for d in group.docs if dates[d.index].date is not None]
    if known:
        first = min(known, key=lambda f: f.date or datetime.date.max)
        group.date, group.granularity = first.date, "day"
        group.evidence = f"date inferred from the text of its pages: {first.basis}"


# --- output -----------------------------------------------------------------------------


def _label(group: _Group, idf: dict[str, float], size: int = 3) -> str:
    """The event's key terms: words used in every one of its pages, ranked by their total
    count times their rarity in the story, shown in their commonest written form."""
    bags = [Counter(_terms(d.source.text)) for d in group.docs]
    shared = set.intersection(*(set(bag) for bag in bags))
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    ranked = sorted(shared, key=lambda t: (-total[t] * idf.get(t, 0.0), t))[:size]
    surface: Counter[tuple[str, str]] = Counter()
    stems: dict[str, list[str]] = {}  # the same words recur; stem each once
    for doc in group.docs:
        for word in re.findall(r"[^\W\d_]+", doc.source.text):
            if word not in stems:
                stems[word] = content_terms(tokens(word))
            stemmed = stems[word]
            if stemmed and stemmed[0] in ranked:
                surface[(stemmed[0], word)] += 1
    words = []
    for term in ranked:
        forms = [(n, w) for (t, w), n in surface.items() if t == term]
        words.append(max(forms)[1] if forms else term)
    return ", ".join(words)


def _to_event(group: _Group, idf: dict[str, float]) -> Event:
    ids = [d.source.doc_id for d in group.docs]
    digest = hashlib.sha1("\0".join(sorted(ids)).encode("utf-8")).hexdigest()[:12]
    return Event(
        id=f"event-{digest}",
        doc_ids=ids,
        date=group.date,
        date_inferred=group.inferred,
        granularity=group.granularity,
        evidence=group.evidence,
        key_terms=functools.partial(_label, group, idf),
    )
