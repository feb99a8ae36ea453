"""A researcher's own corpus, start to finish, as the README shows it: init, a batch of text
files and a saved web page, show, a review round trip, and `c6lab run --corpus --out`. The steps
run in conftest's ``own_study_run`` (with articles of other tests added: one run of the notebooks
serves the tone and validation tests too); their results are checked here."""

from __future__ import annotations

import json
from pathlib import Path

import c6lab

ARTICLES = Path(__file__).resolve().parent / "articles"
PAGE = """<!DOCTYPE html><html><head><title>Uzbek analyst: Caspian transit is the priority | Kun.uz</title>
<meta property="og:site_name" content="Kun.uz"><meta property="article:published_time" content="2025-11-20">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><article>
<h1>Uzbek analyst: Caspian transit is the priority</h1>
<p>Tashkent hosted a forum on regional connectivity with delegations from Baku and Astana on Thursday.</p>
<p>Uzbek political scientist Dilnoza Karimova said that the Middle Corridor has become the main route
to Europe for Central Asian exporters.</p>
<p>"China and the European Union both invest in the Caspian ports, and the United States watches closely,"
she said.</p>
</article><footer>Download our app on Google Play</footer></body></html>
"""


def test_init_add_show_review_run(own_study_run):
    # conftest runs the steps (the notebooks once, for the tone tests as well); their results here
    run = own_study_run
    root, texts, batch = run["corpus"], run["texts"], run["batch"]
    # the batch of text files and the page: every segment a proposal
    assert len(batch.articles) == len(texts) + 1
    assert not batch.segments["reviewed"].any()
    page_id = run["page_id"]
    assert "Dilnoza Karimova" in run["shown"]
    corpus = c6lab.open_corpus(root)
    assert len(corpus.articles) == len(texts) + 1 + run["n_added"]
    status = corpus.review_status().set_index("article_id")
    assert status.loc[page_id, "n_unreviewed"] == 0 and status["n_unreviewed"].sum() > 0

    out = run["out"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["folder"] == str(root.resolve())
    assert manifest["corpus"]["unreviewed_segments"] == int(status["n_unreviewed"].sum())
    for name in ("report.html", "explorer.html", "notebooks/03_sentiment.html", "results/keywords.csv"):
        assert (out / name).is_file(), name
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"{manifest['corpus']['unreviewed_segments']} segment(s) are proposals nobody has reviewed" in report
