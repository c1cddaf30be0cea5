"""Benchmarks on public corpora whose labels differ from claimminer's: JNLPBA and GE11.

JNLPBA (entity mentions): its `protein` maps to CYTOKINE or PROTEIN, `cell_type` to
CELL_TYPE and `cell_line` to CELL_LINE. claimminer does not tell a gene from its product, so
a predicted protein that overlaps a gold DNA or RNA mention is set aside rather than counted
as a false positive; how many were set aside is reported. claimminer also reads a cell name
before a process noun ("T cell activation", "B-cell differentiation") as a cell mention, which
JNLPBA leaves unannotated: a second score sets those predictions aside unless the corpus has
the same span, and the report gives both.

GE11 (events): a Positive_regulation, Negative_regulation or Regulation event with a Cause
becomes (cause, increases/decreases/affects, theme, negated), where an event argument stands
for its own theme proteins, recursively. Claims match by overlapping spans in the same
direction; strict also needs the predicate and negation. Only protein-to-protein regulation
claims can be scored there; the others are counted as set aside. Nothing here imports spaCy:
the caller passes documents that the pipeline has already processed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimminer.brat import StandoffEvents
from claimminer.evaluate import (
    Counts,
    entity_counts_overlap,
    entity_counts_strict,
    match_one_to_one,
    total,
)
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
    # predicted mentions by who found them (lexicon, model, both): strict true positives and
    # false positives, and overlap true positives counted as tp of `by_source_overlap`
    by_source: dict[str, Counts] = field(default_factory=dict)
    by_source_overlap: dict[str, Counts] = field(default_factory=dict)
    # predictions made under a claimminer convention JNLPBA does not share, left unscored
    convention_set_aside: int = 0

    def scores(self) -> dict[str, Any]:
        """Micro and per-label strict and overlap scores, as JSON."""
        return {
            "strict": total(self.strict.values()).as_dict(),
            "overlap": total(self.overlap.values()).as_dict(),
            "by_label": {
                label: {
                    "strict": self.strict[label].as_dict(),
                    "overlap": self.overlap[label].as_dict(),
                }
                for label in sorted(self.strict)
            },
        }

    def as_dict(self, top: int = 25) -> dict[str, Any]:
        """JSON shape: micro scores, per-label scores and the most frequent errors."""
        scores = self.scores()
        for label, entry in scores["by_label"].items():
            entry["most_missed"] = self.missed[label].most_common(top)
            entry["most_spurious"] = self.spurious[label].most_common(top)
        return {
            "documents": self.documents,
            **scores,
            "predictions_set_aside_on_dna_rna": self.set_aside,
            "predictions_set_aside_by_convention": self.convention_set_aside,
            "predicted_by_source": {
                source: {
                    "mentions": counts.tp + counts.fp,
                    "strict_precision": round(counts.precision, 4),
                    "overlap_precision": round(self.by_source_overlap[source].precision, 4),
                }
                for source, counts in sorted(self.by_source.items())
            },
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
        mapped.append(Mention(mention.id, mention.start, mention.end, mention.text, label,
                              source=mention.source))  # fmt: skip
    return mapped, set_aside


def _error_key(mention: Mention) -> str:
    return " ".join(mention.text.split()).lower()


NEXT_WORD = re.compile(r"[\s-]*([^\W\d_]+)")
Convention = Callable[[str, Mention], bool]


def cell_before_process_noun(process_nouns: frozenset[str]) -> Convention:
    """The cell mention in "T cell activation": claimminer's convention, not JNLPBA's.

    `process_nouns` are the entity rules' `cell_process_nouns`; the test reads a mention
    already relabelled to JNLPBA's `cell_type`.
    """

    def applies(text: str, mention: Mention) -> bool:
        following = NEXT_WORD.match(text, mention.end)
        return (
            mention.label == "cell_type"
            and following is not None
            and following.group(1).lower() in process_nouns
        )

    return applies


def _apart_by_convention(
    text: str, mapped: list[Mention], gold: Sequence[Mention], convention: Convention | None
) -> tuple[list[Mention], int]:
    """Predictions minus those made under `convention` that no gold mention shares exactly."""
    if convention is None:
        return mapped, 0
    exact = {(m.start, m.end, m.label) for m in gold}
    kept = [
        m for m in mapped
        if (m.start, m.end, m.label) in exact or not convention(text, m)
    ]  # fmt: skip
    return kept, len(mapped) - len(kept)


def score_jnlpba(
    gold: Sequence[Document], predicted: Sequence[Document], convention: Convention | None = None
) -> EntityBenchmark:
    """Score predicted entities against JNLPBA gold documents (matched by id).

    With a `convention`, predictions it covers are set aside unless the gold has their span.
    """
    by_id = {document.id: document for document in predicted}
    labels = sorted(JNLPBA_LABELS)
    strict = {label: Counts() for label in labels}
    overlap = {label: Counts() for label in labels}
    missed: dict[str, Counter[str]] = {label: Counter() for label in labels}
    spurious: dict[str, Counter[str]] = {label: Counter() for label in labels}
    set_aside = by_convention = 0
    sources: tuple[dict[str, Counts], dict[str, Counts]] = ({}, {})
    for document in gold:
        scored = [m for m in document.entities if m.label in JNLPBA_LABELS]
        other = [m for m in document.entities if m.label in JNLPBA_UNSCORED]
        prediction = by_id.get(document.id)
        mapped, aside = _as_benchmark_labels(prediction.entities if prediction else (), other)
        set_aside += aside
        mapped, apart = _apart_by_convention(document.text, mapped, scored, convention)
        by_convention += apart
        for label, counts in entity_counts_strict(scored, mapped).items():
            strict[label] = strict[label] + counts
        for label, counts in entity_counts_overlap(scored, mapped).items():
            overlap[label] = overlap[label] + counts
        for mention in mapped:
            same_label = [g for g in scored if g.label == mention.label]
            exact = any((g.start, g.end) == (mention.start, mention.end) for g in same_label)
            close = any(g.overlaps(mention) for g in same_label)
            for table, hit in zip(sources, (exact, close), strict=True):
                table[mention.source] = table.get(mention.source, Counts()) + (
                    Counts(tp=1) if hit else Counts(fp=1)
                )
        for label in labels:
            gold_here = [m for m in scored if m.label == label]
            pred_here = [m for m in mapped if m.label == label]
            missed[label].update(
                _error_key(g) for g in gold_here if not any(g.overlaps(p) for p in pred_here)
            )
            spurious[label].update(
                _error_key(p) for p in pred_here if not any(p.overlaps(g) for g in gold_here)
            )
    return EntityBenchmark(
        strict, overlap, missed, spurious, set_aside, len(gold), *sources, by_convention
    )


# ---------------------------------------------------------------------------------------------
# GE11: regulation events with a Cause, flattened into claims


GE11_PREDICATES = {
    "Positive_regulation": "increases",
    "Negative_regulation": "decreases",
    "Regulation": "affects",
}
# How a claim reads in GE11's terms: the corpus annotates necessity ("STAT6 is required for
# IL-4 expression") as Positive_regulation, so a required_for claim is scored as increases.
CLAIM_AS_GE11 = {
    "increases": "increases",
    "decreases": "decreases",
    "affects": "affects",
    "required_for": "increases",
}
PROTEIN_LABELS = frozenset({Label.CYTOKINE.value, Label.PROTEIN.value})


@dataclass(frozen=True, slots=True)
class Triple:
    """A directed statement between two spans of one document, from gold or from claims."""

    document: str
    cause: tuple[int, int]
    predicate: str
    theme: tuple[int, int]
    negated: bool
    speculated: bool
    rule: str | None = None
    cytokine: bool = False
    # Claims only: an argument is a mention only the trained recogniser found
    model_argument: bool = False
    # Gold only: spans of mentions the corpus declares the same entity ("Equiv"), which the
    # shared task's own evaluation accepts in place of the annotated argument.
    cause_aliases: tuple[tuple[int, int], ...] = ()
    theme_aliases: tuple[tuple[int, int], ...] = ()


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _participants(
    document: StandoffEvents, node: str, seen: frozenset[str] = frozenset()
) -> list[str]:
    """Protein ids a node stands for: itself, or the themes of an event, recursively."""
    if node in document.spans:
        return [node]
    if node not in document.events or node in seen:
        return []
    _, roles = document.events[node]
    found = []
    for role, argument in sorted(roles.items()):
        if role.startswith("Theme"):
            found.extend(_participants(document, argument, seen | {node}))
    return found


def _aliases(document: StandoffEvents) -> dict[str, tuple[tuple[int, int], ...]]:
    """For each mention in an equivalence set, the spans of the other members."""
    aliases: dict[str, tuple[tuple[int, int], ...]] = {}
    for group in document.equivalences:
        members = sorted(m for m in group if m in document.spans)
        for member in members:
            aliases[member] = tuple(
                document.spans[other][1:] for other in members if other != member
            )
    return aliases


def ge11_triples(document: StandoffEvents, is_cytokine: Callable[[str], bool]) -> list[Triple]:
    """Regulation events with a Cause as (cause, predicate, theme, negated) triples."""
    aliases = _aliases(document)
    triples = set()
    for event_id, (kind, roles) in document.events.items():
        if kind not in GE11_PREDICATES or "Cause" not in roles or "Theme" not in roles:
            continue
        modifiers = document.modifiers.get(event_id, frozenset())
        for cause in _participants(document, roles["Cause"]):
            for theme in _participants(document, roles["Theme"]):
                _, cause_start, cause_end = document.spans[cause]
                _, theme_start, theme_end = document.spans[theme]
                texts = (document.text[cause_start:cause_end], document.text[theme_start:theme_end])
                triples.add(Triple(
                    document.id, (cause_start, cause_end), GE11_PREDICATES[kind],
                    (theme_start, theme_end), "Negation" in modifiers, "Speculation" in modifiers,
                    cytokine=any(is_cytokine(text) for text in texts),
                    cause_aliases=aliases.get(cause, ()), theme_aliases=aliases.get(theme, ()),
                ))  # fmt: skip
    # a total order: two events on the same spans ("did not inhibit" beside "inhibits") would
    # otherwise come in set order, and the greedy matching would follow the hash seed
    return sorted(
        triples,
        key=lambda t: (t.cause, t.theme, t.predicate, t.negated, t.speculated,
                       t.cause_aliases, t.theme_aliases),
    )  # fmt: skip


def claim_triples(
    document: Document, proteins: Sequence[tuple[int, int]] | None = None
) -> tuple[list[Triple], int]:
    """Protein-to-protein regulation claims as triples; the rest is counted as set aside.

    GE11 annotates only regulation between its given protein mentions (`.a1`), so a claim
    about a cell, a chemical or a disease, a `produces`/`binds` claim, or a claim with an
    argument on no given protein (an unannotated complex such as NF-kappaB) cannot be right
    or wrong there.
    """
    entities = document.entity_index()

    def given(start: int, end: int) -> bool:
        return proteins is None or any(_overlap((start, end), span) for span in proteins)

    triples = []
    aside = 0
    for claim in document.claims:
        subject, object_ = entities[claim.subject], entities[claim.object]
        scorable = (
            claim.predicate in CLAIM_AS_GE11
            and subject.label in PROTEIN_LABELS
            and object_.label in PROTEIN_LABELS
            and given(subject.start, subject.end)
            and given(object_.start, object_.end)
        )
        if not scorable:
            aside += 1
            continue
        triples.append(Triple(
            document.id, (subject.start, subject.end), CLAIM_AS_GE11[claim.predicate],
            (object_.start, object_.end), claim.negated, claim.hedged, claim.rule,
            cytokine=Label.CYTOKINE.value in (subject.label, object_.label),
            model_argument="model" in (subject.source, object_.source),
        ))  # fmt: skip
    return triples, aside


@dataclass(frozen=True, slots=True)
class EventBenchmark:
    """Strict and relaxed triple scores, the cytokine subset, flags and rules."""

    strict: Counts
    relaxed: Counts
    cytokine_strict: Counts
    cytokine_relaxed: Counts
    negation_agreement: Counts
    speculation_agreement: Counts
    by_rule: dict[str, Counts]
    set_aside: int
    documents: int
    proteins_found: Counts
    # strict matches among the gold triples whose cause and theme both overlap a predicted
    # protein mention: what the claims layer does with the arguments the entity layer found
    reachable: Counts = field(default_factory=Counts)
    # given proteins found, by the source of the mention that found them
    proteins_by_source: Counter[str] = field(default_factory=Counter)
    # strict counts of predicted triples with an argument only the recogniser found ("model")
    # and of the others ("lexicon"): tp and fp only
    by_argument_source: dict[str, Counts] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON shape for BENCHMARKS and calibration."""
        return {
            "documents": self.documents,
            "given_proteins_found": {
                "recall": round(self.proteins_found.recall, 4),
                "found": self.proteins_found.tp,
                "missed": self.proteins_found.fn,
                "by_source": dict(sorted(self.proteins_by_source.items())),
            },
            "triples_with_both_arguments_found": {
                "triples": self.reachable.tp + self.reachable.fn,
                "strict_recall": round(self.reachable.recall, 4),
            },
            "strict": self.strict.as_dict(),
            "relaxed": self.relaxed.as_dict(),
            "cytokine_subset": {
                "strict": self.cytokine_strict.as_dict(),
                "relaxed": self.cytokine_relaxed.as_dict(),
            },
            "negation_accuracy": round(self.negation_agreement.precision, 4),
            "speculation_accuracy": round(self.speculation_agreement.precision, 4),
            "precision_by_rule": {
                rule: {"precision": round(c.precision, 4), "tp": c.tp, "fp": c.fp}
                for rule, c in sorted(self.by_rule.items())
            },
            "claims_set_aside": self.set_aside,
            "precision_by_argument_source": {
                source: {"precision": round(c.precision, 4), "tp": c.tp, "fp": c.fp}
                for source, c in sorted(self.by_argument_source.items())
            },
        }


