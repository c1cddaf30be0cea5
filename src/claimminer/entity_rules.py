"""The entity rules file (`data/entities.yaml`) and the candidates the resolver chooses among.

The words that are not synonyms (cell modifiers and markers, lineage words, cell and cell-line
nouns, protein classes and heads, antibody prefixes) are data, validated on load; a candidate
is a token span with a label and a concept, and `choose` keeps the longest that do not overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from claimminer.errors import DataFileError
from claimminer.lexicon import Grounding
from claimminer.model import Label
from claimminer.rules import data_path, load_yaml

PROTEIN_LABELS = frozenset({Label.PROTEIN.value, Label.CYTOKINE.value})
ENTITY_RULE_KEYS = frozenset(
    {"cell_modifiers", "cell_markers", "cell_lineage_words", "cell_nouns", "cell_line_nouns",
     "protein_classes", "protein_heads", "antibody_prefixes", "malignancy_words",
     "line_markers", "cell_process_nouns"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EntityRules:
    """Span rules from `data/entities.yaml`."""

    cell_modifiers: frozenset[str]
    cell_markers: tuple[re.Pattern[str], ...]
    cell_lineage_words: frozenset[str]
    cell_nouns: frozenset[str]
    cell_line_nouns: frozenset[str]
    protein_classes: dict[str, tuple[str, ...]]
    class_singulars: frozenset[str]
    protein_heads: frozenset[str]
    antibody_prefixes: tuple[str, ...]
    malignancy_words: frozenset[str]
    line_markers: frozenset[str]
    cell_process_nouns: frozenset[str]

    def is_marker(self, text: str) -> bool:
        """True for a surface-marker token such as 'CD4', 'CD25hi' or a lone '+'."""
        return any(pattern.match(text) for pattern in self.cell_markers)

    def is_singular_class(self, text: str) -> bool:
        """True for a class name in the singular, such as 'cytokine' or 'transcription factor'."""
        return " ".join(text.lower().split()) in self.class_singulars

    def class_patterns(self) -> list[dict[str, str]]:
        """Span-ruler patterns (no concept id) for the protein class names and plurals."""
        patterns = []
        for label, names in sorted(self.protein_classes.items()):
            for name in names:
                for form in (name, name + "s" if not name.endswith("y") else name[:-1] + "ies"):
                    patterns.append({"label": label, "pattern": form.lower()})
        return patterns


def load_entity_rules(path: Path) -> EntityRules:
    """Load and check the entity span rules; unknown or missing keys are an error."""
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != ENTITY_RULE_KEYS:
        raise DataFileError(path, None, f"needs exactly the keys {sorted(ENTITY_RULE_KEYS)}")
    classes = data["protein_classes"]
    unknown = set(classes) - PROTEIN_LABELS
    if unknown:
        raise DataFileError(path, getattr(classes, "line", None), f"labels {sorted(unknown)}")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in data[key])

    return EntityRules(
        cell_modifiers=words("cell_modifiers"),
        cell_markers=tuple(re.compile(pattern) for pattern in data["cell_markers"]),
        cell_lineage_words=words("cell_lineage_words"),
        cell_nouns=words("cell_nouns"),
        cell_line_nouns=words("cell_line_nouns"),
        protein_classes={label: tuple(names) for label, names in classes.items()},
        class_singulars=frozenset(str(n).lower() for names in classes.values() for n in names),
        protein_heads=words("protein_heads"),
        antibody_prefixes=tuple(str(p).lower() for p in data["antibody_prefixes"]),
        malignancy_words=words("malignancy_words"),
        line_markers=words("line_markers"),
        cell_process_nouns=words("cell_process_nouns"),
    )


@cache
def default_entity_rules() -> EntityRules:
    """The shipped entity span rules, loaded once per process."""
    return load_entity_rules(data_path("entities.yaml"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible entity: token span, label and concept (empty when ungrounded)."""

    start: int
    end: int
    label: str
    concept_id: str

    @classmethod
    def grounded(cls, start: int, end: int, grounding: Grounding) -> Candidate:
        """A candidate carrying a lexicon grounding."""
        return cls(start, end, grounding.label, grounding.concept_id)


def choose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Longest non-overlapping candidates; on equal length the grounded, then the first.

    The order is total (concept id last), so the choice never depends on set iteration order,
    which changes with Python's hash seed from one run to the next.
    """
    ordered = sorted(
        set(candidates),
        key=lambda c: (-(c.end - c.start), not c.concept_id, c.start, c.label, c.concept_id or ""),
    )
    taken: set[int] = set()
    chosen = []
    for candidate in ordered:
        positions = range(candidate.start, candidate.end)
        if taken.isdisjoint(positions):
            chosen.append(candidate)
            taken.update(positions)
    return sorted(chosen, key=lambda c: c.start)
