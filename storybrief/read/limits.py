"""Size limits and the internal failure type shared by the format readers.

Every reader reports a problem by raising :class:`ReadFailure` with a one-line reason; the
public functions in :mod:`storybrief.read` turn it into a :class:`~storybrief.model.ReadError`
at the edge, so that no format module has to thread error lists through its helpers.
"""

from __future__ import annotations

#: Largest single-document input (a .txt or .html file, a decompressed .gz of one, one JSONL
#: line, one WARC record body) that is read at all. News pages are 20-500 KB of HTML and the
#: biggest real pages we have seen (inline scripts, embedded images as data URIs) stay under
#: 10 MB; 16 MiB leaves room for those, refuses a runaway file before it is read, and stays
#: under trafilatura's own MAX_FILE_SIZE (20 MB), which would otherwise drop a page silently.
MAX_INPUT_BYTES = 16 * 1024 * 1024

#: Longest document text kept after decoding/extraction. A long-form article is ~50k
#: characters and a full book ~1M; anything longer is not a news page and would make the
#: later stages (sentence splitting, similarity) needlessly slow.
MAX_DOCUMENT_CHARS = 2_000_000

#: Most HTML elements (start tags) in a page handed to trafilatura, whose cost grows faster
#: than the page (a 2.3 MB table of 128k elements took 90 s and a 15 MB one 1.6 GB). The
#: largest of the 771 real pages in ../shared/eval (Dragnet with comments, Scrapinghub news)
#: has 10.5k elements, the median 700; twice the largest leaves room for big comment threads
#: and refuses a data dump in well under a second of counting.
MAX_HTML_ELEMENTS = 20_000

#: How many leading bytes are inspected to sniff the format and detect binary content.
SNIFF_BYTES = 64 * 1024

#: Chunk size used when skipping over an over-long line without keeping it in memory.
SKIP_CHUNK_BYTES = 1024 * 1024


class ReadFailure(Exception):
    """A reason, fit for one line of output, why an input (or part of one) was not read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_large(size: int, limit: int, unit: str = "bytes") -> ReadFailure:
    """The failure for an input over a size limit, stating both numbers."""
    return ReadFailure(f"too large: {size:,} {unit} (limit {limit:,} {unit})")
