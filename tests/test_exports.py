"""Exports for other tools, read back by those tools' own libraries.

INDRA Statements are checked by INDRA (its schema, `stmts_from_json`) in an environment of
their own; CX2 by NDEx's client `ndex2`; BioC by the `bioc` package and by claimminer itself.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import bioc
import pytest
from bioc import biocjson, biocxml
from ndex2.cx2 import RawCX2NetworkFactory
from typer.testing import CliRunner

from claimminer.cli import app
from claimminer.exports.bioc import bioc_json, bioc_xml
from claimminer.exports.indra import indra_refs, statement_type, statements, taxa_of
from claimminer.formats import place_passages, read_documents
from claimminer.io import read_jsonl
from claimminer.model import Claim, Context, Document, Mention
from claimminer.network import build_network

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """`claimminer run corpus` (the default pipeline) and its three exports."""
    out = tmp_path_factory.mktemp("run")
    assert invoke("run", corpus_dir, "--out", out).exit_code == 0
    claims = out / "claims.jsonl"
    for args in (("export", claims, "--format", "indra", "-o", out / "statements.json"),
                 ("export", claims, "--format", "bioc", "-o", out / "collection.xml"),
                 ("export", claims, "--format", "bioc", "-o", out / "collection.json"),
                 ("network", claims, "--format", "cx2", "-o", out / "network.cx2")):  # fmt: skip
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def documents(run_dir: Path) -> list[Document]:
    return read_jsonl(run_dir / "claims.jsonl")


def test_exports_indra_one_statement_per_claim_with_evidence(
    run_dir: Path, documents: list[Document]
) -> None:
    written = json.loads((run_dir / "statements.json").read_text(encoding="utf-8"))
    claims = [(document, claim) for document in documents for claim in document.claims]
    assert len(written) == len(claims) > 300
    for found, (document, claim) in zip(written, claims, strict=True):
        evidence = found["evidence"][0]
        assert evidence["source_api"] == "claimminer"
        assert evidence["epistemics"]["negated"] is claim.negated
        assert evidence["epistemics"]["hypothesis"] is claim.hedged
        assert evidence["annotations"]["claim"] == claim.id
        sentence = document.text[claim.sentence_start : claim.sentence_end]
        assert evidence["text"] == " ".join(sentence.split())
    assert len({found["id"] for found in written}) == len(written)
    assert {s["type"] for s in written} >= {"IncreaseAmount", "Activation", "Complex"}


def test_exports_indra_read_back_by_indra(run_dir: Path, documents: list[Document]) -> None:
    """INDRA's own schema and reader; needs a Python with INDRA (`.ci/run` makes one)."""
    python = os.environ.get("CLAIMMINER_INDRA_PYTHON")
    if not python:
        if os.environ.get("CI"):
            pytest.fail("CI must check the statements with INDRA: CLAIMMINER_INDRA_PYTHON unset")
        pytest.skip("set CLAIMMINER_INDRA_PYTHON to a Python with indra and jsonschema")
    checker = ROOT / "tests" / "interop" / "check_indra.py"
    command = [python, str(checker), str(run_dir / "statements.json")]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    claims = sum(len(document.claims) for document in documents)
    assert report["schema_errors"] == []
    assert report["written"] == report["read_back"] == claims
    assert report["invalid"] == 0
    assert report["groundings_intact"] and report["epistemics_intact"]
    assert report["negated"] == sum(c.negated for d in documents for c in d.claims)
    assert "mouse:10090" in report["species"]  # the claim's organism as INDRA's BioContext


def test_exports_indra_groundings_use_indra_namespaces() -> None:
    uniprot = {"HGNC:6001": "P60568"}
    assert indra_refs("HGNC:6001", uniprot) == {"HGNC": "6001", "UP": "P60568"}
    assert indra_refs("HGNC:5438", uniprot) == {"HGNC": "5438"}
    assert indra_refs("FPLX:IFNA", {}) == {"FPLX": "IFNA"}
    assert indra_refs("UniProt:P03230", {}) == {"UP": "P03230"}
    assert indra_refs("CHEBI:2038", {}) == {"CHEBI": "CHEBI:2038"}
    assert indra_refs("CL:0000084", {}) == {"CL": "CL:0000084"}
    assert indra_refs("MONDO:0005011", {}) == {"MONDO": "0005011"}
    assert indra_refs("MESH:D010835", {}) == {"MESH": "D010835"}
    assert indra_refs("NCBITaxon:10090", {}) == {"TAXONOMY": "10090"}
    assert indra_refs("CVCL_0065", {}) == {"CVCL": "CVCL_0065"}
    assert indra_refs("XYZ:1", {}) == {} and indra_refs(None, {}) == {}


