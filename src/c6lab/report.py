"""The report of a run: ``report.html`` linking every executed notebook rendered to HTML,
with the corpus version and the package versions it was computed with."""

from __future__ import annotations

import html
import platform
from importlib import metadata
from pathlib import Path

import nbformat

from .io import atomic_write_bytes
from .paths import REPO_ROOT

REPORT_PACKAGES = ("c6lab", "pandas", "numpy", "scipy", "scikit-learn", "nltk", "matplotlib",
                   "vaderSentiment", "papermill", "nbconvert")


def package_versions() -> dict[str, str]:
    """Python's version and those of the packages a run depends on."""
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


__all__ = ["REPORT_PACKAGES", "build_report", "package_versions"]
