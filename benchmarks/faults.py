"""Faults: concurrent ``corpus add``, and a kill at every step of a corpus change.

(a) Concurrency: ``--trials`` times, two ``c6lab corpus add`` processes are started together
    on one fresh corpus, each with another article. A lost update is an article missing
    while both exited 0; an orphan is a file in ``raw/`` that no article references. With
    ``--reference REV`` (default: the commit before corpus changes became transactions) the
    same trials run on that revision's code (``git archive``) for comparison.
(b) Kill at every step: an ``add`` and a ``remove`` run in a forked process that SIGKILLs
    itself at the n-th checkpoint of the commit (:func:`c6lab.corpus.transaction.checkpoint`),
    for every n; and for every kill after the commit point, the recovery is killed at each of
    its own steps too. After each kill a reader opens the corpus (which rolls a committed
    change forward); the corpus must validate, equal the old or the new state byte for byte,
    hold no orphan, and the next change must clean any staging left.
(c) Random kills: ``--random-kills`` times, an ``add`` in a forked process is SIGKILLed after
    a random delay (``random_state``) within the time an add takes; same checks as (b).

Prints "0 lost updates in N trials, 0 invalid corpora in M kills" style figures. No timing
is asserted. Run: .venv/bin/python benchmarks/faults.py [--trials 10] [--random-kills 30]
"""

from __future__ import annotations

# ruff: noqa: I001  (_timing goes first: it takes this folder, with its tokenize.py, off the import path)
import _timing  # noqa: F401

import argparse
import itertools
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import c6lab
from c6lab.corpus import transaction
from c6lab.corpus.create import init_corpus
from c6lab.corpus.ingest import add_article, corpus_tree_digest
from c6lab.corpus.review import remove_article

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "tests" / "articles"
BASE, A, B = (ARTICLES / f"{n}.txt" for n in ("trend_vahl_aliyarli", "daryo_saidov_krasnov",
                                                 "kabar_toktosunova_arikan"))
REFERENCE = "c4a7092"  # the last commit before corpus changes were transactions
CLI = "import sys; from c6lab.cli import main; sys.exit(main())"


def state(root: Path) -> dict[str, str]:
    return {k: v for k, v in corpus_tree_digest(root).items() if k.split("/")[0] not in transaction.INTERNAL_NAMES}


def orphans(root: Path) -> set[str]:
    return {f"raw/{p.name}" for p in (root / "raw").iterdir()} - transaction.referenced_raw_files(root)


def article_ids(root: Path) -> set[str]:
    return {line.split(",")[0] for line in (root / "articles.csv").read_text(encoding="utf-8").splitlines()[1:]}


# ------------------------------------------------------------------ (a) concurrency


