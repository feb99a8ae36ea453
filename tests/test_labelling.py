"""The labelling workflow: ``c6lab label sample | agreement | adopt`` on a corpus built here
(a new power, India, and two new speakers from KZ and UZ), agreement figures against
hand computation, scikit-learn, NLTK and the krippendorff package."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

import c6lab
from c6lab.cli import main as cli
from c6lab.corpus.transaction import LOCK_NAME
from c6lab.errors import CorpusError
from c6lab.sentiment import labelling as L
from c6lab.sentiment import read_gold
from conftest import build_corpus

ARTICLES = {
    "kz.txt": ("Kabar", "Aigerim Nurlanova=KZ",
               "Kazakh expert: India and China court the region\n"
               "Astana hosted a forum on trade routes on Monday.\n"
               "Aigerim Nurlanova, an economist, said that India is a welcome new partner for Kazakhstan.\n"
               "“India brings investment and skills. China remains our largest market, and Russia is still "
               "a transit country,” Nurlanova said.\n"
               "“We should not depend on Russia alone. The sanctions against Russia hurt our trade,” she added.\n"
               "Leave the first comment\n"),
    "uz.txt": ("Daryo", "Bekzod Karimov=UZ",
               "Uzbek analyst on the powers\n"
               "Tashkent hosted a round table on Tuesday.\n"
               "Bekzod Karimov, a political scientist, said that China is expanding its presence in the region.\n"
               "“China builds roads, but India offers an alternative. The United States is far away,” "
               "Karimov said.\n"
               "“Trump has shown interest in Central Asia. China and India will compete,” he noted.\n"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A corpus of two new articles, with India added to its powers.csv."""
    return build_corpus(tmp_path_factory.mktemp("own"), ARTICLES, "IN,India,no,state,\n", "IN,India,#E69F00\n")


