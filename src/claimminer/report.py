"""One self-contained HTML page a person can read.

It shows the network drawn, its edges in a sortable table with their evidence, every
document with its entities highlighted and claims listed, and the evaluation tables when
there are any. The page fetches nothing: styles, script and data are inline. The drawing and
the tables are built in the browser from the JSON embedded in the page, so opening the file
is all it takes (and a headless browser can check what a reader sees). Node positions are
computed here with a seeded layout, so the same claims give the same page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from claimminer.io import atomic_writer
from claimminer.model import Document

# The drawing shows the best-supported edges only; the table lists them all.
DRAWN_EDGES = 150
DOCUMENTS_SHOWN = 500
LABEL_COLOURS = {
    "CYTOKINE": "#d62728",
    "PROTEIN": "#9467bd",
    "CELL_TYPE": "#1f77b4",
    "CELL_LINE": "#17becf",
    "CHEMICAL": "#ff7f0e",
    "SPECIES": "#7f7f7f",
    "DISEASE": "#2ca02c",
}
PREDICATE_COLOURS = {
    "increases": "#2ca02c",
    "decreases": "#d62728",
    "affects": "#7f7f7f",
    "produces": "#1f77b4",
    "binds": "#9467bd",
    "required_for": "#ff7f0e",
}


def graph_payload(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes with positions and edges with their attributes, for the page's script."""
    edges = sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (-e[3]["n_documents"], -e[3]["score"], e[0], e[2], e[1]),
    )
    drawn = edges[:DRAWN_EDGES]
    drawn_nodes = sorted({n for s, o, _, _ in drawn for n in (s, o)})
    layout_graph = nx.Graph()
    layout_graph.add_nodes_from(drawn_nodes)
    layout_graph.add_edges_from((s, o) for s, o, _, _ in drawn)
    positions = _spread(nx.spring_layout(layout_graph, seed=7)) if drawn_nodes else {}
    nodes = [
        {"id": node, **graph.nodes[node], "x": round(float(positions[node][0]), 4),
         "y": round(float(positions[node][1]), 4)} if node in positions
        else {"id": node, **graph.nodes[node]}
        for node in sorted(graph.nodes)
    ]  # fmt: skip
    return {
        "nodes": nodes,
        "edges": [
            {"source": s, "target": o, "drawn": index < DRAWN_EDGES, **data}
            for index, (s, o, _, data) in enumerate(edges)
        ],
        "label_colours": LABEL_COLOURS,
        "predicate_colours": PREDICATE_COLOURS,
    }


