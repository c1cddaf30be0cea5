"""The interaction network: claims aggregated into one edge per (subject, predicate, object).

Nodes are concepts (a grounded id, else the mention text case-folded); each edge counts its
claims, documents, negated and hedged claims, and carries a score that grows with independent
supporting evidence. Negated claims never add support. Output is sorted so that two runs over
the same input give identical files. Nothing here imports spaCy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from claimminer.io import atomic_writer
from claimminer.model import Document, Mention, concept_key

# Chance that one rule-made claim is right when its rule has no measured precision yet; the
# field's rule-based readers report precision around this figure.
DEFAULT_CLAIM_PRECISION = 0.7
EVIDENCE_PER_EDGE = 3


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


def build_network(documents: Iterable[Document]) -> nx.MultiDiGraph:
    """Aggregate the claims of documents into a directed multigraph keyed by predicate."""
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str, str], _Edge] = {}
    mention_counts: Counter[str] = Counter()
    mention_documents: dict[str, set[str]] = {}
    for document in documents:
        entities = document.entity_index()
        for claim in document.claims:
            subject = _node_for(entities[claim.subject], nodes)
            object_ = _node_for(entities[claim.object], nodes)
            edge = edges.setdefault((subject, object_, claim.predicate), _Edge())
            edge.claims += 1
            edge.negated += claim.negated
            edge.hedged += claim.hedged
            edge.documents.add(document.id)
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
    for subject, object_, predicate in sorted(edges):
        edge = edges[subject, object_, predicate]
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
        )
    return graph


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML that Cytoscape and Gephi open: scalar typed attributes, string ids."""
    with atomic_writer(path) as handle:
        handle.write("\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n")
