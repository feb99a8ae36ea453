"""Corpus changes are transactions: locked, committed in one step, rolled forward after a kill.

Also the bounded-input rules of ``corpus add``: devices, FIFOs, symlinks in the corpus, a
size limit, "/" in titles and outlets, HTML given as text, CR-only line ends.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import c6lab
from c6lab.cli import main as cli
from c6lab.corpus import transaction
from c6lab.corpus.create import init_corpus
from c6lab.corpus.ingest import IngestError, add_article, corpus_tree_digest, line_based, looks_like_html
from c6lab.corpus.review import remove_article
from c6lab.corpus.transaction import CorpusBusy, corpus_lock, corpus_transaction, pending, recover
from c6lab.errors import CorpusError

ARTICLES = Path(__file__).resolve().parent / "articles"
CLI = [sys.executable, "-c", "import sys; from c6lab.cli import main; sys.exit(main())"]
A, B = ARTICLES / "daryo_saidov_krasnov.txt", ARTICLES / "kabar_toktosunova_arikan.txt"


@pytest.fixture
def empty(tmp_path) -> Path:
    return init_corpus(tmp_path / "c")


def state(root: Path) -> dict[str, str]:
    """The corpus's files and digests, without the transaction machinery's own names."""
    return {k: v for k, v in corpus_tree_digest(root).items() if k.split("/")[0] not in transaction.INTERNAL_NAMES}


def orphans(root: Path) -> set[str]:
    return {f"raw/{p.name}" for p in (root / "raw").iterdir()} - transaction.referenced_raw_files(root)


# ------------------------------------------------------------------ the lock


def test_a_second_change_waits_and_then_says_the_corpus_is_busy(empty):
    with corpus_lock(empty):
        box = {}
        t = threading.Thread(target=lambda: box.setdefault("err", _try_add(empty, lock_timeout=0.2)))
        t.start()
        t.join()
    assert isinstance(box["err"], CorpusBusy)
    assert "another change to this corpus is in progress (lock" in str(box["err"])
    assert ".c6lab.lock" in str(box["err"]) and "\n" not in str(box["err"])
    assert not (empty / "raw" / "d_t.txt").exists()
    add_article(A, corpus=empty, outlet="D", title="t")  # free again: it goes in
    assert (empty / "raw" / "d_t.txt").exists()


def _try_add(root, **kw):
    try:
        add_article(A, corpus=root, outlet="D", title="t", **kw)
    except CorpusError as exc:
        return exc
    return None


def test_cli_lock_timeout_is_a_one_line_error(empty, capsys):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom c6lab.corpus.transaction import "
                               "corpus_lock\nwith corpus_lock(sys.argv[1]):\n print('held', flush=True)\n "
                               "time.sleep(30)", str(empty)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code = cli(["corpus", "add", str(A), "--corpus", str(empty), "--outlet", "D", "--lock-timeout", "0.3"])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "another change to this corpus is in progress" in err and len(err.strip().splitlines()) == 1


def test_lock_is_reentrant_in_one_thread(empty):
    with corpus_lock(empty, timeout=0.1), corpus_lock(empty, timeout=0.1):
        with corpus_transaction(empty, "nested", lock_timeout=0.1) as tx:
            tx.write("annotations/x.txt", b"x\n")
    assert (empty / "annotations/x.txt").read_bytes() == b"x\n"


def test_two_concurrent_cli_adds_both_go_in(empty):
    """Two processes started together (different articles): no lost update, no orphan."""
    for trial in range(2):  # benchmarks/faults.py runs more trials
        root = empty.parent / f"trial{trial}"
        shutil.copytree(empty, root)
        procs = [subprocess.Popen([*CLI, "corpus", "add", str(f), "--corpus",
                                   str(root), "--outlet", f"O{i}"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for i, f in enumerate((A, B))]
        codes = [p.wait() for p in procs]
        assert codes == [0, 0], [p.stderr.read() for p in procs]
        ids = {r.split(",")[0] for r in (root / "articles.csv").read_text().splitlines()[1:]}
        assert len(ids) == 2 and all(i.startswith(("o0_", "o1_")) for i in ids)
        assert orphans(root) == set() and c6lab.validate_corpus(root) == []


# ------------------------------------------------------------------ kill at every step


def _steps(root: Path, fn) -> list[str]:
    seen: list[str] = []
    real = transaction.checkpoint
    transaction.checkpoint = seen.append
    try:
        fn(root)
    finally:
        transaction.checkpoint = real
    return seen


def _killed_at(n: int, fn, root: Path) -> bool:
    """Run ``fn(root)`` in a forked child that SIGKILLs itself at the n-th checkpoint."""
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            count = itertools.count(1)

            def hook(step):
                if next(count) == n:
                    os.kill(os.getpid(), signal.SIGKILL)

            transaction.checkpoint = hook
            fn(root)
        except BaseException:
            os._exit(3)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _add(root):
    add_article(B, corpus=root, outlet="Kabar", title="New / Old: a test", speakers={"Selim Arıkan": "TR"})


def _remove(root):
    remove_article(root, "d_base")


@pytest.mark.parametrize("change", [_add, _remove])
def test_a_kill_at_every_step_leaves_the_old_or_the_new_corpus(empty, change):
    add_article(A, corpus=empty, outlet="D", title="base")
    old = state(empty)
    ref = empty.parent / "ref"
    shutil.copytree(empty, ref)
    steps = _steps(ref, change)
    new = state(ref)
    assert old != new and "committed" in steps and len(steps) >= 10
    outcomes = set()
    for n, step in enumerate(steps, start=1):
        root = empty.parent / f"kill{n}"
        shutil.copytree(empty, root)
        assert _killed_at(n, change, root), step
        after_commit = n >= steps.index("committed") + 1
        assert pending(root) == (after_commit and n < steps.index("journal removed") + 1), step
        c6lab.open_corpus(root)  # a reader rolls a committed change forward
        assert not pending(root)
        got = state(root)
        assert got == (new if after_commit else old), step
        assert c6lab.validate_corpus(root) == [] and orphans(root) == set()
        outcomes.add(after_commit)
        with corpus_lock(root):  # the next change cleans staging left before a commit point
            pass
        assert not (root / transaction.STAGING_NAME).exists()
        assert state(root) == got
    assert outcomes == {True, False}


def test_validate_finishes_a_committed_change_before_checking(empty):
    add_article(A, corpus=empty, outlet="D", title="base")
    ref = empty.parent / "ref"
    shutil.copytree(empty, ref)
    steps = _steps(ref, _add)
    root = empty.parent / "killed"
    shutil.copytree(empty, root)
    assert _killed_at(steps.index("committed") + 2, _add, root) and pending(root)
    assert c6lab.validate_corpus(root) == []  # not the half-applied state
    assert not pending(root) and state(root) == state(ref)


def test_a_kill_during_recovery_is_recovered_again(empty):
    old = state(empty)
    ref = empty.parent / "ref"
    shutil.copytree(empty, ref)
    steps = _steps(ref, _add)
    n = steps.index("committed") + 2  # killed after the first staged file was renamed into place
    assert _killed_at(n, _add, empty) and pending(empty)
    probe = empty.parent / "probe"
    shutil.copytree(empty, probe)
    recovery = _steps(probe, recover)
    assert recovery[0].startswith("recover apply") and recovery[-1] == "recovered"
    for k in range(1, len(recovery)):  # a kill at each step of the recovery, then the next one
        assert _killed_at(k, recover, empty), recovery[k - 1]
    recover(empty)
    assert not pending(empty) and state(empty) == state(ref) != old
    assert c6lab.validate_corpus(empty) == [] and orphans(empty) == set()


# ------------------------------------------------------------------ raw files and orphans


def test_an_orphan_raw_file_with_the_same_bytes_is_reused(empty):
    (empty / "raw" / "d_t.txt").write_bytes(A.read_bytes())  # what a lost update of older versions left
    result = add_article(A, corpus=empty, outlet="D", title="t")
    assert result.raw_file == "raw/d_t.txt" and any("reused" in n for n in result.notices)
    assert orphans(empty) == set() and c6lab.validate_corpus(empty) == []


def test_an_orphan_raw_file_with_other_bytes_is_never_overwritten(empty):
    (empty / "raw" / "d_t.txt").write_bytes(b"someone's own file\n")
    before = state(empty)
    with pytest.raises(IngestError, match="no article references it, and its bytes differ"):
        add_article(A, corpus=empty, outlet="D", title="t")
    assert state(empty) == before


def test_a_raw_file_in_use_is_never_overwritten(empty):
    add_article(A, corpus=empty, outlet="D", title="t")
    with corpus_transaction(empty) as tx, pytest.raises(CorpusError, match="belongs to an article"):
        tx.add_raw("raw/d_t.txt", b"other\n")
    with pytest.raises(ValueError):
        with corpus_transaction(empty) as tx:
            tx.write("raw/d_t.txt", b"other\n")
    assert (empty / "raw/d_t.txt").read_bytes() == A.read_bytes()


def test_an_exception_inside_a_transaction_writes_nothing(empty):
    before = state(empty)
    with pytest.raises(RuntimeError), corpus_transaction(empty) as tx:
        tx.write("articles.csv", b"garbage\n")
        raise RuntimeError("the caller changed its mind")
    assert state(empty) == before


def test_a_change_that_does_not_validate_is_refused_whole(empty):
    before = state(empty)
    with pytest.raises(CorpusError, match="internal error: the change does not validate"):
        with corpus_transaction(empty, "test") as tx:
            tx.write("articles.csv", b"article_id,outlet\nx,y\n")
            tx.write("annotations/new.txt", b"x\n")
    assert state(empty) == before and not (empty / transaction.STAGING_NAME).exists()


def test_staging_left_by_a_kill_before_the_commit_is_cleaned_and_reported(empty, caplog):
    (empty / transaction.STAGING_NAME / "0123abcd" / "files").mkdir(parents=True)
    (empty / transaction.STAGING_NAME / "0123abcd" / "files" / "0000").write_bytes(b"half")
    (empty / ".articles.csv.abc123.tmp").write_bytes(b"half a table")
    with caplog.at_level("WARNING", logger="c6lab"):
        add_article(A, corpus=empty, outlet="D", title="t")
    assert not (empty / transaction.STAGING_NAME).exists() and not (empty / ".articles.csv.abc123.tmp").exists()
    assert "deleted .c6lab-staging/0123abcd" in caplog.text and "temporary file .articles.csv" in caplog.text


def test_the_lock_file_is_not_part_of_the_corpus_version(empty):
    version = c6lab.open_corpus(empty).version
    with corpus_lock(empty):
        pass
    assert (empty / ".c6lab.lock").exists() and c6lab.open_corpus(empty).version == version


# ------------------------------------------------------------------ bounded input


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_devices_fifos_and_links_to_them_are_refused_unread(empty, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block for ever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    for path, what in (("/dev/zero", "a character device"), (tmp_path / "zero.txt", "a character device"),
                       (fifo, "a FIFO (named pipe)")):
        with pytest.raises(IngestError, match=re.escape(f"is {what}, not a regular file")):
            add_article(path, corpus=empty, outlet="D", title="t")


def test_size_limit_is_configurable(empty, tmp_path, capsys):
    with pytest.raises(IngestError, match=f"is {A.stat().st_size} bytes, over the limit of 1000 bytes"):
        add_article(A, corpus=empty, outlet="D", title="t", max_bytes=1000)
    assert cli(["corpus", "add", str(A), "--corpus", str(empty), "--outlet", "D", "--max-bytes", "1000"]) == 1
    assert "over the limit of 1000 bytes" in capsys.readouterr().err
    assert add_article(A, corpus=empty, outlet="D", title="t", max_bytes=A.stat().st_size).raw_file


@pytest.mark.parametrize("where", ["raw", "articles.csv", "lexicons/stopwords.txt"])
def test_a_symlink_in_the_corpus_is_refused_and_nothing_is_written_through_it(empty, tmp_path, where):
    outside = tmp_path / "outside"
    target = empty / where
    shutil.move(target, outside)
    target.symlink_to(outside, target_is_directory=outside.is_dir())
    listing = sorted(p.name for p in outside.iterdir()) if outside.is_dir() else None
    with pytest.raises(CorpusError, match=f"{where}: is a symbolic link"):
        add_article(A, corpus=empty, outlet="D", title="t")
    if listing is not None:
        assert sorted(p.name for p in outside.iterdir()) == listing  # no raw file written outside


def test_a_device_link_inside_the_corpus_is_refused_without_reading_it(empty):
    (empty / "raw" / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(CorpusError, match="raw/zero.txt: is a symbolic link"):
        remove_article(empty, "none")


@pytest.mark.parametrize("outlet, title", [("Kabar/KG", "EU/China: trade"), ("../../etc", "a/b/../c"),
                                           ("/", "/")])
def test_slashes_in_titles_and_outlets_are_names(empty, outlet, title):
    result = add_article(A, corpus=empty, outlet=outlet, title=title)
    assert "/" not in result.article_id and result.raw_file == f"raw/{result.article_id}.txt"
    row = c6lab.open_corpus(empty).articles.iloc[0]
    assert (row["outlet"], row["title"]) == (outlet, title)
    assert sorted(p.name for p in (empty / "raw").iterdir()) == [f"{result.article_id}.txt"]


def test_slashes_in_a_manifest(empty, tmp_path, capsys):
    shutil.copy(A, tmp_path / "a.txt")
    (tmp_path / "m.csv").write_text('file,outlet,title\na.txt,Kun/uz,"1/2 of trade: EU/China"\n')
    assert cli(["corpus", "add", "--manifest", str(tmp_path / "m.csv"), "--corpus", str(empty)]) == 0
    assert c6lab.open_corpus(empty).articles["title"].tolist() == ["1/2 of trade: EU/China"]


def test_html_given_as_text_is_imported_as_a_page(empty, tmp_path):
    paras = "".join(f"<p>{line}</p>\n" for line in B.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    page = (f"<!DOCTYPE html><html><head><title>Expert: C6 / new doors</title></head><body><nav>Home</nav>"
            f"<article><h1>Expert: C6 / new doors</h1>\n{paras}</article></body></html>\n")
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    result = add_article(tmp_path / "page.txt", corpus=empty, outlet="Kabar")
    assert any("holds HTML, not plain text: imported as a web page" in n for n in result.notices)
    art = c6lab.open_corpus(empty).articles.iloc[0]
    assert art["source_file"] == f"raw/{result.article_id}.html"
    assert (empty / art["source_file"]).read_bytes() == page.encode("utf-8")  # the page kept verbatim
    text = (empty / art["raw_file"]).read_text(encoding="utf-8")
    assert "<p>" not in text and "Toktosunova" in text and art["title"] == "Expert: C6 / new doors"


def test_html_given_as_text_without_an_article_is_refused_with_advice(empty, tmp_path):
    (tmp_path / "nav.txt").write_text("<!doctype html><html><body><nav></nav></body></html>\n", encoding="utf-8")
    with pytest.raises(IngestError, match="holds HTML, not plain text, and no article text was found"):
        add_article(tmp_path / "nav.txt", corpus=empty, outlet="Kabar")


def test_looks_like_html():
    assert looks_like_html(b"\n <?xml version='1.0'?><!-- saved --><HTML lang=en><body>x</body></HTML>")
    assert looks_like_html(b"".join(b"<p>para %d <a href='x'>link</a></p><div>x</div>\n" % i for i in range(4)))
    assert not looks_like_html(b"Officials said <b> and <i> tags were <p> in the draft, a source said.\n" * 2)
    assert not looks_like_html(A.read_bytes())


def test_cr_only_file_keeps_its_paragraphs(empty, tmp_path):
    lf = A.read_bytes()
    (tmp_path / "cr.txt").write_bytes(lf.replace(b"\n", b"\r"))
    cr = add_article(tmp_path / "cr.txt", corpus=empty, outlet="D", title="cr")
    ref = add_article(A, corpus=init_corpus(tmp_path / "ref"), outlet="D", title="cr")
    assert (empty / cr.raw_file).read_bytes() == lf.replace(b"\n", b"\r")  # verbatim
    strip = lambda segs: [(s["char_start"], s["char_end"], s["kind"], s["speaker_id"]) for s in segs]  # noqa: E731
    assert strip(cr.segments) == strip(ref.segments) and len(cr.segments) > 10
    assert c6lab.validate_corpus(empty) == []
    paragraphs = [c6lab.load_corpus(r)["paragraph"].tolist() for r in (empty, tmp_path / "ref")]
    assert paragraphs[0] == paragraphs[1] and max(paragraphs[0]) > 10


def test_line_based_keeps_offsets():
    text = "a\rb\r\nc\r\rd"
    out = line_based(text)
    assert out == "a\nb\r\nc\n\nd" and len(out) == len(text)
