"""A directory of bad files next to good ones: one clear error per bad file, good files read.

Small bad files are committed under tests/data/bad/; the big or bulky ones (a 100 MB single
line, 100k nested <div>s) are generated here. Nothing may raise.
"""

from __future__ import annotations

import builtins
import gzip
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from storybrief.model import Document, ReadError
from storybrief.read import MAX_DOCUMENT_CHARS, MAX_INPUT_BYTES, discover, read_source

HERE = Path(__file__).resolve().parent
BAD = HERE / "data" / "bad"
INPUTS = HERE / "data" / "inputs"
EXAMPLES = HERE.parent / "examples"

HUNDRED_MB = 100 * 1024 * 1024

#: Bad file -> (words its one error must contain, documents still recovered from it).
EXPECTED: dict[str, tuple[str, int]] = {
    "empty.txt": ("empty file", 0),
    "photo.png": ("binary content, not text", 0),
    "program": ("binary content, not text", 0),
    "nul_heavy.txt": ("binary content, not text", 0),
    "truncated.txt.gz": ("truncated or corrupt gzip", 0),
    "truncated.warc.gz": ("truncated record", 1),  # the record before the damage is kept
    "not_a_warc.warc": ("not a WARC archive", 0),
    "one_bad_record.jsonl": ("line 2: not valid JSON", 1),  # the good record still loads
    "huge_line.txt": (f"too large: {HUNDRED_MB:,} bytes (limit {MAX_INPUT_BYTES:,} bytes)", 0),
    "huge_line.jsonl": ("line 1: too large", 0),
    "deep_nesting.html": ("too large: 100,003 HTML elements", 0),
    "empty_text.jsonl": ("line 1: record's 'text' is empty", 0),
    "book_length.txt": (f"characters (limit {MAX_DOCUMENT_CHARS:,} characters)", 0),
}


def _sparse(path: Path, start: bytes, size: int) -> None:
    """A file of ``size`` bytes written in no time: ``start`` then a hole (read as NULs)."""
    with open(path, "wb") as handle:
        handle.write(start)
        handle.truncate(size)


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A crawl directory: every bad file, plus good files in each format."""
    for path in BAD.iterdir():
        shutil.copy(path, tmp_path / path.name)
    _sparse(tmp_path / "huge_line.txt", b"Blinken " * 100, HUNDRED_MB)
    _sparse(tmp_path / "huge_line.jsonl", b'{"text": "' + b"Lavrov " * 100, HUNDRED_MB)
    depth = 100_000
    (tmp_path / "deep_nesting.html").write_text(
        "<html><body>"
        + "<div>" * depth
        + "<p>Lavrov spoke.</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    # under the byte limit, over the character limit
    sentence = "Lavrov and Blinken agreed to keep talking about Ukraine.\n"
    (tmp_path / "book_length.txt").write_text(sentence * (MAX_DOCUMENT_CHARS // len(sentence) + 1))
    good = tmp_path / "good"
    good.mkdir()
    for path in [*INPUTS.iterdir(), *EXAMPLES.glob("*.txt")]:
        shutil.copy(path, good / path.name)
    (good / "latin1_bad_utf8.txt").write_bytes(
        "Café talks in Genève: ".encode() + b"\xe9\xff" + b" Blinken and Lavrov met.\n"
    )
    return tmp_path


def _read_all(sources: list[str]) -> dict[str, tuple[list[Document], list[ReadError]]]:
    return {Path(source).name: read_source(source) for source in sources}


def test_bad_files_give_one_clear_error_each_and_good_files_read(crawl: Path) -> None:
    sources, discover_errors = discover([str(crawl)])
    assert discover_errors == []
    results = _read_all(sources)
    assert set(EXPECTED) <= set(results)
    for name, (reason, recovered) in EXPECTED.items():
        docs, errors = results[name]
        assert len(errors) == 1, (name, errors)
        [error] = errors
        assert Path(error.source).name == name
        assert reason in error.reason, (name, error.reason)
        assert "\n" not in error.reason
        assert len(docs) == recovered, name
    good = {name: result for name, result in results.items() if name not in EXPECTED}
    assert len(good) == len(list(INPUTS.iterdir())) + len(list(EXAMPLES.glob("*.txt"))) + 1 + len(
        READ_FINE
    )
    for name, (docs, errors) in good.items():
        assert errors == [], name
        assert docs and all(doc.text.strip() for doc in docs), name
    assert "Blinken and Lavrov met." in good["latin1_bad_utf8.txt"][0][0].text


def test_huge_file_is_refused_without_reading_it(
    crawl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked with fstat: at most the sniffed head is read from a 100 MB file."""
    real_open = builtins.open
    read_total = 0

    class Counting:
        def __init__(self, handle: Any) -> None:
            self._handle = handle

        def read(self, size: int = -1) -> bytes:
            nonlocal read_total
            data: bytes = self._handle.read(size)
            read_total += len(data)
            return data

        def __getattr__(self, name: str) -> Any:
            return getattr(self._handle, name)

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

    def counting_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return Counting(real_open(file, mode, *args, **kwargs))

    monkeypatch.setattr("storybrief.read.open", counting_open, raising=False)
    docs, [error] = read_source(str(crawl / "huge_line.txt"))
    assert docs == [] and "too large" in error.reason
    assert read_total <= 64 * 1024


