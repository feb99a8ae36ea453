"""Execute the notebooks in order and build the report: what ``c6lab run`` does.

:func:`run` checks everything it can before any kernel starts (the notebooks asked for, the
parameters against :mod:`c6lab.parameters`, the corpus with :func:`c6lab.validate_corpus`, the
output folders), then executes each notebook with papermill into a fresh folder next to the
output folder, builds ``report.html`` and ``manifest.json`` there, and only then replaces the
previous output folder whole (:mod:`c6lab.runfolders`). A failed or killed run leaves the
previous output as it was.

All notebooks see one corpus: its folder is resolved once (absolute) and handed to every
kernel, its version is taken before the first notebook and compared after each one, and a
run whose corpus changed under it replaces nothing. The report describes that corpus.

Parameters reach a kernel as data: only plain values (:func:`c6lab.parameters.as_plain`), and
the cell papermill injects is checked to be nothing but ``name = <literal>`` lines.

Output folders:

* ``out=OUT``: ``OUT/results`` (tables and figures), ``OUT/notebooks`` (executed copies and
  their HTML), ``OUT/report.html`` and ``OUT/manifest.json``.
* default: ``build/`` of the repository (``notebooks/``, ``report.html``, ``manifest.json``)
  and the results folder (``results/``, or ``$C6LAB_RESULTS``; it gets a copy of the
  manifest), each replaced whole.

``in_place=True`` also stores the fresh outputs in the committed notebooks (for nbval) and the
checksums of the tables in ``notebooks/results.sha256``, once
every notebook has run. Such a run passes no parameters to papermill, so no injected cell
appears in them; the kernels are told the corpus and the fresh results folder through
``C6LAB_CORPUS`` and ``C6LAB_RESULTS`` (absolute) instead.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from . import __version__
from . import parameters as P
from . import plain as _plain
from . import run_checks as RC
from . import runfolders as F
from .corpus.location import bundled_corpus_root
from .io import atomic_write_bytes
from .kernel_env import environment
from .paths import REPO_ROOT
from .report import REPORT_PACKAGES, build_report, package_versions
from .run_checks import check_corpus  # noqa: F401  (runner.check_corpus)
from .run_errors import CorpusInvalid, NotebookFailed, RunError
from .runfolders import MANIFEST, is_run_folder  # noqa: F401  (runner.is_run_folder)

# files a notebook needs beyond a valid corpus, checked before any kernel starts
NOTEBOOK_NEEDS = {"03_sentiment": ("annotations/power_sentiment_gold.csv",
                                   "the hand labels of the mentions of the powers")}
MANIFEST_FORMAT = "c6lab-run/1"
_PATH_PARAMETERS = ("corpus_root", "results_dir", "dask_scheduler")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class RunResult:
    """Where a finished run put its files (the final folders, after the swap)."""

    executed: list[Path]
    report: Path
    manifest: Path
    results_dir: Path
    build_dir: Path
    targets: list[Path] = field(default_factory=list)


# ------------------------------------------------------------------ notebooks and parameters


def notebook_paths(notebook_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Notebooks ``NN_name.ipynb`` of ``notebook_dir`` in name order, optionally only some."""
    paths = sorted(Path(notebook_dir).glob("[0-9][0-9]_*.ipynb"))
    if only:
        names = {p.stem for p in paths}
        missing = [n for n in only if n.removesuffix(".ipynb") not in names]
        if missing:
            raise RunError(f"--only {', '.join(missing)}: no such notebook in {Path(notebook_dir).name}/ "
                           f"(there are: {', '.join(sorted(names))})")
        wanted = {n.removesuffix(".ipynb") for n in only}
        paths = [p for p in paths if p.stem in wanted]
    return paths


def declared_parameters(path: Path) -> dict[str, str]:
    """Names and default source text of the notebook's ``parameters`` cell."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            return {t.id: ast.get_source_segment(cell.source, node.value)
                    for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
    return {}


def declared_defaults(path: Path) -> dict:
    """The notebook's parameters with their default values (source text where not a literal)."""
    out = {}
    for name, source in declared_parameters(path).items():
        try:
            out[name] = ast.literal_eval(source)
        except (ValueError, SyntaxError):
            out[name] = source
    return out


def injected_cell(parameters: dict) -> str:
    """The cell papermill injects for ``parameters``, checked (see :func:`c6lab.plain.injected_cell`);
    :class:`RunError` if it would not assign exactly these plain values."""
    try:
        return _plain.injected_cell(parameters)
    except ValueError as exc:
        raise RunError(str(exc)) from None


