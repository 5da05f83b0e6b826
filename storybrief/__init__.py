"""storybrief: turn raw news pages about a story into a cited brief."""

import logging

from storybrief.model import Block, Document, ReadError, Sentence

__all__ = ["Block", "Document", "ReadError", "Sentence", "__version__"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
