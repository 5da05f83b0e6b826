"""Ingest on local worker processes (``scale.pool``, the CLI's default on several cores): the
store equals the in-process ingest's; workers run below the writer; small inputs stay in this
process; a worker that dies stops the ingest with a clear error, and a rerun completes it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from parallel_support import RECORDS, ROOT, snapshot

from storybrief.cli import main
from storybrief.scale import WorkerDied, ingest_parallel, process_pool
from storybrief.scale.cluster import LOCAL_WORKER_NICENESS
from storybrief.scale.pool import START_METHOD
from storybrief.store import open_writer
from storybrief.store.write import IngestResult, ingest


def test_store_on_local_workers_equals_in_process_ingest(
    parallel_inputs: list[str], in_process: tuple[str, IngestResult], tmp_path: Path
) -> None:
    steps: list[tuple[str, int, str]] = []
    path = str(tmp_path / "pool.db")
    with process_pool(2, min_work=0) as runner, open_writer(path) as store:
        result = ingest_parallel(
            store,
            parallel_inputs,
            runner,
            records_per_task=RECORDS,
            progress=lambda *s: steps.append(s),
        )
        assert runner.started
        pids = set(runner.ordered_map(os.getpid, [()] * 8, 8))
    reference_path, reference = in_process
    assert result.to_dict() == reference.to_dict()
    assert reference.added > 24 and len(reference.stories_new) > 3
    assert any(e.reason.startswith("line 18: not valid JSON") for e in result.errors)
    assert snapshot(path) == snapshot(reference_path)
    assert os.getpid() not in pids
    tasks = [s for s in steps if s[2] == "tasks"]
    assert tasks[-1][:2] == (f"{len(tasks)}/{len(tasks)}", len(tasks)) and len(tasks) > 15
    assert any(s[2] == "briefs" for s in steps)


def test_workers_run_below_the_writer() -> None:
    """The writer (this process) is the serial path: workers must not starve it."""
    with process_pool(2, min_work=0) as runner:
        niceness = list(runner.ordered_map(os.nice, [(0,)] * 4, 4))
    assert all(n >= os.nice(0) + LOCAL_WORKER_NICENESS for n in niceness)


def _forks_for_a_large_brief() -> bool:
    """Whether a brief of 9,000 words of reporting would fork this process (``brief._start``)."""
    from storybrief.brief import _is_large

    return _is_large([("a", "word " * 9000)])


def test_a_worker_builds_a_large_brief_without_forking_again() -> None:
    # Every core runs a worker already: a third process per large brief would only compete.
    with process_pool(2, min_work=0) as runner:
        assert list(runner.ordered_map(_forks_for_a_large_brief, [()] * 2, 2)) == [False, False]
    assert _forks_for_a_large_brief()


def test_little_work_and_whole_large_inputs_stay_in_this_process(
    parallel_inputs: list[str],
    in_process: tuple[str, IngestResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few documents: starting workers costs more than it saves. A task read whole (standard
    input, a gzipped JSONL) would hold all its documents in one worker: this process streams."""
    with process_pool(2) as runner, open_writer(str(tmp_path / "few.db")) as store:
        few = ingest_parallel(store, [str(ROOT / "examples")], runner)
        assert not runner.started and few.added == 5
    monkeypatch.setattr("storybrief.scale.pool.MAX_WHOLE_TASK_BYTES", 100)
    path = str(tmp_path / "whole.db")
    with process_pool(2, min_work=0) as runner, open_writer(path) as store:
        result = ingest_parallel(store, parallel_inputs, runner, records_per_task=RECORDS)
        assert not runner.started
    assert result.to_dict() == in_process[1].to_dict()
    assert snapshot(path) == snapshot(in_process[0])
    jsonl = Path(parallel_inputs[-1]).read_bytes()
    with process_pool(2, min_work=0) as runner, open_writer(str(tmp_path / "in.db")) as store:
        piped = ingest_parallel(store, ["-"], runner, stdin=io.BytesIO(jsonl))
        assert not runner.started and piped.added == 24


def test_a_worker_that_dies_stops_the_ingest_and_a_rerun_completes_it(
    parallel_inputs: list[str], tmp_path: Path
) -> None:
    reference = str(tmp_path / "reference.db")
    with open_writer(reference) as store:
        ingest(store, parallel_inputs, batch_size=7)
    path = str(tmp_path / "killed.db")
    with process_pool(2, min_work=0) as runner, open_writer(path) as store:
        pids = sorted(set(runner.ordered_map(os.getpid, [()] * 8, 8)))
        killed: list[int] = []

        def kill_one(item: str, total: int, stage: str = "reading") -> None:
            if stage == "tasks" and not killed and item.startswith("12/"):
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        with pytest.raises(WorkerDied, match="run the same ingest again.*waiting for "):
            ingest_parallel(
                store, parallel_inputs, runner, batch_size=7, records_per_task=RECORDS,
                progress=kill_one,
            )  # fmt: skip
    assert killed
    written = snapshot(path)
    assert written["check"] == "ok" and 0 < len(written["docs"]) < len(snapshot(reference)["docs"])
    with process_pool(2, min_work=0) as runner, open_writer(path) as store:
        ingest_parallel(store, parallel_inputs, runner, batch_size=7, records_per_task=RECORDS)
    assert snapshot(path) == snapshot(reference)


_ORPHANED = textwrap.dedent(
    """
    import os, signal, sys
    from storybrief.scale import process_pool
    if __name__ == "__main__":
        with process_pool(2, min_work=0) as runner:
            pids = sorted(set(runner.ordered_map(os.getpid, [()] * 8, 8)))
            print(" ".join(map(str, pids)), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_writer_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "orphaned.py"
    script.write_text(_ORPHANED, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert pids
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def test_cli_workers_give_the_store_of_one_process(
    parallel_inputs: list[str],
    in_process: tuple[str, IngestResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("storybrief.scale.pool.MIN_WORK", 0)
    db = str(tmp_path / "cli.db")
    code = main(["ingest", *parallel_inputs, "--db", db, "-q", "--workers", "2"])
    out = capsys.readouterr().out
    reference = in_process[1]
    assert code == 1 and out.startswith(
        f"{reference.added} added, {reference.already_stored} already stored"
    )
    assert snapshot(db) == snapshot(in_process[0])


def _loaded() -> tuple[bool, bool]:
    import sys

    import storybrief.clean.language as language

    return language._model is not None, "datasketch" in sys.modules


@pytest.mark.skipif(START_METHOD != "forkserver", reason="workers fork from a warm server")
def test_workers_start_with_what_tasks_need_loaded() -> None:
    """The fork server loads the modules and models once (``scale.warm``): a worker's first
    task finds the language model and datasketch there without loading them."""
    with process_pool(2, min_work=0) as runner:
        assert set(runner.ordered_map(_loaded, [()] * 4, 4)) == {(True, True)}


def test_cli_says_in_one_line_that_a_worker_died(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def dies(*args: object, **kwargs: object) -> None:
        raise WorkerDied("a worker process ended abruptly (killed, or out of memory?)")

    monkeypatch.setattr("storybrief.scale.ingest_parallel", dies)
    monkeypatch.setattr("storybrief.scale.pool.MIN_WORK", 0)
    db = str(tmp_path / "s.db")
    code = main(["ingest", str(ROOT / "examples"), "--db", db, "-q", "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1 and "worker process ended abruptly" in err