def test_directory_given_as_a_file(tmp_path: Path) -> None:
    docs, [error] = read_source(str(tmp_path))
    assert docs == [] and error.reason == "is a directory, expected a file"


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, since root can read a chmod 000 file."""
    locked = tmp_path / "locked.txt"
    locked.write_text("Lavrov and Blinken met in Geneva.")
    real_open = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("storybrief.read.open", deny, raising=False)
    assert read_source(str(locked)) == ([], [ReadError(str(locked), "permission denied")])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads chmod 000 files")
def test_chmod_000_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Lavrov and Blinken met in Geneva.")
    locked.chmod(0)
    try:
        assert read_source(str(locked)) == ([], [ReadError(str(locked), "permission denied")])
    finally:
        locked.chmod(0o644)


def test_broken_symlink_and_missing_path(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "never-existed.txt")
    found, errors = discover([str(link), str(tmp_path / "nope")])
    assert found == [str(link)]
    assert errors == [ReadError(str(tmp_path / "nope"), "no such file or directory")]
    assert read_source(str(link)) == ([], [ReadError(str(link), "no such file or directory")])


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    """A small .gz that inflates past the limit is stopped at the limit, not inflated fully."""
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as handle:
        chunk = b"Lavrov " * (1024 * 1024 // 7)
        for _ in range((MAX_INPUT_BYTES // len(chunk)) + 2):
            handle.write(chunk)
    assert bomb.stat().st_size < MAX_INPUT_BYTES // 100
    docs, [error] = read_source(str(bomb))
    assert docs == [] and "too large" in error.reason and "decompressed" in error.reason


# --- issue 10: the cases a new user hit in the first hour, each through the command line ---

#: Files of tests/data/bad/ that read fine: each once broke the run (issue 10).
READ_FINE = {
    "quote_url.txt": 1,  # case 1: StopIteration in analyze/quotes.py
    "reddit_thread.html": 1,  # case 1, as an HTML thread page
    "whole_file_gzip.warc.gz": 3,  # case 2: one gzip member for the whole archive
    "cp1252_short.txt": 1,  # case 8: short cp1252 text
}


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from storybrief.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["quote_url.txt", "reddit_thread.html"])
def test_case1_quote_before_a_url_does_not_kill_the_brief(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quote followed by a URL holding a cue word ("how-we-said-it") crashed the quote
    extractor; now the page is briefed and so is the rest of the folder."""
    shutil.copy(BAD / name, tmp_path / name)
    shutil.copy(EXAMPLES / "000_14b6d52274cd5d96.txt", tmp_path / "good.txt")
    code, out, err = _cli(capsys, "brief", str(tmp_path), "--format", "json", "-q")
    assert code == 0, err
    assert "Traceback" not in err
    data = json.loads(out)
    assert len(data["documents"]) == 2 and data["errors"] == []
    assert data["summary"]


