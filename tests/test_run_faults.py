"""c6lab run under faults and hostile input (issue 14): parameters that reach a kernel as data,
one corpus for the whole run, output replaced whole or not at all (errors, full disks, kills,
a second run), and tables a spreadsheet does not evaluate."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from c6lab import open_corpus, runner
from c6lab import parameters as P
from c6lab import runfolders as F
from c6lab.cli import main as cli
from c6lab.corpus import bundled_corpus_root
from c6lab.io import FORMULA_START, atomic_write_bytes, excel_safe_csv, write_table


def _notebook(path: Path, *sources: str) -> Path:
    """A notebook whose first code cell is its parameters cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src)
        if i == 0:
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _siblings(folder: Path) -> list[str]:
    """Whatever a run left beside ``folder`` (fresh or set-aside folders, journals)."""
    return sorted(p.name for p in folder.parent.iterdir()
                  if p.name.startswith(folder.name + ".") or p.name.startswith(f".{folder.name}."))


@pytest.fixture
def no_kernel(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(runner, "_kernel", refuse)


# ------------------------------------------------------------------ parameters are data


def test_hostile_values_reach_a_real_kernel_as_the_same_texts_and_run_nothing(tmp_path):
    # the payloads would each create a file if any of them ran as code
    traps = [tmp_path / f"pwned{i}" for i in range(5)]
    terms = [
        f"__import__('os').system('touch {traps[0]}')",
        f'"); __import__("os").system("touch {traps[1]}"); ("',
        f'\\"; __import__("pathlib").Path("{traps[2]}").touch(); x = "\\',
        "!!binary aW1wb3J0IG9z",
        "2024-01-01",
        "Türkiye {a} $x$ \\u0041 \\x41 \\n",
        "y" * 8000,
    ]
    pairs = [f"concordance_terms=[{', '.join(P.format_value(t) for t in terms)}]"[:9_900],
             f"topic_labels={{{P.format_value(terms[1][:60])}: 'x\"); open(\"{traps[3]}\", \"w\"); (\"'}}",
             "group_by=speaker", "k_max=5", "alpha0=0.5", "domain=yes"]
    values = P.parse_assignments(pairs)
    assert values["concordance_terms"][:6] == terms[:6] and values["k_max"] == 5
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_echo.ipynb",
              "results_dir = None\nconcordance_terms = []\ntopic_labels = {}\ngroup_by = 'country'\n"
              "k_max = 6\nalpha0 = 1.0\ndomain = False",
              "import json, pathlib\n"
              "seen = dict(concordance_terms=concordance_terms, topic_labels=topic_labels, group_by=group_by,\n"
              "            k_max=k_max, alpha0=alpha0, domain=domain)\n"
              "types = {k: type(v).__name__ for k, v in seen.items()}\n"
              "pathlib.Path(results_dir, 'seen.json').write_text(json.dumps([seen, types]))")
    runner.run_notebooks(parameters={**values, "results_dir": str(tmp_path)}, notebook_dir=nbdir,
                         build_dir=tmp_path / "build", progress_bar=False)
    seen, types = json.loads((tmp_path / "seen.json").read_text())
    assert seen == values
    assert types == {"concordance_terms": "list", "topic_labels": "dict", "group_by": "str", "k_max": "int",
                     "alpha0": "float", "domain": "bool"}
    assert [t for t in traps if t.exists()] == []


@pytest.mark.parametrize("value", [b"import os", {"a"}, pd.Timestamp("2024-01-01").date(), float("nan"),
                                   object(), [{"a": {"b": {"c": {"d": 1}}}}]],
                         # no memory address in an id: every xdist worker must collect the same ids
                         ids=lambda v: type(v).__name__ if type(v) is object else repr(v))
