"""The report of a run: the study's front page, the executed notebooks as offline pages, the explorer.

``report.html`` states the question, the corpus (articles, speakers, unreviewed segments),
the parameters, the headline findings with their uncertainty (keywords and whether they
survive the robustness checks, topics and their shares, tone by group and power beside the
validation figures), the main figures, and links to each notebook page and to the
explorer. It is built from a jinja2 template and the run's own tables; nothing in it is
typed by hand. Every page is offline: MathJax is served from a local copy
(``jupyter-server-mathjax``), and the notebook pages load nothing from another host.
"""

from __future__ import annotations

import base64
import functools
import platform
import re
import shutil
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path

import nbformat
import pandas as pd

from .io import atomic_write_bytes
from .paths import REPO_ROOT

REPORT_PACKAGES = ("c6lab", "pandas", "numpy", "scipy", "scikit-learn", "nltk", "matplotlib",
                   "vaderSentiment", "papermill", "nbconvert", "trafilatura")
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
# figures shown on the front page, by file name pattern, in this order
MAIN_FIGURES = (r"00_words_per_country", r"01_.*vs_rest.*", r"02_topic_share.*", r"03_.*heatmap.*")


def package_versions() -> dict[str, str]:
    """Python's version and those of the packages a run depends on."""
    out = {"python": platform.python_version()}
    for name in REPORT_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def copy_mathjax(build_dir: Path) -> Path | None:
    """Copy the parts of MathJax the notebook pages use into ``build_dir/mathjax`` (offline math)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    src = Path(jupyter_server_mathjax.__file__).parent / "static"
    dest = build_dir / "mathjax"
    if dest.exists():
        return dest
    # the pages use HTML-CSS output with the system's fonts (see notebook_page): no web fonts
    skip = shutil.ignore_patterns("localization", "SVG", "a11y", "mhchem3", "fonts")
    shutil.copytree(src, dest, ignore=skip, copy_function=shutil.copy)  # files of this run: fresh times
    return dest


# papermill's lab template loads require.js, MathJax and mermaid from a CDN: none is needed
# offline except MathJax, which is pointed at the local copy
_CDN_SCRIPT = re.compile(r'<script[^>]*src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js[^"]*"[^>]*>\s*</script>')
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S)


@functools.lru_cache(maxsize=4)
def _exporter(mathjax: str | None):
    """One HTML exporter per MathJax address, reused: a new one compiles its templates again
    (about 0.25 s of CPU a page); the pages are the same bytes either way (checked)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    if mathjax:
        exporter.mathjax_url = f"{mathjax}?config={MATHJAX_CONFIG}"
    return exporter


def notebook_page(path: Path, mathjax: str | None) -> tuple[str, str]:
    """An executed notebook as an offline HTML page titled after it; returns (title, html)."""
    nb = nbformat.read(path, as_version=4)
    title = next((c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                  if c.cell_type == "markdown" and c.source.startswith("#")), path.stem)
    body, _ = _exporter(mathjax).from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _CDN_SCRIPT.sub("", body)
    body = _MERMAID.sub("", body)
    if mathjax:
        # no web fonts: browsers refuse fonts from file:// pages; the system fonts render the math
        config = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": '
                  '{availableFonts: [], preferredFont: null, webFont: null, imageFont: null}});</script>\n')
        body = body.replace(f'<script src="{mathjax}', config + f'<script src="{mathjax}', 1)
    return title, body


def _csv(results_dir: Path | None, name: str) -> pd.DataFrame | None:
    if results_dir is None or not (results_dir / name).is_file():
        return None
    return pd.read_csv(results_dir / name, keep_default_na=False, na_values=[""])


def _none(x):
    return None if pd.isna(x) else x


