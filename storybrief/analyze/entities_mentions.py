"""Finding name mentions in text by rules: capitalised runs, titles, cue words, gazetteers.

Why rules and not a model: storybrief runs offline and must not download anything, and news
English marks names reliably with capitals plus a closed set of titles ("Secretary of State"),
honorifics ("Mr") and cue words ("Ministry"). The hard part is what capitals do NOT mean a
name: sentence openers ("Despite", "Speaking"), shouting ("LOOKED"), headlines in title case.
Those are judged against the whole input: a word also seen in lower case, or only ever seen at
the start of a sentence, is an ordinary word.

Each mention carries *evidence* for its type (weights per type) rather than a final type; the
merger (``entities.py``) adds up evidence over every mention of one entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storybrief.analyze.entities_lexicon import (
    HONORIFICS,
    KNOWN_ORG_PHRASES,
    KNOWN_ORGS,
    ORG_CUES,
    PLACE_CUES,
    ROLE_NOUNS,
    TITLE_WORDS,
    is_demonym,
    place_names,
    word_set,
)
from storybrief.stopwords import ENGLISH_STOP_WORDS

#: Evidence weights. A cue that names the type outright (a title before a name, "Ministry",
#: a gazetteer hit) is strong; the shape of a run or the verb after it is weak.
STRONG = 3.0
WEAK = 1.0

_LEAD = "\"“‘'([{«„—–-*•"
_TRAIL = ",.;:!?)]}\"”’'»…—–*"
_ABBREVIATIONS = word_set(
    "Mr Mrs Ms Dr St Jr Sr Gen Sen Rep Gov Lt Col Prof Rev Fr Sgt Adm Capt Maj Mt Ft No Inc Co "
    "Corp Ltd"
)
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_CONNECTORS = frozenset({"de", "da", "van", "von", "der", "den", "al", "bin", "la", "le", "du",
                         "del", "di", "dos", "das"})
#: Capitalised words before "of" that keep "of" inside a name ("Department of State").
_OF_HEADS = ORG_CUES | TITLE_WORDS | PLACE_CUES | {"Republic", "Kingdom", "Isle", "Sultanate",
                                                    "Emirate", "Duchy", "Principality"}
_TIME_WORDS = word_set(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
    Nov Dec Christmas Easter Ramadan"""
)
#: Last words that make a run a treaty, event or law: not a person, place or organisation.
_MISC_CUES = word_set(
    """Treaty Charter War Act Agreement Accord Accords Day Convention Summit Games Cup Prize
    Award Deal Plan Doctrine Law Bill Protocol Declaration Olympics Covid COVID Pact Talks
    Conference Forum Index Revolution Crisis Election Elections Era Initiative Memo Memos"""
)
#: Ordinary words often written first in a sentence that the stop-word list lacks.
_OPENERS = word_set(
    """despite according asked earlier later today yesterday tomorrow still yet instead however
    indeed although following beforehand afterwards additionally meanwhile moreover furthermore
    thus hence overall nonetheless nevertheless sometimes perhaps maybe yes no oh thanks thank
    like unlike while during amid among against toward towards across beyond within without
    under over since until unless whether whereas there here this that these those what which
    who whom whose where when why how"""
)
_ALONE_NOT_ENTITIES = frozenset({"North", "South", "East", "West", "I", "God", "OK", "TV", "Ok",
                                 "AM", "PM", "Photo", "Video", "Image", "Images", "Via", "By"})
_SPEECH_VERBS = re.compile(
    r"^[\s,]*(?:has |had |also |then |later |again )?(?:said|says|told|added|stressed|noted|"
    r"warned|tweeted|wrote|argued|insisted|asked|replied|explained|urged|announced|claimed|"
    r"denied|accused|called|spoke|declared|acknowledged|reiterated|confirmed)\b"
)
_PLACE_PREPOSITION = re.compile(r"\b(?:in|to|from|near|across|into|toward|towards|outside)\s+$")
_APPOSITIVE = re.compile(r"^,\s+(?:the|a|an|its|his|her)\s+([^,.;:()\"“”]{3,80}?)\s*[,.;]")
_HYPHEN_SUFFIXES = re.compile(
    r"[-–](?:based|backed|made|led|era|style|born|owned|run|funded|controlled|allied|aligned|held|"
    r"friendly|speaking|occupied|annexed|related|like|level|wide|linked|leaning|bound|sponsored)$"
)
_ARTICLES = frozenset({"The", "A", "An"})
_WORD = re.compile(r"[^\s/|]+")
_TITLE_BEFORE_BRACKET = re.compile(r"((?:[A-Z]\w+\s+(?:of\s+)?)*[A-Z]\w+)\s*\($")


