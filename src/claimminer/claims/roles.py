"""Which tokens can be claim arguments, and which mentions only qualify a noun.

The Doc has every entity merged into one token. `mark_roles` marks argument tokens (and
pronouns) for the surface patterns; the helpers below tell a modifier ("IL-1beta-induced")
or a stretch of DNA ("the IL-2 promoter") from an argument; `sentence_topics` resolves a
sentence-initial pronoun to the previous sentence's leading argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claimminer.claims.words import ARGUMENT_LABELS, PRONOUNS
from claimminer.model import Label
from claimminer.rules import PRONOUN, Cues

# A role token's NORM, for the rule Matcher: spaCy's Matcher reads a token attribute in C,
# a custom extension through a Python object per token and pattern state.
ROLE_NORM_PREFIX = "\x1fcm-role:"  # a control character: no word's norm starts with it


def role_norm(role: str, opaque: bool) -> str:
    """The NORM `mark_roles` gives a token with `role` (opaque: it blocks pattern skips).

    >>> role_norm("CYTOKINE", opaque=True).removeprefix(ROLE_NORM_PREFIX)
    'CYTOKINE:opaque'
    """
    return f"{ROLE_NORM_PREFIX}{role}{':opaque' if opaque else ''}"


@dataclass(frozen=True, slots=True)
class DocWords:
    """Per-token arrays the claim readers consult many times: read once per Doc.

    A token's extension attributes cost an object per access in spaCy; the Python code
    reads these, the rule Matcher the roles written into NORM (`role_norm`).
    """

    lower: tuple[str, ...]
    in_entity: tuple[bool, ...]
    role: tuple[str, ...]
    entity_of_token: dict[int, int]

    def span(self, sentence: Span) -> range:
        """Token positions of a sentence."""
        return range(sentence.start, sentence.end)


def mark_roles(
    doc: Doc, context_only: frozenset[int], cues: Cues, lower: tuple[str, ...]
) -> DocWords:
    """Mark argument tokens with their label and pronouns with PRONOUN; return the doc's words.

    Species and the entities in `context_only` (a genotype such as "IL-2 KO mice", a stimulus
    such as "stimulated with LPS") are context, not arguments, so they get no role and do not
    block pattern skips. A modifier ("LPS-stimulated TNF-alpha production") keeps its role but
    does not block skips either, so a pattern reaches the noun it qualifies. `lower` holds
    the doc's lower-cased tokens. Only tokens with a role are written: the extensions'
    defaults say no role and not opaque. The rule Matcher reads the role from the token's
    NORM (`role_norm`), which only these tokens get.
    """
    entity_of_token = {ent.start: number for number, ent in enumerate(doc.ents)}
    describing = {ent.start for ent in doc.ents if ent.has_extension("describes_other")
                  and ent._.describes_other}  # fmt: skip
    role = [PRONOUN if word in PRONOUNS else "" for word in lower]
    for ent in doc.ents:
        label = ent.label_
        eligible = (
            label in ARGUMENT_LABELS and ent.start not in context_only
            and ent.start not in describing
        )  # fmt: skip
        role[ent.start] = label if eligible else ""
    for index, value in enumerate(role):
        if value:
            doc[index]._.cm_role = value
    for index, value in enumerate(role):
        if value:
            opaque = modifier_participle(doc, index, cues) is None
            doc[index]._.cm_opaque = opaque
            doc[index].norm_ = role_norm(value, opaque)
    in_entity = [False] * len(doc)
    for ent in doc.ents:
        for index in range(ent.start, ent.end):
            in_entity[index] = True
    return DocWords(lower, tuple(in_entity), tuple(role), entity_of_token)


def sentence_topics(doc: Doc, words: DocWords) -> dict[int, int]:
    """Antecedent of a sentence-initial pronoun: the previous sentence's leading argument.

    Maps the index of each pronoun token to the entity token it stands for, following chains
    ("IL-2 is ... It is ... It augments ...").
    """
    antecedents: dict[int, int] = {}
    topic: int | None = None
    role = words.role
    for sentence in doc.sents:
        leading = [t.i for t in sentence if not t.is_space and not t.is_punct][:3]
        lead = next((i for i in leading if role[i]), None)
        if topic is not None:
            for index in words.span(sentence):
                if role[index] == PRONOUN:
                    antecedents[index] = topic
        if lead is not None:
            topic = antecedents.get(lead, lead) if role[lead] == PRONOUN else lead
            if role[lead] == PRONOUN and lead not in antecedents:
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