def concurrency(template: Path, work: Path, trials: int, pythonpath: str | None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    lost = orphaned = invalid = failed = 0
    for t in range(trials):
        root = work / f"conc{t}"
        shutil.copytree(template, root)
        procs = [subprocess.Popen([sys.executable, "-c", CLI, "corpus", "add", str(f), "--corpus", str(root),
                                   "--outlet", f"O{i}", "--no-progress"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for i, f in enumerate((A, B))]
        codes = [p.wait() for p in procs]
        ids = article_ids(root)
        added = sum(any(a.startswith(f"o{i}_") for a in ids) for i in range(2))
        failed += sum(c != 0 for c in codes)
        if codes == [0, 0] and added < 2:
            lost += 2 - added
        orphaned += len(orphans(root))
        invalid += bool(c6lab.validate_corpus(root))
        shutil.rmtree(root)
    return {"trials": trials, "lost": lost, "orphans": orphaned, "invalid": invalid, "failed": failed}


# ------------------------------------------------------------------ (b), (c) kills


def _steps(root: Path, fn) -> list[str]:
    seen: list[str] = []
    real, transaction.checkpoint = transaction.checkpoint, seen.append
    try:
        fn(root)
    finally:
        transaction.checkpoint = real
    return seen


def _fork(fn, root: Path, kill_at: int | None = None) -> int:
    """Run ``fn(root)`` in a forked child (SIGKILLing itself at checkpoint ``kill_at``); return its pid
    once it has started."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(ready_r)
            os.write(ready_w, b"x")
            if kill_at is not None:
                count = itertools.count(1)

                def hook(step):
                    if next(count) == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)

                transaction.checkpoint = hook
            fn(root)
        except BaseException:
            os._exit(3)
        os._exit(0)
    os.close(ready_w)
    os.read(ready_r, 1)  # the child is running: a random delay counts from here
    os.close(ready_r)
    return pid


def _wait_killed(pid: int) -> bool:
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def check_after_kill(root: Path, old: dict, new: dict) -> tuple[bool, str]:
    """Open (rolling forward), validate, compare with old and new; the next change cleans staging."""
    try:
        c6lab.open_corpus(root)
    except c6lab.CorpusError as exc:
        return False, f"open failed: {exc}"
    got = state(root)
    ok = (not transaction.pending(root) and c6lab.validate_corpus(root) == [] and got in (old, new)
          and not orphans(root))
    with transaction.corpus_lock(root):
        pass
    ok = ok and not (root / transaction.STAGING_NAME).exists() and state(root) == got
    return ok, "new" if got == new else "old"


def _add(root):
    add_article(B, corpus=root, outlet="Kabar", title="New / Old", speakers={"Selim Arıkan": "TR"})


def _remove(root):
    remove_article(root, "base_base")


def kill_every_step(template: Path, work: Path) -> dict:
    kills = invalid = 0
    outcomes = {"old": 0, "new": 0}
    counts = {}
    for name, fn in (("add", _add), ("remove", _remove)):
        ref = work / f"ref_{name}"
        shutil.copytree(template, ref)
        steps = _steps(ref, fn)
        old, new = state(template), state(ref)
        counts[name] = len(steps)
        for n in range(1, len(steps) + 1):
            root = work / f"kill_{name}_{n}"
            shutil.copytree(template, root)
            kills += _wait_killed(_fork(fn, root, n))
            pending_journal = transaction.pending(root)
            if pending_journal and name == "add":  # also kill the recovery at each of its steps
                probe = work / "probe"
                shutil.copytree(root, probe)
                for k in range(1, len(_steps(probe, transaction.recover))):
                    kills += _wait_killed(_fork(transaction.recover, root, k))
                    counts["recovery"] = counts.get("recovery", 0) + 1
                    if not transaction.pending(root):
                        break
                shutil.rmtree(probe)
            ok, outcome = check_after_kill(root, old, new)
            invalid += not ok
            outcomes[outcome] += 1
            shutil.rmtree(root)
    return {"kills": kills, "invalid": invalid, "steps": counts, **outcomes}


def random_kills(template: Path, work: Path, n: int, random_state: int) -> dict:
    rng = random.Random(random_state)
    ref = work / "ref_random"
    shutil.copytree(template, ref)
    _add(ref)
    old, new = state(template), state(ref)
    times = []  # how long a forked add runs, from its start to its exit: the window the kills fall in
    for i in range(3):
        root = work / f"timing{i}"
        shutil.copytree(template, root)
        t0 = time.perf_counter()
        os.waitpid(_fork(_add, root), 0)
        times.append(time.perf_counter() - t0)
        shutil.rmtree(root)
    duration = min(times)
    kills = invalid = 0
    outcomes = {"old": 0, "new": 0}
    for i in range(n):
        root = work / f"rand{i}"
        shutil.copytree(template, root)
        pid = _fork(_add, root)
        time.sleep(rng.uniform(0, duration))
        os.kill(pid, signal.SIGKILL)
        kills += _wait_killed(pid)
        ok, outcome = check_after_kill(root, old, new)
        invalid += not ok
        outcomes[outcome] += 1
        shutil.rmtree(root)
    return {"kills": kills, "invalid": invalid, "seconds_per_add": duration, "finished": n - kills, **outcomes}


def _reference_src(rev: str, work: Path) -> str | None:
    dest = work / f"ref_{rev}"
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src"], capture_output=True)
    if archive.returncode != 0:
        print(f"(reference {rev} not available: {archive.stderr.decode().strip()})")
        return None
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return str(dest / "src")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=10, help="concurrency trials (default 10)")
    ap.add_argument("--random-kills", type=int, default=30, help="random-time kills (default 30)")
    ap.add_argument("--reference", default=REFERENCE, help="revision to compare the concurrency with ('' for none)")
    ap.add_argument("--random-state", type=int, default=0)
    args = ap.parse_args()
    logging.getLogger("c6lab").addHandler(logging.NullHandler())  # recovery notes: counted, not printed
    logging.getLogger("c6lab").propagate = False
    with tempfile.TemporaryDirectory(prefix="c6lab-faults-") as tmp:
        work = Path(tmp)
        template = init_corpus(work / "template")
        add_article(BASE, corpus=template, outlet="Base", title="Base")

        a = concurrency(template, work, args.trials, None)
        print(f"(a) concurrent adds: {a['lost']} lost updates in {a['trials']} trials "
              f"({2 * a['trials']} processes, {a['failed']} exited non-zero), {a['orphans']} orphaned raw files, "
              f"{a['invalid']} invalid corpora")
        src = _reference_src(args.reference, work) if args.reference else None
        if src:
            r = concurrency(template, work, args.trials, src)
            print(f"    reference {args.reference}: {r['lost']} lost updates in {r['trials']} trials, "
                  f"{r['orphans']} orphaned raw files, {r['invalid']} invalid corpora")
        b = kill_every_step(template, work)
        print(f"(b) kill at every step: {b['invalid']} invalid corpora in {b['kills']} kills "
              f"(add {b['steps']['add']} steps, remove {b['steps']['remove']} steps, "
              f"{b['steps'].get('recovery', 0)} kills during recovery); afterwards old {b['old']}, new {b['new']}")
        c = random_kills(template, work, args.random_kills, args.random_state)
        print(f"(c) random kills: {c['invalid']} invalid corpora in {c['kills']} kills "
              f"({c['finished']} adds finished before the signal; an add takes {c['seconds_per_add']:.2f} s here); "
              f"afterwards old {c['old']}, new {c['new']}")


if __name__ == "__main__":
    main()