def test_values_that_are_not_plain_data_start_no_kernel(value, tmp_path, no_kernel):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_x.ipynb", "x = 1", "print(x)")
    with pytest.raises(runner.RunError, match="x is .*(not plain data|not a finite number|not plain data)"):
        runner.run_notebooks(parameters={"x": value}, notebook_dir=nbdir, build_dir=tmp_path / "b")
    with pytest.raises(P.ParameterError):
        runner.run(parameters={"x": value}, notebook_dir=nbdir, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ one corpus, checked first


@pytest.fixture
def fake_kernels(monkeypatch):
    """Stand-in for papermill: each 'notebook' writes a table and a figure, then may do ``during``."""
    calls = []

    def fake(only=None, parameters=None, notebook_dir=None, build_dir=None, progress_bar=True, shown=None,
             after_each=None, save_each_cell=False):
        calls.append(dict(parameters or {}, _env_corpus=os.environ.get("C6LAB_CORPUS")))
        results = Path(parameters.get("results_dir") or os.environ["C6LAB_RESULTS"])
        (results / "figures").mkdir(parents=True, exist_ok=True)
        (results / "figures" / "f.png").write_text("figure")
        table = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1 555", "-rf", "@SUM(A1)", "\tTab",
                                       "-", "plain", "a=b", ""],
                              "x": [-0.5, 1.0, 2.5e-07, -3.0, 0.0, 4.0, -1e10, 7.0, 8.0],
                              "n": [-1, 2, 3, 4, 5, 6, 7, 8, 9]})
        write_table(table, "quotes.csv", results)
        executed = []
        for name in only:
            path = build_dir / "notebooks" / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.v4.new_notebook(), path)
            executed.append(path)
            fake.ran.append(name)
            fake.during(name, parameters)
            if after_each is not None:
                after_each(path)
        return executed

    fake.during = lambda name, parameters: None
    fake.calls, fake.ran = calls, []
    monkeypatch.setattr(runner, "run_notebooks", fake)
    return fake


def _one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    return err.strip()


def test_an_invalid_corpus_starts_nothing_and_touches_no_folder(fake_kernels, corpus_copy, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    before = _files(out)
    fake_kernels.calls.clear()
    speakers = corpus_copy / "speakers.csv"
    speakers.write_text(speakers.read_text(encoding="utf-8") + "broken,row,with,too,many,fields,here,x,y\n",
                        encoding="utf-8")
    capsys.readouterr()
    assert cli(["run", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"c6lab run: the corpus {corpus_copy} has ") and "nothing was run" in first
    assert fake_kernels.calls == [] and _files(out) == before and _siblings(out) == []


def test_a_corpus_changed_during_the_run_replaces_nothing(fake_kernels, corpus_copy, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out),
                "--no-progress"]) == 0
    before = _files(out)
    version = open_corpus(corpus_copy).version

    def add_a_phrase(name, parameters):  # what `c6lab corpus add` or an editor does meanwhile
        if name == "00_corpus":
            with (corpus_copy / "lexicons" / "phrases.txt").open("a", encoding="utf-8") as fh:
                fh.write("green economy\n")

    fake_kernels.during = add_a_phrase
    fake_kernels.ran.clear()
    capsys.readouterr()
    assert cli(["run", "--only", "00_corpus", "--only", "01_keywords", "--corpus", str(corpus_copy), "--out",
                str(out), "--no-progress"]) == 1
    now = open_corpus(corpus_copy).version
    assert _one_line(capsys.readouterr().err) == (
        f"c6lab run: the corpus {corpus_copy} changed during the run (version {version} at the start, {now} "
        "after 00_corpus); the notebooks may have seen different corpora, so nothing was replaced: run again")
    assert fake_kernels.ran == ["00_corpus"]  # 01_keywords never started
    assert _files(out) == before and _siblings(out) == []


def test_a_change_after_the_last_notebook_is_caught_before_the_swap(fake_kernels, corpus_copy, tmp_path, capsys,
                                                                   monkeypatch):
    out = tmp_path / "run"
    real = runner.build_report

    def report_then_change(*args, **kwargs):
        page = real(*args, **kwargs)
        (corpus_copy / "lexicons" / "phrases.txt").write_text("silk road\n", encoding="utf-8")
        return page

    monkeypatch.setattr(runner, "build_report", report_then_change)
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out),
                "--no-progress"]) == 1
    err = _one_line(capsys.readouterr().err)
    assert "changed during the run" in err and " at the end);" in err
    assert not out.exists() and _siblings(out) == []


