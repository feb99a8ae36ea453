"""The word lists of a corpus, read once and handed down as one :class:`Lexicons` object.

Every list is a plain data file, so students change data, not code. The defaults ship
inside the package (``c6lab/data/lexicons``); a corpus overrides any of them by having a
file of the same name in its ``lexicons/`` folder (:meth:`Lexicons.from_dir`).

=========================== ================================================================
file                        what it holds
=========================== ================================================================
``phrases.txt``             multi-word expressions joined into one token
``variants.csv``            name variants mapped to one token (``U.S.`` -> ``united_states``)
``stopwords.txt``           function words removed before counting
``abbreviations.txt``       abbreviations after which a full stop does not end a sentence
``sentence_starters.txt``   words that start a new sentence even after an abbreviation
``powers.csv``              aliases of the external powers (``power, alias, case_sensitive,
                            type, note``)
``power_names.csv``         display name and colour of each power (optional rows)
``vader_domain.csv``        domain changes to VADER's lexicon
``speech_verbs.txt``        verbs that attribute speech (``said``, ``stressed``)
``speaker_references.txt``  words referring back to the last named speaker
``boilerplate_patterns.txt`` regular expressions for page furniture
``not_person_words.txt``    words showing that a capitalised name is not a person
``demonyms.csv``            demonyms, country and city names -> ISO 3166 alpha-2 code
                            (``word, country``): a speaker's country from "Kyrgyz analyst X"
=========================== ================================================================
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from .errors import CorpusError, Problem
from .io import read_csv_rows, read_text

#: file name of each list, by the :class:`Lexicons` attribute it fills
FILES = {
    "phrases": "phrases.txt",
    "variants": "variants.csv",
    "stopwords": "stopwords.txt",
    "abbreviations": "abbreviations.txt",
    "sentence_starters": "sentence_starters.txt",
    "aliases": "powers.csv",
    "power_names": "power_names.csv",
    "vader_domain": "vader_domain.csv",
    "speech_verbs": "speech_verbs.txt",
    "speaker_references": "speaker_references.txt",
    "boilerplate_patterns": "boilerplate_patterns.txt",
    "not_person_words": "not_person_words.txt",
    "demonyms": "demonyms.csv",
}
ALIAS_TYPES = ("state", "person", "exclude")
# Okabe-Ito: distinguishable with the common forms of colour blindness
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
_POWER_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,9}")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def default_dir() -> Path:
    """The folder of the default lists shipped with the package."""
    return Path(str(resources.files("c6lab").joinpath("data", "lexicons")))


@dataclass(frozen=True)
class Variant:
    """One name variant and the token it becomes."""

    variant: str
    token: str
    case_sensitive: bool


@dataclass(frozen=True)
class Alias:
    """One row of ``powers.csv``: a name that mentions ``power`` (or, ``exclude``, does not)."""

    power: str
    alias: str
    case_sensitive: bool
    type: str
    note: str = ""


@dataclass(frozen=True)
class Power:
    """An external power: its code (``US``), display name and colour."""

    code: str
    name: str
    colour: str


# -- parsers: one per file format; each raises CorpusError naming file, row and field --------
def parse_list(path: Path, label: str) -> tuple[str, ...]:
    """One item per line; blank lines and ``#`` comments skipped."""
    items = []
    for line in read_text(path, label).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(unicodedata.normalize("NFC", line))
    return tuple(items)


def _flag(value: str, label: str, line: int, fld: str, problems: list) -> bool:
    flag = value.lower()
    if flag not in ("yes", "no"):
        problems.append(Problem(label, line, fld, f"must be yes or no, got {value!r}"))
    return flag == "yes"


