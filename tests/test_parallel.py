"""Dask partitions give the single-process results, to the byte of every CSV.

One two-worker ``LocalCluster`` (conftest's ``dask_engine``, shared by every test that needs one:
starting one costs seconds); the tests skip, saying why, where ``distributed`` cannot start
worker processes.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab import sentiment as S
from c6lab.io import write_table
from c6lab.lexicons import Alias
from c6lab.parallel import Engine, SchedulerUnreachable, VersionMismatch, partition_bounds
from conftest import ENVIRONMENT_CHANGES

# skipped where distributed is missing, found without importing it (~0.5 s in every worker at collection)
pytestmark = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="dask's distributed is not installed (pip install c6lab[dask])")

PARTITION_SIZE = 3  # rows: the small corpus below becomes several partitions (as the engine's)


@pytest.fixture
def engine(dask_engine):
    assert dask_engine.partition_size == PARTITION_SIZE
    return dask_engine


def small_corpus() -> pd.DataFrame:
    """Seven articles; speaker p1 speaks in the first and the last, so a voice spans partitions."""
    long = " ".join(["cargo moves through the corridor"] * 60) + " and Kazakhstan agrees"  # > 1000 chars
    rows = [
        ("a1", "narrative", "", "", "The U.S. and the E.U. met in Baku. LET US GO, they said."),
        ("a1", "quote", "p1", "KZ", "Regional cooperation with China is good. We trust Russia less."),
        ("a1", "quote", "p1", "KZ", "Ports grow. Nothing else."),
        ("a2", "paraphrase", "p2", "AZ", "Türkiye and Kazakhstan build the Middle Corridor; the Straße is wide."),
        ("a2", "narrative", "", "", ""),
        ("a3", "quote", "p3", "UZ", "Trump met Xi. Putin's envoy was angry about the South China Sea."),
        ("a3", "quote", "p3", "UZ", "the and of"),
        ("a3", "quote", "p2", "AZ", "Kazakhstan's rail line is a wonderful success for everyone."),
        ("a4", "quote", "p4", "KG", long),
        ("a5", "narrative", "", "", "Sanctions on Russia hurt trade. The EU disagrees with Washington."),
        ("a6", "paraphrase", "p4", "KG", "Bad roads, terrible delays, but China and the US invest. Good."),
        ("a7", "quote", "p1", "KZ", "Regional cooperation is a gift. Kazakhstan and Beijing agree. Fine."),
    ]
    df = pd.DataFrame(rows, columns=["article_id", "kind", "speaker_id", "country", "text"])
    df.insert(1, "segment_id", [f"{a}_s{i}" for i, a in enumerate(df["article_id"], 1)])
    df["speaker"] = df["speaker_id"].str.upper()
    df["char_start"] = np.arange(len(df)) * 1000
    return df


def own_lexicons() -> c6lab.Lexicons:
    """The package lists with a phrase, a stopword and a power of this corpus's own."""
    lex = c6lab.Lexicons.default()
    return lex.replace(phrases=(*lex.phrases, "regional cooperation"),
                       stopwords=lex.stopwords | {"ports"},
                       aliases=(*lex.aliases, Alias("KZ", "Kazakhstan", False, "state")))


def outputs(run, df: pd.DataFrame, lex: c6lab.Lexicons) -> dict:
    """Every partitioned result of one engine: counts (both units) and the tone tables."""
    sentences = [s for t in df["text"] for s in c6lab.sentences(t, lex)]
    tone = run.mention_scores(df, lexicons=lex, settings=S.tone_settings(4, windows=(2,)))
    speech = df[df["kind"].isin(["quote", "paraphrase"])]
    return {
        "runs_window2_domain": tone.score_mentions("window", 2, True),
        "runs_speech_naive": tone.score_mentions("naive_sentence", 4, segments=speech),
        "runs_speech_mentions": tone.find_mentions(speech),
        "runs_speech_baselines": tone.speaker_baselines(True, segments=speech),
        "counts": run.dfm(df, lex),
        "sentence_counts": run.dfm(df, lex, unit="sentence"),
        "all_words": run.dfm(df, lex, tokenizer=c6lab.Tokenizer(lex, stopwords=False)),
        **{f"tone_{m}": run.score_mentions(df, method=m, lexicons=lex)
           for m in ("masked_sentence", "window", "naive_sentence")},
        "tone_domain_window3": run.score_mentions(df, method=S.WindowVader(3, True, lexicons=lex), lexicons=lex),
        "mentions": run.find_mentions(df, lexicons=lex),
        "baselines": run.speaker_baselines(df, True, lexicons=lex),
        "texts": run.score_texts(sentences, lexicons=lex),
    }


