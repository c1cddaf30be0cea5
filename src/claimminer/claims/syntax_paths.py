"""Small named paths through a dependency parse, the way spaCy's syntax iterators read one.

The Doc has entities merged into single tokens (each hangs where the head of its words hung)
and labels in the ClearNLP scheme of claimminer's parser and spaCy's English pipelines. A
syntax rule names relations ("subject", "agent", "prep of"); these functions walk them, so
no rule counts tokens. Each returns tokens in text order.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

ACTIVE_TAGS = frozenset({"VB", "VBD", "VBZ", "VBP", "VBG"})
HAVE_FORMS = frozenset({"have", "has", "had", "having"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
# Verbs whose "with" names a partner in the act: "X cooperates with Y to induce Z".
COOPERATION_STEMS = ("cooperat", "co-operat", "synergi", "collaborat")
# Modifiers of a noun that may name what the noun is about: "NK cell cytotoxicity",
# "IL-2 production", "the IL-2 gene".
NOUN_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "npadvmod", "poss", "nummod"})
# A coordinated verb with one of these has a subject of its own; without, it shares its
# head's ("IL-4 was described as X and has been found to suppress Y": IL-4 suppresses).
SUBJECT_OWN_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
DENIERS = frozenset({"not", "nor", "neither", "no"})
FINITE_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})


def children(token: Token, deps: frozenset[str] | set[str]) -> list[Token]:
    """The token's dependents with one of these labels."""
    return [child for child in token.children if child.dep_ in deps]


def has_own_subject(verb: Token) -> bool:
    """A coordinated verb with its own subject does not share its head's."""
    return any(child.dep_ in SUBJECT_OWN_DEPS for child in verb.children)


def is_passive(verb: Token) -> bool:
    """A past participle read as passive: 'was induced by', 'IL-6 induced by IL-1'."""
    if verb.tag_ != "VBN":
        return False
    own = {child.dep_ for child in verb.children}
    if own & {"auxpass", "nsubjpass", "agent"}:
        return True
    if own & {"aux"} and any(c.lower_ in HAVE_FORMS for c in children(verb, {"aux"})):
        return False  # "has induced": a perfect
    if verb.dep_ == "conj" and not has_own_subject(verb):
        return is_passive(verb.head)
    return verb.dep_ in ("acl", "relcl", "advcl", "amod", "xcomp", "ccomp", "ROOT")


def is_active_verb(token: Token) -> bool:
    """A verb whose subject acts: 'induces', 'inhibited', 'has activated', 'expressing'."""
    if token.dep_ in ("amod", "compound", "nmod"):
        return False  # "activated T cells": an adjective
    if token.tag_ in ACTIVE_TAGS:
        return True
    return token.tag_ == "VBN" and not is_passive(token)


def subject_of(verb: Token) -> list[Token]:
    """Who does what the verb says.

    Its own subject; for a relative clause or a participle after a noun, that noun ("cells
    that secrete IL-4", "Th17 cells expressing IL-17"); for a verb coordinated with another,
    the other's subject; for an infinitive, the subject of the verb that governs it, passive
    or not ("X failed to induce", "X has been shown to repress"); for a gerund after "by" or
    "thereby", the subject of the clause ("X inhibits A by suppressing B").
    """
    own = _own_subjects(verb, SUBJECT_DEPS)
    head = verb.head
    if own or head.i == verb.i:
        return own + [added for subject in own for added in _in_addition_to(subject)]
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ in ("VBG", "VB")):
        return [head]  # "cells expressing IL-17", "the ability of X to induce Y"
    if verb.dep_ == "conj" and not has_own_subject(verb):
        stranded = stranded_subject(verb)
        if stranded is not None:
            return [stranded]
        if is_active_verb(head) or head.tag_ in ("VBN",):
            # "GATA-3 is expressed in Th2 cells and controls IL-5": the subject of the first
            # verb, whatever its voice, where a conjunction joins them
            shared = subject_of(head)
            if not shared and _joined_by_a_conjunction(head, verb):
                shared = passive_subject_of(head)
            return shared
        return []
    if verb.dep_ == "xcomp":
        if head.dep_ in ("acomp", "attr") and head.head.i != head.i:
            head = head.head  # "X is able to induce Y": the subject of "is"
        return (subject_of(head) or passive_subject_of(head)) + _partners(head)
    if verb.dep_ == "pcomp" and head.lower_ == "by" and head.head.i != head.i:
        return subject_of(head.head)
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":
        return subject_of(head)
    if verb.dep_ == "advcl" and _is_infinitive(verb):
        return subject_of(head) + _partners(head)  # "X cooperated with Y to induce Z"
    return []


