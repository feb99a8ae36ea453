"""Execute the notebooks in order and build the report: what ``c6lab run`` does.

Each notebook runs with papermill into ``build/notebooks/`` (the committed notebooks are
not touched unless ``in_place=True``); tables and figures go to ``results/`` from inside
the notebooks. ``build/report.html`` links every executed notebook rendered to HTML and
states the corpus version and the package versions it was computed with.
"""

from __future__ import annotations

import ast
import html
import platform
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import yaml

from .io import atomic_write_bytes
from .paths import REPO_ROOT

REPORT_PACKAGES = ("c6lab", "pandas", "numpy", "scipy", "scikit-learn", "nltk", "matplotlib",
                   "vaderSentiment", "papermill", "nbconvert")


class RunError(RuntimeError):
    """A notebook could not be run; the message names it (and the cell)."""


def notebook_paths(notebook_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Notebooks ``NN_name.ipynb`` of ``notebook_dir`` in name order, optionally only some."""
    paths = sorted(notebook_dir.glob("[0-9][0-9]_*.ipynb"))
    if only:
        names = {p.stem for p in paths}
        missing = [n for n in only if n.removesuffix(".ipynb") not in names]
        if missing:
            raise RunError(f"no notebook named {', '.join(missing)} in {notebook_dir.name}/ "
                           f"(there are: {', '.join(sorted(names))})")
        wanted = {n.removesuffix(".ipynb") for n in only}
        paths = [p for p in paths if p.stem in wanted]
    return paths


def parse_parameters(pairs: list[str]) -> dict:
    """Parse ``name=value`` strings; values are read as YAML (``3``, ``[a, b]``, ``outlet``).

    Examples
    --------
    >>> parse_parameters(["group_by=outlet", "k_max=4", "kinds=[quote]"])
    {'group_by': 'outlet', 'k_max': 4, 'kinds': ['quote']}
    """
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise RunError(f"-p {pair!r}: write parameters as name=value")
        try:
            out[name.strip()] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError as exc:
            raise RunError(f"-p {pair!r}: cannot read the value ({exc.problem})") from None
    return out


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


def run_notebooks(
    only: list[str] | None = None,
    parameters: dict | None = None,
    corpus: str | Path | None = None,
    in_place: bool = False,
    notebook_dir: Path | None = None,
    build_dir: Path | None = None,
    progress_bar: bool = True,
) -> list[Path]:
    """Execute notebooks in order; return the executed copies. Raises :class:`RunError`."""
    import papermill as pm  # heavy; only the runner needs it

    notebook_dir = Path(notebook_dir or REPO_ROOT / "notebooks")
    build_dir = Path(build_dir or REPO_ROOT / "build")
    parameters = dict(parameters or {})
    if corpus is not None:
        parameters["corpus_root"] = str(Path(corpus).resolve())
    if in_place and parameters:
        raise RunError("--in-place refreshes the stored outputs of the default run; "
                       "it cannot be combined with -p or --corpus")
    paths = notebook_paths(notebook_dir, only)
    declared = {p: declared_parameters(p) for p in paths}
    unknown = [k for k in parameters if not any(k in d for d in declared.values())]
    if unknown:
        known = sorted({k for d in declared.values() for k in d})
        raise RunError(f"no notebook has a parameter named {', '.join(unknown)} "
                       f"(parameters: {', '.join(known)})")
    out_dir = build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for i, path in enumerate(paths, 1):
        out = out_dir / path.name
        own = {k: v for k, v in parameters.items() if k in declared[path]}
        print(f"[{i}/{len(paths)}] {path.name}" + (f" with {own}" if own else ""), file=sys.stderr)
        try:
            pm.execute_notebook(str(path), str(out), parameters=own, kernel_name="python3",
                                cwd=str(notebook_dir), progress_bar=progress_bar)
        except pm.PapermillExecutionError as exc:
            tb = "\n".join(exc.traceback)
            raise RunError(f"{path.parent.name}/{path.name} failed in cell {exc.cell_index + 1} "
                           f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue}\n{tb}\n"
                           f"The partly executed notebook is {out}") from None
        if in_place:
            _copy_outputs(out, path)
        executed.append(out)
    return executed


def _copy_outputs(executed: Path, original: Path) -> None:
    """Store fresh outputs in the committed notebook without papermill's metadata."""
    run = nbformat.read(executed, as_version=4)
    nb = nbformat.read(original, as_version=4)
    code_run = [c for c in run.cells if c.cell_type == "code"]
    code_nb = [c for c in nb.cells if c.cell_type == "code"]
    if len(code_run) != len(code_nb):
        raise RunError(f"{original.name}: executed copy has a different number of cells")
    for src, dst in zip(code_run, code_nb):
        dst.outputs = src.outputs
        dst.execution_count = src.execution_count
    atomic_write_bytes(original, (nbformat.writes(nb) + "\n").encode("utf-8"))


# ------------------------------------------------------------------ report


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in REPORT_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_report(executed: list[Path], corpus: str | Path, build_dir: Path | None = None) -> Path:
    """Render executed notebooks to HTML and write ``build/report.html`` linking them.

    ``corpus`` is the folder the notebooks ran on; the report states its version.
    """
    from nbconvert import HTMLExporter

    from . import open_corpus

    build_dir = Path(build_dir or REPO_ROOT / "build")
    corpus = open_corpus(corpus)
    df = corpus.segments
    exporter = HTMLExporter(template_name="lab")
    items = []
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        page = path.with_suffix(".html")
        atomic_write_bytes(page, body.encode("utf-8"))
        heading = next((c.source.splitlines()[0].lstrip("# ") for c in nb.cells
                        if c.cell_type == "markdown" and c.source.startswith("#")), path.stem)
        items.append((page.relative_to(build_dir).as_posix(), heading))
    versions = package_versions()
    speakers = df.loc[df["speaker_id"] != "", ["speaker", "country"]].drop_duplicates()
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in versions.items())
    links = "".join(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for href, title in items)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>c6lab report</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
td{{padding:0 1em 0 0}}</style></head><body>
<h1>c6lab report</h1>
<p>Corpus <code>{html.escape(str(corpus.root))}</code>, version <code>{corpus.version}</code>:
{df['article_id'].nunique()} articles, {len(df)} segments, {len(speakers)} commentators
({html.escape(', '.join(f"{s} ({c})" for s, c in speakers.itertuples(index=False)))}).</p>
<h2>Notebooks</h2><ol>{links}</ol>
<h2>Computed with</h2><table>{rows}</table>
<p>Tables (CSV) and figures are in the results folder of this run
(<code>results/</code>, or <code>OUT/results/</code> with <code>--out OUT</code>).</p>
</body></html>
"""
    return atomic_write_bytes(build_dir / "report.html", page.encode("utf-8"))


__all__ = ["RunError", "build_report", "declared_parameters", "notebook_paths",
           "parse_parameters", "run_notebooks"]
