"""Which names mention a power: plural demonyms do, currency and code uses and names of
other things do not. One case per rule of ``powers.csv``; then a corpus built here with
its own ``powers.csv`` (a new power with its own plural and currency rows, and without the
package's US$ row) to show that a corpus's list replaces the package's."""

from __future__ import annotations

import pytest

import c6lab
from c6lab import Lexicons
from c6lab import sentiment as S
from c6lab.cli import main as cli
from c6lab.lexicons import Alias
from c6lab.sentiment.mentions import MAX_SENTENCE_CHARS

DEFAULT = Lexicons.default()


def found(text: str, lexicons: Lexicons | None = None) -> list[tuple[str, str]]:
    return [tuple(r) for r in S.score_text(text, lexicons=lexicons)[["power", "alias"]].values.tolist()]


# (text, the mentions expected in it): each line one decision of powers.csv
RULES = [
    # plural demonyms mention their power
    ("Americans have always aimed to influence the region.", [("US", "Americans")]),
    ("Russians and Europeans disagree.", [("RU", "Russians"), ("EU", "Europeans")]),
    ("The Turks signed; a Turk spoke.", [("TR", "Turks"), ("TR", "Turk")]),
    # "Chinese" is one written form for the adjective, the noun and the plural
    ("The Chinese have built roads.", [("CN", "Chinese")]),
    ("Chinese investment grew.", [("CN", "Chinese")]),
    # dollar amounts and the currency are not the US state
    ("A loan of US$ 300 million.", []),
    ("A loan of US$300m.", []),
    ("A loan of US $ 300 million.", []),
    ("A loan of U.S.$ 5 billion.", []),
    ("Priced in US dollars, or a US dollar each.", []),
    ("Priced in U.S. dollars.", []),
    ("Paid in American dollars.", []),
    ("Paid in USD, not in US dollars.", []),
    # but the state right beside a dollar amount still counts
    ("The US lent US$ 300 million.", [("US", "US")]),
    # other currencies
    ("The Russian rouble fell; the Russian ruble and Russian roubles too.", []),
    ("The Chinese yuan rose.", []),
    ("The Turkish lira fell.", []),
    ("The Turkish lira fell as Turkish exports rose.", [("TR", "Turkish")]),
    ("Prices in EUR and RUB.", []),
    # whole words only: other words that begin like an alias
    ("Turkmenistan and the Turkmen gas.", []),
    ("The Organization of Turkic States met.", []),
    ("Eurasia and the Eurasian Economic Union.", []),
    ("The Americas and Westminster.", []),
    # regions, people of regions and places named after a power or "West"
    ("Latin Americans and North Americans came.", []),
    ("South Americans and Central Americans came.", []),
    ("Oil from West Kazakhstan and Western Kazakhstan.", []),
    ("Oil from western Kazakhstan.", []),  # lower case "western" is no alias at all
    ("Western China and Western Siberia, West Siberia and Western Asia.", []),
    ("The West Bank, West Asia and West Virginia.", []),
    ("Western Europe wants gas.", [("EU", "Western Europe")]),  # one mention, not two
    ("They court the West.", [("EU", "the West")]),
    # organisations and events named "European" that are not the EU
    ("The European Championship and the European Championships.", []),
    ("The European Bank for Reconstruction and Development lent.", []),
    ("The European Court of Human Rights ruled.", []),
    ("The European Investment Bank lent.", [("EU", "European")]),  # an EU body
    # names that contain an alias
    ("Students of the American University of Central Asia.", []),
    ("The Washington Post and the Moscow Times reported.", []),
    ("Chinese Taipei won.", []),
    ("The summit in Xi'an; Xi\u2019s speech.", [("CN", "Xi")]),
    ("The Turks and Caicos Islands.", []),
    ("Gas flows through Turkish Stream.", []),
]


@pytest.mark.parametrize(("text", "expected"), RULES, ids=[t for t, _ in RULES])
def test_alias_rule(text, expected):
    assert found(text) == expected


def test_currency_names_are_masked_not_scored():
    # "US$" is masked as a name: neither a mention nor a word VADER could read
    df = S.score_text("China paid US$ 300 million.")
    assert df["power"].tolist() == ["CN"]
    assert df["scored_text"].iloc[0] == "_cn_ paid _x_ 300 million."


def test_only_a_currency_sign_lifts_the_word_end():
    # an exclude row ending in "$" matches before a digit; an alias ending in a letter does not
    lex = DEFAULT.replace(aliases=(Alias("KZ", "Kazakh", True, "state"),
                                   Alias("KZ", "KZT$", True, "exclude")))
    assert found("Kazakhs and Kazakhstan.", lex) == []
    assert found("Kazakh trade, KZT$5.", lex) == [("KZ", "Kazakh")]


def test_every_exclude_row_is_found_as_itself():
    # each exclude name, in a sentence, is matched whole (nothing of it left as a mention)
    for a in DEFAULT.aliases:
        if a.type == "exclude":
            assert found(f"Yesterday {a.alias} 5 was discussed.") == [], a.alias


