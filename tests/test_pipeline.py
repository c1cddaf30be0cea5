from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from claimminer.errors import ClaimMinerError
from claimminer.model import Document
from claimminer.pipeline import (
    CLAIMS_COMPONENT,
    ENTITY_COMPONENT,
    TOKENIZER_NAME,
    build_pipeline,
    build_tokenizer,
    process,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("IL-2-mediated", ["IL-2", "-", "mediated"]),
        ("IFN-γ-producing", ["IFN-γ", "-", "producing"]),
        ("IL-2/IL-15", ["IL-2", "/", "IL-15"]),
        ("Con A-induced", ["Con", "A", "-", "induced"]),
        ("T-cell", ["T-cell"]),
        ("down-regulated", ["down-regulated"]),
        ("IL-2-/-", ["IL-2", "-/-"]),
        ("IL-10+/+", ["IL-10", "+/+"]),
        ("of NF-kappa B.", ["of", "NF-kappa", "B", "."]),
        ("of NF-kappaB.", ["of", "NF-kappaB", "."]),
        ("IL-12-driven", ["IL-12", "-", "driven"]),
        ("a Ph.D. thesis", ["a", "Ph.D.", "thesis"]),
    ],
)
def test_pipeline_tokenizer_splits_modifiers_and_lists(nlp, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp.tokenizer(text)] == tokens


def entities(document: Document) -> list[tuple[str, str, str | None]]:
    return [(e.text, e.label, e.concept_id) for e in document.entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IL-2-mediated proliferation", ("IL-2", "CYTOKINE", "HGNC:6001")),
        ("IFN-γ-producing cells", ("IFN-γ", "CYTOKINE", "HGNC:5438")),
        ("Interleukin (IL)-2 knockout mice", ("Interleukin (IL)-2", "CYTOKINE", "HGNC:6001")),
        ("more interferon (IFN)-gamma than", ("interferon (IFN)-gamma", "CYTOKINE", "HGNC:5438")),
        ("natural killer (NK) cells", ("natural killer (NK) cells", "CELL_TYPE", "CL:0000623")),
        ("by activated T-cells.", ("activated T-cells", "CELL_TYPE", "CL:0000084")),
        ("by mature T lymphocytes.", ("mature T lymphocytes", "CELL_TYPE", "CL:0002419")),
        ("by CD4+ T-helper cells.", ("CD4+ T-helper cells", "CELL_TYPE", "CL:0000492")),
        ("certain T-cell lymphoma cell lines.", ("T-cell lymphoma cell lines", "CELL_LINE", None)),
        ("Con A-induced proliferation", ("Con A", "CHEMICAL", "CHEBI:232423")),
    ],
)
def test_pipeline_finds_and_grounds_seed_mentions(extract, text: str, expected) -> None:
    assert expected in entities(extract(text))


def test_pipeline_hyphenated_compound_is_not_a_cell_modifier(extract) -> None:
    found = entities(extract("produced by lectin- or antigen-activated T cells."))
    assert ("T cells", "CELL_TYPE", "CL:0000084") in found


def test_pipeline_abbreviation_takes_long_form_grounding(extract) -> None:
    document = extract(
        "Mice were given 1,25-dihydroxyvitamin D(3) (1,25D3). Later 1,25D3 was withdrawn."
    )
    short_forms = [e for e in document.entities if e.text == "1,25D3"]
    assert len(short_forms) == 2
    assert {e.concept_id for e in short_forms} == {"CHEBI:17823"}


def test_pipeline_scispacy_abbreviation_defines_unknown_short_form(extract) -> None:
    document = extract("We studied macrophage migration inhibitory factor (MMIF). MMIF rose.")
    assert [e.concept_id for e in document.entities if e.text == "MMIF"] == ["HGNC:7097"] * 2


