"""The notebooks' parameters, declared once: name, type, default, allowed values, meaning.

Each notebook's papermill ``parameters`` cell assigns exactly the defaults of its rows here
(a test compares them), ``c6lab run --help`` lists this table, and a value given on the
command line (``-p name=value``) is read by the declared type and checked against the allowed
values before any notebook starts.

Values are read by a small parser, not by a YAML loader: a plain value (``4``, ``0.5``,
``true``, ``outlet``, ``"two words, one comma"``), a list of plain values
(``[quote, paraphrase]``), or, for a mapping parameter, ``{key: value, ...}``. Nothing is
ever evaluated; there are no tags, anchors, dates or nested structures, and control
characters are refused. A value is at most :data:`MAX_VALUE_LENGTH` characters long.

What reaches a notebook is plain data (``None``, booleans, integers, finite floats, texts,
lists and text-to-text mappings of them): :func:`c6lab.runner.run_notebooks` refuses anything
else and checks that papermill's injected cell is nothing but ``name = <literal>`` lines.

Examples
--------
>>> parse_assignments(["k_max=4", "kinds=[quote, paraphrase]", "group_by=outlet"])
{'k_max': 4, 'kinds': ['quote', 'paraphrase'], 'group_by': 'outlet'}
>>> parse_assignments(["k_max=banana"])
Traceback (most recent call last):
...
c6lab.parameters.ParameterError: -p k_max=banana: k_max takes an integer >= 2 (default 6)
"""

from __future__ import annotations

import copy
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .parameter_syntax import BIDI, BOOLS, FLOAT, INDICATORS, INT, Scalar, SyntaxProblem, read_value
from .plain import as_plain

NOTEBOOKS = ("00_corpus", "01_keywords", "02_topics", "03_sentiment")

# Copied here so that reading the table imports nothing heavy; a test checks that they equal
# c6lab.KINDS, c6lab.sentiment.METHODS and c6lab.topics.MODELS.
KINDS = ("title", "narrative", "quote", "paraphrase", "boilerplate", "unrelated")
SENTIMENT_METHODS = ("masked_sentence", "window", "naive_sentence")
TOPIC_MODELS = ("nmf", "lda")
GROUPINGS = ("country", "speaker", "outlet", "article_id")

TYPES = ("int", "float", "bool", "str", "list", "mapping", "path")
# longer than any sensible value, short enough that no value makes the parser or a kernel slow
MAX_VALUE_LENGTH = 10_000


class ParameterError(ValueError):
    """A ``-p`` assignment that cannot be used; the message is one line naming the parameter."""


