"""The main job end to end: two runs of every notebook give byte-identical results."""

from __future__ import annotations

from pathlib import Path

from c6lab import runner
from c6lab.corpus import bundled_corpus_root


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_write_identical_results_and_a_report(tmp_path):
    outputs = []
    for run in ("first", "second"):
        results, build = tmp_path / run / "results", tmp_path / run / "build"
        executed = runner.run_notebooks(parameters={"results_dir": str(results)}, build_dir=build,
                                        progress_bar=False)
        report = runner.build_report(executed, corpus=bundled_corpus_root(), build_dir=build)
        outputs.append(_files(results))
    first, second = outputs
    assert {"keywords.csv", "topic_selection.csv", "topics.csv", "doc_topics.csv", "power_sentiment.csv",
            "power_mentions.csv", "figures/00_words_per_speaker.png"} <= set(first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    page = report.read_text(encoding="utf-8")
    assert "version <code>" in page and page.count('href="notebooks/') == len(executed) >= 4
