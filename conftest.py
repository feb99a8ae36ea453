"""Fixtures shared by the tests and the doctested docs (one conftest for the whole repository:
with --doctest-modules, two files named conftest.py in different folders would clash)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine: a CI failure must be
# reproducible, never a new random draw. No deadline: the shared 2-core machine is noisy.
settings.register_profile("c6lab", derandomize=True, deadline=None, database=None)
settings.load_profile("c6lab")

CORPUS = Path(__file__).resolve().parent / "corpus"


def synthetic_module():
    """``benchmarks/synthetic.py`` (the n-times corpus generator) as a module; not a package, so loaded by path."""
    import importlib.util
    import sys

    bench = Path(__file__).resolve().parent / "benchmarks"
    sys.path.insert(0, str(bench))  # for its `import _timing`, which takes it off again
    spec = importlib.util.spec_from_file_location("c6lab_bench_synthetic", bench / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of corpus/ in a temporary folder (tests may corrupt it freely)."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture(autouse=True)
def _restore_corpus_env():
    """docs/adapting.md sets C6LAB_CORPUS; never let that leak into another test."""
    before = os.environ.get("C6LAB_CORPUS")
    yield
    if before is None:
        os.environ.pop("C6LAB_CORPUS", None)
    else:
        os.environ["C6LAB_CORPUS"] = before


@pytest.fixture
def browser():
    """Headless Chromium driven by selenium; skips, saying why, where no browser is installed."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("no headless Chromium here: install the Debian packages chromium and chromium-driver "
                    "(.ci/run does where it can)")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    # no background traffic: the closed network of CI refuses it, and a page test must see only its page
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000"):
        opts.add_argument(arg)
    opts.binary_location = chromium
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver), options=opts)
    try:
        yield chrome
    finally:
        chrome.quit()


def build_corpus(folder: Path, articles: dict, powers: str = "", power_names: str = "") -> Path:
    """A corpus of one's own made as a user would: ``corpus init``, rows appended to its
    ``powers.csv``/``power_names.csv``, then ``corpus add`` of each article.

    ``articles`` maps a file name to ``(outlet, "Speaker Name=CC", text)``; the corpus is
    ``folder / "corpus"``.
    """
    from c6lab.cli import main as cli

    root = folder / "corpus"
    assert cli(["corpus", "init", str(root)]) == 0
    for name, rows in (("powers.csv", powers), ("power_names.csv", power_names)):
        with (root / "lexicons" / name).open("a", encoding="utf-8") as fh:
            fh.write(rows)
    for name, (outlet, speaker, text) in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
        assert cli(["corpus", "add", str(folder / name), "--corpus", str(root), "--outlet", outlet,
                    "--speaker", speaker, "--no-progress"]) == 0
    return root


# ------------------------------------------------------------------ runs of the real notebooks, shared
# A run of the notebooks costs a kernel start and its imports per notebook; one run serves every
# test that reads it. The tests that share a run are one xdist group (see the hooks below), so
# under `make test` (--dist loadgroup) each run happens once, on one worker.

FEW_REPLICATES = ("-p", "n_boot=99", "-p", "n_subsamples=2", "-p", "n_seeds=1")


def run_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _cli_ok(*args) -> None:
    from c6lab.cli import main as cli

    assert cli([str(a) for a in args]) == 0


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory):
    """Every notebook on the bundled corpus with the default parameters, into OUT: (OUT, its files
    as the run left them). Read by the determinism tests and the Dask comparison; nothing may
    change OUT except a run that fails (which must leave it as it was)."""
    from c6lab import runner

    out = tmp_path_factory.mktemp("bundled") / "run"
    result = runner.run(out=out, progress_bar=False)
    assert result.report == out / "report.html"
    return out, run_files(out)


@pytest.fixture(scope="session")
def one_article_run(bundled_run, tmp_path_factory):
    """One article (and so one speaker) of the bundled corpus, with its word lists and hand labels,
    run through every notebook with few replicates into a copy of the bundled run's OUT, which it
    replaces: (corpus, OUT, files of the bundled run, start time). Checked by the determinism tests
    (the output is replaced whole) and the prose tests of notebooks 01 and 02 (one group)."""
    import time

    from test_determinism import small_corpus

    earlier, files = bundled_run
    base = tmp_path_factory.mktemp("one_article")
    own = small_corpus(base / "one_article")
    out = base / "run"
    shutil.copytree(earlier, out)  # an earlier run (old times kept: a file the run leaves shows)
    start = time.time()
    _cli_ok("run", "--corpus", own, "--out", out, "--no-progress", *FEW_REPLICATES)
    return own, out, files, start