@dataclass(frozen=True)
class Range:
    """Allowed numbers: ``low`` (inclusive unless ``low_open``) up to ``high`` (inclusive)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False

    def __contains__(self, value) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            return f"from {_fmt_num(self.low)} to {_fmt_num(self.high)}"
        if self.low is not None:
            return f"{'>' if self.low_open else '>='} {_fmt_num(self.low)}"
        return f"<= {_fmt_num(self.high)}" if self.high is not None else ""


@dataclass(frozen=True)
class Parameter:
    """One parameter of one or more notebooks.

    ``type`` is one of ``int, float, bool, str, list`` (of texts), ``mapping`` (text to
    text) or ``path`` (a folder, set by ``--corpus``/``--out``, never by ``-p``).
    ``allowed`` is a :class:`Range` for numbers, or a tuple of choices for a text or for the
    items of a list. A parameter whose default is None (other than a path) also takes
    ``none`` (written ``-p name=none``), meaning "not set": the notebook decides. The same
    name may have one row per notebook when the default differs.
    """

    name: str
    type: str
    default: object
    meaning: str
    notebooks: tuple[str, ...]
    allowed: Range | tuple[str, ...] | None = None
    option: str | None = None  # the command-line option that sets a path parameter
    example: str | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")

    # -- describing ---------------------------------------------------------------------
    def accepts(self) -> str:
        """What values it takes, in words: ``an integer >= 2`` (``... or none`` when it may be unset)."""
        if self.default is None and self.type != "path":
            return f"{self._accepts()} or none"
        return self._accepts()

    def _accepts(self) -> str:
        a = self.allowed
        if self.type in ("int", "float"):
            noun = "an integer" if self.type == "int" else "a number"
            return f"{noun} {a.describe()}".rstrip() if isinstance(a, Range) else noun
        if self.type == "bool":
            return "true or false"
        if self.type == "str":
            return f"one of {', '.join(a)}" if a else "a text"
        if self.type == "list":
            example = self.example or format_value(list(a[:2]) if a else ["one", "two"])
            items = f" of {', '.join(a)}" if a else " of texts"
            return f"a non-empty list{items}, e.g. {example}"
        if self.type == "mapping":
            return f"a mapping of texts to texts, e.g. {self.example or '{key: value}'}"
        return f"{'an address' if self.name == 'dask_scheduler' else 'a folder'} (set with {self.option})"

    def short(self) -> str:
        """The type in a few words, for the help: ``integer >= 2``, ``list of nmf, lda``."""
        if self.type == "list":
            return f"list of {', '.join(self.allowed) if self.allowed else 'texts'}"
        if self.type == "mapping":
            return "mapping of texts to texts"
        return self.accepts().removeprefix("an ").removeprefix("a ")


_K = ("01_keywords",)
_T = ("02_topics",)
_S = ("03_sentiment",)
_KS = ("01_keywords", "03_sentiment")

PARAMETERS: tuple[Parameter, ...] = (
    Parameter("corpus_root", "path", None, "the corpus folder (None: $C6LAB_CORPUS, else the bundled corpus)",
              NOTEBOOKS, option="--corpus DIR"),
    Parameter("results_dir", "path", None, "where tables and figures go (None: $C6LAB_RESULTS, else results/)",
              NOTEBOOKS, option="--out DIR"),
    Parameter("dask_scheduler", "path", None, "the Dask scheduler that tokenises, counts and scores "
              "(None: $C6LAB_DASK_SCHEDULER, else this process; the results are the same)",
              NOTEBOOKS, option="--scheduler ADDRESS or --workers N"),
    # 00_corpus
    Parameter("concordance_terms", "list", ["Middle Corridor", "United States", "China", "Russia"],
              "terms whose every occurrence is listed in the concordance", ("00_corpus",),
              example="[Middle Corridor, China]"),
    Parameter("concordance_window", "int", 6, "words of context on each side in the concordance",
              ("00_corpus",), Range(1)),
    Parameter("max_articles", "int", 200, "above this many articles, the segment proposals are compared with the "
              "annotation on a random sample of this many", ("00_corpus",), Range(1)),
    Parameter("random_state", "int", 0, "seed of that sample of articles", ("00_corpus",), Range(0)),
    # 01_keywords (group_by and kinds also 03_sentiment)
    Parameter("group_by", "str", "country", "what the groups compared are", _KS, GROUPINGS),
    Parameter("kinds", "list", ["quote", "paraphrase"], "segment kinds analysed",
              ("01_keywords", "02_topics", "03_sentiment"), KINDS, example="[quote, paraphrase]"),
    Parameter("alpha0", "float", 100.0, "weight of the Fightin' Words prior, in pseudo-tokens", _K,
              Range(0, low_open=True)),
    Parameter("min_count", "int", 2, "a word must occur this often in the two sides of a comparison", _K,
              Range(1)),
    Parameter("top_n", "int", 6, "length of a keyword top list (words tied at the last place kept)", _K,
              Range(1)),
    Parameter("n_boot", "int", 500, "sentence-bootstrap replicates", _K, Range(1)),
    Parameter("random_state", "int", 2024, "seed of the bootstrap", _K, Range(0)),
    Parameter("stable_share", "float", 0.5, "a word survives the bootstrap if in the top list this often",
              _K, Range(0, 1)),
    Parameter("kwic_top", "int", 3, "concordance for each group's words ranked up to this", _K, Range(1)),
    Parameter("kwic_window", "int", 8, "words of context on each side in the keyword concordance", _K,
              Range(1)),
    Parameter("n_labels", "int", 8, "words labelled on each side of a keyword figure", _K, Range(0)),
    # 02_topics
    Parameter("unit", "str", "segment", "the documents of the topic models", _T, ("segment", "sentence")),
    Parameter("k_min", "int", 2, "smallest number of topics fitted", _T, Range(2)),
    Parameter("k_max", "int", 6, "largest number of topics fitted", _T, Range(2)),
    Parameter("models", "list", ["nmf", "lda"], "topic models compared", _T, TOPIC_MODELS),
    Parameter("top_n", "int", 10, "top words per topic (coherence, stability, topic table)", _T, Range(2)),
    Parameter("min_df", "int", 2, "a word must occur in at least this many documents", _T, Range(1)),
    Parameter("n_subsamples", "int", 5, "80% document subsamples per model and K (stability)", _T, Range(1)),
    Parameter("n_seeds", "int", 3, "extra random seeds per model and K (seed stability)", _T, Range(1)),
    Parameter("random_state", "int", 0, "seed of the topic models and the bootstrap", _T, Range(0)),
    Parameter("n_jobs", "int", 2, "processes fitting the models of the K table, from 300 documents on "
              "(the same table for any number)", _T, Range(1)),
    Parameter("chosen_model", "str", None, "the model whose topics are shown (none: the rule of "
              "c6lab.topics.suggest_k chooses)", _T, TOPIC_MODELS),
    Parameter("chosen_k", "int", None, "the number of topics shown, from k_min to k_max (none: the rule of "
              "c6lab.topics.suggest_k chooses)", _T, Range(2)),
    Parameter("topic_labels", "mapping", {
        "regional cooperation central_asia": "Regional cooperation and development",
        "role foreign_policy azerbaijan": "Foreign-policy roles and external powers",
        "meetings consultative one": "The consultative meetings and the C6 format",
    }, "human labels keyed by a topic's three top words", _T,
        example="{regional cooperation central_asia: Cooperation}"),
    # 03_sentiment
    Parameter("method", "str", "masked_sentence", "headline scoring method", _S, SENTIMENT_METHODS),
    Parameter("window", "int", 5, "tokens either side of a mention for the window method", _S, Range(1)),
    Parameter("domain", "bool", False, "apply the corpus's lexicons/vader_domain.csv in the headline results",
              _S),
    Parameter("n_boot", "int", 9999, "bootstrap resamples per group and power", _S, Range(1)),
    Parameter("random_state", "int", 0, "seed of the bootstrap", _S, Range(0)),
    Parameter("n_jobs", "int", 2, "processes finding and scoring the mentions of a corpus of 20,000 segments or "
              "more (the same tables for any number)", _S, Range(1)),
)


def rows(name: str | None = None, notebooks: Iterable[str] | None = None) -> list[Parameter]:
    """The rows named ``name`` (all if None) that reach any of ``notebooks`` (all if None)."""
    nbs = set(NOTEBOOKS if notebooks is None else notebooks)
    return [p for p in PARAMETERS if (name is None or p.name == name) and nbs & set(p.notebooks)]


def names() -> list[str]:
    """Every parameter name, in table order."""
    return list(dict.fromkeys(p.name for p in PARAMETERS))


def defaults(notebook: str) -> dict:
    """The parameters of ``notebook`` with their defaults (fresh copies), in table order."""
    return {p.name: copy.deepcopy(p.default) for p in PARAMETERS if notebook in p.notebooks}


# ------------------------------------------------------------------ reading values
# the syntax of a value is in parameter_syntax.py; here it becomes the declared type


def _typed(p: Parameter, raw) -> object:
    """Convert the parsed structure to ``p``'s type; ValueError if it is not of that type."""
    if p.default is None and isinstance(raw, Scalar) and not raw.quoted and raw.text.lower() in ("none", "null"):
        return None
    if p.type in ("int", "float", "bool", "str"):
        if not isinstance(raw, Scalar):
            raise ValueError("not a single value")
        if p.type == "str":
            return raw.text
        if raw.quoted:
            raise ValueError("quoted")
        if p.type == "int" and INT.fullmatch(raw.text):
            return int(raw.text)
        if p.type == "float" and FLOAT.fullmatch(raw.text):
            value = float(raw.text)
            if math.isfinite(value):
                return value
        if p.type == "bool" and raw.text.lower() in BOOLS:
            return BOOLS[raw.text.lower()]
        raise ValueError(raw.text)
    if p.type == "list":
        items = [raw] if isinstance(raw, Scalar) and raw.text else raw
        if not isinstance(items, list):
            raise ValueError("not a list")
        return [s.text for s in items]
    if p.type == "mapping":
        if not isinstance(raw, dict):
            raise ValueError("not a mapping")
        return {k: v.text for k, v in raw.items()}
    raise ValueError(p.type)


