"""Time and peak memory of every analysis stage on n-times copies of the corpus.

For each scale (copies of the bundled corpus, written by ``benchmarks/synthetic.py``) and
each stage, a fresh Python process loads what the stage needs (untimed), then runs the
stage with the notebooks' calls and default parameters (timed). It reports the stage's
wall time and the process's peak resident memory (``ru_maxrss``, which includes the
interpreter, the libraries and the stage's inputs: what a notebook doing the stage
needs). Stages, in the order of a run:

=============== ============================================================================
load            ``c6lab.open_corpus`` (validation, raw texts, segment table)
tokens          ``c6lab.tokens`` of every segment (the tidy token table)
counts          ``c6lab.dfm`` of the speech by segment and by sentence, ``word_counts``
corpus          notebook 00: words per speaker and country, the proposals compared with the
                annotation (on a sample of 200 articles above that), the concordance of 4 terms
keyness         notebook 01: keyness (both designs), top words, leave-one-out, 500-replicate
                sentence bootstrap, quotes only, prior weights, robustness, concordance
topic_selection notebook 02: ``select_k`` (NMF and LDA, K = 2..6, 5 subsamples, 3 seeds)
topics_k        notebook 02: the chosen model's table (with per-topic stability), passages,
                topic shares (2000 bootstrap draws), K + 1
tone            notebook 03: mentions, scores of every method and lexicon, bootstrap summaries
                (9999 draws), baselines, validation against the hand labels
report          ``c6lab.report.build_report`` on the tables the stages wrote (with explorer)
=============== ============================================================================

Prints a table of seconds and MB per stage and scale, and the log-log slope of time on
scale per stage (fitted over the scales where the stage takes 0.5 s or more, and between
the two largest scales); ``--markdown FILE`` writes the same as Markdown.

Run: .venv/bin/python benchmarks/scale.py --scales 1 10 100 [--stages keyness tone] [--n-jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import _timing  # noqa: F401  first: takes this folder off the import path (see _timing.py)

HERE = Path(__file__).resolve().parent
STAGES = ("load", "tokens", "counts", "corpus", "keyness", "topic_selection", "topics_k", "tone", "report")
KINDS = ["quote", "paraphrase"]


# -- one stage in this process ----------------------------------------------------------

def _stage_functions(corpus_dir: Path, results: Path, build: Path, n_jobs: int):
    """``{stage: (prepare, run)}``: prepare returns the inputs (untimed), run(inputs) is timed."""
    import c6lab
    from c6lab import keywords as kw
    from c6lab import sentiment as S
    from c6lab import topics as T
    from c6lab.io import write_table

    def corpus():
        return c6lab.open_corpus(corpus_dir)

    def speech_counts():
        c = corpus()
        speech = c.select(KINDS)
        return c, speech, c6lab.dfm(speech, c.lexicons)

    def run_load(_):
        corpus()

    def prep_tokens():
        c = corpus()
        return c.select(), c.lexicons

    def run_tokens(x):
        c6lab.tokens(*x)

    def prep_counts():
        c = corpus()
        return c.select(KINDS), c.lexicons

    def run_counts(x):
        speech, lex = x
        counts = c6lab.dfm(speech, lex)
        c6lab.dfm(speech, lex, unit="sentence")
        c6lab.word_counts(counts, group_by=["country", "speaker"])
        return {"speech_tokens": int(counts.n_tokens.sum()), "speech_segments": counts.n_docs,
                "speech_terms": counts.n_terms}

    def run_corpus(x):  # notebook 00 with its defaults (its tables, not its display)
        import pandas as pd

        from c6lab.corpus.propose import compare_proposals

        c, speech, counts = x
        segments, lex = c.segments, c.lexicons
        c6lab.word_counts(counts, group_by=["country", "speaker"])
        c6lab.word_counts(counts, group_by=["country"])
        proposals = compare_proposals(c, max_articles=200, random_state=0)
        pd.crosstab(proposals["annotated_kinds"], proposals["proposed_kind"], margins=True)
        terms = ["Middle Corridor", "United States", "China", "Russia"]
        # as the notebook: kwic reads only the segments holding a term's counted tokens
        needed = {t: set(lex.tokenizer(t)) for t in terms}
        holds = {t: [] for t in terms}
        for toks in lex.tokenizer.pipe(segments["text"]):
            toks = set(toks)
            for t, need in needed.items():
                holds[t].append(need <= toks)
        frames = [c6lab.kwic(segments[holds[t]], t, window=6, lexicons=lex).assign(term=t) for t in terms]
        write_table(pd.concat(frames, ignore_index=True), "corpus_concordances.csv", results)
        return {"paragraphs_compared": len(proposals)}

    def prep_keyness():
        c, speech, counts = speech_counts()
        return c, speech, counts, c6lab.dfm(speech, c.lexicons, unit="sentence")

    def run_keyness(x):  # notebook 01 with its defaults
        c, speech, counts, sentence_counts = x
        g, a0, mc, top_n = "country", 100.0, 2, 6
        slice_table = kw.group_summary(counts, group_by=g)
        res = kw.keyness(counts, group_by=g, design="both", alpha0=a0, min_count=mc)
        ovr = res[res["design"] == "one_vs_rest"]
        top = kw.top_keywords(ovr, top_n=top_n)
        conc = kw.keyword_concordance(speech, kw.top_keywords(ovr, top_n=3), c.lexicons, group_by=g, window=8)
        loo = kw.leave_one_out(counts, group_by=g, alpha0=a0, min_count=mc, top_n=top_n)
        boot = kw.bootstrap_top_words(sentence_counts, group_by=g, alpha0=a0, min_count=mc, top_n=top_n,
                                      n_boot=500, random_state=2024)
        quotes = counts.subset(counts.docvars["kind"] == "quote")
        q = kw.keyness(quotes, group_by=g, alpha0=a0, min_count=mc)
        kw.prior_ranks(counts, top, [a0 / 10, a0, a0 * 10], group_by=g, min_count=mc)
        robust = kw.robustness_table(top, boot, q, loo, top_n=top_n, stable_share=0.5)
        for name, table in {"keywords.csv": res, "keywords_slice.csv": slice_table,
                            "keywords_robustness.csv": robust, "keywords_bootstrap.csv": boot,
                            "keywords_leave_one_out.csv": loo, "keywords_concordance.csv": conc}.items():
            write_table(table, name, results)

    def run_selection(x):  # notebook 02's select_k with its defaults
        _, _, counts = x
        selection, fitted = T.select_k(counts, range(2, 7), ["nmf", "lda"], top_n=10, n_subsamples=5, n_seeds=3,
                                       random_state=0, min_df=2, return_models=True, **_jobs(T.select_k, n_jobs))
        write_table(selection, "topic_selection.csv", results)
        write_table(pd_concat([tm.topic_words(10) for tm in fitted.values()]), "topics.csv", results)

    def run_topics_k(x):  # notebook 02 after the choice: NMF, K = 3 (the bundled study's choice)
        _, _, counts = x
        model = T.fit_topics(counts, 3, "nmf", random_state=0, min_df=2)
        T.topic_table(model, 10, n_subsamples=5)
        model.representative_docs(2)
        doc_topics = model.doc_topics()
        shares = T.topic_share(doc_topics, group_by="country", n_boot=2000, confidence=0.9, random_state=0)
        finer = T.fit_topics(counts, 4, "nmf", random_state=0, min_df=2)
        T.topic_table(finer, 10, n_subsamples=5)
        write_table(doc_topics.rename(columns={"doc": "unit_id"}), "doc_topics.csv", results)
        write_table(shares, "topic_share_by_country.csv", results)

    def prep_tone():
        c = corpus()
        return c, c.select(KINDS), c.select()

    def run_tone(x):  # notebook 03 with its defaults
        import pandas as pd

        c, speech, all_segments = x
        lex = c.lexicons
        powers = lex.power_codes
        groups = sorted(set(S.group_labels(speech, "country")))
        if hasattr(S, "MentionScores"):  # as the notebook: one analysis of every segment for every setting
            tone = S.MentionScores(all_segments, lexicons=lex, settings=S.tone_settings(5, windows=(3, 5, 10)))

            def score(df, m, k, d):
                return tone.score_mentions(m, k, d, segments=None if df is all_segments else df)

            def find(df):
                return tone.find_mentions(None if df is all_segments else df)

            def baselines(df, d):
                return tone.speaker_baselines(d, segments=df)
        else:  # an older checkout: one call per setting
            def score(df, m, k, d):
                return S.score_mentions(df, method=m, window=k, domain=d, lexicons=lex)

            def find(df):
                return S.find_mentions(df, lexicons=lex)

            def baselines(df, d):
                return S.speaker_baselines(df, domain=d, lexicons=lex)

        def summarize(scored):
            return S.summarize_powers(scored, powers, group_by="country", groups=groups, n_boot=9999, random_state=0)

        find(speech)
        find(all_segments)
        summary = summarize(score(speech, "masked_sentence", 5, False))
        baselines(speech, False)
        gold = S.read_gold(c.root / "annotations" / "power_sentiment_gold.csv")
        all_scored = pd.concat([score(all_segments, m, 5, d) for d in (False, True) for m in S.METHODS],
                               ignore_index=True)
        masked = all_scored[all_scored["method"] == "masked_sentence"]
        validation = pd.concat([S.evaluate(all_scored, gold, n_boot=9999, random_state=0),
                                S.evaluate(masked, gold, tune_band=True, n_boot=9999, random_state=0)],
                               ignore_index=True)
        confusion = pd.concat([S.confusion(all_scored, gold), S.confusion(masked, gold, tune_band=True)],
                              ignore_index=True)
        bands = S.band_choices(masked, gold)
        for d in (False, True):  # sensitivity on the speech
            score(speech, "masked_sentence", 5, d)
            score(speech, "naive_sentence", 5, d)
            for k in (3, 5, 10):
                score(speech, "window", k, d)
        sens_confusion = [S.confusion(all_scored, gold)]
        for d in (False, True):  # as the notebook: one window setting at a time
            for k in (3, 5, 10):
                window_run = score(all_segments, "window", k, d).assign(method=f"window k={k}")
                S.evaluate(window_run, gold, n_boot=9999, random_state=0)
                sens_confusion.append(S.confusion(window_run, gold))
        summaries = pd.concat([summary if (m, d) == ("masked_sentence", False) else
                               summarize(score(speech, m, 5, d)) for d in (False, True) for m in S.METHODS],
                              ignore_index=True)
        mention_table = all_scored.merge(gold[["mention_id", "label"]], on="mention_id", how="left")
        mention_table = mention_table.rename(columns={"label": "gold"})
        mention_table["predicted"] = S.label_from_compound(mention_table["compound"]).to_numpy()
        write_table(summaries, "power_sentiment.csv", results)
        write_table(mention_table, "power_mentions.csv", results)
        write_table(validation, "power_validation.csv", results)
        write_table(confusion, "power_confusion.csv", results)
        write_table(bands, "power_band_choices.csv", results)
        return {"mentions": int(len(all_scored) // 6)}

    def run_report(_):
        from c6lab.report import build_report

        build_report([], corpus_dir, build, results)

    none = lambda: None  # noqa: E731
    return {
        "load": (none, run_load),
        "tokens": (prep_tokens, run_tokens),
        "counts": (prep_counts, run_counts),
        "corpus": (speech_counts, run_corpus),
        "keyness": (prep_keyness, run_keyness),
        "topic_selection": (speech_counts, run_selection),
        "topics_k": (speech_counts, run_topics_k),
        "tone": (prep_tone, run_tone),
        "report": (none, run_report),
    }


def pd_concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _jobs(fn, n_jobs: int) -> dict:
    return _supported(fn, n_jobs=n_jobs)


def _supported(fn, **kwargs) -> dict:
    # the keyword arguments fn takes (so the script also measures an older checkout)
    import inspect

    params = inspect.signature(fn).parameters
    return {k: v for k, v in kwargs.items() if k in params}


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _vader_reads_every_distinct_text() -> None:
    """Key c6lab's VADER cache by the whole text instead of VADER's view of it.

    ``VaderCache`` scores once the texts that differ only in words VADER has no entry for.
    The synthetic copies differ from their source in just such words (pseudo-words), so
    every copy of a sentence is one text to VADER: at 1000x, 704 VADER reads for 248,000
    texts. A real corpus has no such copies. Keyed by the whole text, VADER reads every
    distinct sentence, as it would in a real corpus (the default here; ``--vader-shapes``
    measures the cache as shipped).
    """
    from c6lab.sentiment import vadercache as V

    def whole_token(self, tok: str) -> str:
        word = tok.strip(V._PUNCT)
        if (tok if len(word) <= 2 else word).lower() in self._changed:
            self._touched.add(tok)  # the domain lexicon still scores only what it touches
        return tok

    V.VaderCache._token = whole_token


def worker(stage: str, corpus_dir: Path, results: Path, build: Path, n_jobs: int) -> dict:
    """Run one stage in this process; return seconds and peak MB (before and after the stage)."""
    import resource

    # a stage that outgrows the goal by far fails with MemoryError instead of starving a shared machine
    limit = int(float(os.environ.get("C6LAB_SCALE_MEM_GB", "8")) * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import sklearn.decomposition  # noqa: F401

    import c6lab  # noqa: F401  imports are not the stage's cost
    import c6lab.keywords  # noqa: F401
    import c6lab.report  # noqa: F401
    import c6lab.sentiment  # noqa: F401
    import c6lab.topics  # noqa: F401

    if os.environ.get("C6LAB_SCALE_VADER_SHAPES") != "1":
        _vader_reads_every_distinct_text()
    prepare, run = _stage_functions(corpus_dir, results, build, n_jobs)[stage]
    inputs = prepare()
    before = _peak_mb()
    t0 = time.perf_counter()
    extra = run(inputs) or {}
    seconds = time.perf_counter() - t0
    return {"stage": stage, "seconds": seconds, "peak_mb": _peak_mb(), "peak_mb_before": before, **extra}


# -- the driver -------------------------------------------------------------------------

def corpus_for(scale: int, workdir: Path) -> tuple[Path, float]:
    """The scale's corpus folder (written once, reused), and the seconds it took to write."""
    folder = workdir / f"c{scale}"
    done = folder / ".complete"
    if done.is_file():
        return folder, float(done.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "synthetic.py"), "--scale", str(scale), "--out", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    done.write_text(f"{seconds:.3f}")
    return folder, seconds