def run_notebooks(
    only: list[str] | None = None,
    parameters: dict | None = None,
    notebook_dir: Path | None = None,
    build_dir: Path | None = None,
    progress_bar: bool = True,
    shown: dict | None = None,
    after_each: Callable[[Path], None] | None = None,
    save_each_cell: bool = False,
) -> list[Path]:
    """Execute notebooks in order into ``build_dir/notebooks``; return the executed copies.

    Each notebook gets the ``parameters`` its parameters cell declares (none: no injected
    cell). A name no notebook declares is refused before anything runs (``corpus_root`` and
    ``results_dir`` go to the notebooks that declare them and are never refused), and so is
    a value that is not plain data (:func:`c6lab.parameters.as_plain`, :func:`injected_cell`).
    Each executed copy appears whole or not at all (written aside, then renamed).
    ``after_each(path)`` is called after each notebook (it may raise to stop the run). This
    is the bare executor: :func:`run` adds the checks, the fresh folder and the report.
    ``shown`` are the values named in the progress lines (default: all). With
    ``save_each_cell`` the side copy is saved after every cell (a kernel that dies leaves the
    last cell reached, for ``--debug``); otherwise once, at the end or at the failing cell
    (about 300 saves fewer per run). Raises :class:`RunError`, :class:`NotebookFailed`.
    """
    import papermill as pm  # heavy; only the runner needs it
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import DeadKernelError

    notebook_dir = Path(notebook_dir or REPO_ROOT / "notebooks")
    build_dir = Path(build_dir or REPO_ROOT / "build")
    parameters = dict(parameters or {})
    shown = parameters if shown is None else shown
    paths = notebook_paths(notebook_dir, only)
    declared = {p: declared_parameters(p) for p in paths}
    # the folders go to every notebook that declares them; any other name must be declared somewhere
    unknown = [k for k in parameters if k not in _PATH_PARAMETERS and not any(k in d for d in declared.values())]
    if unknown:
        known = sorted({k for d in declared.values() for k in d})
        raise RunError(f"no notebook has a parameter named {', '.join(unknown)} "
                       f"(parameters: {', '.join(known)})")
    try:
        parameters = {k: P.as_plain(v, k) for k, v in parameters.items()}
    except TypeError as exc:
        raise RunError(f"{exc}; nothing was run") from None
    own = {p: {k: v for k, v in parameters.items() if k in declared[p]} for p in paths}
    for values in own.values():  # every notebook's cell, before the first kernel starts
        if values:
            injected_cell(values)
    out_dir = build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for i, path in enumerate(paths, 1):
        out = out_dir / path.name
        # papermill writes with plain writes: into a side file, renamed when whole. It writes once at
        # the end (or on the failing cell), not before and after every cell: those saves serialised
        # and validated the notebook with its figures ~70 times each (1.5 s CPU a run of four, tiny corpus)
        running = out.with_name(f".{path.stem}.running.ipynb")
        said = ", ".join(f"{k}={P.format_value(v)}" for k, v in own[path].items() if k in shown)
        print(f"[{i}/{len(paths)}] {path.stem}" + (f" with {said}" if said else ""), file=sys.stderr)
        try:
            with tempfile.TemporaryDirectory(prefix="c6lab-kernel-") as sockets:
                km = _kernel(sockets)
                try:
                    # papermill fills {name} in paths with the parameters: braces in a folder name are text
                    nb = pm.execute_notebook(_brace(path), _brace(running), parameters=own[path],
                                             kernel_name="python3", cwd=str(notebook_dir),
                                             progress_bar=progress_bar, km=km,
                                             request_save_on_cell_execute=save_each_cell)
                finally:
                    if km.has_kernel:  # a kernel we start is ours to stop
                        run_sync(km.shutdown_kernel)(now=True)
        except DeadKernelError as exc:  # killed from outside (out of memory, a signal): not a bug of ours
            raise NotebookFailed(f"{path.parent.name}/{path.name} stopped: its kernel died "
                                 f"({_first_line(exc) or 'no reason given'}); out of memory?") from None
        except pm.PapermillExecutionError as exc:
            if running.is_file():
                _name_output(running, out)
                os.replace(running, out)  # the failed copy, for --debug to show
            # number the cell as in the notebook itself, without papermill's injected cell
            injected = 1 if own[path] and exc.cell_index > _parameters_cell(path) else 0
            line = _first_line(exc.source)
            line = line if len(line) <= 60 else line[:57] + "..."
            raise NotebookFailed(
                f"{path.parent.name}/{path.name} failed in cell {exc.cell_index + 1 - injected} ({line}): "
                f"{exc.ename}: {_first_line(exc.evalue)}", "\n".join(exc.traceback)) from None
        if "papermill" in nb.metadata:
            nb.metadata.papermill.output_path = str(out)  # where it is, not the side file
        atomic_write_bytes(out, nbformat.writes(nb).encode("utf-8"))
        running.unlink(missing_ok=True)
        executed.append(out)
        if after_each is not None:
            after_each(path)
    return executed


