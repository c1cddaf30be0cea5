"""Scoring predictions against gold annotations: integer counts first, ratios last.

Entities are scored strictly (same span and label) and by overlap (same label, shared
characters). Claims are matched one-to-one per document on (subject, predicate, object,
negated), where an argument matches by concept when both sides are grounded and by
overlapping span otherwise; the relaxed score ignores the predicate and negation but keeps
the direction. Nothing here imports spaCy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from claimminer.model import CONTEXT_FIELDS, Claim, Document, Mention

G = TypeVar("G")
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives; scores derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Tp / (tp + fp); 1.0 when nothing was predicted and nothing missed, else 0.0."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else float(self.fn == 0)

    @property
    def recall(self) -> float:
        """Tp / (tp + fn); 1.0 when there was nothing to find."""
        relevant = self.tp + self.fn
        return self.tp / relevant if relevant else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        """Counts and rounded scores for JSON output."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def total(counts: Iterable[Counts]) -> Counts:
    """Sum of counts (micro average); a list is summed, never a set."""
    result = Counts()
    for item in counts:
        result = result + item
    return result


# ---------------------------------------------------------------------------------------------
# Entities


def _strict_key(mention: Mention) -> tuple[int, int, str]:
    return (mention.start, mention.end, mention.label)


def entity_counts_strict(gold: Sequence[Mention], pred: Sequence[Mention]) -> dict[str, Counts]:
    """Per-label counts where a prediction is right only with the same span and label."""
    gold_keys = Counter(_strict_key(m) for m in gold)
    pred_keys = Counter(_strict_key(m) for m in pred)
    labels = {key[2] for key in gold_keys} | {key[2] for key in pred_keys}
    result = {}
    for label in labels:
        g = Counter({k: n for k, n in gold_keys.items() if k[2] == label})
        p = Counter({k: n for k, n in pred_keys.items() if k[2] == label})
        tp = sum((g & p).values())
        result[label] = Counts(tp, sum(p.values()) - tp, sum(g.values()) - tp)
    return result


@dataclass(frozen=True, slots=True)
class EntityError:
    """A mention that is a false positive or a false negative under strict matching."""

    document: str
    kind: str  # "false_positive" or "false_negative"
    mention: Mention
    sentence: str


def entity_errors(gold: Document, pred: Document | None) -> list[EntityError]:
    """Mentions with no strict partner (same span and label) on the other side."""
    pred_mentions = pred.entities if pred is not None else ()
    gold_keys = Counter(_strict_key(m) for m in gold.entities)
    pred_keys = Counter(_strict_key(m) for m in pred_mentions)
    errors = []
    for kind, mentions, own, other, text in (
        ("false_negative", gold.entities, gold_keys, pred_keys, gold.text),
        ("false_positive", pred_mentions, pred_keys, gold_keys, pred.text if pred else ""),
    ):
        spare = own - other
        for mention in mentions:
            key = _strict_key(mention)
            if spare[key] > 0:
                spare[key] -= 1
                sentence = " ".join(_sentence_around(text, mention.start).split())
                errors.append(EntityError(gold.id, kind, mention, sentence))
    return errors


def entity_counts_overlap(gold: Sequence[Mention], pred: Sequence[Mention]) -> dict[str, Counts]:
    """Per-label counts where spans need only share characters; matching is one-to-one."""
    labels = {m.label for m in gold} | {m.label for m in pred}
    result = {}
    for label in labels:
        g = [m for m in gold if m.label == label]
        p = [m for m in pred if m.label == label]
        pairs = match_one_to_one(g, p, lambda a, b: a.overlaps(b))
        result[label] = Counts(len(pairs), len(p) - len(pairs), len(g) - len(pairs))
    return result