def _keywords(results_dir, top_n: int = 5) -> list[dict]:
    kw, robust, slice_ = (_csv(results_dir, n) for n in ("keywords.csv", "keywords_robustness.csv",
                                                          "keywords_slice.csv"))
    if kw is None or kw.empty:
        return []
    kw = kw[(kw["design"] == "one_vs_rest") & (kw["z"] > 0) & (kw["rank"] <= top_n)]
    survives = {}
    if robust is not None and "survives" in robust.columns:
        survives = {(str(g), w): ("yes" if str(s) == "True" else "no")
                    for g, w, s in robust[["group", "word", "survives"]].itertuples(index=False)}
    out = []
    for g, sub in kw.groupby("group", sort=True):
        info = slice_.set_index(slice_["group"].astype(str)).loc[str(g)] if slice_ is not None and (
            slice_["group"].astype(str) == str(g)).any() else {}
        words = [{"word": w.word, "z": w.z, "count_group": int(w.count_group),
                  "count_reference": int(w.count_reference), "survives": survives.get((str(g), w.word), "not checked")}
                 for w in sub.sort_values(["rank", "word"]).itertuples(index=False)]
        out.append({"group": g, "n_speakers": info.get("n_speakers", "?"), "n_tokens": int(sub["n_group"].iloc[0]),
                    "words": words})
    return out


def _topics(results_dir, docs: dict | None) -> dict | None:
    """The chosen model's topics; ``docs`` is :func:`c6lab.explorer.topic_documents` (``doc_topics.csv``
    read once, in blocks, for the report and the explorer)."""
    words, selection = (_csv(results_dir, n) for n in ("topics.csv", "topic_selection.csv"))
    if docs is None or words is None:
        return None
    model, k = docs["model"], docs["k"]
    shares = sorted(results_dir.glob("topic_share_by_*.csv"))
    share = pd.read_csv(shares[0], keep_default_na=False, na_values=[""]) if shares else None
    row = selection[(selection["model"] == model) & (selection["k"] == k)] if selection is not None else None
    topics = []
    for t, sub in words[(words["model"] == model) & (words["k"] == k)].groupby("topic", sort=True):
        s = []
        if share is not None:
            by = share.columns[0]
            s = [{"group": r[by], "share": r["share"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]}
                 for _, r in share[share["topic"] == t].iterrows()]
        topics.append({"topic": int(t), "label": str(docs["labels"].get(int(t), "")),
                       "words": sub.sort_values("rank")["word"].head(8).tolist(), "share": s})
    return {"model": model, "k": k, "topics": topics,
            "stability": _none(row["stability"].iloc[0]) if row is not None and len(row) else None,
            "stability_sd": _none(row["stability_sd"].iloc[0]) if row is not None and len(row) else None}


def _tone(results_dir, method: str = "masked_sentence") -> dict | None:
    summary, validation = _csv(results_dir, "power_sentiment.csv"), _csv(results_dir, "power_validation.csv")
    if summary is None or summary.empty:
        return None
    head = summary[(summary["method"] == method) & (summary["lexicon"] == "vader") & (summary["n_mentions"] > 0)]
    rows = [{"group": r.group, "power": r.power, "n_mentions": int(r.n_mentions), "mean_compound": r.mean_compound,
             "ci_low": _none(r.ci_low), "ci_high": _none(r.ci_high)} for r in head.itertuples(index=False)]
    val = []
    if validation is not None and not validation.empty and "accuracy" in validation.columns:
        v = validation[validation["lexicon"] == "vader"].dropna(subset=["accuracy"])
        val = v.to_dict("records")
    return {"method": method, "rows": rows, "validation": val}


def _figures(results_dir) -> list[dict]:
    folder = results_dir / "figures" if results_dir is not None else None
    if folder is None or not folder.is_dir():
        return []
    files = sorted(folder.glob("*.png"))
    out = []
    for pattern in MAIN_FIGURES:
        hit = next((f for f in files if re.fullmatch(pattern, f.stem)), None)
        if hit is not None:
            data = base64.b64encode(hit.read_bytes()).decode("ascii")
            out.append({"name": hit.name, "data": f"data:image/png;base64,{data}"})
    return out


def _speakers(scan) -> list[dict]:
    """Tokens quoted or paraphrased per speaker, from the pass over the corpus (as ``dfm`` counts them)."""
    return [{"speaker": s, "country": scan.speakers[s][0], "n_tokens": scan.speakers[s][1]}
            for s in sorted(scan.speakers)]


