"""Notebooks 00 (corpus) and 03 (lexicon tone) tell the truth on any corpus.

Each run executes the two notebooks with ``c6lab run`` and then reads the prose they rendered
(the Markdown outputs of their code cells): every count, name and measure it states must be
the one in the tables the same run wrote to ``OUT/results``, and the interpretation written
for the bundled study must not show. The corpora: the bundled corpus with other parameters; a corpus made with
``c6lab corpus init`` (no hand labels; conftest's ``own_study_run``, which ``test_power_validation``
and ``test_own_corpus_end_to_end`` read too); and one in which no power is mentioned at all. The
bundled corpus plus articles with new commentators is in ``test_narrative_fifth_speaker``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import c6lab
from c6lab.cli import main as cli
from c6lab.narrative import _WORDS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NOT_SHOWN = "interpretation written for the bundled study is not shown"
# phrases only the interpretations written for the bundled study use
BUNDLED_ONLY = ("AnewZ page", "talkative speaker", "Belt and Road", "ISIS", "Tursunova's neutral sentence",
                "methods brief", "UZ × US and UZ × CN", "Smaller windows", "based in Azerbaijan")

FIFTH = """Kyrgyz analyst on the great powers
Bishkek. A study of the region's trade routes was presented on Tuesday.
"China has become the largest investor in our railways, and that brings real benefits to the region," \
said Aigul Temirova, a senior fellow at a Bishkek think tank.
Temirova said the European Union is a reliable partner whose support for reforms is welcome.
"The United States should stop lecturing Central Asia and offer trade instead," she said.
"""
NEW_ARTICLES = {
    "railway.txt": ("Kabar", "Aibek Usenov=KG", """Kyrgyz expert on the new railway
Bishkek, 2025. The new railway link was discussed at a forum on Monday.
"China is building roads and railways across the region, and the United States is watching closely," \
said Aibek Usenov, a political analyst in Bishkek.
Usenov added that the European Union remains an important partner for trade.
"We welcome cooperation with everyone," he said.
"""),
    "trade.txt": ("Gazeta", "Dilnoza Karimova=UZ", """Uzbek analyst on regional trade
Tashkent hosted a meeting of regional officials.
"Trade between our countries is growing quickly," said Dilnoza Karimova, an economist in Tashkent.
Karimova said the markets of the region are opening.
"""),
    "ports.txt": ("Trend", "Elnur Mammadov=AZ", """Azerbaijani economist on the Caspian ports
