from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest

from claimminer.model import Claim, Document, Mention
from claimminer.network import DEFAULT_CLAIM_PRECISION, build_network, edge_score, write_graphml

TEXT = "IL-2 increases IFN-gamma in T cells. Foo Bar binds IL-2."


def entities(il2_concept: str | None = "HGNC:6001") -> tuple[Mention, ...]:
    def m(ann_id: str, needle: str, label: str, concept: str | None, name: str | None = None):
        start = TEXT.index(needle)
        return Mention(ann_id, start, start + len(needle), needle, label, concept, name)

    return (
        m("T1", "IL-2", "CYTOKINE", il2_concept, "IL2" if il2_concept else None),
        m("T2", "IFN-gamma", "CYTOKINE", "HGNC:5438", "IFNG"),
        m("T3", "T cells", "CELL_TYPE", None),
        m("T4", "Foo Bar", "PROTEIN", None),
    )


def claim(
    claim_id: str = "E1",
    subject: str = "T1",
    predicate: str = "increases",
    object_: str = "T2",
    **flags: object,
) -> Claim:
    return Claim(claim_id, subject, predicate, object_, sentence_start=0, sentence_end=36,
                 **flags)  # type: ignore[arg-type]  # fmt: skip


def doc(doc_id: str, *claims: Claim, mentions: tuple[Mention, ...] | None = None) -> Document:
    return Document(doc_id, TEXT, mentions if mentions is not None else entities(), claims)


def edge(graph: nx.MultiDiGraph, subject: str, object_: str, predicate: str) -> dict[str, object]:
    return dict(graph.edges[subject, object_, predicate])


def test_same_claim_in_two_documents_is_one_edge() -> None:
    graph = build_network([doc("b", claim()), doc("a", claim())])
    assert graph.number_of_edges() == 1
    data = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert data["predicate"] == "increases"
    assert data["n_claims"] == 2
    assert data["n_documents"] == 2
    assert data["n_negated"] == 0
    assert data["n_hedged"] == 0
    assert data["documents"] == "a;b"
    assert data["score"] == pytest.approx(1 - (1 - DEFAULT_CLAIM_PRECISION) ** 2)
    assert data["evidence"] == (
        "b: IL-2 increases IFN-gamma in T cells. | a: IL-2 increases IFN-gamma in T cells."
    )


def test_repeated_claim_in_one_document_counts_the_document_once() -> None:
    graph = build_network([doc("a", claim("E1"), claim("E2", confidence=0.9))])
    data = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert (data["n_claims"], data["n_documents"]) == (2, 1)
    assert data["score"] == 0.9


def test_negated_only_edge_has_zero_score() -> None:
    graph = build_network([doc("a", claim(negated=True)), doc("b", claim(negated=True))])
    data = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert data["score"] == 0.0
    assert data["n_negated"] == 2
    assert data["n_claims"] == 2
    assert data["evidence"] == ""


def test_negated_claims_add_no_support_beside_positive_ones() -> None:
    graph = build_network([doc("a", claim()), doc("b", claim(negated=True))])
    data = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert data["score"] == DEFAULT_CLAIM_PRECISION
    assert (data["n_negated"], data["n_documents"]) == (1, 2)


def test_score_grows_with_independent_documents_and_stays_in_unit_interval() -> None:
    scores = []
    for n in range(1, 12):
        graph = build_network([doc(f"d{i:02d}", claim()) for i in range(n)])
        scores.append(edge(graph, "HGNC:6001", "HGNC:5438", "increases")["score"])
    assert scores[0] == DEFAULT_CLAIM_PRECISION
    assert scores[1] == pytest.approx(0.91)
    assert all(a < b for a, b in pairwise(scores[:6]))
    assert all(a <= b for a, b in pairwise(scores))
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[-1] == 1.0  # rounded to four places, never above one


@pytest.mark.parametrize(
    ("probabilities", "expected"),
    [([], 0.0), ([0.5], 0.5), ([0.5, 0.5], 0.75), ([1.0, 0.3], 1.0), ([0.0, 0.0], 0.0)],
)
def test_edge_score(probabilities: list[float], expected: float) -> None:
    assert edge_score(probabilities) == expected


def test_hedged_claims_count_and_weigh_half() -> None:
    graph = build_network([doc("a", claim(hedged=True)), doc("b", claim(hedged=True))])
    data = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert data["n_hedged"] == 2
    assert data["score"] == pytest.approx(1 - (1 - DEFAULT_CLAIM_PRECISION / 2) ** 2, abs=1e-4)


