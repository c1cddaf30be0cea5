"""Benchmarks on public corpora whose labels differ from claimminer's.

JNLPBA (entity mentions): its `protein` maps to CYTOKINE or PROTEIN, `cell_type` to
CELL_TYPE and `cell_line` to CELL_LINE. claimminer does not tell a gene from its product, so
a predicted protein that overlaps a gold DNA or RNA mention is set aside rather than counted
as a false positive; how many were set aside is reported. Nothing here imports spaCy: the
caller passes documents that the pipeline has already processed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimminer.evaluate import Counts, entity_counts_overlap, entity_counts_strict, total
from claimminer.model import Document, Label, Mention

JNLPBA_LABELS: dict[str, frozenset[str]] = {
    "protein": frozenset({Label.CYTOKINE.value, Label.PROTEIN.value}),
    "cell_type": frozenset({Label.CELL_TYPE.value}),
    "cell_line": frozenset({Label.CELL_LINE.value}),
}
JNLPBA_UNSCORED = frozenset({"DNA", "RNA"})
JNLPBA_ALL_LABELS = frozenset(JNLPBA_LABELS) | JNLPBA_UNSCORED


@dataclass(frozen=True, slots=True)
class EntityBenchmark:
    """Per-label strict and overlap counts, the commonest errors, and what was set aside."""

    strict: dict[str, Counts]
    overlap: dict[str, Counts]
    missed: dict[str, Counter[str]]
    spurious: dict[str, Counter[str]]
    set_aside: int
    documents: int

    def as_dict(self, top: int = 25) -> dict[str, Any]:
        """JSON shape: micro scores, per-label scores and the most frequent errors."""
        return {
            "documents": self.documents,
            "strict": total(self.strict.values()).as_dict(),
            "overlap": total(self.overlap.values()).as_dict(),
            "by_label": {
                label: {
                    "strict": self.strict[label].as_dict(),
                    "overlap": self.overlap[label].as_dict(),
                    "most_missed": self.missed[label].most_common(top),
                    "most_spurious": self.spurious[label].most_common(top),
                }
                for label in sorted(self.strict)
            },
            "predictions_set_aside_on_dna_rna": self.set_aside,
        }


def _as_benchmark_labels(
    mentions: Sequence[Mention], gold_other: Sequence[Mention]
) -> tuple[list[Mention], int]:
    """Predictions relabelled to the corpus's labels; those on gold DNA/RNA are set aside."""
    mapped = []
    set_aside = 0
    for mention in mentions:
        label = next((name for name, ours in JNLPBA_LABELS.items() if mention.label in ours), None)
        if label is None:
            continue
        if label == "protein" and any(mention.overlaps(other) for other in gold_other):
            set_aside += 1
            continue
        mapped.append(Mention(mention.id, mention.start, mention.end, mention.text, label))
    return mapped, set_aside


def _error_key(mention: Mention) -> str:
    return " ".join(mention.text.split()).lower()


def score_jnlpba(gold: Sequence[Document], predicted: Sequence[Document]) -> EntityBenchmark:
    """Score predicted entities against JNLPBA gold documents (matched by id)."""
    by_id = {document.id: document for document in predicted}
    labels = sorted(JNLPBA_LABELS)
    strict = {label: Counts() for label in labels}
    overlap = {label: Counts() for label in labels}
    missed: dict[str, Counter[str]] = {label: Counter() for label in labels}
    spurious: dict[str, Counter[str]] = {label: Counter() for label in labels}
    set_aside = 0
    for document in gold:
        scored = [m for m in document.entities if m.label in JNLPBA_LABELS]
        other = [m for m in document.entities if m.label in JNLPBA_UNSCORED]
        prediction = by_id.get(document.id)
        mapped, aside = _as_benchmark_labels(prediction.entities if prediction else (), other)
        set_aside += aside
        for label, counts in entity_counts_strict(scored, mapped).items():
            strict[label] = strict[label] + counts
        for label, counts in entity_counts_overlap(scored, mapped).items():
            overlap[label] = overlap[label] + counts
        for label in labels:
            gold_here = [m for m in scored if m.label == label]
            pred_here = [m for m in mapped if m.label == label]
            missed[label].update(
                _error_key(g) for g in gold_here if not any(g.overlaps(p) for p in pred_here)
            )
            spurious[label].update(
                _error_key(p) for p in pred_here if not any(p.overlaps(g) for g in gold_here)
            )
    return EntityBenchmark(strict, overlap, missed, spurious, set_aside, len(gold))
