"""What readers said: comments summarised apart from the reporting.

Reader comments are not reporting and must never feed the brief's facts, but what the
audience argues about is worth a short section of its own. This module reads the comment
blocks the cleaner labelled (and the ``quotes_span`` marks of ``clean.quoting``: run
``mark_quoted_comments`` first) and builds, in order:

1. counts: comments overall and per document, and how many paste the article;
2. links readers share, normalised (scheme, ``www.``, tracking parameters, trailing slash and
   fragment do not matter) and counted;
3. themes: each comment's own words (pasted article text and URLs removed) become a TF-IDF
   vector over content words and two-word phrases. Seeds are picked by a greedy keyword
   cover (the phrase shared by most not-yet-covered comments), then each comment joins the
   seed centroid it is most similar to (one k-means style pass) and centroids are
   recomputed. A theme is labelled with its most distinctive terms;
4. representative comments: per theme, the comments nearest its centroid that are the
   reader's own words, long enough to say something, and not just a link.

Plain Python on purpose: a story has tens to a few hundred comments, where this runs in
milliseconds, while importing scikit-learn alone costs more than the whole step. Everything
is deterministic: ties break on input order or alphabetically.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storybrief.model import Block, Document
from storybrief.stopwords import FUNCTION_WORDS

__all__ = [
    "CommentRef",
    "ReactionTheme",
    "Reactions",
    "normalise_url",
    "summarize_reactions",
]

#: Most themes reported; a story's comment thread rarely has more distinct arguments worth
#: a line each.
MAX_THEMES = 6
#: Fewest comments that make a theme: one comment is an opinion, not a theme.
MIN_THEME_SIZE = 2
#: Terms found in more than this share of comments are the story itself ("Russia", "US"),
#: not a theme: they never seed or label one. On the bundled examples (75 comments with own
#: words) "russia" is in 31% and "ukraine" in 17%, while theme words ("NATO", "sanctions",
#: "Washington") are in 5-11%.
MAX_THEME_TERM_SHARE = 0.15
#: In a short thread every theme word is in a large share of comments: up to this many
#: comments a term is never treated as a story word.
MIN_STORY_WORD_COMMENTS = 5
#: Cosine similarity to a theme centroid below which a comment stays unassigned. Chosen on
#: the bundled examples: below ~0.1 a comment shares only a story word with the theme.
MIN_SIMILARITY = 0.1
#: Fewest own words for a comment to be shown as representative ("Ours.", "Thank you." and
#: "Excellent point." say nothing on their own).
MIN_REPRESENTATIVE_WORDS = 6
#: Representative comments per theme and overall.
EXAMPLES_PER_THEME = 3
MAX_REPRESENTATIVE = 5
#: Query parameters that only track where a click came from.
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid)$")

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.IGNORECASE)
# Letters of any script: German, French or Polish comments keep their words whole.
_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'’-]*[^\W\d_]|[^\W\d_]")

#: Words that carry no theme: the shared function words, plus the contractions and chat
#: fillers of reader comments ("yeah", "i'm", "actually", "lot").
STOP_WORDS: frozenset[str] = FUNCTION_WORDS | frozenset(
    """
    almost already although always another anyone anything aren't away can't cannot couldn't
    didn't doesn't don't done else enough everyone everything gets getting give go goes going
    gone hadn't hasn't haven't he'd he'll he's here's i'd i'll i'm i've isn't it's know let
    let's likely look makes maybe need never nothing oh ok okay others otherwise perhaps put
    quite re really right see seem seems she'd she'll she's shouldn't someone something sure
    take that's there's they'd they'll they're they've thing things think use used via want
    wants wasn't way we'd we'll we're we've weren't what's who's won't wouldn't yes you'd
    you'll you're you've yup yeah thank thanks wait exactly sounds time times continue hard
    believe fact point good bad great long new old lot little big day days year years thought
    mean means trying try come comes came call called keep going anyway actually pretty simply
    basically probably different whole kind
    """.split()
)

#: ISO 639-1 codes of the language detector -> jusText's stop-word list names. jusText is a
#: trafilatura dependency, so its lists (about 100 languages) are always installed offline.
_JUSTEXT_LANGUAGES = {
    "af": "Afrikaans", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch", "no": "Norwegian_Bokmal",
    "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "tr": "Turkish", "uk": "Ukrainian",
    "vi": "Vietnamese",
}


@lru_cache(maxsize=32)
def stop_words_for(language: str | None) -> frozenset[str]:
    """Theme stop words for a document in ``language``: the English list (comments quote
    English names and phrases everywhere) plus that language's own function words."""
    name = _JUSTEXT_LANGUAGES.get((language or "en").lower()[:2])
    if name is None:
        return STOP_WORDS
    try:
        import justext

        own = justext.get_stoplist(name)
    except (ImportError, ValueError, OSError):
        return STOP_WORDS
    return STOP_WORDS | frozenset(w.lower() for w in own)