def _match(gold: list[Triple], pred: list[Triple], strict: bool) -> list[tuple[int, int]]:
    def same(g: Triple, p: Triple) -> bool:
        spans = any(_overlap(span, p.cause) for span in (g.cause, *g.cause_aliases)) and any(
            _overlap(span, p.theme) for span in (g.theme, *g.theme_aliases)
        )
        return spans and (not strict or (g.predicate == p.predicate and g.negated == p.negated))

    return match_one_to_one(gold, pred, same)


def _counts(pairs: list[tuple[int, int]], gold: int, pred: int) -> Counts:
    return Counts(len(pairs), pred - len(pairs), gold - len(pairs))


def _reachable(
    gold: list[Triple], mentions: list[tuple[int, int]], strict_pairs: list[tuple[int, int]]
) -> Counts:
    """Strict matches (tp) and misses (fn) among gold triples with both arguments found."""
    matched = {g for g, _ in strict_pairs}
    counts = Counts()
    for index, triple in enumerate(gold):
        cause = any(_overlap(span, m) for span in (triple.cause, *triple.cause_aliases)
                    for m in mentions)  # fmt: skip
        theme = any(_overlap(span, m) for span in (triple.theme, *triple.theme_aliases)
                    for m in mentions)  # fmt: skip
        if cause and theme:
            counts += Counts(tp=1) if index in matched else Counts(fn=1)
    return counts