Baku. The port of Alat handled more cargo this year.
"Türkiye and Azerbaijan are natural partners, and Russia remains a difficult neighbour," \
said Elnur Mammadov, an economist in Baku.
"""),
}


# ------------------------------------------------------------------ running and reading


def _add(corpus: Path, folder: Path, name: str, outlet: str, speaker: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    assert cli(["corpus", "add", str(path), "--corpus", str(corpus), "--outlet", outlet, "--speaker", speaker,
                "--no-progress"]) == 0


def _run(corpus: Path, out: Path, *parameters: str, only=("00_corpus", "03_sentiment")) -> Path:
    # few bootstrap draws: the prose is checked against the tables of the same run, whatever their intervals
    args = ["run", "--corpus", str(corpus), "--out", str(out), "--no-progress", "-p", "n_boot=99"]
    for stem in only:
        args += ["--only", stem]
    for p in parameters:
        args += ["-p", p]
    assert cli(args) == 0
    return out


def rendered(out: Path, stem: str) -> list[str]:
    """The prose a notebook rendered (Markdown outputs of its code cells), white space folded."""
    nb = nbformat.read(out / "notebooks" / f"{stem}.ipynb", as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            assert o.get("name") != "stderr", f"{stem}: a cell wrote to stderr: {o.get('text')}"
            md = o.get("data", {}).get("text/markdown")
            if md:
                texts.append(" ".join(md.split()))
    return texts


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "results" / name, keep_default_na=False, na_values=[""])


def _say(n: int) -> str:
    from c6lab.narrative import count

    return count(int(n), "x").rsplit(" ", 1)[0]


def num(text: str) -> int:
    """A number as :func:`c6lab.narrative.count` writes it ("four", "12", "1 031", "no")."""
    text = text.strip().lower()
    return _WORDS.index(text) if text in _WORDS else int(text.replace(" ", ""))


def find(pattern: str, texts: list[str]) -> re.Match:
    for t in texts:
        m = re.search(pattern, t)
        if m:
            return m
    raise AssertionError(f"no sentence matches {pattern!r} in:\n" + "\n".join(texts))


def names_of(listing: str) -> list[str]:
    """"A, B and C" -> ["A", "B", "C"]."""
    head, _, last = listing.rpartition(" and ")
    return [*(n.strip() for n in head.split(", ") if n.strip()), last.strip()] if head else [listing.strip()]


# ------------------------------------------------------------------ what the prose must agree with


def check_corpus_notebook(out: Path, corpus_dir: Path) -> None:
    texts = rendered(out, "00_corpus")
    speakers, articles = table(out, "corpus_speakers.csv"), table(out, "corpus_articles.csv")
    corpus = c6lab.open_corpus(corpus_dir)

    m = find(r"\*\*This corpus\.\*\* (\w+) articles?, ([\w ]+?) segments?, (\w+) commentators?", texts)
    assert num(m[1]) == len(articles) and num(m[2]) == articles["segments"].sum()
    assert num(m[3]) == len(speakers)
    said = []
    for a in articles.itertuples():
        m = find(rf"{re.escape(a.outlet)} \(`{re.escape(a.article_id)}`\): (\w+) commentators?(?:, ([^;]+?))?[;.]",
                 texts)
        # each name with its country, "??" where it is unknown
        listed = [re.sub(r" \((\w\w|\?\?)\)$", "", n) for n in names_of(m[2])] if m[2] else []
        assert num(m[1]) == len(listed)
        truth = corpus.select(["quote", "paraphrase"])
        assert set(listed) == set(truth.loc[truth["article_id"] == a.article_id, "speaker"])
        said += listed
    # every commentator, once in each article they speak in (a commentator may speak in several)
    truth = corpus.select(["quote", "paraphrase"]).drop_duplicates(["article_id", "speaker_id"])
    assert sorted(said) == sorted(truth["speaker"]) and set(said) == set(speakers["speaker"])

    m = find(r"Unreviewed proposals: (\d+) of the (\d+) segments, (\d+) of the (\d+) quotes and paraphrases", texts)
    status = corpus.review_status()
    assert (int(m[1]), int(m[2])) == (status["n_unreviewed"].sum(), articles["segments"].sum())
    speech = corpus.select(["quote", "paraphrase"])
    assert (int(m[3]), int(m[4])) == ((~speech["reviewed"].astype(bool)).sum(), len(speech))

    words = table(out, "corpus_words_by_country.csv").fillna({"country": ""})
    for country, part in words.groupby("country"):
        m = find(rf"{re.escape(country or '(country unknown)')}: (\d+) quoted and (\d+) paraphrased running words",
                 texts)
        by_kind = part.set_index("kind")["n_words"]
        assert (int(m[1]), int(m[2])) == (by_kind.get("quote", 0), by_kind.get("paraphrase", 0))

    conc = table(out, "corpus_concordances.csv")
    nb = nbformat.read(out / "notebooks" / "00_corpus.ipynb", as_version=4)
    # the last assignment: papermill's injected cell, else the parameters cell
    terms = re.findall(r"concordance_terms = (\[.*\])", "\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    for term in ast.literal_eval(terms[-1]):
        m = find(rf'"{re.escape(term)}": ([\w ]+?) occurrences?(?:; (?:(\d+) in the commentary \(([^)]*)\)'
                 r"|none in the commentary))?", texts)
        rows = conc[conc["term"] == term]
        spoken = rows[rows["kind"].isin(["quote", "paraphrase"])]
        assert num(m[1]) == len(rows)
        assert int(m[2] or 0) == len(spoken)
        assert sorted(names_of(m[3]) if m[3] else []) == sorted(set(spoken["speaker"]))


def check_tone_notebook(out: Path, corpus_dir: Path, group_by: str = "country", method: str = "masked_sentence",
                        lexicon: str = "vader") -> None:
    texts = rendered(out, "03_sentiment")
    corpus = c6lab.open_corpus(corpus_dir)
    speakers = table(out, "corpus_speakers.csv")
    mentions = table(out, "power_mentions.csv").fillna({"country": "", "speaker": "", "speaker_id": ""})
    head = mentions[(mentions["method"] == method) & (mentions["lexicon"] == lexicon)]
    spoken = head[head["kind"].isin(["quote", "paraphrase"])]

    m = find(r"The quote and paraphrase segments of ([\w ]+?) commentators? in ([\w ]+?) articles?", texts)
    assert num(m[1]) == len(speakers)
    if group_by == "country":
        for country, part in speakers.fillna({"country": ""}).groupby("country"):
            m = find(rf"{re.escape(country)} = ([^;.]+)[;.]", texts)
            assert sorted(names_of(m[1])) == sorted(part["speaker"])

    if len(spoken):
        m = find(r"(\w+) mentions? of ([\w ]+?) powers? in the speech analysed; per group: (.+?)\.(?: |$)", texts)
        assert num(m[1]) == len(spoken) and num(m[2]) == spoken["power"].nunique()
        stated = {g: int(n) for g, n in (item.rsplit(" ", 1) for item in m[3].split(", "))}
        counted = spoken.groupby(spoken[group_by].where(spoken[group_by] != "", "(" + spoken["kind"] + ")")).size()
        assert {g: n for g, n in stated.items() if n} == counted.to_dict()
        cells = table(out, "power_sentiment.csv")
        cells = cells[(cells["method"] == method) & (cells["lexicon"] == lexicon) & (cells["n_mentions"] > 0)]
        m = find(r"The ([\w ]+?) mentions? fall into ([\w ]+?) group × power cells?", texts)
        assert (num(m[1]), num(m[2])) == (cells["n_mentions"].sum(), len(cells))
    else:
        find(r"No sentence of the speech analysed mentions a power\.", texts)
    absent = [p.name for p in corpus.lexicons.powers if p.code not in set(spoken["power"])]
    if absent:
        m = find(r"Never mentioned in the speech analysed: (.+?)\.(?: |$)", texts)
        assert names_of(m[1]) == absent

    validation = table(out, "power_validation.csv")
    labelled = head.drop_duplicates("mention_id")["gold"].dropna()
    if len(labelled):
        m = find(r"(\w+) labelled mentions?: (\d+) positive, (\d+) neutral, (\d+) negative", texts)
        assert num(m[1]) == len(labelled)
        assert [int(m[i]) for i in (2, 3, 4)] == [int((labelled == v).sum()) for v in (1, 0, -1)]
        row = validation[(validation["method"] == method) & (validation["lexicon"] == lexicon)].iloc[0]
        m = find(r"is right for (\d\.\d+) of the mentions \(macro-F1 (\d\.\d+) \[(\d\.\d+), (\d\.\d+)\]\)", texts)
        assert [float(x) for x in m.groups()] == [round(row[c], 3) for c in (
            "baseline_accuracy", "baseline_macro_f1", "baseline_macro_f1_ci_low", "baseline_macro_f1_ci_high")]
        interval = r"(\d\.\d+) \[(\d\.\d+), (\d\.\d+)\]"
        m = find(rf"The headline setting \((\w+), ([\w+]+)\) has accuracy {interval} and macro-F1 {interval}, "
                 r"kappa (-?\d\.\d+)", texts)
        assert (m[1], m[2]) == (method, lexicon)
        assert [float(x) for x in m.groups()[2:]] == [round(row[c], 3) for c in (
            "accuracy", "accuracy_ci_low", "accuracy_ci_high", "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high",
            "kappa")]
        # the line under the figures: the same row, to two decimals
        m = find(rf"Under these figures\.\*\* Tone is not stance\. Against (\d+) hand labels of stance: "
                 rf"{method} \({re.escape(lexicon)}\) accuracy {interval}, macro-F1 {interval}", texts)
        assert [float(x) for x in m.groups()] == [row["n_mentions"], *(round(row[c], 2) for c in (
            "accuracy", "accuracy_ci_low", "accuracy_ci_high", "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high"))]
        few = row["n_mentions"] < 100
        assert any(f"Warning: only {_say(row['n_mentions'])} labelled mentions" in t for t in texts) == few
        overlap = validation[(validation["n_mentions"] > 0) & (
            validation["macro_f1_ci_low"] <= validation["baseline_macro_f1_ci_high"])]
        assert any("overlaps the baseline's" in t for t in texts) == (len(overlap) > 0)
    else:
        assert validation["n_mentions"].sum() == 0 if len(validation) else True
        find(r"has no hand label for any of its|No mention of a power anywhere in this corpus", texts)


def check_no_bundled_interpretation(out: Path) -> None:
    for stem in ("00_corpus", "03_sentiment"):
        texts = rendered(out, stem)
        assert any(NOT_SHOWN in t for t in texts), stem
        shown = [p for p in BUNDLED_ONLY if any(p in t for t in texts)]
        assert not shown, f"{stem} shows the bundled study's interpretation: {shown}"


# ------------------------------------------------------------------ the runs


@pytest.fixture(scope="module")
def other_parameters(tmp_path_factory):
    out = tmp_path_factory.mktemp("parameters") / "out"
    return CORPUS, _run(CORPUS, out, "group_by=speaker", "method=window", "concordance_terms=[China, Kazakhstan]",
                        "concordance_window=4")


@pytest.fixture
def new_corpus(own_study_run):
    """conftest's run of every notebook on a corpus made with ``corpus init``: NEW_ARTICLES, the
    articles of ``test_power_validation`` with their new power, and those of
    ``test_own_corpus_end_to_end`` (one run read by the three files)."""
    return own_study_run["corpus"], own_study_run["out"]


def test_other_parameters_change_the_prose_with_the_results(other_parameters):
    corpus, out = other_parameters
    check_corpus_notebook(out, corpus)
    check_tone_notebook(out, corpus, group_by="speaker", method="window")
    check_no_bundled_interpretation(out)
    assert "changed the parameters it was written for" in " ".join(rendered(out, "03_sentiment"))
    corpus_text = " ".join(rendered(out, "00_corpus"))
    assert '"Kazakhstan":' in corpus_text and '"Middle Corridor"' not in corpus_text


def test_a_corpus_made_with_corpus_init_runs_to_the_end(new_corpus):
    corpus, out = new_corpus
    check_corpus_notebook(out, corpus)
    check_tone_notebook(out, corpus)
    check_no_bundled_interpretation(out)
    tone = rendered(out, "03_sentiment")
    find(r"This corpus has no hand label for any of its (\w+) mentions", tone)
    validation = table(out, "power_validation.csv")
    assert (validation["n_mentions"] == 0).all() and validation["accuracy"].isna().all()
    assert (table(out, "power_confusion.csv")["n"] == 0).all()
    assert (out / "results" / "figures" / "03_power_heatmap.png").is_file()
    corpus_text = " ".join(rendered(out, "00_corpus"))
    # every segment a proposal nobody reviewed, but those of the one article reviewed by hand
    m = re.search(r"Unreviewed proposals: (\d+) of the (\d+) segments", corpus_text)
    segments = c6lab.open_corpus(corpus).segments
    reviewed = set(segments.loc[segments["reviewed"].astype(bool), "article_id"])
    assert len(reviewed) == 1
    assert int(m[1]) == int(m[2]) - segments["article_id"].isin(reviewed).sum() > 0


def test_a_corpus_without_any_mention_of_a_power_runs_to_the_end(tmp_path):
    corpus = tmp_path / "quiet"
    assert cli(["corpus", "init", str(corpus)]) == 0
    outlet, speaker, text = NEW_ARTICLES["trade.txt"]
    _add(corpus, tmp_path, "trade.txt", outlet, speaker, text)
    out = _run(corpus, tmp_path / "out", only=("03_sentiment",))
    tone = rendered(out, "03_sentiment")
    find(r"No sentence of the speech analysed mentions a power\.", tone)
    find(r"No mention of a power anywhere in this corpus", tone)
    assert table(out, "power_mentions.csv").empty and table(out, "power_validation.csv").empty
    assert not (out / "results" / "figures" / "03_power_heatmap.png").exists()


def test_no_markdown_cell_quotes_a_result():
    # the numbers and names of results are rendered by code cells; markdown keeps methods and caveats
    stale = ("four commentators", "24 mentions", "about 500", "0.735", "0.529", "34 mentions",
             "Russia is never mentioned", "four signals", "Tursunova", "Bayramli", "Osmonbetov", "Shafiyev")
    for stem in ("00_corpus", "03_sentiment"):
        nb = nbformat.read(CORPUS.parent / "notebooks" / f"{stem}.ipynb", as_version=4)
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not [s for s in stale if s in markdown], stem
