"""The Lexicons bundle: lists from a corpus folder over the package defaults, and their checks."""

from __future__ import annotations

import ast
import filecmp
import re
from pathlib import Path

import pytest

import c6lab
from c6lab import CorpusError, Lexicons, open_corpus, validate_corpus
from c6lab.cli import main as cli_main
from c6lab.lexicons import FILES, OKABE_ITO, default_dir
from c6lab.paths import REPO_ROOT

SRC = Path(c6lab.__file__).resolve().parent


def _powers(root: Path, text: str) -> None:
    (root / "lexicons" / "powers.csv").write_text(text, encoding="utf-8")


def test_package_defaults_are_complete_and_the_bundled_corpus_uses_the_same_lists():
    assert sorted(p.name for p in default_dir().iterdir()) == sorted(FILES.values())
    bundled = c6lab.corpus.bundled_corpus_root() / "lexicons"
    # the study's lists are the defaults today; if they part ways, this test says which
    same, differ, missing = filecmp.cmpfiles(bundled, default_dir(), list(FILES.values()), shallow=False)
    assert (differ, missing) == ([], [])


def test_a_corpus_without_lexicons_uses_every_default(corpus_copy):
    for p in (corpus_copy / "lexicons").iterdir():
        p.unlink()
    corpus = open_corpus(corpus_copy)
    assert set(corpus.lexicons.origin().values()) == {"default"}
    assert corpus.segments.equals(open_corpus().segments)


def test_a_corpus_copy_with_its_own_lists(corpus_copy):
    lex_dir = corpus_copy / "lexicons"
    with (lex_dir / "phrases.txt").open("a", encoding="utf-8") as fh:
        fh.write("regional cooperation\n")
    with (lex_dir / "stopwords.txt").open("a", encoding="utf-8") as fh:
        fh.write("format\n")
    with (lex_dir / "powers.csv").open("a", encoding="utf-8") as fh:
        fh.write("KZ,Kazakhstan,no,state,\n")
    corpus = open_corpus(corpus_copy)
    lex = corpus.lexicons
    assert lex.tokenizer("regional cooperation in the C6 format") == ["regional_cooperation", "c6"]
    assert c6lab.tokenize("regional cooperation in the C6 format") == ["regional", "cooperation", "c6", "format"]
    assert lex.power_codes == ("US", "CN", "RU", "EU", "TR", "KZ")
    kz = lex.powers[-1]
    assert (kz.name, kz.colour) == ("KZ", OKABE_ITO[5])  # no row in power_names.csv: code and palette
    # the corpus version moves with its word lists
    assert corpus.version != open_corpus().version


@pytest.mark.parametrize("text, row, field, message", [
    ("power,alias,case_sensitive,type,note\nUS,,no,state,\n", 2, "alias", "empty"),
    ("power,alias,case_sensitive,type,note\nUS,Ankara,yes,state,\nTR,Ankara,yes,state,\n", 3, "alias",
     "already listed under power 'US' on line 2"),
    ("power,alias,case_sensitive,type,note\nUS,America,no,state,\nUS,AMERICA,no,state,\n", 3, "alias",
     "already listed on line 2"),
    ("power,alias,case_sensitive,type,colour\nUS,America,no,state,red\n", 1, "colour", "unknown column"),
    ("power,alias,case_sensitive,type\nusa,America,no,state\n", 2, "power", "not a power code"),
    ("power,alias,case_sensitive,type\nUS,America,maybe,state\n", 2, "case_sensitive", "yes or no"),
    ("power,alias,case_sensitive,type\nUS,America,no,country\n", 2, "type", "not one of"),
])
def test_malformed_powers_file_is_reported_with_file_row_and_field(corpus_copy, text, row, field, message):
    _powers(corpus_copy, text)
    problems = validate_corpus(corpus_copy)
    assert [(p.file, p.row, p.field) for p in problems] == [("lexicons/powers.csv", row, field)]
    assert message in problems[0].message
    with pytest.raises(CorpusError, match="powers.csv"):
        open_corpus(corpus_copy)


def test_power_names_must_name_a_listed_power(corpus_copy):
    with (corpus_copy / "lexicons" / "power_names.csv").open("a", encoding="utf-8") as fh:
        fh.write("XX,Nowhere,#123456\n")
    problems = validate_corpus(corpus_copy)
    assert [(p.file, p.row, p.field) for p in problems] == [("lexicons/power_names.csv", 7, "power")]