def match_one_to_one(
    gold: Sequence[G], pred: Sequence[P], matches: Callable[[G, P], bool]
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing in order: each gold item takes the first free prediction."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and matches(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


# ---------------------------------------------------------------------------------------------
# Claims


def arguments_match(gold: Mention, pred: Mention) -> bool:
    """Same concept when both are grounded; otherwise overlapping spans."""
    if gold.concept_id and pred.concept_id:
        return gold.concept_id == pred.concept_id
    return gold.overlaps(pred)


@dataclass(frozen=True, slots=True)
class ResolvedClaim:
    """A claim with its argument mentions, ready for matching and error reports."""

    document: str
    claim: Claim
    subject: Mention
    object: Mention
    sentence: str


def resolve_claims(document: Document) -> list[ResolvedClaim]:
    """Claims of a document with their argument mentions and evidence sentence."""
    entities = document.entity_index()
    resolved = []
    for claim in document.claims:
        if claim.sentence_end > claim.sentence_start:
            sentence = document.text[claim.sentence_start : claim.sentence_end]
        else:
            sentence = _sentence_around(document.text, claim.trigger_start or 0)
        resolved.append(
            ResolvedClaim(document.id, claim, entities[claim.subject], entities[claim.object],
                          " ".join(sentence.split()))
        )  # fmt: skip
    return resolved


def _sentence_around(text: str, position: int) -> str:
    """The sentence holding `position`, for gold claims that store no sentence bounds."""
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position)) + 1
    end_candidates = [i for i in (text.find(". ", position), text.find("\n", position)) if i >= 0]
    end = min(end_candidates) + 1 if end_candidates else len(text)
    return text[start:end].strip()


def strict_match(gold: ResolvedClaim, pred: ResolvedClaim) -> bool:
    """Same predicate, negation, and arguments in the same roles."""
    return (
        gold.claim.predicate == pred.claim.predicate
        and gold.claim.negated == pred.claim.negated
        and arguments_match(gold.subject, pred.subject)
        and arguments_match(gold.object, pred.object)
    )


def relaxed_match(gold: ResolvedClaim, pred: ResolvedClaim) -> bool:
    """Same arguments in the same direction, whatever the predicate and negation."""
    return arguments_match(gold.subject, pred.subject) and arguments_match(gold.object, pred.object)


@dataclass
class ClaimScores:
    """Everything the claim evaluation reports, accumulated over documents."""

    strict: Counts = field(default_factory=Counts)
    relaxed: Counts = field(default_factory=Counts)
    by_predicate: dict[str, Counts] = field(default_factory=dict)
    by_rule: dict[str, Counts] = field(default_factory=dict)
    attribute_agreement: dict[str, Counts] = field(default_factory=dict)
    false_positives: list[ResolvedClaim] = field(default_factory=list)
    false_negatives: list[ResolvedClaim] = field(default_factory=list)


def _add(table: dict[str, Counts], key: str, counts: Counts) -> None:
    table[key] = table.get(key, Counts()) + counts


