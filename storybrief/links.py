"""Web addresses in text, written plainly or tokenised.

Some corpora come tokenised, with a space around every punctuation mark, so an address reads
``http: / / www. pcmag. com / article2 / 0 , 2817 , 2395813 , 00. asp``; its dots and
slashes still mark it. An address is never a headline, a summary sentence or a fact: the
cleaner labels a line that is one as furniture (``clean.furniture``), and the summary, the
listed facts and the labels skip any text that holds one.
"""

from __future__ import annotations

import re

__all__ = ["has_link", "is_link_line"]

#: ``http://``, ``https://`` or ``www.``, each with optional spaces around the marks.
_LINK = re.compile(r"\bhttps?\s?:\s?/\s?/|\bwww\s?\.", re.IGNORECASE)
#: A line that opens with an address (after any bullet or bracket).
_LINK_OPENING = re.compile(r"^[^\w]*(?:https?\s?:\s?/\s?/|www\s?\.\s?[a-z0-9-]+\s?\.)", re.I)
#: How a line of prose ends: a sentence mark, then any closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")


def has_link(text: str) -> bool:
    """Whether ``text`` holds a web address (plain or tokenised)."""
    return _LINK.search(text) is not None


def is_link_line(line: str) -> bool:
    """A line that is an address (or several), not prose: it opens with one and does not end
    as a sentence does ("http: / / www. tmonews. com / 2013 / 04 / t - mobile - … /")."""
    text = line.strip()
    return bool(_LINK_OPENING.match(text)) and not _SENTENCE_END.search(text)
