"""A researcher's own corpus, start to finish, as the README shows it: init, a batch of text
files and a saved web page, show, a review round trip, and `c6lab run --corpus --out`."""

from __future__ import annotations

import json
from pathlib import Path

import c6lab
from c6lab.cli import main as cli
from conftest import FEW_REPLICATES

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


def test_init_add_show_review_run(tmp_path, capsys):
    root = tmp_path / "my_study"
    assert cli(["corpus", "init", str(root)]) == 0
    page = tmp_path / "kunuz_page.html"
    page.write_text(PAGE, encoding="utf-8")
    texts = sorted(ARTICLES.glob("*.txt"))[:5]
    assert cli(["corpus", "add", *map(str, texts), str(page), "--corpus", str(root), "--outlet", "Test outlet",
                "--no-progress"]) == 0
    corpus = c6lab.open_corpus(root)
    assert len(corpus.articles) == len(texts) + 1
    assert not corpus.segments["reviewed"].any()
    page_id = corpus.articles.loc[corpus.articles["source_file"] != "", "article_id"].iloc[0]

    capsys.readouterr()
    assert cli(["corpus", "show", page_id, "--corpus", str(root)]) == 0
    assert "Dilnoza Karimova" in capsys.readouterr().out
    review = tmp_path / "review.txt"
    assert cli(["corpus", "review", page_id, "--corpus", str(root), "--out", str(review)]) == 0
    assert cli(["corpus", "review", page_id, "--corpus", str(root), "--apply", str(review)]) == 0
    status = c6lab.open_corpus(root).review_status().set_index("article_id")
    assert status.loc[page_id, "n_unreviewed"] == 0 and status["n_unreviewed"].sum() > 0

    out = tmp_path / "results_of_my_study"
    # few replicates: the folders, the manifest and the report's note are checked, not intervals
    assert cli(["run", "--corpus", str(root), "--out", str(out), "--no-progress", *FEW_REPLICATES]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["folder"] == str(root.resolve())
    assert manifest["corpus"]["unreviewed_segments"] == int(status["n_unreviewed"].sum())
    for name in ("report.html", "explorer.html", "notebooks/03_sentiment.html", "results/keywords.csv"):
        assert (out / name).is_file(), name
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"{manifest['corpus']['unreviewed_segments']} segment(s) are proposals nobody has reviewed" in report