def test_case1_cue_word_inside_a_compound_is_not_a_cue() -> None:
    from storybrief.analyze.quotes import extract_quotes

    text = 'The mayor spoke on Monday.\n"We are done," http://example.com/how-we-said-it\n'
    assert [q.speaker for q in extract_quotes(text, "d")] in ([], [None])
    said = 'Residents were angry.\n"We are done," the mayor said on Monday.\n'
    [quote] = extract_quotes(said, "d")
    assert quote.text == "We are done," or quote.text.startswith("We are done")


def test_case2_whole_file_gzipped_warc_reads_every_record(tmp_path: Path) -> None:
    docs, errors = read_source(str(BAD / "whole_file_gzip.warc.gz"))
    assert errors == []
    assert [d.url for d in docs] == [
        "https://news.example.com/budget-passed",
        "https://news.example.com/schools",
        "https://news.example.com/roads",
    ]
    # truncated: the records before the damage are kept, the reason is whole words
    data = (BAD / "whole_file_gzip.warc.gz").read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    docs, [error] = read_source(str(cut))
    assert 1 <= len(docs) <= 2
    assert "corrupt WARC data after" in error.reason or "truncated" in error.reason


def test_case3_non_utf8_file_name_gives_valid_utf8_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    try:
        (tmp_path / name).write_bytes((BAD / "quote_url.txt").read_bytes())
    except (UnicodeEncodeError, OSError):
        pytest.skip("file system refuses non-UTF-8 names")
    for fmt in ("json", "html", "md"):
        target = tmp_path / f"out.{fmt}"
        code, _, err = _cli(capsys, "brief", str(tmp_path / name), "--format", fmt, "-o", str(target), "-q")
        assert code == 0, err
        text = target.read_bytes().decode("utf-8")  # valid UTF-8, not a 0-byte file
        if fmt == "json":
            assert json.loads(text)["documents"][0]["path"].endswith("caf\\xe9.txt")
        else:  # the backslash may itself be escaped (Markdown)
            assert re.search(r"caf\\{1,2}xe9\.txt", text), fmt
    # to stdout, in a C locale: still valid UTF-8
    proc = _run_module("brief", str(tmp_path / name), "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout.decode("utf-8"))["documents"][0]["path"].endswith("caf\\xe9.txt")
    # an error about such a file is valid UTF-8 too
    missing = os.fsdecode(b"gon\xe9.txt")
    code, out, err = _cli(capsys, "clean", str(tmp_path / missing))
    assert code == 3 and out == ""
    assert "gon\\xe9.txt: no such file or directory" in err
    err.encode("utf-8")


def _run_module(*argv: str) -> Any:
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "storybrief", *argv, "-q"],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": ""},
    )


@pytest.mark.parametrize("where", ["missing-dir/out.json", "."])
def test_case4_bad_output_path_is_refused_before_the_work(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the inputs were read before the output path was checked")

    monkeypatch.setattr("storybrief.pipeline.brief", no_work)
    target = str(tmp_path / where)
    code, out, err = _cli(capsys, "brief", str(EXAMPLES), "-o", target)
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("storybrief: error: cannot write output ")
    assert ("no such directory" in line) if "missing" in where else ("is a directory" in line)


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("empty", "empty directory, nothing to read"),
        ("hidden", "directory has no file to read (skipped: 2 hidden entries)"),
    ],
)
def test_case5_empty_or_hidden_only_directory_says_why(
    setup: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    if setup == "hidden":
        (folder / ".DS_Store").write_bytes(b"x")
        (folder / ".cache").mkdir()
        (folder / ".cache" / "page.txt").write_text("The mayor spoke.")
    for command in ("brief", "clean"):
        code, out, err = _cli(capsys, command, str(folder), "--format", "json")
        assert code == 3
        assert out == ""  # no empty brief
        assert f"storybrief: error: {folder}: {reason}" in err
        assert "nothing could be read" in err


def test_case5_nothing_readable_writes_no_empty_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "brief.html"
    code, out, err = _cli(capsys, "brief", str(BAD / "empty.txt"), "--format", "html", "-o", str(target))
    assert code == 3 and out == "" and not target.exists()
    assert "empty.txt: empty file" in err


def test_case5_symlinked_directories_are_followed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    for path in EXAMPLES.glob("00[01]*.txt"):
        shutil.copy(path, real / path.name)
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "linked").symlink_to(real, target_is_directory=True)
    (real / "loop").symlink_to(real, target_is_directory=True)  # a loop back to itself
    found, errors = discover([str(crawl)])
    assert errors == []
    assert sorted(Path(p).name for p in found) == sorted(p.name for p in real.glob("*.txt"))
    code, out, err = _cli(capsys, "clean", str(crawl), "--format", "json", "-q")
    assert code == 0, err
    assert len(json.loads(out)["documents"]) == 2