def score_ge11(
    gold: Sequence[StandoffEvents],
    predicted: Sequence[Document],
    is_cytokine: Callable[[str], bool],
) -> EventBenchmark:
    """Score claims against GE11 regulation triples, document by document."""
    by_id = {document.id: document for document in predicted}
    names = ("strict", "relaxed", "cs", "cr", "neg", "spec", "proteins", "reachable")
    totals = {name: Counts() for name in names}
    by_rule: dict[str, Counts] = {}
    by_source: Counter[str] = Counter()
    by_argument: dict[str, Counts] = {}
    set_aside = 0
    for document in gold:
        gold_triples = ge11_triples(document, is_cytokine)
        prediction = by_id.get(document.id)
        proteins = [(s, e) for kind, s, e in document.spans.values() if kind == "Protein"]
        pred_triples, aside = claim_triples(prediction, proteins) if prediction else ([], 0)
        protein_mentions = [
            m for m in (prediction.entities if prediction else ()) if m.label in PROTEIN_LABELS
        ]
        mentions = [(m.start, m.end) for m in protein_mentions]
        found = sum(any(_overlap(span, m) for m in mentions) for span in proteins)
        for span in proteins:
            first = next((m for m in protein_mentions if _overlap(span, (m.start, m.end))), None)
            if first is not None:
                by_source[first.source] += 1
        totals["proteins"] += Counts(tp=found, fn=len(proteins) - found)
        set_aside += aside
        strict_pairs = _match(gold_triples, pred_triples, strict=True)
        totals["reachable"] += _reachable(gold_triples, mentions, strict_pairs)
        relaxed_pairs = _match(gold_triples, pred_triples, strict=False)
        totals["strict"] += _counts(strict_pairs, len(gold_triples), len(pred_triples))
        totals["relaxed"] += _counts(relaxed_pairs, len(gold_triples), len(pred_triples))
        gold_c = [t for t in gold_triples if t.cytokine]
        pred_c = [t for t in pred_triples if t.cytokine]
        totals["cs"] += _counts(_match(gold_c, pred_c, strict=True), len(gold_c), len(pred_c))
        totals["cr"] += _counts(_match(gold_c, pred_c, strict=False), len(gold_c), len(pred_c))
        for gi, pi in relaxed_pairs:
            g, p = gold_triples[gi], pred_triples[pi]
            totals["neg"] += Counts(tp=1) if g.negated == p.negated else Counts(fp=1)
            totals["spec"] += Counts(tp=1) if g.speculated == p.speculated else Counts(fp=1)
        matched = {pi for _, pi in strict_pairs}
        for index, triple in enumerate(pred_triples):
            outcome = Counts(tp=1) if index in matched else Counts(fp=1)
            rule = triple.rule or "(none)"
            by_rule[rule] = by_rule.get(rule, Counts()) + outcome
            source = "model" if triple.model_argument else "lexicon"
            by_argument[source] = by_argument.get(source, Counts()) + outcome
    return EventBenchmark(
        totals["strict"], totals["relaxed"], totals["cs"], totals["cr"], totals["neg"],
        totals["spec"], by_rule, set_aside, len(gold), totals["proteins"], totals["reachable"],
        by_source, by_argument,
    )  # fmt: skip
