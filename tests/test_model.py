from __future__ import annotations

import pytest

from claimminer.model import Claim, Context, Document, Mention, claim_key, concept_key


def mention(
    start: int, end: int, *, id: str = "T1", text: str = "x", concept_id: str | None = None
) -> Mention:
    return Mention(id, start, end, text, "CYTOKINE", concept_id)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 5), (5, 10), False),  # touching, no shared character
        ((0, 5), (4, 10), True),
        ((2, 4), (0, 10), True),  # contained
        ((0, 10), (2, 4), True),
        ((3, 4), (3, 4), True),
        ((0, 3), (7, 9), False),
    ],
)
def test_overlaps_requires_a_shared_character(
    a: tuple[int, int], b: tuple[int, int], expected: bool
) -> None:
    first, second = mention(*a), mention(*b)
    assert first.overlaps(second) is expected
    assert second.overlaps(first) is expected


def test_context_as_dict_keeps_only_stated_fields() -> None:
    assert Context().as_dict() == {}
    assert Context(organism="mouse", setting="in vitro").as_dict() == {
        "organism": "mouse",
        "setting": "in vitro",
    }
    assert Context(genotype="").as_dict() == {}


def test_context_from_mapping_ignores_unknown_keys_and_drops_empty_values() -> None:
    context = Context.from_mapping(
        {"organism": "human", "genotype": None, "setting": "", "dose": "10 ng/ml"}
    )
    assert context == Context(organism="human", genotype=None, setting=None)


def test_context_round_trips_through_as_dict() -> None:
    context = Context("rat", "IL-2 KO", "ex vivo")
    assert Context.from_mapping(context.as_dict()) == context


def test_concept_key_prefers_concept_id_else_normalised_text() -> None:
    assert concept_key(mention(0, 4, text="IL-2", concept_id="HGNC:6001")) == "HGNC:6001"
    assert concept_key(mention(0, 9, text="  Foo\n Bar ")) == "text:foo bar"


def _document() -> Document:
    text = "IL-2 raises IFN-gamma; Foo Bar needs foo  bar."
    entities = (
        Mention("T1", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001"),
        Mention("T2", 12, 21, "IFN-gamma", "CYTOKINE", "HGNC:5438"),
        Mention("T3", 23, 30, "Foo Bar", "PROTEIN"),
        Mention("T4", 37, 45, "foo  bar", "PROTEIN"),
    )
    claims = (
        Claim("E1", "T1", "increases", "T2"),
        Claim("E2", "T3", "required_for", "T4", negated=True),
    )
    return Document("d1", text, entities, claims)


def test_claim_key_uses_concept_ids_for_grounded_arguments() -> None:
    document = _document()
    assert claim_key(document, document.claims[0]) == (
        "HGNC:6001",
        "increases",
        "HGNC:5438",
        False,
    )


def test_claim_key_case_folds_ungrounded_arguments() -> None:
    document = _document()
    assert claim_key(document, document.claims[1]) == (
        "text:foo bar",
        "required_for",
        "text:foo bar",
        True,
    )


def test_document_entity_finds_by_id_and_raises_key_error_otherwise() -> None:
    document = _document()
    assert document.entity("T3").text == "Foo Bar"
    assert document.entity_index()["T2"].concept_id == "HGNC:5438"
    with pytest.raises(KeyError, match="T9"):
        document.entity("T9")