def parse_variants(path: Path, label: str) -> tuple[Variant, ...]:
    """``variants.csv``: columns ``variant, token, case_sensitive`` (and ``note``)."""
    _, rows = read_csv_rows(path, ("variant", "token", "case_sensitive"), ("note",), label)
    problems, out = [], []
    for line, row in rows:
        flag = _flag(row["case_sensitive"], label, line, "case_sensitive", problems)
        if not row["variant"]:
            problems.append(Problem(label, line, "variant", "empty"))
        if not re.fullmatch(r"\w+", row["token"]):
            problems.append(Problem(label, line, "token", f"must be one word (use _), got {row['token']!r}"))
        out.append(Variant(unicodedata.normalize("NFC", row["variant"]), row["token"], flag))
    if problems:
        raise CorpusError(problems)
    return tuple(out)


def parse_aliases(path: Path, label: str) -> tuple[Alias, ...]:
    """``powers.csv``: columns ``power, alias, case_sensitive, type`` and ``note``.

    Checks: power codes are upper-case codes (``US``, ``KZ``), aliases are non-empty, an
    alias is listed once (a second row under the same or another power is an error),
    ``case_sensitive`` is yes/no and ``type`` one of ``state, person, exclude``.
    """
    _, rows = read_csv_rows(path, ("power", "alias", "case_sensitive", "type"), ("note",), label)
    problems, out, seen = [], [], {}
    for line, row in rows:
        power, alias, kind = row["power"], unicodedata.normalize("NFC", row["alias"]), row["type"]
        if not _POWER_CODE.fullmatch(power):
            problems.append(Problem(label, line, "power",
                                    f"{power!r} is not a power code (upper-case letters, e.g. US or KZ)"))
        flag = _flag(row["case_sensitive"], label, line, "case_sensitive", problems)
        if kind not in ALIAS_TYPES:
            problems.append(Problem(label, line, "type", f"{kind!r} is not one of {', '.join(ALIAS_TYPES)}"))
        if not alias:
            problems.append(Problem(label, line, "alias", "empty"))
            continue
        key = alias if flag else alias.casefold()
        if key in seen:
            first_line, first_power = seen[key]
            where = "" if first_power == power else f" under power {first_power!r}"
            problems.append(Problem(label, line, "alias", f"{alias!r} is already listed{where} on line {first_line}"))
            continue
        seen[key] = (line, power)
        out.append(Alias(power, alias, flag, kind, row.get("note", "")))
    if problems:
        raise CorpusError(problems)
    return tuple(out)


def parse_power_names(path: Path, label: str) -> dict[str, tuple[str, str, int]]:
    """``power_names.csv``: ``power, name`` and optional ``colour`` (``#RRGGBB``)."""
    _, rows = read_csv_rows(path, ("power", "name"), ("colour",), label)
    problems, out = [], {}
    for line, row in rows:
        if row["power"] in out:
            problems.append(Problem(label, line, "power", f"{row['power']!r} repeats line {out[row['power']][2]}"))
        if not row["name"]:
            problems.append(Problem(label, line, "name", "empty"))
        colour = row.get("colour", "")
        if colour and not _COLOUR.fullmatch(colour):
            problems.append(Problem(label, line, "colour", f"{colour!r} is not a colour like #0072B2"))
        out.setdefault(row["power"], (row["name"], colour, line))
    if problems:
        raise CorpusError(problems)
    return out


def parse_vader_domain(path: Path, label: str) -> tuple[tuple[str, float, str], ...]:
    """``vader_domain.csv``: ``word`` (one lower-case word), ``valence`` (-4..+4; 0 removes)."""
    _, rows = read_csv_rows(path, ("word", "valence"), ("note",), label)
    problems, out = [], []
    for line, row in rows:
        word = row["word"]
        if not word or word != word.lower() or len(word.split()) != 1:
            problems.append(Problem(label, line, "word", f"must be one lower-case word, got {word!r}"))
        try:
            value = float(row["valence"])
        except ValueError:
            problems.append(Problem(label, line, "valence", f"not a number: {row['valence']!r}"))
            continue
        if not -4 <= value <= 4:
            problems.append(Problem(label, line, "valence", f"{value} is outside -4..+4"))
        out.append((word, value, row.get("note", "")))
    if problems:
        raise CorpusError(problems)
    return tuple(out)


