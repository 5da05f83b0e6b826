"""One options object per run, built from the command line in one place (``cli.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from storybrief.clean.duplicates import DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Options:
    """What a run may be told; every stage reads the fields it needs from here."""

    #: Estimated Jaccard similarity of reporting text above which a later document is a copy.
    duplicate_threshold: float = DEFAULT_THRESHOLD
    #: Word budget of the summary.
    words: int = 250
    #: A question or topic the summary should lean towards.
    focus: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.duplicate_threshold <= 1:
            raise ValueError("duplicate_threshold must be in (0, 1]")
        if self.words <= 0:
            raise ValueError("words must be a positive number of words")