def test_every_list_problem_is_reported_at_once(corpus_copy):
    (corpus_copy / "lexicons" / "variants.csv").write_text("variant,token,case_sensitive\nUS,two words,yes\n")
    (corpus_copy / "lexicons" / "boilerplate_patterns.txt").write_text("(unclosed\n")
    (corpus_copy / "lexicons" / "stopwords.txt").write_bytes(b"the\n\xff\n")
    files = sorted(p.file for p in validate_corpus(corpus_copy))
    assert files == ["lexicons/boilerplate_patterns.txt", "lexicons/stopwords.txt", "lexicons/variants.csv"]


def test_cli_validate_says_which_lists_are_the_corpus_own(corpus_copy, capsys):
    for name in ("powers.csv", "stopwords.txt"):
        (corpus_copy / "lexicons" / name).unlink()
    assert cli_main(["corpus", "validate", "--corpus", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    own = next(line for line in out.splitlines() if line.startswith("word lists from the corpus"))
    default = next(line for line in out.splitlines() if line.startswith("word lists from the c6lab defaults"))
    assert "phrases.txt" in own and "powers.csv" not in own
    assert default.endswith("stopwords.txt, powers.csv")


# ---------------------------------------------------------------- one explicit data path

EDGE = {"cli/common.py", "kernel_env.py"}  # the command line reads it; kernel_env writes it for child processes


def _modules():
    return [p for p in SRC.rglob("*.py") if "data" not in p.parts]


def test_no_module_below_the_edge_reads_the_environment():
    offenders = []
    for path in _modules():
        if path.relative_to(SRC).as_posix() in EDGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_only_the_edge_and_the_conveniences_know_the_default_corpus():
    users = set()
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if "bundled_corpus_root" in text or "root_or_bundled" in text:
            users.add(path.relative_to(SRC).as_posix())
    # location.py defines it; validate/model use it only when called with no folder (load_corpus());
    # narrative.py compares a run's corpus with the bundled study, to show or hide its interpretation;
    # runner.run(), called with no corpus, runs the bundled study (and --in-place only that)
    assert users == {"paths.py", "cli/run.py", "corpus/__init__.py", "corpus/location.py", "corpus/model.py",
                     "corpus/validate.py", "narrative.py", "runner.py"}


def test_only_the_command_line_resolves_the_run_folders_from_the_environment():
    # paths.resolve_* look up $C6LAB_CORPUS, $C6LAB_RESULTS, $C6LAB_DASK_SCHEDULER in the environment they
    # are handed: cli/common.py (and the notebooks' first cells) hand them os.environ; the library is handed folders
    users = {path.relative_to(SRC).as_posix() for path in _modules()
             if re.search(r"resolve_(corpus_root|results_dir|scheduler)\b", path.read_text(encoding="utf-8"))}
    assert users == {"paths.py", "cli/common.py"}


def test_the_resolvers_read_only_the_environment_they_are_handed(monkeypatch, tmp_path):
    from c6lab.corpus import bundled_corpus_root
    from c6lab.paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler

    for name in ("C6LAB_CORPUS", "C6LAB_RESULTS", "C6LAB_DASK_SCHEDULER"):
        monkeypatch.setenv(name, str(tmp_path / name))  # set in the process: must not be seen
    assert resolve_corpus_root(None, {}) == bundled_corpus_root().resolve()
    assert resolve_results_dir(None, {}) == (REPO_ROOT / "results").resolve()
    assert resolve_scheduler(None, {}) is None
    given = {"C6LAB_CORPUS": str(tmp_path / "c"), "C6LAB_RESULTS": str(tmp_path / "r")}
    assert resolve_corpus_root(None, given) == tmp_path / "c" and resolve_results_dir("", given) == tmp_path / "r"
    assert resolve_corpus_root(tmp_path / "x", given) == tmp_path / "x"  # the argument wins


def test_lexicons_argument_must_be_a_bundle():
    with pytest.raises(TypeError, match="c6lab.Lexicons"):
        c6lab.tokenize("text", lexicons="corpus/lexicons")


def test_replace_rebuilds_the_compiled_forms():
    lex = Lexicons.default()
    assert lex.tokenizer is lex.tokenizer  # built once
    other = lex.replace(phrases=("green economy",))
    assert other.tokenizer("green economy") == ["green_economy"]
    assert lex.tokenizer("green economy") == ["green", "economy"]