def score_document_claims(gold: Document, pred: Document | None, scores: ClaimScores) -> None:
    """Add one document's claim matches to the running scores."""
    gold_claims = resolve_claims(gold)
    pred_claims = resolve_claims(pred) if pred is not None else []
    pairs = match_one_to_one(gold_claims, pred_claims, strict_match)
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    scores.strict = scores.strict + Counts(
        len(pairs), len(pred_claims) - len(pairs), len(gold_claims) - len(pairs)
    )
    relaxed = match_one_to_one(gold_claims, pred_claims, relaxed_match)
    scores.relaxed = scores.relaxed + Counts(
        len(relaxed), len(pred_claims) - len(relaxed), len(gold_claims) - len(relaxed)
    )
    for gi, item in enumerate(gold_claims):
        _add(scores.by_predicate, item.claim.predicate, Counts(tp=1) if gi in matched_gold
             else Counts(fn=1))  # fmt: skip
        if gi not in matched_gold:
            scores.false_negatives.append(item)
    for pi, item in enumerate(pred_claims):
        rule = item.claim.rule or "(none)"
        if pi in matched_pred:
            _add(scores.by_rule, rule, Counts(tp=1))
        else:
            _add(scores.by_predicate, item.claim.predicate, Counts(fp=1))
            _add(scores.by_rule, rule, Counts(fp=1))
            scores.false_positives.append(item)
    for gi, pi in relaxed:
        g, p = gold_claims[gi].claim, pred_claims[pi].claim
        checks = {"negated": g.negated == p.negated, "hedged": g.hedged == p.hedged}
        for name in CONTEXT_FIELDS:
            checks[name] = getattr(g.context, name) == getattr(p.context, name)
        for name, agrees in checks.items():
            _add(scores.attribute_agreement, name, Counts(tp=1) if agrees else Counts(fp=1))


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The full result of comparing a prediction set with a gold set."""

    entities_strict: dict[str, Counts]
    entities_overlap: dict[str, Counts]
    claims: ClaimScores
    documents_scored: tuple[str, ...]
    documents_missing: tuple[str, ...]
    documents_unscored: tuple[str, ...]
    entity_errors: tuple[EntityError, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: strict micro scores at the top, details beneath."""
        claims = self.claims
        return {
            "entities": total(self.entities_strict.values()).as_dict(),
            "claims": claims.strict.as_dict(),
            "entities_overlap": total(self.entities_overlap.values()).as_dict(),
            "entities_by_label": {
                label: {"strict": self.entities_strict.get(label, Counts()).as_dict(),
                        "overlap": self.entities_overlap.get(label, Counts()).as_dict()}
                for label in sorted(set(self.entities_strict) | set(self.entities_overlap))
            },
            "claims_relaxed": claims.relaxed.as_dict(),
            "claims_by_predicate": {k: v.as_dict() for k, v in sorted(claims.by_predicate.items())},
            "claims_by_rule": {
                rule: {"precision": round(c.precision, 4), "tp": c.tp, "fp": c.fp}
                for rule, c in sorted(claims.by_rule.items())
            },
            "claim_attribute_accuracy": {
                name: {"accuracy": round(c.precision, 4), "agree": c.tp, "disagree": c.fp}
                for name, c in sorted(claims.attribute_agreement.items())
            },
            "documents": {
                "scored": len(self.documents_scored),
                "missing_from_prediction": list(self.documents_missing),
                "not_in_gold": list(self.documents_unscored),
            },
        }  # fmt: skip


def evaluate(gold: Sequence[Document], pred: Sequence[Document]) -> Evaluation:
    """Compare predictions with gold, document by document (matched by id).

    A gold document absent from the predictions counts all its annotations as missed; a
    predicted document absent from the gold is listed but not scored.
    """
    predicted = {document.id: document for document in pred}
    gold_ids = {document.id for document in gold}
    strict: dict[str, Counts] = {}
    overlap: dict[str, Counts] = {}
    claims = ClaimScores()
    mention_errors: list[EntityError] = []
    for document in gold:
        candidate = predicted.get(document.id)
        mention_errors += entity_errors(document, candidate)
        pred_entities = candidate.entities if candidate else ()
        for label, counts in entity_counts_strict(document.entities, pred_entities).items():
            _add(strict, label, counts)
        for label, counts in entity_counts_overlap(document.entities, pred_entities).items():
            _add(overlap, label, counts)
        score_document_claims(document, candidate, claims)
    return Evaluation(
        entities_strict=strict,
        entities_overlap=overlap,
        claims=claims,
        documents_scored=tuple(sorted(gold_ids & set(predicted))),
        documents_missing=tuple(sorted(gold_ids - set(predicted))),
        documents_unscored=tuple(sorted(set(predicted) - gold_ids)),
        entity_errors=tuple(mention_errors),
    )


def error_report(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every false positive and false negative, claims then mentions, with its sentence."""
    rows: list[dict[str, Any]] = []
    for kind, items in (("false_positive", evaluation.claims.false_positives),
                        ("false_negative", evaluation.claims.false_negatives)):  # fmt: skip
        for item in items:
            rows.append({
                "kind": kind,
                "unit": "claim",
                "document": item.document,
                "subject": item.subject.text,
                "predicate": item.claim.predicate,
                "object": item.object.text,
                "negated": item.claim.negated,
                "rule": item.claim.rule,
                "sentence": item.sentence,
            })  # fmt: skip
    for error in evaluation.entity_errors:
        rows.append({
            "kind": error.kind,
            "unit": "entity",
            "document": error.document,
            "text": error.mention.text,
            "label": error.mention.label,
            "start": error.mention.start,
            "end": error.mention.end,
            "sentence": error.sentence,
        })  # fmt: skip
    return rows