# ------------------------------------------------------------------ checking values


def problem(p: Parameter, value) -> str | None:
    """Why ``value`` is not a valid value of ``p`` (None if it is); for typed values."""
    if value is None and p.default is None:
        return None
    a = p.allowed
    if p.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok and (not isinstance(a, Range) or value in a) else "bad"
    if p.type == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok and (not isinstance(a, Range) or value in a) else "bad"
    if p.type == "bool":
        return None if isinstance(value, bool) else "bad"
    if p.type == "str":
        if not isinstance(value, str):
            return "bad"
        return None if (value in a if a else value.strip() != "") else "bad"
    if p.type == "list":
        if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) for v in value):
            return "bad"
        if a and any(v not in a for v in value):
            return "bad"
        if not a and any(not v.strip() for v in value):
            return "bad"
        return "an item is repeated" if len(set(value)) < len(value) else None
    if p.type == "mapping":
        ok = isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in value.items())
        return None if ok else "bad"
    return None if value is None or isinstance(value, str) else "bad"


def _default_note(name: str, candidates: list[Parameter], failing: Parameter) -> str:
    if len(candidates) == 1:
        return f"(default {format_short(failing.default)})"
    defaults = ", ".join(f"{format_short(p.default)} in {'/'.join(p.notebooks)}" for p in candidates)
    return f"(default {defaults})"