def run_stage(stage: str, folder: Path, results: Path, build: Path, n_jobs: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", stage, "--corpus", str(folder), "--results", str(results),
           "--build", str(build), "--n-jobs", str(n_jobs)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"stage": stage, "seconds": None, "peak_mb": None, "error": f"timeout after {timeout:g} s"}
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["?"])[-1][:120]
        return {"stage": stage, "seconds": None, "peak_mb": None, "error": last}
    return json.loads(p.stdout.strip().splitlines()[-1])


def slopes(scales: list[int], seconds: list[float | None], floor: float = 0.5) -> tuple[float | None, float | None]:
    """Least-squares slope of log(time) on log(scale) over the scales with time >= floor, and
    the slope between the two largest scales measured."""
    import numpy as np

    pts = [(s, t) for s, t in zip(scales, seconds, strict=True) if t is not None]
    fit_pts = [(s, t) for s, t in pts if t >= floor]
    fit = (float(np.polyfit(np.log([s for s, _ in fit_pts]), np.log([t for _, t in fit_pts]), 1)[0])
           if len(fit_pts) >= 2 else None)
    last = (float(np.log(pts[-1][1] / pts[-2][1]) / np.log(pts[-1][0] / pts[-2][0]))
            if len(pts) >= 2 and pts[-2][1] > 0 else None)
    return fit, last