def _table(rows: int) -> str:
    cells = "".join(
        f"<tr><td>Row {i}</td><td>value {i * 7}</td><td>district {i % 40}</td></tr>"
        for i in range(rows)
    )
    return f"<html><body><p>The city published these figures on Monday.</p><table>{cells}</table></body></html>"


@pytest.mark.parametrize("megabytes", [2.3, 15])
def test_case6_huge_html_table_is_refused_before_parsing(megabytes: float, tmp_path: Path) -> None:
    import time

    from storybrief.read.limits import MAX_HTML_ELEMENTS

    html = _table(int(megabytes * 1_000_000 / 70))
    assert len(html) >= megabytes * 1_000_000 * 0.95
    path = tmp_path / "table.html"
    path.write_text(html)
    started = time.perf_counter()
    docs, [error] = read_source(str(path))
    assert time.perf_counter() - started < 5  # was 90 s (2.3 MB) and 99 s (15 MB)
    assert docs == []
    assert error.reason.startswith("too large: ")
    assert f"(limit {MAX_HTML_ELEMENTS:,} HTML elements)" in error.reason


def test_case6_big_but_real_sized_page_is_still_read() -> None:
    docs, errors = read_source_bytes(_table(3000))
    assert errors == [] and "Row 2999" in docs[0].text


def read_source_bytes(html: str) -> tuple[list[Document], list[ReadError]]:
    from storybrief.read import read_bytes

    return read_bytes(html.encode(), "table.html")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("\u201cthis is a good day\u201d \u00a2\n", "cp1252"),
        ("The caf\u00e9 on Main Street \u2013 open on Sunday.\n", "cp1252"),
        ("Zaż\u00f3łć gęślą jaźń, powiedział minister.\n", "cp1250"),
        ("Министр сказал в среду, что переговоры продолжатся.\n", "cp1251"),
    ],
)
def test_case8_short_legacy_texts_decode_right(text: str, encoding: str) -> None:
    from storybrief.read.decode import decode_bytes

    assert decode_bytes(text.encode(encoding)) == text


def test_case8_committed_cp1252_file() -> None:
    [doc], [] = read_source(str(BAD / "cp1252_short.txt"))
    assert doc.text.strip() == "\u201cthis is a good day\u201d \u00a2"


def test_case9_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = str(BAD / "quote_url.txt")
    code, out, err = _cli(capsys, "brief", one, "-q")
    assert code == 0
    assert "*1 document, 1 event ·" in out
    code, out, err = _cli(capsys, "brief", one, "-q", "--format", "html")
    assert "1 document · 1 event" in out and "1 documents" not in out
    code, out, err = _cli(capsys, "brief", one, "-q", "--words", "1")
    assert code == 0
    assert "no reporting sentences were found" not in out
    assert "fits within the word budget" in out
    assert "--words 1 is shorter than any sentence" in err
    code, out, err = _cli(capsys, "brief", one, "-q", "--focus", "zebra migration")
    assert code == 0 and out
    assert "warning: --focus 'zebra migration' matches nothing" in err
    code, _, err = _cli(capsys, "brief", one, "-q", "--focus", "the budget")
    assert "warning" not in err


def test_case9_empty_text_field_in_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    docs, [error] = read_source(str(BAD / "empty_text.jsonl"))
    assert docs == [] and error.reason == "line 1: record's 'text' is empty"