def test_pipeline_offsets_point_into_the_text(extract, corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        document = extract(path.read_text(encoding="utf-8"), path.stem)
        assert document.entities
        for mention in document.entities:
            assert document.text[mention.start : mention.end] == mention.text
        ids = {m.id for m in document.entities}
        for claim in document.claims:
            assert {claim.subject, claim.object} <= ids
            assert claim.sentence_start < claim.sentence_end


def test_pipeline_a_genus_initial_ends_no_sentence(extract) -> None:
    text = "Macrophages infected with E. coli produced IL-12. Others got vitamin D. They died."
    document = extract(text)
    assert len(document.claims) == 1, document.claims
    claim = document.claims[0]
    assert text[claim.sentence_start : claim.sentence_end] == text.split(" Others")[0]


def test_pipeline_title_line_is_its_own_sentence(extract) -> None:
    document = extract("IL-2 is a target of vitamin D\n\nIL-10 knockout mice were used.")
    claims = document.claims
    assert claims and all(c.context.genotype is None for c in claims)


def test_pipeline_same_input_same_output(extract) -> None:
    text = "IL-12 induces IFN-gamma in NK cells, but IL-10 inhibits IL-12."
    assert extract(text) == extract(text)


def test_pipeline_tokenizer_keeps_english_and_scispacy_special_cases() -> None:
    """Built without English's own tokenizer, it still has every special case scispaCy's has."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    english = spacy.blank("en")
    reference = combined_rule_tokenizer(english)
    ours = build_tokenizer(english)
    assert ours.rules == reference.rules
    assert "Ph.D." in ours.rules and "e.g." in ours.rules
    blank = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    assert blank.tokenizer.rules == reference.rules
    text = "IL-2-mediated IFN-γ-producing cells (e.g. NK cells) don't respond, cf. Fig. 2."
    assert [t.text for t in blank(text)] == [t.text for t in ours(text)]


def test_pipeline_built_for_the_process_is_frozen_out_of_the_collector() -> None:
    import gc

    gc.unfreeze()
    try:
        build_pipeline(syntax="none", recogniser="none", for_process=True)
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_pipeline_components_are_registered(nlp) -> None:
    assert ENTITY_COMPONENT in nlp.pipe_names
    assert CLAIMS_COMPONENT in nlp.pipe_names


def test_pipeline_model_path_loads_an_installed_pipeline(tmp_path: Path) -> None:
    """A small pipeline built here stands in for a trained one: it has its own sentencizer."""
    base = spacy.blank("en")
    base.add_pipe("sentencizer")
    base.to_disk(tmp_path / "tiny")
    nlp = build_pipeline(str(tmp_path / "tiny"))
    assert nlp.pipe_names.count("sentencizer") == 1
    assert nlp.pipe_names[-1] == CLAIMS_COMPONENT
    # a pipeline without a parser gets claimminer's: the syntax rule reads the claim
    assert "claimminer_syntax" in nlp.pipe_names
    document = next(process(nlp, [Document("d", "IL-12 strongly induces IFN-gamma.")]))
    assert [(c.predicate, c.rule) for c in document.claims] == [("increases", "syntax_active_verb")]
    surface = build_pipeline(str(tmp_path / "tiny"), syntax="none")
    document = next(process(surface, [Document("d", "IL-12 strongly induces IFN-gamma.")]))
    assert [(c.predicate, c.rule) for c in document.claims] == [("increases", "increases_active")]


def test_pipeline_model_with_parser_keeps_its_sentences(tmp_path: Path) -> None:
    """With a sentence recogniser, line breaks are marked before it and no sentencizer added."""
    base = spacy.blank("en")
    base.add_pipe("senter")
    doc = base.make_doc("IL-2 acts. IL-10 acts.")
    examples = [Example.from_dict(doc, {"sent_starts": [1, 0, 0, 1, 0, 0]})]
    optimizer = base.initialize(lambda: examples)
    for _ in range(5):
        base.update(examples, sgd=optimizer)
    base.to_disk(tmp_path / "with-senter")
    nlp = build_pipeline(str(tmp_path / "with-senter"))
    assert "sentencizer" not in nlp.pipe_names
    assert nlp.pipe_names.index("claimminer_line_breaks") < nlp.pipe_names.index("senter")
    doc = nlp("A title about IL-2\n\nIL-12 induces IFN-gamma.")
    assert any(sentence.text.startswith("IL-12") for sentence in doc.sents)


def test_pipeline_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ClaimMinerError, match="cannot load spaCy pipeline 'no-such-model'"):
        build_pipeline("no-such-model")


def test_pipeline_seed_mentions_match_gold_spans_labels_and_concepts(
    extract, gold_dir: Path
) -> None:
    """Every seed mention is found with the gold's span, label and concept (issue 3)."""
    from claimminer.brat import read_brat_dir

    seed = ("bemiss2002", "il2-overview", "il2-tcgf")
    for gold in (d for d in read_brat_dir(gold_dir) if d.id in seed):
        predicted = {(m.start, m.end): m for m in extract(gold.text, gold.id).entities}
        for mention in gold.entities:
            found = predicted.get((mention.start, mention.end))
            assert found is not None, (gold.id, mention.text)
            assert (found.label, found.concept_id) == (mention.label, mention.concept_id)


def test_pipeline_a_model_with_its_own_parser_feeds_the_syntax_rules(
    nlp_surface, tmp_path: Path
) -> None:
    """A tiny tagger and parser trained here stand in for a user's installed pipeline.

    The surface rules' skips do not reach across the ten-token apposition between subject and
    trigger; the syntax rules read the subject from the user's parse, on every sentence.
    """
    words = ["IL-12", ",", "a", "cytokine", "made", "very", "early", "in", "the", "infection",
             ",", "induces", "IL-10", "."]  # fmt: skip
    heads = [11, 0, 3, 0, 3, 6, 4, 4, 9, 7, 0, 11, 11, 11]
    deps = ["nsubj", "punct", "det", "appos", "acl", "advmod", "advmod", "prep", "det", "pobj",
            "punct", "ROOT", "dobj", "punct"]  # fmt: skip
    tags = ["NN", ",", "DT", "NN", "VBN", "RB", "RB", "IN", "DT", "NN", ",", "VBZ", "NN", "."]
    base = spacy.blank("en")
    base.add_pipe("tagger")
    parser = base.add_pipe("parser")
    for dep in set(deps):
        parser.add_label(dep)  # type: ignore[attr-defined]
    doc = base.make_doc(" ".join(words))
    examples = [Example.from_dict(doc, {"heads": heads, "deps": deps, "tags": tags})]
    optimizer = base.initialize(lambda: examples)
    for _ in range(80):
        base.update(examples, sgd=optimizer)
    base.to_disk(tmp_path / "with-parser")

    sentence = " ".join(words)
    assert next(process(nlp_surface, [Document("d", sentence)])).claims == ()
    parsed = build_pipeline(str(tmp_path / "with-parser"))
    assert "parser" in parsed.pipe_names and "claimminer_syntax" not in parsed.pipe_names
    claims = next(process(parsed, [Document("d", sentence)])).claims
    assert [(c.predicate, c.rule) for c in claims] == [("increases", "syntax_active_verb")]


def test_pipeline_chunks_in_memory_zones_give_the_same_documents(nlp, monkeypatch) -> None:
    """Results made inside spaCy's memory zones outlive them and do not depend on the chunks."""
    import weakref

    import claimminer.pipeline as pipeline_module

    texts = [f"IL-{n} induces IFN-gamma in NK cells." for n in (2, 4, 10, 12, 15)]
    documents = [Document(str(i), text) for i, text in enumerate(texts)]
    whole = list(process(nlp, documents))
    monkeypatch.setattr(pipeline_module, "MEMORY_ZONE_DOCUMENTS", 2)
    monkeypatch.setattr(pipeline_module, "WARM_UP_DOCUMENTS", 2)
    monkeypatch.setattr(pipeline_module, "_documents_outside_zones", weakref.WeakKeyDictionary())
    zones = []
    memory_zone = nlp.memory_zone

    def counted_zone():  # type: ignore[no-untyped-def]
        zones.append(len(zones))
        return memory_zone()

    monkeypatch.setattr(nlp, "memory_zone", counted_zone)
    chunked = list(process(nlp, documents))
    assert chunked == whole
    assert len(zones) == 2, "the first of three chunks fills the tokenizer's cache, outside"
    assert list(process(nlp, documents)) == whole
    assert len(zones) == 5, "a pipeline warms up once, not at every call"
    assert [len(d.claims) for d in chunked] == [1] * 5
    assert chunked[-1].entities[0].text == "IL-15"


def test_pipeline_a_text_ending_in_the_start_of_a_longer_name(extract) -> None:
    """'IFN-gamma' at the very end, where 'IFN-gamma receptor' is also a name: the lookup
    once read the two-token slice past the end as a match and crashed (found by fuzzing)."""
    document = extract("Cells were treated with IFN-gamma")
    assert [(m.text, m.concept_id) for m in document.entities][-1] == ("IFN-gamma", "HGNC:5438")


def test_pipeline_a_text_longer_than_max_length_goes_through_in_pieces(nlp) -> None:
    """Offsets stay right across the pieces; the result equals the short texts' results."""
    from claimminer.pipeline import split_long_text

    sentence = "IL-12 strongly induces IFN-gamma in NK cells. "
    text = sentence * 40
    saved = nlp.max_length
    nlp.max_length = 300  # spaCy's default is 1,000,000 characters; the logic is the same
    try:
        (long_document,) = process(nlp, [Document("long", text)])
    finally:
        nlp.max_length = saved
    assert len(split_long_text(text, 300)) > 1
    assert all(len(piece) <= 300 for _, piece in split_long_text(text, 300))
    assert long_document.text == text
    for mention in long_document.entities:
        assert text[mention.start : mention.end] == mention.text
    assert len(long_document.entities) == 3 * 40 and len(long_document.claims) == 40
    ids = {m.id for m in long_document.entities}
    assert all(c.subject in ids and c.object in ids for c in long_document.claims)
    assert len(ids) == len(long_document.entities)
    last = long_document.claims[-1]
    assert text[last.trigger_start : last.trigger_end] == "induces"