@pytest.mark.parametrize(
    ("predicate", "trigger", "label", "expected"),
    [
        ("increases", "induced", "CYTOKINE", ("IncreaseAmount", None)),
        ("increases", "activates", "PROTEIN", ("Activation", None)),
        ("decreases", "inhibited", "CYTOKINE", ("DecreaseAmount", None)),
        ("decreases", "suppressed", "CELL_TYPE", ("Inhibition", None)),
        ("increases", "aggravated", "DISEASE", ("Influence", 1)),
        ("affects", "modulates", "CYTOKINE", ("Influence", None)),
        ("binds", "binds", "PROTEIN", ("Complex", None)),
        ("produces", "produce", "CYTOKINE", ("IncreaseAmount", None)),
        ("required_for", "required", "CELL_TYPE", ("Activation", None)),
    ],
)
def test_exports_indra_statement_type_follows_predicate_and_object(
    predicate: str, trigger: str, label: str, expected: tuple[str, int | None]
) -> None:
    text = f"X {trigger} Y."
    subject = Mention("E1", 0, 1, "X", "PROTEIN")
    object_ = Mention("E2", len(text) - 2, len(text) - 1, "Y", label)
    claim = Claim("C1", "E1", predicate, "E2", trigger_start=2, trigger_end=2 + len(trigger),
                  sentence_end=len(text))  # fmt: skip
    document = Document(id="12345", text=text, entities=(subject, object_), claims=(claim,))
    assert statement_type(document.claims[0], document) == expected
    (found,) = statements([document], {})
    assert found["type"] == expected[0]
    assert found["evidence"][0]["pmid"] == "12345"


def test_exports_indra_evidence_names_the_species_of_the_claim() -> None:
    text = "IL-10 inhibits TNF."
    mentions = (Mention("E1", 0, 5, "IL-10", "CYTOKINE", "HGNC:5962", "IL10"),
                Mention("E2", 15, 18, "TNF", "CYTOKINE", "HGNC:11892", "TNF"))  # fmt: skip
    mouse = Claim("C1", "E1", "decreases", "E2", context=Context(organism="mouse"), sentence_end=19)
    frog = Claim("C2", "E1", "decreases", "E2", context=Context(organism="frog"), sentence_end=19)
    document = Document("PMID:42", text, mentions, (mouse, frog))
    taxa = taxa_of({"NCBITaxon:10090": "mouse", "NCBITaxon:9606": "human"})
    first, second = statements([document], {}, taxa)
    species = first["evidence"][0]["context"]["species"]
    assert species == {"name": "mouse", "db_refs": {"TAXONOMY": "10090"}}
    assert "context" not in second["evidence"][0]  # an organism without a taxon: none
    assert first["evidence"][0]["pmid"] == "42"
    assert first["subj"] == {"name": "IL10", "db_refs": {"TEXT": "IL-10", "HGNC": "5962"}}


def test_exports_cx2_read_by_ndex2_with_every_node_and_edge(run_dir: Path, documents) -> None:
    aspects = json.loads((run_dir / "network.cx2").read_text(encoding="utf-8"))
    network = RawCX2NetworkFactory().get_cx2network(copy.deepcopy(aspects))
    graph = build_network(documents)
    assert len(network.get_nodes()) == graph.number_of_nodes() > 50
    assert len(network.get_edges()) == graph.number_of_edges() > 100
    names = {node["v"]["name"]: node["v"] for node in network.get_nodes().values()}
    assert names["IL2"]["concept_id"] == "HGNC:6001" and names["IL2"]["type"] == "CYTOKINE"
    interactions = {edge["v"]["interaction"] for edge in network.get_edges().values()}
    assert {"increases", "decreases", "produces"} <= interactions
    edge = next(iter(network.get_edges().values()))["v"]
    assert isinstance(edge["documents"], list) and isinstance(edge["score"], float)
    style = network.get_visual_properties()
    assert style["nodeMapping"]["NODE_LABEL"]["definition"]["attribute"] == "name"
    again = network.to_cx2()
    assert RawCX2NetworkFactory().get_cx2network(copy.deepcopy(again)).to_cx2() == again


@pytest.mark.parametrize(
    ("name", "module"), [("collection.xml", biocxml), ("collection.json", biocjson)]
)
def test_exports_bioc_read_by_the_bioc_package(
    run_dir: Path, documents: list[Document], name: str, module
) -> None:
    with (run_dir / name).open(encoding="utf-8") as handle:
        collection = module.load(handle)
    bioc.validate(collection)  # annotation text at its offsets, relation nodes that exist
    assert [d.id for d in collection.documents] == [d.id for d in documents]
    for read, document in zip(collection.documents, documents, strict=True):
        annotations = {a.id: a for p in read.passages for a in p.annotations}
        annotations |= {a.id: a for a in read.annotations}
        assert len(annotations) == len(document.entities)
        for mention in document.entities:
            found = annotations[mention.id]
            assert (found.total_span.offset, found.total_span.end) == (mention.start, mention.end)
            assert found.infons["type"] == mention.label
            assert found.infons.get("identifier") == mention.concept_id
        assert len(read.relations) == len(document.claims)
        for relation, claim in zip(read.relations, document.claims, strict=True):
            assert [(n.refid, n.role) for n in relation.nodes] == [
                (claim.subject, "subject"), (claim.object, "object")]  # fmt: skip
            assert relation.infons["type"] == claim.predicate
            assert relation.infons["negated"] == str(claim.negated).lower()