def parse_patterns(path: Path, label: str) -> tuple[re.Pattern, ...]:
    """One case-insensitive regular expression per line."""
    out = []
    for i, pat in enumerate(parse_list(path, label), 1):
        try:
            out.append(re.compile(pat, re.IGNORECASE))
        except re.error as exc:
            raise CorpusError([Problem(label, None, "pattern", f"pattern {i} {pat!r}: {exc}")]) from None
    return tuple(out)


def parse_demonyms(path: Path, label: str) -> dict[str, str]:
    """``demonyms.csv``: ``word`` (as written, case-sensitive: "US" is not "us") and ``country``.

    ``country`` is an ISO 3166 alpha-2 code in capitals (``EU``, exceptionally reserved, is
    allowed); a word may be listed once.
    """
    _, rows = read_csv_rows(path, ("word", "country"), ("note",), label)
    problems, out, seen = [], {}, {}
    for line, row in rows:
        word, country = unicodedata.normalize("NFC", row["word"]), row["country"]
        if not word:
            problems.append(Problem(label, line, "word", "empty"))
        elif word in seen:
            problems.append(Problem(label, line, "word", f"{word!r} is already listed on line {seen[word]}"))
        if not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(Problem(label, line, "country",
                                    f"{country!r} is not an ISO 3166 alpha-2 code (e.g. KG, UZ, AZ)"))
        if word and word not in seen:
            seen[word] = line
            out[word] = country
    if problems:
        raise CorpusError(problems)
    return out


def _lower_set(path: Path, label: str) -> frozenset[str]:
    return frozenset(w.lower() for w in parse_list(path, label))


def _abbreviations(path: Path, label: str) -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in parse_list(path, label))


def _lower_tuple(path: Path, label: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in parse_list(path, label))


_PARSERS = {
    "phrases": parse_list, "variants": parse_variants, "stopwords": _lower_set,
    "abbreviations": _abbreviations, "sentence_starters": _lower_set, "aliases": parse_aliases,
    "power_names": parse_power_names, "vader_domain": parse_vader_domain,
    "speech_verbs": _lower_tuple, "speaker_references": _lower_tuple,
    "boilerplate_patterns": parse_patterns, "not_person_words": _lower_set,
    "demonyms": parse_demonyms,
}


