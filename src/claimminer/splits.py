"""The fixed document split of the corpora claimminer trains on: train, tune and dev.

Of a corpus's documents in sorted order of their ids, every tenth (positions 9, 19, ...) is
`dev`, reported and never tuned on; every tenth after the eighth (8, 18, ...) is `tune`,
which picks a training run's best checkpoint; the rest is `train`. The recogniser's training
corpora (`training.entity_corpus`) and `claimminer bench jnlpba|ge11 --split` use this one
rule, so a benchmark on `dev` never scores a document the model saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

SPLITS = ("train", "tune", "dev")
ALL = "all"


class HasId(Protocol):
    """Anything with a document id."""

    @property
    def id(self) -> str:
        """The document id."""
        ...


D = TypeVar("D", bound=HasId)


def split_of(position: int) -> str:
    """The split of the document at this position of its corpus's sorted list.

    >>> [split_of(p) for p in (0, 8, 9, 10, 18, 19)]
    ['train', 'tune', 'dev', 'train', 'tune', 'dev']
    """
    if position % 10 == 9:
        return "dev"
    if position % 10 == 8:
        return "tune"
    return "train"


def split_documents(documents: Sequence[D], split: str) -> list[D]:
    """The documents of one split ("all" for every document), sorted by id.

    Raises:
        ValueError: an unknown split name.

    """
    ordered = sorted(documents, key=lambda d: d.id)
    if split == ALL:
        return ordered
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of all, {', '.join(SPLITS)}")
    return [d for position, d in enumerate(ordered) if split_of(position) == split]