def test_claim_confidence_replaces_the_default_even_when_zero() -> None:
    graph = build_network([doc("a", claim(confidence=0.0)), doc("b", claim(confidence=0.2))])
    assert edge(graph, "HGNC:6001", "HGNC:5438", "increases")["score"] == 0.2


def test_ungrounded_mentions_merge_by_case_folded_text() -> None:
    text = "Foo Bar binds FOO  bar."
    mentions = (
        Mention("T1", 0, 7, "Foo Bar", "PROTEIN"),
        Mention("T2", 14, 22, "FOO  bar", "PROTEIN"),
    )
    documents = [
        Document("a", text, mentions, (Claim("E1", "T1", "binds", "T2"),)),
        Document("b", text, mentions, (Claim("E1", "T2", "binds", "T1"),)),
    ]
    graph = build_network(documents)
    assert list(graph.nodes) == ["text:foo bar"]
    assert graph.nodes["text:foo bar"]["name"] == "Foo Bar"
    assert graph.nodes["text:foo bar"]["n_mentions"] == 4
    assert edge(graph, "text:foo bar", "text:foo bar", "binds")["n_claims"] == 2


def test_grounded_and_ungrounded_mentions_of_the_same_text_stay_apart() -> None:
    grounded = doc("a", claim())
    ungrounded = doc("b", claim(), mentions=entities(il2_concept=None))
    graph = build_network([grounded, ungrounded])
    assert sorted(graph.nodes) == ["HGNC:5438", "HGNC:6001", "text:il-2"]
    assert graph.number_of_edges() == 2


def test_node_attributes() -> None:
    graph = build_network(
        [
            doc("a", claim(), claim("E2", "T4", "binds", "T1")),
            doc("b", claim("E1", "T3", "produces", "T2")),
        ]
    )
    assert dict(graph.nodes["HGNC:6001"]) == {
        "name": "IL2",
        "type": "CYTOKINE",
        "concept_id": "HGNC:6001",
        "n_mentions": 2,
        "n_documents": 2,
    }
    assert dict(graph.nodes["text:foo bar"]) == {
        "name": "Foo Bar",
        "type": "PROTEIN",
        "concept_id": "",
        "n_mentions": 2,
        "n_documents": 2,
    }
    assert graph.nodes["text:t cells"]["type"] == "CELL_TYPE"
    assert list(graph.nodes) == sorted(graph.nodes)
    assert sorted(graph.edges(keys=True)) == [
        ("HGNC:6001", "HGNC:5438", "increases"),
        ("text:foo bar", "HGNC:6001", "binds"),
        ("text:t cells", "HGNC:5438", "produces"),
    ]


def test_entities_outside_claims_are_not_nodes() -> None:
    graph = build_network([doc("a", claim())])
    assert sorted(graph.nodes) == ["HGNC:5438", "HGNC:6001"]


def _sample_graph() -> nx.MultiDiGraph:
    return build_network(
        [
            doc("a", claim(), claim("E2", "T1", "decreases", "T2", negated=True)),
            doc("b", claim(hedged=True), claim("E3", "T3", "produces", "T1", confidence=0.85)),
        ]
    )


def test_write_graphml_round_trips_counts_and_attribute_types(tmp_path: Path) -> None:
    graph = _sample_graph()
    path = tmp_path / "out" / "network.graphml"
    write_graphml(graph, path)
    loaded = nx.read_graphml(path, force_multigraph=True)
    assert loaded.is_directed()
    assert loaded.number_of_nodes() == graph.number_of_nodes() == 3
    assert loaded.number_of_edges() == graph.number_of_edges() == 3
    for node, data in graph.nodes(data=True):
        assert dict(loaded.nodes[node]) == data
        assert type(loaded.nodes[node]["n_mentions"]) is int
        assert type(loaded.nodes[node]["name"]) is str
    loaded_edges = {(u, v, d["predicate"]): d for u, v, d in loaded.edges(data=True)}
    for u, v, key, data in graph.edges(keys=True, data=True):
        read = loaded_edges[u, v, key]
        assert read == data
        assert type(read["n_claims"]) is int
        assert type(read["score"]) is float
        assert type(read["documents"]) is str


def test_write_graphml_is_byte_identical_across_runs(tmp_path: Path) -> None:
    write_graphml(_sample_graph(), tmp_path / "one.graphml")
    write_graphml(_sample_graph(), tmp_path / "two.graphml")
    first = (tmp_path / "one.graphml").read_bytes()
    assert first == (tmp_path / "two.graphml").read_bytes()
    assert first.endswith(b"</graphml>\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.graphml", "two.graphml"]