@dataclass
class Token:
    start: int  # offsets of the core (punctuation stripped) in the text
    end: int
    text: str
    lead: str
    trail: str
    possessive: bool = False
    sentence_start: bool = False

    @property
    def is_cap(self) -> bool:
        return bool(self.text) and self.text[0].isupper()

    @property
    def breaks_after(self) -> bool:
        return self.possessive or any(c in _TRAIL for c in self.trail)

    @property
    def ends_sentence(self) -> bool:
        return any(c in ".!?" for c in self.trail)


@dataclass
class RawMention:
    """One name found in one document, before merging."""

    doc_id: str
    start: int
    end: int
    text: str  # surface form, honorific included ("Mr Blinken"), possessive excluded
    name: tuple[str, ...]  # name tokens without honorific, title or initials
    evidence: dict[str, float] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    qualifier: str | None = None  # country written before an organisation ("Russian")
    honorific: bool = False

    def add(self, kind: str, weight: float) -> None:
        self.evidence[kind] = self.evidence.get(kind, 0.0) + weight


@dataclass
class Vocabulary:
    """What the whole input says about words: seen in lower case, seen capitalised mid-sentence.

    The vocabulary of several texts is the union of theirs (``union``)."""

    lower: set[str] = field(default_factory=set)
    cap_inside: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, texts: Iterable[str]) -> Vocabulary:
        vocab = cls()
        for text in texts:
            vocab.add_lines(tokenize(line) for line in text.splitlines())
        return vocab

    @classmethod
    def union(cls, vocabularies: Iterable[Vocabulary]) -> Vocabulary:
        vocab = cls()
        for other in vocabularies:
            vocab.lower |= other.lower
            vocab.cap_inside |= other.cap_inside
        return vocab

    def add_lines(self, lines: Iterable[list[Token]]) -> None:
        """Add what the tokens of each line (``tokenize``) say."""
        for tokens in lines:
            headline = _is_headline(tokens)
            for tok in tokens:
                if not tok.text:
                    continue
                if tok.text.islower():
                    self.lower.add(tok.text)
                elif tok.is_cap and not tok.sentence_start and not headline:
                    self.cap_inside.add(tok.text)

    def is_common_word(self, word: str) -> bool:
        """Whether a capitalised ``word`` at a sentence start is just an ordinary word."""
        low = word.lower()
        if low in ENGLISH_STOP_WORDS or low in _OPENERS:
            return True
        if word in self.cap_inside:
            return False
        if low in self.lower:
            return True
        return len(word) > 4 and low.endswith(("ly", "ing", "ed"))

    def seen_lower(self, word: str) -> bool:
        """Whether ``word`` (in lower case) is seen written in lower case."""
        return word in self.lower


@dataclass
class _Recording(Vocabulary):
    """A vocabulary that records every answer it gives (``DocumentMentions.asked``)."""

    asked: dict[str, bool] = field(default_factory=dict)

    def is_common_word(self, word: str) -> bool:
        answer = super().is_common_word(word)
        self.asked["c:" + word] = answer
        return answer

    def seen_lower(self, word: str) -> bool:
        answer = super().seen_lower(word)
        self.asked["l:" + word] = answer
        return answer


@dataclass
class LineMentions:
    """The mentions ``find_mentions`` finds on one line of a document (``start``/``end``: its
    span) and every answer of the vocabulary they depend on: the line's mentions are a
    function of the text and those answers only."""

    start: int
    end: int
    raws: list[RawMention]
    #: ``"c:" + word`` -> ``is_common_word(word)``, ``"l:" + word`` -> ``seen_lower(word)``.
    asked: dict[str, bool]

    def holds_under(self, vocab: Vocabulary) -> bool:
        """Whether ``vocab`` gives every answer the line's mentions were found with."""
        for key, answer in self.asked.items():
            ask = vocab.is_common_word if key[0] == "c" else vocab.seen_lower
            if ask(key[2:]) != answer:
                return False
        return True


