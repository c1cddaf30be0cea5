"""The entity recogniser beside the lexicon: merging, grounding, sources, split and training."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span
from typer.testing import CliRunner

import claimminer.pipeline  # noqa: F401 - registers the span extensions
from claimminer.cli import app
from claimminer.io import document_from_json, document_to_json
from claimminer.lexicon import default_lexicon
from claimminer.model import Document, Mention
from claimminer.pipeline import build_tokenizer
from claimminer.recogniser import Refusals, ground, merge_mentions
from claimminer.rules import default_cues
from claimminer.splits import split_documents, split_of
from claimminer.training.entity_corpus import GE11_TO_LABEL, JNLPBA_TO_LABEL, to_doc

NLP = spacy.blank("en")
NLP.tokenizer = build_tokenizer(NLP)
runner = CliRunner()


def doc_with(text: str, lexicon_spans: list[tuple[int, int, str]]):
    doc = NLP(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in lexicon_spans]
    return doc


def test_recogniser_a_span_the_lexicon_also_found_marks_it_both() -> None:
    doc = doc_with("IL-2 activates T cells", [(0, 1, "CYTOKINE")])
    merged = merge_mentions(doc, [(0, 1, "PROTEIN")], default_lexicon())
    assert [(e.text, e.label_, e._.source) for e in merged.ents] == [("IL-2", "CYTOKINE", "both")]


def test_recogniser_the_lexicon_keeps_its_label_and_boundaries() -> None:
    """A predicted span over a lexicon mention of another kind adds nothing."""
    doc = doc_with("Jurkat cells grow", [(0, 2, "CELL_LINE")])
    merged = merge_mentions(doc, [(0, 1, "PROTEIN")], default_lexicon())
    assert [(e.text, e.label_, e._.source) for e in merged.ents] == [
        ("Jurkat cells", "CELL_LINE", "lexicon"),
    ]  # fmt: skip


def test_recogniser_adds_what_the_lexicon_missed_grounded_when_it_can() -> None:
    doc = doc_with("zorbin binds IL-2 in human peripheral blood monocytes", [(2, 3, "CYTOKINE")])
    predicted = [(0, 1, "PROTEIN"), (4, 8, "CELL_TYPE"), (2, 3, "DNA")]
    merged = merge_mentions(doc, predicted, default_lexicon())
    found = {e.text: (e.label_, e.kb_id_ or None, e._.source) for e in merged.ents}
    assert found["zorbin"] == ("PROTEIN", None, "model")  # no concept: stays ungrounded
    label, concept, source = found["human peripheral blood monocytes"]
    assert (label, source) == ("CELL_TYPE", "model") and concept and concept.startswith("CL:")
    assert found["IL-2"][2] == "lexicon"  # a DNA prediction is dropped


def test_recogniser_a_longer_name_replaces_the_lexicon_prefix() -> None:
    """'IL-2 receptor beta chain' is not IL-2: the longer name wins, from the mention's start."""
    doc = doc_with("human IL-2 receptor beta chain binds", [(1, 2, "CYTOKINE")])
    merged = merge_mentions(doc, [(0, 5, "PROTEIN")], default_lexicon())
    [mention] = merged.ents
    assert (mention.text, mention._.source) == ("IL-2 receptor beta chain", "model")
    assert mention.kb_id_ != "HGNC:6001"  # never IL-2's concept


def test_recogniser_keeps_the_lexicon_left_boundary_and_its_concept() -> None:
    """Words before a name follow claimminer's closed modifier lists, not the recogniser."""
    doc = doc_with("serum TNF-alpha rose", [(1, 2, "CYTOKINE")])
    doc.ents = [Span(doc, 1, 2, label="CYTOKINE", kb_id="HGNC:11892")]
    merged = merge_mentions(doc, [(0, 2, "PROTEIN")], default_lexicon())
    assert [(e.text, e.kb_id_, e._.source) for e in merged.ents] == [
        ("TNF-alpha", "HGNC:11892", "both")
    ]


@pytest.mark.parametrize(
    ("text", "predicted"),
    [
        ("Th1 and Th2 cells", (0, 2, "CELL_TYPE")),  # a conjunction ends no name
        ("IL-2 ( CD25 )", (0, 4, "PROTEIN")),  # nor a bracket
        ("IL-2 , then", (0, 2, "PROTEIN")),
    ],
)
def test_recogniser_no_longer_name_over_a_conjunction_or_punctuation(text, predicted) -> None:
    doc = doc_with(text, [(0, 1, "CELL_TYPE" if text.startswith("Th1") else "CYTOKINE")])
    merged = merge_mentions(doc, [predicted], default_lexicon())
    assert [(e.start, e.end) for e in merged.ents] == [(0, 1)]


