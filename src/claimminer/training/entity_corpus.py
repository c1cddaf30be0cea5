"""Training corpora for the entity recogniser: JNLPBA mentions and GE11's given proteins.

Both corpora are split by document with claimminer's one fixed rule (`claimminer.splits`):
`train`, `tune` (picks spaCy's best checkpoint) and `dev` (reported, never tuned on);
`claimminer bench jnlpba|ge11 --split dev` scores the same documents.

JNLPBA's labels become claimminer's (`protein` -> PROTEIN, `cell_type` -> CELL_TYPE,
`cell_line` -> CELL_LINE) and its `DNA` and `RNA` are kept as labels of their own, so that the
recogniser learns "IL-2 gene" apart from IL-2 (the run-time merge drops them). GE11 annotates
proteins only: its documents teach the Protein mentions, and every other token is left
*missing* rather than outside, so that a cell name there is not taught as no mention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from claimminer.brat import read_standoff_entities
from claimminer.errors import ClaimMinerError
from claimminer.model import Document, Label
from claimminer.splits import SPLITS, split_documents

JNLPBA_TO_LABEL = {
    "protein": Label.PROTEIN.value,
    "cell_type": Label.CELL_TYPE.value,
    "cell_line": Label.CELL_LINE.value,
    "DNA": "DNA",
    "RNA": "RNA",
}
GE11_TO_LABEL = {"Protein": Label.PROTEIN.value}


MakeDoc = Callable[[str], Doc]


def to_doc(
    make_doc: MakeDoc,
    document: Document,
    labels: dict[str, str],
    complete: bool,
    counts: Counter[str],
) -> Doc:
    """A spaCy Doc of the text with the mentions as entities.

    `complete`: every other token is outside any mention (JNLPBA); otherwise missing (GE11).
    A mention whose edges fall inside a token is widened to whole tokens (counted).
    """
    doc = make_doc(document.text)
    spans: list[Span] = []
    for mention in document.entities:
        label = labels.get(mention.label)
        if label is None:
            continue
        span = doc.char_span(mention.start, mention.end, label=label)
        if span is None:
            span = doc.char_span(mention.start, mention.end, label=label,
                                 alignment_mode="expand")  # fmt: skip
            counts["mentions widened to whole tokens"] += 1
        if span is not None:
            spans.append(span)
    kept = filter_spans(spans)
    counts["mentions overlapping another, left out"] += len(spans) - len(kept)
    counts[f"mentions ({'complete' if complete else 'partial'} documents)"] += len(kept)
    doc.set_ents(kept, default="outside" if complete else "missing")
    return doc


def write_entity_corpora(
    jnlpba: Path, ge11: Path, out: Path, make_doc: MakeDoc
) -> dict[str, dict[str, int]]:
    """Write `train.spacy`, `tune.spacy` and `dev.spacy`; return document and mention counts.

    Raises:
        ClaimMinerError: a corpus folder is missing or empty.

    """
    sources: list[tuple[str, list[Document], dict[str, str], bool]] = []
    for name, folder, labels, suffix, complete in (
        ("jnlpba", jnlpba, JNLPBA_TO_LABEL, ".ann", True),
        ("ge11", ge11, GE11_TO_LABEL, ".a1", False),
    ):
        if not folder.is_dir():
            raise ClaimMinerError(f"{folder}: not a directory")
        documents = read_standoff_entities(folder, frozenset(labels), suffix)
        sources.append((name, documents, labels, complete))
    counts: Counter[str] = Counter()
    sizes: dict[str, int] = Counter()
    bins = {split: DocBin(attrs=["ENT_IOB", "ENT_TYPE"]) for split in SPLITS}
    for name, documents, labels, complete in sources:
        for split in SPLITS:
            for document in split_documents(documents, split):
                bins[split].add(to_doc(make_doc, document, labels, complete, counts))
                sizes[f"{name} {split}"] += 1
    out.mkdir(parents=True, exist_ok=True)
    for split, doc_bin in bins.items():
        doc_bin.to_disk(out / f"{split}.spacy")
    return {"documents": dict(sizes), "conversions": dict(sorted(counts.items()))}


def labels_in(documents: Iterable[Document]) -> set[str]:
    """The mention labels of some documents (for checks)."""
    return {mention.label for document in documents for mention in document.entities}