def assert_identical(one: dict, many: dict, tmp_path) -> None:
    assert one.keys() == many.keys()
    for name, a in one.items():
        b = many[name]
        if isinstance(a, c6lab.DocumentTermMatrix):
            assert a.terms.tolist() == b.terms.tolist(), name
            for part in ("indptr", "indices", "data"):
                x, y = getattr(a.matrix, part), getattr(b.matrix, part)
                assert x.dtype == y.dtype and np.array_equal(x, y), (name, part)
            assert a.matrix.shape == b.matrix.shape
            pd.testing.assert_frame_equal(a.docvars, b.docvars, check_exact=True)
            tables = {"long": a.to_frame(), "docvars": a.docvars}, {"long": b.to_frame(), "docvars": b.docvars}
        else:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            tables = {"table": a}, {"table": b}
        for key in tables[0]:
            p = write_table(tables[0][key], f"{name}_{key}.csv", tmp_path / "one")
            q = write_table(tables[1][key], f"{name}_{key}.csv", tmp_path / "dask")
            assert p.read_bytes() == q.read_bytes(), f"{name}_{key}.csv differs"


def test_small_corpus_is_identical_on_two_workers(engine, tmp_path):
    df, lex = small_corpus(), own_lexicons()
    bounds = partition_bounds(df, engine.partition_size)
    assert len(bounds) >= 4 and engine.n_workers == 2  # really partitioned, really two workers
    one = outputs(Engine(), df, lex)
    many = outputs(engine, df, lex)
    assert_identical(one, many, tmp_path)
    # the corpus's own lists reached the workers (the package defaults would give neither)
    assert "regional_cooperation" in many["counts"].terms and "ports" not in many["counts"].terms
    assert (many["tone_masked_sentence"]["power"] == "KZ").sum() == 4
    # p1 speaks in the first and last partitions: one voice, one baseline over both
    # (a1: "Ports grow.", "Nothing else."; a7: "Regional cooperation is a gift.", "Fine.")
    assert many["baselines"].set_index("voice").loc["p1", "n_sentences"] == 4


def test_bundled_corpus_is_identical_on_two_workers(engine, tmp_path):
    corpus = c6lab.open_corpus()
    one = outputs(Engine(), corpus.segments, corpus.lexicons)
    many = outputs(engine, corpus.segments, corpus.lexicons)
    assert_identical(one, many, tmp_path)
    assert len(partition_bounds(corpus.segments, engine.partition_size)) == corpus.articles.shape[0]


def test_a_filtered_table_and_an_empty_one(engine, tmp_path):
    df = small_corpus()
    part = df[df["kind"] != "narrative"].iloc[::-1]  # filtered, reordered, index not 0..n-1
    lex = own_lexicons()
    assert_identical(outputs(Engine(), part, lex), outputs(engine, part, lex), tmp_path)
    # an article of nothing but white space is a partition without a token or a sentence
    blank = df.copy()
    blank.loc[blank["article_id"] == "a2", "text"] = "  "
    assert_identical(outputs(Engine(), blank, lex), outputs(engine, blank, lex), tmp_path / "blank")
    silent = df.assign(text=" ")
    assert_identical(outputs(Engine(), silent, lex), outputs(engine, silent, lex), tmp_path / "silent")
    empty = df.iloc[:0]
    assert engine.dfm(empty, lex).n_docs == 0
    assert engine.score_mentions(empty, lexicons=lex).empty


def test_a_running_scheduler_by_its_address(engine):
    # what a notebook kernel does with the address c6lab run hands it
    df, lex = small_corpus(), own_lexicons()
    with Engine(scheduler=engine.address, partition_size=PARTITION_SIZE) as remote:
        assert remote.address == engine.address and remote.n_workers == 2
        pd.testing.assert_frame_equal(remote.score_mentions(df, lexicons=lex), S.score_mentions(df, lexicons=lex),
                                      check_exact=True)
    assert engine.n_workers == 2  # closing a connection leaves the cluster running
    assert engine.dfm(df, lex).terms.tolist() == c6lab.dfm(df, lex).terms.tolist()


def test_partitions_cut_only_between_articles():
    df = pd.DataFrame({"article_id": list("aaabbcdddd"), "text": [""] * 10})
    assert partition_bounds(df, 4) == [(0, 3), (3, 6), (6, 10)]  # even cuts at 3.3 and 6.7
    assert partition_bounds(df, 1) == [(0, 3), (3, 5), (5, 6), (6, 10)]  # one article each at most
    assert partition_bounds(df, 10) == [(0, 10)]
    assert partition_bounds(df.drop(columns="article_id"), 4) == [(0, 3), (3, 7), (7, 10)]
    assert partition_bounds(df.iloc[:0], 4) == []
    big = small_corpus()
    for size in range(1, 14):
        bounds = partition_bounds(big, size)
        assert bounds[0][0] == 0 and bounds[-1][1] == len(big)
        assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:]))
        art = big["article_id"].tolist()
        assert all(art[a - 1] != art[a] for a, _ in bounds[1:])
    with pytest.raises(ValueError, match="partition_size"):
        partition_bounds(df, 0)


