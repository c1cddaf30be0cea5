from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimminer.brat import read_brat_dir
from claimminer.evaluate import (
    Counts,
    arguments_match,
    entity_counts_overlap,
    entity_counts_strict,
    error_report,
    evaluate,
    total,
)
from claimminer.model import Claim, Context, Document, Mention

GOLD = Path(__file__).resolve().parents[1] / "gold"

TEXT = "IL-2 increases IFN-gamma. IL-4 decreases IL-10 in mice."


def m(ann_id: str, needle: str, label: str = "CYTOKINE", concept: str | None = None) -> Mention:
    start = TEXT.index(needle)
    return Mention(ann_id, start, start + len(needle), needle, label, concept)


ENTITIES = (
    m("T1", "IL-2", concept="HGNC:6001"),
    m("T2", "IFN-gamma", concept="HGNC:5438"),
    m("T3", "IL-4"),
    m("T4", "IL-10"),
    m("T5", "mice", "SPECIES", "NCBITaxon:10090"),
)


def c(
    claim_id: str,
    subject: str,
    predicate: str,
    object_: str,
    *,
    negated: bool = False,
    hedged: bool = False,
    context: Context | None = None,
    rule: str | None = None,
) -> Claim:
    return Claim(
        claim_id,
        subject,
        predicate,
        object_,
        negated=negated,
        hedged=hedged,
        context=context or Context(),
        rule=rule,
    )


def doc(*claims: Claim, entities: tuple[Mention, ...] = ENTITIES, doc_id: str = "d1") -> Document:
    return Document(doc_id, TEXT, entities, claims)


GOLD_CLAIM = c("E1", "T1", "increases", "T2")


# ---------------------------------------------------------------------------------------------
# Counts


def test_counts_add_and_total() -> None:
    assert Counts(1, 2, 3) + Counts(4, 5, 6) == Counts(5, 7, 9)
    assert total([Counts(1, 0, 0), Counts(1, 0, 0), Counts(0, 2, 1)]) == Counts(2, 2, 1)
    assert total([]) == Counts()


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        (Counts(), 1.0, 1.0, 1.0),  # nothing to find, nothing predicted
        (Counts(fn=3), 0.0, 0.0, 0.0),  # no predictions, something missed
        (Counts(fp=2), 0.0, 1.0, 0.0),  # nothing to find, something predicted
        (Counts(3, 1, 2), 0.75, 0.6, 2 / 3),
        (Counts(4, 0, 0), 1.0, 1.0, 1.0),
    ],
)
def test_counts_scores(counts: Counts, precision: float, recall: float, f1: float) -> None:
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)


def test_counts_as_dict_rounds_scores() -> None:
    assert Counts(1, 2, 0).as_dict() == {
        "precision": 0.3333,
        "recall": 1.0,
        "f1": 0.5,
        "tp": 1,
        "fp": 2,
        "fn": 0,
    }


# ---------------------------------------------------------------------------------------------
# Entities


@pytest.mark.parametrize(
    ("pred", "strict", "overlap"),
    [
        (Mention("p", 0, 4, "IL-2", "CYTOKINE"), Counts(1, 0, 0), Counts(1, 0, 0)),
        (Mention("p", 0, 3, "IL-", "CYTOKINE"), Counts(0, 1, 1), Counts(1, 0, 0)),
        (Mention("p", 3, 8, "2 inc", "CYTOKINE"), Counts(0, 1, 1), Counts(1, 0, 0)),
        (Mention("p", 4, 8, " inc", "CYTOKINE"), Counts(0, 1, 1), Counts(0, 1, 1)),
    ],
)
def test_entity_strict_needs_same_span_overlap_needs_shared_characters(
    pred: Mention, strict: Counts, overlap: Counts
) -> None:
    gold = [ENTITIES[0]]
    assert entity_counts_strict(gold, [pred]) == {"CYTOKINE": strict}
    assert entity_counts_overlap(gold, [pred]) == {"CYTOKINE": overlap}