# -- the bundle -----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Lexicons:
    """All word lists of one corpus (the configuration every text step is given).

    Build it with :meth:`from_dir` (a corpus's ``lexicons/`` folder over the package
    defaults) or :meth:`default`; change a list for an experiment with :meth:`replace`.
    Compiled forms (the tokenizer, the sentence splitter, the alias matcher) are built
    once per bundle, on first use.

    Attributes
    ----------
    phrases : tuple of str
    variants : tuple of Variant
    stopwords, abbreviations, sentence_starters, not_person_words : frozenset of str
    aliases : tuple of Alias
        Rows of ``powers.csv``.
    power_names : dict
        ``code -> (name, colour, line)`` from ``power_names.csv``.
    vader_domain : tuple of (word, valence, note)
    speech_verbs, speaker_references : tuple of str
    boilerplate_patterns : tuple of compiled regular expressions
    demonyms : dict
        ``word -> country`` from ``demonyms.csv`` ("Kyrgyz" -> "KG").
    sources : dict
        ``list name -> path`` of the file each list was read from.

    Examples
    --------
    >>> lex = Lexicons.default()
    >>> [p.code for p in lex.powers]
    ['US', 'CN', 'RU', 'EU', 'TR']
    >>> "the" in lex.stopwords
    True
    >>> mine = lex.replace(stopwords=frozenset({"the", "corridor"}))
    >>> mine.tokenizer("The Middle Corridor")
    ['middle_corridor']
    """

    phrases: tuple[str, ...]
    variants: tuple[Variant, ...]
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    sentence_starters: frozenset[str]
    aliases: tuple[Alias, ...]
    power_names: dict = field(default_factory=dict)
    vader_domain: tuple = ()
    speech_verbs: tuple[str, ...] = ()
    speaker_references: tuple[str, ...] = ()
    boilerplate_patterns: tuple[re.Pattern, ...] = ()
    not_person_words: frozenset[str] = frozenset()
    demonyms: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    @classmethod
    def from_dir(cls, directory: str | Path | None) -> Lexicons:
        """Read every list from ``directory`` where it has the file, else the package default.

        Every problem in every file is reported at once in one :class:`CorpusError`.
        ``directory=None`` (or a folder that does not exist) gives the package defaults.
        """
        directory = Path(directory) if directory is not None else None
        values, sources, problems = {}, {}, []
        for name, filename in FILES.items():
            own = directory / filename if directory is not None else None
            path = own if own is not None and own.is_file() else default_dir() / filename
            label = str(path) if path == own else f"(c6lab default) {filename}"
            try:
                values[name] = _PARSERS[name](path, label)
            except CorpusError as exc:
                problems += exc.problems
            sources[name] = path
        if problems:
            raise CorpusError(problems)
        unknown = [(code, line) for code, (_, _, line) in values["power_names"].items()
                   if code not in {a.power for a in values["aliases"]}]
        if unknown:
            label = str(sources["power_names"])
            raise CorpusError([Problem(label, line, "power", f"{code!r} has no alias in powers.csv")
                               for code, line in unknown])
        return cls(**values, sources=sources)

    @staticmethod
    def default() -> Lexicons:
        """The lists shipped with the package (read once per process)."""
        return _default()

    def __getstate__(self):
        # compiled forms are rebuilt after unpickling (joblib, multiprocessing)
        return {k: v for k, v in self.__dict__.items() if k in FIELD_NAMES}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def replace(self, **changes) -> Lexicons:
        """A copy with some lists replaced (compiled forms are rebuilt on first use)."""
        return replace(self, **changes)

    def origin(self) -> dict[str, str]:
        """``list file -> "corpus" or "default"``: where each list came from."""
        base = default_dir()
        return {FILES[name]: "default" if Path(path).parent == base else "corpus"
                for name, path in self.sources.items()}

    # -- the powers, in the order of powers.csv -----------------------------------------------
    @cached_property
    def powers(self) -> tuple[Power, ...]:
        """Each power once, in order of first appearance in ``powers.csv``."""
        codes = list(dict.fromkeys(a.power for a in self.aliases))
        out = []
        for i, code in enumerate(codes):
            name, colour, _ = self.power_names.get(code, (code, "", 0))
            out.append(Power(code, name, colour or OKABE_ITO[i % len(OKABE_ITO)]))
        return tuple(out)

    @property
    def power_codes(self) -> tuple[str, ...]:
        """Codes of the powers, in order."""
        return tuple(p.code for p in self.powers)

    # -- compiled forms, built on first use ------------------------------------------------------
    @cached_property
    def tokenizer(self):
        """The default :class:`c6lab.Tokenizer` of these lists."""
        from .tokenizer import Tokenizer

        return Tokenizer(self)

    @cached_property
    def sentence_splitter(self):
        """The :class:`c6lab.text.SentenceSplitter` of these lists."""
        from .text import SentenceSplitter

        return SentenceSplitter(self)

    @cached_property
    def alias_matcher(self):
        """The :class:`c6lab.sentiment.mentions.AliasMatcher` of ``powers.csv``."""
        from .sentiment.mentions import AliasMatcher

        return AliasMatcher(self.aliases, self.stopwords)


FIELD_NAMES = frozenset(f.name for f in fields(Lexicons))


@lru_cache(maxsize=1)
def _default() -> Lexicons:
    return Lexicons.from_dir(None)


def resolve(lexicons: Lexicons | None) -> Lexicons:
    """``lexicons`` itself, or the package defaults when it is ``None``."""
    if lexicons is None:
        return _default()
    if not isinstance(lexicons, Lexicons):
        raise TypeError(f"lexicons must be a c6lab.Lexicons (e.g. corpus.lexicons), not {type(lexicons).__name__}")
    return lexicons
