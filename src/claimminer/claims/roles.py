"""Which tokens can be claim arguments, and which mentions only qualify a noun.

The Doc has every entity merged into one token. `mark_roles` marks argument tokens (and
pronouns) for the surface patterns; the helpers below tell a modifier ("IL-1beta-induced")
or a stretch of DNA ("the IL-2 promoter") from an argument; `sentence_topics` resolves a
sentence-initial pronoun to the previous sentence's leading argument.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimminer.claims.words import ARGUMENT_LABELS, PRONOUNS
from claimminer.model import Label
from claimminer.rules import PRONOUN, Cues


def mark_roles(doc: Doc, context_only: frozenset[int], cues: Cues) -> dict[int, int]:
    """Mark argument tokens with their label and pronouns with PRONOUN; return token -> entity.

    Species and the entities in `context_only` (a genotype such as "IL-2 KO mice", a stimulus
    such as "stimulated with LPS") are context, not arguments, so they get no role and do not
    block pattern skips. A modifier ("LPS-stimulated TNF-alpha production") keeps its role but
    does not block skips either, so a pattern reaches the noun it qualifies.
    """
    entity_of_token = {ent.start: number for number, ent in enumerate(doc.ents)}
    describing = {ent.start for ent in doc.ents if ent.has_extension("describes_other")
                  and ent._.describes_other}  # fmt: skip
    for token in doc:
        if token.i in entity_of_token:
            label = token.ent_type_
            eligible = (
                label in ARGUMENT_LABELS
                and token.i not in context_only
                and token.i not in describing
            )
            token._.cm_role = label if eligible else ""
        elif token.lower_ in PRONOUNS:
            token._.cm_role = PRONOUN
        else:
            token._.cm_role = ""
    for token in doc:
        token._.cm_opaque = bool(token._.cm_role) and (
            modifier_participle(doc, token.i, cues) is None
        )
    return entity_of_token


def sentence_topics(doc: Doc) -> dict[int, int]:
    """Antecedent of a sentence-initial pronoun: the previous sentence's leading argument.

    Maps the index of each pronoun token to the entity token it stands for, following chains
    ("IL-2 is ... It is ... It augments ...").
    """
    antecedents: dict[int, int] = {}
    topic: int | None = None
    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_space and not t.is_punct][:3]
        lead = next((t for t in words if t._.cm_role), None)
        for token in sentence:
            if token._.cm_role == PRONOUN and topic is not None:
                antecedents[token.i] = topic
        if lead is not None:
            topic = antecedents.get(lead.i, lead.i) if lead._.cm_role == PRONOUN else lead.i
            if lead._.cm_role == PRONOUN and lead.i not in antecedents:
                topic = None
    return antecedents


def modifier_participle(doc: Doc, index: int, cues: Cues) -> int | None:
    """The participle that makes this mention a modifier, if any.

    'IL-1beta-induced', 'CD3/CD28-induced', 'IL-2-, IL-3- and GM-CSF-induced', and any
    hyphenated participle ('MEK1-interfering mutants'); but in 'activation of STAT6 and
    STAT6-dependent expression' the first STAT6 is no modifier.
    """
    position = index + 1
    while position + 1 < len(doc):
        token, after = doc[position], doc[position + 1]
        if token.text == "-" and (
            after.lower_ in cues.modifier_participles
            or (after.is_lower and after.is_alpha and after.lower_.endswith(("ing", "ed")))
        ):
            return position + 1
        if token.text == "/" and after._.cm_role:
            position += 2  # "CD3/CD28-induced"
        elif token.text == "-" and after.lower_ in (",", "and", "or"):
            position += 1  # a hanging hyphen: "IL-2-, IL-3- and GM-CSF-induced"
            while position < len(doc) and doc[position].lower_ in (",", "and", "or"):
                position += 1
            if position >= len(doc) or not doc[position]._.cm_role:
                return None
            position += 1
        else:
            return None
    return None


def differentiation_product(doc: Doc, index: int) -> int:
    """'the differentiation of naive T cells into Th17 cells': the claim is about Th17 cells."""
    after = index + 2
    if (
        after < len(doc)
        and doc[index].ent_type_ == Label.CELL_TYPE
        and doc[index + 1].lower_ == "into"
        and doc[after].ent_type_ == Label.CELL_TYPE
        and doc[after]._.cm_role
    ):
        return after
    return index


def modified_noun(doc: Doc, index: int, cues: Cues, labels: frozenset[str]) -> int | None:
    """The argument a claim is about.

    The mention itself, or, for 'inhibited IL-1beta-induced IL-6', the mention the participle
    qualifies (None when it qualifies no mention).
    """
    participle = modifier_participle(doc, index, cues)
    if participle is None:
        return index
    for position in range(participle + 1, min(participle + 5, len(doc))):
        if doc[position]._.cm_role in labels:
            return position
        if doc[position].is_punct:
            break
    return None


def heads_away(doc: Doc, index: int, cues: Cues, is_object: bool) -> bool:
    """Whether the phrase is about the mention's absence or an answer to it, not about it.

    'IL-2 deprivation', 'IL-2-dependence', and for an object 'controls responsiveness to
    IFN-gamma' or 'the STAT5 element' (where STAT5 binds). A subject after 'response to'
    stays: 'increased in response to TNF'.
    """
    after = index + 1
    if after + 1 < len(doc) and doc[after].text == "-":
        after += 1
    if after < len(doc) and doc[after].lower_ in cues.indirect_heads:
        return True
    if is_object and index + 1 < len(doc) and doc[index + 1].lower_ in cues.site_words:
        return True  # "activation of the promoter containing the STAT5 element"
    return (
        is_object
        and index > 1
        and doc[index - 1].lower_ == "to"
        and doc[index - 2].lower_ in cues.indirect_heads
    )


def names_a_dna_region(doc: Doc, index: int, cues: Cues) -> bool:
    """'IL-2 promoter', 'GATA-3 site': the mention qualifies a stretch of DNA, not a protein."""
    return index + 1 < len(doc) and doc[index + 1].lower_ in cues.dna_words
