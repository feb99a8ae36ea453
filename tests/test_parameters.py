"""The parameter table: the notebooks declare exactly it, and -p values are read by type."""

from __future__ import annotations

import ast

import pytest

import c6lab
from c6lab import parameters as P
from c6lab import runner
from c6lab.cli import main as cli
from c6lab.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_the_table_covers_exactly_the_notebooks():
    assert [p.stem for p in NOTEBOOKS] == list(P.NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_parameters_cell_declares_the_table(path):
    declared = {name: ast.literal_eval(src) for name, src in runner.declared_parameters(path).items()}
    table = P.defaults(path.stem)
    assert set(declared) == set(table), (
        f"{path.name} and c6lab/parameters.py differ in {sorted(set(declared) ^ set(table))}")
    for name, value in table.items():
        assert declared[name] == value and type(declared[name]) is type(value), (
            f"{path.name}: {name} = {declared[name]!r} in the notebook, {value!r} in c6lab/parameters.py")


def test_every_default_is_allowed_and_every_row_is_sound():
    for p in P.PARAMETERS:
        assert p.meaning and "\n" not in p.meaning
        assert set(p.notebooks) <= set(P.NOTEBOOKS)
        assert P.problem(p, p.default) is None, p.name
    # a name with several rows has disjoint notebooks and one type
    for name in P.names():
        rows = P.rows(name)
        nbs = [n for r in rows for n in r.notebooks]
        assert len(nbs) == len(set(nbs)) and len({r.type for r in rows}) == 1, name
    for nb in P.NOTEBOOKS:
        P.check_values(P.defaults(nb), [nb])


def test_choices_match_the_library():
    from c6lab import sentiment, topics

    assert P.KINDS == c6lab.KINDS
    assert P.SENTIMENT_METHODS == sentiment.METHODS
    assert P.TOPIC_MODELS == topics.MODELS


@pytest.mark.parametrize("pairs, expected", [
    (["k_max=4"], {"k_max": 4}),
    (["alpha0=50"], {"alpha0": 50.0}),
    (["alpha0=1e3", "stable_share=.75"], {"alpha0": 1000.0, "stable_share": 0.75}),
    (["domain=true"], {"domain": True}),
    (["domain=No"], {"domain": False}),
    (["group_by=outlet"], {"group_by": "outlet"}),
    (["group_by= 'speaker' "], {"group_by": "speaker"}),
    (["kinds=[quote, paraphrase]"], {"kinds": ["quote", "paraphrase"]}),
    (["kinds=[quote,]"], {"kinds": ["quote"]}),
    (["kinds=quote"], {"kinds": ["quote"]}),
    (['concordance_terms=["Middle Corridor", \'a, b\', Türkiye]'],
     {"concordance_terms": ["Middle Corridor", "a, b", "Türkiye"]}),
    (["concordance_terms=[2024-01-01, 12]"], {"concordance_terms": ["2024-01-01", "12"]}),
    (["topic_labels={a b c: Trade, 'd: e': \"Security, mostly\"}"],
     {"topic_labels": {"a b c": "Trade", "d: e": "Security, mostly"}}),
    (["topic_labels={}"], {"topic_labels": {}}),
    (["k_min=2", "k_max=4", "chosen_k=4"], {"k_min": 2, "k_max": 4, "chosen_k": 4}),
    (["chosen_k=none", "chosen_model=None"], {"chosen_k": None, "chosen_model": None}),  # the rule chooses
    (["models=[lda]"], {"models": ["lda"]}),
])
def test_values_are_read_by_the_declared_type(pairs, expected):
    assert P.parse_assignments(pairs) == expected


@pytest.mark.parametrize("pair, message", [
    # YAML would build objects, bytes, sets or dates from these; here they are never values
    ("kinds=!!binary aW1wb3J0IG9z", "-p kinds=!!binary aW1wb3J0IG9z: a YAML tag is not accepted; kinds takes"),
    ("k_max=!!python/object/apply:os.system [ls]",
     "-p k_max=!!python/object/apply:os.system [ls]: a YAML tag is not accepted; k_max takes an integer >= 2 "
     "(default 6)"),
    ("kinds=!!set {quote, paraphrase}", "a YAML tag is not accepted; kinds takes"),
    ("concordance_terms=[&a China, *a]", "a YAML anchor is not accepted"),
    ("group_by=*alias", "a YAML alias is not accepted"),
    ("group_by=2024-01-01", "-p group_by=2024-01-01: group_by takes one of country, speaker, outlet, article_id "
     "(default country)"),
    ("domain=2024-01-01", "domain takes true or false (default false)"),
    ("group_by=a\x00b", "-p group_by=a\\u0000b: contains the control character U+0000; group_by takes one of"),
    ("concordance_terms=[a\x1b[31mred]", "contains the control character U+001B"),
    ("concordance_terms=[a\u202eb]", "contains the control character U+202E"),
    ("k_max=banana", "-p k_max=banana: k_max takes an integer >= 2 (default 6)"),
    ("k_max=1", "k_max takes an integer >= 2 (default 6)"),
    ("k_max=4.0", "k_max takes an integer >= 2"),
    ("k_max=0x10", "k_max takes an integer >= 2"),
    ("k_max=1_0", "k_max takes an integer >= 2"),
    ("k_max='4'", "k_max takes an integer >= 2"),
    ("k_max=[4]", "k_max takes an integer >= 2"),
    ("k_max=", "k_max takes an integer >= 2"),
    ("alpha0=0", "alpha0 takes a number > 0 (default 100.0)"),
    ("alpha0=nan", "alpha0 takes a number > 0"),
    ("alpha0=inf", "alpha0 takes a number > 0"),
    ("stable_share=1.5", "stable_share takes a number from 0 to 1 (default 0.5)"),
    ("domain=1", "domain takes true or false"),
    ("kinds=[quote, speech]", "kinds takes a non-empty list of title, narrative, quote"),
    ("kinds=[]", "kinds takes a non-empty list"),
    ("kinds=[quote, quote]", "an item is repeated; kinds takes"),
    ("kinds=[quote, [paraphrase]]", "nested lists or mappings are not accepted"),
    ("kinds=[quote", "[ without a closing ]"),
    ("kinds={quote: 1}", "kinds takes a non-empty list"),
    ("concordance_terms=[China, ]", None),  # a trailing comma is fine
    ("concordance_terms=[China, , Russia]", "an empty item"),
    ("concordance_terms=['China]", "is not closed"),
    ("topic_labels=[a, b]", "topic_labels takes a mapping of texts to texts"),
    ("topic_labels={a b c}", "has no ':'"),
    ("top_n=1", "-p top_n=1: top_n takes an integer >= 2 in 02_topics (default 6 in 01_keywords, 10 in 02_topics)"),
    ("top_n=0", "top_n takes an integer >= 1 in 01_keywords (default 6 in 01_keywords, 10 in 02_topics)"),
    ("chosen_k=9", "-p chosen_k=9: chosen_k (9) must lie between k_min and k_max (2 to 6)"),
    ("chosen_k='none'", "-p chosen_k='none': chosen_k takes an integer >= 2 or none (default none)"),
    ("k_max=none", "k_max takes an integer >= 2 (default 6)"),
    ("k_min=7", "k_min (7) must not exceed k_max (6)"),
    ("corpus_root=/tmp", "-p corpus_root=/tmp: set corpus_root with --corpus DIR, not with -p"),
    ("results_dir=/tmp", "set results_dir with --out DIR"),
    ("k_max", "-p k_max: write a parameter as NAME=VALUE"),
    ("=4", "write a parameter as NAME=VALUE"),
    ("kmax=4", "-p kmax=4: there is no parameter named kmax (parameters: alpha0, chosen_k, chosen_model, "),
])
def test_bad_values_are_one_line_errors_naming_the_parameter(pair, message):
    if message is None:
        P.parse_assignments([pair])
        return
    with pytest.raises(P.ParameterError) as info:
        P.parse_assignments([pair])
    text = str(info.value)
    assert "\n" not in text and message in text


def test_the_chosen_model_must_be_one_of_the_models():
    with pytest.raises(P.ParameterError, match=r"-p chosen_model=nmf -p models=\[lda\]: chosen_model \(nmf\) "
                       r"must be one of models \(\[lda\]\)"):
        P.parse_assignments(["models=[lda]", "chosen_model=nmf"])


def test_a_parameter_given_twice_or_of_a_notebook_not_run():
    with pytest.raises(P.ParameterError, match="k_max is given twice"):
        P.parse_assignments(["k_max=4", "k_max=5"])
    with pytest.raises(P.ParameterError, match="k_max is a parameter of 02_topics, which this run does not include"):
        P.parse_assignments(["k_max=4"], ["00_corpus"])
    # rows of notebooks that do not run do not count: top_n=1 is fine for the keywords alone
    assert P.parse_assignments(["top_n=1"], ["01_keywords"]) == {"top_n": 1}
    # the topic notebook's constraints only when it runs
    assert P.parse_assignments(["n_boot=10"], ["01_keywords"]) == {"n_boot": 10}


def test_the_unknown_name_error_lists_the_known_ones():
    with pytest.raises(P.ParameterError) as info:
        P.parse_assignments(["no_such=1"])
    listed = str(info.value).split("(parameters: ")[1].rstrip(")").split(", ")
    assert listed == sorted(n for n in P.names() if n not in ("corpus_root", "results_dir", "dask_scheduler"))


@pytest.mark.parametrize("pair, message", [
    ("kinds=!!binary aW1wb3J0IG9z", "c6lab run: -p kinds=!!binary aW1wb3J0IG9z: a YAML tag is not accepted"),
    ("k_max=!!python/object/apply:os.system [ls]", "c6lab run: -p k_max=!!python/object/apply:os.system [ls]: "
     "a YAML tag is not accepted; k_max takes an integer >= 2 (default 6)"),
    ("group_by=2024-01-01", "c6lab run: -p group_by=2024-01-01: group_by takes one of"),
    ("group_by=a\x00b", "c6lab run: -p group_by=a\\u0000b: contains the control character U+0000"),
    ("k_max=banana", "c6lab run: -p k_max=banana: k_max takes an integer >= 2 (default 6)"),
    ("no_such_parameter=1", "c6lab run: -p no_such_parameter=1: there is no parameter named no_such_parameter "
     "(parameters: alpha0, "),
])
def test_cli_refuses_bad_parameters_before_anything_runs(pair, message, capsys, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("a notebook was started")

    monkeypatch.setattr(runner, "run_notebooks", must_not_run)
    assert cli(["run", "-p", pair, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_help_lists_every_parameter_with_type_default_and_meaning(capsys):
    with pytest.raises(SystemExit) as info:
        cli(["run", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for p in P.PARAMETERS:
        if p.type == "path":
            continue
        head = next(line for line in out.splitlines() if line.startswith(f"  {p.name} [")
                    and f"[{', '.join(n[:2] for n in p.notebooks)}]" in line)
        assert "default " in head and p.short() in head
        assert f"      {p.meaning}" in out
    assert "exit status:" in out and "4    internal error" in out


def test_values_reach_the_kernel_as_the_same_python_values():
    # papermill writes each value into the injected cell; nothing a -p value can hold escapes that literal
    from papermill.translators import PythonTranslator

    for text in ['a"b', "a'b", "back\\slash", 'x\\"; import os; os.system("ls"); y = "\\', "Türkiye", "{a}"]:
        value = P.parse_assignments([f"concordance_terms=[{P.format_value(text)}]"])["concordance_terms"]
        assert value == [text]
        assert ast.literal_eval(PythonTranslator.translate(value)) == [text]
    labels = {"a b c": "Trade: \"routes\"", "x": "y'z"}
    assert ast.literal_eval(PythonTranslator.translate(labels)) == labels


def test_format_value_round_trips_every_default():
    for p in P.PARAMETERS:
        if p.type != "path":
            assert P.parse_assignments([f"{p.name}={P.format_value(p.default)}"], p.notebooks) == {p.name: p.default}


# ------------------------------------------------------------------ hostile values (issue 14)

# what an attacker might write after -p; none of it may become code in a kernel
PAYLOADS = [
    "!!binary aW1wb3J0IG9z",
    "!!python/object/apply:os.system ['touch pwned']",
    "!!set {a}",
    "2024-01-01",
    "__import__('os').system('touch pwned')",
    '"); __import__("os").system("touch pwned"); ("',
    '\\"; __import__("os").system("touch pwned"); x = "\\',
    "{{ __import__('os') }}",
    "x" * 9_000,
]


@pytest.mark.parametrize("text", PAYLOADS, ids=lambda t: t[:30])
def test_a_hostile_text_is_a_text_and_its_cell_only_assigns_it(text):
    # written as a quoted item of a free-text list, each payload is read as exactly that text
    pair = f"concordance_terms=[{P.format_value(text)}]"
    values = P.parse_assignments([pair])
    assert values == {"concordance_terms": [text]} and type(values["concordance_terms"][0]) is str
    source = runner.injected_cell(values)
    tree = ast.parse(source)
    assert [type(node) for node in tree.body] == [ast.Assign]
    assert ast.literal_eval(tree.body[0].value) == [text]
    # the same as a mapping key and value
    key = text[:4000]
    labels = P.parse_assignments([f"topic_labels={{{P.format_value(key)}: {P.format_value(key)}}}"])
    assert ast.literal_eval(ast.parse(runner.injected_cell(labels)).body[0].value) == {key: key}


@pytest.mark.parametrize("pair, message", [
    ("group_by=!!binary aW1wb3J0IG9z", "a YAML tag is not accepted"),
    ("concordance_terms=!!python/object:os.system", "a YAML tag is not accepted"),
    ("kinds=!!set {a}", "a YAML tag is not accepted"),
    ("concordance_terms=[!!binary aW1w]", "a YAML tag is not accepted"),
    ("group_by=2024-01-01", "group_by takes one of"),
    ("domain=2024-01-01", "domain takes true or false"),
    ("group_by=__import__('os').system('touch pwned')", "group_by takes one of"),
    ("concordance_terms=[a'b\nc]", "contains the control character U+000A"),
    ("concordance_terms=[\"a'b\nc\"]", "contains the control character U+000A"),
    ("concordance_terms=[a\rb]", "contains the control character U+000D"),
    ("concordance_terms=[a\x00b]", "contains the control character U+0000"),
    ("concordance_terms=[a\x7fb]", "contains the control character U+007F"),
    ("concordance_terms=[a\u0085b]", "contains the control character U+0085"),
    ("concordance_terms=[a\u2028b]", "contains the control character U+2028"),
    ("concordance_terms=[a, {b: c}]", "nested lists or mappings are not accepted"),
    ("concordance_terms=[a, [b]]", "nested lists or mappings are not accepted"),
    ("topic_labels={a: [b]}", "nested lists or mappings are not accepted"),
    ("concordance_terms=[" + "x" * 10_000 + "]", "the value is 10002 characters long (at most 10000)"),
    ("k_max=\u0664", "k_max takes an integer >= 2"),  # an Arabic-Indic 4: ASCII digits only
    ("alpha0=\u0661\u0660", "alpha0 takes a number > 0"),
])
def test_hostile_values_are_refused_in_one_line(pair, message):
    with pytest.raises(P.ParameterError) as info:
        P.parse_assignments([pair])
    text = str(info.value)
    assert message in text and "\n" not in text and "\r" not in text and "\x00" not in text
    assert len(text) < 600  # a long value is not echoed whole


def test_a_long_value_is_read_in_linear_steps():
    # many quotes in one item once made the splitter re-join the item at every quote
    text = "[" + ", ".join(["'a'"] * 2000) + "]"
    assert len(P.read_value(text)) == 2000


def test_values_from_a_yaml_loader_never_reach_a_kernel():
    import datetime

    yaml = pytest.importorskip("yaml")
    for source in ("!!binary aW1wb3J0IG9z", "!!set {a: null}", "2024-01-01", ".nan"):
        value = yaml.safe_load(source)
        with pytest.raises(TypeError, match="not plain data|not a finite number"):
            P.as_plain(value, "x")
    assert isinstance(yaml.safe_load("2024-01-01"), datetime.date)


def test_only_plain_data_is_plain():
    class Sneaky(str):
        def encode(self, *args, **kwargs):  # papermill escapes a text through encode()
            return b'"); __import__("os").system("touch pwned"); ("'

    class Loud(int):
        def __format__(self, spec):  # papermill writes an integer with an f-string
            return "__import__('os').system('touch pwned')"

    for bad in (Sneaky("a"), b"bytes", {"a"}, frozenset(), object(), float("inf"), [[[[1]]]], {1: "a"},
                complex(1, 2)):
        with pytest.raises(TypeError):
            P.as_plain(bad, "x")
    # a number of another type becomes the plain number it stands for (whose text is a literal)
    loud = P.as_plain([Loud(3)])
    assert loud == [3] and type(loud[0]) is int and runner.injected_cell({"k": loud}).strip().endswith("k = [3]")
    assert P.as_plain({"a": ("b", 1, 2.5, None, True)}) == {"a": ["b", 1, 2.5, None, True]}


def test_the_injected_cell_is_checked_against_the_values():
    class Loud(int):
        def __format__(self, spec):
            return "__import__('os').getpid()"

    # even if a non-plain value got as far as the cell, the cell would not be accepted
    with pytest.raises(runner.RunError, match="would not reach the notebook as plain values"):
        runner.injected_cell({"k": Loud(3)})
    with pytest.raises(runner.RunError, match="would not reach the notebook as the same values"):
        runner.injected_cell({"k": (1, 2)})  # papermill writes a tuple as the text "(1, 2)"
    assert runner.injected_cell({"k": [1, "two", None, True, 0.5, {"a": "b"}]}).strip().endswith(
        "k = [1, \"two\", None, True, 0.5, {\"a\": \"b\"}]")
