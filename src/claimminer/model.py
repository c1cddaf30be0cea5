"""Value types shared by every layer: documents, entity mentions, claims and their context.

This module imports nothing else from claimminer and nothing from spaCy, so the readers, the
evaluator and the network builder can be used and tested without a pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    """Entity labels of the output contract."""

    CYTOKINE = "CYTOKINE"
    PROTEIN = "PROTEIN"
    CELL_TYPE = "CELL_TYPE"
    CELL_LINE = "CELL_LINE"
    CHEMICAL = "CHEMICAL"
    SPECIES = "SPECIES"
    DISEASE = "DISEASE"


class Predicate(StrEnum):
    """Claim predicates; `produces` always has a cell as subject."""

    INCREASES = "increases"
    DECREASES = "decreases"
    AFFECTS = "affects"
    PRODUCES = "produces"
    BINDS = "binds"
    REQUIRED_FOR = "required_for"


CONTEXT_FIELDS = ("organism", "genotype", "setting", "cell_source", "stimulus")


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document's text that names an entity, with its grounding if known."""

    id: str
    start: int
    end: int
    text: str
    label: str
    concept_id: str | None = None
    concept_name: str | None = None
    # who found it: "lexicon" (the lexicon and its span rules), "model" (the trained
    # recogniser alone) or "both"
    source: str = "lexicon"

    def overlaps(self, other: Mention) -> bool:
        """True when the two character spans share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Context:
    """Experimental context of a claim; a field is None when the text does not state it."""

    organism: str | None = None
    genotype: str | None = None
    setting: str | None = None
    cell_source: str | None = None
    stimulus: str | None = None

    def as_dict(self) -> dict[str, str]:
        """Only the stated fields, so JSON output stays small and diffable."""
        return {name: value for name in CONTEXT_FIELDS if (value := getattr(self, name))}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Context:
        """Build from a JSON object, ignoring unknown keys written by newer versions."""
        return cls(**{name: values.get(name) or None for name in CONTEXT_FIELDS})


@dataclass(frozen=True, slots=True)
class Claim:
    """Subject-predicate-object statement read from one sentence, with its evidence.

    Negated and hedged claims are kept and flagged; evaluation and export decide what to use.
    """

    id: str
    subject: str
    predicate: str
    object: str
    negated: bool = False
    hedged: bool = False
    context: Context = field(default_factory=Context)
    sentence_start: int = 0
    sentence_end: int = 0
    trigger_start: int | None = None
    trigger_end: int | None = None
    rule: str | None = None
    confidence: float | None = None

    def trigger_text(self, text: str) -> str | None:
        """The trigger's words in the document's text, when the claim records a trigger."""
        if self.trigger_start is None or self.trigger_end is None:
            return None
        return text[self.trigger_start : self.trigger_end]


@dataclass(frozen=True, slots=True)
class Document:
    """One input text with the mentions and claims found in it."""

    id: str
    text: str
    entities: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()

    def entity(self, entity_id: str) -> Mention:
        """The mention with this id; raises KeyError if the document has none."""
        for mention in self.entities:
            if mention.id == entity_id:
                return mention
        raise KeyError(entity_id)

    def entity_index(self) -> dict[str, Mention]:
        """Mentions by id, for code that resolves many claim arguments."""
        return {mention.id: mention for mention in self.entities}


def concept_key(mention: Mention) -> str:
    """Identity of the thing a mention names: its concept, else its case-folded text."""
    return mention.concept_id or "text:" + " ".join(mention.text.casefold().split())


def claim_key(document: Document, claim: Claim) -> tuple[str, str, str, bool]:
    """Identity of a claim within a document: (subject, predicate, object, negated).

    Arguments are compared by concept, so two mentions of IL-2 make the same claim.
    """
    entities = document.entity_index()
    return (
        concept_key(entities[claim.subject]),
        claim.predicate,
        concept_key(entities[claim.object]),
        claim.negated,
    )