def test_the_corpus_is_resolved_once_and_the_report_describes_it(fake_kernels, corpus_copy, tmp_path, capsys,
                                                                  monkeypatch):
    # a relative $C6LAB_CORPUS means the folder under the current one, in every kernel too
    work = corpus_copy.parent
    other = work / "mine"
    corpus_copy.rename(other)
    (other / "lexicons" / "phrases.txt").write_text("green economy\n", encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("C6LAB_CORPUS", "mine")
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--out", "run", "--no-progress"]) == 0
    call = fake_kernels.calls[-1]
    assert call["corpus_root"] == str(other) and call["_env_corpus"] == str(other)
    assert os.environ["C6LAB_CORPUS"] == "mine"  # ours again after the run
    version = open_corpus(other).version
    page = (out / "report.html").read_text(encoding="utf-8")
    assert str(other) in page and version in page
    assert json.loads((out / "manifest.json").read_text())["corpus"]["version"] == version
    # the corpus is given one way only: -p corpus_root is refused before anything starts
    fake_kernels.calls.clear()
    capsys.readouterr()
    assert cli(["run", "--only", "00_corpus", "-p", "corpus_root=/elsewhere", "--out", "run", "--no-progress"]) == 1
    assert _one_line(capsys.readouterr().err) == (
        "c6lab run: -p corpus_root=/elsewhere: set corpus_root with --corpus DIR, not with -p")
    assert fake_kernels.calls == []


def test_in_place_kernels_are_told_the_absolute_folders(tmp_path, monkeypatch):
    # no parameter reaches the notebooks in place: a relative results folder would be read
    # against the notebooks' folder, where the kernels run
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in ("C6LAB_CORPUS", "C6LAB_RESULTS"):
        monkeypatch.delenv(name, raising=False)
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_where.ipynb", "corpus_root = None\nresults_dir = None",
              "import os\n"
              "from c6lab.paths import resolve_corpus_root, resolve_results_dir\n"
              "out = resolve_results_dir(results_dir, os.environ)\n"
              "out.mkdir(parents=True, exist_ok=True)\n"
              "(out / 'where.txt').write_text(str(resolve_corpus_root(corpus_root, os.environ)))")
    runner.run(in_place=True, notebook_dir=nbdir, build_dir=tmp_path / "build", results_dir=Path("results"),
               progress_bar=False)
    assert (work / "results" / "where.txt").read_text() == str(bundled_corpus_root().resolve())
    assert "C6LAB_CORPUS" not in os.environ and "C6LAB_RESULTS" not in os.environ  # as before the run


# ------------------------------------------------------------------ all or nothing


