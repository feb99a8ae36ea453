"""Engine(n_jobs=...): a large table in processes of this machine, the results of one process."""

from __future__ import annotations

import pandas as pd
import pytest

import c6lab
from c6lab.parallel import Engine
from c6lab.parallel import engine as engine_module
from c6lab.sentiment import tone_settings

ONE = Engine()


def test_processes_give_the_results_of_one_process(corpus_copy):
    from test_own_corpus import add_own_lists

    corpus = c6lab.open_corpus(add_own_lists(corpus_copy))  # its own phrase, stopword and power (KZ)
    segments, lex = corpus.select(), corpus.lexicons
    engine = Engine(n_jobs=2, local_min_rows=2)  # every table of two rows or more in two processes
    assert len(engine._local(segments)) == 2  # eight aimed at, cut only where the article changes: two
    # each call starts its processes (seconds): the sentence counts and the tone, the two largest steps
    a, b = engine.dfm(segments, lex, unit="sentence"), ONE.dfm(segments, lex, unit="sentence")
    assert a.terms.tolist() == b.terms.tolist() and (a.matrix != b.matrix).nnz == 0
    pd.testing.assert_frame_equal(a.docvars, b.docvars)
    settings = tone_settings(5, windows=(3, 10))
    tone, ref = engine.mention_scores(segments, lexicons=lex, settings=settings), \
        ONE.mention_scores(segments, lexicons=lex, settings=settings)
    assert len(ref.find_mentions()) and "KZ" in set(ref.find_mentions()["power"])  # the corpus's own power
    for method, window, domain in settings:
        pd.testing.assert_frame_equal(tone.score_mentions(method, window, domain),
                                      ref.score_mentions(method, window, domain))
    pd.testing.assert_frame_equal(tone.find_mentions(), ref.find_mentions())
    # the ids and names the processes sent back are this table's own strings, not copies (memory)
    for column in ("segment_id", "speaker", "country"):
        own = set(map(id, segments[column].to_numpy(dtype=object)))
        assert all(id(v) in own for v in tone.find_mentions()[column].to_numpy(dtype=object) if v)


def test_a_small_table_starts_no_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(engine_module, "_map_processes", refuse)
    corpus = c6lab.open_corpus()
    engine = Engine(n_jobs=2)  # the bundled corpus is far below LOCAL_MIN_ROWS
    assert engine._local(corpus.segments) is None
    assert engine.dfm(corpus.segments, corpus.lexicons).n_docs == len(corpus.segments)
    assert repr(engine) == "Engine(n_jobs=2)" and repr(ONE) == "Engine(one process)"


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "2"])
def test_n_jobs_is_a_positive_integer(value):
    with pytest.raises(ValueError, match="n_jobs must be a positive integer"):
        Engine(n_jobs=value)


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "count.py"
    script.write_text(
        "import pandas as pd\nfrom c6lab.parallel import Engine\n"
        "print('top level', flush=True)\n"
        "df = pd.DataFrame({'article_id': ['a', 'b', 'c'], 'segment_id': ['1', '2', '3'],\n"
        "                   'text': ['Ports grow.', 'Rail lines.', 'Roads too.']})\n"
        "print(Engine(n_jobs=2, local_min_rows=2).dfm(df).terms.tolist())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["top level", "['grow', 'lines', 'ports', 'rail', 'roads']"]