def test_edges_list_contexts_and_flag_conflicts() -> None:
    from claimminer.model import Context

    mouse = Context(organism="mouse", genotype="wild type", setting="in vitro")
    graph = build_network([
        doc("a", claim(context=mouse), claim("E2", "T1", "decreases", "T2")),
        doc("b", claim(context=Context(organism="human"))),
        doc("c", claim("E3", "T3", "produces", "T1"), claim("E4", "T3", "produces", "T1",
                                                             negated=True)),
    ])  # fmt: skip
    increases = edge(graph, "HGNC:6001", "HGNC:5438", "increases")
    assert increases["contexts"] == "human | mouse, wild type, in vitro"
    assert increases["conflict"] is True  # the same pair also decreases
    assert edge(graph, "HGNC:6001", "HGNC:5438", "decreases")["conflict"] is True
    assert edge(graph, "text:t cells", "HGNC:6001", "produces")["conflict"] is True  # denied too
    alone = build_network([doc("a", claim())])
    assert edge(alone, "HGNC:6001", "HGNC:5438", "increases")["conflict"] is False


def test_filters_keep_what_passes_and_drop_lonely_nodes() -> None:
    from claimminer.network import filter_network

    graph = build_network([
        doc("a", claim(), claim("E2", "T3", "produces", "T1")),
        doc("b", claim()),
    ])  # fmt: skip
    twice = filter_network(graph, min_documents=2)
    assert list(twice.edges(keys=True)) == [("HGNC:6001", "HGNC:5438", "increases")]
    assert "text:t cells" not in twice
    strong = filter_network(graph, min_score=0.8)
    assert strong.number_of_edges() == 1  # 1 - 0.3^2 = 0.91 passes, a lone 0.7 does not
    cytokines = filter_network(graph, types=["CYTOKINE"])
    assert {d["type"] for _, d in cytokines.nodes(data=True)} == {"CYTOKINE"}
    assert (
        build_network([doc("a", claim(negated=True))], exclude_negated=True).number_of_edges() == 0
    )


@pytest.mark.parametrize("name", ["graphml", "sif", "json", "csv"])
def test_every_format_is_deterministic_and_readable(tmp_path: Path, name: str) -> None:
    import csv
    import json

    from claimminer.network import NetworkFormat, write_network

    output_format = NetworkFormat(name)
    write_network(_sample_graph(), tmp_path / "one", output_format)
    write_network(_sample_graph(), tmp_path / "two", output_format)
    text = (tmp_path / "one").read_text(encoding="utf-8")
    assert text == (tmp_path / "two").read_text(encoding="utf-8")
    if name == "sif":
        rows = [line.split("\t") for line in text.splitlines()]
        assert ["HGNC:6001", "increases", "HGNC:5438"] in rows and len(rows) == 3
    elif name == "json":
        data = json.loads(text)
        assert len(data["nodes"]) == 3 and len(data["links"]) == 3
    elif name == "csv":
        rows = list(csv.DictReader(text.splitlines()))
        assert len(rows) == 3 and {r["predicate"] for r in rows} == {
            "increases", "decreases", "produces"}  # fmt: skip
        assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)
    else:
        assert nx.read_graphml(tmp_path / "one", force_multigraph=True).number_of_edges() == 3


def test_seed_network_shows_the_seed_biology_with_denials_marked(extract, corpus_dir: Path) -> None:
    documents = [
        extract((corpus_dir / f"{name}.txt").read_text(encoding="utf-8"), name)
        for name in ("bemiss2002", "il2-overview", "il2-tcgf")
    ]
    graph = build_network(documents)
    wanted = {
        "HGNC:6001": "IL-2", "HGNC:5438": "IFN-gamma", "HGNC:5962": "IL-10",
        "CHEBI:17823": "1,25D3", "CHEBI:27300": "vitamin D", "CL:0000084": "T cells",
        "CL:0000492": "CD4+ T-helper cells", "CL:0000623": "NK cells", "CL:0000236": "B cells",
        "CL:0000235": "macrophages", "MONDO:0005292": "colitis",
    }  # fmt: skip
    assert set(wanted) <= set(graph.nodes), set(wanted) - set(graph.nodes)
    denied = {(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if d["n_negated"]}
    assert ("CHEBI:27300", "MONDO:0005292", "decreases") in denied  # vitamin D, no IL-2
    assert all(graph.edges[e]["score"] == 0.0 for e in denied if graph.edges[e]["n_claims"]
               == graph.edges[e]["n_negated"])  # fmt: skip
