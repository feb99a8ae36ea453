"""Notebooks 01 and 02 stay true on any corpus: every count, name and choice their prose states
is read back from the rendered Markdown and checked against the CSV tables of the same run, and
no interpretation written for the bundled study shows on another corpus or with other parameters.

The runs through ``c6lab run`` (each notebook a few seconds); the bundled corpus plus articles
quoting new speakers is checked in ``test_narrative_fifth_speaker``:

* the bundled corpus with other parameters (grouping by outlet, shorter top lists, K set by hand);
* a corpus of one article and one speaker, on which the topic notebook must still run to its end
  (conftest's ``one_article_run``, shared with ``test_determinism``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd

from c6lab.cli import main as cli
from c6lab.narrative import _WORDS, count
from c6lab.topics import suggest_k

NOT_SHOWN = "*The interpretation written for the bundled study is not shown:"
FAST = ["-p", "n_boot=100", "-p", "n_subsamples=3", "-p", "n_seeds=1"]

ARTICLE = """\
Expert: the Middle Corridor needs China and the EU at the same table
The Middle Corridor can become a real alternative route between China and Europe only if the European Union \
invests in the ports and railways of Central Asia, Kyrgyz analyst Aibek Mamytov told Kabar news agency.
"China already finances railways across Central Asia. The EU promises money for the Middle Corridor, but the \
projects move slowly. Kyrgyzstan needs both partners, and the C6 format gives Central Asia and Azerbaijan one \
voice in these talks," Aibek Mamytov said.
According to the analyst, freight volumes on the Middle Corridor grew strongly, yet the ports of the Caspian \
Sea remain a bottleneck.
"Without new ports and faster border crossings, the Middle Corridor stays a promise. China, the EU and the \
countries of Central Asia must invest together in the ports, the railways and the customs," he said.
"""


# -- reading an executed notebook --------------------------------------------------------------

def _number(text: str) -> int:
    """A number as narrative.count writes it: a word up to ten, else digits with space separators."""
    text = text.strip().lower()
    return _WORDS.index(text) if text in _WORDS else int(text.replace(" ", ""))


def _names(text: str) -> list[str]:
    """The items of "A, B and C" (narrative.join_names)."""
    head, _, last = text.rpartition(" and ")
    return [n for n in (head.split(", ") if head else []) + [last] if n]


def _markdown(path: Path) -> list[tuple[str, str]]:
    """(code cell source, Markdown it displayed) for every Markdown output of an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:80]
        out += [(cell.source, o.data["text/markdown"]) for o in cell.outputs if "text/markdown" in o.get("data", {})]
    return out


def _prose(path: Path) -> str:
    """All Markdown the notebook rendered from values (interpretations excluded), as one text."""
    return "\n".join(md for source, md in _markdown(path) if "interpret(" not in source)


def _no_interpretation_shows(path: Path, why: str) -> None:
    shown = [(source, md) for source, md in _markdown(path) if "interpret(" in source]
    assert shown, "the notebook shows no interpretation cell at all"
    for source, md in shown:
        assert md.startswith(NOT_SHOWN) and why in md, (source[:80], md[:200])


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "results" / name, keep_default_na=False, na_values=[""])


def _run(corpus: Path | None, out: Path, *parameters: str) -> None:
    args = ["run", "--out", str(out), "--only", "01_keywords", "--only", "02_topics", "--no-progress", *parameters]
    if corpus is not None:
        args[1:1] = ["--corpus", str(corpus)]
    assert cli(args) == 0


# -- the checks ----------------------------------------------------------------------------------

SLICE = re.compile(r"\* \*\*(?P<group>[^*]+)\*\*: (?P<n_speakers>\w+) speakers? \((?P<speakers>[^)]*)\),\s+"
                   r"(?P<n_segments>[\w ]+?) segments?, (?P<n_tokens>[\w ]+?) tokens?")


def check_keywords(out: Path) -> None:
    text = _prose(out / "notebooks" / "01_keywords.ipynb")
    slice_table = _read(out, "keywords_slice.csv").set_index("group")
    stated = {m["group"]: m for m in SLICE.finditer(text)}
    assert set(stated) == set(slice_table.index)
    for group, m in stated.items():
        row = slice_table.loc[group]
        assert _number(m["n_speakers"]) == row["n_speakers"], group
        assert _names(m["speakers"]) == row["speakers"].split("; "), group
        assert _number(m["n_segments"]) == row["n_segments"], group
        assert _number(m["n_tokens"]) == row["n_tokens"], group
    lo, hi = slice_table["n_tokens"].min(), slice_table["n_tokens"].max()
    tokens_span = f"{lo}–{hi}" if lo != hi else f"{lo}"
    assert f"{tokens_span} tokens per group:" in text          # the slice
    assert f"* {tokens_span} tokens per group" in text          # the caveats

    results = _read(out, "keywords.csv")
    one_vs_rest = results[results["design"] == "one_vs_rest"]
    strong = one_vs_rest[one_vs_rest["z"] >= 1.96]
    m = re.search(r"comparisons (\w+) words? reach \$z \\ge 1\.96\$(?: \((.*?)\),)?", text)
    assert _number(m[1]) == len(strong)
    stated_strong = sorted(re.findall(r"`([^`]+)` for (\S+?)(?:,|\)|$)", m[2] or ""))
    assert stated_strong == sorted(zip(strong["word"], strong["group"], strict=True))

    robustness = _read(out, "keywords_robustness.csv")
    assert re.search(rf"The top lists hold {len(robustness)} words", text)
    survivors = {}
    for m in re.finditer(r"\* \*\*(\S+)\*\*: (\d+) of (\d+) top words survive(?:: (.*?))?\.\n", text + "\n"):
        survivors[m[1]] = (int(m[2]), int(m[3]), _names(m[4] or ""))
    expected = {g: (int(d["survives"].sum()), len(d), d.loc[d["survives"], "word"].tolist())
                for g, d in robustness.groupby("group")}
    assert survivors == expected

    loo = _read(out, "keywords_leave_one_out.csv")
    runs = loo[loo["dropped"] != "none"]
    stated_loo = re.findall(r"Without (.+?), \*\*(\S+)\*\* keeps ([\w ]+?) tokens? .*?\s+and (\d+) of its (\d+) "
                            r"top words", text)
    assert len(stated_loo) == runs.groupby(["group", "dropped"]).ngroups
    for dropped, group, n_group, n_top, n_words in stated_loo:
        mine = runs[(runs["dropped"] == dropped) & (runs["group"] == group)]
        assert _number(n_group) == mine["n_group"].iloc[0]
        assert (int(n_top), int(n_words)) == (int(mine["in_top"].sum()), len(mine))