@pytest.fixture(scope="session")
def fifth_speaker_run(tmp_path_factory):
    """The bundled corpus with word lists of its own (a phrase, a stopword, a new power:
    Kazakhstan) plus two articles quoting new Kyrgyz commentators, added with ``c6lab corpus
    add``, and only the Kyrgyz commentators quoted (every other one paraphrased); every notebook
    with few replicates: (corpus, OUT)."""
    from test_determinism import only_one_group_quoted
    from test_narrative_corpus_tone import FIFTH, _add
    from test_narrative_keywords_topics import ARTICLE
    from test_own_corpus import add_own_lists

    base = tmp_path_factory.mktemp("fifth")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    add_own_lists(corpus)
    for name, (speaker, text) in {"kabar_mamytov.txt": ("Aibek Mamytov=KG", ARTICLE),
                                  "temirova.txt": ("Aigul Temirova=KG", FIFTH)}.items():
        _add(corpus, base, name, "Kabar", speaker, text)
    only_one_group_quoted(corpus, "KG")
    out = base / "out"
    _cli_ok("run", "--corpus", corpus, "--out", out, "--no-progress", *FEW_REPLICATES)
    return corpus, out


@pytest.fixture(scope="session")
def own_study_run(tmp_path_factory):
    """A researcher's own corpus start to finish, as the README shows it, then every notebook (few
    replicates): ``corpus init``, a new power (India) in its lists, a batch of text files and a
    saved web page added with ``corpus add``, articles with their speakers given (new groups), a
    look with ``corpus show`` and a review round trip of the page. No hand labels; every segment
    but the page's a proposal nobody reviewed. Returns what each step gave (a dict)."""
    import contextlib
    import io

    from test_narrative_corpus_tone import NEW_ARTICLES
    from test_own_corpus_end_to_end import ARTICLES as TEXTS
    from test_own_corpus_end_to_end import PAGE
    from test_power_validation import ARTICLES

    import c6lab

    base = tmp_path_factory.mktemp("own_study")
    root = base / "my_study"
    _cli_ok("corpus", "init", root)
    with (root / "lexicons" / "powers.csv").open("a", encoding="utf-8") as fh:
        fh.write("IN,India,no,state,\n")
    with (root / "lexicons" / "power_names.csv").open("a", encoding="utf-8") as fh:
        fh.write("IN,India,#CC79A7\n")
    page = base / "kunuz_page.html"
    page.write_text(PAGE, encoding="utf-8")
    texts = sorted(TEXTS.glob("*.txt"))[:5]
    _cli_ok("corpus", "add", *texts, page, "--corpus", root, "--outlet", "Test outlet", "--no-progress")
    batch = c6lab.open_corpus(root)
    for name, (outlet, speaker, text) in {**NEW_ARTICLES, **ARTICLES}.items():
        (base / name).write_text(text, encoding="utf-8")
        _cli_ok("corpus", "add", base / name, "--corpus", root, "--outlet", outlet, "--speaker", speaker,
                "--no-progress")
    page_id = batch.articles.loc[batch.articles["source_file"] != "", "article_id"].iloc[0]
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        _cli_ok("corpus", "show", page_id, "--corpus", root)
    review = base / "review.txt"
    _cli_ok("corpus", "review", page_id, "--corpus", root, "--out", review)
    _cli_ok("corpus", "review", page_id, "--corpus", root, "--apply", review)
    out = base / "results_of_my_study"
    _cli_ok("run", "--corpus", root, "--out", out, "--no-progress", *FEW_REPLICATES)
    return {"corpus": root, "out": out, "texts": texts, "batch": batch, "page_id": page_id,
            "shown": shown.getvalue(), "n_added": len(NEW_ARTICLES) + len(ARTICLES)}


ENVIRONMENT_CHANGES: set[str] = set()


@pytest.fixture(scope="module")
def dask_engine():
    """One two-worker ``LocalCluster`` (starting one costs seconds) for the tests of a module, as a
    c6lab Engine with partitions of 3 rows; skips, saying why, where ``distributed`` cannot start
    worker processes. What starting it changed in this process's environment is in
    ``ENVIRONMENT_CHANGES``. Module scope: an idle cluster (scheduler thread, two nannies, two
    workers) costs about 0.1 CPU-second per second, some 10 s of a whole session kept alive."""
    pytest.importorskip("distributed", reason="dask's distributed is not installed (pip install c6lab[dask])")
    from c6lab.parallel import Engine

    before = dict(os.environ)
    try:
        eng = Engine(workers=2, partition_size=3, timeout=60)
    except Exception as exc:  # no processes, no sockets: say so instead of failing
        pytest.skip(f"distributed could not start two local workers here: {type(exc).__name__}: {exc}")
    ENVIRONMENT_CHANGES.update({k for k in {*before, *os.environ} if before.get(k) != os.environ.get(k)})
    with eng:
        yield eng