def _fail(pair: str, p: Parameter, candidates: list[Parameter], why: str | None = None) -> ParameterError:
    where = f" in {'/'.join(p.notebooks)}" if len({c.accepts() for c in candidates}) > 1 else ""
    head = f"-p {pair}: " + (f"{why}; " if why else "")
    return ParameterError(f"{head}{p.name} takes {p.accepts()}{where} {_default_note(p.name, candidates, p)}")


def parse_assignments(pairs: Iterable[str], notebooks: Iterable[str] | None = None) -> dict:
    """Read ``name=value`` strings into typed values checked against the table.

    Only the rows of the ``notebooks`` that will run (all if None) count: a parameter of a
    notebook that is not run is refused. Raises :class:`ParameterError` (one line).

    >>> parse_assignments(["domain=yes", "topic_labels={a b c: Trade, d e f: Security}"])
    {'domain': True, 'topic_labels': {'a b c': 'Trade', 'd e f': 'Security'}}
    >>> parse_assignments(["domain=2024-01-01"])
    Traceback (most recent call last):
    ...
    c6lab.parameters.ParameterError: -p domain=2024-01-01: domain takes true or false (default false)
    """
    notebooks = list(NOTEBOOKS if notebooks is None else notebooks)
    out: dict = {}
    for pair in pairs:
        shown = _printable(pair if len(pair) <= 80 else pair[:60] + "...")
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"-p {shown}: write a parameter as NAME=VALUE (e.g. -p k_max=4)")
        candidates = rows(name, notebooks)
        if not candidates:
            if rows(name):
                where = ", ".join(dict.fromkeys(n for p in rows(name) for n in p.notebooks))
                raise ParameterError(f"-p {shown}: {_printable(name)} is a parameter of {where}, "
                                     "which this run does not include")
            known = sorted({p.name for p in rows(notebooks=notebooks) if p.type != "path"})
            raise ParameterError(f"-p {shown}: there is no parameter named {_printable(name)} "
                                 f"(parameters: {', '.join(known)})")
        if candidates[0].type == "path":
            raise ParameterError(f"-p {shown}: set {name} with {candidates[0].option}, not with -p")
        if name in out:
            raise ParameterError(f"-p {shown}: {name} is given twice")
        try:
            if len(text) > MAX_VALUE_LENGTH:
                raise SyntaxProblem(f"the value is {len(text)} characters long (at most {MAX_VALUE_LENGTH})")
            raw = read_value(text)
        except SyntaxProblem as exc:
            raise _fail(shown, candidates[0], candidates, str(exc)) from None
        value = None
        for p in candidates:
            try:
                value = _typed(p, raw)
            except ValueError:
                raise _fail(shown, p, candidates) from None
            why = problem(p, value)
            if why:
                raise _fail(shown, p, candidates, None if why == "bad" else why) from None
        out[name] = value
    check_together(out, notebooks)
    return out


