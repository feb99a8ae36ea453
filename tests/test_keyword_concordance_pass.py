"""keyword_concordance reads each segment's spans once for all its group's words: the lines must
be those of c6lab.kwic run word by word on the group's segments (its definition)."""

from __future__ import annotations

import pandas as pd

import c6lab
from c6lab import keywords as kw

DOCS = pd.DataFrame({
    "segment_id": ["s1", "s2", "s3", "s4", "s5"],
    "speaker": ["P", "Q", "P", "R", "R"],
    "country": ["A", "A", "A", "B", "B"],
    "text": ["Ties with the U.S. grow along the Middle Corridor, the U.S. said.",
             "The US and China; the United States again.",
             "Nothing here but ports.",
             "Middle Corridor trade with China grows, and China gains.",
             "US ports, China ports."],
})


def _by_kwic(df, words, window, lexicons=None):
    frames = []
    for g, w in words[["group", "word"]].itertuples(index=False):
        sub = df[df["country"].astype(str) == str(g)]
        frames.append(c6lab.kwic(sub, f"[{w[0]}]{w[1:]}", window=window, lexicons=lexicons).assign(group=g, word=w))
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "word", *[c for c in out.columns if c not in ("group", "word")]]]


def test_lines_equal_kwic_word_by_word():
    words = pd.DataFrame({"group": ["A", "A", "B", "B", "A", "B"],
                          "word": ["united_states", "middle_corridor", "china", "ports", "absent", "united_states"]})
    for window in (0, 1, 3, 8):
        got = kw.keyword_concordance(DOCS, words, window=window)
        pd.testing.assert_frame_equal(got, _by_kwic(DOCS, words, window))
    got = kw.keyword_concordance(DOCS, words, window=2)
    # hand count: U.S. twice in s1, US and United States in s2; China twice in s4, once in s5
    assert got.groupby(["group", "word"]).size().to_dict() == {
        ("A", "middle_corridor"): 1, ("A", "united_states"): 4, ("B", "china"): 3, ("B", "ports"): 2,
        ("B", "united_states"): 1}
    # window 2: two tokens each side, the text between them as written
    assert got.loc[got["word"] == "middle_corridor", ["doc", "left", "keyword", "right"]].values.tolist() == [
        ["s1", "along the", "Middle Corridor", ", the U.S."]]


def test_a_word_with_pattern_characters_is_not_read_as_a_pattern():
    # words are counted tokens: "po*" is counted nowhere, so it has no line (kwic alone would match "ports")
    words = pd.DataFrame({"group": ["B"], "word": ["po*"]})
    assert len(kw.keyword_concordance(DOCS, words, window=2)) == 0
    assert len(_by_kwic(DOCS, words, 2)) == 2


def test_bundled_corpus_top_words():
    corpus = c6lab.open_corpus()
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    top = kw.top_keywords(kw.keyness(counts, "country", "one_vs_rest", 100.0, 2), top_n=5)
    pd.testing.assert_frame_equal(kw.keyword_concordance(speech, top, corpus.lexicons, window=8),
                                  _by_kwic(speech, top, 8, corpus.lexicons))