@dataclass
class DocumentMentions:
    """One document's mentions found under its own vocabulary, line by line: a pile's
    ``extract_entities`` reuses a line's mentions when the pile's vocabulary answers what
    they depend on the same (always, for a pile of this one document), and finds the others
    again. Lines without a mention or a question asked are left out."""

    vocab: Vocabulary
    lines: list[LineMentions]

    @property
    def raws(self) -> list[RawMention]:
        return [m for line in self.lines for m in line.raws]

    def under(self, doc_id: str, text: str, vocab: Vocabulary) -> list[RawMention]:
        """``find_mentions(doc_id, text, vocab)``, where ``text`` is the document's."""
        mentions: list[RawMention] = []
        for line in self.lines:
            if line.holds_under(vocab):
                mentions.extend(line.raws)
            else:
                tokens = tokenize(text[line.start : line.end], line.start)
                mentions.extend(_line_mentions(doc_id, text, tokens, vocab))
        return mentions


#: Line breaks of ``str.splitlines`` other than ``\n``: a text without any is split into the
#: same lines by ``Vocabulary.build`` as by ``find_mentions``, so one tokenisation serves both.
_OTHER_LINE_BREAKS = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def document_mentions(doc_id: str, text: str) -> DocumentMentions:
    """``find_mentions`` of one document under its own vocabulary, line by line
    (``DocumentMentions``); each line is tokenised once for both."""
    lines = [(line.start(), line.end(), tokenize(line.group(), line.start()))
             for line in _LINE.finditer(text)]  # fmt: skip
    if _OTHER_LINE_BREAKS.search(text):
        own = Vocabulary.build([text])
    else:
        own = Vocabulary()
        own.add_lines(tokens for _, _, tokens in lines)
    recording = _Recording(own.lower, own.cap_inside)
    found = []
    for start, end, tokens in lines:
        recording.asked = {}
        raws = _line_mentions(doc_id, text, tokens, recording)
        if raws or recording.asked:
            found.append(LineMentions(start, end, raws, recording.asked))
    return DocumentMentions(Vocabulary(own.lower, own.cap_inside), found)


def tokenize(text: str, base: int = 0) -> list[Token]:
    """Split ``text`` into word tokens with punctuation peeled off and sentence starts marked.

    The inner loop of entity finding (every line of every document, twice): string methods
    and cheap guards before any regular expression, one ``Token`` built per word."""
    tokens: list[Token] = []
    prev_end_sentence = True
    for match in _WORD.finditer(text):
        raw = match.group()
        if raw.isalpha():  # most words: no punctuation to peel, no possessive, no hyphen
            start = base + match.start()
            tokens.append(Token(start, start + len(raw), raw, "", "", False, prev_end_sentence))
            prev_end_sentence = False
            continue
        unled = raw.lstrip(_LEAD)
        i = len(raw) - len(unled)
        core = unled.rstrip(_TRAIL)
        trail = unled[len(core) :]
        if trail[:1] == "." and (
            core in _ABBREVIATIONS or _INITIAL.match(core + ".")
            or _DOTTED_ACRONYM.match(core + ".")
        ):
            core, trail = core + ".", trail[1:]
        possessive = False
        if core.endswith(("'s", "’s")) and len(core) > 2:
            core, possessive = core[:-2], True
        elif core.endswith(("s'", "s’")) and core[:1].isupper():
            core, possessive = core[:-1], True
        if core[:1].isupper() and ("-" in core or "–" in core):
            hyphen = _HYPHEN_SUFFIXES.search(core)
            if hyphen:
                core, trail = core[: hyphen.start()], "-" + trail
        start = base + match.start() + i
        lead = raw[:i]
        sentence_start = prev_end_sentence or (bool(lead) and any(c in _QUOTE_OPENERS for c in lead))
        tokens.append(Token(start, start + len(core), core, lead, trail, possessive, sentence_start))
        ends = bool(trail) and ("." in trail or "!" in trail or "?" in trail)
        prev_end_sentence = ends or (not core and bool(trail)) and "." in trail
    return tokens


#: Opening quotation marks: a word after one starts a sentence (a quotation).
_QUOTE_OPENERS = "\"“‘«„"