def _fmt(x, digits=1):
    return "–" if x is None else (f"{x:.{digits}f}" if x < 100 else f"{x:.0f}")


def table(results: dict, scales: list[int], stages: list[str], sizes: dict) -> str:
    """Markdown: seconds (peak MB) per stage and scale, and the slopes."""
    head = "| stage | " + " | ".join(f"{s}×" for s in scales) + " | slope (fit) | slope (last) |"
    lines = [head, "|" + "---|" * (len(scales) + 3)]
    lines.append("| articles / speech tokens / terms | " + " | ".join(
        f"{sizes[s]['articles']:,} / {sizes[s]['tokens'] or 0:,} / {sizes[s]['terms'] or 0:,}" for s in scales)
        + " | | |")
    for st in stages:
        cells, secs = [], []
        for s in scales:
            r = results.get((s, st), {})
            secs.append(r.get("seconds"))
            cells.append(f"{_fmt(r.get('seconds'), 2)} s ({_fmt(r.get('peak_mb'), 0)} MB)"
                         if r.get("seconds") is not None else r.get("error", "–"))
        fit, last = slopes(scales, secs)
        lines.append(f"| {st} | " + " | ".join(cells) + f" | {_fmt(fit, 2)} | {_fmt(last, 2)} |")
    totals = [sum(results[(s, st)]["seconds"] for st in stages if results.get((s, st), {}).get("seconds"))
              for s in scales]
    peaks = [max((results[(s, st)].get("peak_mb") or 0) for st in stages if (s, st) in results) for s in scales]
    fit, last = slopes(scales, totals)
    lines.append("| **all stages** | " + " | ".join(f"{_fmt(t, 1)} s ({_fmt(p, 0)} MB)"
                                                  for t, p in zip(totals, peaks, strict=True))
                 + f" | {_fmt(fit, 2)} | {_fmt(last, 2)} |")
    return "\n".join(lines)