def check_topics(out: Path, chosen_k: int | None = None) -> None:
    text = _prose(out / "notebooks" / "02_topics.ipynb")
    selection = _read(out, "topic_selection.csv")
    doc_topics = _read(out, "doc_topics.csv")
    (model, k), = doc_topics[["model", "k"]].drop_duplicates().itertuples(index=False, name=None)
    assert f"**{model.upper()} with K = {k}**" in text
    if chosen_k is None:
        assert (model, k) == suggest_k(selection)
        assert "chosen by the rule" in text
        _, _, why = text.partition(f"**{model.upper()} with K = {k}**, chosen by the rule")
        row = selection.set_index(["model", "k"]).loc[(model, k)]
        assert (f"K = {k} is the most stable ({row['stability']:.3g})" in why
                or f"K = {k} ({row['stability']:.3g})" in why
                or f"K = {k} is the one with the highest NPMI ({row['npmi']:.3g})" in why)
    else:
        assert k == chosen_k and "K was set with `chosen_k`" in text
        rule_model, rule_k = suggest_k(selection)
        assert (f"The rule alone would choose {rule_model.upper()} with K = {rule_k}." in text
                or "The rule alone would choose the same." in text)

    n_docs, n_terms = selection["n_docs"].iloc[0], selection["n_terms"].iloc[0]
    assert re.search(rf"^{count(n_docs, 'segment').capitalize()} from \w+ speakers?, [\w ]+ tokens", text, re.M)
    assert f"{model.upper()}, K = {k}: {count(n_terms, 'term')} in at least 2 documents" in text
    assert f"a vocabulary of {count(n_terms, 'word')}" in text
    topics = _read(out, "topics.csv")
    words = topics[(topics["model"] == model) & (topics["k"] == k)]
    for topic, d in words.groupby("topic"):
        assert re.search(rf"\* \*\*Topic {topic}\*\*(?: \([^)]*\))?: {re.escape(', '.join(d['word']))}$",
                         text, re.M), topic

    shares = _read(out, "topic_share_by_country.csv")
    assert "no segments without any of them" in text   # then the shares count every document
    for country, d in shares.groupby("country"):
        row = d.iloc[0]
        m = re.search(rf"\* \*\*{country}\*\*: (\w+) speakers?, ([\w ]+?) segments?,\s+([\w ]+?) tokens?", text)
        assert (_number(m[1]), _number(m[2]), _number(m[3])) == (row["n_speakers"], row["n_docs"], row["n_tokens"])
        largest = d.loc[d["share"].idxmax()]
        assert (f"* **{country}**: topic {largest['topic']} has the largest share of its tokens, "
                f"{largest['share']:.2f}") in text


# -- the runs ------------------------------------------------------------------------------------

def test_prose_agrees_with_the_tables_when_the_parameters_change(tmp_path):
    out = tmp_path / "out"
    _run(None, out, "-p", "group_by=outlet", "-p", "top_n=5", "-p", "k_max=4", "-p", "chosen_k=2", *FAST)
    assert set(_read(out, "keywords_slice.csv")["group"]) == {"AnewZ", "Caliber.Az"}
    check_keywords(out)
    check_topics(out, chosen_k=2)
    for name in ("01_keywords", "02_topics"):
        _no_interpretation_shows(out / "notebooks" / f"{name}.ipynb", "changed the parameters")


def test_a_corpus_of_one_article_and_one_speaker_runs_to_the_end(one_article_run):
    # conftest's run of every notebook on one article of the bundled corpus (with few replicates),
    # which test_determinism checks too
    _, out, _, _ = one_article_run
    keywords_text = _prose(out / "notebooks" / "01_keywords.ipynb")
    assert "needs at least two groups in `country`; this corpus has\none group" in keywords_text
    topics_text = _prose(out / "notebooks" / "02_topics.ipynb")
    selection = _read(out, "topic_selection.csv")
    for k in range(2, 7):
        assert (k in set(selection["k"])) != (f"K = {k} was not fitted: " in topics_text), k
    if selection.empty:
        assert "the rest of this notebook is skipped" in topics_text
    else:
        check_topics(out)
    for name in ("01_keywords", "02_topics"):
        _no_interpretation_shows(out / "notebooks" / f"{name}.ipynb", "is another one")
