"""The whole main job on a corpus: wall time and peak memory of ``c6lab run``, per notebook.

``benchmarks/scale.py`` times each stage alone; this runs what a researcher runs,
``c6lab run --corpus CORPUS --out OUT``, as a child process, and samples the resident memory
of the whole process tree (the command, its notebook kernels and any worker they start) from
``/proc`` every ``--interval`` seconds. Printed: the wall time, the peak of the tree's summed
resident memory and of its largest process, and the seconds of every notebook (from the
executed notebooks' cell timings) and of the rest (checks, report, swap).

The goal of issue 15 for the 10,000x synthetic corpus (``benchmarks/synthetic.py --scale
10000``): at most 10 minutes and 4 GB on a 2-core machine.

Run: .venv/bin/python benchmarks/full_run.py --corpus /tmp/syn10000 [--out /tmp/run10000] [-- -p n_boot=999]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import _timing  # noqa: F401  first: takes this folder off the import path (see _timing.py)

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("latin-1")
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _cpu(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` so far (None if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("latin-1")
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except OSError:
        return 0


class Sampler(threading.Thread):
    """Peak of the tree's summed resident memory, of its largest process, and of each kernel.

    Kernels (``ipykernel_launcher``) start one per notebook, in the notebooks' order; each is
    printed when it ends (with the seconds it lived), so a run that fails or is stopped still
    says how far it got and what each finished notebook cost.
    """

    def __init__(self, pid: int, interval: float, log=print):
        super().__init__(daemon=True)
        self.pid, self.interval, self.log = pid, interval, log
        self.peak_tree = self.peak_one = 0
        self.kernels: dict[int, dict] = {}  # pid -> start, end, peak (insertion order = start order)
        self.stop = threading.Event()
        self.t0 = time.perf_counter()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.pid)
            sizes = {p: _rss(p) for p in pids}
            self.peak_tree = max(self.peak_tree, sum(sizes.values()))
            self.peak_one = max(self.peak_one, max(sizes.values(), default=0))
            now = time.perf_counter() - self.t0
            for p, size in sizes.items():
                if p not in self.kernels and "ipykernel" in _cmdline(p):
                    self.kernels[p] = {"start": now, "end": None, "peak": 0}
                if p in self.kernels:
                    k = self.kernels[p]
                    k["peak"] = max(k["peak"], size)
                    k["cpu"] = _cpu(p) or k.get("cpu", 0.0)  # the last value seen before it ends
            for p, k in self.kernels.items():
                if k["end"] is None and p not in sizes:
                    k["end"] = now
                    self.log(f"  kernel {len(self.kernels_done())} ended at {now:7.1f} s: "
                             f"{k['end'] - k['start']:7.1f} s, {k.get('cpu', 0.0):7.1f} s CPU, "
                             f"peak {k['peak'] / 2**20:,.0f} MB; load average {_load()}")
            self.stop.wait(self.interval)

    def kernels_done(self) -> list[dict]:
        return [k for k in self.kernels.values() if k["end"] is not None]


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def notebook_seconds(folder: Path) -> dict[str, float]:
    """Seconds from the first cell's start to the last cell's end, per executed notebook."""
    out = {}
    for path in sorted(folder.glob("*.ipynb")):
        stamps = []
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            ex = cell.get("metadata", {}).get("execution", {})
            for key in ("iopub.execute_input", "shell.execute_reply"):
                if key in ex:
                    stamps.append(datetime.fromisoformat(ex[key].replace("Z", "+00:00")))
        if stamps:
            out[path.stem] = (max(stamps) - min(stamps)).total_seconds()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one, removed after)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between memory samples")
    parser.add_argument("run_args", nargs="*", help="more arguments for c6lab run, after --")
    args = parser.parse_args()
    c6lab = Path(sys.executable).with_name("c6lab")
    temporary = args.out is None
    out = args.out or Path(tempfile.mkdtemp(prefix="c6lab-full-run-")) / "out"
    command = [str(c6lab), "run", "--corpus", str(args.corpus), "--out", str(out), "--no-progress", *args.run_args]
    t0 = time.perf_counter()
    print(" ".join(command), flush=True)
    print(f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} cores, load average {_load()}",
          flush=True)
    proc = subprocess.Popen(command)
    sampler = Sampler(proc.pid, args.interval, log=lambda line: print(line, flush=True))
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and every process it waited for
    print(f"c6lab run on {args.corpus}: exit {code}, {wall:.1f} s wall, {used.ru_utime + used.ru_stime:.1f} s CPU "
          f"(the whole tree); load average {_load()}")
    print(f"peak resident memory: {sampler.peak_tree / 2**20:,.0f} MB (process tree, summed), "
          f"{sampler.peak_one / 2**20:,.0f} MB (largest process)")
    kernels = list(sampler.kernels.values())
    if code == 0:
        per = notebook_seconds(out / "notebooks")
        for i, (stem, sec) in enumerate(per.items()):
            peak = (f", {kernels[i].get('cpu', 0.0):.1f} s CPU, kernel peak {kernels[i]['peak'] / 2**20:,.0f} MB"
                    if len(kernels) == len(per) else "")
            print(f"  {stem:<14} {sec:7.1f} s (cells){peak}")
        print(f"  {'the rest':<14} {wall - sum(per.values()):7.1f} s (kernel starts, checks, report, swap)")
    print(f"goal (10,000x corpus): <= 600 s and <= 4096 MB; "
          f"{'met' if wall <= 600 and sampler.peak_tree <= 4 * 2**30 else 'not met'} here")
    if temporary:
        shutil.rmtree(out.parent, ignore_errors=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
