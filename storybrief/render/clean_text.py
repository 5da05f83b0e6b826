"""Plain-text view of cleaned documents: what the cleaner decided, line by line."""

from __future__ import annotations

from collections.abc import Iterable

from storybrief.model import Document, ReadError

_LABEL_WIDTH = 11


def _safe(text: str) -> str:
    """Document text is data: keep control characters from driving the user's terminal."""
    return "".join(
        ch if ch.isprintable() or ch == "\t" else "\N{REPLACEMENT CHARACTER}" for ch in text
    )


def render_clean_text(documents: Iterable[Document], errors: Iterable[ReadError] = ()) -> str:
    out: list[str] = []
    for doc in documents:
        out.append(f"== {_safe(doc.path or doc.url or doc.id)} [{doc.id}]")
        for name in ("url", "title", "published", "author", "site", "language", "format"):
            value = getattr(doc, name)
            if value:
                out.append(f"   {name}: {_safe(str(value))}")
        if doc.duplicate_of:
            out.append(
                f"   duplicate_of: {doc.duplicate_of} (similarity {doc.duplicate_similarity:.2f})"
            )
        for block in doc.blocks:
            out.append(f"{block.label:<{_LABEL_WIDTH}} {_safe(block.text)}")
            if block.quotes_span:
                start, end = block.quotes_span
                out.append(
                    f"{'':<{_LABEL_WIDTH}} ^ quotes the article: {_safe(doc.text[start:end])!r}"
                )
        out.append("")
    for error in errors:
        out.append(f"error: {_safe(str(error))}")
    return "\n".join(out).rstrip("\n") + "\n"