def _size(folder: Path) -> dict:
    import csv

    with open(folder / "articles.csv", newline="", encoding="utf-8") as f:
        n_articles = sum(1 for _ in csv.DictReader(f))
    return {"articles": n_articles, "tokens": None, "terms": None}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100],
                   help="copies of the corpus (default 1 10 100; the issue's full set is 1 10 100 1000 10000)")
    p.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    p.add_argument("--workdir", default="/tmp/c6lab-scale", help="where the corpora and results go")
    p.add_argument("--n-jobs", type=int, default=1, help="processes for topic selection (select_k n_jobs)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds per stage before it is stopped")
    p.add_argument("--markdown", default=None, help="also write the table to this file")
    p.add_argument("--vader-shapes", action="store_true",
                   help="tone: let VADER's cache merge texts that differ only in words VADER ignores (flatters the "
                        "synthetic copies, whose sentences differ only in such words); default: every distinct text")
    p.add_argument("--worker", choices=STAGES, help=argparse.SUPPRESS)
    p.add_argument("--corpus", help=argparse.SUPPRESS)
    p.add_argument("--results", help=argparse.SUPPRESS)
    p.add_argument("--build", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a.worker, Path(a.corpus), Path(a.results), Path(a.build), a.n_jobs)))
        return 0
    if a.vader_shapes:
        os.environ["C6LAB_SCALE_VADER_SHAPES"] = "1"  # read by the stage processes
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results, sizes = {}, {}
    for scale in a.scales:
        folder, gen_s = corpus_for(scale, workdir)
        sizes[scale] = _size(folder)
        out, build = workdir / f"results{scale}", workdir / f"build{scale}"
        for d in (out, build):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        print(f"{scale}×: {sizes[scale]['articles']:,} articles (written in {gen_s:.1f} s)", flush=True)
        for stage in a.stages:
            r = run_stage(stage, folder, out, build, a.n_jobs, a.timeout)
            results[(scale, stage)] = r
            print(f"  {stage:16s} {_fmt(r.get('seconds'), 2):>8} s  {_fmt(r.get('peak_mb'), 0):>6} MB"
                  f"  {r.get('error', '')}", flush=True)
        counted = results.get((scale, "counts"), {})
        sizes[scale].update(tokens=counted.get("speech_tokens"), terms=counted.get("speech_terms"))
    md = table(results, a.scales, a.stages, sizes)
    header = (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node() or 'this machine'}: "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, n_jobs={a.n_jobs}; "
              "seconds of the stage (peak resident MB of its process)")
    print()
    print(header)
    print(md)
    if a.markdown:
        Path(a.markdown).write_text(header + "\n\n" + md + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
