"""tokens(), kwic(), word_counts() and the boilerplate proposals."""

from __future__ import annotations

import pandas as pd

import c6lab
from c6lab.corpus.propose import compare_proposals, jaccard, key_terms, paragraphs, propose_kinds, shingles
from c6lab.describe import running_words

DOCS = pd.DataFrame(
    {
        "segment_id": ["s1", "s2"],
        "speaker": ["A", "B"],
        "country": ["UZ", "KG"],
        "kind": ["quote", "paraphrase"],
        "text": ["Ties with the U.S. and China grow along the Middle Corridor.",
                 "The United States, like China, is present."],
    }
)


def test_tokens_is_one_row_per_token_with_docvars():
    t = c6lab.tokens(DOCS)
    assert t.columns.tolist() == ["segment_id", "kind", "speaker", "country", "position", "token"]
    assert t[t["segment_id"] == "s1"]["token"].tolist() == [
        "ties", "united_states", "china", "grow", "along", "middle_corridor"]
    # s2: united_states, like, china, present ("the", "is" are stopwords)
    assert t[t["segment_id"] == "s2"]["position"].tolist() == [0, 1, 2, 3]
    assert (t.groupby("segment_id")["speaker"].first() == pd.Series({"s1": "A", "s2": "B"})).all()


def test_kwic_finds_variants_and_phrases_with_context():
    k = c6lab.kwic(DOCS, "United States", window=2)
    assert k[["doc", "speaker", "left", "keyword", "right"]].values.tolist() == [
        ["s1", "A", "with the", "U.S.", "and China"],
        ["s2", "B", "The", "United States", ", like China"],
    ]
    m = c6lab.kwic(DOCS, "middle corridor", window=3)
    assert m[["left", "keyword", "right"]].values.tolist() == [["grow along the", "Middle Corridor", ""]]


def test_kwic_glob_and_no_hit():
    assert c6lab.kwic(DOCS, "chin*", window=0)["keyword"].tolist() == ["China", "China"]
    empty = c6lab.kwic(DOCS, "Russia")
    assert empty.empty and "keyword" in empty.columns


def test_kwic_on_corpus_finds_every_us_form():
    corpus = c6lab.load_corpus(kinds=["quote", "paraphrase"])
    k = c6lab.kwic(corpus, "United States")
    # by reading the text: "United States" x3 (Shafiyev, Tursunova, Osmonbetov), "U.S." x2 and
    # "United States" x1 more in Osmonbetov's quotes (charter sentence)
    assert sorted(k["keyword"]) == ["U.S.", "U.S.", "United States", "United States",
                                    "United States", "United States"]


def test_word_counts_by_hand():
    counts = c6lab.word_counts(c6lab.dfm(DOCS), group_by=["speaker"])
    # s1: 11 running words (U.S. is one); tokens: 6 (see test above)
    # s2: 7 running words (United, States, like, China, is, present + The);
    #     tokens: united_states, like, china, present = 4
    assert counts.values.tolist() == [["A", "quote", 1, 11, 6], ["B", "paraphrase", 1, 7, 4]]
    assert running_words("J.D. Vance met the U.S. team") == 6


def test_shingles_jaccard_and_key_terms():
    a, b = shingles("a b c d"), shingles("b c d e")
    assert a == {("a", "b", "c"), ("b", "c", "d")}
    assert jaccard(a, b) == 1 / 3  # {bcd} / {abc, bcd, cde}
    assert key_terms([["x", "y"], ["x"], ["y", "z"], ["x"]], k=1) == ["x"]
    assert paragraphs("a\n\n b \n") == [(0, 1), (3, 6)]


def test_proposals_flag_every_set_aside_line_of_seed_002_and_no_quote():
    props = compare_proposals(c6lab.open_corpus())
    anewz = props[props["article_id"] == "anewz_bayramli_c6"]
    hand_set_aside = anewz["annotated_kinds"].isin(["boilerplate", "unrelated"])
    proposed_set_aside = anewz["proposed_kind"].isin(["boilerplate", "unrelated"])
    assert hand_set_aside.sum() == 15  # 12 unrelated + 3 boilerplate paragraphs, by the annotation
    assert (proposed_set_aside == hand_set_aside).all()
    # boilerplate vs unrelated also agree exactly
    flagged = anewz[hand_set_aside]
    assert (flagged["proposed_kind"] == flagged["annotated_kinds"]).all()
    # nothing that holds a quote or paraphrase, in either article, is flagged
    speech = props["annotated_kinds"].str.contains("quote|paraphrase")
    assert not props.loc[speech, "proposed_kind"].isin(["boilerplate", "unrelated"]).any()


def test_repeated_and_near_duplicate_lines_are_flagged():
    arts = {
        "x": "Azerbaijan joins C6.\nAzerbaijan talks C6 here.\n"
             "The Vienna conference was held on 5 December by the network.",
        "y": "Azerbaijan and C6 again.\n"
             "The Vienna conference was held on 5 December by the network and others.\nC6 Azerbaijan news.",
    }
    p = propose_kinds(arts)
    vienna = p[p["text"].str.startswith("The Vienna")]
    assert vienna["near_duplicate"].tolist() == [True, True]
    assert not p[~p["text"].str.startswith("The Vienna")]["near_duplicate"].any()


def test_tokens_and_kwic_use_the_lexicons_given():
    lex = c6lab.Lexicons.default().replace(phrases=("ties with",), stopwords=frozenset({"grow"}))
    t = c6lab.tokens(DOCS.iloc[:1], lexicons=lex)
    assert t["token"].tolist() == ["ties_with", "the", "united_states", "and", "china", "along", "the",
                                   "middle", "corridor"]
    k = c6lab.kwic(DOCS, "ties with", window=1, lexicons=lex)
    assert k[["keyword", "right"]].values.tolist() == [["Ties with", "the"]]


def test_tokens_of_the_corpus_match_the_tokenizer_segment_by_segment():
    corpus = c6lab.open_corpus()
    t = c6lab.tokens(corpus.segments, corpus.lexicons)
    tok = corpus.lexicons.tokenizer
    expected = [(s, i, w) for s, text in zip(corpus.segments["segment_id"], corpus.segments["text"])
                for i, w in enumerate(tok(text))]
    assert list(zip(t["segment_id"], t["position"], t["token"])) == expected
    # categorical, with the categories that occur, in sorted order
    for col in ("segment_id", "speaker", "token"):
        cats = t[col].cat.categories.tolist()
        assert cats == sorted(set(t[col]))
    by_speaker = t.groupby("speaker").size()
    assert by_speaker.sum() == len(t) and by_speaker.index.tolist() == sorted(set(corpus.segments["speaker"]))


def test_tokens_of_no_text():
    t = c6lab.tokens(DOCS.iloc[:0])
    assert t.empty and t.columns.tolist() == ["segment_id", "kind", "speaker", "country", "position", "token"]