def test_recogniser_widens_a_class_of_lines_to_the_words_it_reads_before_it() -> None:
    doc = doc_with("in colon carcinoma cell lines", [(3, 5, "CELL_LINE")])
    merged = merge_mentions(doc, [(1, 5, "CELL_LINE")], default_lexicon())
    assert [(e.text, e.label_, e._.source) for e in merged.ents] == [
        ("colon carcinoma cell lines", "CELL_LINE", "model"),
    ]  # fmt: skip
    # never over a determiner
    doc = doc_with("in the cell lines", [(2, 4, "CELL_LINE")])
    assert [e.text for e in merge_mentions(doc, [(1, 4, "CELL_LINE")], default_lexicon()).ents] == [
        "cell lines"
    ]


def cell(doc, start: int, end: int, label: str, concept: str) -> Span:
    span = Span(doc, start, end, label=label, kb_id=concept)
    span._.concept_name = concept
    return span


@pytest.mark.parametrize(
    ("text", "mention", "predicted", "expected"),
    [
        # the describing words JNLPBA-style annotation counts as part of a cell's name
        ("in human Jurkat cells", (2, 4), (1, 4), "human Jurkat cells"),
        ("in resting T cells", (2, 4), (1, 4), "resting T cells"),
        # words the recogniser leaves out of a grounded name that keep its concept
        ("in activated T cells", (1, 4), (2, 4), "T cells"),
    ],
)
def test_recogniser_a_cell_takes_the_predicted_boundary_and_keeps_its_concept(
    text, mention, predicted, expected
) -> None:
    doc = NLP(text)
    label = "CELL_LINE" if "Jurkat" in text else "CELL_TYPE"
    concept = "CVCL_0065" if label == "CELL_LINE" else "CL:0000084"
    doc.ents = [cell(doc, *mention, label, concept)]
    [merged] = merge_mentions(doc, [(*predicted, label)], default_lexicon()).ents
    assert (merged.text, merged.label_, merged.kb_id_) == (expected, label, concept)
    assert (merged._.source, merged._.concept_name) == ("both", concept)


SPECIES_THEN_CELLS = [
    # a species word the recogniser reads into a kind of cell joins its name
    ("in rat peritoneal macrophages", "CELL_TYPE", "CL:0000235", ["rat peritoneal macrophages"]),
    ("in rat monocytic cell lines", "CELL_LINE", "", ["rat monocytic cell lines"]),
    # a named line is already of its species: the species stays its own mention
    ("in rat Jurkat cells", "CELL_LINE", "CVCL_0065", ["rat", "Jurkat cells"]),
]


@pytest.mark.parametrize(("text", "label", "concept", "expected"), SPECIES_THEN_CELLS)
def test_recogniser_a_species_word_joins_an_unnamed_kind_of_cell(
    text, label, concept, expected
) -> None:
    doc = NLP(text)  # "in", the species, then the cell mention to the end
    doc.ents = [Span(doc, 1, 2, label="SPECIES"), cell(doc, 2, len(doc), label, concept)]
    predicted = [(1, len(doc), label)]
    merged = merge_mentions(doc, predicted, default_lexicon(), Refusals.from_cues(default_cues()))
    assert [e.text for e in merged.ents] == expected
    assert merged.ents[-1].kb_id_ == concept


@pytest.mark.parametrize(
    ("text", "mentions", "predicted"),
    [
        # a narrower concept is never cut down to a broader one
        ("in conventional dendritic cells", [(1, 4, "CL:0000990")], (2, 4)),
        # a genotype word is the mice's context, not part of a name
        ("in wild-type macrophages", [(2, 3, "CL:0000235")], (1, 3)),
        # each side of a coordination stays an argument
        ("in monocytes / macrophages", [(1, 2, "CL:0000576"), (3, 4, "CL:0000235")], (1, 4)),
    ],
)
def test_recogniser_a_cell_keeps_its_boundary_where_the_prediction_would_lose_meaning(
    text, mentions, predicted
) -> None:
    doc = NLP(text)
    doc.ents = [cell(doc, start, end, "CELL_TYPE", concept) for start, end, concept in mentions]
    before = [(e.start, e.end) for e in doc.ents]
    merged = merge_mentions(
        doc, [(*predicted, "CELL_TYPE")], default_lexicon(), Refusals.from_cues(default_cues())
    )
    assert [(e.start, e.end) for e in merged.ents] == before