def test_entity_with_wrong_label_is_a_false_positive_and_a_miss() -> None:
    pred = [Mention("p", 0, 4, "IL-2", "PROTEIN")]
    expected = {"CYTOKINE": Counts(0, 0, 1), "PROTEIN": Counts(0, 1, 0)}
    assert entity_counts_strict([ENTITIES[0]], pred) == expected
    assert entity_counts_overlap([ENTITIES[0]], pred) == expected


def test_entity_overlap_matching_is_one_to_one() -> None:
    pred = [Mention("a", 0, 2, "IL", "CYTOKINE"), Mention("b", 2, 4, "-2", "CYTOKINE")]
    assert entity_counts_overlap([ENTITIES[0]], pred) == {"CYTOKINE": Counts(1, 1, 0)}


def test_entity_strict_counts_duplicates_once() -> None:
    pred = [ENTITIES[0], ENTITIES[0]]
    assert entity_counts_strict([ENTITIES[0]], pred) == {"CYTOKINE": Counts(1, 1, 0)}


# ---------------------------------------------------------------------------------------------
# Claims


@pytest.mark.parametrize(
    ("pred", "strict", "relaxed"),
    [
        (c("P1", "T1", "increases", "T2"), Counts(1, 0, 0), Counts(1, 0, 0)),
        (c("P1", "T1", "decreases", "T2"), Counts(0, 1, 1), Counts(1, 0, 0)),
        (c("P1", "T1", "increases", "T2", negated=True), Counts(0, 1, 1), Counts(1, 0, 0)),
        (c("P1", "T2", "increases", "T1"), Counts(0, 1, 1), Counts(0, 1, 1)),  # reversed
        (c("P1", "T1", "increases", "T4"), Counts(0, 1, 1), Counts(0, 1, 1)),
        # hedging and context are attributes, not part of the match
        (
            c("P1", "T1", "increases", "T2", hedged=True, context=Context("human")),
            Counts(1, 0, 0),
            Counts(1, 0, 0),
        ),
    ],
)
def test_claim_strict_and_relaxed_matching(pred: Claim, strict: Counts, relaxed: Counts) -> None:
    result = evaluate([doc(GOLD_CLAIM)], [doc(pred)])
    assert result.claims.strict == strict
    assert result.claims.relaxed == relaxed


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        # both grounded: the concept decides, whatever the spans
        (Mention("g", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001"),
         Mention("p", 40, 45, "IL-10", "CYTOKINE", "HGNC:6001"), True),
        (Mention("g", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001"),
         Mention("p", 0, 4, "IL-2", "CYTOKINE", "HGNC:6018"), False),
        # one side ungrounded: the spans decide
        (Mention("g", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001"),
         Mention("p", 2, 6, "-2 i", "CYTOKINE"), True),
        (Mention("g", 0, 4, "IL-2", "CYTOKINE"),
         Mention("p", 40, 45, "IL-10", "CYTOKINE", "HGNC:6001"), False),
        (Mention("g", 0, 4, "IL-2", "CYTOKINE"), Mention("p", 4, 8, " inc", "CYTOKINE"), False),
    ],
)  # fmt: skip
def test_arguments_match_by_concept_when_both_grounded_else_by_overlap(
    gold: Mention, pred: Mention, expected: bool
) -> None:
    assert arguments_match(gold, pred) is expected


def test_claim_arguments_grounded_to_the_same_concept_match_at_another_span() -> None:
    text = TEXT + " Interleukin-2 increases IFN-gamma."
    other_il2 = Mention("X1", len(TEXT) + 1, len(TEXT) + 14, "Interleukin-2", "CYTOKINE",
                        "HGNC:6001")  # fmt: skip
    pred = Document("d1", text, (*ENTITIES, other_il2), (c("P1", "X1", "increases", "T2"),))
    gold = Document("d1", text, ENTITIES, (GOLD_CLAIM,))
    assert evaluate([gold], [pred]).claims.strict == Counts(1, 0, 0)


def test_claim_matching_is_one_to_one() -> None:
    pred = doc(c("P1", "T1", "increases", "T2"), c("P2", "T1", "increases", "T2"))
    result = evaluate([doc(GOLD_CLAIM)], [pred])
    assert result.claims.strict == Counts(1, 1, 0)
    assert result.claims.relaxed == Counts(1, 1, 0)
    assert [item.claim.id for item in result.claims.false_positives] == ["P2"]


def test_claims_by_predicate_and_by_rule() -> None:
    gold = doc(GOLD_CLAIM, c("E2", "T3", "decreases", "T4"))
    pred = doc(
        c("P1", "T1", "increases", "T2", rule="increases_active"),
        c("P2", "T3", "binds", "T4", rule="binds_active"),
        c("P3", "T4", "affects", "T5"),
    )
    result = evaluate([gold], [pred])
    assert result.claims.by_predicate == {
        "increases": Counts(1, 0, 0),
        "decreases": Counts(0, 0, 1),
        "binds": Counts(0, 1, 0),
        "affects": Counts(0, 1, 0),
    }
    assert result.claims.by_rule == {
        "increases_active": Counts(1, 0, 0),
        "binds_active": Counts(0, 1, 0),
        "(none)": Counts(0, 1, 0),
    }
    as_dict = result.as_dict()
    assert as_dict["claims_by_rule"]["increases_active"] == {"precision": 1.0, "tp": 1, "fp": 0}
    assert as_dict["claims_by_predicate"]["decreases"]["recall"] == 0.0


def test_attribute_agreement_over_relaxed_matches() -> None:
    gold = doc(
        c("E1", "T1", "increases", "T2", context=Context("mouse", "IL-2 KO", "in vitro")),
        c("E2", "T3", "decreases", "T4", hedged=True),
    )
    pred = doc(
        c("P1", "T1", "decreases", "T2", negated=True,
          context=Context("human", "IL-2 KO", "in vitro")),
        c("P2", "T3", "decreases", "T4"),
    )  # fmt: skip
    agreement = evaluate([gold], [pred]).claims.attribute_agreement
    assert agreement == {
        "negated": Counts(tp=1, fp=1),
        "hedged": Counts(tp=1, fp=1),
        "organism": Counts(tp=1, fp=1),
        "genotype": Counts(tp=2),
        "setting": Counts(tp=2),
        "cell_source": Counts(tp=2),
        "stimulus": Counts(tp=2),
    }


def test_missing_and_extra_documents() -> None:
    gold = [doc(GOLD_CLAIM, doc_id="a"), doc(GOLD_CLAIM, doc_id="b")]
    pred = [doc(GOLD_CLAIM, doc_id="a"), doc(GOLD_CLAIM, doc_id="z")]
    result = evaluate(gold, pred)
    assert result.documents_scored == ("a",)
    assert result.documents_missing == ("b",)
    assert result.documents_unscored == ("z",)
    assert result.claims.strict == Counts(1, 0, 1)
    assert total(result.entities_strict.values()) == Counts(5, 0, 5)
    assert result.as_dict()["documents"] == {
        "scored": 1,
        "missing_from_prediction": ["b"],
        "not_in_gold": ["z"],
    }


def test_gold_against_itself_scores_one_everywhere() -> None:
    gold = read_brat_dir(GOLD)
    report = evaluate(gold, gold).as_dict()
    for section in ("entities", "claims", "entities_overlap", "claims_relaxed"):
        assert (report[section]["precision"], report[section]["recall"], report[section]["f1"]) == (
            1.0,
            1.0,
            1.0,
        ), section
        assert report[section]["fp"] == report[section]["fn"] == 0
    mentions = sum(len(d.entities) for d in gold)
    claims = sum(len(d.claims) for d in gold)
    assert report["entities"]["tp"] == mentions > 900
    assert report["claims"]["tp"] == claims > 350
    assert all(v["strict"]["f1"] == 1.0 for v in report["entities_by_label"].values())
    assert all(v["f1"] == 1.0 for v in report["claims_by_predicate"].values())
    assert report["claims_by_rule"] == {"(none)": {"precision": 1.0, "tp": claims, "fp": 0}}
    assert {k: v["accuracy"] for k, v in report["claim_attribute_accuracy"].items()} == {
        "genotype": 1.0,
        "hedged": 1.0,
        "negated": 1.0,
        "organism": 1.0,
        "setting": 1.0,
        "cell_source": 1.0,
        "stimulus": 1.0,
    }


def test_removing_a_document_lowers_recall_only() -> None:
    gold = read_brat_dir(GOLD)
    pred = [d for d in gold if d.id != "il2-tcgf"]
    result = evaluate(gold, pred)
    entities = total(result.entities_strict.values())
    mentions = sum(len(d.entities) for d in gold)
    claims = sum(len(d.claims) for d in gold)
    # il2-tcgf holds 10 mentions and 5 claims; nothing else changes
    assert entities == Counts(mentions - 10, 0, 10)
    assert result.claims.strict == Counts(claims - 5, 0, 5)
    assert entities.precision == result.claims.strict.precision == 1.0
    assert entities.recall == pytest.approx((mentions - 10) / mentions)
    assert result.claims.strict.recall == pytest.approx((claims - 5) / claims)
    assert result.documents_missing == ("il2-tcgf",)


def test_error_report_lists_false_positives_and_negatives_with_sentences() -> None:
    # the gold claim stores no sentence bounds: the sentence around its trigger is used
    missed = Claim("E2", "T3", "decreases", "T4", negated=True, trigger_start=31, trigger_end=40)
    gold = doc(GOLD_CLAIM, missed)
    fp = Claim("P1", "T4", "affects", "T5", rule="r1", sentence_start=26, sentence_end=len(TEXT))
    pred = doc(c("P0", "T1", "increases", "T2"), fp)
    rows = error_report(evaluate([gold], [pred]))
    assert rows == [
        {
            "kind": "false_positive",
            "unit": "claim",
            "document": "d1",
            "subject": "IL-10",
            "predicate": "affects",
            "object": "mice",
            "negated": False,
            "rule": "r1",
            "sentence": "IL-4 decreases IL-10 in mice.",
        },
        {
            "kind": "false_negative",
            "unit": "claim",
            "document": "d1",
            "subject": "IL-4",
            "predicate": "decreases",
            "object": "IL-10",
            "negated": True,
            "rule": None,
            "sentence": "IL-4 decreases IL-10 in mice.",
        },
    ]


def test_error_report_lists_entity_misses_and_spurious_mentions() -> None:
    gold = doc(entities=(m("T1", "IL-2"), m("T2", "IFN-gamma")))
    pred = doc(entities=(m("T1", "IL-2"), m("T2", "IFN-gamma", "PROTEIN"), m("T3", "IL-4")))
    rows = [r for r in error_report(evaluate([gold], [pred])) if r["unit"] == "entity"]
    assert [(r["kind"], r["text"], r["label"]) for r in rows] == [
        ("false_negative", "IFN-gamma", "CYTOKINE"),
        ("false_positive", "IFN-gamma", "PROTEIN"),
        ("false_positive", "IL-4", "CYTOKINE"),
    ]
    assert rows[0]["sentence"] == "IL-2 increases IFN-gamma."


# ---------------------------------------------------------------------------------------------
# Properties over random small documents

RANDOM_TEXT = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
GOLD_LABELS = ("CYTOKINE", "PROTEIN", "CELL_TYPE")
GOLD_PREDICATES = ("increases", "decreases", "affects")


@st.composite
def documents(draw: st.DrawFn, doc_id: str = "r") -> Document:
    n = draw(st.integers(min_value=1, max_value=6))
    entities = []
    for index in range(n):
        start = draw(st.integers(min_value=0, max_value=len(RANDOM_TEXT) - 1))
        end = draw(st.integers(min_value=start + 1, max_value=min(len(RANDOM_TEXT), start + 8)))
        label = draw(st.sampled_from(GOLD_LABELS))
        concept = draw(st.sampled_from([None, None, "C:1", "C:2"]))
        entities.append(Mention(f"T{index}", start, end, RANDOM_TEXT[start:end], label, concept))
    claims = [
        Claim(
            f"E{index}",
            f"T{draw(st.integers(0, n - 1))}",
            draw(st.sampled_from(GOLD_PREDICATES)),
            f"T{draw(st.integers(0, n - 1))}",
            negated=draw(st.booleans()),
        )
        for index in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    return Document(doc_id, RANDOM_TEXT, tuple(entities), tuple(claims))


@given(documents())
def test_property_prediction_equal_to_gold_scores_one(document: Document) -> None:
    result = evaluate([document], [document])
    for counts in (
        total(result.entities_strict.values()),
        total(result.entities_overlap.values()),
        result.claims.strict,
        result.claims.relaxed,
    ):
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)
        assert counts.fp == counts.fn == 0


@given(documents(), documents(), st.integers(0, len(RANDOM_TEXT) - 5))
def test_property_adding_a_false_positive_never_raises_precision(
    gold: Document, pred: Document, start: int
) -> None:
    before = evaluate([gold], [pred])
    # SPECIES and `binds` never occur in gold, so these can only be false positives
    extra = Mention("X", start, start + 4, RANDOM_TEXT[start : start + 4], "SPECIES")
    more = Document(
        pred.id,
        pred.text,
        (*pred.entities, extra),
        (*pred.claims, Claim("EX", "X", "binds", pred.entities[0].id)),
    )
    after = evaluate([gold], [more])
    for old, new in (
        (total(before.entities_strict.values()), total(after.entities_strict.values())),
        (total(before.entities_overlap.values()), total(after.entities_overlap.values())),
        (before.claims.strict, after.claims.strict),
    ):
        assert new.precision <= old.precision
        assert (new.tp, new.fp, new.fn) == (old.tp, old.fp + 1, old.fn)


@given(documents(), documents())
def test_property_micro_total_pools_counts_over_labels(gold: Document, pred: Document) -> None:
    result = evaluate([gold], [pred])
    strict = total(result.entities_strict.values())
    gold_keys = Counter((e.start, e.end, e.label) for e in gold.entities)
    pred_keys = Counter((e.start, e.end, e.label) for e in pred.entities)
    tp = sum((gold_keys & pred_keys).values())
    assert strict == Counts(tp, len(pred.entities) - tp, len(gold.entities) - tp)
    assert strict == Counts(
        sum(v.tp for v in result.entities_strict.values()),
        sum(v.fp for v in result.entities_strict.values()),
        sum(v.fn for v in result.entities_strict.values()),
    )
    overlap = total(result.entities_overlap.values())
    assert overlap.tp + overlap.fp == len(pred.entities)
    assert overlap.tp + overlap.fn == len(gold.entities)
    assert overlap.tp >= strict.tp
    claims = result.claims.strict
    assert total(result.claims.by_predicate.values()) == claims
    assert claims.tp + claims.fp == len(pred.claims)
    assert claims.tp + claims.fn == len(gold.claims)
    assert result.claims.relaxed.tp >= claims.tp


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_property_f1_lies_between_precision_and_recall(tp: int, fp: int, fn: int) -> None:
    counts = Counts(tp, fp, fn)
    low, high = sorted((counts.precision, counts.recall))
    assert low - 1e-12 <= counts.f1 <= high + 1e-12
    if counts.precision + counts.recall > 0:
        harmonic = 2 * counts.precision * counts.recall / (counts.precision + counts.recall)
        assert counts.f1 == pytest.approx(harmonic)


@given(documents(), documents())
def test_property_f1_of_evaluations_lies_between_precision_and_recall(
    gold: Document, pred: Document
) -> None:
    result = evaluate([gold], [pred])
    for counts in (total(result.entities_strict.values()), result.claims.strict):
        low, high = sorted((counts.precision, counts.recall))
        assert low - 1e-12 <= counts.f1 <= high + 1e-12
