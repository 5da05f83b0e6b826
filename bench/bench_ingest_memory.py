"""Memory of the whole process tree of ``storybrief ingest`` (writer, fork server, workers).

Usage:
  python bench/bench_ingest_memory.py INPUT... [--workers N] [--every 0.2]

Runs ``storybrief ingest INPUT... --db NEW.db -q`` (local workers by default, as a user runs
it) and samples every ``--every`` seconds, from ``/proc`` (Linux), the proportional set size
(PSS: pages shared by processes counted once, shared by their number) and the resident size
(RSS: shared pages counted in every process) summed over the command and all its descendants.
Prints the peaks and the tree's PSS at each tenth of the run (flat = streaming). For the
10,000 documents of the store bench: ``bench_store.py scale EVAL_DIR --keep DIR`` writes them
to ``DIR/others-10000``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _tree(pid: int) -> list[int]:
    found, n = [pid], 0
    while n < len(found):
        try:
            for task in Path(f"/proc/{found[n]}/task").iterdir():
                found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
        n += 1
    return found


def _sizes(pid: int) -> tuple[float, float]:
    """PSS and RSS of ``pid`` in MiB (0 for a process gone meanwhile)."""
    pss = rss = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return pss, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", help="passed to ingest (default: one per core)")
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "storybrief", "ingest", *args.inputs]
        command += ["--db", str(Path(tmp) / "memory.db"), "-q"]
        if args.workers:
            command += ["--workers", args.workers]
        started = time.perf_counter()
        process = subprocess.Popen(command)
        samples: list[tuple[float, float, float, int]] = []
        while process.poll() is None:
            pids = _tree(process.pid)
            sizes = [_sizes(pid) for pid in pids]
            pss, rss = sum(s[0] for s in sizes), sum(s[1] for s in sizes)
            samples.append((time.perf_counter() - started, pss, rss, len(pids)))
            time.sleep(args.every)
    if process.returncode not in (0, 1) or not samples:
        raise SystemExit(f"ingest failed ({process.returncode})")
    print(
        f"{time.perf_counter() - started:.1f} s, {len(samples)} samples: peak PSS "
        f"{max(s[1] for s in samples):.0f} MiB, peak RSS sum {max(s[2] for s in samples):.0f} MiB"
    )
    for tenth in range(1, 11):
        at, pss, rss, count = samples[min(len(samples) - 1, tenth * len(samples) // 10)]
        print(f"  {at:6.1f} s: PSS {pss:5.0f} MiB, RSS sum {rss:5.0f} MiB, {count} processes")


if __name__ == "__main__":
    main()