def test_recogniser_refuses_context_words_and_dna_names() -> None:
    refusals = Refusals.from_cues(default_cues())
    doc = doc_with("wild-type mice and the GATA-1 binding motifs and KO cells in D- and D+", [])
    predicted = [(0, 1, "PROTEIN"), (4, 7, "PROTEIN"), (8, 9, "PROTEIN"), (11, 14, "CELL_LINE")]
    assert list(merge_mentions(doc, predicted, default_lexicon(), refusals).ents) == []
    doc = doc_with("C57BL/6 and BALB/c mice", [])
    predicted = [(0, 3, "PROTEIN"), (4, 7, "PROTEIN")]
    assert [t.text for t in doc[:3]] == ["C57BL", "/", "6"]
    assert list(merge_mentions(doc, predicted, default_lexicon(), refusals).ents) == []
    doc = doc_with("Interleukin-2 knockout mice", [(0, 1, "CYTOKINE")])
    merged = merge_mentions(doc, [(0, 2, "PROTEIN")], default_lexicon(), refusals)
    assert [(e.text, e.label_) for e in merged.ents] == [("Interleukin-2", "CYTOKINE")]
    kept = merge_mentions(doc_with("zorbin acts", []), [(0, 1, "PROTEIN")],
                          default_lexicon(), refusals)  # fmt: skip
    assert [e.text for e in kept.ents] == ["zorbin"]


def test_recogniser_ground_reads_the_head_of_a_phrase() -> None:
    lexicon = default_lexicon()
    assert ground("activated NK cells", "CELL_TYPE", lexicon) is not None
    found = ground("interleukin 2", "PROTEIN", lexicon)
    assert found is not None and found.label == "CYTOKINE"
    assert ground("interleukin 2", "CELL_TYPE", lexicon) is None  # not a cell