class _DiskFull:
    """A file object that writes half of what it is given, then fails as a full disk does."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def test_atomic_write_on_a_full_disk_keeps_the_good_copy(tmp_path, monkeypatch):
    import c6lab.io as cio

    good = atomic_write_bytes(tmp_path / "t.ipynb", b'{"cells": []}\n')
    real = os.fdopen
    monkeypatch.setattr(cio.os, "fdopen", lambda fd, mode: _DiskFull(real(fd, mode)))
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(good, b'{"cells": [1, 2, 3]}\n')
    assert good.read_bytes() == b'{"cells": []}\n' and [p.name for p in tmp_path.iterdir()] == ["t.ipynb"]


def test_a_full_disk_while_a_notebook_runs_keeps_the_previous_output(tmp_path, monkeypatch, capsys):
    from papermill.iorw import LocalHandler

    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_ok.ipynb", "results_dir = None\nn = 1",
              "import pathlib\npathlib.Path(results_dir, 'n.txt').write_text(str(n))")
    out = tmp_path / "run"
    runner.run(parameters={"n": 1}, out=out, notebook_dir=nbdir, progress_bar=False)
    before = _files(out)
    assert json.loads(before["notebooks/00_ok.ipynb"])["cells"]

    def full(self, buf, path):  # papermill writes the executed notebook: the disk fills up meanwhile
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(buf[: len(buf) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(LocalHandler, "write", full)
    with pytest.raises(OSError, match="No space left on device"):
        runner.run(parameters={"n": 2}, out=out, notebook_dir=nbdir, progress_bar=False)
    assert _files(out) == before and _siblings(out) == []


def test_cli_full_disk_is_one_line_and_replaces_nothing(fake_kernels, corpus_copy, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    before = _files(out)

    def disk_full(name, parameters):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(parameters["results_dir"]) / "t.csv"))

    fake_kernels.during = disk_full
    capsys.readouterr()
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("c6lab run: [Errno 28] No space left on device: ")
    assert line.endswith("; nothing was replaced")
    assert _files(out) == before and _siblings(out) == []


class _Killed(BaseException):
    """A kill: nothing after it runs, not even the rollback."""


@pytest.mark.parametrize("kill_at", range(5))
def test_a_kill_at_any_step_of_the_swap_is_finished_by_the_next_run(kill_at, tmp_path, monkeypatch):
    build, results = tmp_path / "build", tmp_path / "results"
    for target in (build, results):
        target.mkdir()
        (target / "which.txt").write_text("old")
    fresh = [F.fresh(build), F.fresh(results)]
    for f in fresh:
        (f / "which.txt").write_text("new")
    real_rename, real_delete = os.rename, F.delete
    steps = []

    def rename(src, dst):
        steps.append((src, dst))
        if len(steps) > kill_at:
            raise _Killed
        real_rename(src, dst)

    def delete(folder):  # step 4: every rename done, the old folders not yet deleted
        raise _Killed

    def unlink(self, missing_ok=False):  # nor is the journal deleted
        raise _Killed

    real_unlink = Path.unlink
    monkeypatch.setattr(F.os, "rename", rename)
    monkeypatch.setattr(F, "delete", delete)
    monkeypatch.setattr(Path, "unlink", unlink)  # writing the journal deletes nothing
    with pytest.raises(_Killed):
        F.swap([(fresh[0], build), (fresh[1], results)])
    monkeypatch.setattr(F.os, "rename", real_rename)
    monkeypatch.setattr(F, "delete", real_delete)
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert F._journal_path(build).is_file()  # the kill left the journal
    state = tuple((t / "which.txt").read_text() if t.exists() else None for t in (build, results))
    assert state == [("old", "old"), (None, "old"), (None, None), ("new", None), ("new", "new")][kill_at]
    # the next run, holding the lock, finishes the swap: both folders new, nothing left over
    with F.lock_targets([build, results]):
        for target in (build, results):
            F.recover(target)
            F.clean_leftovers(target)
    assert (build / "which.txt").read_text() == "new" and (results / "which.txt").read_text() == "new"
    assert _siblings(build) == [] and _siblings(results) == []


def test_an_exception_during_the_swap_puts_the_old_folders_back(tmp_path, monkeypatch):
    build, results = tmp_path / "build", tmp_path / "results"
    for target in (build, results):
        target.mkdir()
        (target / "which.txt").write_text("old")
    fresh = [F.fresh(build), F.fresh(results)]
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append(src)
        if len(calls) == 4:  # the last rename fails (a file system's error, not a kill)
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_rename(src, dst)

    monkeypatch.setattr(F.os, "rename", rename)
    with pytest.raises(OSError):
        F.swap([(fresh[0], build), (fresh[1], results)])
    assert (build / "which.txt").read_text() == "old" and (results / "which.txt").read_text() == "old"
    assert _siblings(build) == [fresh[0].name]  # the fresh folder is the caller's to delete
    assert not F._journal_path(build).exists() and not F._journal_path(results).exists()


def test_leftovers_of_killed_runs_are_removed_and_debug_copies_kept(fake_kernels, corpus_copy, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    killed = F.fresh(out)
    (killed / "half.csv").write_text("a,b\n1")
    aside = out.with_name("run.old-1234abcd")
    aside.mkdir()
    kept = F.keep(F.fresh(out))
    mine = [out.with_name("run.old-2023"), out.with_name("run.partial-notes")]  # a user's, not a run's
    for folder in mine:
        folder.mkdir()
    capsys.readouterr()
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"c6lab run: note: removed {aside}, {killed}, left by a run that was interrupted" in err
    assert _siblings(out) == sorted([kept.name, "run.old-2023", "run.partial-notes"])


def test_a_second_run_on_the_same_folder_is_refused(fake_kernels, tmp_path, capsys):
    out = tmp_path / "run"
    with F.lock_targets([out.resolve()]):
        assert cli(["run", "--only", "00_corpus", "--out", str(out), "--no-progress"]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"c6lab run: another c6lab run is writing {out}; wait until it has finished")
    assert fake_kernels.calls == [] and not out.exists()


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from c6lab import runner
    runner.run(out=Path(sys.argv[1]), notebook_dir=Path(sys.argv[2]), parameters={"n": 2}, progress_bar=False)
""")


