"""Imported by the server that forks local worker processes (``scale.pool``), once, before it
forks them: the modules and models a task needs, loaded there and shared by every worker.

Loaded cold, each worker took about 1.5 s of CPU before its first page was done (datasketch,
which imports SciPy, 0.7 s; the language model, 0.5 s; trafilatura, lxml and the regular
expressions of the first page). Preparing a small page here loads all of it once. Warming is
only a saving: if it fails, workers load what they need as they go.
"""

from __future__ import annotations

import contextlib
import signal

_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Talks in Geneva end without a deal - Example News</title>
<meta property="article:published_time" content="2022-01-10"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks in Geneva end without a deal</h1>
<p>GENEVA, Jan. 10 (Example) - Diplomats from the United States and Russia met for eight hours
in Geneva on Monday, and both sides said they would meet again next week.</p>
<p>"We had a frank and forthright discussion," Deputy Secretary of State Wendy Sherman told
reporters after the meeting, adding that no agreement was reached on Monday.</p>
<p>Deputy Foreign Minister Sergei Ryabkov said Moscow needed guarantees by the end of the
month, and that 100,000 troops near the border were no threat to anyone.</p></article>
<section id="comments"><h2>3 comments</h2>
<div class="comment"><p>Posted by reader at 10:42 am</p><p>Nothing will come of it.</p></div>
</section><footer>Copyright 2022 Example News. All rights reserved.</footer></body></html>
"""


def _warm() -> None:
    from storybrief.clean.language import detect_language
    from storybrief.read import read_bytes
    from storybrief.scale.tasks import prepare_task, story_results  # noqa: F401
    from storybrief.store.prepare import prepare_document

    docs, _ = read_bytes(_PAGE, "warm.html", "html")
    for doc in docs:
        prepare_document(doc)
    detect_language("Die Gespräche in Genf endeten ohne eine Einigung über die Sicherheit.")


# The fork server ignores Ctrl-C only after its preload: a Ctrl-C while it warms (the writer
# handles it) must not print a traceback from here.
_handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    with contextlib.suppress(Exception):  # a saving only: never stop the workers from starting
        _warm()
finally:
    signal.signal(signal.SIGINT, _handler)
