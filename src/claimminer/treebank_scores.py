"""Scores of a tagger and parser against a treebank's gold trees, on the treebank's tokens.

Attachment scores leave punctuation out, as spaCy's scorer and the published figures of
scispaCy do; the scores with punctuation are reported beside them. Per label, a labelled
attachment counts for precision and recall like spaCy's `dep_las_per_type`. Nothing here
imports spaCy: the caller passes the predicted tags, heads and labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimminer.evaluate import Counts
from claimminer.training.treebank import ROOT, TreebankSentence

PUNCTUATION_LABELS = frozenset({"punct", "p"})


@dataclass(frozen=True, slots=True)
class Parse:
    """A predicted analysis of one sentence, aligned one-to-one with its gold tokens."""

    tags: tuple[str, ...]
    heads: tuple[int, ...]
    deps: tuple[str, ...]


@dataclass(slots=True)
class TreebankScores:
    """Token and arc counts; the fractions derive from them."""

    sentences: int = 0
    tokens: int = 0
    tags_correct: int = 0
    arcs: int = 0
    heads_correct: int = 0
    labelled_correct: int = 0
    arcs_with_punct: int = 0
    heads_correct_with_punct: int = 0
    labelled_correct_with_punct: int = 0
    per_label: dict[str, Counts] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: `tag_accuracy`, `uas`, `las` (0..1), `sentences`, `per_label` on top."""
        return {
            "tag_accuracy": _fraction(self.tags_correct, self.tokens),
            "uas": _fraction(self.heads_correct, self.arcs),
            "las": _fraction(self.labelled_correct, self.arcs),
            "sentences": self.sentences,
            "tokens": self.tokens,
            "punctuation": "excluded from uas and las; included in the *_with_punct figures",
            "uas_with_punct": _fraction(self.heads_correct_with_punct, self.arcs_with_punct),
            "las_with_punct": _fraction(self.labelled_correct_with_punct, self.arcs_with_punct),
            "per_label": {
                label: {"gold": c.tp + c.fn, **c.as_dict()}
                for label, c in sorted(self.per_label.items())
            },
        }


def _fraction(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_parses(gold: Sequence[TreebankSentence], predicted: Sequence[Parse]) -> TreebankScores:
    """Compare predicted parses with gold sentences of the same tokens, sentence by sentence.

    Raises:
        ValueError: the two differ in the number of sentences or of tokens in one.

    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} parses")
    scores = TreebankScores()
    labels: dict[str, Counts] = {}
    for sentence, parse in zip(gold, predicted, strict=True):
        if len(parse.heads) != len(sentence):
            raise ValueError(f"{sentence.source}: parse has {len(parse.heads)} tokens")
        scores.sentences += 1
        for i in range(len(sentence)):
            scores.tokens += 1
            scores.tags_correct += parse.tags[i] == sentence.tags[i]
            gold_dep, pred_dep = _label(sentence.deps[i]), _label(parse.deps[i])
            head_right = parse.heads[i] == sentence.heads[i]
            labelled_right = head_right and gold_dep == pred_dep
            scores.arcs_with_punct += 1
            scores.heads_correct_with_punct += head_right
            scores.labelled_correct_with_punct += labelled_right
            if gold_dep in PUNCTUATION_LABELS:
                continue
            scores.arcs += 1
            scores.heads_correct += head_right
            scores.labelled_correct += labelled_right
            gold_counts = labels.get(gold_dep, Counts())
            if labelled_right:
                labels[gold_dep] = gold_counts + Counts(tp=1)
                continue
            labels[gold_dep] = gold_counts + Counts(fn=1)
            if pred_dep not in PUNCTUATION_LABELS:
                labels[pred_dep] = labels.get(pred_dep, Counts()) + Counts(fp=1)
    scores.per_label = labels
    return scores


def _label(dep: str) -> str:
    return ROOT if dep.lower() == "root" else dep