def _brace(path: Path) -> str:
    return str(path).replace("{", "{{").replace("}", "}}")


def _name_output(running: Path, out: Path) -> None:
    """Name ``out`` as the output in the papermill metadata of the side file ``running``."""
    try:
        nb = nbformat.read(running, as_version=4)
    except (OSError, ValueError):
        return  # a side file cut short: shown as it is
    if "papermill" in nb.metadata:
        nb.metadata.papermill.output_path = str(out)
        atomic_write_bytes(running, nbformat.writes(nb).encode("utf-8"))


def _kernel(folder: str):
    """A kernel talking over local sockets in ``folder`` (IPC), not TCP: nothing listens on a
    port, and the kernel has no reason to warn about unencrypted TCP. An asynchronous manager,
    as nbclient's own: with a blocking one, a kernel that dies leaves nbclient waiting forever."""
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(folder) / "kernel"))


def _parameters_cell(path: Path) -> int:
    """Index of the notebook's ``parameters`` cell (papermill injects its cell right after it)."""
    nb = nbformat.read(path, as_version=4)
    return next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)


def _first_line(text: str) -> str:
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def strip_ansi(text: str) -> str:
    """``text`` without terminal colour codes (as in a kernel's traceback)."""
    return _ANSI.sub("", text)


def store_outputs(executed: Path, original: Path) -> None:
    """Store fresh outputs in the committed notebook without papermill's metadata."""
    run_nb = nbformat.read(executed, as_version=4)
    nb = nbformat.read(original, as_version=4)
    code_run = [c for c in run_nb.cells if c.cell_type == "code"]
    code_nb = [c for c in nb.cells if c.cell_type == "code"]
    if len(code_run) != len(code_nb):
        raise RunError(f"{original.name}: executed copy has a different number of cells")
    for src, dst in zip(code_run, code_nb):
        dst.outputs = src.outputs
        dst.execution_count = src.execution_count
    atomic_write_bytes(original, (nbformat.writes(nb) + "\n").encode("utf-8"))


# ------------------------------------------------------------------ output folders