def test_the_two_copies_of_the_lists_are_the_same():
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    for name in ("powers.csv", "demonyms.csv"):
        assert (here / "corpus" / "lexicons" / name).read_bytes() == \
            (here / "src" / "c6lab" / "data" / "lexicons" / name).read_bytes()


def test_long_run_without_sentence_end_is_cut_outside_aliases():
    # 300 repetitions of a clause with no full stop: one "sentence" of ~12,000 characters,
    # scored in pieces of at most MAX_SENTENCE_CHARS, every alias whole
    unit = "China is a partner but the United States of America is far "
    text = unit * 300
    df = S.score_text(text)
    assert len(df) == 600
    assert (df["sentence_end"] - df["sentence_start"]).max() <= MAX_SENTENCE_CHARS
    assert set(df["alias"]) == {"China", "United States of America"}
    for r in df.itertuples():
        assert text[r.start:r.end] == r.alias
        assert r.sentence_start <= r.start < r.end <= r.sentence_end
    # the same with no white space to cut at: a hard cut, still never inside an alias
    solid = "x" * 1500 + " China"
    assert found(solid) == [("CN", "China")]


# -- a corpus with its own powers.csv -------------------------------------------------------
ARTICLE = ("Kazakh analysts on the powers\n"
           "Astana hosted a round table on Monday.\n"
           "Aigerim Nurlanova, an economist, said that Kazakhs trade more with China.\n"
           "\u201cKazakhstan borrowed US$ 300 million. The Kazakh tenge fell, but Kazakhstan will grow,\u201d "
           "Nurlanova said.\n")


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory):
    """A new corpus: its powers.csv has KZ (plural, currency row) and no US$ exclude row."""
    tmp = tmp_path_factory.mktemp("aliases")
    root = tmp / "corpus"
    assert cli(["corpus", "init", str(root)]) == 0
    powers = root / "lexicons" / "powers.csv"
    rows = [line for line in powers.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("US,US$,")]
    rows += ["KZ,Kazakhstan,no,state,\n", "KZ,Kazakhs,yes,state,plural demonym\n",
             "KZ,Kazakh tenge,yes,exclude,the currency\n"]
    powers.write_text("".join(rows), encoding="utf-8")
    (tmp / "kz.txt").write_text(ARTICLE, encoding="utf-8")
    assert cli(["corpus", "add", str(tmp / "kz.txt"), "--corpus", str(root), "--outlet", "Kabar",
                "--speaker", "Aigerim Nurlanova=KZ", "--no-progress"]) == 0
    return c6lab.open_corpus(root)


def test_a_corpus_list_replaces_the_package_list(own_corpus):
    lex = own_corpus.lexicons
    assert lex.origin()["powers.csv"] == "corpus"
    mentions = S.find_mentions(own_corpus.select(), lexicons=lex)
    # its own power: the country and the plural; the currency row is masked, not counted
    kz = mentions[mentions["power"] == "KZ"]
    assert kz["alias"].tolist() == ["Kazakhs", "Kazakhstan", "Kazakhstan"]
    # without the package's US$ row, "US$" is a mention of the US in this corpus
    assert mentions[mentions["power"] == "US"]["alias"].tolist() == ["US"]
    # the package's lists on the same segments: no KZ, and US$ is not a mention
    default = S.find_mentions(own_corpus.select())
    assert "KZ" not in set(default["power"]) and "US" not in set(default["power"])
    assert default["power"].tolist() == ["CN"]


def test_the_corpus_list_reaches_scoring(own_corpus):
    lex = own_corpus.lexicons
    scored = S.score_mentions(own_corpus.select(["quote", "paraphrase"]), lexicons=lex)
    quote = scored[scored["kind"] == "quote"]
    assert quote["power"].tolist() == ["KZ", "US", "KZ"]
    # in this corpus "US$" is the US, masked as such; the tenge is masked as a name
    assert quote["scored_text"].tolist()[1:] == ['"_kz_ borrowed _us_$ 300 million.',
                                                 "The _x_ fell, but _kz_ will grow,\""]
    texts = S.score_texts(own_corpus.select()["text"].tolist(), split=True, lexicons=lex)
    assert sorted(texts["power"]) == sorted(S.find_mentions(own_corpus.select(), lexicons=lex)["power"])


def test_a_zero_width_character_inside_a_name_does_not_hide_the_mention():
    from c6lab.sentiment.scorers import score_text

    text = "Experts welcome Chi\u200bna's investment and criticise Rus\u200csia."
    plain = score_text(text.replace("\u200b", "").replace("\u200c", ""))
    found = score_text(text)
    assert found["power"].tolist() == plain["power"].tolist() == ["CN", "RU"]
    # offsets into the text as given: the span is the name with its invisible character
    assert [text[s:e] for s, e in zip(found["start"], found["end"])] == ["Chi\u200bna", "Rus\u200csia"]
    assert found["compound"].tolist() == plain["compound"].tolist()