def _partners(verb: Token) -> list[Token]:
    """Who acts with the subject: Y in "X cooperated with Y (to induce Z)"."""
    if not verb.lower_.startswith(COOPERATION_STEMS):
        return []
    return [pobj for pobj, _ in preposition_objects(verb, ("with",))]


def _in_addition_to(subject: Token) -> list[Token]:
    """Y in "X, in addition to Y, regulates Z": a second subject."""
    return phrase_objects(subject, "in", "addition", "to")


def phrase_objects(token: Token, preposition: str, noun: str, inner: str) -> list[Token]:
    """The objects of a phrase such as "in addition to Y", "in the presence of Y" on `token`."""
    return [
        target
        for head, _ in preposition_objects(token, (preposition,))
        if head.lower_ == noun
        for target, _ in preposition_objects(head, (inner,))
    ]


def conjunctions_between(first: Token, second: Token) -> list[Token]:
    """The coordinating words ('and', 'but', 'or') between two tokens."""
    return [token for token in first.doc[first.i + 1 : second.i] if token.dep_ == "cc"]


def _joined_by_a_conjunction(first: Token, second: Token) -> bool:
    """A conjunction of the two coordinated words between them (not a bare attachment)."""
    return any(t.head.i in (first.i, second.i) for t in conjunctions_between(first, second))


def _is_infinitive(verb: Token) -> bool:
    """'to induce': a base-form verb with 'to' before it."""
    return verb.tag_ == "VB" and any(c.lower_ == "to" for c in children(verb, {"aux"}))


def _own_subjects(verb: Token, deps: frozenset[str]) -> list[Token]:
    """The verb's own subjects; a relative pronoun stands for the noun the clause follows."""
    own = children(verb, deps)
    if own and verb.dep_ == "relcl" and all(t.lower_ in RELATIVE_PRONOUNS for t in own):
        return [verb.head]  # "cells that secrete IL-4"
    return own


def stranded_subject(verb: Token) -> Token | None:
    """The subject of a coordinated finite verb that the parser hung on the previous clause.

    In "Prolactin activates STAT5, and IL-4 (interleukin-4) activates STAT6" the parser may
    attach IL-4 as a conjunct of STAT5 and leave the second "activates" without a subject;
    a finite verb needs one, and the noun right before it (a parenthesis aside) is it.
    """
    if verb.tag_ not in FINITE_VERB_TAGS:
        return None
    before = _before_parenthesis(verb)
    if before is None or before.dep_ != "conj" or before.head.i > verb.i:
        return None
    if before._.cm_role or before.tag_.startswith(("NN", "PRP")):
        return before
    return None


def _before_parenthesis(token: Token) -> Token | None:
    """The token before this one, skipping a parenthesis that ends right before it."""
    doc, position = token.doc, token.i - 1
    if position >= 0 and doc[position].text == ")":
        while position >= 0 and doc[position].text != "(":
            position -= 1
        position -= 1
    return doc[position] if position >= 0 else None


