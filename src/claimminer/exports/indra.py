"""Claims as INDRA Statements (INDRA's JSON form), so INDRA's assemblers take them as they are.

One statement per claim. The statement type follows the predicate and what the object is:

- increases / decreases a cytokine, protein or chemical: IncreaseAmount / DecreaseAmount
  (production, expression, release), unless the trigger names an activity ("activates",
  "stimulates"): Activation / Inhibition;
- increases / decreases a cell type or cell line (its activation, growth, function):
  Activation / Inhibition;
- increases / decreases a disease: Influence with polarity +1 / -1;
- produces (a cell makes a cytokine): IncreaseAmount;
- required_for: Activation (necessity is positive regulation, as GE11 annotates it);
- affects: Influence without polarity;
- binds: Complex of both.

Agents carry INDRA's namespaces: HGNC (bare number, with UniProt `UP` from the lexicon where
it lists one), FPLX, UP, CHEBI, MESH, CL, MONDO (bare number), TAXONOMY (NCBI number) and
CVCL (Cellosaurus). Every agent keeps its text under `TEXT`; a concept in a namespace INDRA
lacks stays under `TEXT` alone, with the claimminer id in the evidence annotations.
Evidence: `source_api` "claimminer", the PMID when the document id is one, the sentence,
negation as `epistemics.negated`, hedging as `epistemics.hypothesis` (REACH's flag) and
`hedged`, the organism of the claim's context as the BioContext species (NCBI taxonomy), and
the claim's rule, confidence, context and offsets as annotations.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from claimminer.model import Claim, Document, Label, Mention

SOURCE_API = "claimminer"
# Fixed namespace for statement ids: the same claim in the same document gets the same id.
STATEMENT_IDS = uuid.UUID("5f3c2a1e-7d4b-4c8e-9a61-0c1d2e3f4a5b")
PMID = re.compile(r"^(?:PMID[-:_ ]?)?(\d{1,9})$", re.IGNORECASE)
ACTIVITY_TRIGGERS = ("activat", "inactivat", "stimulat", "costimulat")
AMOUNT_KINDS = frozenset({Label.CYTOKINE, Label.PROTEIN, Label.CHEMICAL})
CELL_KINDS = frozenset({Label.CELL_TYPE, Label.CELL_LINE})
SIGNED = {"increases": ("IncreaseAmount", "Activation", 1), "decreases": ("DecreaseAmount",
          "Inhibition", -1)}  # fmt: skip


def indra_refs(concept_id: str | None, cross_references: Mapping[str, str]) -> dict[str, str]:
    """INDRA's db_refs for a claimminer concept id (TEXT is added by the caller)."""
    if not concept_id:
        return {}
    prefix, _, local = concept_id.partition(":")
    if concept_id.startswith("CVCL_"):
        return {"CVCL": concept_id}
    if prefix == "HGNC":
        refs = {"HGNC": local}
        if uniprot := cross_references.get(concept_id):
            refs["UP"] = uniprot
        return refs
    simple = {"FPLX": "FPLX", "UniProt": "UP", "MESH": "MESH", "NCBITaxon": "TAXONOMY",
              "MONDO": "MONDO"}  # fmt: skip
    if prefix in simple:
        return {simple[prefix]: local}
    if prefix in ("CHEBI", "CL"):
        return {prefix: concept_id}  # INDRA keeps these prefixes in the id
    return {}


def agent(mention: Mention, cross_references: Mapping[str, str]) -> dict[str, Any]:
    """An INDRA Agent: the concept's name (else the text) and its groundings."""
    refs = {"TEXT": mention.text, **indra_refs(mention.concept_id, cross_references)}
    return {"name": mention.concept_name or mention.text, "db_refs": refs}