def build_report(executed: list[Path], corpus, build_dir: Path | None = None,
                 results_dir: str | Path | None = None, parameters: dict | None = None,
                 explorer_options: dict | None = None) -> Path:
    """Write the run's pages into ``build_dir``: ``report.html``, the notebook pages and ``explorer.html``.

    The corpus is read once for both pages (:func:`c6lab.corpus_scan.scan_corpus`), and the
    pages stay bounded in size whatever the corpus size: the report lists the first
    ``max_articles`` articles, the explorer embeds what :func:`c6lab.explorer.explorer_data`
    keeps; both say what they left out and where the rest is.

    Parameters
    ----------
    executed : list of path
        The executed notebooks (``build_dir/notebooks/*.ipynb``).
    corpus : Corpus or path
        The corpus the notebooks ran on: the :class:`c6lab.Corpus` the run opened (and
        checked unchanged after every notebook), or its folder (then streamed, not loaded:
        the run validated it).
    build_dir : path, optional
        Default ``build/`` of the repository.
    results_dir : path, optional
        The run's results (tables and figures); the findings and the explorer are read from
        it. Without it the report lists the notebooks only.
    parameters : dict, optional
        ``notebook -> {name: value}`` as used by the run.
    explorer_options : dict, optional
        Passed to :func:`c6lab.explorer.explorer_data`: ``kinds``, ``group_by`` and the caps
        ``top_n``, ``max_lines``, ``max_articles`` (also the report's article list),
        ``max_mentions``.

    Examples
    --------
    >>> build_report([], open_corpus(), "build", "results")  # doctest: +SKIP
    PosixPath('build/report.html')
    """
    import jinja2

    from .corpus_scan import scan_corpus
    from .explorer import MAX_ARTICLES, corpus_version, explorer_data_and_scan, write_explorer

    build_dir = Path(build_dir or REPO_ROOT / "build")
    results_dir = Path(results_dir) if results_dir is not None else None
    options = dict(explorer_options or {})
    # the corpus the run opened, not the folder read again: the report describes what the notebooks saw;
    # a folder is streamed once for both pages (never loaded whole: 20,000 articles would take gigabytes)
    root = corpus.root if hasattr(corpus, "lexicons") else Path(corpus)
    mathjax = copy_mathjax(build_dir)
    notebooks = []
    for path in executed:
        title, body = notebook_page(path, "../mathjax/MathJax.js" if mathjax else None)
        page = atomic_write_bytes(path.with_suffix(".html"), body.encode("utf-8"))
        notebooks.append({"href": page.relative_to(build_dir).as_posix(), "title": title})
    explorer, docs = None, None
    if results_dir is not None and results_dir.is_dir():
        data, scan, docs = explorer_data_and_scan(corpus, results_dir, **options)
        explorer = write_explorer(data, build_dir / "explorer.html").relative_to(build_dir).as_posix()
        version = data["corpus"]["version"]  # computed once: it hashes every file of the corpus
        del data
    else:
        version = corpus_version(corpus)
        scan = scan_corpus(corpus, kinds=options.get("kinds", ("quote", "paraphrase")),
                           max_articles=options.get("max_articles", MAX_ARTICLES))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = resources.files("c6lab").joinpath("data", "report", "report.html.j2").read_text(encoding="utf-8")
    page = env.from_string(template).render(
        title=f"c6lab report · {root.name}", date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        corpus={"root": str(root), "version": version}, notebooks=notebooks, explorer=explorer,
        articles=[{k: ("" if pd.isna(v) else v) for k, v in a.items() if k != "text"} for a in scan.articles],
        n_articles=scan.n_articles, n_segments=scan.n_segments, speakers=_speakers(scan),
        unreviewed=scan.n_unreviewed,
        parameters={k: {n: v for n, v in vals.items() if n not in ("corpus_root", "results_dir")}
                    for k, vals in (parameters or {}).items()},
        keywords=_keywords(results_dir), topics=_topics(results_dir, docs), tone=_tone(results_dir),
        figures=_figures(results_dir), versions=package_versions())
    return atomic_write_bytes(build_dir / "report.html", page.encode("utf-8"))


__all__ = ["REPORT_PACKAGES", "build_report", "copy_mathjax", "notebook_page", "package_versions"]
