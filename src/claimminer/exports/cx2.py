"""The interaction network as CX2, the format of NDEx and Cytoscape Web.

Nodes carry the concept's name, kind, id and counts; edges the predicate (as CX2's
`interaction`), the claim and document counts, the score, the conflict flag, the documents
and up to three evidence sentences. A visual style colours nodes by kind and edges by
predicate, labels nodes by name, and ends a `decreases` edge in a bar.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

NODE_COLOURS = {
    "CYTOKINE": "#E4572E", "PROTEIN": "#F3A712", "CELL_TYPE": "#29335C", "CELL_LINE": "#669BBC",
    "CHEMICAL": "#A8C686", "DISEASE": "#8E5572", "SPECIES": "#BBBBBB",
}  # fmt: skip
EDGE_COLOURS = {
    "increases": "#2A9D8F", "decreases": "#D62828", "affects": "#777777",
    "produces": "#457B9D", "binds": "#6A4C93", "required_for": "#F4A261",
}  # fmt: skip
# attribute: (CX2 type, alias in the elements)
NODE_ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "name": ("string", "n"),
    "type": ("string", None),
    "concept_id": ("string", None),
    "n_mentions": ("integer", None),
    "n_documents": ("integer", None),
}
EDGE_ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "interaction": ("string", "i"),
    "n_claims": ("integer", None),
    "n_documents": ("integer", None),
    "n_negated": ("integer", None),
    "n_hedged": ("integer", None),
    "score": ("double", None),
    "conflict": ("boolean", None),
    "documents": ("list_of_string", None),
    "evidence": ("list_of_string", None),
    "contexts": ("list_of_string", None),
}


def _declarations(attributes: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    return {name: {"d": kind, **({"a": alias} if alias else {})}
            for name, (kind, alias) in attributes.items()}  # fmt: skip


def _values(attributes: dict[str, tuple[str, str | None]], data: dict[str, Any]) -> dict[str, Any]:
    return {alias or name: data[name] for name, (_, alias) in attributes.items()}


def _split(text: str, separator: str) -> list[str]:
    return [part for part in text.split(separator) if part]


def visual_style() -> dict[str, Any]:
    """Colours by node kind and predicate, labels by name, a bar at a `decreases` edge's end."""
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {"NODE_BACKGROUND_COLOR": "#CCCCCC", "NODE_SHAPE": "ellipse",
                     "NODE_WIDTH": 40, "NODE_HEIGHT": 40, "NODE_LABEL_FONT_SIZE": 11},
            "edge": {"EDGE_LINE_COLOR": "#777777", "EDGE_TARGET_ARROW_SHAPE": "triangle",
                     "EDGE_WIDTH": 2, "EDGE_LINE_STYLE": "solid"},
        },
        "nodeMapping": {
            "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name"}},
            "NODE_BACKGROUND_COLOR": {"type": "DISCRETE", "definition": {
                "attribute": "type",
                "map": [{"v": kind, "vp": colour} for kind, colour in NODE_COLOURS.items()]}},
        },
        "edgeMapping": {
            "EDGE_LINE_COLOR": {"type": "DISCRETE", "definition": {
                "attribute": "interaction",
                "map": [{"v": kind, "vp": colour} for kind, colour in EDGE_COLOURS.items()]}},
            "EDGE_TARGET_ARROW_SHAPE": {"type": "DISCRETE", "definition": {
                "attribute": "interaction",
                "map": [{"v": "decreases", "vp": "tee"}, {"v": "binds", "vp": "none"}]}},
        },
    }  # fmt: skip


def cx2_aspects(graph: nx.MultiDiGraph, name: str = "claimminer network") -> list[dict[str, Any]]:
    """The network as a list of CX2 aspects (node ids in the graph's sorted node order)."""
    number = {node: index for index, node in enumerate(sorted(graph.nodes))}
    nodes = [{"id": number[node], "v": _values(NODE_ATTRIBUTES, graph.nodes[node])}
             for node in sorted(graph.nodes)]  # fmt: skip
    edges = []
    for index, (subject, object_, key) in enumerate(sorted(graph.edges(keys=True))):
        data = dict(graph.edges[subject, object_, key])
        data["interaction"] = key
        data["documents"] = _split(data["documents"], ";")
        data["evidence"] = _split(data["evidence"], " | ")
        data["contexts"] = _split(data["contexts"], " | ")
        edges.append({"id": index, "s": number[subject], "t": number[object_],
                      "v": _values(EDGE_ATTRIBUTES, data)})  # fmt: skip
    return [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [{"name": "attributeDeclarations", "elementCount": 1},
                      {"name": "networkAttributes", "elementCount": 1},
                      {"name": "nodes", "elementCount": len(nodes)},
                      {"name": "edges", "elementCount": len(edges)},
                      {"name": "visualProperties", "elementCount": 1}]},
        {"attributeDeclarations": [{
            "networkAttributes": {"name": {"d": "string"}, "description": {"d": "string"}},
            "nodes": _declarations(NODE_ATTRIBUTES),
            "edges": _declarations(EDGE_ATTRIBUTES),
        }]},
        {"networkAttributes": [{"name": name, "description":
                                "Claims about cytokines and immune cells read by claimminer"}]},
        {"nodes": nodes},
        {"edges": edges},
        {"visualProperties": [visual_style()]},
        {"status": [{"error": "", "success": True}]},
    ]  # fmt: skip


def cx2_text(graph: nx.MultiDiGraph) -> str:
    """CX2 JSON text."""
    return json.dumps(cx2_aspects(graph), ensure_ascii=False, indent=1) + "\n"