def test_an_unreachable_scheduler_is_one_line_naming_it():
    with pytest.raises(SchedulerUnreachable) as err:
        Engine(scheduler="tcp://127.0.0.1:1", timeout=1)
    msg = str(err.value)
    assert "tcp://127.0.0.1:1" in msg and "\n" not in msg
    assert isinstance(err.value, OSError)  # the CLI reports an OSError in one line, exit 1
    with pytest.raises(ValueError, match="not both"):
        Engine(scheduler="tcp://127.0.0.1:1", workers=2)
    with pytest.raises(ValueError, match="workers"):
        Engine(workers=0)


def test_the_cluster_leaves_the_environment_of_later_kernels_alone(engine):
    # distributed's nannies set OMP_NUM_THREADS=1, PYTHONHASHSEED, MALLOC_TRIM_THRESHOLD_ here
    assert ENVIRONMENT_CHANGES <= {"__DASK_PARENT_PID"}  # (a process title marker)
    assert engine._client.run(lambda: os.environ.get("OMP_NUM_THREADS")) == {
        w: "1" for w in engine._client.scheduler_info()["workers"]}  # ... for the workers only


def test_a_worker_with_other_versions_is_refused(engine, monkeypatch):
    import c6lab.parallel.engine as P  # where the engine compares versions

    monkeypatch.setattr(P, "versions", lambda: (("c6lab", "0.0.0-elsewhere"),))
    with pytest.raises(VersionMismatch, match="same versions"):
        engine.dfm(small_corpus())
    with pytest.raises(VersionMismatch, match=r"worker tcp://127\.0\.0\.1:\d+ runs c6lab "):
        engine.check_versions()
    monkeypatch.undo()
    engine.check_versions()  # the same software here and on the workers


def test_the_scheduler_of_a_run():
    from c6lab.paths import resolve_scheduler

    assert resolve_scheduler(None, {}) is None and resolve_scheduler("", {}) is None
    env = {"C6LAB_DASK_SCHEDULER": "tcp://head:8786"}
    assert resolve_scheduler(None, env) == "tcp://head:8786"
    assert resolve_scheduler(" tcp://other:8786 ", env) == "tcp://other:8786"  # the argument wins


def test_one_process_engine_is_the_plain_functions():
    df, lex = small_corpus(), own_lexicons()
    eng = Engine()
    assert eng.address is None and repr(eng) == "Engine(one process)"
    pd.testing.assert_frame_equal(eng.score_mentions(df, lexicons=lex), S.score_mentions(df, lexicons=lex))
    with pytest.raises(ValueError, match="unit"):
        eng.dfm(df, unit="word")


def _tasks_seen(engine) -> int:
    return engine._client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)


def test_c6lab_run_on_a_scheduler_writes_the_same_tables(engine, bundled_run, tmp_path):
    # the command line hands the scheduler to the kernels; a notebook counts its words there.
    # The one-process tables are those of the session's run of every notebook on the same corpus.
    from c6lab.cli import main as cli

    before = _tasks_seen(engine)
    assert cli(["run", "--only", "00_corpus", "--no-progress", "--out", str(tmp_path / "dask"),
                "--scheduler", engine.address]) == 0
    assert _tasks_seen(engine) > before  # the notebook's work did reach the cluster
    one, dask = bundled_run[0] / "results", tmp_path / "dask" / "results"
    tables = sorted(p.name for p in dask.glob("*.csv"))
    # notebook 00 writes the corpus_ tables
    assert "corpus_speakers.csv" in tables and tables == sorted(p.name for p in one.glob("corpus_*.csv"))
    for name in tables:
        assert (one / name).read_bytes() == (dask / name).read_bytes(), name


def test_c6lab_run_names_an_unreachable_scheduler_in_one_line(corpus_copy, tmp_path, capsys, monkeypatch):
    import c6lab.parallel.engine as P
    from c6lab.cli import main as cli

    connect = P._connect  # waits up to 10 s for a scheduler that could be starting; 1 s is enough here
    monkeypatch.setattr(P, "_connect", lambda scheduler, timeout: connect(scheduler, min(timeout, 1)))
    code = cli(["run", "--only", "00_corpus", "--corpus", str(corpus_copy), "--out", str(tmp_path / "o"),
                "--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "tcp://127.0.0.1:9" in err[0]
    assert not (tmp_path / "o").exists()