@dataclass(frozen=True)
class CommentRef:
    """One comment, cited by its exact span: ``document.text[start:end] == text``."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass
class ReactionTheme:
    """A group of comments arguing about the same thing."""

    label: str
    terms: list[str]
    comment_count: int
    examples: list[CommentRef] = field(default_factory=list)


@dataclass
class Reactions:
    """Reader reaction to a story, kept apart from the reporting."""

    total: int
    per_document: dict[str, int]
    themes: list[ReactionTheme]
    representative: list[CommentRef]
    links: list[tuple[str, int]]
    quoting_article: int


@dataclass
class _Comment:
    ref: CommentRef
    own_text: str  # the reader's words: pasted article text and URLs removed
    words: int
    quotes_article: bool
    stop_words: frozenset[str] = STOP_WORDS  # of the comment's document's language
    terms: Counter[str] = field(default_factory=Counter)
    vector: dict[str, float] = field(default_factory=dict)

    @property
    def showable(self) -> bool:
        return not self.quotes_article and self.words >= MIN_REPRESENTATIVE_WORDS


def summarize_reactions(docs: Sequence[Document]) -> Reactions:
    """Summarise the comment blocks of ``docs`` (blocks labelled, quotes marked)."""
    comments: list[_Comment] = []
    per_document: dict[str, int] = {}
    links: Counter[str] = Counter()
    for doc in docs:
        blocks = doc.blocks_labelled("comment")
        per_document[doc.id] = len(blocks)
        for block in blocks:
            comments.append(_comment(doc.id, block, stop_words_for(doc.language)))
            links.update(normalise_url(u) for u in _URL_RE.findall(block.text))
    surface = _vectorise(comments)
    themes = _themes(comments, surface)
    return Reactions(
        total=len(comments),
        per_document=per_document,
        themes=themes,
        representative=_representative(themes, comments),
        links=sorted(links.items(), key=lambda kv: (-kv[1], kv[0])),
        quoting_article=sum(c.quotes_article for c in comments),
    )


# --- comments and links -------------------------------------------------------------------


def _comment(doc_id: str, block: Block, stop_words: frozenset[str] = STOP_WORDS) -> _Comment:
    text = block.text
    own = text
    if block.quotes_span is not None:
        qs, qe = block.quotes_span
        if block.start <= qs and qe <= block.end:
            own = text[: qs - block.start] + " " + text[qe - block.start :]
    own = _URL_RE.sub(" ", own)
    words = len(_WORD_RE.findall(own))
    # A bare link whose slug happens to repeat a headline is still a link, not a paste.
    quotes = block.quotes_span is not None and words > 0 and not _URL_RE.fullmatch(text.strip())
    return _Comment(
        ref=CommentRef(doc_id, block.start, block.end, text),
        own_text=own,
        words=words,
        quotes_article=quotes,
        stop_words=stop_words,
    )


def normalise_url(url: str) -> str:
    """One spelling per link: lower-case host without ``www.``, no tracking parameters,
    fragment or trailing slash, trailing punctuation of the sentence removed."""
    url = url.rstrip(".,;:!?)]}'’\"")
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # "example.org12:30The", "http://[x": not a URL after all
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port:
        host = f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k)
        ]
    )
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, query, ""))


# --- vectors ------------------------------------------------------------------------------


def _normalise(word: str) -> str:
    """Fold case, possessives and plain plurals ("sanctions" -> "sanction")."""
    w = word.lower().replace("’", "'").removesuffix("'s").strip("'-")
    if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics")):
        w = w[:-1]
    return w


def _terms(
    text: str, surface: dict[str, Counter[str]], stop_words: frozenset[str] = STOP_WORDS
) -> Counter[str]:
    """Content words and adjacent content-word pairs of ``text``."""
    terms: Counter[str] = Counter()
    previous: str | None = None
    for m in _WORD_RE.finditer(text):
        raw = m.group()
        word = _normalise(raw)
        if word in stop_words or raw.lower() in stop_words or len(word) < 3:
            previous = None
            continue
        surface[word][raw.lower() if not raw.isupper() else raw] += 1
        terms[word] += 1
        if previous is not None:
            pair = f"{previous} {word}"
            terms[pair] += 1
        previous = word
    return terms


def _vectorise(comments: list[_Comment]) -> dict[str, Counter[str]]:
    """Fill each comment's TF-IDF vector (l2-normalised); return the surface forms seen."""
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for c in comments:
        c.terms = _terms(c.own_text, surface, c.stop_words)
    df = Counter(t for c in comments for t in c.terms)
    n = max(len(comments), 1)
    for c in comments:
        vec = {t: (1 + math.log(tf)) * (math.log(n / df[t]) + 1) for t, tf in c.terms.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        c.vector = {t: v / norm for t, v in vec.items()}
    return surface


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _centroid(members: list[_Comment]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for c in members:
        for t, v in c.vector.items():
            total[t] += v
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return {t: v / norm for t, v in total.items()}


# --- themes -------------------------------------------------------------------------------


def _themes(comments: list[_Comment], surface: dict[str, Counter[str]]) -> list[ReactionTheme]:
    talking = [c for c in comments if c.vector]
    if len(talking) < MIN_THEME_SIZE:
        return []
    df = Counter(t for c in talking for t in c.terms)
    max_df = max(MIN_STORY_WORD_COMMENTS, MAX_THEME_TERM_SHARE * len(talking))
    usable = {t for t, k in df.items() if MIN_THEME_SIZE <= k <= max_df}
    centroids = [_centroid(m) for m in _seed_groups(talking, usable)]
    groups: list[list[_Comment]] = []
    for _ in range(2):  # assign, recompute centroids, assign again
        groups = [[] for _ in centroids]
        for c in talking:
            scores = [_cosine(c.vector, cen) for cen in centroids]
            best = max(range(len(scores)), key=lambda i: (scores[i], -i), default=-1)
            if best >= 0 and scores[best] >= MIN_SIMILARITY:
                groups[best].append(c)
        centroids = [_centroid(g) if g else cen for g, cen in zip(groups, centroids, strict=True)]
    themes = []
    for members, centroid in zip(groups, centroids, strict=True):
        if len(members) < MIN_THEME_SIZE:
            continue
        terms = _label_terms(members, talking, centroid, usable, surface)
        if not terms:
            continue
        ranked = sorted(members, key=lambda c: -_cosine(c.vector, centroid))
        examples: list[CommentRef] = []
        for c in ranked:
            if c.showable and not _repeats(c.ref, examples):
                examples.append(c.ref)
        examples = examples[:EXAMPLES_PER_THEME]
        if not examples:
            continue  # a theme no comment can illustrate is not shown
        themes.append(ReactionTheme(", ".join(terms[:2]), terms, len(members), examples))
    themes.sort(key=lambda t: -t.comment_count)
    return themes


def _seed_groups(talking: list[_Comment], usable: set[str]) -> list[list[_Comment]]:
    """Greedy keyword cover: the term shared by most not-yet-covered comments seeds a theme."""
    covered: set[int] = set()
    seeds: list[list[_Comment]] = []
    holders: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(talking):
        for t in c.terms:
            if t in usable:
                holders[t].append(i)
    while len(seeds) < MAX_THEMES:
        best_term, best_new = None, 0
        for term in sorted(holders):
            new = sum(1 for i in holders[term] if i not in covered)
            # A phrase beats its single words at equal cover: it is the more precise label.
            phrase_wins = best_term is not None and " " in term and " " not in best_term
            if new > best_new or (new == best_new and new > 0 and phrase_wins):
                best_term, best_new = term, new
        if best_term is None or best_new < MIN_THEME_SIZE:
            break
        seeds.append([talking[i] for i in holders[best_term]])
        covered.update(holders[best_term])
    return seeds


def _label_terms(
    members: list[_Comment],
    talking: list[_Comment],
    centroid: dict[str, float],
    usable: set[str],
    surface: dict[str, Counter[str]],
) -> list[str]:
    """Terms most typical of the theme: weight in its centroid times how much more often the
    theme's comments use them than the other comments do."""
    inside = Counter(t for c in members for t in c.terms)
    outside = Counter(t for c in talking for t in c.terms)
    n_in, n_out = len(members), max(len(talking) - len(members), 1)

    def score(t: str) -> float:
        lift = inside[t] / n_in - (outside[t] - inside[t]) / n_out
        return centroid.get(t, 0.0) * lift

    candidates = sorted(
        (t for t in inside if t in usable and inside[t] >= 2), key=lambda t: (-score(t), t)
    )
    chosen: list[str] = []
    for t in candidates:
        if score(t) <= 0:
            break
        overlap = [c for c in chosen if t in c or c in t]
        if overlap:
            # A phrase used by every comment that uses its word is the better label
            # ("NATO expansion" over "expansion"); otherwise the overlap adds nothing.
            if " " in t and all(" " not in c and inside[t] == inside[c] for c in overlap):
                chosen[chosen.index(overlap[0])] = t
                chosen = [c for c in chosen if c not in overlap[1:]]
            continue
        chosen.append(t)
        if len(chosen) == 4:
            break
    return [_display(t, surface) for t in chosen]


def _display(term: str, surface: dict[str, Counter[str]]) -> str:
    return " ".join(surface[w].most_common(1)[0][0] if surface.get(w) else w for w in term.split())


def _representative(themes: list[ReactionTheme], comments: list[_Comment]) -> list[CommentRef]:
    """The best example of each theme in turn, then the longest showable others."""
    chosen: list[CommentRef] = []
    for rank in range(EXAMPLES_PER_THEME):
        for theme in themes:
            if rank < len(theme.examples) and not _repeats(theme.examples[rank], chosen):
                chosen.append(theme.examples[rank])
            if len(chosen) >= MAX_REPRESENTATIVE:
                return chosen
    for c in sorted((c for c in comments if c.showable), key=lambda c: -c.words):
        if len(chosen) >= MAX_REPRESENTATIVE:
            break
        if not _repeats(c.ref, chosen):
            chosen.append(c.ref)
    return chosen


def _repeats(ref: CommentRef, chosen: list[CommentRef]) -> bool:
    """Whether ``ref`` is, or repeats, a chosen comment (readers quote each other whole)."""
    key = " ".join(_WORD_RE.findall(ref.text.lower()))
    for other in chosen:
        other_key = " ".join(_WORD_RE.findall(other.text.lower()))
        if key in other_key or other_key in key:
            return True
    return False
