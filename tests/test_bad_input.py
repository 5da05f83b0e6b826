"""A directory of bad files next to good ones: one clear error per bad file, good files read.

Small bad files are committed under tests/data/bad/; the big or bulky ones (a 100 MB single
line, 100k nested <div>s) are generated here. Nothing may raise.
"""

from __future__ import annotations

import builtins
import gzip
import os
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
    assert len(good) == len(list(INPUTS.iterdir())) + len(list(EXAMPLES.glob("*.txt"))) + 1
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
