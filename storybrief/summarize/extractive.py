"""Extractive multi-document summarization with citations.

Every output sentence is a verbatim span of one input document, so it can be cited and
highlighted exactly. The method is the classic strong DUC baseline (Gillick & Favre 2009,
"A scalable global model for summarization"), solved greedily instead of with an ILP. The
exact ILP (``scipy.optimize.milp``, same weights, redundant pairs excluded) was measured twice
and is not used: it fills the budget (249.7 of 250 words against 247.2) but scores the same
ROUGE-2 through the CLI (DUC 2007 main .1291 against .1290; update .0984 against .0982), takes
shorter sentences, ignores the priors (folding them in as sentence terms scores lower), costs
up to 7 s on a 25-document cluster and lets HiGHS write to standard output (bench/README.md).
The steps:

1. Candidates: sentences of each document's allowed spans (``split_sentences``), a news
   dateline ("MOBILE, Ala. (AP) --"; further into a document, such as after a headline line,
   only before a capitalised sentence) cut off the span, fragments, questions, headlines,
   direct-quote openers and links dropped, exact repeats dropped.
2. Concepts: word bigrams, weighted by how many documents use them (what several outlets
   report is what the story is about; concepts of fewer than ``MIN_CONCEPT_DOCS`` documents
   only break ties and fill the budget); concepts touching the optional ``focus`` text (a
   question, a DUC topic) weigh more, in proportion to how *specific* the focus word is within
   the cluster (see :func:`_focus_specificity`).
3. Selection: repeatedly take the sentence that adds the most not-yet-covered concept weight
   per √word (times its prior: a news-lead position prior, and on piles of several documents
   the learned ``sentence_model`` prior), that fits the remaining word budget and is not a
   near-duplicate (TF-IDF cosine) of a sentence already taken.
4. Order: by (document date, input order, position) so the summary reads chronologically.

Budget rule: a summary never exceeds ``words`` words (``len(text.split())`` per sentence). A
sentence that would overflow the budget is skipped, never truncated (a cut sentence would no
longer be a verbatim, citable claim); shorter sentences may still fill the remainder.

Evaluation mode (``allow_cut=True``): DUC-style evaluations cut every system's text at exactly
``words`` words, so a ranked-list peer such as LexRank always uses the full budget with a cut
last sentence. To be scored under the same rule, ``allow_cut`` appends one more sentence (the
best remaining one, ignoring the budget) *after* the ordered summary, for the evaluator to cut.
The product never sets it.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from storybrief.analyze.sentences import split_sentences
from storybrief.links import has_link
from storybrief.model import Sentence
from storybrief.summarize import concept_model, scoring, sentence_model
from storybrief.summarize.standalone import context_opening, needs_context

__all__ = [
    "Candidates",
    "SummaryInput",
    "SummarySentence",
    "candidate_features",
    "group_sentences",
    "sentence_candidates",
    "summarize",
]

# Tuned thresholds. "Calibrated on DUC 2007 main" means: chosen by ROUGE-2 recall of
# bench/bench_summary.py on the 23 duc2007-main clusters (250 words, with and without focus),
# preferring round values on a plateau over the single best point, and checked on
# duc2007-update (100 words) so they are not fitted to one split.

#: Sentences shorter than this (in words) are fragments: bylines, captions, "He declined."
#: DUC 2007 main ROUGE-2 recall: 5 -> 0.127, 8 -> 0.128, 12 -> 0.123.
MIN_SENTENCE_WORDS = 8
#: Longer "sentences" are nearly always run-on lines the splitter could not cut (lists,
#: tables). 40 cost 0.005 ROUGE-2 on DUC 2007 main; 60 only drops true run-ons.
MAX_SENTENCE_WORDS = 60
#: A candidate whose TF-IDF cosine with an already chosen sentence exceeds this says the same
#: thing. DUC 2007 main: flat between 0.3 and 0.7 (differences < 0.002 ROUGE-2); the middle
#: value is kept. A sentence pasted twice (the examples' reader comments) scores ~1.0.
REDUNDANCY_COSINE = 0.5
#: Concepts used by fewer documents than this are noise for a multi-document cluster
#: (Gillick & Favre used 3 for 10 documents). DUC 2007 main: 2 -> 0.121-0.128,
#: 3 -> 0.123-0.129, 4 -> 0.119-0.129 ROUGE-2 (with/without focus).
MIN_CONCEPT_DOCS = 3
#: With fewer documents than this, concept weight counts sentences instead of documents,
#: otherwise a single article would give every concept the same weight.
MIN_DOCS_FOR_DOC_FREQUENCY = 3
#: Concepts below that threshold still count, this much less: they only decide once the shared
#: concepts are covered, so a small story still fills its budget with new material instead of
#: stopping early. Any value well below 1/(concepts per sentence) behaves the same.
RARE_CONCEPT_FACTOR = 0.01
#: A concept containing a focus term weighs (1 + FOCUS_BOOST * specificity) times more, the
#: specificity of a term being in [0, 1] (``_focus_specificity``). The old flat boost (any focus
#: word, x3) lost ROUGE-2 on DUC 2007 main (0.128 with focus vs 0.132 without): the topic's
#: name is in nearly every sentence of a retrieved cluster, so boosting it distorts the df
#: weights without discriminating. Specificity-scaled, DUC 2007 main / update (with focus):
#: 2 -> 0.129 / 0.097, 4 -> 0.130 / 0.101, 8 -> 0.130 / 0.098; 4 kept (middle of the plateau).
FOCUS_BOOST = 4.0
#: How much more likely a sentence carrying all of the focus's specific terms is to be chosen
#: (``_favour_focus``). On the bundled examples 1.0 was too weak for ``--focus sanctions`` to
#: change a 60- or 150-word summary; 2.0 makes both "sanctions" and "How many troops are near
#: Ukraine?" visibly lean it. Cost on DUC 2007 main with the topic narrative as focus: ROUGE-2
#: 0.1301 -> 0.1257 (within the ~0.004 noise of 23 clusters; without focus unchanged).
FOCUS_SENTENCE_BOOST = 2.0
#: Share of the focus's specificity a sentence must carry to be taken first as its answer
#: (``_focus_answer``). DUC 2007 topic narratives have such a sentence in 8 of 23 main and 10 of
#: 30 update clusters; ROUGE-2 with focus there: main .1273 -> .1261, update .1044 -> .1091.
FOCUS_ANSWER_SHARE = 0.5
#: Position prior: a document's i-th sentence (from 0) gets weight 1 + LEAD_BONUS / (1 + i),
#: because news leads state the story. DUC 2007 main: 0 / 0.25 / 0.5 / 1 / 2 ->
#: 0.128 / 0.129 / 0.129 / 0.123 / 0.122 ROUGE-2; DUC 2007 update (100 words) prefers 0.5 to 0.
#: Kept small: it mostly breaks ties in favour of the lead.
LEAD_BONUS = 0.25
#: Gain is divided by length ** LENGTH_EXPONENT: 1 is gain-per-word (favours short
#: sentences), 0 ignores length. DUC 2007 main: 0 -> 0.121, 0.5 -> 0.129, 1 -> 0.124
#: ROUGE-2; DUC 2007 update agrees (0.5 best).
LENGTH_EXPONENT = 0.5
#: Prior factor of a sentence that needs its context (``_standalone_factor``): "They stopped
#: him on suspicion…" read alone says nothing. A readability rule, not a ROUGE gain: DUC 2007
#: main / update ROUGE-2 at 1.0 / 0.7 / 0.5 / 0.3: .1317 / .1316 / .1318 / .1318 and
#: .1027 / .0994 / .1000 / .1001 (with focus .1270 / .1274 / .1273 / .1273 and .1059 / .1059 /
#: .1044 / .1041); 0.5 makes such a sentence lose to any comparable stand-alone one. With
#: the broader openings of ``standalone`` (connectives; the anaphor after an opening phrase),
#: summarizer alone: main .1316 -> .1311 (focus .1266 -> .1254), update .0989 -> .1004
#: (focus .1086 -> .1082); through the CLI, main .1306 -> .1303 (focus .1315 -> .1308).
ANAPHOR_FACTOR = 0.5
#: Learned sentence prior (``sentence_model``, trained by ``scripts/train_sentence_prior.py``):
#: each candidate's prior is multiplied by ``exp(SENTENCE_PRIOR_STRENGTH * score)``, its
#: log-linear estimate of the share of its bigrams a human summary uses, for piles of at least
#: ``SENTENCE_PRIOR_MIN_DOCS`` documents: the training piles had 6 to 25 (on the five bundled
#: examples it would drop the December article's sentences from the 150- and 250-word briefs,
#: outside what it was trained on, so it stays off there). Held out (5 folds
#: grouped by DUC topic), ROUGE-2 through the brief: DUC 2007 update B + C .0982 -> .1102
#: (focus .1069 -> .1125), main .1290 -> .1297 (focus .1288 -> .1320; both within noise):
#: bench/README.md, fifth session. Strength 1 is the model's own estimate, not tuned (0.25 to 3
#: all gain on update).
SENTENCE_PRIOR = True
SENTENCE_PRIOR_STRENGTH = 1.0
SENTENCE_PRIOR_MIN_DOCS = 6

_DATELINE = re.compile(
    r"^(?:[A-Z](?:[A-Z.'\- ]|\b[a-z]{1,2}'(?=[A-Z])){1,40}"  # "MOBILE", "COEUR d'ALENE"
    r"(?:,\s*[A-Z][\w.' ]{0,30})?"  # optional region or date: ", Ala.", ", June 12"
    r"\s*(?:\([A-Za-z. ]{1,20}\))?"  # optional agency: "(AP)", "(Xinhua)"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)*,\s*[A-Z][a-z]{2,8}\.? \d{1,2}\s*\([A-Za-z. ]{1,20}\))"
    # ^ or a place in any case with date and agency: "Madrid, June 24 (Xinhua)"
    r"\s*(?:--|—|–|_|-)\s+"
)
#: Further into a document, only a dateline that a capitalised sentence follows ("LONDON _ The
#: report…", after a headline line), so "NATO -- the alliance…" keeps its subject.
_LATE_DATELINE_NEXT = re.compile(r"[A-Z]")
_QUOTE_OPENER = re.compile(r"^(?:``|[\"“‘'])")
_FINAL_PUNCTUATION = re.compile(r"[.!][\"”’')\]]*$|\.''$")
_QUOTE_CLOSER = re.compile(r"[^“\"`]*(?:”|'')")
_QUOTE_MARK = re.compile(r"``|''|[\"“”]")


@dataclass
class SummaryInput:
    """One document to summarize; ``spans`` are the article-body regions sentences may come
    from (character offsets into ``text``), ``None`` meaning the whole text."""

    doc_id: str
    text: str
    spans: list[tuple[int, int]] | None = None
    date: datetime.date | None = None
    title: str | None = None


@dataclass
class SummarySentence:
    """A chosen sentence: ``text == input.text[start:end]`` of the input ``doc_id``.

    ``score`` is the concept weight it added when chosen, relative to the largest such gain in
    the summary (1.0).
    """

    doc_id: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class _Candidate:
    doc_index: int
    position: int
    doc_id: str
    start: int
    end: int
    text: str
    words: int
    terms: list[str]
    concepts: set[str]
    prior: float
    vector: dict[str, float] = field(default_factory=dict)


def summarize(
    inputs: Sequence[SummaryInput],
    words: int = 250,
    focus: str | None = None,
    *,
    allow_cut: bool = False,
    include: Sequence[tuple[str, int, int]] = (),
    background: Sequence[Collection[str]] = (),
    shared: Candidates | None = None,
) -> list[SummarySentence]:
    """Choose verbatim sentences from ``inputs`` covering what they report, in <= ``words``
    words, biased towards ``focus`` when given, ordered by (date, input order, position).

    ``allow_cut`` is for evaluation only (module docstring): one extra sentence, placed last,
    lets the evaluator cut the text at exactly ``words`` words as it does for every system.

    ``include``: sentences given as ``(doc_id, start, end)`` (spans a candidate sentence of
    ``inputs`` has, such as ``group_sentences`` returns) taken first, in order, while they fit
    the budget; the rest of the budget is chosen for content around them.

    ``background``: the bigram concepts (``scoring.concepts``) of other documents of the story
    that offer no sentence (the update brief's earlier reporting), one set per document. They
    count towards concept weights as the inputs do, so the sentences chosen from ``inputs``
    are those about what the whole story is about.

    ``shared``: step 1 already done on these ``inputs`` (``sentence_candidates``).

    Deterministic: the same inputs give the same output (ties break by input order).
    """
    if words <= 0:
        return []
    candidates, weights, specificity = _prepare(inputs, focus, background, shared)
    if not candidates:
        return []
    reserved = _included(candidates, include, words)
    answer = _focus_answer(candidates, specificity, words - sum(c.words for c in reserved))
    if answer is not None and all(answer is not c for c in reserved):
        reserved.append(answer)
    model = sentence_model.load() if SENTENCE_PRIOR else None
    if model is not None and len(inputs) >= SENTENCE_PRIOR_MIN_DOCS:
        features = _sentence_features(inputs, candidates, weights, specificity, background)
        for cand, row in zip(candidates, features, strict=True):
            factor = math.exp(SENTENCE_PRIOR_STRENGTH * model.score(row))
            # A sentence that needs its context (``needs_context``: an anaphor opening, or a
            # pronoun before any name) is never raised by the prior (checked only when it
            # would be: the rule reads every word).
            if factor > 1.0 and needs_context(cand.text):
                factor = 1.0
            cand.prior *= factor
    chosen = _select(candidates, weights, words, reserved)
    dates = [inp.date for inp in inputs]
    chosen.sort(key=lambda pair: _order_key(pair[0], dates))
    if allow_cut and sum(c.words for c, _ in chosen) < words:
        extra = _best_overflow(candidates, weights, chosen)
        if extra is not None:
            chosen.append(extra)
    top = max((gain for _, gain in chosen), default=0.0) or 1.0
    return [
        SummarySentence(c.doc_id, c.start, c.end, c.text, round(gain / top, 4))
        for c, gain in chosen
    ]


def candidate_features(
    inputs: Sequence[SummaryInput],
    focus: str | None = None,
    *,
    background: Sequence[Collection[str]] = (),
) -> list[tuple[str, list[float]]]:
    """``(text, sentence_model features)`` of every candidate sentence, as ``summarize``
    computes them for its learned prior (``scripts/train_sentence_prior.py``)."""
    candidates, weights, specificity = _prepare(inputs, focus, background)
    features = _sentence_features(inputs, candidates, weights, specificity, background)
    return [(cand.text, row) for cand, row in zip(candidates, features, strict=True)]


def _prepare(
    inputs: Sequence[SummaryInput],
    focus: str | None,
    background: Sequence[Collection[str]],
    shared: Candidates | None = None,
) -> tuple[list[_Candidate], dict[str, float], dict[str, float]]:
    """Steps 1 and 2: the candidates (priors and TF-IDF vectors set; step 1 copied from
    ``shared`` when given), the concept weights and the focus terms' specificity."""
    candidates = _own_candidates(inputs, shared)
    if not candidates:
        return [], {}, {}
    specificity = _focus_specificity(candidates, _focus_terms(focus))
    _favour_focus(candidates, specificity)
    titles = [scoring.concepts(scoring.tokens(inp.title or "")) for inp in inputs]
    weights = _concept_weights(candidates, len(inputs), specificity, titles, background)
    idf = scoring.idf([c.terms for c in candidates])
    for cand in candidates:
        cand.vector = scoring.tfidf_vector(cand.terms, idf)
    return candidates, weights, specificity


def _sentence_features(
    inputs: Sequence[SummaryInput],
    candidates: Sequence[_Candidate],
    weights: dict[str, float],
    specificity: dict[str, float],
    background: Sequence[Collection[str]],
) -> list[list[float]]:
    titles = [set(scoring.content_terms(scoring.tokens(inp.title or ""))) for inp in inputs]
    return sentence_model.sentence_features(candidates, weights, titles, specificity, background)


def group_sentences(
    inputs: Sequence[SummaryInput],
    groups: Sequence[Collection[str]],
    focus: str | None = None,
    *,
    shared: Candidates | None = None,
) -> list[SummarySentence | None]:
    """For each group of ``doc_id`` (a brief's events), the one sentence that says what its
    documents report: the lead (first usable sentence) of one of its documents, the one whose
    words the group's documents share most (per √word, times the focus prior). ``None`` for a
    group none of whose documents has a usable sentence.

    A news lead is written to say what happened; the concept weights of a one- or two-article
    event are too thin to find that sentence alone (on the bundled examples, the best
    concept-weighted sentence of the December article is "Moscow is seeking several
    guarantees…" instead of its lead, that talks could begin in January). Among leads, words
    counted by documents rather than bigrams by sentences: of the two Geneva reports, the lead
    that the meeting ended with written answers promised (words the other report uses too)
    wins over the one dense in names and titles ("US Secretary of State Antony Blinken and
    Russian Foreign Minister Sergei Lavrov met…"). ``shared``: as for ``summarize``.
    """
    candidates = _own_candidates(inputs, shared)
    specificity = _focus_specificity(candidates, _focus_terms(focus))
    _favour_focus(candidates, specificity)
    by_doc: dict[str, list[_Candidate]] = {}  # in input order, so a group's members are too
    for cand in candidates:
        by_doc.setdefault(cand.doc_id, []).append(cand)
    leads = {doc_id: cands[0] for doc_id, cands in by_doc.items()}
    out: list[SummarySentence | None] = []
    for group in groups:
        options = [leads[doc_id] for doc_id in sorted(group, key=str) if doc_id in leads]
        if not options:
            out.append(None)
            continue
        if len(options) == 1:  # one lead (an event of one page): nothing to weigh
            best = options[0]
            out.append(SummarySentence(best.doc_id, best.start, best.end, best.text, 1.0))
            continue
        members = [
            cand
            for doc_id in sorted(group, key=lambda d: by_doc[d][0].doc_index if d in by_doc else 0)
            for cand in by_doc.get(doc_id, ())
        ]
        users: dict[str, set[str]] = defaultdict(set)
        for cand in members:
            for term in cand.terms:
                users[term].add(cand.doc_id)
        best = max(
            options,
            key=lambda c: (
                sum(len(users[t]) for t in set(c.terms)) * c.prior / c.words**LENGTH_EXPONENT,
                -c.doc_index,
            ),
        )
        out.append(SummarySentence(best.doc_id, best.start, best.end, best.text, 1.0))
    return out


def _included(
    candidates: Sequence[_Candidate], include: Sequence[tuple[str, int, int]], budget: int
) -> list[_Candidate]:
    """The candidates of ``include`` (in its order) that fit ``budget`` together."""
    by_span = {(c.doc_id, c.start, c.end): c for c in candidates}
    out: list[_Candidate] = []
    used = 0
    for span in include:
        cand = by_span.get(span)
        if cand is not None and all(cand is not c for c in out) and used + cand.words <= budget:
            out.append(cand)
            used += cand.words
    return out


@dataclass(frozen=True)
class Candidates:
    """Step 1 done once for ``inputs``, for ``group_sentences`` and ``summarize`` of the same
    inputs (a brief's event lines and summary); each call works on its own copies."""

    inputs: Sequence[SummaryInput]
    found: tuple[_Candidate, ...]


def sentence_candidates(inputs: Sequence[SummaryInput]) -> Candidates:
    """The sentences a summary of ``inputs`` may use (step 1), to share between calls."""
    return Candidates(inputs, tuple(_candidates(inputs)))


def _own_candidates(inputs: Sequence[SummaryInput], shared: Candidates | None) -> list[_Candidate]:
    """Step 1's candidates, copied from ``shared`` when given (calls change their prior)."""
    if shared is None:
        return _candidates(inputs)
    if shared.inputs is not inputs:
        raise ValueError("shared candidates are of other inputs")
    return [copy.copy(cand) for cand in shared.found]


def _candidates(inputs: Sequence[SummaryInput]) -> list[_Candidate]:
    """Step 1: the sentences a summary may use, each once (first occurrence wins)."""
    seen: set[str] = set()
    out: list[_Candidate] = []
    for doc_index, inp in enumerate(inputs):
        spans = inp.spans if inp.spans is not None else [(0, len(inp.text))]
        position = 0
        for span_start, span_end in sorted(spans):
            sentences = split_sentences(inp.text, inp.doc_id, span_start, span_end)
            for sent_start, sent_end in _whole_quotes(inp.text, sentences):
                start = sent_start
                first = position == 0 or start == span_start
                start += _dateline_length(inp.text[start:sent_end], first)
                text = inp.text[start:sent_end]
                position += 1
                n_words = len(text.split())
                if not _acceptable(text, n_words):
                    continue
                terms = scoring.tokens(text)
                key = " ".join(terms)
                if key in seen:
                    continue
                seen.add(key)
                out.append(
                    _Candidate(
                        doc_index=doc_index,
                        position=position - 1,
                        doc_id=inp.doc_id,
                        start=start,
                        end=sent_end,
                        text=text,
                        words=n_words,
                        terms=scoring.content_terms(terms),
                        concepts=scoring.concepts(terms),
                        prior=(1.0 + LEAD_BONUS / position) * _standalone_factor(text),
                    )
                )
    return out


def _quote_depth(text: str) -> int:
    """Quotations ``text`` leaves open: “ ” and `` '' pair up, a straight " toggles."""
    depth = 0
    straight = False
    for match in _QUOTE_MARK.finditer(text):
        mark = match.group()
        if mark == '"':
            straight = not straight
        elif mark in ("“", "``"):
            depth += 1
        else:
            depth = max(depth - 1, 0)
    return depth + straight


def _whole_quotes(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Sentence spans with a quotation never split: the splitter ends sentences inside a
    multi-sentence quote (“We will go. We will win.” he said), which would leave a quote's
    opening without its tail and a tail without its opening. Sentences are joined while a
    quote stays open, up to ``MAX_SENTENCE_WORDS`` words; a quote still open then is kept
    as split, and ``_acceptable`` rejects its unbalanced parts."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        start, end = sentences[i].start, sentences[i].end
        j = i
        while (
            _quote_depth(text[start:end])
            and j + 1 < len(sentences)
            and len(text[start : sentences[j + 1].end].split()) <= MAX_SENTENCE_WORDS
        ):
            j += 1
            end = sentences[j].end
        if _quote_depth(text[start:end]):
            out.append((sentences[i].start, sentences[i].end))
            i += 1
        else:
            out.append((start, end))
            i = j + 1
    return out


def _standalone_factor(text: str) -> float:
    """``ANAPHOR_FACTOR`` for a sentence that needs its context to be understood: it opens
    on what came before it or points elsewhere in its article (``standalone.context_opening``:
    "They stopped him…", "But the drugs…", "…as shown above."); 1 otherwise."""
    return ANAPHOR_FACTOR if context_opening(text) else 1.0


def _dateline_length(text: str, first: bool) -> int:
    """Characters of the news dateline opening ``text`` ("WASHINGTON (AP) -- "), 0 if none."""
    match = _DATELINE.match(text)
    if match is None or not (first or _LATE_DATELINE_NEXT.match(text, match.end())):
        return 0
    return match.end()


def _acceptable(text: str, n_words: int) -> bool:
    """Whether a sentence can stand alone in a summary."""
    if not MIN_SENTENCE_WORDS <= n_words <= MAX_SENTENCE_WORDS:
        return False
    if _quote_depth(text) or _QUOTE_CLOSER.match(text):  # part of a split quotation
        return False
    if not any(ch.islower() for ch in text):  # headline or shouted line
        return False
    if _QUOTE_OPENER.match(text) or has_link(text):  # also "http: / / www. …" tokenised
        return False
    return bool(_FINAL_PUNCTUATION.search(text))  # rejects questions and cut-off lines


def _focus_terms(focus: str | None) -> set[str]:
    if not focus:
        return set()
    terms = scoring.content_terms(scoring.tokens(focus))
    return {t for t in terms if t not in scoring.FOCUS_STOP_WORDS}


def _focus_specificity(candidates: Sequence[_Candidate], focus_terms: set[str]) -> dict[str, float]:
    """How much each focus term discriminates inside this cluster, in [0, 1].

    ``log(n / sentences using the term) / log(n + 1)`` over the ``n`` candidate sentences: a
    term in every sentence (the topic's own name in a cluster retrieved for it) gets ~0, an
    aspect word of the question ("charges", "reactions", "predictions") that only some
    sentences use gets most of the boost, and a term no sentence uses gets nothing.
    """
    if not focus_terms:
        return {}
    users: dict[str, int] = dict.fromkeys(focus_terms, 0)
    for cand in candidates:
        for term in focus_terms.intersection(cand.terms):
            users[term] += 1
    n = len(candidates)
    return {term: math.log(n / count) / math.log(n + 1) for term, count in users.items() if count}


def _focus_answer(
    candidates: Sequence[_Candidate], specificity: dict[str, float], budget: int
) -> _Candidate | None:
    """The sentence that answers a short, specific focus: the best-prior sentence carrying at
    least ``FOCUS_ANSWER_SHARE`` of the focus's specificity, taken first. A DUC narrative
    (a dozen specific terms) has no such sentence and is left to the weights; "sanctions" or
    "How many troops are near Ukraine?" on a small pile, whose sentences about it carry only
    concepts of one article, otherwise never win a place in a short summary."""
    total = math.fsum(specificity.values())
    if not total:
        return None
    best: _Candidate | None = None
    for cand in candidates:
        share = math.fsum(specificity.get(term, 0.0) for term in set(cand.terms)) / total
        fits = share >= FOCUS_ANSWER_SHARE and cand.words <= budget
        if fits and (best is None or cand.prior > best.prior):
            best = cand
    return best


def _favour_focus(candidates: Sequence[_Candidate], specificity: dict[str, float]) -> None:
    """Raise the prior of sentences that use the focus's specific terms.

    Concept boosts alone cannot do this in a small pile: most of its concepts are rare
    (``RARE_CONCEPT_FACTOR``), so a boosted rare concept still weighs next to nothing and
    ``--focus "troops"`` would not change the summary. The share of the focus's specificity
    a sentence carries scales its prior by up to ``1 + FOCUS_SENTENCE_BOOST``.
    """
    total = math.fsum(specificity.values())
    if not total:
        return
    for cand in candidates:
        share = math.fsum(specificity.get(term, 0.0) for term in set(cand.terms)) / total
        cand.prior *= 1.0 + FOCUS_SENTENCE_BOOST * share


def _concept_weights(
    candidates: Sequence[_Candidate],
    n_docs: int,
    specificity: dict[str, float],
    titles: Sequence[set[str]] | None = None,
    background: Sequence[Collection[str]] = (),
) -> dict[str, float]:
    """Step 2: weight of each concept = documents (or, for few documents, sentences) using it;
    with ``titles`` (a whole pile, not an event) and enough documents, the learned weight of
    ``concept_model`` instead."""
    model = concept_model.load() if titles is not None else None
    if model is not None and n_docs >= MIN_DOCS_FOR_DOC_FREQUENCY:
        features = concept_model.concept_features(candidates, n_docs, titles or ())
        learned = {concept: model.weight(f) for concept, f in features.items()}
        return _boost_focus(learned, specificity)
    users: dict[str, set[int]] = defaultdict(set)
    by_docs = n_docs + len(background) >= MIN_DOCS_FOR_DOC_FREQUENCY
    for index, cand in enumerate(candidates):
        unit = cand.doc_index if by_docs else index
        for concept in cand.concepts:
            users[concept].add(unit)
    for number, concepts in enumerate(background, start=max(n_docs, len(candidates))):
        for concept in users.keys() & concepts:  # only what a candidate can cover matters
            users[concept].add(number)
    minimum = MIN_CONCEPT_DOCS if by_docs else 2
    weights: dict[str, float] = {}
    for concept, units in users.items():
        weight = float(len(units))
        if len(units) < minimum:
            weight *= RARE_CONCEPT_FACTOR
        weights[concept] = weight
    return _boost_focus(weights, specificity)


def _boost_focus(weights: dict[str, float], specificity: dict[str, float]) -> dict[str, float]:
    if specificity:
        for concept, weight in weights.items():
            boost = max((specificity.get(word, 0.0) for word in concept.split(" ")), default=0.0)
            weights[concept] = weight * (1.0 + FOCUS_BOOST * boost)
    return weights


def _select(
    candidates: Sequence[_Candidate],
    weights: dict[str, float],
    budget: int,
    reserved: Sequence[_Candidate] = (),
) -> list[tuple[_Candidate, float]]:
    """Step 3: greedy budgeted coverage with a redundancy veto, after the ``reserved``
    sentences (taken first, in order, and counted against the budget)."""
    covered: set[str] = set()
    chosen: list[tuple[_Candidate, float]] = []
    for cand in reserved:
        chosen.append((cand, math.fsum(weights.get(c, 0.0) for c in cand.concepts - covered)))
        covered |= cand.concepts
    taken = {id(cand) for cand in reserved}
    remaining = [
        cand for cand in candidates if id(cand) not in taken and not _redundant(cand, chosen)
    ]
    used = sum(cand.words for cand in reserved)
    while remaining:
        best: _Candidate | None = None
        best_score = 0.0
        best_gain = 0.0
        keep: list[_Candidate] = []
        for cand in remaining:
            if used + cand.words > budget:
                continue  # can never fit again: drop for good
            keep.append(cand)
            gain = _gain(cand, weights, covered)
            score = gain * cand.prior / cand.words**LENGTH_EXPONENT
            if score > best_score:
                best, best_score, best_gain = cand, score, gain
        if best is None:
            break
        chosen.append((best, best_gain))
        covered |= best.concepts
        used += best.words
        # Redundancy only needs checking against the sentence just taken: every remaining
        # candidate already passed the check against the earlier ones.
        vector = best.vector
        remaining = [
            c
            for c in keep
            if c is not best and scoring.cosine(c.vector, vector) <= REDUNDANCY_COSINE
        ]
    return chosen


def _best_overflow(
    candidates: Sequence[_Candidate],
    weights: dict[str, float],
    chosen: Sequence[tuple[_Candidate, float]],
) -> tuple[_Candidate, float] | None:
    """The sentence greedy selection would take next if the budget did not stop it."""
    taken = {id(c) for c, _ in chosen}
    covered = set().union(*(c.concepts for c, _ in chosen))
    best: tuple[_Candidate, float] | None = None
    best_score = 0.0
    for cand in candidates:
        if id(cand) in taken or _redundant(cand, chosen):
            continue
        gain = _gain(cand, weights, covered)
        score = gain * cand.prior / cand.words**LENGTH_EXPONENT
        if score > best_score:
            best, best_score = (cand, gain), score
    return best


def _gain(cand: _Candidate, weights: dict[str, float], covered: Collection[str]) -> float:
    """The weight of the concepts ``cand`` adds. ``math.fsum``: a sentence's concepts are a
    set, whose order changes with the interpreter's hash seed, and a plain float sum in that
    order can differ in its last bit, enough to turn a near-tie between two sentences the
    other way in another process (a Dask worker's brief against the in-process one)."""
    return math.fsum(weights.get(c, 0.0) for c in cand.concepts if c not in covered)


def _redundant(cand: _Candidate, chosen: Sequence[tuple[_Candidate, float]]) -> bool:
    return any(scoring.cosine(cand.vector, c.vector) > REDUNDANCY_COSINE for c, _ in chosen)


def _order_key(
    cand: _Candidate, dates: Sequence[datetime.date | None]
) -> tuple[bool, datetime.date, int, int]:
    """Step 4: undated documents after dated ones, then input order, then position."""
    date = dates[cand.doc_index]
    return (date is None, date or datetime.date.min, cand.doc_index, cand.start)
