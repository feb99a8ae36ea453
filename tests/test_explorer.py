"""The offline explorer: its data agree with the library, hostile text stays text, and it
works in a real browser (headless Chromium; skipped with the reason when none is installed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import c6lab
from c6lab import keywords, sentiment, topics
from c6lab.explorer import build_explorer, explorer_data
from c6lab.io import write_table

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def _results(corpus, out: Path) -> Path:
    """The tables a run writes, computed here with the library (fast, no kernel)."""
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    kw = keywords.keyness(counts, group_by="country")
    write_table(kw, "keywords.csv", out)
    write_table(keywords.group_summary(counts, group_by="country"), "keywords_slice.csv", out)
    model = topics.fit_topics(counts.trim(min_df=2), k=2)
    dt = model.doc_topics().rename(columns={"doc": "unit_id"})
    dt["segment_id"] = dt["unit_id"]
    dt["label"] = ""
    write_table(dt, "doc_topics.csv", out)
    write_table(model.topic_words(10), "topics.csv", out)
    scored = sentiment.score_mentions(corpus.segments, lexicons=corpus.lexicons).assign(gold="")
    write_table(scored, "power_mentions.csv", out)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = c6lab.open_corpus()
    root = tmp_path_factory.mktemp("explorer")
    results = _results(corpus, root / "results")
    return corpus, results, build_explorer(corpus, results, root / "explorer.html")


def test_concordance_lines_are_the_groups_own_tokens(built):
    corpus, results, _ = built
    data = explorer_data(corpus, results)
    lines = data["keywords"]["lines"]
    speech = corpus.select(["quote", "paraphrase"])
    # the caps of a large corpus's page leave nothing of the bundled corpus out
    assert data["left_out"] == {"articles": 0, "words": 0, "lines": 0, "mentions": 0}
    assert all(len(ls) == w["count_group"] for g in data["keywords"]["groups"] for w in g["words"]
               for ls in [lines[g["group"]].get(w["word"], [])])
    for group in ("KG", "UZ"):
        kw = [g for g in data["keywords"]["groups"] if g["group"] == group][0]["words"]
        top = max(kw, key=lambda w: w["z"])
        # as many lines as the group's count of that token (the keyword table's own number)
        assert len(lines[group][top["word"]]) == top["count_group"]
        for seg_id, left, word, right in lines[group][top["word"]]:
            seg = speech[speech["segment_id"] == seg_id].iloc[0]
            assert seg["country"] == group
            assert c6lab.tokenize(word, corpus.lexicons) == [top["word"]]
            assert (left + word + right).strip() in c6lab.normalize(seg["text"])


def test_the_page_is_self_contained(built):
    _, _, page = built
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "default-src 'none'" in html  # the browser itself refuses any request


def test_hostile_text_in_a_corpus_stays_text(corpus_copy, tmp_path):
    spk = corpus_copy / "speakers.csv"
    spk.write_text(spk.read_text(encoding="utf-8").replace("Ranokhon Tursunova", HOSTILE.replace('"', "'")),
                   encoding="utf-8")
    corpus = c6lab.open_corpus(corpus_copy)
    page = build_explorer(corpus, _results(corpus, tmp_path / "r"), tmp_path / "e.html")
    html = page.read_text(encoding="utf-8")
    assert "<img" not in html and html.count("</script>") == 2  # the page's own two script elements
    payload = html.split('id="c6lab-data">', 1)[1].split("</script>", 1)[0]
    names = {s["speaker"] for s in json.loads(payload)["segments"]}
    assert HOSTILE.replace('"', "'") in names  # ... and the name is still all there, as data


# ---------------------------------------------------------------- in a real browser

def test_click_a_keyword_see_its_lines_open_the_article(built, browser):
    from selenium.webdriver.common.by import By

    corpus, _, page = built
    browser.get(page.as_uri())
    assert not browser.find_element(By.ID, "caps-note").is_displayed()  # nothing left out: no note
    browser.find_element(By.CSS_SELECTOR, "#kw-group option[value='KG']").click()
    row = browser.find_element(By.CSS_SELECTOR, "#kw-table tbody tr")
    word = row.get_attribute("data-word")
    row.click()
    lines = browser.find_elements(By.CSS_SELECTOR, "#kw-conc li")
    data = explorer_data(corpus, built[1])
    assert len(lines) == len(data["keywords"]["lines"]["KG"][word]) > 0
    assert "Edil Osmonbetov" in lines[0].text
    seg = lines[0].get_attribute("data-seg")
    lines[0].click()
    assert browser.find_element(By.ID, "view-articles").is_displayed()
    flashed = browser.find_element(By.CSS_SELECTOR, "#art-text .flash")
    assert flashed.get_attribute("data-seg") == seg
    assert browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=tone]").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=tone]").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#tone-table tbody tr")) > 0
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


def test_hostile_text_does_not_run_in_the_browser(corpus_copy, tmp_path, browser):
    from selenium.webdriver.common.by import By

    speakers = corpus_copy / "speakers.csv"
    speakers.write_text(speakers.read_text(encoding="utf-8").replace("Edil Osmonbetov", "<b>Edil</b>"),
                        encoding="utf-8")
    corpus = c6lab.open_corpus(corpus_copy)
    page = build_explorer(corpus, _results(corpus, tmp_path / "r"), tmp_path / "e.html")
    browser.get(page.as_uri())
    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=articles]").click()
    browser.find_element(By.CSS_SELECTOR, "#art-select option[value='caliberaz_c6_experts']").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#art-text b") == []  # not markup ...
    assert "[<b>Edil</b>]" in browser.find_element(By.ID, "art-text").text  # ... but text
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
