"""The command line as a user runs it: output formats, errors and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storybrief.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_clean_json_lists_every_example_with_labelled_blocks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "clean", str(EXAMPLES), "--format", "json", "-q")
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert set(data) == {"storybrief", "documents", "errors", "warnings"}
    assert data["errors"] == [] and data["warnings"] == []
    assert len(data["documents"]) == 5
    for doc in data["documents"]:
        assert doc["path"].endswith(".txt") and doc["format"] == "text"
        assert doc["language"] == "en"
        labels = {b["label"] for b in doc["blocks"]}
        assert "body" in labels and labels <= {"title", "heading", "body", "comment", "boilerplate"}
        for block in doc["blocks"]:
            assert set(block) == {"start", "end", "text", "label", "quotes_span", "confidence"}


def test_clean_text_output_shows_labels(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "clean", str(EXAMPLES / "002_aa70204ed8885158.txt"))
    assert code == EXIT_OK
    assert out.startswith("== ")
    assert "\ntitle       U.S. will give Russians written response" in out
    assert "\nboilerplate Category: News & Politics" in out
    assert "\ncomment     Clean up in aisle 4!" in out


def test_partial_failure_reports_each_error_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text((EXAMPLES / "003_06a713c4930c40d3.txt").read_text("utf-8"))
    code, out, err = run(
        capsys, "clean", str(tmp_path), str(tmp_path / "missing.txt"), "--format", "json"
    )
    assert code == EXIT_PARTIAL
    data = json.loads(out)
    assert [Path(d["path"]).name for d in data["documents"]] == ["good.txt"]
    reasons = {Path(e["source"]).name: e["reason"] for e in data["errors"]}
    assert reasons == {"empty.txt": "empty file", "missing.txt": "no such file or directory"}
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("storybrief: error: ") for line in lines)


def test_nothing_readable_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blank.txt").write_bytes(b"")
    code, _, err = run(capsys, "clean", str(tmp_path / "blank.txt"))
    assert code == EXIT_NOTHING
    assert "blank.txt: empty file" in err


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["clean", str(EXAMPLES), "--duplicate-threshold", "7"])
    assert exc.value.code == 2
    assert "duplicate_threshold" in capsys.readouterr().err


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(
        capsys,
        "clean",
        str(EXAMPLES / "000_14b6d52274cd5d96.txt"),
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert code == EXIT_OK and out == ""
    assert json.loads(target.read_text("utf-8"))["documents"][0]["blocks"][0]["label"] == "body"


def test_module_entry_point_reads_stdin() -> None:
    text = (EXAMPLES / "004_e3dd5379f5f7fb89.txt").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "storybrief", "clean", "-", "--format", "json"],
        input=text,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == EXIT_OK, proc.stderr.decode()
    assert proc.stderr == b""  # no progress bar when stderr is not a terminal
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["path"] == "-"
    assert doc["title"].startswith("Russia’s conflict with Ukraine")


def test_control_characters_in_documents_do_not_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "evil.txt").write_text(
        "Officials said the talks went well.\x1b[2J and more text here.\n"
    )
    code, out, _ = run(capsys, "clean", str(tmp_path / "evil.txt"))
    assert code == EXIT_OK
    assert "\x1b" not in out


def test_stdin_stream_is_used(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = io.TextIOWrapper(
        io.BytesIO(b"A minister said on Monday the talks would go on.\n")
    )
    monkeypatch.setattr(sys, "stdin", fake)
    code, out, _ = run(capsys, "clean", "-", "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out)["documents"][0]["blocks"][0]["text"].startswith("A minister said")


def test_bad_files_directory_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    bad = Path(__file__).parent / "data" / "bad"
    code, out, err = run(capsys, "clean", str(bad), str(EXAMPLES), "--format", "json", "-q")
    assert code == EXIT_PARTIAL
    data = json.loads(out)
    from test_bad_input import READ_FINE

    bad_files = sorted(p.name for p in bad.iterdir() if p.name not in READ_FINE)
    assert sorted(Path(e["source"]).name for e in data["errors"]) == bad_files
    assert len(err.strip().splitlines()) == len(bad_files)
    # every example, the good record of the JSONL file, the intact WARC record, and the
    # files that read fine (one broke the run each, issue 10)
    expected = len(list(EXAMPLES.glob("*.txt"))) + 2 + sum(READ_FINE.values())
    assert len(data["documents"]) == expected


def test_a_date_that_cannot_be_read_is_a_warning_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = (EXAMPLES / "003_06a713c4930c40d3.txt").read_text("utf-8")
    records = [
        {"text": example, "url": "https://a.example/1", "published": "06/10/1998 11:09:00"},
        {"text": example.replace("Zelensky", "Zelenskyy"), "published": "3 days ago"},
    ]
    pile = tmp_path / "pile.jsonl"
    pile.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    for command in ("brief", "clean"):
        code, out, err = run(capsys, command, str(pile), "--format", "json", "-q")
        assert code == EXIT_OK, err
        data = json.loads(out)
        assert data["errors"] == []
        reason = "line 2: 'published' '3 days ago' is not a date"
        assert [w["source"] for w in data["warnings"]] == [str(pile)]
        assert data["warnings"][0]["reason"].startswith(reason)
        assert f"storybrief: warning: {pile}: {reason}" in err
        assert [d["published"] for d in data["documents"]] == ["1998-06-10", None]


def test_brief_does_not_depend_on_the_hash_seed() -> None:
    """Every process must give the same brief (a Dask worker's against the in-process one):
    nothing may follow the order of a set of strings, which changes with the hash seed."""
    briefs = []
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "storybrief", "brief", str(EXAMPLES), "--format", "json"],
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == EXIT_OK, proc.stderr.decode()
        briefs.append(json.loads(proc.stdout))
    assert briefs[0]["summary"] and briefs[0] == briefs[1]


def test_near_tied_summary_sentences_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two AP digests (DUC 2007 main, topic D0740I) hold near-tied sentences ("Japanese stocks
    plunged Thursday…" / "…edged higher Thursday…"): summed in a set's order, their gains
    differed in the last bit between processes and the brief's summary with them."""
    from eval_data import eval_rows

    wanted = {"APW19990317.0174", "APW19990317.0382"}
    docs = [d for row in eval_rows("summarization/duc2007-main.jsonl.gz") for d in row["docs"]]
    pile = tmp_path / "digests.jsonl"
    with open(pile, "w", encoding="utf-8") as out:
        for doc in docs:
            if doc["id"] in wanted:
                record = {"title": doc["title"], "text": doc["text"], "published": doc["date"][:10]}
                out.write(json.dumps(record) + "\n")
    summaries = []
    for seed in ("0", "1", "4"):  # seeds 0 and 1 chose differently before the fix
        proc = subprocess.run(
            [sys.executable, "-m", "storybrief", "brief", str(pile), "--format", "json", "-q"],
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == EXIT_OK, proc.stderr.decode()
        summaries.append([s["text"] for s in json.loads(proc.stdout)["summary"]])
    assert summaries[0] and summaries[0] == summaries[1] == summaries[2]
