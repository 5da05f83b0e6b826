"""Ingest on a real Dask ``LocalCluster`` (2 worker processes): the store equals the in-process
ingest's, with large files read in parts; a worker killed mid-run loses and doubles nothing;
reruns add nothing; an unreachable scheduler and a missing Dask are one-line errors."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parallel_support import RECORDS, ROOT, snapshot

from storybrief.cli import main
from storybrief.read import discover, read_part, read_source
from storybrief.read.parts import nothing_read, plan_parts
from storybrief.store import open_writer
from storybrief.store.write import IngestResult


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from storybrief.scale import connect

    with connect("local", workers=2) as client:
        client.wait_for_workers(2)
        yield client


def _on_dask(client: Any, parallel_inputs: list[str], path: str, **kwargs: Any) -> IngestResult:
    from storybrief.scale import ingest_on_dask

    with open_writer(path) as store:
        return ingest_on_dask(store, parallel_inputs, client, records_per_task=RECORDS, **kwargs)


def test_parts_read_as_the_whole_file(parallel_inputs: list[str]) -> None:
    sources, _ = discover(parallel_inputs)
    split = 0
    for source in sources:
        parts = plan_parts(source, RECORDS)
        if parts is None:
            continue
        split += 1
        docs, errors = [], []
        for part in parts:
            found, failed = read_part(source, part)
            docs += found
            errors += failed
        if not docs and not errors:
            errors.append(nothing_read(source, parts[-1]))
        whole_docs, whole_errors = read_source(source)
        assert [d.to_dict() for d in docs] == [d.to_dict() for d in whole_docs], source
        assert errors == whole_errors, source
    assert split >= 3  # the JSONL, the CC-NEWS sample WARC, the truncated WARC


def test_local_workers_run_below_the_client(client: Any) -> None:
    """The client's writing is the serial path: local workers must not starve it."""
    from storybrief.scale.cluster import LOCAL_WORKER_NICENESS

    niceness = client.run(os.nice, 0)
    assert len(niceness) == 2
    assert all(n >= os.nice(0) + LOCAL_WORKER_NICENESS for n in niceness.values())


def test_local_cluster_monitors_sparingly(client: Any) -> None:
    """The scheduler and nannies of a local cluster share the client's process and CPU."""
    import dask

    from storybrief.scale.cluster import LOCAL_CLUSTER_CONFIG

    def settings() -> list[Any]:
        return [dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG]

    expected = list(LOCAL_CLUSTER_CONFIG.values())
    assert expected[:2] == ["1s", "2s"] and expected[2] is False
    assert list(client.run(settings).values()) == [expected, expected]
    intervals = [n.memory_manager.memory_monitor_interval for n in client.cluster.workers.values()]
    assert intervals == [1.0, 1.0]


def test_store_on_dask_equals_in_process_ingest(
    client: Any, parallel_inputs: list[str], in_process: tuple[str, IngestResult], tmp_path: Path
) -> None:
    steps: list[tuple[str, int, str]] = []
    path = str(tmp_path / "dask.db")
    result = _on_dask(client, parallel_inputs, path, progress=lambda *step: steps.append(step))
    reference_path, reference = in_process
    assert result.to_dict() == reference.to_dict()
    assert reference.added > 24 and len(reference.stories_new) > 3
    # A bad file on a worker gives the in-process error; the bad JSONL line keeps its number.
    assert any(e.reason.startswith("line 18: not valid JSON") for e in result.errors)
    assert snapshot(path) == snapshot(reference_path)
    tasks = [s for s in steps if s[2] == "tasks"]
    assert tasks[-1][:2] == (f"{len(tasks)}/{len(tasks)}", len(tasks)) and len(tasks) > 15
    assert any(s[2] == "briefs" for s in steps)

    again = _on_dask(client, parallel_inputs, path)
    assert again.added == 0 and again.already_stored == reference.added + reference.already_stored
    assert not again.stories_new and not again.stories_updated
    assert snapshot(path) == snapshot(reference_path)


def test_worker_killed_mid_run_loses_and_doubles_nothing(
    client: Any, parallel_inputs: list[str], in_process: tuple[str, IngestResult], tmp_path: Path
) -> None:
    killed: list[int] = []

    def kill_one(item: str, total: int, stage: str = "reading") -> None:
        if not killed and stage == "tasks":
            pid = next(iter(client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)  # the nanny restarts it; its tasks run elsewhere
            killed.append(pid)

    path = str(tmp_path / "killed.db")
    result = _on_dask(client, parallel_inputs, path, progress=kill_one)
    assert killed
    assert result.to_dict() == in_process[1].to_dict()
    assert snapshot(path) == snapshot(in_process[0])


def test_cli_on_a_running_scheduler_and_quiet(
    client: Any,
    in_process: tuple[str, IngestResult],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = str(tmp_path / "cli.db")
    examples = str(ROOT / "examples")
    code = main(["ingest", examples, "--db", db, "--dask", client.scheduler.address, "-q"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("5 added, 0 already stored") and err == ""
    code = main(["ingest", examples, "--db", db, "--dask", client.scheduler.address, "-q"])
    assert code == 0 and capsys.readouterr().out.startswith("0 added, 5 already stored")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_scheduler_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    code = main(
        ["ingest", str(ROOT / "examples"), "--db", str(tmp_path / "s.db"), "--dask", address]
    )
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2 and took < 10
    assert err.count("\n") == 1 and f"cannot reach the Dask scheduler at {address}" in err
    assert not (tmp_path / "s.db").exists()


def test_without_dask_the_error_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    code = main(
        ["ingest", str(ROOT / "examples"), "--db", str(tmp_path / "s.db"), "--dask", "local"]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert 'pip install "storybrief[dask]"' in err