def _spread(positions: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Each axis replaced by its rank, scaled to [-1, 1].

    A spring layout keeps its order but no longer crowds the main component while small
    ones drift to the edges.
    """
    names = sorted(positions)
    if len(names) == 1:
        return {names[0]: (0.0, 0.0)}
    spread: dict[str, list[float]] = {name: [0.0, 0.0] for name in names}
    for axis in (0, 1):
        ordered = sorted(names, key=lambda n: (float(positions[n][axis]), n))
        for rank, name in enumerate(ordered):
            spread[name][axis] = 2 * rank / (len(names) - 1) - 1
    return {name: (x, y) for name, (x, y) in spread.items()}


def _highlighted(document: Document) -> str:
    """The document text with each entity in a <mark> coloured by label."""
    parts, position = [], 0
    for mention in sorted(document.entities, key=lambda m: (m.start, -m.end)):
        if mention.start < position:
            continue
        parts.append(html.escape(document.text[position : mention.start]))
        found_by = {"model": ", found by the recogniser", "both": ", lexicon and recogniser"}
        title = html.escape(
            f"{mention.label} {mention.concept_id or '(ungrounded)'}"
            + found_by.get(mention.source, "")
        )
        parts.append(f'<mark class="{mention.label}" title="{title}">'
                     f"{html.escape(mention.text)}</mark>")  # fmt: skip
        position = mention.end
    parts.append(html.escape(document.text[position:]))
    return "".join(parts)


def _claim_rows(document: Document) -> str:
    entities = document.entity_index()
    rows = []
    for claim in document.claims:
        flags = " ".join(
            f for f, on in (("negated", claim.negated), ("hedged", claim.hedged)) if on
        )
        context = ", ".join(claim.context.as_dict().values())
        sentence = document.text[claim.sentence_start : claim.sentence_end]
        cells = (entities[claim.subject].text, claim.predicate, entities[claim.object].text,
                 flags, context, claim.rule or "", " ".join(sentence.split()))  # fmt: skip
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return "".join(rows)


def _documents_section(documents: Sequence[Document]) -> str:
    shown = documents[:DOCUMENTS_SHOWN]
    blocks = []
    for document in shown:
        claims = _claim_rows(document)
        table = (
            "<table class='claims'><thead><tr><th>subject</th><th>predicate</th><th>object</th>"
            "<th>flags</th><th>context</th><th>rule</th><th>sentence</th></tr></thead>"
            f"<tbody>{claims}</tbody></table>"
            if claims
            else "<p class='none'>No claims.</p>"
        )
        blocks.append(
            f"<details><summary>{html.escape(document.id)} — {len(document.entities)} "
            f"entities, {len(document.claims)} claims</summary>"
            f"<p class='text'>{_highlighted(document)}</p>{table}</details>"
        )
    note = (
        f"<p>The first {DOCUMENTS_SHOWN} of {len(documents)} documents are shown.</p>"
        if len(documents) > DOCUMENTS_SHOWN else ""
    )  # fmt: skip
    return note + "".join(blocks)


def _score_table(title: str, rows: Iterable[tuple[str, dict[str, Any]]]) -> str:
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{values.get(k, '')}</td>" for k in ("precision", "recall", "f1", "tp",
                                                             "fp", "fn"))
        + "</tr>"
        for name, values in rows
    )  # fmt: skip
    return (
        f"<h3>{html.escape(title)}</h3><table class='scores'><thead><tr><th></th><th>P</th>"
        f"<th>R</th><th>F1</th><th>tp</th><th>fp</th><th>fn</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _evaluation_section(evaluation: dict[str, Any] | None) -> str:
    if not evaluation:
        return "<p>No evaluation was given.</p>"
    parts = [
        _score_table("Micro scores", [
            ("entities, strict", evaluation.get("entities", {})),
            ("entities, overlap", evaluation.get("entities_overlap", {})),
            ("claims, strict", evaluation.get("claims", {})),
            ("claims, relaxed", evaluation.get("claims_relaxed", {})),
        ]),
        _score_table("Entities by label (strict)", [
            (label, v["strict"]) for label, v in evaluation.get("entities_by_label", {}).items()
        ]),
        _score_table("Claims by predicate", evaluation.get("claims_by_predicate", {}).items()),
    ]  # fmt: skip
    accuracy = evaluation.get("claim_attribute_accuracy", {})
    if accuracy:
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{v['accuracy']}</td><td>{v['agree']}</td>"
            f"<td>{v['disagree']}</td></tr>"
            for k, v in accuracy.items()
        )
        parts.append(
            "<h3>Attributes on matched claims</h3><table class='scores'><thead><tr><th></th>"
            f"<th>accuracy</th><th>agree</th><th>disagree</th></tr></thead><tbody>{rows}</tbody>"
            "</table>"
        )
    return "".join(parts)


def render_report(
    documents: Sequence[Document], graph: nx.MultiDiGraph, evaluation: dict[str, Any] | None
) -> str:
    """The whole page as a string."""
    payload = json.dumps(graph_payload(graph), ensure_ascii=False, sort_keys=True)
    payload = payload.replace("<", "\\u003c")  # no "</script>" or "<!--" from the text
    claims = sum(len(d.claims) for d in documents)
    summary = (
        f"{len(documents)} documents, {claims} claims; network of "
        f"{graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges"
    )
    legend = "".join(
        f"<span><i style='background:{colour}'></i>{label}</span>"
        for label, colour in LABEL_COLOURS.items()
    ) + "".join(
        f"<span><b style='border-color:{colour}'></b>{predicate}</span>"
        for predicate, colour in PREDICATE_COLOURS.items()
    )
    return PAGE.format(
        summary=html.escape(summary),
        legend=legend,
        drawn=min(DRAWN_EDGES, graph.number_of_edges()),
        documents=_documents_section(documents),
        evaluation=_evaluation_section(evaluation),
        payload=payload,
        script=SCRIPT,
    )


def write_report(
    documents: Sequence[Document],
    graph: nx.MultiDiGraph,
    path: Path,
    evaluation: dict[str, Any] | None = None,
) -> None:
    """Write the page atomically."""
    with atomic_writer(path) as handle:
        handle.write(render_report(documents, graph, evaluation))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>claimminer report</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }}
h1 {{ font-size: 1.5em; }} h2 {{ border-bottom: 1px solid #ccc; margin-top: 2em; }}
svg {{ width: 100%; height: 640px; border: 1px solid #ddd; background: #fcfcfc; }}
.legend span {{ margin-right: 1em; white-space: nowrap; }}
.legend i {{ display: inline-block; width: .8em; height: .8em; border-radius: 50%;
             margin-right: .3em; }}
.legend b {{ display: inline-block; width: 1.4em; border-top: 3px solid; margin-right: .3em;
             vertical-align: middle; }}
table {{ border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 13px; }}
th, td {{ border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f2f2f2; }} #edges th {{ cursor: pointer; }}
td.evidence {{ font-size: 12px; color: #444; }}
mark {{ border-radius: 3px; padding: 0 2px; }}
mark.CYTOKINE {{ background: #f7c6c7; }} mark.PROTEIN {{ background: #ded0ee; }}
mark.CELL_TYPE {{ background: #c6dbef; }} mark.CELL_LINE {{ background: #c7eef2; }}
mark.CHEMICAL {{ background: #ffd8b1; }} mark.SPECIES {{ background: #e0e0e0; }}
mark.DISEASE {{ background: #c7e9c0; }}
details {{ margin: .4em 0; }} summary {{ cursor: pointer; }} .text {{ max-width: 75em; }}
</style></head>
<body>
<h1>claimminer report</h1>
<p>{summary}</p>
<h2>Network</h2>
<p class="legend">{legend}</p>
<p>The {drawn} best-supported edges are drawn (width grows with the number of documents;
dashed edges are only denied); every edge is in the table below.</p>
<svg id="network" viewBox="0 0 1000 640" role="img" aria-label="interaction network"></svg>
<h2>Edges</h2>
<p>Click a column to sort.</p>
<table id="edges"><thead><tr>
<th data-key="source_name">subject</th><th data-key="predicate">predicate</th>
<th data-key="target_name">object</th><th data-key="n_documents">documents</th>
<th data-key="n_claims">claims</th><th data-key="n_negated">negated</th>
<th data-key="score">score</th><th data-key="conflict">conflict</th>
<th data-key="contexts">contexts</th><th data-key="evidence">evidence</th>
</tr></thead><tbody></tbody></table>
<h2>Documents</h2>
{documents}
<h2>Evaluation</h2>
{evaluation}
<script type="application/json" id="graph-data">{payload}</script>
<script>{script}</script>
</body></html>
"""

SCRIPT = """
"use strict";
const data = JSON.parse(document.getElementById("graph-data").textContent);
const byId = new Map(data.nodes.map(n => [n.id, n]));
const svg = document.getElementById("network");
const NS = "http://www.w3.org/2000/svg";
function el(name, attrs) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
function place(n) { return [60 + (n.x + 1) / 2 * 880, 40 + (n.y + 1) / 2 * 560]; }
const drawn = data.edges.filter(e => e.drawn);
for (const e of drawn) {
  const [x1, y1] = place(byId.get(e.source)), [x2, y2] = place(byId.get(e.target));
  const line = el("line", {x1, y1, x2, y2, class: "edge",
    stroke: data.predicate_colours[e.predicate] || "#999",
    "stroke-width": Math.min(1 + e.n_documents, 8), "stroke-opacity": 0.7});
  if (e.n_claims === e.n_negated) line.setAttribute("stroke-dasharray", "5 4");
  const title = el("title", {});
  title.textContent = `${byId.get(e.source).name} ${e.predicate} ${byId.get(e.target).name}` +
    ` (${e.n_documents} documents, score ${e.score})`;
  line.appendChild(title);
  svg.appendChild(line);
}
const seen = new Set(drawn.flatMap(e => [e.source, e.target]));
for (const id of seen) {
  const n = byId.get(id), [cx, cy] = place(n);
  const dot = el("circle", {cx, cy, r: 4 + Math.min(n.n_documents, 12), class: "node",
    fill: data.label_colours[n.type] || "#999", stroke: "#fff"});
  const title = el("title", {});
  title.textContent = `${n.name} (${n.type}, ${n.concept_id || "ungrounded"})`;
  dot.appendChild(title);
  svg.appendChild(dot);
  const label = el("text", {x: cx + 8, y: cy + 4, "font-size": 11, class: "label"});
  label.textContent = n.name;
  svg.appendChild(label);
}
const body = document.querySelector("#edges tbody");
function fill(rows) {
  body.replaceChildren();
  for (const e of rows) {
    const tr = document.createElement("tr");
    const cells = [byId.get(e.source).name, e.predicate, byId.get(e.target).name,
      e.n_documents, e.n_claims, e.n_negated, e.score, e.conflict ? "yes" : "", e.contexts,
      e.evidence];
    cells.forEach((value, i) => {
      const td = document.createElement("td");
      td.textContent = value;
      if (i === cells.length - 1) td.className = "evidence";
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
}
const rows = data.edges.map(e => Object.assign({}, e, {
  source_name: byId.get(e.source).name, target_name: byId.get(e.target).name}));
fill(rows);
let order = {key: null, up: true};
document.querySelectorAll("#edges th").forEach(th => th.addEventListener("click", () => {
  const key = th.dataset.key;
  order = {key, up: order.key === key ? !order.up : false};
  rows.sort((a, b) => (a[key] > b[key] ? 1 : a[key] < b[key] ? -1 : 0) * (order.up ? 1 : -1));
  fill(rows);
}));
"""