def test_a_killed_run_leaves_the_previous_output_whole(tmp_path):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_slow.ipynb", "results_dir = None\nn = 1",
              "import os, pathlib, time\n"
              "for i in range(3):\n"
              "    pathlib.Path(results_dir, f'part{i}.csv').write_text(f'n\\n{n}\\n')\n"
              "pathlib.Path(results_dir, 'started').write_text(str(os.getpid()))\n"
              "if n == 2:\n"
              "    time.sleep(120)")
    out = tmp_path / "run"
    runner.run(parameters={"n": 1}, out=out, notebook_dir=nbdir, progress_bar=False)
    before = _files(out)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(out), str(nbdir)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kernel = None
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob("run.partial-*/results/started")):
            assert proc.poll() is None and time.monotonic() < deadline, "the run never got going"
            time.sleep(0.2)
        time.sleep(0.2)
        kernel = int(next(tmp_path.glob("run.partial-*/results/started")).read_text() or 0)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run, mid-notebook
        proc.wait()
        if kernel:
            try:
                os.kill(kernel, signal.SIGKILL)  # its kernel (in a session of its own)
            except ProcessLookupError:
                pass
    assert _files(out) == before  # the previous output, whole
    assert len(_siblings(out)) == 1  # the killed run's fresh folder, until the next run
    runner.run(parameters={"n": 3}, out=out, notebook_dir=nbdir, progress_bar=False)
    assert (out / "results" / "part0.csv").read_text() == "n\n3\n" and _siblings(out) == []


# ------------------------------------------------------------------ tables safe for spreadsheets


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_excel_safe_tables(tmp_path):
    table = pd.DataFrame({"text": ["=1+1", "+49 30", "-x", "@A1", "\tt", "\"=q\"", "ok", "-", "=", "a-b"],
                          "number": [-0.5, 0.25, -1e-12, 3.0, -7.0, 1e300, 0.0, -2.0, 5.0, 6.0],
                          "as_text": ["-0.5", "+3", "-1e-05", ".5", "-.5e3", "1", "2", "3", "4", "5"]})
    plain = _cells(write_table(table, "plain.csv", tmp_path).read_bytes())
    safe = _cells(write_table(table, "safe.csv", tmp_path, excel_safe=True).read_bytes())
    assert [r[0] for r in safe[1:]] == ["'=1+1", "'+49 30", "'-x", "'@A1", "'\tt", '"=q"', "ok", "'-", "'=", "a-b"]
    # numbers (and texts that are numbers) are written exactly as without the option
    assert [r[1:] for r in safe] == [r[1:] for r in plain]
    assert not any(cell.startswith(FORMULA_START) for row in safe for cell in row
                   if not _is_number(cell))
    back = pd.read_csv(tmp_path / "safe.csv")
    assert back["number"].tolist() == table["number"].tolist()
    assert excel_safe_csv(b"a,b\n" + b"x" * 200_000 + b",-1\n").endswith(b",-1\n")  # a long cell is fine
    # a carriage return at the start of a cell, or before a formula inside one (pandas leaves it bare, a
    # spreadsheet starts a new row there): the cell is quoted, and prefixed if it needs it
    cr = pd.DataFrame({"t": ["\rr", "a\r=cmd()", "ok"]})
    assert write_table(cr, "cr.csv", tmp_path, excel_safe=True).read_bytes() == (
        b't\n"\'\rr"\n"a\r=cmd()"\nok\n')
    assert [r[0] for r in _cells((tmp_path / "cr.csv").read_bytes())] == ["t", "'\rr", "a\r=cmd()", "ok"]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip("+-").lower() not in ("inf", "nan", "infinity")


