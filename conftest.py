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