def _relocate(path: Path, renames: dict[Path, Path]) -> None:
    """Write the final folders instead of the fresh ones into an executed notebook."""
    text = path.read_text(encoding="utf-8")
    for fresh, final in renames.items():
        text = text.replace(json.dumps(str(fresh))[1:-1], json.dumps(str(final))[1:-1])
    atomic_write_bytes(path, text.encode("utf-8"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------ the whole run


def run(
    only: list[str] | None = None,
    parameters: dict | None = None,
    corpus: str | Path | None = None,
    out: str | Path | None = None,
    in_place: bool = False,
    notebook_dir: Path | None = None,
    build_dir: Path | None = None,
    results_dir: Path | None = None,
    progress_bar: bool = True,
    keep_partial: bool = False,
    excel_safe: bool = False,
    scheduler: str | None = None,
) -> RunResult:
    """Check, execute every notebook (or ``only`` some), report, and replace the output whole.

    ``parameters`` are typed values (see :mod:`c6lab.parameters`, which checks them);
    ``corpus`` defaults to the bundled corpus; ``out`` is the one output folder (default:
    ``build_dir`` and ``results_dir``, i.e. ``build/`` and ``results/`` of the repository).
    Nothing here reads the environment: ``c6lab run`` resolves ``$C6LAB_CORPUS`` and
    ``$C6LAB_RESULTS`` and passes the folders. With ``keep_partial`` a failed run leaves its fresh
    folder(s) for inspection. With ``excel_safe`` every table of the results gets
    :func:`c6lab.io.excel_safe_csv` (for spreadsheets). ``scheduler`` is the address of a
    Dask scheduler the notebooks tokenise, count and score on (:class:`c6lab.parallel.Engine`;
    the results are identical to one process). Raises :class:`RunError` (or a
    subclass) and :class:`c6lab.parameters.ParameterError`, before any kernel starts when
    the input is wrong; :class:`RunError` too when the corpus changed during the run.
    """
    started = _now()
    notebook_dir = Path(notebook_dir or REPO_ROOT / "notebooks").resolve()
    paths = notebook_paths(notebook_dir, only)
    stems = [p.stem for p in paths]
    given = dict(parameters or {})
    reserved = [k for k in given if k in _PATH_PARAMETERS]
    if reserved:
        raise RunError(f"{', '.join(reserved)}: give the corpus, the output folder and the Dask scheduler as "
                       "corpus=, out= and scheduler= (--corpus, --out, --scheduler/--workers), not as parameters")
    if in_place and (given or out is not None):
        raise RunError("--in-place refreshes the stored outputs of the default run; "
                       "it cannot be combined with -p, --corpus or --out")
    try:
        given = {k: P.as_plain(v, k) for k, v in given.items()}
    except TypeError as exc:
        raise P.ParameterError(str(exc)) from None
    known = set(P.names())
    P.check_values({k: v for k, v in given.items() if k in known}, stems)
    # absolute: the same folder in every kernel (the command line resolved $C6LAB_CORPUS)
    root = Path(corpus if corpus is not None else bundled_corpus_root()).expanduser().resolve()
    if in_place and root != bundled_corpus_root().resolve():
        # the stored outputs are the bundled study's
        raise RunError(f"--in-place runs the notebooks on the corpus they open by default "
                       f"(the bundled corpus, {bundled_corpus_root().resolve()}), not on {root}")
    opened = RC.check_corpus(root)
    # what the run needs of it; the kernels open it themselves and the report streams the folder
    # (checked unchanged after every notebook), so this process does not hold it meanwhile
    seen = (opened.version, RC.unreviewed_segments(opened), RC.corpus_state(root))
    del opened
    RC.give_back_freed_memory()
    for stem in stems:
        if stem in NOTEBOOK_NEEDS and not (root / NOTEBOOK_NEEDS[stem][0]).is_file():
            need, what = NOTEBOOK_NEEDS[stem]
            others = " ".join(f"--only {s}" for s in stems if s != stem)
            raise RunError(f"{stem} needs {what} in {root / need}, which this corpus does not have"
                           + (f"; run the other notebooks with {others}" if others else ""))

    keep = {"the corpus": root, "the notebooks": notebook_dir, "the c6lab repository": REPO_ROOT,
            "the current folder": Path.cwd().resolve()}
    try:
        targets = _targets(out, build_dir, results_dir, keep)
    except F.FolderError as exc:
        raise RunError(str(exc)) from None
    out = targets[0] if out is not None else None

    try:
        with F.lock_targets(targets):
            for target in targets:  # what killed runs left: finish their swap, remove their fresh folders
                F.recover(target)
                F.clean_leftovers(target)
            return _execute(paths, given, root, seen, out, targets, in_place, notebook_dir, progress_bar,
                            keep_partial, excel_safe, started, scheduler)
    except F.FolderError as exc:
        raise RunError(str(exc)) from None


def _targets(out, build_dir, results_dir, keep: dict[str, Path]) -> list[Path]:
    """The folders a run replaces: ``[OUT]``, or ``[build, results]``; checked (FolderError)."""
    if out is not None:
        if build_dir is not None or results_dir is not None:
            raise ValueError("give either out or build_dir/results_dir")
        out = Path(out).expanduser().resolve()
        F.check_target(out, "--out", own=False, keep=keep)
        targets = [out]
    else:
        build_final = Path(build_dir or REPO_ROOT / "build").expanduser().resolve()
        results_final = Path(results_dir or REPO_ROOT / "results").expanduser().resolve()
        if build_final == results_final or build_final.is_relative_to(results_final) \
                or results_final.is_relative_to(build_final):
            raise F.FolderError(f"the build folder {build_final} and the results folder {results_final} "
                                "must be separate")
        own = {(REPO_ROOT / "build").resolve(), (REPO_ROOT / "results").resolve()}
        F.check_target(build_final, "build folder", build_final in own, keep)
        F.check_target(results_final, "results folder", results_final in own, keep)
        targets = [build_final, results_final]
    return targets


def _execute(paths, given, root, seen, out, targets, in_place, notebook_dir, progress_bar, keep_partial,
             excel_safe, started, scheduler) -> RunResult:
    """The part of :func:`run` after the checks, holding the lock of the output folders."""
    stems = [p.stem for p in paths]
    version, unreviewed, state = seen  # every notebook must see this corpus, and the report describes it
    if unreviewed:
        print(f"c6lab run: note: {unreviewed} segment(s) of the corpus are proposals nobody has reviewed "
              "(`c6lab corpus validate` lists them); the results rest on them as they are", file=sys.stderr)
    fresh = [F.fresh(t) for t in targets]
    try:
        if out is not None:
            build_new, results_new = fresh[0], fresh[0] / "results"
            build_final, results_final = out, out / "results"
        else:
            (build_new, results_new), (build_final, results_final) = fresh, targets
        results_new.mkdir(exist_ok=True)
        renames = {build_new: build_final, results_new: results_final}
        values = dict(given)
        if not in_place:
            values |= {"corpus_root": str(root), "results_dir": str(results_new)}
        # in place no parameter reaches the notebooks: they resolve these two (absolute) themselves
        with environment(C6LAB_CORPUS=str(root), C6LAB_RESULTS=str(results_new),
                                 C6LAB_DASK_SCHEDULER=scheduler or ""):
            executed = run_notebooks(parameters=values, notebook_dir=notebook_dir, build_dir=build_new,
                                     progress_bar=progress_bar, only=stems, shown=given, save_each_cell=keep_partial,
                                     after_each=lambda p: RC.after_notebook(root, version, p.stem, state))
        for path in executed:
            _relocate(path, renames)
        effective = {}
        for path in paths:
            nb_values = declared_defaults(path) | {k: v for k, v in values.items()
                                                   if k in declared_parameters(path)}
            nb_values.update({k: v for k, v in (("corpus_root", str(root)), ("results_dir", str(results_final)))
                              if k in nb_values})
            effective[path.stem] = nb_values
        report = build_report(executed, corpus=root, build_dir=build_new, results_dir=results_new,
                              parameters=effective)
        if excel_safe:  # after the report, which reads the tables as they are
            F.make_excel_safe(results_new)
        atomic_write_bytes(results_new / "README.md", F.results_readme(excel_safe))
        manifest = {
            "format": MANIFEST_FORMAT,
            "c6lab_version": __version__,
            "started": started,
            "finished": _now(),
            "corpus": {"folder": str(root), "version": version, "unreviewed_segments": unreviewed},
            "notebooks": stems,
            "given": given,
            "parameters": effective,
            "in_place": in_place,
            "excel_safe": excel_safe,
            "folders": {"results": str(results_final), "notebooks": str(build_final / "notebooks"),
                        "report": str(build_final / "report.html")},
            "packages": package_versions(),
        }
        data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        atomic_write_bytes(build_new / MANIFEST, data)
        if results_new != build_new / "results":
            atomic_write_bytes(results_new / MANIFEST, data)
        RC.check_unchanged(root, version, "at the end")
        if in_place:
            for path, done in zip(paths, executed):
                store_outputs(done, path)
            # the record of the tables beside the stored outputs: a re-run is checked against it
            atomic_write_bytes(notebook_dir / F.CHECKSUMS, F.table_checksums(results_new))
        F.swap(list(zip(fresh, targets)))
    except BaseException as exc:
        if keep_partial:
            for f in fresh:
                F.keep(f)
            if isinstance(exc, RunError):
                exc.args = (f"{exc.args[0]} (the unfinished run is kept in {', '.join(map(str, fresh))})",)
        else:
            for f in fresh:
                F.delete(f)
        raise
    final = [build_final / "notebooks" / p.name for p in executed]
    return RunResult(executed=final, report=build_final / report.name, manifest=build_final / MANIFEST,
                     results_dir=results_final, build_dir=build_final, targets=targets)


__all__ = ["MANIFEST", "REPORT_PACKAGES", "CorpusInvalid", "NotebookFailed", "RunError", "RunResult",
           "build_report", "check_corpus", "declared_defaults", "declared_parameters", "is_run_folder",
           "notebook_paths", "package_versions", "run", "run_notebooks", "store_outputs", "strip_ansi"]
