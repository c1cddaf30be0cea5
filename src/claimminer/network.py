"""The interaction network: claims aggregated into one edge per (subject, predicate, object).

Nodes are concepts (a grounded id, else the mention text case-folded); each edge counts its
claims, documents, negated and hedged claims, lists its contexts, and carries a score that
grows with independent supporting evidence. Negated claims never add support; they are
counted on the edge they deny. Output is sorted so that two runs over the same input give
identical files. Nothing here imports spaCy.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from claimminer.io import atomic_writer
from claimminer.model import Claim, Document, Mention, concept_key
from claimminer.settings import NetworkFormat

# Chance that one rule-made claim is right when its rule has no measured precision yet; the
# field's rule-based readers report precision around this figure.
DEFAULT_CLAIM_PRECISION = 0.7
EVIDENCE_PER_EDGE = 3
# Predicates with a sign: an edge conflicts when its pair also carries the opposite sign.
OPPOSITE = {"increases": "decreases", "decreases": "increases"}


@dataclass
class _Node:
    name: str
    label: str
    concept_id: str
    mentions: int = 0
    documents: set[str] = field(default_factory=set)


@dataclass
class _Edge:
    claims: int = 0
    negated: int = 0
    hedged: int = 0
    documents: set[str] = field(default_factory=set)
    supporting_documents: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    contexts: set[str] = field(default_factory=set)


def _node_for(mention: Mention, nodes: dict[str, _Node]) -> str:
    key = concept_key(mention)
    if key not in nodes:
        name = mention.concept_name or mention.text
        nodes[key] = _Node(name=name, label=mention.label, concept_id=mention.concept_id or "")
    return key


def edge_score(supporting: Iterable[float]) -> float:
    """Belief that an edge holds: 1 - prod(1 - p) over independent supporting documents.

    Each document counts once, with the best confidence among its claims, so one abstract
    repeating itself does not look like replication.
    """
    disbelief = 1.0
    for probability in supporting:
        disbelief *= 1.0 - probability
    return round(1.0 - disbelief, 4)


EdgeKey = tuple[str, str, str]  # (subject concept, object concept, predicate)


def edges_in_documents(
    documents: Iterable[Document], min_documents: int, exclude_negated: bool = False
) -> set[EdgeKey]:
    """Edges seen in at least `min_documents` documents.

    One pass that holds a count per edge, not the claims, so a PubMed-sized run can be
    filtered before the graph is built.
    """
    counts: dict[EdgeKey, list[Any]] = {}  # key -> [documents, last document id]
    for document in documents:
        for key, _, _ in _keyed_claims(document, exclude_negated):
            seen = counts.setdefault(key, [0, None])
            if seen[1] != document.id:
                seen[0] += 1
                seen[1] = document.id
    return {key for key, (n, _) in counts.items() if n >= min_documents}


def _keyed_claims(
    document: Document, exclude_negated: bool
) -> Iterator[tuple[EdgeKey, Claim, dict[str, Mention]]]:
    """(edge key, claim, the document's entities by id) for the claims that count."""
    entities = document.entity_index()
    for claim in document.claims:
        if exclude_negated and claim.negated:
            continue
        key = (concept_key(entities[claim.subject]), concept_key(entities[claim.object]),
               claim.predicate)  # fmt: skip
        yield key, claim, entities


def build_network(
    documents: Iterable[Document],
    exclude_negated: bool = False,
    keep: set[EdgeKey] | None = None,
) -> nx.MultiDiGraph:
    """Aggregate the claims of documents into a directed multigraph keyed by predicate.

    With `exclude_negated`, negated claims are left out before aggregation, so no edge exists
    only to be denied; with `keep`, only those edges are built (see `edges_in_documents`).
    """
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str, str], _Edge] = {}
    mention_counts: Counter[str] = Counter()
    mention_documents: dict[str, set[str]] = {}
    for document in documents:
        for edge_key, claim, entities in _keyed_claims(document, exclude_negated):
            if keep is not None and edge_key not in keep:
                continue
            subject = _node_for(entities[claim.subject], nodes)
            object_ = _node_for(entities[claim.object], nodes)
            edge = edges.setdefault((subject, object_, claim.predicate), _Edge())
            edge.claims += 1
            edge.negated += claim.negated
            edge.hedged += claim.hedged
            edge.documents.add(document.id)
            if described := ", ".join(claim.context.as_dict().values()):
                edge.contexts.add(described)
            if not claim.negated:
                confidence = (
                    claim.confidence if claim.confidence is not None else DEFAULT_CLAIM_PRECISION
                )
                if claim.hedged:
                    confidence /= 2
                best = edge.supporting_documents.get(document.id, 0.0)
                edge.supporting_documents[document.id] = max(best, confidence)
                if len(edge.evidence) < EVIDENCE_PER_EDGE:
                    edge.evidence.append(
                        f"{document.id}: "
                        + " ".join(document.text[claim.sentence_start : claim.sentence_end].split())
                    )
        for mention in document.entities:
            key = concept_key(mention)
            mention_counts[key] += 1
            mention_documents.setdefault(key, set()).add(document.id)
    for key, node in nodes.items():
        node.mentions = mention_counts[key]
        node.documents = mention_documents[key]
    return _to_graph(nodes, edges)


