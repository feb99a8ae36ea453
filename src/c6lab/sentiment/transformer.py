"""An optional scorer backed by a local transformer model (``pip install c6lab[models]``).

Two kinds of model are supported; :class:`TransformerScorer` tells them apart by the
label names in the model's ``config.json``:

* **NLI zero-shot stance** (recommended; labels include ``entailment`` and
  ``contradiction``, e.g. an MNLI/XNLI model). For each mention the sentence is the
  premise and three hypotheses are tried, one per stance: "The text is positive about
  {alias}." / "... negative ..." / "... neutral ...". The entailment logits of the three
  are turned into probabilities with a softmax (as the zero-shot pipeline of
  ``transformers`` does with one label per hypothesis).
* **A sequence classifier fine-tuned to three labels** (names containing ``neg``,
  ``neu`` and ``pos``, e.g. ``negative, neutral, positive``). It reads the sentence, or
  the pair (sentence, alias) with ``pair=True`` for a model trained on targets.

Either way ``score = P(positive) - P(negative)`` (in [-1, 1]) and ``label`` is the most
probable stance (+1, -1 or 0). The model reads the sentence as written (not masked): it
must see the target. Nothing is downloaded: the model is loaded from the folder given,
with ``local_files_only=True`` (``docs/models.md`` says how to bring one to an offline
machine). ``transformers`` and ``torch`` are imported only when a scorer is built, so
``import c6lab`` never loads them.

Examples
--------
>>> from c6lab.sentiment.transformer import TransformerScorer
>>> scorer = TransformerScorer("/no/such/model")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
c6lab.sentiment.transformer.ModelError: no model folder at /no/such/model: download it on a ...
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .mentions import MaskedSentence
from .scoring import Scored, Scorer

#: the default hypotheses of the NLI scorer, by stance; ``{alias}`` is the name as written,
#: ``{power}`` the power's code
TEMPLATES = {
    1: "The text is positive about {alias}.",
    -1: "The text is negative about {alias}.",
    0: "The text is neutral about {alias}.",
}


class ModelError(ValueError):
    """A model folder that cannot be used, or the ``[models]`` extra missing (one line)."""


def _require():
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ModelError(f"the transformer scorer needs the [models] extra ({exc.name} is not installed): "
                         f"pip install 'c6lab[models]'") from None
    return torch, transformers


def _stance_of(label: str) -> int | None:
    name = label.lower()
    for key, stance in (("neg", -1), ("neu", 0), ("pos", 1)):
        if key in name:
            return stance
    return None


class TransformerScorer(Scorer):
    """Stance toward the mentioned power from a local transformer model.

    Parameters
    ----------
    path : str or Path
        A folder holding a model saved with ``save_pretrained`` (``config.json``, the
        weights and the tokenizer files).
    kind : {"auto", "nli", "classifier"}
        ``auto`` reads it from the label names of the model's config.
    templates : dict, optional
        NLI hypotheses by stance (``{1: ..., -1: ..., 0: ...}``), with ``{alias}`` and/or
        ``{power}``; default :data:`TEMPLATES`.
    pair : bool
        Classifier only: give the model (sentence, alias) pairs.
    batch_size : int
        Inputs per forward pass.
    max_length : int
        Tokens per input; longer inputs are truncated.
    name : str, optional
        The ``method`` column; default ``"nli"`` or ``"classifier"``. The ``lexicon``
        column holds the model folder's name.

    Raises
    ------
    ModelError
        The folder does not exist or holds no usable model, its labels are not those of
        an NLI model or a three-way classifier, or ``transformers``/``torch`` are missing.
    """

    def __init__(self, path: str | Path, *, kind: str = "auto", templates: dict[int, str] | None = None,
                 pair: bool = False, batch_size: int = 16, max_length: int = 256, name: str | None = None):
        path = Path(path)
        if not path.is_dir():
            raise ModelError(f"no model folder at {path}: download it on a connected machine and copy it here "
                             f"(see docs/models.md)")
        if not (path / "config.json").is_file():
            raise ModelError(f"{path} has no config.json: save the model there with save_pretrained "
                             f"(see docs/models.md)")
        if kind not in ("auto", "nli", "classifier"):
            raise ValueError(f"kind must be auto, nli or classifier, not {kind!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        torch, transformers = _require()
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.model = transformers.AutoModelForSequenceClassification.from_pretrained(
                path, local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load the model in {path}: {first}") from None
        self.model.eval()
        self._torch = torch
        labels = {int(i): str(n) for i, n in self.model.config.id2label.items()}
        names = {n.lower(): i for i, n in labels.items()}
        if kind == "auto":
            kind = "nli" if "entailment" in names else "classifier"
        if kind == "nli":
            if "entailment" not in names:
                raise ModelError(f"{path}: an NLI model needs an 'entailment' label; its labels are "
                                 f"{sorted(labels.values())}")
            self.entailment = names["entailment"]
            self.templates = dict(TEMPLATES if templates is None else templates)
            if sorted(self.templates) != [-1, 0, 1]:
                raise ValueError("templates must have one hypothesis for each of -1, 0 and 1")
        else:
            stances = {i: _stance_of(n) for i, n in labels.items()}
            if sorted(s for s in stances.values() if s is not None) != [-1, 0, 1] or len(labels) != 3:
                raise ModelError(f"{path}: a classifier needs three labels naming negative, neutral and "
                                 f"positive; its labels are {sorted(labels.values())}")
            self.stances = stances
        self.kind, self.pair, self.path = kind, bool(pair), path
        self.batch_size, self.max_length = batch_size, int(max_length)
        self.name = name or kind
        self.lexicon = path.name

    def _probabilities(self, firsts: list[str], seconds: list[str] | None):
        """Softmax over the model's labels for each input (a list of rows)."""
        torch, out = self._torch, []
        for i in range(0, len(firsts), self.batch_size):
            a = firsts[i: i + self.batch_size]
            b = None if seconds is None else seconds[i: i + self.batch_size]
            enc = self.tokenizer(a, b, padding=True, truncation=True, max_length=self.max_length,
                                 return_tensors="pt")
            with torch.no_grad():
                logits = self.model(**enc).logits
            out.extend(logits.float().tolist())
        return out

    def score(self, sentences: Sequence[MaskedSentence]) -> list[Scored]:
        items = [(s.cleaned, s.text[m.start - s.start: m.end - s.start], m.alias.power)
                 for s in sentences for m, _ in s.targets]
        if not items:
            return []
        torch = self._torch
        if self.kind == "nli":
            order = (1, -1, 0)
            premises = [t for t, _, _ in items for _ in order]
            hypotheses = [self.templates[k].format(alias=alias, power=power)
                          for _, alias, power in items for k in order]
            logits = torch.tensor(self._probabilities(premises, hypotheses))[:, self.entailment]
            probs = torch.softmax(logits.view(-1, 3), dim=1).tolist()  # per item: P(+), P(-), P(0)
            by_stance = [dict(zip(order, p, strict=True)) for p in probs]
        else:
            rows = self._probabilities([t for t, _, _ in items], [a for _, a, _ in items] if self.pair else None)
            by_stance = []
            for row in torch.softmax(torch.tensor(rows), dim=1).tolist():
                by_stance.append({self.stances[i]: p for i, p in enumerate(row)})
        out = []
        for (text, _, _), p in zip(items, by_stance, strict=True):
            score = max(-1.0, min(1.0, p[1] - p[-1]))
            label = max((1, -1, 0), key=lambda k: p[k])
            out.append(Scored(text, round(score, 4), label))
        return out
