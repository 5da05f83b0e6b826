"""Readers on real-looking input: the bundled examples, an HTML page with comments, JSONL, WARC."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storybrief.model import Document, document_id
from storybrief.read import discover, iter_source, read_bytes, read_source

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
HTML_PAGE = INPUTS / "geneva_talks.html"
JSONL = INPUTS / "records.jsonl"
WARC = INPUTS / "ccnews_sample.warc.gz"

RUSSIAN = (
    "Министр иностранных дел России Сергей Лавров провёл телефонный разговор "
    "с госсекретарём США Энтони Блинкеном.\nСтороны договорились продолжить диалог."
)


def assert_offsets_exact(doc: Document) -> None:
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == block.text


# --- discover ---------------------------------------------------------------------------


def test_discover_expands_directories_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git" / "config").write_text("[core]")
    found, errors = discover([str(tmp_path), "-", str(tmp_path / "missing.html")])
    assert found == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt"), "-"]
    assert [(e.source, e.reason) for e in errors] == [
        (str(tmp_path / "missing.html"), "no such file or directory")
    ]


def test_discover_keeps_explicit_files_once() -> None:
    example = str(sorted(EXAMPLES.glob("*.txt"))[0])
    found, errors = discover([example, example])
    assert found == [example]
    assert errors == []


# --- plain text -------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_examples_read_verbatim_as_text(path: Path) -> None:
    docs, errors = read_source(str(path))
    assert errors == []
    [doc] = docs
    assert doc.format == "text"
    assert doc.blocks == []  # the cleaner labels plain text
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.id == document_id(doc.text, str(path))
    assert doc.path == str(path)


def test_machine_translation_example_keeps_its_misspellings() -> None:
    [doc], _ = read_source(str(EXAMPLES / "004_e3dd5379f5f7fb89.txt"))
    assert "Anthony Blingen" in doc.text and "Nate Price" in doc.text


def test_crlf_bom_text_is_normalised() -> None:
    data = "\ufeffBlinken spoke to Lavrov.\r\nThey agreed to talk again.\rEnd.".encode()
    [doc], errors = read_bytes(data, "note.txt")
    assert errors == []
    assert doc.text == "Blinken spoke to Lavrov.\nThey agreed to talk again.\nEnd."


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16", "utf-8"])
def test_russian_text_in_any_encoding(encoding: str) -> None:
    [doc], errors = read_bytes(RUSSIAN.encode(encoding), "ru.txt")
    assert errors == []
    assert doc.text == RUSSIAN


def test_utf16_without_bom_is_text_not_binary() -> None:
    text = "Blinken and Lavrov agreed to meet again in Geneva next week."
    [doc], errors = read_bytes(text.encode("utf-16-le"), "wide.txt")
    assert errors == []
    assert doc.text == text


def test_cp1252_french_is_not_mojibake() -> None:
    text = "Le ministre a déclaré mardi que les négociations continueront à Genève."
    [doc], _ = read_bytes(text.encode("cp1252"), "fr.txt")
    assert doc.text == text


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    data = "Naïve résumé of the Geneva talks: ".encode() + b"\xff\xfe" + b" Lavrov left early."
    [doc], errors = read_bytes(data, "broken.txt")
    assert errors == []
    assert doc.text.startswith("Naïve résumé of the Geneva talks: ")
    assert "\ufffd" in doc.text and doc.text.endswith("Lavrov left early.")


def test_stdin_text_and_unknown_format() -> None:
    [doc], errors = read_source("-", stdin=io.BytesIO(b"Lavrov met Blinken in Geneva."))
    assert errors == [] and doc.path == "-" and doc.format == "text"
    assert read_bytes(b"x", "a.txt", fmt="pdf")[1][0].reason.startswith("unknown format 'pdf'")


def test_gzipped_text() -> None:
    data = gzip.compress(b"Lavrov met Blinken.\nTalks will continue.")
    [doc], errors = read_bytes(data, "wire.txt.gz")
    assert errors == []
    assert (doc.format, doc.text) == ("text", "Lavrov met Blinken.\nTalks will continue.")


# --- HTML -------------------------------------------------------------------------------


def test_html_page_separates_article_from_comments() -> None:
    [doc], errors = read_source(str(HTML_PAGE))
    assert errors == []
    assert doc.format == "html"
    assert doc.title == "Blinken and Lavrov meet in Geneva as fears of invasion grow"
    assert doc.published == "2022-01-21"
    assert doc.author == "Maria Jones"
    assert doc.site == "Daily Ledger"
    assert doc.url == "https://www.dailyledger.example/world/2022/01/21/blinken-lavrov-geneva"
    assert_offsets_exact(doc)
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    labels = [b.label for b in doc.blocks]
    assert labels[0] == "title" and labels.count("title") == 1  # <h1> not repeated
    assert [b.text for b in doc.blocks_labelled("heading")] == ["What Russia wants"]
    comments = [b.text for b in doc.blocks_labelled("comment")]
    # each of the three comments: its "NAME DATE" line (as plain text labels it), its words
    assert comments[0] == "peacenik42 January 21, 2022 at 5:12 pm"
    assert len(comments) == 6 and comments[1].startswith("Talking is always better")
    assert comments[3].startswith('"Mr Lavrov described the talks as open and useful"')
    assert not any(c.startswith("3 thoughts on") for c in comments)  # the section's heading
    body = doc.reporting_text
    assert "This is a critical moment" in body
    assert "Kharkiv" not in body  # a reader's comment is not reporting
    for furniture in ("Subscribe", "Privacy policy", "Share on Facebook", "Related stories"):
        assert furniture not in doc.text


def test_html_fragment_and_meta_charset() -> None:
    html = (
        '<html><head><meta charset="windows-1251"><title>Переговоры</title></head><body>'
        f"<article><p>{RUSSIAN}</p></article></body></html>"
    ).encode("cp1251")
    [doc], errors = read_bytes(html, "ru.html")
    assert errors == []
    assert "Сергей Лавров" in doc.text and "Сторон" in doc.text
    assert_offsets_exact(doc)


def test_html_sniffed_from_content_without_extension() -> None:
    [doc], errors = read_bytes(HTML_PAGE.read_bytes(), "page-without-extension")
    assert errors == []
    assert doc.format == "html" and doc.blocks


# --- JSON Lines -------------------------------------------------------------------------


def test_jsonl_records_text_and_html() -> None:
    docs, errors = read_source(str(JSONL))
    assert errors == []
    wire, tvn, ledger = docs
    assert {d.format for d in docs} == {"jsonl"}
    assert {d.path for d in docs} == {str(JSONL)}
    assert len({d.id for d in docs}) == 3
    assert wire.published == "2022-02-01" and wire.site == "Example Wire"
    assert wire.title == "Blinken, Lavrov agree to keep talking"
    assert wire.blocks == [] and wire.text.startswith("WASHINGTON (Example Wire)")
    assert tvn.published == "2022-02-01"  # RFC 2822 date
    assert "\r" not in tvn.text and "Nate Price" in tvn.text
    assert [b.label for b in ledger.blocks].count("comment") == 6  # 3 comments, 3 name lines
    assert ledger.url == "https://www.dailyledger.example/world/2022/01/21/blinken-lavrov-geneva"
    assert_offsets_exact(ledger)


def test_jsonl_bad_records_name_line_and_others_load() -> None:
    lines = [
        json.dumps({"text": "Blinken spoke with Lavrov on Tuesday.", "url": "https://a.example/1"}),
        "{not json",
        json.dumps({"url": "https://a.example/2", "title": "no body"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "Talks will continue next week, officials said."}),
    ]
    docs, errors = read_bytes("\n".join(lines).encode(), "batch.jsonl")
    assert [d.text for d in docs] == [
        "Blinken spoke with Lavrov on Tuesday.",
        "Talks will continue next week, officials said.",
    ]
    assert [e.source for e in errors] == ["batch.jsonl"] * 4
    reasons = [e.reason for e in errors]
    assert reasons[0].startswith("line 2: not valid JSON")
    assert reasons[1] == "line 3: record has neither a 'text' nor an 'html' field"
    assert reasons[2] == "line 5: not a JSON object but list"
    assert reasons[3] == "line 6: field 'text' is int, not a string"


@pytest.mark.parametrize(
    ("published", "day"),
    [
        # The forms a new user's exports carried, all 10 June 1998; numeric dates month first.
        ("06/10/1998 11:09:00", "1998-06-10"),
        ("June 10, 1998", "1998-06-10"),
        ("10 June 1998", "1998-06-10"),
        ("Wednesday, June 10, 1998 11:09 AM EDT", "1998-06-10"),
        (897476940, "1998-06-10"),  # epoch seconds as a JSON number
        ("897476940", "1998-06-10"),  # ... and as digits
        (897476940000, "1998-06-10"),  # epoch milliseconds
        ("19980610", "1998-06-10"),  # ISO 8601 basic
        ("10.06.1998", "1998-06-10"),  # dotted: day first
        ("25/12/1998", "1998-12-25"),  # a first number over 12 can only be the day
        ("10 juin 1998", "1998-06-10"),
        ("1998-06-10T11:09:00Z", "1998-06-10"),
        ("Wed, 10 Jun 1998 11:09:00 GMT", "1998-06-10"),
    ],
)
def test_jsonl_published_in_common_formats(published: object, day: str) -> None:
    record = {"text": "Israeli warplanes struck targets in southern Lebanon.", "published": published}
    docs, errors = read_bytes(json.dumps(record).encode(), "export.jsonl")
    assert errors == [] and docs[0].warnings == []
    assert docs[0].published == day


def test_jsonl_date_alias_and_unreadable_dates_warn_per_record() -> None:
    lines = [
        {"text": "The talks resumed in Geneva on Monday.", "date": "June 10, 1998"},
        {"text": "The talks resumed in Geneva yesterday.", "published": "yesterday"},
        {"text": "The talks resumed in Geneva that month.", "published": "June 1998"},
        {"text": "The talks resumed in Geneva that year.", "published_at": 1998},
        {"text": "The talks resumed in Geneva with no date given."},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    docs, errors = read_bytes(data, "export.jsonl")
    assert errors == []  # every record is read; a date that cannot be read is not an error
    assert [d.published for d in docs] == ["1998-06-10", None, None, None, None]
    warnings = [str(w) for d in docs for w in d.warnings]
    assert len(warnings) == 3
    assert warnings[0].startswith("export.jsonl: line 2: 'published' 'yesterday' is not a date")
    assert warnings[1].startswith("export.jsonl: line 3: 'published' 'June 1998' is not a date")
    assert warnings[2].startswith("export.jsonl: line 4: 'published_at' 1998 is a number")
    assert all(w.endswith("the record is undated") for w in warnings)


def test_jsonl_gz_and_stdin_sniffing() -> None:
    packed = gzip.compress(JSONL.read_bytes())
    docs_gz, errors_gz = read_bytes(packed, "records.jsonl.gz")
    docs_in, errors_in = read_source("-", stdin=io.BytesIO(packed))
    assert errors_gz == errors_in == []
    assert [d.url for d in docs_gz] == [d.url for d in docs_in] and len(docs_gz) == 3


def test_jsonl_is_streamed_not_held_in_memory(tmp_path: Path) -> None:
    """A 24 MB JSONL file (240 real articles of ~100 KB) read one record at a time: memory
    stays at a few records, the ids and order are those ``read_source`` gives."""
    article = (EXAMPLES / "004_e3dd5379f5f7fb89.txt").read_text(encoding="utf-8")
    body = (article + "\n\n") * (100_000 // len(article) + 1)
    big = tmp_path / "crawl.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for n in range(240):
            out.write(json.dumps({"url": f"https://a.example/{n}", "text": f"{n}\n{body}"}) + "\n")
    assert big.stat().st_size > 24_000_000
    ids = []
    tracemalloc.start()
    try:
        for item in iter_source(str(big)):
            assert isinstance(item, Document)
            ids.append(item.id)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(ids) == 240 and peak < 4_000_000  # ~10 records' worth, not the 24 MB file
    assert ids == [d.id for d in read_source(str(big))[0]]


# --- WARC -------------------------------------------------------------------------------


def test_warc_reads_html_responses_only() -> None:
    docs, errors = read_source(str(WARC))
    assert errors == []
    english, russian = docs  # request, redirect and image records are skipped
    assert {d.format for d in docs} == {"warc"}
    assert english.url == "https://www.dailyledger.example/world/2022/01/21/blinken-lavrov-geneva"
    assert english.published == "2022-01-21"  # the page's own date beats the crawl date
    assert len(english.blocks_labelled("comment")) == 6  # 3 comments, 3 name lines
    assert russian.url == "https://novosti.example.ru/world/lavrov-blinken"
    assert russian.published == "2022-01-23"  # WARC-Date as the fallback
    assert "Сергей Лавров" in russian.text  # windows-1251 from the HTTP header
    # the same page read from a file and from the archive gets the same id
    [from_file], _ = read_source(str(HTML_PAGE))
    assert english.id == from_file.id and english.text == from_file.text


def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_truncated_keeps_records_before_the_damage() -> None:
    page = HTML_PAGE.read_bytes()
    data = _warc([(f"https://news.example/{i}", page) for i in range(3)])
    docs, errors = read_bytes(data[: len(data) - 700], "cc-news.warc.gz")
    assert [d.url for d in docs] == ["https://news.example/0", "https://news.example/1"]
    [error] = errors
    assert "https://news.example/2" in error.reason and "truncated" in error.reason


def test_uncompressed_warc_sniffed_from_stdin() -> None:
    data = gzip.decompress(_warc([("https://news.example/x", HTML_PAGE.read_bytes())]))
    docs, errors = read_source("-", stdin=io.BytesIO(data))
    assert errors == []
    assert [d.url for d in docs] == ["https://news.example/x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", "\n\r", "\u2028", "\u2029", "\x00", "a", "é"])))
def test_newlines_normalised_as_the_expression_says(pieces: list[str]) -> None:
    from storybrief.read.decode import _NEWLINES, normalise_newlines

    text = "".join(pieces)
    assert normalise_newlines(text) == _NEWLINES.sub("\n", text).replace("\x00", "")