# ------------------------------------------------------------------ xdist groups and their order
# `make test` runs `--dist loadgroup` with the scheduler below: the tests that read a shared run
# (or use the cluster) are one group, sent to one worker, so the run happens once; every other
# test goes with its file (as --dist loadfile). The scheduler sees only test ids, so the groups
# are listed here by id (a file, or file::test); a test that uses a shared run without being
# listed with it is refused at collection, naming this table.
SHARED = {
    "bundled run": ("tests/test_determinism.py::test_a_run_writes_the_tables_of_the_stored_record_and_a_report",
                    "tests/test_determinism.py::test_the_record_is_what_sha256sum_checks",
                    "tests/test_determinism.py::test_the_stored_outputs_are_those_of_the_run",
                    "tests/test_determinism.py::test_report_and_notebook_pages_are_offline_and_work_in_a_browser",
                    "tests/test_determinism.py::test_the_report_states_only_this_runs_numbers",
                    "tests/test_determinism.py::test_a_small_corpus_of_ones_own_replaces_the_output_and_every_"
                    "notebook_copes",
                    "tests/test_determinism.py::test_a_notebook_that_fails_leaves_the_previous_output",
                    "tests/test_narrative_keywords_topics.py::test_a_corpus_of_one_article_and_one_speaker_runs_to_"
                    "the_end",
                    "tests/test_parallel.py"),
    "fifth speaker run": ("tests/test_narrative_fifth_speaker.py",
                          "tests/test_determinism.py::test_keywords_when_only_one_group_is_quoted",
                          "tests/test_own_corpus.py::test_cli_run_on_the_copy_gives_the_same_tables"),
    "own study run": ("tests/test_own_corpus_end_to_end.py",
                      "tests/test_narrative_corpus_tone.py::test_a_corpus_made_with_corpus_init_runs_to_the_end",
                      "tests/test_power_validation.py::test_the_notebook_runs_on_the_corpus_without_labels"),
}
GROUP_OF_FIXTURE = {"bundled_run": "bundled run", "one_article_run": "bundled run", "dask_engine": "bundled run",
                    "fifth_speaker_run": "fifth speaker run", "own_study_run": "own study run"}
# Groups sent out first, longest first, so that the two workers of `make test` finish together
# (seconds measured on 2 busy cores; only the order depends on them, never a result). The rest follow
# in collection order: many small files, which even out the end.
LONGEST_FIRST = {"bundled run": 110, "own study run": 69, "fifth speaker run": 48,
                 "tests/test_narrative_corpus_tone.py": 31, "tests/test_runner.py": 29,
                 "tests/test_run_faults.py": 23, "tests/test_validate_hostile.py": 23,
                 "tests/test_narrative_keywords_topics.py": 19, "tests/test_table_csv.py": 15,
                 "notebooks/02_topics.ipynb": 14, "notebooks/03_sentiment.ipynb": 13,
                 "tests/test_transactions.py": 13, "tests/test_topics.py": 12,
                 "notebooks/01_keywords.ipynb": 10, "tests/test_keywords.py": 10, "notebooks/00_corpus.ipynb": 7}


def group_of(nodeid: str) -> str:
    """The xdist group of a test id: its shared run's, else its file."""
    head, at, mark = nodeid.rpartition("@")
    if at and "]" not in mark and "::" not in mark:  # an xdist_group mark, where xdist can add it
        return mark
    for group, ids in SHARED.items():
        if any(nodeid == i or nodeid.startswith((i + "::", i + "[")) for i in ids):
            return group
    return nodeid.split("::", 1)[0]


def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup: the groups above, sent out in the order of the collection (sorted below)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedRunScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False  # else the groups go out by their number of tests

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return SharedRunScheduling(config, log)


@pytest.hookimpl(trylast=True)  # after every other reordering: the collection xdist receives
def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            if name in GROUP_OF_FIXTURE and group_of(item.nodeid) != GROUP_OF_FIXTURE[name]:
                raise pytest.UsageError(f"{item.nodeid} uses {name}: list it in SHARED[{GROUP_OF_FIXTURE[name]!r}] "
                                        "of conftest.py (one worker computes the run once for its group)")
    ranked = sorted(LONGEST_FIRST, key=LONGEST_FIRST.get, reverse=True)
    rank = {g: i for i, g in enumerate(ranked)}
    order = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda it: (rank.get(group_of(it.nodeid), len(rank)), order[id(it)]))