def passive_subject_of(verb: Token) -> list[Token]:
    """What undergoes a passive verb: its subject, or the noun a participle follows.

    With a passive auxiliary ("was induced") the subject undergoes it even where the parser
    labelled it an active subject or hung it on the auxiliary.
    """
    own = _own_subjects(verb, PASSIVE_SUBJECT_DEPS)
    auxiliaries = children(verb, {"auxpass"})
    if not own and auxiliaries:
        own = _own_subjects(verb, SUBJECT_DEPS) or [
            subject for auxiliary in auxiliaries
            for subject in children(auxiliary, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
        ]  # fmt: skip
    head = verb.head
    if own or head.i == verb.i:
        return own
    if verb.dep_ in ("acl", "relcl", "amod"):
        return [head]
    if verb.dep_ == "conj" and not has_own_subject(verb):
        return passive_subject_of(head) or subject_of(head)
    if verb.dep_ == "xcomp":
        return subject_of(head) or passive_subject_of(head)
    return []


def direct_object_of(verb: Token) -> list[Token]:
    """The verb's direct object; a verb coordinated before another shares its object.

    In "IL-4 induces and activates STAT6" STAT6 hangs from the second verb. When the object
    is a process turned "into" something and the parser hung "into" on the verb ("induces
    the differentiation of naive T cells into Th17 cells"), the product is the object.
    """
    own = children(verb, {"dobj", "obj"})
    if own and not any(t._.cm_role for t in own):
        products = [pobj for pobj, _ in preposition_objects(verb, ("into",))]
        if products:
            return products
    if own:
        return own + _objects_hung_on_the_verb(verb, own[-1])
    for conjunct in children(verb, {"conj"}):
        if not has_own_subject(conjunct) and is_active_verb(conjunct):
            shared = children(conjunct, {"dobj", "obj"})
            if shared:
                return shared
    return []


def _objects_hung_on_the_verb(verb: Token, last_object: Token) -> list[Token]:
    """Nouns the parser coordinated with the verb rather than with its object.

    "induces IFN-gamma and possibly granzyme B": granzyme B hangs on "induces" as a
    conjunct; a noun conjunct after the object, with no verb of its own, is another object.
    """
    return [
        conjunct for conjunct in children(verb, {"conj"})
        if conjunct.i > last_object.i and conjunct.tag_.startswith("NN")
        and not any(c.dep_ in SUBJECT_DEPS for c in conjunct.children)
    ]  # fmt: skip


def preposition_objects(token: Token, words: tuple[str, ...]) -> Iterator[tuple[Token, bool]]:
    """(object, denied) of the token's prepositions among `words`, with coordinated ones.

    "enhanced by IL-2 and IL-12, but not by IL-4" gives IL-2, IL-12 and IL-4 (denied).
    """
    for preposition in token.children:
        if preposition.dep_ not in ("prep", "agent") or preposition.lower_ not in words:
            continue
        for member, denied in conjuncts(preposition):
            if member.i != preposition.i and member.lower_ not in words:
                continue
            for pobj in children(member, {"pobj"}):
                yield pobj, denied


def agent_of(verb: Token) -> list[tuple[Token, bool]]:
    """The objects of a passive verb's "by" (and of "by" phrases coordinated with it)."""
    return list(preposition_objects(verb, ("by",)))


def present_factor(verb: Token) -> list[Token]:
    """What a passive verb happened "in the presence of", when no "by" names an agent.

    "Tax mRNA was down-regulated in the presence of Foxp3": Foxp3 (its conjuncts follow).
    A verb with its own means ("stimulated with PHA in the presence of PGE2") has its agent.
    """
    if agent_of(verb) or next(preposition_objects(verb, ("with",)), None) is not None:
        return []
    return phrase_objects(verb, "in", "presence", "of")


def head_noun(token: Token) -> list[Token]:
    """The noun a modifier or participle qualifies ("IL-4-induced STAT6": STAT6)."""
    if token.dep_ in ("amod", "acl", "compound", "nmod", "npadvmod") and token.head.i != token.i:
        return [token.head]
    return []


def hyphen_modifier(token: Token) -> list[Token]:
    """The name joined by a hyphen before a participle: 'IL-4' of 'IL-4-induced'.

    The parse hangs it on the participle (npadvmod, compound, nmod); when it hangs it
    elsewhere, the token right before the hyphen stands in.
    """
    if token.i < 2 or token.doc[token.i - 1].text != "-":
        return []
    before = token.doc[token.i - 2]
    attached = [c for c in token.lefts if c.dep_ != "punct" and c.i < token.i - 1]
    return attached or [before]


def clause_subject(token: Token) -> list[Token]:
    """The subject of the clause a predicate word sits in.

    'X is essential for', 'X is an inducer of' (the copula's subject), 'X plays a role in'
    (the verb's subject), 'X is required for' (a passive's subject), 'X acts as a repressor
    of' (the verb's subject), and for a coordinated predicate, the first one's.
    """
    if token.dep_ in ("attr", "acomp", "dobj", "oprd") and token.head.i != token.i:
        return subject_of(token.head)
    if token.dep_ == "conj" and is_predicate_word(token.head):
        return clause_subject(token.head)  # "X is an activator of A and a repressor of B"
    if token.dep_ == "pobj" and is_predicate_word(token):
        return subject_of(token.head.head)  # "X acts as a repressor of Y"
    if is_passive(token):
        return passive_subject_of(token)
    return subject_of(token)


def is_predicate_word(token: Token) -> bool:
    """A predicate adjective or noun, or one coordinated with such.

    "is essential", "is an inducer of", "acts as a repressor of"; "an activator of A and a
    repressor of B".
    """
    if token.dep_ in ("acomp", "attr", "oprd") or token.tag_.startswith("JJ"):
        return True
    if token.dep_ == "conj" and token.head.i != token.i:
        return is_predicate_word(token.head)
    head = token.head
    return token.dep_ == "pobj" and head.lower_ == "as" and head.head.tag_.startswith("VB")


def noun_modifier(token: Token) -> list[Token]:
    """A noun's modifiers before it: "Tax" in "Tax activation of NF-kappaB"."""
    return [c for c in token.lefts if c.dep_ in ("compound", "nmod", "poss")]


def possessor(token: Token) -> list[Token]:
    """The possessive before a noun: IL-2 in "IL-2's induction of"."""
    return children(token, {"poss"})


def conjuncts(token: Token) -> list[tuple[Token, bool]]:
    """The token and those coordinated with it, each with whether it is denied.

    "IL-2 and IL-12, but not IL-4": IL-4 is denied (a "not" before it or hanging on it);
    "neither A nor B" denies both. A conjunct that is the stranded subject of a later verb
    (`stranded_subject`) belongs to that verb's clause, not to this list.
    """
    if _starts_a_clause(token):
        return [(token, is_denied(token))]  # its list is the previous clause's
    by_index = {t.i: t for t in (token, *token.conjuncts)}
    members = [by_index[i] for i in sorted(by_index)]
    return [(m, is_denied(m)) for m in members if m.i == token.i or not _starts_a_clause(m)]


def _same(first: Token | None, second: Token) -> bool:
    """Whether two tokens are one (spaCy makes a new Token object at every access)."""
    return first is not None and first.i == second.i


def _starts_a_clause(token: Token) -> bool:
    """A noun followed (a parenthesis aside) by a coordinated finite verb that lacks a subject."""
    doc = token.doc
    position = token.i + 1
    if position < len(doc) and doc[position].text == "(":
        while position < len(doc) and doc[position].text != ")":
            position += 1
        position += 1
    if position >= len(doc):
        return False
    verb = doc[position]
    if verb.dep_ != "conj" or has_own_subject(verb):
        return False
    return _same(stranded_subject(verb), token)


def is_denied(token: Token) -> bool:
    """A 'not', 'nor' or 'neither' right before the token or its phrase, or hanging on it.

    "but not the related proteins bcl-2 and mcl-1": the 'not' before the phrase of
    "proteins" denies it. "not only IL-6 but also TNF" denies neither.
    """
    doc = token.doc
    for start in {token.i, token.left_edge.i}:
        before = doc[start - 1] if start > 0 else None
        if before is not None and before.lower_ in DENIERS and not _denies_nothing(before):
            return True
    return any(
        child.lower_ in DENIERS and child.dep_ in ("neg", "preconj", "advmod", "cc", "det")
        and child.i < token.i and not _denies_nothing(child)
        for child in token.children
    )  # fmt: skip


def _denies_nothing(cue: Token) -> bool:
    """'not only', 'not just' ("not only X but also Y") and 'or not' ("whether or not X")."""
    doc = cue.doc
    after = doc[cue.i + 1] if cue.i + 1 < len(doc) else None
    before = doc[cue.i - 1] if cue.i > 0 else None
    if cue.lower_ == "not" and before is not None and before.lower_ == "or":
        return True
    return cue.lower_ == "not" and after is not None and after.lower_ in ("only", "just")
