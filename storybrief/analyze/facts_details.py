"""The checkable details of a sentence: counted quantities, dates and names.

``facts.py`` groups sentences that report the same fact; this module reads, from each
sentence, the details on which two reports of one fact can disagree, each with a *slot*: the
key under which two details are comparable at all.

- Quantities: a number with what it counts ("12 people", "100,000 troops", "$5 million",
  "90 minutes"). "100,000", "100 000", "100k" and "100 thousand" are one value; durations are
  converted to one unit ("two hours" = 120 minutes, "half an hour" = 30). The slot is the
  counted noun, so "12 people" is never compared with "3 children". Bare numbers (ages,
  scores, article numbers) have no noun and are never compared.
- Dates: weekdays, day-and-month, month-and-year and lone years, each its own slot kind, so
  "Tuesday" is never compared with "January 21" (either can be right). Dates of *saying*
  ("said on Tuesday") are left out: two outlets quoting a statement on different days do
  not disagree about the fact.
- Names: capitalised runs that are not sentence openers, typed ``place`` (gazetteer from
  ``entities_lexicon``) or ``name``. Names carry no slot of their own; ``facts.py`` compares
  them by the words around them.

Everything is regular expressions over the sentence text: fast, deterministic, and the
surface form of each detail is kept for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storybrief.analyze.entities_lexicon import is_demonym, place_key, place_names

__all__ = [
    "DateDetail",
    "NameDetail",
    "Quantity",
    "find_dates",
    "find_names",
    "find_quantities",
    "normalise_number",
    "stem",
]

_WORD_NUMBERS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9,
    "trillion": 1e12,
}
_CURRENCIES = {"$": "$", "€": "€", "£": "£", "us$": "$"}
#: Time units folded to one unit per slot, so "two hours" and "120 minutes" compare equal.
_DURATIONS: dict[str, tuple[str, float]] = {
    "second": ("minutes", 1 / 60), "minute": ("minutes", 1.0), "min": ("minutes", 1.0),
    "hour": ("minutes", 60.0), "hr": ("minutes", 60.0), "day": ("days", 1.0),
    "week": ("days", 7.0), "month": ("months", 1.0), "year": ("years", 1.0),
}
#: Words that may stand between a number and the noun it counts ("100,000 Russian troops",
#: "12 more people"); capitalised words (demonyms, names) are skipped as well.
_MODIFIERS = frozenset(
    "more additional other extra new of the some about nearly over foreign armed".split()
)
#: Words before a number that make it approximate or a bound (see ``values_agree`` in
#: ``facts_conflicts.py``). "than" is read with the word before it ("more than").
_BOUNDS: dict[str, str] = {
    **dict.fromkeys("about around nearly almost some roughly approximately estimated approx "
                    "circa".split(), "about"),
    **dict.fromkeys("over above exceeding least more".split(), "over"),
    **dict.fromkeys("under below fewer less most to within".split(), "under"),
}
#: Nouns that follow a number without being what it counts.
_NOT_UNITS = frozenset(
    "a an and or to in on at by for from with as percent per is was were are be has had "
    "have that which who".split()
)

_NUMBER = re.compile(
    r"(?<![\w.,$€£:/-])"
    r"(?P<cur>US\$|[$€£])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<suffix>k|bn|mn|m)\b|\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?![\d:]|[.,]\d|st\b|nd\b|rd\b|th\b)"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?",
)
_WORD_NUMBER = re.compile(
    r"\b(?P<num>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|a\s+dozen|dozen|a\s+hundred)|half\s+an|a\s+half|half)"
    r"(?:\s+(?P<scale>thousand|million|billion))?\b",
    re.IGNORECASE,
)
#: A cheap pre-test: most sentences have no digit and no number word.
_MAY_HAVE_NUMBER = re.compile(
    r"\d|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|hundred|half)\b"
)
_HALF_HOUR = re.compile(r"\b(?:half\s+an|half-an|half-)\s*hour\b", re.IGNORECASE)
_AGE = re.compile(r"[\s-]*old\b")
#: A word right after a hyphenated measure: "15-inch" then describes the noun ("MacBook").
_MODIFIED_NOUN = re.compile(r"\s+[A-Za-z]")
_RANGE_TAIL = re.compile(
    r"\s*(?:to|and|or|-|–)\s*[$€£]?\d[\d,.]*(?:\s*(?:thousand|million|billion)\b)?"
)
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z][A-Za-z'’]*)")
_PREV_WORD = re.compile(r"([A-Za-z]+)[^\w$€£]*$")


def stem(word: str) -> str:
    """Plural endings off (Harman's S-stemmer), lower case: "troops"/"troop" meet."""
    word = word.lower()
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Quantity:
    """A number with what it counts. ``value`` is in ``unit`` ("minutes" for durations)."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    #: How the figure is bounded: "" exact, "about", "over" ("more than"), "under" ("fewer
    #: than"), or "range" for the first figure of "from 2,500 to 1,800 feet" (text covers both).
    bound: str
    #: For money, what the amount is, when the text says it right beside it ("revenue of $4.2
    #: billion", "$281 million in fees", "a $5 million fine"): "revenue", "fee", "fine".
    what: str = ""


def normalise_number(digits: str, scale: str | None = None) -> float:
    """The value of "100,000", "100 000", "1.5" + "million", "100" + "k"."""
    value = float(re.sub(r"[,\s\u00a0\u202f]", "", digits))
    return value * _SCALES.get((scale or "").lower(), 1.0)


@lru_cache(maxsize=8192)
def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Counted quantities in ``text`` (offsets into ``text``); years and bare numbers left out.

    Cached: grouping and conflict finding both read the quantities of the same sentences.
    """
    if not _MAY_HAVE_NUMBER.search(text):
        return ()
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _HALF_HOUR.finditer(text):
        _add(found, taken, text, match.start(), match.end(), 30.0, "minutes")
    for match in _NUMBER.finditer(text):
        digits = match.group("num")
        if digits[0] == "0" and len(digits) > 1 and "." not in digits:
            continue  # "007", or the "000" of a mistyped "150, 000"
        scale = match.group("suffix") or match.group("scale")
        value = normalise_number(digits, scale)
        currency = _CURRENCIES.get((match.group("cur") or "").lower())
        if match.group("pct"):
            unit: str | None = "percent"
        elif currency:
            unit = currency
        else:
            if _is_year(digits, scale):
                continue
            unit = None
        _add(found, taken, text, match.start(), match.end(), value, unit)
    for match in _WORD_NUMBER.finditer(text):
        word = re.sub(r"\s+", " ", match.group("num").lower())
        value = _word_value(word) * _SCALES.get((match.group("scale") or "").lower(), 1.0)
        _add(found, taken, text, match.start(), match.end(), value, None)
    found.sort(key=lambda q: q.start)
    return tuple(found)


def _add(
    found: list[Quantity], taken: list[tuple[int, int]], text: str, start: int, end: int,
    value: float, unit: str | None,
) -> None:
    if any(s < end and start < e for s, e in taken):
        return
    bound = _bound(text, start)
    if unit is None:
        joined = text[end : end + 1] == "-"
        noun, end, is_range = _counted_noun(text, end)
        if noun is None:
            return
        if joined and noun not in _DURATIONS and _MODIFIED_NOUN.match(text, end):
            return  # "the 15-inch MacBook Pro", "a 12-story building": what kind, not how many
        if is_range:
            bound = "range"
        unit = noun
        duration = _DURATIONS.get(noun)
        if duration is not None and _AGE.match(text, end):
            unit = "age"  # "a 33-year-old aide": an age, not a duration
        elif duration is not None:
            unit, factor = duration
            value *= factor
    taken.append((start, end))
    what = _money_what(text, start, end) if unit in _CURRENCIES.values() else ""
    found.append(Quantity(start, end, text[start:end], value, unit, bound, what))


_MONEY_BEFORE = re.compile(r"([a-z]+)\s+of\s+(?:about\s+|nearly\s+|more\s+than\s+)?$")
_MONEY_AFTER = re.compile(r"\s+(?:in\s+)?([a-z]+)\b")
#: Words after an amount that do not say what it is ("$6 million as the award", "$5 a share").
_NOT_MONEY_WHAT = frozenset(
    "a an the and or as at by for from in into of on per than that to was were is are be "
    "which who with this each apiece last next more less over under".split()
)


def _money_what(text: str, start: int, end: int) -> str:
    """What an amount of money is, from the word right before "of" or right after it."""
    before = _MONEY_BEFORE.search(text, max(0, start - 40), start)
    if before and before.group(1) not in _NOT_MONEY_WHAT:
        return stem(before.group(1))
    after = _MONEY_AFTER.match(text, end)
    if after and after.group(1) not in _NOT_MONEY_WHAT:
        return stem(after.group(1))
    return ""


def _bound(text: str, start: int) -> str:
    """"about", "over", "under" or "" from the word(s) before a number."""
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    if prev is None:
        return ""
    word = prev.group(1).lower()
    if word == "than":
        before = _PREV_WORD.search(text, max(0, prev.start() - 30), prev.start())
        word = before.group(1).lower() if before else ""
    return _BOUNDS.get(word, "")


def _counted_noun(text: str, pos: int) -> tuple[str | None, int, bool]:
    """The noun a number counts and where it ends, skipping up to two modifiers and the
    rest of a range ("from 2,500 to 1,800 feet": both count feet)."""
    tail = _RANGE_TAIL.match(text, pos)
    if tail is not None:
        pos = tail.end()
    for _ in range(3):
        match = _NEXT_WORD.match(text, pos)
        if match is None:
            return None, pos, False
        word = match.group(1).rstrip("'’")
        low = word.lower()
        if word[0].isupper() or low in _MODIFIERS:
            pos = match.end()
            continue
        if low in _NOT_UNITS or low in _WORD_NUMBERS or low in _SCALES:
            return None, pos, False
        return stem(low), match.end(), tail is not None
    return None, pos, False


def _word_value(word: str) -> float:
    if word in ("half an", "a half", "half"):
        return 0.5
    word = word.removeprefix("a ")
    if "-" in word:
        tens, units = word.split("-", 1)
        return _WORD_NUMBERS[tens] + _WORD_NUMBERS[units]
    return _WORD_NUMBERS[word]


def _is_year(digits: str, scale: str | None) -> bool:
    return scale is None and len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_RE = r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_DAY_RE = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(_MONTH_RE + r"\s+" + _DAY_RE + r"(?!\s*,?\s*\d{3})")),
    ("day", re.compile(r"\b" + _DAY_RE + r"\s+(?:of\s+)?" + _MONTH_RE)),
    ("month", re.compile(_MONTH_RE + r"\s+(?:of\s+)?(?P<year>(?:18|19|20)\d{2})\b")),
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("year", re.compile(r"\b(?i:in|during)\s+(?P<year>(?:18|19|20)\d{2})\b(?![,.]?\d)")),
)
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'’-]{2,40}(?:\([^)]{1,30}\))?(?:,\s*[A-Z][\w .]{1,30})?,\s*"
    r"[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?\s*(?:\([^)]{1,30}\))?\s*[-—–]{1,2}"
)
#: Verbs of saying: a date right after one is when something was said, not when it happened.
_SPEECH = re.compile(
    r"\b(?:said|says|told|announced|reported|added|stated|confirmed|testified|insisted|wrote)"
    r"(?:\s+\w+)?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateDetail:
    """A date phrase; ``kind`` is its slot ("weekday", "day", "month", "year") and ``key``
    its comparable value ("Tuesday", "01-21", "2021-12", "2019")."""

    start: int
    end: int
    text: str
    kind: str
    key: str
    #: The word before the phrase, lower case ("on", "since", "the"): its frame.
    before: str = ""


def find_dates(text: str) -> list[DateDetail]:
    """Date phrases in ``text`` that say when something happened (not when it was said)."""
    found: list[DateDetail] = []
    dateline = _DATELINE.match(text)
    skip = dateline.end() if dateline else 0  # "JERUSALEM, February 2 (Xinhua) --": filing date
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text, skip):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            if _SPEECH.search(text, max(0, match.start() - 40), match.start()):
                continue
            prev = _PREV_WORD.search(text, max(0, match.start() - 30), match.start())
            before = prev.group(1).lower() if prev else ""
            key = _key(kind, match)
            found.append(DateDetail(match.start(), match.end(), match.group(), kind, key, before))
    found.sort(key=lambda d: d.start)
    return found


