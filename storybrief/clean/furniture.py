"""Site furniture: lines that belong to the page, not to the article or its readers.

These are rules, not a learned model, because furniture is a small closed vocabulary that
recurs across sites ("Leave a Reply", "See also", photo credits, share buttons) while any
training data we have labels only body and comments. Each pattern is written for the
family of phrasings a site template uses, not for one example file.
"""

from __future__ import annotations

import re

from storybrief.links import is_link_line

# Lines that are furniture wherever they stand (also inside a comment section).
_ANYWHERE = [
    r"leave a (reply|comment)",
    r"post a comment",
    r"(no|\d+) comments?:?",
    r"(show|load|view|hide) (more |all )?(comments|replies)",
    r"your email address will not be published.*",
    r"required fields are marked.*",
    r"(you must be )?logged in to post a comment.*",
    r"you must (be )?log(ged)? ?in to (post|leave|add|write) a (comment|reply).*",
    r"(want|like) to join the (discussion|conversation)\??",
    r"(comments|discussion) powered by (disqus|facebook|\w+).*",
    r"blog comments powered by .*",
    r"(show|load|view) (\d+ )?(new|more|older|newer) (comments|replies)( \(\d+\))?",
    r"(sort|order) (comments )?by:?.*",
    r"(reply|report( abuse)?|permalink|flag( as inappropriate)?|quote|like|dislike)",
    r"[+-]?\d+( (points?|votes?|likes?|dislikes?))?",
    # Comment-form consent and notification check boxes.
    r"save my name, email,? and website in this browser.*",
    r"notify me of (new |follow-?up )?(comments|posts|replies).*",
    r"i (consent|agree) to .{0,80}\b(data|privacy|terms|stored|storage|processing)\b.*",
    r"by (submitting|posting|using) (this|a|your) (form|comment).{0,80}\b(agree|consent)\b.*",
    r"this site uses akismet to reduce spam.*",
    r"comments? (are|is) closed.*",
    r"(share|tweet|email|print)( this( article| story| post)?)?( on \w+)?:?",
    r"(follow|like) us on .*",
    r"(subscribe|sign up)( now| today)?( to| for) .*",
    r"advertisement",
    r"all rights reserved.*",
    r"(copyright|©) .*",
    r"(cookie|privacy) (policy|settings).*",
    r"(click|tap) here .*",
    r"skip to (main )?content",
    r"(main |top |featured )?(photo|image|picture)s? (source|credit)s?:.*",
]

# Lines that announce another page or credit a picture; only outside reader comments,
# where a reader may well write "see also ..." or "source: ..." in a sentence.
_OUTSIDE_COMMENTS = [
    r"see also\b.*",
    r"(read|learn) more\b.*",
    r"related( articles?| stories| posts?| coverage)?:.*",
    r"go deeper:.*",
    r"more on this( story)?:.*",
    r"watch .{0,40}\blive\b.*",
    r"(main )?(photo|image|picture|video|graphic)( source| credit)?s?:.*",
    r"(photo|image|picture)s? (by|taken|courtesy)\b.*",
    r"(category|categories|tags?|filed under|posted in|via|source|credit|credits):.*",
    r"(by|written by|posted by|reporting by|edited by|editing by) [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}\.?",
    r".*[•|·].*\b\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago\b.*",
    r"(updated|published|posted|last updated)( on| at)? .{0,60}\d.*",
    # Wire-service notes to editors and newsroom contact lines.
    r".*\bclients of the .{0,60}\b(news service|wire)\b.*",
    r".*\bplans to move\b.*\b(news service|wire)\b.*",
    r".*\bto purchase this (material|story|article),? contact\b.*",
    r"(for questions|if you have (any )?questions|for more information),? (please )?(call|contact)\b.*",
    r"\(.*\b(can be reached|you can (call|reach|write to|e-?mail))\b.*",
]

_ANYWHERE_RE = re.compile(r"^\W*(?:" + "|".join(_ANYWHERE) + r")\W*$", re.IGNORECASE)
_OUTSIDE_RE = re.compile(r"^\W*(?:" + "|".join(_OUTSIDE_COMMENTS) + r")$", re.IGNORECASE)

# A credit at the end of a caption: "... Photo: Reuters", "... / EPA / PAP", "(Getty Images)".
_CAPTION_CREDIT_RE = re.compile(
    r"(\b(photo|image|picture)s?(\s+(taken|by|credit|courtesy|source)\b|\s*:)"
    r"|\bgetty images\b|\b(afp|epa|pap|ap|reuters|shutterstock)\s*/"
    r"|/\s*(afp|epa|pap|ap|reuters|getty|bap)\b)",
    re.IGNORECASE,
)
# Captions are short; a long paragraph that mentions a photo is reporting.
CAPTION_MAX_WORDS = 30


def is_furniture(line: str, in_comments: bool = False) -> bool:
    """True if ``line`` is page furniture (navigation, credits, comment-form text)."""
    text = line.strip()
    if not text:
        return False
    if _ANYWHERE_RE.match(text):
        return True
    if in_comments:
        return False
    if _OUTSIDE_RE.match(text) or is_link_line(text):  # a reader's pasted link stays theirs
        return True
    return bool(len(text.split()) <= CAPTION_MAX_WORDS and _CAPTION_CREDIT_RE.search(text))


_NAME_WORD_RE = re.compile(r"^[A-Z][a-zA-Z'’.-]*$")
# Bylines are at most a few words ("Zachary Basu", "H Turner", "By Jane Doe").
BYLINE_MAX_WORDS = 4


def looks_like_byline(line: str) -> bool:
    """A short line made only of capitalised name words, as a byline under a title is."""
    words = line.strip().split()
    if words and words[0].lower() == "by":
        words = words[1:]
    if not 1 < len(words) <= BYLINE_MAX_WORDS:
        return False
    return all(_NAME_WORD_RE.match(w) for w in words)
