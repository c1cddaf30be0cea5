"""Documents as a BioC collection (XML or JSON): passages, entity annotations, claim relations.

Each line of a document's text is a passage at its character offset, so claimminer (and any
BioC reader that places passages at their offsets) reads back the same text. Annotations carry
document-level offsets (BioC's convention), the label as `type` and the concept as
`identifier`; each claim is a document-level relation whose nodes are its subject and object
annotations, with predicate, negation, hedging, rule, confidence and context as infons.
Written with the standard library only; the `bioc` package reads it back in the tests.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from claimminer import __version__
from claimminer.formats import BIOC_LENGTH_INFON
from claimminer.model import Claim, Document, Mention

SOURCE = f"claimminer {__version__}"
KEY = "claimminer.key"


def passages(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line that is not empty; blank lines are the gaps between."""
    offset = 0
    for line in text.split("\n"):
        if line:
            yield offset, line
        offset += len(line) + 1


def annotation_infons(mention: Mention) -> dict[str, str]:
    """A mention's infons: its kind, concept and who found it."""
    infons = {"type": mention.label, "source": mention.source}
    if mention.concept_id:
        infons["identifier"] = mention.concept_id
    if mention.concept_name:
        infons["concept_name"] = mention.concept_name
    return infons


def relation_infons(claim: Claim, document: Document) -> dict[str, str]:
    """A claim's infons (BioC infons are strings)."""
    infons = {
        "type": claim.predicate,
        "negated": str(claim.negated).lower(),
        "hedged": str(claim.hedged).lower(),
        "sentence_offset": str(claim.sentence_start),
        "sentence_length": str(claim.sentence_end - claim.sentence_start),
    }
    if claim.rule:
        infons["rule"] = claim.rule
    if claim.confidence is not None:
        infons["confidence"] = f"{claim.confidence:g}"
    if (trigger := claim.trigger_text(document.text)) is not None:
        infons["trigger"] = trigger
        infons["trigger_offset"] = str(claim.trigger_start)
    infons.update({f"context_{name}": value for name, value in claim.context.as_dict().items()})
    return infons


def _passage_of(mention: Mention, spans: list[tuple[int, str]]) -> int | None:
    for number, (offset, line) in enumerate(spans):
        if offset <= mention.start and mention.end <= offset + len(line):
            return number
    return None


def collection_json(documents: Iterable[Document]) -> dict[str, Any]:
    """The collection as BioC JSON (the key names of the BioC JSON format)."""
    records = []
    for document in documents:
        spans = list(passages(document.text))
        annotations: list[list[dict[str, Any]]] = [[] for _ in spans]
        loose: list[dict[str, Any]] = []  # a mention across a line break
        for mention in document.entities:
            record = {"id": mention.id, "infons": annotation_infons(mention), "text": mention.text,
                      "locations": [{"offset": mention.start,
                                     "length": mention.end - mention.start}]}  # fmt: skip
            number = _passage_of(mention, spans)
            (loose if number is None else annotations[number]).append(record)
        relations = [
            {"id": claim.id, "infons": relation_infons(claim, document),
             "nodes": [{"refid": claim.subject, "role": "subject"},
                       {"refid": claim.object, "role": "object"}]}
            for claim in document.claims
        ]  # fmt: skip
        records.append({
            "id": document.id, "infons": {BIOC_LENGTH_INFON: str(len(document.text))},
            "annotations": loose, "relations": relations,
            "passages": [
                {"offset": offset, "infons": {}, "text": line, "sentences": [],
                 "annotations": found, "relations": []}
                for (offset, line), found in zip(spans, annotations, strict=True)
            ],
        })  # fmt: skip
    return {"source": SOURCE, "date": date.today().isoformat(), "key": KEY, "infons": {},
            "documents": records}  # fmt: skip


def bioc_json(documents: Iterable[Document]) -> str:
    """BioC JSON text."""
    return json.dumps(collection_json(documents), ensure_ascii=False, indent=1) + "\n"


def bioc_xml(documents: Iterable[Document]) -> str:
    """BioC XML text (the element names and order of BioC.dtd)."""
    data = collection_json(documents)
    root = ElementTree.Element("collection")
    for name in ("source", "date", "key"):
        ElementTree.SubElement(root, name).text = data[name]
    for record in data["documents"]:
        document = ElementTree.SubElement(root, "document")
        ElementTree.SubElement(document, "id").text = record["id"]
        _infons_xml(document, record["infons"])
        for passage in record["passages"]:
            element = ElementTree.SubElement(document, "passage")
            ElementTree.SubElement(element, "offset").text = str(passage["offset"])
            ElementTree.SubElement(element, "text").text = passage["text"]
            for annotation in passage["annotations"]:
                _annotation_xml(element, annotation)
        for annotation in record["annotations"]:
            _annotation_xml(document, annotation)
        for relation in record["relations"]:
            element = ElementTree.SubElement(document, "relation", id=relation["id"])
            _infons_xml(element, relation["infons"])
            for node in relation["nodes"]:
                ElementTree.SubElement(element, "node", refid=node["refid"], role=node["role"])
    ElementTree.indent(root, space=" ")
    # a raw carriage return would come back as a line feed (XML normalises line ends)
    body = ElementTree.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE collection SYSTEM 'BioC.dtd'>\n" + (
        body + "\n"
    )


def _annotation_xml(parent: ElementTree.Element, annotation: dict[str, Any]) -> None:
    element = ElementTree.SubElement(parent, "annotation", id=annotation["id"])
    _infons_xml(element, annotation["infons"])
    for location in annotation["locations"]:
        ElementTree.SubElement(element, "location", offset=str(location["offset"]),
                               length=str(location["length"]))  # fmt: skip
    ElementTree.SubElement(element, "text").text = annotation["text"]


def _infons_xml(parent: ElementTree.Element, infons: dict[str, str]) -> None:
    for key, value in infons.items():
        ElementTree.SubElement(parent, "infon", key=key).text = value