def _key(kind: str, match: re.Match[str]) -> str:
    groups = match.groupdict()
    if kind == "weekday":
        return groups["weekday"]
    if kind == "year":
        return groups["year"]
    month = _MONTH_ABBR[groups["month"][:3]]
    if kind == "month":
        return f"{groups['year']}-{month:02d}"
    return f"{month:02d}-{int(groups['day']):02d}"


@dataclass(frozen=True)
class NameDetail:
    """A capitalised name inside a sentence and the words right around it (lower case)."""

    start: int
    end: int
    text: str
    kind: str  # "place" | "name"
    before: str
    after: str


#: All-capital words up to this length are acronyms ("US", "NATO"); longer ones are shouting.
MAX_ACRONYM = 5
_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*|\S")
#: Capitalised words that are not names: dates, titles of address, sentence glue.
_NOT_NAMES = frozenset(
    _MONTHS
    + [m[:3] for m in _MONTHS]
    + "Sept Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mr Mrs Ms Dr The A An I "
    "He She It They We This That But And In On At As If For".split()
)


def find_names(text: str) -> list[NameDetail]:
    """Runs of capitalised words after the first word of the sentence (names, places)."""
    tokens = list(_TOKEN.finditer(text))
    names: list[NameDetail] = []
    i = 1  # the first word is capitalised anyway
    while i < len(tokens):
        word = tokens[i].group().rstrip(".'’")
        if not _is_name_word(word):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _is_name_word(tokens[j + 1].group().rstrip(".'’")):
            j += 1
        surface = text[tokens[i].start() : tokens[j].end()].rstrip(".,'’")
        before = tokens[i - 1].group().lower()
        after = tokens[j + 1].group().lower() if j + 1 < len(tokens) else ""
        if not is_demonym(surface.removesuffix("'s")):
            kind = "place" if place_key(surface) in place_names() or surface in place_names() else "name"
            start = tokens[i].start()
            names.append(NameDetail(start, start + len(surface), surface, kind, before, after))
        i = j + 1
    return names


def _is_name_word(word: str) -> bool:
    if len(word) < 2 or not word[0].isupper() or word in _NOT_NAMES:
        return False
    return not word.isupper() or len(word) <= MAX_ACRONYM  # "NATO", not "BREAKING"