def _is_headline(tokens: list[Token]) -> bool:
    """Title-case lines ("US & Russia Meet in Geneva") capitalise ordinary words."""
    words = [t for t in tokens if len(t.text) >= 4 and t.text.isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for t in words if t.text[0].isupper())
    # Calibrated on the bundled examples' headline lines: real title case capitalises nearly
    # every long word, ordinary sentences rarely more than half.
    return caps / len(words) >= 0.75


_LINE = re.compile(r"[^\n]+")


def find_mentions(doc_id: str, text: str, vocab: Vocabulary) -> list[RawMention]:
    """Every person/organisation/place candidate in ``text`` with its type evidence and roles."""
    mentions: list[RawMention] = []
    for line in _LINE.finditer(text):
        mentions.extend(_line_mentions(doc_id, text, tokenize(line.group(), line.start()), vocab))
    return mentions


def _line_mentions(
    doc_id: str, text: str, tokens: list[Token], vocab: Vocabulary
) -> list[RawMention]:
    """``find_mentions`` of one line of ``text``, given its tokens."""
    if _is_headline(tokens):
        for tok in tokens:
            tok.sentence_start = True
    mentions: list[RawMention] = []
    for run in _runs(tokens):
        mentions.extend(_analyse_run(doc_id, text, tokens, run, vocab))
    return mentions


def _runs(tokens: list[Token]) -> list[list[int]]:
    """Index lists of maximal capitalised runs (with "of"/"van"/hyphen-part glue)."""
    runs: list[list[int]] = []
    current: list[int] = []

    def close() -> None:
        if current:
            runs.append(current.copy())
            current.clear()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if current and i > 0 and tokens[i - 1].end < tok.start and _gap_breaks(tokens[i - 1], tok):
            close()  # "Dresgini / EPA": a slash or bar between words ends a name
        if tok.is_cap and (tok.text not in _TIME_WORDS or _continues_name(tokens, current)):
            if current and tok.lead:
                close()
            current.append(i)
            if tok.breaks_after:
                close()
        elif current and not tokens[current[-1]].breaks_after and _is_glue(tokens, i, current):
            current.append(i)
            if tok.breaks_after:
                close()
        else:
            close()
        i += 1
    close()
    return runs


def _gap_breaks(prev: Token, tok: Token) -> bool:
    return prev.end + len(prev.trail) + 1 + len(tok.lead) < tok.start


def _continues_name(tokens: list[Token], current: list[int]) -> bool:
    """A month name after a name word is a surname ("Theresa May", "Mrs. May")."""
    if not current:
        return False
    prev = tokens[current[-1]]
    return prev.text not in _TIME_WORDS and not prev.breaks_after and prev.text[:1].isupper()


def _is_glue(tokens: list[Token], i: int, current: list[int]) -> bool:
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev = tokens[current[-1]]
    if tok.text == "" and tok.lead + tok.trail == "-" and nxt is not None:
        # "Moon Jae - in": a spaced hyphen before a short lower-case name part.
        return (nxt.text.islower() and len(nxt.text) <= 4 and not nxt.lead and prev.is_cap
                and not _HYPHEN_SUFFIXES.search("-" + nxt.text))
    if prev.text == "" and tok.text.islower() and len(tok.text) <= 4:
        return True
    if nxt is None or not nxt.is_cap or nxt.lead or tok.breaks_after:
        return False
    if tok.text == "of":
        return prev.text in _OF_HEADS
    return tok.text in _CONNECTORS


