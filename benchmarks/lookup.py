"""Lookup speed on a synthetic 10,000-topic map (issue 2), measured side by side in one run:

- `fomo where TERM` as a whole process with a warm index, against `grep -ril TERM` over the
  same files (target: at most 2x grep);
- building the index from nothing, and again after editing one file (targets: full build at most
  3 s; the update at most 1/20 of the full build);
- peak memory of `fomo where` (target: at most 150 MB).

Run: .venv/bin/python benchmarks/lookup.py [--topics 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_map

from fomo.kb.index import Index

FOMO = [str(Path(sys.executable).with_name("fomo"))]


def timed(command: list[str], env: dict[str, str], repeat: int) -> float:
    """Median wall time of a whole process, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fomo-lookup-"))
    kb = work / "kb"
    titles = write_map(kb, args.topics)
    env = {**os.environ, "FOMO_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    os.environ["FOMO_CACHE_DIR"] = env["FOMO_CACHE_DIR"]
    files = sum(1 for _ in (kb / "map").rglob("*.md"))
    print(f"synthetic map: {files} files under {kb}")

    builds = []
    for _ in range(3):
        shutil.rmtree(work / "cache", ignore_errors=True)
        start = time.perf_counter()
        Index(kb.resolve()).sync()
        builds.append(time.perf_counter() - start)
    full = statistics.median(builds)

    target = next((kb / "map").rglob("*.md"))
    updates = []
    for n in range(5):
        target.write_text(target.read_text("utf-8") + f"\nEdited {n}.\n", "utf-8")
        start = time.perf_counter()
        Index(kb.resolve()).sync()
        updates.append(time.perf_counter() - start)
    incremental = statistics.median(updates)

    term = titles[len(titles) // 2]
    where = [*FOMO, "where", term, "--kb", str(kb)]
    subprocess.run(where, env=env, stdout=subprocess.DEVNULL, check=True)  # warm the index
    grep = ["grep", "-ril", term, str(kb / "map")]
    fomo_time = timed(where, env, args.repeat)
    grep_time = timed(grep, env, args.repeat)

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(where, env=env, stdout=subprocess.DEVNULL, check=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = max(peak_kb, before) / 1024

    print(f"fomo where (warm, whole process): {fomo_time * 1000:.1f} ms (median of {args.repeat})")
    print(f"grep -ril over the same files:     {grep_time * 1000:.1f} ms")
    print(f"  ratio fomo/grep: {fomo_time / grep_time:.2f}x (target <= 2x)")
    print(f"index full build: {full:.2f} s (target <= 3 s)")
    print(f"index update after editing one file: {incremental * 1000:.1f} ms")
    print(f"  ratio update/full: 1/{full / incremental:.0f} (target <= 1/20)")
    print(
        f"peak memory of fomo where: {peak:.0f} MB (target <= 150 MB; max RSS of child processes)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