def test_recogniser_source_round_trips_through_jsonl() -> None:
    document = Document("d", "IL-2 zorbin", (
        Mention("E1", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001", "IL2", "both"),
        Mention("E2", 5, 11, "zorbin", "PROTEIN", source="model"),
    ))  # fmt: skip
    record = document_to_json(document)
    assert [e["source"] for e in record["entities"]] == ["both", "model"]
    assert document_from_json(json.loads(json.dumps(record))) == document
    del record["entities"][0]["source"]  # written before the recogniser: the lexicon's
    assert document_from_json(record).entities[0].source == "lexicon"
    record["entities"][1]["source"] = "guess"
    with pytest.raises(ValueError, match="unknown source 'guess'"):
        document_from_json(record)


def test_recogniser_split_is_fixed_by_sorted_id() -> None:
    documents = [Document(f"d{n:02d}", "x") for n in range(25)]
    dev = split_documents(list(reversed(documents)), "dev")
    assert [d.id for d in dev] == ["d09", "d19"]
    assert [d.id for d in split_documents(documents, "tune")] == ["d08", "d18"]
    assert len(split_documents(documents, "train")) == 21
    assert len(split_documents(documents, "all")) == 25
    assert split_of(9) == "dev"
    with pytest.raises(ValueError, match="unknown split"):
        split_documents(documents, "test")


def test_recogniser_corpus_complete_and_partial_documents() -> None:
    text = "IL-2 acts on T cells."
    document = Document("d", text, (Mention("T1", 0, 4, "protein", "protein"),
                                    Mention("T2", 13, 20, "T cells", "cell_type")))  # fmt: skip
    counts: Counter[str] = Counter()
    complete = to_doc(NLP.make_doc, document, JNLPBA_TO_LABEL, True, counts)
    assert [(e.text, e.label_) for e in complete.ents] == [("IL-2", "PROTEIN"),
                                                           ("T cells", "CELL_TYPE")]  # fmt: skip
    assert complete[1].ent_iob_ == "O"
    partial = to_doc(NLP.make_doc, document, GE11_TO_LABEL, False, counts)
    assert [e.text for e in partial.ents] == []  # GE11 labels only Protein
    ge11 = Document("g", text, (Mention("T1", 0, 4, "IL-2", "Protein"),))
    partial = to_doc(NLP.make_doc, ge11, GE11_TO_LABEL, False, counts)
    assert [e.text for e in partial.ents] == ["IL-2"]
    assert partial[1].ent_iob_ == ""  # missing, not outside: GE11 does not annotate cells


def tiny_corpora(folder: Path) -> tuple[Path, Path]:
    jnlpba, ge11 = folder / "jnlpba", folder / "ge11"
    jnlpba.mkdir(parents=True)
    ge11.mkdir()
    text = "IL-2 activates T cells and Jurkat cells ."
    ann = "T1\tprotein 0 4\tIL-2\nT2\tcell_type 15 22\tT cells\nT3\tcell_line 27 39\tJurkat cells\n"
    for n in range(12):
        (jnlpba / f"{n:03d}.txt").write_text(text, encoding="utf-8")
        (jnlpba / f"{n:03d}.ann").write_text(ann, encoding="utf-8")
        (ge11 / f"PMID-{n}.txt").write_text(text, encoding="utf-8")
        (ge11 / f"PMID-{n}.a1").write_text("T1\tProtein 0 4\tIL-2\n", encoding="utf-8")
        (ge11 / f"PMID-{n}.a2").write_text("", encoding="utf-8")
    return jnlpba, ge11


def test_recogniser_train_a_few_steps_then_bench_the_dev_split(
    tmp_path: Path, tiny_training: list[str]
) -> None:
    """CI never trains a full model: a few steps on a tiny corpus prove the commands work."""
    jnlpba, ge11 = tiny_corpora(tmp_path / "corpora")
    out = tmp_path / "model"
    result = runner.invoke(app, [
        "train", "entities", "--jnlpba", str(jnlpba), "--ge11", str(ge11), "-o", str(out),
        *tiny_training,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["documents"] == {"jnlpba train": 10, "jnlpba tune": 1, "jnlpba dev": 1,
                                   "ge11 train": 10, "ge11 tune": 1, "ge11 dev": 1}  # fmt: skip
    scores = tmp_path / "jnlpba.json"
    result = runner.invoke(app, [
        "bench", "jnlpba", str(jnlpba), "--split", "dev", "--recogniser", str(out / "model-best"),
        "--syntax", "none", "--json", str(scores),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["documents"] == 1
    assert set(data["predicted_by_source"]) <= {"lexicon", "model", "both"}


def test_recogniser_a_name_no_lexicon_lists_becomes_a_claim_argument_and_a_node(extract) -> None:
    """The shipped recogniser finds a made-up protein; a claim and the network use it."""
    from claimminer.network import build_network

    document = extract("IL-4 induced the expression of Kramin-2 in B cells.")
    found = {m.text: m for m in document.entities}
    assert found["Kramin-2"].source == "model" and found["Kramin-2"].concept_id is None
    assert found["IL-4"].source == "both"
    entities = document.entity_index()
    claims = {(entities[c.subject].text, c.predicate, entities[c.object].text)
              for c in document.claims}  # fmt: skip
    assert ("IL-4", "increases", "Kramin-2") in claims
    graph = build_network([document])
    assert "text:kramin-2" in graph.nodes


def test_recogniser_a_describing_phrase_is_no_claim_argument(extract_accurate) -> None:
    """BZLF9 is a made-up viral gene name; the separate recogniser finds it and "viral protein"
    (which made-up names a model finds differs from model to model)."""
    text = "The viral protein BZLF9 induced IL-6 secretion by human monocytes."
    document = extract_accurate(text)
    entities = document.entity_index()
    arguments = {entities[c.subject].text for c in document.claims} | {
        entities[c.object].text for c in document.claims
    }
    assert {"viral protein", "BZLF9"} <= {e.text for e in document.entities}
    assert "viral protein" not in arguments
    assert "BZLF9" in arguments


def test_recogniser_an_apposition_after_a_determiner_describes_the_name() -> None:
    doc = doc_with("bind a common receptor, IFNAR", [])
    doc.ents = [Span(doc, 5, 6, label="PROTEIN", kb_id="FPLX:IFNAR")]
    merged = merge_mentions(doc, [(2, 4, "PROTEIN")], default_lexicon())
    describing = {e.text: e._.describes_other for e in merged.ents}
    assert describing == {"common receptor": True, "IFNAR": False}
    listed = merge_mentions(doc_with("zorbin, kramin and IL-2", []),
                            [(0, 1, "PROTEIN"), (2, 3, "PROTEIN")], default_lexicon())  # fmt: skip
    assert not any(e._.describes_other for e in listed.ents)  # a list, not a description


def test_recogniser_a_missing_or_wrong_model_is_a_one_line_error(tmp_path: Path) -> None:
    from claimminer.errors import ClaimMinerError
    from claimminer.recogniser import load_recogniser
    from claimminer.syntax import shipped_accurate_model_path

    with pytest.raises(ClaimMinerError, match="no trained entity recogniser"):
        load_recogniser(str(tmp_path))
    with pytest.raises(ClaimMinerError, match="the pipeline has no ner"):
        load_recogniser(str(shipped_accurate_model_path()))  # a parser, not a recogniser
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "o.jsonl"),
                                 "--recogniser", str(tmp_path / "none-here")])  # fmt: skip
    assert result.exit_code != 0
    assert "no trained entity recogniser" in result.output
