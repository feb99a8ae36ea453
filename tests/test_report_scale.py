"""The report and the explorer of a large corpus: one pass over it, pages bounded in size, and
what was left out said on the page (checked here on a generated 8x corpus with low caps)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from test_explorer import _results

import c6lab
from c6lab.corpus_scan import scan_corpus
from c6lab.explorer import build_explorer, explorer_data
from c6lab.report import build_report
from conftest import synthetic_module

REPO = Path(__file__).resolve().parents[1]
CAPS = {"top_n": 5, "max_lines": 2, "max_articles": 3, "max_mentions": 2}
COPIES = 8


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """An 8x synthetic corpus (16 articles) and the tables of a run on it."""
    synthetic = synthetic_module()
    root = tmp_path_factory.mktemp("big")
    folder = synthetic.write_synthetic(root / "corpus", COPIES)
    corpus = c6lab.open_corpus(folder)
    return corpus, _results(corpus, root / "results")


@pytest.fixture(scope="module")
def capped(big):
    corpus, results = big
    return explorer_data(corpus, results, **CAPS)


def test_caps_keep_the_first_items_and_count_the_rest(big, capped):
    corpus, results = big
    data = capped
    assert data["corpus"]["n_articles"] == len(corpus.articles) == 2 * COPIES
    assert [a["id"] for a in data["articles"]] == corpus.articles["article_id"].head(3).tolist()
    assert data["left_out"]["articles"] == 2 * COPIES - 3
    # every segment of the embedded articles, and no other article's text
    first = set(corpus.articles["article_id"].head(3))
    embedded = [s["segment_id"] for s in data["segments"] if s["article_id"] in first]
    assert embedded == corpus.segments.loc[corpus.segments["article_id"].isin(first), "segment_id"].tolist()
    # words: the top 5 by rank of each group; the rest counted
    kw = pd.read_csv(results / "keywords.csv", keep_default_na=False)
    ovr = kw[kw["design"] == "one_vs_rest"]
    for g in data["keywords"]["groups"]:
        mine = ovr[ovr["group"].astype(str) == g["group"]].sort_values(["rank", "word"])
        assert [w["word"] for w in g["words"]] == mine["word"].head(5).tolist()
        assert g["n_words"] == len(mine)
    assert data["left_out"]["words"] == len(ovr) - 5 * len(data["keywords"]["groups"])
    # mentions: the first 2 of each power and group, in table order; the total is the table's
    mentions = pd.read_csv(results / "power_mentions.csv", keep_default_na=False)
    head = mentions[(mentions["method"] == "masked_sentence") & (mentions["lexicon"] == "vader")]
    first2 = head.groupby(["power", "country"], sort=False).head(2)
    assert [m["mention_id"] for m in data["tone"]["mentions"]] == first2["mention_id"].tolist()
    assert data["tone"]["n_mentions"] == len(head)
    assert data["left_out"]["mentions"] == len(head) - len(first2) > 0


def test_lines_are_the_first_occurrences_in_corpus_order(big, capped):
    corpus, _ = big
    speech = corpus.select(["quote", "paraphrase"])
    tok = corpus.lexicons.tokenizer
    for g in capped["keywords"]["groups"]:
        for w in g["words"]:
            lines = capped["keywords"]["lines"][g["group"]].get(w["word"], [])
            # brute force: every occurrence of the word in the group's speech, in order
            where = [sid for sid, c, text in speech[["segment_id", "country", "text"]].itertuples(index=False)
                     if c == g["group"] for t in tok(text) if t == w["word"]]
            assert len(where) == w["count_group"]
            assert [line[0] for line in lines] == where[:2]
            assert all(line[2] and tok(line[2]) == [w["word"]] for line in lines)
    # a line's segment is in the page (speaker, article) even when its article is not embedded
    ids = {s["segment_id"] for s in capped["segments"]}
    assert all(line[0] in ids for ws in capped["keywords"]["lines"].values() for ls in ws.values() for line in ls)


def test_a_folder_is_streamed_to_the_same_data(big, capped):
    corpus, results = big
    assert explorer_data(corpus.root, results, **CAPS) == capped


def test_tables_read_in_blocks_give_the_same_data(big, capped, monkeypatch):
    import c6lab.explorer

    corpus, results = big
    monkeypatch.setattr(c6lab.explorer, "CHUNK", 7)  # doc_topics and power_mentions in many blocks
    assert explorer_data(corpus, results, **CAPS) == capped


def test_one_pass_counts_what_the_library_counts(big):
    corpus, _ = big
    scan = scan_corpus(corpus.root)
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    per_speaker = Counter()
    for speaker, n in zip(speech["speaker"], counts.n_tokens, strict=True):
        per_speaker[speaker] += int(n)
    assert {s: v[1] for s, v in scan.speakers.items()} == dict(per_speaker)
    assert (scan.n_articles, scan.n_segments) == (len(corpus.articles), len(corpus.segments))
    assert scan.n_unreviewed == int((~corpus.segments["reviewed"]).sum())


def test_the_page_size_does_not_grow_with_the_corpus(big, tmp_path):
    corpus, results = big
    page = build_explorer(corpus, results, tmp_path / "e.html", **CAPS)
    payload = json.loads(page.read_text(encoding="utf-8").split('id="c6lab-data">', 1)[1].split("</script>")[0])
    n_groups = len(payload["keywords"]["groups"])
    assert len(payload["articles"]) == CAPS["max_articles"]
    assert all(len(g["words"]) == CAPS["top_n"] for g in payload["keywords"]["groups"])
    assert sum(len(ls) for ws in payload["keywords"]["lines"].values() for ls in ws.values()) \
        <= n_groups * CAPS["top_n"] * CAPS["max_lines"]
    assert max(Counter((m["power"], m["country"]) for m in payload["tone"]["mentions"]).values()) \
        == CAPS["max_mentions"]


def test_the_report_lists_the_first_articles_and_says_how_many_more(big, tmp_path):
    corpus, results = big
    page = build_report([], corpus.root, tmp_path / "build", results, explorer_options=CAPS)
    html = page.read_text(encoding="utf-8")
    assert f"{2 * COPIES} article(s), {len(corpus.segments)} segments" in html
    assert len(re.findall(r"<tr><td>[a-z_0-9-]+</td><td>(?:Caliber\.Az|AnewZ)</td>", html)) == 3
    assert f"{2 * COPIES - 3} more are in the corpus's <code>articles.csv</code>" in html
    assert (tmp_path / "build" / "explorer.html").is_file()


# ---------------------------------------------------------------- in a real browser

def test_the_capped_page_says_what_it_left_out(big, tmp_path, browser):
    from selenium.webdriver.common.by import By

    corpus, results = big
    caps = {**CAPS, "max_articles": 1}  # one article: some mentions come from another
    capped = explorer_data(corpus, results, **caps)
    page = build_explorer(corpus, results, tmp_path / "e.html", **caps)
    browser.get(page.as_uri())
    note = browser.find_element(By.ID, "caps-note")
    assert note.is_displayed()
    left = capped["left_out"]
    assert f"Left out: {left['words']:,} words, {left['lines']:,} lines, {left['articles']:,} articles, " \
           f"{left['mentions']:,} mentions." in note.text
    assert "keywords.csv" in note.text and "power_mentions.csv" in note.text
    assert "Top 5 of" in browser.find_element(By.ID, "kw-slice").text
    # the top word has more lines than the page keeps: it says so, and how to get all
    row = browser.find_element(By.CSS_SELECTOR, "#kw-table tbody tr")
    row.click()
    word = row.get_attribute("data-word")
    group = browser.find_element(By.ID, "kw-group").get_attribute("value")
    count = [w for g in capped["keywords"]["groups"] if g["group"] == group for w in g["words"]
             if w["word"] == word][0]["count_group"]
    assert count > 2
    assert f"first 2 of {count:,} lines" in browser.find_element(By.ID, "kw-conc-note").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#kw-conc li")) == 2
    # a tone row from an article that is not embedded opens a note, not an empty page
    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=tone]").click()
    tone_note = browser.find_element(By.ID, "tone-note").text
    assert f"{len(capped['tone']['mentions'])} of {capped['tone']['n_mentions']:,}; all" in tone_note
    first = {a["id"] for a in capped["articles"]}
    article = dict(zip(corpus.segments["segment_id"], corpus.segments["article_id"], strict=True))
    outside = [m for m in capped["tone"]["mentions"] if article[m["segment_id"]] not in first][0]
    rows = browser.find_elements(By.CSS_SELECTOR, "#tone-table tbody tr")
    rows[capped["tone"]["mentions"].index(outside)].click()
    assert "is not embedded in this page" in browser.find_element(By.ID, "art-text").text
    assert browser.find_element(By.ID, "art-note").is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_long_sentence_keeps_its_context_near_the_word(monkeypatch):
    import c6lab.corpus_scan as cs

    corpus, wanted = c6lab.open_corpus(), {"KG": {"china": 50}}
    full = cs.scan_corpus(corpus, wanted=wanted, max_lines=50).lines["KG"]["china"]
    monkeypatch.setattr(cs, "CONTEXT", 10)
    cut = cs.scan_corpus(corpus, wanted=wanted, max_lines=50).lines["KG"]["china"]
    assert len(cut) == len(full) > 0 and any(len(line[1]) > 10 for line in full)
    for (seg, left, word, right), (seg2, left2, word2, right2) in zip(full, cut, strict=True):
        assert (seg2, word2) == (seg, word)
        assert left2 == (left if len(left) <= 10 else "…" + left[-10:])
        assert right2 == (right if len(right) <= 10 else right[:10] + "…")