def check_values(values: Mapping, notebooks: Iterable[str] | None = None) -> None:
    """Check already typed values (from Python) the way :func:`parse_assignments` checks text."""
    notebooks = list(NOTEBOOKS if notebooks is None else notebooks)
    for name, value in values.items():
        for p in rows(name, notebooks):
            why = problem(p, value)
            if why:
                pair = f"{name}={format_value(value)}"
                raise _fail(pair, p, rows(name, notebooks), None if why == "bad" else why)
    check_together(dict(values), notebooks)


def check_together(values: dict, notebooks: Iterable[str]) -> None:
    """Constraints between parameters of one notebook (the topic notebook's K and model)."""
    if "02_topics" not in set(notebooks):
        return
    v = defaults("02_topics") | {k: values[k] for k in values if k in defaults("02_topics")}
    given = [k for k in ("k_min", "k_max", "chosen_k", "chosen_model", "models") if k in values]
    shown = " ".join(f"-p {k}={format_value(values[k])}" for k in given)
    if v["k_min"] > v["k_max"]:
        raise ParameterError(f"{shown}: k_min ({v['k_min']}) must not exceed k_max ({v['k_max']})")
    if v["chosen_k"] is not None and not v["k_min"] <= v["chosen_k"] <= v["k_max"]:
        raise ParameterError(f"{shown}: chosen_k ({v['chosen_k']}) must lie between k_min and k_max "
                             f"({v['k_min']} to {v['k_max']})")
    if v["chosen_model"] is not None and v["chosen_model"] not in v["models"]:
        raise ParameterError(f"{shown}: chosen_model ({v['chosen_model']}) must be one of models "
                             f"({format_value(v['models'])})")


# ------------------------------------------------------------------ showing values


def _printable(text: str) -> str:
    return "".join(ch if unicodedata.category(ch) not in ("Cc", "Zl", "Zp") and ord(ch) not in BIDI
                   else f"\\u{ord(ch):04x}" for ch in text)


def _fmt_num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _fmt_scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    s = str(v)
    if s != s.strip() or not s or any(c in s for c in ",[]{}:\"") or s[0] in INDICATORS + "'":
        return "'" + s + "'" if "'" not in s else '"' + s + '"'
    return s


def format_value(value) -> str:
    """A value as you would write it after ``-p name=``.

    >>> format_value(["quote", "paraphrase"]), format_value(False), format_value(None)
    ('[quote, paraphrase]', 'false', 'none')
    """
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_fmt_scalar(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_fmt_scalar(k)}: {_fmt_scalar(v)}" for k, v in value.items()) + "}"
    return _fmt_scalar(value)


def format_short(value, width: int = 50) -> str:
    """:func:`format_value`, cut to ``width`` characters."""
    text = format_value(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def help_text(width: int = 100) -> str:
    """The table for ``c6lab run --help``: every parameter with its type, default and meaning."""
    lines = ["parameters (-p NAME=VALUE; in brackets the notebooks that use it):"]
    for p in PARAMETERS:
        if p.type == "path":
            continue
        default = format_short(p.default)
        nbs = ", ".join(n[:2] for n in p.notebooks)
        lines.append(f"  {p.name} [{nbs}]: {p.short()}; default {default}")
        lines.append(f"      {p.meaning}")
    return "\n".join(lines)


__all__ = ["MAX_VALUE_LENGTH", "NOTEBOOKS", "PARAMETERS", "Parameter", "ParameterError", "Range", "as_plain",
           "check_values", "defaults", "format_value", "help_text", "names", "parse_assignments", "read_value", "rows"]
