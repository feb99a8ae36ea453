"""normalize and the sentence splitter."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import c6lab
from c6lab import Lexicons, normalize, sentence_spans, sentences
from c6lab.text import ZERO_WIDTH, SentenceSplitter, fold_case, normalize_characters


@given(st.text())
def test_normalize_is_idempotent(s):
    once = normalize(s)
    assert normalize(once) == once


@given(st.text())
def test_normalize_leaves_no_curly_quotes_dashes_or_runs_of_space(s):
    out = normalize(s)
    assert not set(out) & set("\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\n\t")
    assert "  " not in out and out == out.strip()


def test_normalize_examples():
    assert normalize("“C6: One Region – Shared Future,”") == '"C6: One Region - Shared Future,"'
    assert normalize("Azerbaijan’s") == "Azerbaijan's"
    assert normalize("declarative—it represents") == "declarative - it represents"
    assert normalize("  a\u00a0b\n\n c ") == "a b c"
    decomposed = unicodedata.normalize("NFD", "Türkiye")
    assert len(decomposed) == 8 and normalize(decomposed) == "Türkiye" and len(normalize(decomposed)) == 7


def test_sentences_do_not_break_at_abbreviations():
    text = ("The visit of U.S. Vice President J.D. Vance to Azerbaijan was a landmark event. "
            "Mr. Ilham Aliyev attended, and Dr. Bayramli spoke. Today the C5+1 format is "
            "transforming into C6. Donald J. Trump met the leaders.")
    assert sentences(text) == [
        "The visit of U.S. Vice President J.D. Vance to Azerbaijan was a landmark event.",
        "Mr. Ilham Aliyev attended, and Dr. Bayramli spoke.",
        "Today the C5+1 format is transforming into C6.",
        "Donald J. Trump met the leaders.",
    ]


def test_sentences_keep_closing_quotes_and_break_at_line_ends():
    text = "“It is vital.” She said so.\nNew paragraph without a full stop\nLast one?"
    assert sentences(text) == ["“It is vital.”", "She said so.", "New paragraph without a full stop",
                               "Last one?"]


def test_lower_case_continuation_is_not_a_new_sentence():
    assert sentences("It grew approx. by half. Then it fell.") == ["It grew approx. by half.", "Then it fell."]


def test_sentence_spans_index_the_given_text():
    text = "  First one.  Second one!\n\nThird "
    spans = sentence_spans(text)
    assert spans == [(2, 12), (14, 25), (27, 32)]
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one!", "Third"]


@pytest.mark.parametrize("text, expected", [
    ("He flew to the U.S. The talks began.", ["He flew to the U.S.", "The talks began."]),
    ("They chose Plan B. It failed.", ["They chose Plan B.", "It failed."]),
    ("Trade, energy, etc. Another topic came up.", ["Trade, energy, etc.", "Another topic came up."]),
    ("Prof. J. D. Smith spoke at 5 p.m. on Monday.", ["Prof. J. D. Smith spoke at 5 p.m. on Monday."]),
    ("The U.S. Vice President spoke. No. 5 was next.", ["The U.S. Vice President spoke.", "No. 5 was next."]),
    ("It ended at 5 p.m. The next day began.", ["It ended at 5 p.m.", "The next day began."]),
])
def test_sentences_a_user_would_bring(text, expected):
    assert sentences(text) == expected


def test_abbreviations_and_starters_come_from_the_lexicons_given():
    text = "Talks with Corp. Officials ended. Then Corp. The board met."
    plain = Lexicons.default()
    assert sentences(text, plain) == ["Talks with Corp.", "Officials ended.", "Then Corp.", "The board met."]
    mine = plain.replace(abbreviations=plain.abbreviations | {"corp"})
    assert sentences(text, mine) == ["Talks with Corp. Officials ended.", "Then Corp.", "The board met."]
    fewer = mine.replace(sentence_starters=frozenset())
    assert sentences(text, fewer) == ["Talks with Corp. Officials ended.", "Then Corp. The board met."]


def test_a_long_paragraph_of_abbreviations_splits_at_every_sentence():
    # a long paragraph of abbreviations: each boundary looks at a bounded window only
    unit = "The U.S. Vice President met Dr. Smith. "
    small, large = unit * 200, unit * 4000
    split = SentenceSplitter()
    assert len(split.spans(small)) == 200 and len(split.spans(large)) == 4000


# -- invisible characters, the dotted capital İ, offsets -----------------------------------
@given(st.text())
def test_normalize_leaves_no_zero_width_characters(s):
    assert not set(normalize(s)) & set(ZERO_WIDTH)
    assert normalize(s) == " ".join(normalize_characters(s).split())


def test_zero_width_characters_are_removed_before_composing():
    assert normalize("Mid\u200bdle Cor\u00adri\u2060dor\ufeff") == "Middle Corridor"
    assert normalize("\ufeffT\u200cu\u200dr") == "Tur"
    # an accent separated from its letter by a zero-width space composes with it
    assert normalize("Tu\u200b\u0308rkiye") == "Türkiye"


@pytest.mark.parametrize("text, expected", [
    ("TÜRKİYE", "türkiye"), ("İstanbul", "istanbul"), ("Kırgız", "kırgız"), ("KIRGIZ", "kirgiz"),
    ("ΟΔΟΣ", "οδος"[:-1] + "ς"), ("Straße", "straße"),
])
def test_fold_case(text, expected):
    assert fold_case(text) == expected
    assert len(fold_case(text)) == len(text)


def test_fold_case_keeps_the_length_of_every_character():
    # the property the tokenizer relies on: lower-casing changes no offset once İ is folded
    assert all(len(fold_case(chr(c))) == 1 for c in range(sys.maxunicode + 1))


def test_lower_casing_and_case_folding_keep_white_space_where_it_was():
    # the tokenizer lower-cases (and may case-fold) a whole text before splitting it at
    # white space, and expects the same words in the same places as in the text
    for c in map(chr, range(sys.maxunicode + 1)):
        low = fold_case(c)
        assert low.isspace() == c.isspace() and (c.isspace() or not any(x.isspace() for x in low.casefold())), c


def test_the_tokenizers_list_of_characters_casefold_changes_is_complete():
    from c6lab.text import _CASEFOLD_CHANGES

    changes = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).casefold() != chr(c)}
    lowered = {c for c in changes if c.lower() == c}  # what lower-cased text can hold
    assert {c for c in lowered if _CASEFOLD_CHANGES.match(c)} == lowered
    assert not [chr(c) for c in range(sys.maxunicode + 1)
                if _CASEFOLD_CHANGES.match(chr(c)) and chr(c) not in lowered]


def test_sentence_offsets_index_the_raw_text_with_invisible_characters():
    # sentence spans are taken on the raw text: invisible characters do not shift them
    text = "The Mid\u200bdle Corridor grew. TÜRKİYE agreed.\nNew line"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["The Mid\u200bdle Corridor grew.", "TÜRKİYE agreed.", "New line"]
    # the normalised sentence is what the tokenizer counts
    assert [normalize(text[a:b]) for a, b in spans][0] == "The Middle Corridor grew."


# -- linear time, checked by structure (how much text each regex call is handed) ----------
class _Counting:
    """Stands in for a compiled regex; records the stretch of text each call reads: up to
    the end of the match for ``search`` and ``match``, the whole window otherwise."""

    def __init__(self, regex):
        self.regex, self.calls = regex, []

    def __getattr__(self, name):
        method = getattr(self.regex, name)
        if name == "sub":
            def sub(repl, text, count=0):
                self.calls.append((name, len(text)))
                return method(repl, text, count)

            return sub

        def call(text, pos=0, endpos=None):
            end = len(text) if endpos is None else min(endpos, len(text))
            out = method(text, pos, end)
            if name in ("search", "match") and out is not None:
                end = out.end()
            self.calls.append((name, end - pos))
            return out

        return call

    def read(self, name=None):
        return sum(n for m, n in self.calls if name is None or m == name)


def _long_text(n_paragraphs: int) -> str:
    para = ("The U.S. Vice President met Dr. Smith at 5 p.m. on Monday. “It is vital,” he said. "
            "Trade, energy, etc. were discussed! Were they? Yes... The E.U. agreed.")
    return "\n".join(f"Report {i}. {para}" for i in range(n_paragraphs))


def test_sentence_splitting_reads_each_character_a_bounded_number_of_times(monkeypatch):
    import c6lab.text as text_module

    counters = {}
    for name in ("_BOUNDARY", "_WORD_BEFORE", "_NEXT_WORD", "_FIRST_AFTER"):
        counters[name] = _Counting(getattr(text_module, name))
        monkeypatch.setattr(text_module, name, counters[name])
    split = SentenceSplitter()
    text = _long_text(300)
    spans = split.spans(text)
    # Report i. | The U.S. ... Monday. | "It is vital," he said. | Trade, ... discussed! |
    # Were they? | Yes... | The E.U. agreed.
    assert len(spans) == 300 * 7
    # the boundary scan runs once per paragraph, over that paragraph only
    assert len(counters["_BOUNDARY"].calls) == 300
    assert counters["_BOUNDARY"].read() <= len(text)
    # the word before a full stop is looked for in a bounded window, never from the start
    windows = [n for _, n in counters["_WORD_BEFORE"].calls]
    assert windows and max(windows) <= text_module._LOOKBEHIND
    # one look ahead per candidate boundary
    n_candidates = sum(1 for _ in text_module._BOUNDARY.regex.finditer(text))
    assert len(counters["_NEXT_WORD"].calls) <= n_candidates
    assert len(counters["_FIRST_AFTER"].calls) <= n_candidates


def test_a_run_of_dots_is_one_candidate_boundary():
    # the pattern starts only at the first mark of a run and does not backtrack: a run of
    # dots without a space after it is read once (it was read again from every dot)
    from c6lab.text import _BOUNDARY

    assert _BOUNDARY.pattern.startswith("(?<![.!?])") and "++" in _BOUNDARY.pattern
    assert [m.group() for m in _BOUNDARY.finditer("Wait... what?! \"Yes.\" ......x ok.)) ")] == [
        "...", "?!", '."', ".))"]
    assert sentences("." * 5000 + "x") == ["." * 5000 + "x"]


def test_tokenising_reads_each_character_a_bounded_number_of_times(monkeypatch):
    import c6lab.text as text_module

    tok = c6lab.Tokenizer()  # (compiling the lists reads them too)
    counters = {}
    for name in ("_PLAIN_WORD", "_WORD", "_INITIALS", "_POSSESSIVE", "_NON_ASCII_NOT_WORD", "_APOSTROPHE",
                 "_LONE_HYPHEN", "_LONE_PLUS"):
        counters[name] = _Counting(getattr(text_module, name))
        monkeypatch.setattr(text_module, name, counters[name])
    text = _long_text(300).replace("Monday.", "Monday. LET US GO to the US\u2011led Türkiye's +x \u2014 C5+1")
    tokens = tok(text)
    assert tokens.count("united_states") == 300 and tokens.count("european_union") == 300
    assert tokens.count("turkiye") == 300 and tokens.count("us-led") == 300 and tokens.count("c5+1") == 300
    n = len(normalize(text))
    # the stretches around initials go through the full pattern, the rest through the
    # one-pass path: together they read the text once
    assert counters["_WORD"].read() <= n and counters["_PLAIN_WORD"].read() == 0
    assert counters["_INITIALS"].read() <= 2 * n
    for name in ("_NON_ASCII_NOT_WORD", "_APOSTROPHE", "_LONE_HYPHEN", "_LONE_PLUS"):
        assert 0 < counters[name].read() <= 2 * n, name  # (+ a space between stretches)
    assert list(tok.pipe(text.split("\n"))) == [tok(p) for p in text.split("\n")]
    # the word-by-word path reads the text once too
    for counter in counters.values():
        counter.calls.clear()
    assert tok._by_words(text) == tokens
    assert counters["_PLAIN_WORD"].read() + counters["_WORD"].read() <= n


def test_segment_numbering_reads_each_article_once(monkeypatch):
    import c6lab.corpus.model as model

    counter = _Counting(model._PARAGRAPH)
    monkeypatch.setattr(model, "_PARAGRAPH", counter)
    text = _long_text(200)
    lines = text.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    segments = [{"article_id": "a1", "segment_id": f"s{i}", "kind": "narrative", "speaker_id": "",
                 "char_start": s, "char_end": s + len(line)} for i, (s, line) in enumerate(zip(starts, lines))]
    art = {"_text": text, "outlet": "o", "title": "t", "published": "2024", "raw_file": "a1.txt"}
    frame = model._segment_frame({"a1": art}, {}, segments)
    assert frame["paragraph"].tolist() == list(range(1, 201))
    assert len(counter.calls) == 1 and counter.read() == len(text)