@pytest.mark.parametrize("name", ["collection.xml", "collection.json"])
def test_exports_bioc_read_by_claimminer_gives_the_same_text_and_offsets(
    run_dir: Path, documents: list[Document], name: str, tmp_path: Path
) -> None:
    read = list(read_documents(run_dir / name))
    assert [(d.id, d.text) for d in read] == [(d.id, d.text) for d in documents]
    again = tmp_path / "again.jsonl"
    assert invoke("extract", run_dir / name, "-o", again).exit_code == 0
    spans = [[(m.start, m.end, m.label, m.concept_id) for m in d.entities] for d in documents]
    assert [[(m.start, m.end, m.label, m.concept_id) for m in d.entities]
            for d in read_jsonl(again)] == spans  # fmt: skip


@pytest.mark.parametrize("suffix", [".xml", ".json"])
def test_exports_bioc_keeps_windows_line_ends_and_blank_lines(tmp_path: Path, suffix: str) -> None:
    text = "IL-2 drives T cells.\r\n\r\n  IL-10 inhibits TNF.\r\n"
    document = Document("crlf", text, (Mention("E1", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001"),))
    path = tmp_path / f"c{suffix}"
    path.write_text((bioc_xml if suffix == ".xml" else bioc_json)([document]), encoding="utf-8")
    (read,) = read_documents(path)
    assert read.text == text


def test_exports_bioc_passages_are_placed_at_their_offsets() -> None:
    assert place_passages([(0, "Title"), (6, "Abstract.")]) == "Title\nAbstract."
    assert place_passages([(0, "a"), (3, "b")], "5") == "a\n\nb\n"
    assert place_passages([(0, "a"), (None, "b")]) is None  # no offset: joined by the caller
    assert place_passages([(0, "abc"), (1, "b")]) is None  # overlapping


def test_exports_read_a_mine_run_folder_as_well(run_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    (folder / "shards").mkdir(parents=True)
    (folder / "shards" / "a.jsonl").write_bytes((run_dir / "claims.jsonl").read_bytes())
    out = tmp_path / "statements.json"
    assert invoke("export", folder, "--format", "indra", "-o", out).exit_code == 0
    assert out.read_bytes() == (run_dir / "statements.json").read_bytes()


def test_exports_bioc_needs_a_known_suffix(run_dir: Path, tmp_path: Path) -> None:
    result = invoke(
        "export", run_dir / "claims.jsonl", "--format", "bioc", "-o", tmp_path / "x.txt"
    )
    assert result.exit_code == 1
    assert "a BioC file ends in .xml or .json" in result.stderr


LATIN_TEXT = (
    "In naïve CD4+ T cells from Müller's IL-10 knockout mice, IL-2 at 10 µg/ml induced "
    "IFN-gamma production at 37 °C. IL-10 inhibited TNF-alpha release by macrophages."
)


def test_encoding_a_latin1_file_gives_the_claims_of_its_utf8_twin(tmp_path: Path) -> None:
    (tmp_path / "utf8").mkdir()
    (tmp_path / "latin").mkdir()
    (tmp_path / "utf8" / "doc.txt").write_text(LATIN_TEXT, encoding="utf-8")
    (tmp_path / "latin" / "doc.txt").write_bytes(LATIN_TEXT.encode("latin-1"))
    refused = invoke("extract", tmp_path / "latin", "-o", tmp_path / "r.jsonl")
    assert refused.exit_code == 1
    assert (
        "not UTF-8 text (byte 5; Latin-1 or cp1252? run with --encoding latin-1" in refused.stderr
    )
    for folder, extra in (("utf8", ()), ("latin", ("--encoding", "latin-1"))):
        result = invoke("extract", tmp_path / folder, "-o", tmp_path / f"{folder}.jsonl", *extra)
        assert result.exit_code == 0, result.output
    (utf8,), (latin,) = read_jsonl(tmp_path / "utf8.jsonl"), read_jsonl(tmp_path / "latin.jsonl")
    assert latin == utf8 and len(latin.claims) >= 2 and "Müller" in latin.text


def test_encoding_reaches_mine_and_an_unknown_one_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "doc.txt").write_bytes(LATIN_TEXT.encode("cp1252"))
    result = invoke("mine", tmp_path / "in", "--out", tmp_path / "run", "--encoding", "cp1252",
                    "--syntax", "none", "--recogniser", "none")  # fmt: skip
    assert result.exit_code == 0, result.output
    (shard,) = (tmp_path / "run" / "shards").iterdir()
    assert "naïve" in shard.read_text(encoding="utf-8")
    bad = invoke("extract", tmp_path / "in", "-o", tmp_path / "x.jsonl", "--encoding", "klingon")
    assert bad.exit_code == 1
    assert (
        bad.stderr.strip()
        == "claimminer: error: unknown encoding 'klingon' (e.g. latin-1, cp1252, utf-8)"
    )