def _to_graph(nodes: dict[str, _Node], edges: dict[tuple[str, str, str], _Edge]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for key in sorted(nodes):
        node = nodes[key]
        graph.add_node(key, name=node.name, type=node.label, concept_id=node.concept_id,
                       n_mentions=node.mentions, n_documents=len(node.documents))  # fmt: skip
    supported = {key for key, edge in edges.items() if edge.supporting_documents}
    for subject, object_, predicate in sorted(edges):
        edge = edges[subject, object_, predicate]
        opposite = (subject, object_, OPPOSITE.get(predicate, ""))
        conflict = (edge.negated > 0 and bool(edge.supporting_documents)) or (
            bool(edge.supporting_documents) and opposite in supported
        )
        graph.add_edge(
            subject,
            object_,
            key=predicate,
            predicate=predicate,
            n_claims=edge.claims,
            n_documents=len(edge.documents),
            n_negated=edge.negated,
            n_hedged=edge.hedged,
            score=edge_score(edge.supporting_documents.values()),
            documents=";".join(sorted(edge.documents)),
            evidence=" | ".join(edge.evidence),
            contexts=" | ".join(sorted(edge.contexts)),
            conflict=conflict,
        )
    return graph


def filter_network(
    graph: nx.MultiDiGraph,
    min_documents: int = 1,
    min_score: float = 0.0,
    types: Sequence[str] = (),
) -> nx.MultiDiGraph:
    """The subgraph of edges that pass every filter.

    Edges seen in at least `min_documents` documents with at least `min_score`, between
    nodes whose type is in `types` (all types when none are given); nodes left without an
    edge are dropped.
    """
    kept = nx.MultiDiGraph()
    allowed = set(types)
    for subject, object_, key, data in graph.edges(keys=True, data=True):
        if data["n_documents"] < min_documents or data["score"] < min_score:
            continue
        ends = (graph.nodes[subject]["type"], graph.nodes[object_]["type"])
        if allowed and not set(ends) <= allowed:
            continue
        for node in (subject, object_):
            kept.add_node(node, **graph.nodes[node])
        kept.add_edge(subject, object_, key=key, **data)
    return _sorted(kept)


def _sorted(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    ordered = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        ordered.add_node(node, **graph.nodes[node])
    for subject, object_, key in sorted(graph.edges(keys=True)):
        ordered.add_edge(subject, object_, key=key, **graph.edges[subject, object_, key])
    return ordered


EDGE_COLUMNS = ("source", "source_name", "predicate", "target", "target_name", "n_claims",
                "n_documents", "n_negated", "n_hedged", "score", "conflict", "documents",
                "contexts", "evidence")  # fmt: skip


def network_text(graph: nx.MultiDiGraph, output_format: NetworkFormat) -> str:
    """The graph serialised in one of the formats, deterministically."""
    if output_format is NetworkFormat.GRAPHML:
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    if output_format is NetworkFormat.SIF:
        # Cytoscape's simple interaction format; node ids with spaces stay whole after tabs.
        lines = [f"{s}\t{k}\t{o}" for s, o, k in sorted(graph.edges(keys=True))]
        lines += [n for n in sorted(graph.nodes) if graph.degree(n) == 0]
        return "\n".join(lines) + "\n"
    if output_format is NetworkFormat.CX2:
        from claimminer.exports.cx2 import cx2_text

        return cx2_text(graph)
    if output_format is NetworkFormat.JSON:
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS)
    for subject, object_, key in sorted(graph.edges(keys=True)):
        data = graph.edges[subject, object_, key]
        names = (graph.nodes[subject]["name"], graph.nodes[object_]["name"])
        writer.writerow([subject, names[0], key, object_, names[1],
                         *(data[c] for c in EDGE_COLUMNS[5:])])  # fmt: skip
    return buffer.getvalue()


def write_network(
    graph: nx.MultiDiGraph, path: Path, output_format: NetworkFormat = NetworkFormat.GRAPHML
) -> None:
    """Write the graph atomically in the chosen format."""
    with atomic_writer(path) as handle:
        handle.write(network_text(graph, output_format))


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML that Cytoscape and Gephi open: scalar typed attributes, string ids."""
    write_network(graph, path, NetworkFormat.GRAPHML)