def _analyse_run(
    doc_id: str, text: str, tokens: list[Token], run: list[int], vocab: Vocabulary
) -> list[RawMention]:
    # 1. Drop ordinary words capitalised only because they open a sentence.
    while run and tokens[run[0]].sentence_start and tokens[run[0]].text not in TITLE_WORDS:
        first = tokens[run[0]].text
        if first in HONORIFICS or first.rstrip(".") in HONORIFICS:
            break
        if vocab.is_common_word(first) or first in _TIME_WORDS:
            run = run[1:]
            if run:
                tokens[run[0]].sentence_start = True
        else:
            break
    while run and (tokens[run[0]].text in _ARTICLES or (
        tokens[run[0]].text.lower() in ENGLISH_STOP_WORDS and not tokens[run[0]].text.isupper()
    )):
        run = run[1:]
    while run and (tokens[run[-1]].text in _CONNECTORS | {"of", ""}):
        run = run[:-1]
    if not run:
        return []
    words = [tokens[i].text for i in run]
    for pos, word in enumerate(words[:-1]):
        if word in ORG_CUES and (words[pos + 1] in place_names() or words[pos + 1] in KNOWN_ORGS):
            # "the Foreign Ministry Moscow said": two names written back to back
            return [*_analyse_run(doc_id, text, tokens, run[: pos + 1], vocab),
                    *_analyse_run(doc_id, text, tokens, run[pos + 1 :], vocab)]
    if words[-1] in _MISC_CUES or any(w in _MISC_CUES for w in words[1:]):
        return []
    # 2. Split off a title prefix ("Russian Foreign Minister", "Mr", "US Secretary of State").
    cut = 0 if _is_org(words) else _title_prefix_length(words)
    prefix, name_idx = run[:cut], run[cut:]
    out: list[RawMention] = []
    for i in prefix:  # places and organisations inside a title ("UK Foreign Secretary")
        word = tokens[i].text
        if word in place_names():
            out.append(_mention(doc_id, text, tokens, [i], "place", STRONG))
        elif word in KNOWN_ORGS or (_is_acronym(word) and word not in TITLE_WORDS):
            out.append(_mention(doc_id, text, tokens, [i], "organization", STRONG))
    if not name_idx:
        return out
    names = [tokens[i].text for i in name_idx]
    honorific = any(tokens[i].text.rstrip(".") in HONORIFICS for i in prefix)
    title_words = [tokens[i].text for i in prefix if tokens[i].text.rstrip(".") not in HONORIFICS]
    start_i = prefix[-1] if honorific and prefix else name_idx[0]
    if honorific and tokens[start_i].text.rstrip(".") not in HONORIFICS:
        start_i = name_idx[0]
    mention = _mention(doc_id, text, tokens, name_idx, None, 0.0, start_i)
    mention.honorific = honorific
    if len(names) == 1 and names[0] in _ALONE_NOT_ENTITIES:
        return out
    if all(w in TITLE_WORDS or w == "of" for w in names) or (
        all(w in _TIME_WORDS for w in names) and not honorific and not title_words
    ):
        return out
    if len(names) == 1 and _is_shouting(names[0], vocab):
        return out
    if title_words or honorific:
        mention.add("person", STRONG)
        if title_words:
            mention.roles.append(text[tokens[prefix[0]].start : tokens[prefix[-1]].end])
    _type_by_form(mention, names)
    _type_by_context(mention, text, tokens, run)
    return [*out, mention]


def _mention(
    doc_id: str, text: str, tokens: list[Token], idx: list[int], kind: str | None,
    weight: float, start_i: int | None = None,
) -> RawMention:
    first = tokens[idx[0] if start_i is None else start_i]
    last = tokens[idx[-1]]
    parts: list[str] = []
    glue = False
    for i in idx:
        word = tokens[i].text
        if not word:  # the spaced hyphen of "Moon Jae - in"
            glue = True
        elif glue and parts:
            parts[-1] += "-" + word
            glue = False
        elif not _INITIAL.match(word):
            parts.append(_normal(word))
    name = tuple(parts)
    mention = RawMention(doc_id, first.start, last.end, text[first.start : last.end], name)
    if kind:
        mention.add(kind, weight)
    return mention


def _normal(word: str) -> str:
    if _DOTTED_ACRONYM.match(word):
        return word.replace(".", "")
    return word


def _title_prefix_length(words: list[str]) -> int:
    """How many leading words are a title, honorific, nationality or place qualifier."""
    n = 0
    last_title = 0
    while n < len(words):
        word = words[n].rstrip(".") if words[n].endswith(".") and len(words[n]) <= 5 else words[n]
        nxt = words[n + 1] if n + 1 < len(words) else ""
        if word in HONORIFICS:
            return n + 1
        if nxt and is_demonym(f"{word} {nxt}") and n + 2 < len(words) and (
            words[n + 2] in TITLE_WORDS
        ):  # "South Korean President ..."
            n += 2
            continue
        if word in TITLE_WORDS or (word == "of" and last_title == n):
            n += 1
            last_title = n
        elif (is_demonym(word) or word in place_names() or _is_acronym(word)
              or word in KNOWN_ORGS) and nxt in TITLE_WORDS:
            n += 1
        else:
            break
    return last_title