def test_cli_excel_safe_run(fake_kernels, corpus_copy, tmp_path):
    out, plain = tmp_path / "safe", tmp_path / "plain"
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(plain), "--no-progress"]) == 0
    assert cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(out), "--no-progress",
                "--excel-safe"]) == 0
    tables = sorted((out / "results").rglob("*.csv"))
    assert tables
    for path in tables:
        rows = _cells(path.read_bytes())
        unsafe = [c for r in rows for c in r if c.startswith(FORMULA_START) and not _is_number(c)]
        assert unsafe == [], path
        as_written = _cells((plain / "results" / path.relative_to(out / "results")).read_bytes())
        assert [[c for c in r if _is_number(c)] for r in rows] == [[c for c in r if _is_number(c)]
                                                                    for r in as_written]
    assert "'=HYPERLINK" in (out / "results" / "quotes.csv").read_text()
    assert "=HYPERLINK" in (plain / "results" / "quotes.csv").read_text()
    assert json.loads((out / "manifest.json").read_text())["excel_safe"] is True
    readme = (out / "results" / "README.md").read_text()
    assert "This run was made with `--excel-safe`" in readme
    assert "run\n`c6lab run --excel-safe`" in (plain / "results" / "README.md").read_text()


def test_a_swapped_in_folder_has_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        new = F.fresh(tmp_path / "results")
        F.swap([(new, tmp_path / "results")])
    finally:
        os.umask(umask)
    assert (tmp_path / "results").stat().st_mode & 0o777 == 0o755


def test_an_executed_copy_names_where_it_is(tmp_path):
    # papermill formats paths with the parameters: a folder named "{n}" must not become "2"
    nbdir = tmp_path / "nb {n}"
    nbdir.mkdir()
    _notebook(nbdir / "00_ok.ipynb", "n = 1", "print(n)")
    _notebook(nbdir / "01_fail.ipynb", "m = 1", "raise ValueError(m)")
    build = tmp_path / "build {m}"
    with pytest.raises(runner.NotebookFailed):
        runner.run_notebooks(parameters={"n": 2, "m": 3}, notebook_dir=nbdir, build_dir=build, progress_bar=False)
    for name in ("00_ok", "01_fail"):
        nb = nbformat.read(build / "notebooks" / f"{name}.ipynb", as_version=4)
        assert nb.metadata.papermill.output_path == str(build / "notebooks" / f"{name}.ipynb")
    assert sorted(p.name for p in (build / "notebooks").iterdir()) == ["00_ok.ipynb", "01_fail.ipynb"]


def test_a_kernel_that_dies_is_a_failed_notebook(tmp_path, capsys):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_dies.ipynb", "n = 1", "import os\nos._exit(9)  # as the out-of-memory killer would")
    out = tmp_path / "run"
    with pytest.raises(runner.NotebookFailed, match=r"^nb/00_dies.ipynb stopped: its kernel died \(.*\); "
                                                    r"out of memory\? \(the unfinished run"):
        runner.run(out=out, notebook_dir=nbdir, progress_bar=False, keep_partial=True)
    assert not out.exists()