@pytest.fixture
def own(built, tmp_path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(built, dest)
    return dest


def _one_line_error(capsys, code, expected_code=1) -> str:
    captured = capsys.readouterr()
    assert code == expected_code
    assert "Traceback" not in captured.err
    return captured.err


def _write(path: Path, rows: list[dict], fields=None, delimiter="\t") -> Path:
    fields = fields or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, delimiter=delimiter, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def _filled(sample: Path, labels: list, notes: str | None = "a reason") -> list[dict]:
    rows = list(csv.DictReader(sample.open(encoding="utf-8"), delimiter="\t"))
    for r, lab in zip(rows, labels, strict=False):
        r["label"] = "" if lab is None else str(lab)
        r["note"] = "" if lab is None or notes is None else notes
    return rows


# -- the mentions and the sample ----------------------------------------------------------------
def test_mentions_have_groups_new_power_and_neighbours(own):
    m = L.mention_table(c6lab.open_corpus(own))
    assert {"IN", "CN", "RU", "US"} <= set(m["power"])
    assert {"KZ", "UZ", L.NO_GROUP} <= set(m["group"])  # the title's mentions have no speaker
    quote = m[m["sentence"].str.contains("We should not depend on Russia")].iloc[0]
    assert quote["previous_sentence"] == "Nurlanova said."  # from the segment before
    assert quote["next_sentence"].startswith("The sanctions against Russia")
    first = m.iloc[0]
    assert first["previous_sentence"] == "" and first["power"] == "IN"


def test_allocation_one_per_stratum_then_proportional():
    sizes = {"a": 30, "b": 1, "c": 10, "d": 2}
    out = L.allocate(sizes, 12)
    assert sum(out.values()) == 12 and all(1 <= out[k] <= sizes[k] for k in sizes)
    # by hand: 8 left to share over 29, 0, 9, 1 -> 5.52, 0, 2.48, 0.19 -> 5, 0, 2, 0 + one to 'a' (.52)
    assert out == {"a": 7, "b": 1, "c": 3, "d": 1}
    assert L.allocate(sizes, 100) == sizes
    assert sum(L.allocate(sizes, 3).values()) == 3 and L.allocate(sizes, 3)["b"] == 0


def test_sample_every_stratum_deterministic_and_seeded(own):
    corpus = c6lab.open_corpus(own)
    m = L.mention_table(corpus)
    strata = set(zip(m["power"], m["group"], strict=True))
    s1 = L.draw_sample(corpus, 10, random_state=3)
    assert len(s1) == 10 and len(strata) < 10 < len(m)
    assert set(zip(s1["power"], s1["group"], strict=True)) == strata
    pd.testing.assert_frame_equal(s1, L.draw_sample(corpus, 10, random_state=3))
    others = {tuple(L.draw_sample(corpus, 10, random_state=s)["mention_id"]) for s in range(4, 9)}
    assert others - {tuple(s1["mention_id"])}  # another seed draws another sample
    assert list(s1.columns) == L.SAMPLE_COLUMNS and (s1[["label", "note"]] == "").all().all()
    assert len(L.draw_sample(corpus, 500)) == len(m)


def test_cli_sample_writes_tsv_and_instructions_and_refuses_to_overwrite(own, tmp_path, capsys):
    out = tmp_path / "round1.tsv"
    assert cli(["label", "sample", "--n", "9", "--out", str(out), "--corpus", str(own),
                "--random-state", "1"]) == 0
    assert "9 of 15 mentions drawn from 8 power x group strata" in capsys.readouterr().out
    table = pd.read_csv(out, sep="\t", keep_default_na=False)
    assert list(table.columns) == L.SAMPLE_COLUMNS and len(table) == 9
    notes = tmp_path / "round1.instructions.md"
    text = notes.read_text(encoding="utf-8")
    assert "reported from someone else also counts as -1" in text and "Worked examples" in text
    before = out.read_bytes()
    err = _one_line_error(capsys, cli(["label", "sample", "--n", "5", "--out", str(out), "--corpus", str(own)]))
    assert len(err.strip().splitlines()) == 1 and "round1.tsv: exists" in err and "--force" in err
    assert out.read_bytes() == before
    assert cli(["label", "sample", "--n", "5", "--out", str(out), "--corpus", str(own), "--force"]) == 0
    assert len(pd.read_csv(out, sep="\t")) == 5


# -- reading and agreement ----------------------------------------------------------------------
# a 3x3 table of two coders' labels (rows A, columns B; order -1, 0, +1), n = 20
TABLE = [[4, 1, 0], [1, 6, 1], [0, 2, 5]]


def _pairs():
    a, b = [], []
    for i, x in enumerate((-1, 0, 1)):
        for j, y in enumerate((-1, 0, 1)):
            a += [x] * TABLE[i][j]
            b += [y] * TABLE[i][j]
    return a, b


def test_agreement_against_hand_sklearn_nltk_krippendorff(tmp_path, capsys):
    a, b = _pairs()
    ids = [f"art:{10 * i}-{10 * i + 5}" for i in range(len(a))]
    # by hand: po = 15/20; pe = (5*5 + 8*9 + 7*6) / 400 = 139/400
    po, pe = 0.75, 139 / 400
    kappa = (po - pe) / (1 - pe)
    # nominal alpha, 2 coders, 40 values: 1 - (40 - 1) * 10 off-diagonal pairs / (40^2 - (10^2 + 17^2 + 13^2))
    alpha = 1 - 39 * 10 / (1600 - (100 + 289 + 169))
    fa = _write(tmp_path / "a.tsv", [{"mention_id": i, "power": "US", "label": x, "note": "n", "sentence": "S"}
                                     for i, x in zip(ids, a, strict=True)])
    # B: another column order, "+1" spelling, one extra row only B has, and one row B left empty
    rows_b = [{"note": "n", "label": f"+{y}" if y == 1 else y, "mention_id": i} for i, y in zip(ids, b, strict=True)]
    rows_b += [{"note": "", "label": "", "mention_id": "art:999-1000"},
               {"note": "x", "label": 0, "mention_id": "b:1-2"}]
    fb = _write(tmp_path / "b.tsv", rows_b)
    r = L.agreement(fa, fb)
    assert (r.n, r.only_a, r.only_b) == (20, 0, 1)
    assert r.percent_agreement == pytest.approx(po)
    assert r.cohen_kappa == pytest.approx(kappa) == pytest.approx(cohen_kappa_score(a, b))
    from nltk.metrics.agreement import AnnotationTask  # here: importing NLTK costs ~0.9 s in every worker

    task = AnnotationTask(data=[(c, str(k), str(v)) for c, lab in (("a", a), ("b", b)) for k, v in enumerate(lab)])
    assert r.krippendorff_alpha == pytest.approx(alpha) == pytest.approx(task.alpha())
    assert r.krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal"))
    assert len(r.disagreements) == 5 and set(r.disagreements.columns) == set(L.DISAGREEMENT_COLUMNS)
    assert r.as_frame()["n_disagreements"].item() == 5
    assert set(r.disagreements["sentence"]) == {"S"} and set(r.disagreements["note_a"]) == {"n"}
    out = tmp_path / "dis.csv"
    assert cli(["label", "agreement", str(fa), str(fb), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "n (labelled in both)      20" in printed and "75.0%" in printed
    assert f"{kappa:.3f}" in printed and f"{alpha:.3f}" in printed
    assert len(pd.read_csv(out)) == 5


def test_agreement_two_by_two_and_undefined():
    A = pd.DataFrame({"mention_id": list("abcd"), "label": pd.array([1, 1, 0, 0], dtype="Int64")})
    r = L.agreement(A, A.assign(label=pd.array([1, 0, 0, 0], dtype="Int64")))
    # po = 3/4, pe = 1/2 * 1/4 + 1/2 * 3/4 = 1/2 -> kappa = 1/2
    assert (r.percent_agreement, r.cohen_kappa) == (0.75, pytest.approx(0.5))
    # the sentence of a disagreement comes from whichever file has it; notes stay with their coder
    r = L.agreement(A.assign(note="a says"), A.assign(label=[1, 0, 0, 0], sentence=["s1", "s2", "s3", "s4"]))
    assert r.disagreements[["mention_id", "label_a", "label_b", "note_a", "note_b", "sentence"]].values.tolist() == [
        ["b", 1, 0, "a says", "", "s2"]]
    same = L.agreement(A.assign(label=0), A.assign(label=0))
    assert same.percent_agreement == 1 and np.isnan(same.cohen_kappa) and np.isnan(same.krippendorff_alpha)


def test_agreement_errors_name_file_row_field(tmp_path, capsys):
    ok = _write(tmp_path / "ok.tsv", [{"mention_id": "m:1-2", "label": "1"}, {"mention_id": "m:3-4", "label": "0"}])
    bad = _write(tmp_path / "bad.tsv", [{"mention_id": "m:1-2", "label": "1"}, {"mention_id": "m:3-4", "label": "pos"}])
    err = _one_line_error(capsys, cli(["label", "agreement", str(ok), str(bad)]))
    assert f"{bad}, row 3, field 'label'" in err and "'pos'" in err and len(err.strip().splitlines()) == 1
    dup = _write(tmp_path / "dup.tsv", [{"mention_id": "m:1-2", "label": "1"}, {"mention_id": "m:1-2", "label": "0"}])
    err = _one_line_error(capsys, cli(["label", "agreement", str(ok), str(dup)]))
    assert f"{dup}, row 3, field 'mention_id'" in err and "repeats row 2" in err
    other = _write(tmp_path / "other.tsv", [{"mention_id": "x:1-2", "label": "1"}])
    err = _one_line_error(capsys, cli(["label", "agreement", str(ok), str(other)]))
    assert "no mention labelled in both files" in err
    err = _one_line_error(capsys, cli(["label", "agreement", str(ok), str(tmp_path / "nope.tsv")]))
    assert "nope.tsv: file not found" in err


# -- adopt --------------------------------------------------------------------------------------
def _sample(own, tmp_path, n=6, seed=0) -> Path:
    out = tmp_path / f"s{seed}.tsv"
    L.write_sample(L.draw_sample(c6lab.open_corpus(own), n, random_state=seed), out)
    return out


def test_adopt_records_coder_keeps_order_and_skips_empty(own, tmp_path, capsys):
    s = _sample(own, tmp_path)
    rows = _filled(s, [1, 0, -1, None, 0, 1])
    f = _write(tmp_path / "filled.tsv", rows)
    assert cli(["label", "adopt", str(f), "--coder", "ana", "--corpus", str(own)]) == 0
    assert "5 label(s) added, 0 replaced, 1 row(s) without a label skipped" in capsys.readouterr().out
    gold = read_gold(own / "annotations" / "power_sentiment_gold.csv")
    assert len(gold) == 5 and set(gold["coder"]) == {"ana"} and set(gold["reason"]) == {"a reason"}
    # `corpus init` wrote the header only: the coder and the reader's columns are added
    assert list(gold.columns) == ["mention_id", "power", "alias", "label", "reason", "coder", "segment_id", "kind",
                                  "speaker_id", "sentence"]
    assert (own / LOCK_NAME).exists()  # written under the corpus's change lock
    order = list(L.mention_table(c6lab.open_corpus(own))["mention_id"])
    assert list(gold["mention_id"]) == sorted(gold["mention_id"], key=order.index)
    m = L.mention_table(c6lab.open_corpus(own)).set_index("mention_id")
    assert (gold.set_index("mention_id")["power"] == m.loc[gold["mention_id"], "power"]).all()
    # the sample now leaves the labelled mentions out, unless asked
    corpus = c6lab.open_corpus(own)
    assert not set(L.draw_sample(corpus, 50)["mention_id"]) & set(gold["mention_id"])
    assert set(gold["mention_id"]) <= set(L.draw_sample(corpus, 50, include_labelled=True)["mention_id"])


def test_adopt_conflicts_refused_then_replaced(own, tmp_path, capsys):
    s = _sample(own, tmp_path)
    first = _write(tmp_path / "first.tsv", _filled(s, [0] * 6))
    assert cli(["label", "adopt", str(first), "--coder", "ana", "--corpus", str(own)]) == 0
    gold_file = own / "annotations" / "power_sentiment_gold.csv"
    before = gold_file.read_bytes()
    second = _write(tmp_path / "second.tsv", _filled(s, [1, None, None, None, None, None], "praised"))
    err = _one_line_error(capsys, cli(["label", "adopt", str(second), "--coder", "ben", "--corpus", str(own)]))
    assert f"{second}, row 2, field 'mention_id'" in err and "labelled already" in err and "coder ana" in err
    assert gold_file.read_bytes() == before
    assert cli(["label", "adopt", str(second), "--coder", "ben", "--corpus", str(own), "--replace"]) == 0
    gold = read_gold(gold_file).set_index("mention_id")
    mid = _filled(s, [1])[0]["mention_id"]
    assert (gold.loc[mid, "label"], gold.loc[mid, "coder"], gold.loc[mid, "reason"]) == (1, "ben", "praised")
    assert len(gold) == 6 and (gold["coder"] == "ana").sum() == 5


def test_adopt_keeps_old_rows_with_empty_coder(own, tmp_path):
    m = L.mention_table(c6lab.open_corpus(own))
    gold_file = own / "annotations" / "power_sentiment_gold.csv"
    last = m.iloc[-1]
    _write(gold_file, [{"mention_id": last["mention_id"], "segment_id": last["segment_id"], "kind": last["kind"],
                        "speaker_id": last["speaker_id"], "power": last["power"], "alias": last["alias"],
                        "label": "0", "reason": "old label", "sentence": last["sentence"]}], delimiter=",")
    f = _write(tmp_path / "f.tsv", [{"mention_id": m.iloc[0]["mention_id"], "label": "+1", "note": "welcome"}])
    L.adopt(c6lab.open_corpus(own), f, "ana")
    gold = read_gold(gold_file)
    assert list(gold.columns[:9]) == ["mention_id", "segment_id", "kind", "speaker_id", "power", "alias", "label",
                                      "reason", "coder"]
    assert gold["mention_id"].tolist() == [m.iloc[0]["mention_id"], last["mention_id"]]  # corpus order
    assert gold["coder"].tolist() == ["ana", ""] and gold["label"].tolist() == [1, 0]
    assert gold["sentence"].iloc[0] == c6lab.normalize(m.iloc[0]["sentence"])  # as the bundled file has it


@pytest.mark.parametrize("problem,where", [
    ({"label": "2"}, "row 3, field 'label'"),
    ({"note": ""}, "row 3, field 'note'"),
    ({"mention_id": "kz:1-5"}, "row 3, field 'mention_id'"),
    ({"power": "RU"}, "row 3, field 'power'"),
])
def test_adopt_errors_name_file_row_field_and_write_nothing(own, tmp_path, capsys, problem, where):
    s = _sample(own, tmp_path)
    rows = _filled(s, [1, 0, -1, 0])
    if problem.get("power") and rows[1]["power"] == "RU":
        problem = {"power": "CN"}
    rows[1].update(problem)
    f = _write(tmp_path / "f.tsv", rows)
    gold_file = own / "annotations" / "power_sentiment_gold.csv"
    before = gold_file.read_bytes()
    err = _one_line_error(capsys, cli(["label", "adopt", str(f), "--coder", "ana", "--corpus", str(own)]))
    assert err.startswith(f"c6lab: {f}, {where}") and len(err.strip().splitlines()) == 1
    assert gold_file.read_bytes() == before
    assert sorted(p.name for p in gold_file.parent.iterdir()) == [gold_file.name]  # no temp file left


def test_adopt_usage_errors(own, tmp_path, capsys):
    f = _write(tmp_path / "f.tsv", [{"mention_id": "x", "label": "", "note": ""}])
    with pytest.raises(SystemExit) as exc:  # argparse: --coder is required
        cli(["label", "adopt", str(f), "--corpus", str(own)])
    assert exc.value.code == 2
    err = _one_line_error(capsys, cli(["label", "adopt", str(f), "--coder", "a,b", "--corpus", str(own)]))
    assert "--coder" in err
    with pytest.raises(CorpusError, match="empty: the gold file needs a reason"):
        L.adopt(c6lab.open_corpus(own), _write(tmp_path / "g.tsv", [
            {"mention_id": L.mention_table(c6lab.open_corpus(own)).iloc[0]["mention_id"], "label": "0",
             "note": ""}]), "ana")


def test_bundled_instructions_ship_with_the_package():
    assert "stance of the sentence toward THAT power" in L.instructions_text()


def test_sample_when_everything_is_labelled(own, tmp_path, capsys):
    corpus = c6lab.open_corpus(own)
    everything = L.draw_sample(corpus, 100).assign(label="0", note="place")
    f = tmp_path / "all.tsv"
    L.write_sample(everything, f)
    assert L.adopt(corpus, f, "ana")["added"] == len(L.mention_table(corpus))
    err = _one_line_error(capsys, cli(["label", "sample", "--n", "5", "--out", str(tmp_path / "x.tsv"),
                                       "--corpus", str(own)]))
    assert "no mention left to label" in err and "--include-labelled" in err
    assert not (tmp_path / "x.tsv").exists()
    assert cli(["label", "sample", "--n", "5", "--out", str(tmp_path / "x.tsv"), "--corpus", str(own),
                "--include-labelled"]) == 0
