"""Word lists for quote attribution: speech verbs and their forms, titles, pronouns.

Kept apart from ``quotes.py`` so the rules there stay readable; every list is English.
"""

from __future__ import annotations

import re


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "quip": ("quip", "quips", "quipped", "quipping"),
}
REGULAR = wordset(
    "add warn stress note explain ask reply tweet state insist argue claim declare announce "
    "acknowledge confirm deny admit suggest remark recall urge predict complain respond observe "
    "conclude emphasize emphasise caution vow promise assert contend joke boast call press "
    "repeat interject concede counter retort exclaim chant yell scream plead muse wonder lament "
    "mention recount reason scoff post "
    "describe reiterate reaffirm continue shout testify answer accuse charge allege demand point"
)


def forms(verb: str) -> tuple[str, ...]:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    if verb.endswith(("s", "sh", "ch")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


BASE_FORMS = frozenset([*IRREGULAR, *REGULAR, "remark", "respond"])
#: Forms that are mostly nouns in news ("his call", "the state", "reports say").
NOUN_FORMS = wordset(
    """call calls state states report reports charge charges demand demands answer answers
    promise promises joke jokes remark remarks reply respond post posts counter counters
    reason reasons press presses continue"""
)
CUE_WORDS = sorted(
    {f for v in (*IRREGULAR, *REGULAR) for f in forms(v)} - NOUN_FORMS,
    key=len,
    reverse=True,
)
# "point" only as "point(ed) out"; "according to" is always followed by its source.
CUE_RE = re.compile(
    r"\b(?:according\s+to|points?\s+out|pointed\s+out|pointing\s+out|"
    + "|".join(w for w in CUE_WORDS if not w.startswith("point"))
    + r")\b",
    re.IGNORECASE,
)
_CUE_SET = frozenset(w for w in CUE_WORDS if not w.startswith("point"))
#: First words of the cues of several words ("according to", "pointed out").
_CUE_HEADS = frozenset({"according", "point", "points", "pointed", "pointing"})
_WORD_RUN = re.compile(r"\w+")


def cue_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``CUE_RE.finditer(text)``, found word by word: every cue starts a word
    (a run of ``\\w``) and a one-word cue is a whole word, so a plain word is looked up in a
    set and the expression runs only where a cue of several words starts, or on a word it
    might match through case folding ("ſaid"). Much faster than scanning with the ~150
    alternatives of ``CUE_RE`` (the quote finder's inner loop)."""
    spans: list[tuple[int, int]] = []
    end = 0
    for word in _WORD_RUN.finditer(text):
        if word.start() < end:
            continue
        low = word.group().lower()
        if low in _CUE_SET and word.group().isascii():
            spans.append(word.span())
        elif low in _CUE_HEADS or not word.group().isascii():
            match = CUE_RE.match(text, word.start())
            if match is None:
                continue
            spans.append(match.span())
        else:
            continue
        end = spans[-1][1]
    return spans


#: Objects folded into a "told" cue, so the cue reads "told reporters" as written.
TELL_OBJECTS = wordset(
    "reporters journalists supporters me us him her them viewers listeners lawmakers"
)

PRONOUNS = wordset("he she they we i it")
RESOLVABLE = frozenset({"he", "she"})
DETERMINERS = wordset(
    "the a an another his her its their our this that these those one two three several some many"
)
#: Heads of descriptive speaker phrases ("the Russian minister", "a senior U.S. official").
PERSON_NOUNS = wordset(
    """minister ministry official officials spokesman spokeswoman spokesperson secretary
    president diplomat diplomats department side source sources agency kremlin government
    leader leaders chief envoy ambassador aide aides adviser advisers advisor advisors analyst
    analysts expert experts executive statement officer officers commander general senator
    lawmaker lawmakers candidate campaign governor mayor director chairman chairwoman head
    representative spokespeople administration office embassy team woman man people residents
    critics supporters voters activist activists professor researcher researchers economist
    report newspaper committee court judge police military army"""
)
#: Capitalised words that do not start or continue a name (sentence openers, days, months).
CAP_STOP = wordset(
    """The A An In On At But And After Before During Also However Meanwhile While When Yet So
    That This These Those It He She They We I According Earlier Later Despite For With As If
    Although Though Because Since Still Then There Here What Why How Who Where Yes No Not Now
    Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Speaking
    Asked Instead Even Only Just Some Many Most Both Each Every All Such Across Under Over Among
    Between Against From To Of By Or Nor My Our Your His Her Its Their"""
)
TITLES = wordset(
    """Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sen Sen. Rep Rep. Gov Gov. Gen Gen. Prof Prof. Rev Rev.
    Secretary State Minister Foreign Prime President Vice Deputy Assistant Spokesman Spokeswoman
    Chancellor Senator Governor Mayor General Ambassador Envoy Chief Director Chairman Leader
    King Queen Prince Pope Judge Justice Attorney Commissioner Defense Defence Interior Premier
    Sir Lord Lady Former Acting Supreme Commander Speaker Representative Congressman
    Congresswoman Candidate Nominee Kremlin Press"""
)
ORG_WORDS = wordset(
    """States Nations Kingdom Union Republic Department Ministry Office House Council Party
    Committee Agency Court Congress Senate Army Forces Bank Fund Organization Organisation Treaty
    Times Post News Press Network Journal Street University Institute Foundation Federation
    Company Inc Corp Group Kremlin Commission Parliament Assembly Square City County Sea River
    Europe Asia Africa America Reuters Associated Service Administration Government Embassy
    Charter Agreement Initiative Campaign Club Center Centre"""
)
ADVERBS = wordset(
    """also then later again previously once further repeatedly recently reportedly had has have
    would will could has also still just only already never not on last this next earlier today
    yesterday tonight week month year morning afternoon evening night"""
)
CONNECTORS = wordset("of for de del da van von al bin der la le")
#: Words that never sit inside a descriptive speaker phrase or after a quoted modifier.
FUNCTION = wordset(
    """and or but nor to of in on at by for from with as than that which who whom whose is are
    was were be been being has have had do does did will would could should may might must can
    not if when while because so then"""
)
#: A base-form speech verb after these is not a report ("would respond", "to say").
MODALS = wordset("to will would could should may might must can cannot")
#: Words of a spelled-out number ("Fifty-one", "two hundred"): a number is never a speaker.
NUMBER_WORDS = wordset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion dozen"""
)
#: Words that make the group after them a share of a population, a poll's finding rather than
#: a speaker ("44 percent of Americans say", "most voters said").
SHARE_WORDS = wordset(
    "percent per cent % majority most many half third quarter plurality minority share"
)
#: Plural group names that are speakers (a party's members speak for it), unlike nationalities
#: ("Americans say" is a generalisation or a poll, not someone quoted).
PARTY_PLURALS = wordset("Republicans Democrats Conservatives Liberals Socialists Communists")
#: Prepositions: a name right after one (and a determiner) is not its sentence's subject.
PREPOSITIONS = wordset(
    """on in at for from with by to of about after before during under over into near since
    against among between through via"""
)
#: Tokens of news text for attribution: dotted initialisms, titles with their dot, words
#: (with inner apostrophes and hyphens), single punctuation marks.
TOKEN_RE = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Prof|Rev|Sgt|Capt|Maj|Adm)\."
    r"|[^\W_](?:[\w’'\-]*[^\W_])?"
    r"|[^\w\s]"
)