def _is_org(words: list[str]) -> bool:
    return words[-1] in ORG_CUES or (len(words) > 2 and words[0] in ORG_CUES and words[1] == "of")


def _is_acronym(word: str) -> bool:
    bare = word.replace(".", "")
    return 2 <= len(bare) <= 6 and bare[:1].isupper() and bare.isupper() and bare.isalnum()


def _is_shouting(word: str, vocab: Vocabulary) -> bool:
    """All-caps ordinary words ("LOOKED", "WERE") are emphasis, not acronyms."""
    if not word.isupper() or "." in word:
        return False
    low = word.lower()
    return vocab.seen_lower(low) or low in ENGLISH_STOP_WORDS or len(word) > 6


def _type_by_form(mention: RawMention, names: list[str]) -> None:
    """Evidence from the name itself: gazetteers, cue words, acronyms, person-name shape."""
    joined = " ".join(names)
    if joined in KNOWN_ORG_PHRASES or (len(names) == 1 and names[0] in KNOWN_ORGS):
        mention.add("organization", STRONG * 2)
    elif _is_org(names):
        mention.add("organization", STRONG * 2)
        if len(names) > 1 and (is_demonym(names[0]) or names[0] in place_names()):
            mention.qualifier = names[0]
            mention.name = mention.name[1:]
    elif joined in place_names():
        mention.add("place", STRONG * 2)
    elif len(names) > 1 and names[-1] in PLACE_CUES:
        mention.add("place", STRONG)
    elif len(names) == 1 and _is_acronym(names[0]):
        mention.add("organization", STRONG)
    elif is_demonym(joined):
        mention.evidence["drop"] = STRONG * 10
    elif 2 <= len(names) <= 4 and not any(is_demonym(w) for w in names):
        mention.add("person", WEAK)
    if len(names) > 1 and all(is_demonym(w) or w in place_names() for w in names[:-1]) and (
        is_demonym(names[0]) and names[-1] not in ORG_CUES
    ):
        mention.evidence["drop"] = STRONG * 10  # "Russian Nato", "Western Europe" handled above


def _type_by_context(mention: RawMention, text: str, tokens: list[Token], run: list[int]) -> None:
    """Evidence from around the name: a role noun before it, a speech verb or appositive after."""
    before = text[max(0, tokens[run[0]].start - 60) : tokens[run[0]].start]
    after = text[mention.end : mention.end + 120]
    first = run[0]
    if first > 0 and tokens[first - 1].text.lower() in ROLE_NOUNS and not tokens[first - 1].trail:
        mention.add("person", STRONG)
        mention.roles.append(_role_phrase(text, tokens, first - 1))
    if _SPEECH_VERBS.match(after):
        mention.add("person", WEAK)
    if _PLACE_PREPOSITION.search(before):
        mention.add("place", WEAK)
    appositive = _APPOSITIVE.match(after)
    if appositive and any(w.lower() in ROLE_NOUNS for w in appositive.group(1).split()):
        mention.add("person", STRONG)
        mention.roles.append(appositive.group(1))
    bracketed = _TITLE_BEFORE_BRACKET.search(before)
    if bracketed and all(w in TITLE_WORDS or w == "of" for w in bracketed.group(1).split()):
        # "Secretary of State (Blingen)": the title sits just before the bracket.
        mention.add("person", STRONG)
        mention.roles.append(bracketed.group(1))


def _role_phrase(text: str, tokens: list[Token], noun_i: int) -> str:
    """The role written before a name: the role noun plus its capitalised/modifier words."""
    modifiers = {"former", "deputy", "assistant", "senior", "chief", "top", "vice", "foreign",
                 "defense", "defence", "national", "security", "state", "prime", "press"}
    j = noun_i
    while j > 0 and noun_i - j < 5:
        prev = tokens[j - 1]
        if prev.breaks_after or not prev.text:
            break
        if prev.is_cap or prev.text in modifiers:
            j -= 1
        else:
            break
    return text[tokens[j].start : tokens[noun_i].end]