def statement_type(claim: Claim, document: Document) -> tuple[str, int | None]:
    """INDRA statement type and, for an Influence, its polarity (see the module's table)."""
    kind = document.entity(claim.object).label
    if claim.predicate == "binds":
        return "Complex", None
    if claim.predicate == "affects":
        return "Influence", None
    if claim.predicate == "produces":
        return "IncreaseAmount", None
    if claim.predicate == "required_for":
        return "Activation", None
    amount, activity, polarity = SIGNED[claim.predicate]
    if kind == Label.DISEASE:
        return "Influence", polarity
    if kind in CELL_KINDS:
        return activity, None
    trigger = (claim.trigger_text(document.text) or "").lower()
    if kind in AMOUNT_KINDS and not trigger.startswith(ACTIVITY_TRIGGERS):
        return amount, None
    return activity, None


def _event(concept: dict[str, Any], polarity: int | None, key: str) -> dict[str, Any]:
    return {"type": "Event", "id": key, "concept": concept,
            "delta": {"type": "qualitative", "polarity": polarity}}  # fmt: skip


def evidence(
    claim: Claim, document: Document, taxa: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """INDRA Evidence for a claim: sentence, PMID, negation and hedging, claimminer's details.

    `taxa` maps an organism of the claim's context ("mouse") to its NCBI taxonomy number,
    which becomes the evidence's BioContext species.
    """
    subject, object_ = document.entity(claim.subject), document.entity(claim.object)
    annotations: dict[str, Any] = {
        "document": document.id,
        "claim": claim.id,
        "predicate": claim.predicate,
        "rule": claim.rule,
        "confidence": claim.confidence,
        "context": claim.context.as_dict(),
        "sentence": [claim.sentence_start, claim.sentence_end],
        "subject": {"text": subject.text, "span": [subject.start, subject.end],
                    "concept": subject.concept_id},
        "object": {"text": object_.text, "span": [object_.start, object_.end],
                   "concept": object_.concept_id},
    }  # fmt: skip
    if (trigger := claim.trigger_text(document.text)) is not None:
        annotations["trigger"] = {"text": trigger,
                                  "span": [claim.trigger_start, claim.trigger_end]}  # fmt: skip
    result: dict[str, Any] = {
        "source_api": SOURCE_API,
        "text": " ".join(document.text[claim.sentence_start : claim.sentence_end].split()),
        "annotations": annotations,
        "epistemics": {"negated": claim.negated, "hypothesis": claim.hedged,
                       "hedged": claim.hedged, "direct": claim.predicate == "binds"},
    }  # fmt: skip
    if found := PMID.match(document.id):
        result["pmid"] = found.group(1)  # INDRA's schema wants a string, never null
    organism = claim.context.organism
    if taxa and organism is not None and organism in taxa:
        species = {"name": organism, "db_refs": {"TAXONOMY": taxa[organism]}}
        result["context"] = {"type": "bio", "species": species}
    return result


def statement(
    claim: Claim,
    document: Document,
    cross_references: Mapping[str, str],
    taxa: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The INDRA Statement (JSON form) of one claim."""
    key = str(uuid.uuid5(STATEMENT_IDS, f"{document.id}\t{claim.id}"))
    subject = agent(document.entity(claim.subject), cross_references)
    object_ = agent(document.entity(claim.object), cross_references)
    kind, polarity = statement_type(claim, document)
    found: dict[str, Any] = {"type": kind, "id": key}
    if kind == "Complex":
        found["members"] = [subject, object_]
    elif kind == "Influence":
        found["subj"] = _event(subject, None, f"{key}-subject")
        found["obj"] = _event(object_, polarity, f"{key}-object")
    else:
        found["subj"], found["obj"] = subject, object_
        if kind in ("Activation", "Inhibition"):
            found["obj_activity"] = "activity"
    found["evidence"] = [evidence(claim, document, taxa)]
    return found


def statements(
    documents: Iterable[Document],
    cross_references: Mapping[str, str],
    taxa: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every claim of every document as an INDRA Statement, in document and claim order."""
    return [statement(claim, document, cross_references, taxa)
            for document in documents for claim in document.claims]  # fmt: skip


def taxa_of(organisms: Mapping[str, str]) -> dict[str, str]:
    """Organism name -> NCBI taxonomy number, from the cue file's concept -> organism map."""
    return {name: concept.removeprefix("NCBITaxon:") for concept, name in organisms.items()
            if concept.startswith("NCBITaxon:")}  # fmt: skip
