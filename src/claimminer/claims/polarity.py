"""Negation and hedging of a claim: from cue words near the trigger, or from the parse.

The surface reader looks for cue words in a window before the trigger (`is_negated`,
`is_hedged`). The syntax reader follows the words the trigger hangs from within its clause
(`governors`): a negating dependent ("not", "no"), a negative verb ("failed to induce"), a
modal auxiliary ("may induce") or a hedging verb above it ("suggest that X induces").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from claimminer.claims.syntax_paths import conjunctions_between
from claimminer.claims.words import ARGUMENT_NEGATORS, DETERMINERS, NOMINAL_ENDINGS
from claimminer.rules import Cues


def is_negated(
    doc: Doc, sentence: Span, trigger: int, cues: Cues, any_trigger: re.Pattern[str] | None = None
) -> bool:
    """Whether a negation cue scopes the trigger.

    A cue within the window before the trigger, with no scope breaker between, or 'no' right
    after it ("released no detectable TNF-alpha"). A cue scopes the first trigger after it: in
    "1,25D3 was ineffective for reducing IFN-gamma production by splenocytes" it denies the
    reduction, not the production. A trigger joined to the next by "or"/"and" ("did not
    induce or enhance") shares its cue, and so does a nominal trigger that is the verb's object
    ("failed to affect activation of c-Jun").
    """
    after = trigger + 1
    if after < sentence.end and doc[after].lower_ in ("no", "neither"):
        return True
    first = max(sentence.start, trigger - cues.negation_window)
    scoped = trigger
    for position in range(trigger - 1, first - 1, -1):
        token = doc[position]
        if token.lower_ in cues.scope_breakers or token.text in cues.scope_breakers:
            return False
        if token.lower_ in cues.negation and not _starts_pseudo(doc, position, cues):
            if _denies_an_argument(doc, position):
                continue  # "CD28 (but not CD2) leads to": the cue denies CD2, not the claim
            return True
        if any_trigger is not None and any_trigger.match(token.lower_) and not token._.cm_role:
            between = doc[position + 1 : scoped]
            if not {t.lower_ for t in between} <= {"or", "and", "nor", ","} and not (
                doc[scoped].lower_.endswith(NOMINAL_ENDINGS)
                and not any(t._.cm_role for t in between)
            ):
                return False  # the cue, if any, belongs to this earlier trigger
            scoped = position  # joined triggers, or "failed to affect activation of c-Jun"
    return False


def _starts_pseudo(doc: Doc, position: int, cues: Cues) -> bool:
    for phrase in cues.pseudo_negation:
        words = [t.lower_ for t in doc[position : position + len(phrase)]]
        if tuple(words) == phrase:
            return True
    return False


def _denies_an_argument(doc: Doc, position: int) -> bool:
    """'but not' right before a mention."""
    return (
        doc[position].lower_ == "not"
        and position > 0
        and doc[position - 1].lower_ == "but"
        and position + 1 < len(doc)
        and bool(doc[position + 1]._.cm_role)
    )


def argument_negated(doc: Doc, index: int, sentence: Span) -> bool:
    """'but not X' or 'neither X': the argument itself is denied.

    A determiner, and a word after it, may stand between: "but not the empty GFP vector"
    (never a verb alone: in "does not induce IL-4" the verb's negation is the clause's).
    """
    previous = index - 1
    if previous >= sentence.start and doc[previous].lower_ in ARGUMENT_NEGATORS:
        return True
    for width in (1, 2):
        negator, first = index - width - 1, index - width
        if (
            negator >= sentence.start
            and doc[first].lower_ in DETERMINERS
            and all(_plain_modifier(doc[i]) for i in range(first + 1, index))
            and doc[negator].lower_ in ARGUMENT_NEGATORS
        ):
            return True
    return False


def _plain_modifier(token: Token) -> bool:
    """A lower-case word that is no argument and no negator ("empty", "related")."""
    return (
        token.is_alpha
        and token.is_lower
        and not token._.cm_role
        and token.lower_ not in ARGUMENT_NEGATORS
    )


def is_hedged(doc: Doc, sentence: Span, trigger: int, cues: Cues) -> bool:
    """A hedge cue anywhere in the sentence before the trigger, or the trigger itself."""
    return any(doc[i].lower_ in cues.hedging for i in range(sentence.start, trigger + 1))


# Relations through which a trigger inherits its clause's negation and modality: an
# infinitive under its verb ("failed to induce"), a noun under its verb or preposition ("had
# no effect", "failed to affect activation of"), a predicate under its copula.
GOVERNED_BY = frozenset({"xcomp", "conj", "dobj", "pobj", "prep", "pcomp", "acomp", "attr",
                         "oprd", "nsubjpass", "auxpass"})  # fmt: skip
# Further up, a clause only takes on hedging: "These data suggest that X induces Y".
HEDGED_THROUGH = GOVERNED_BY | {"ccomp", "advcl", "relcl", "acl", "csubj"}
NEGATING_DETERMINERS = frozenset({"no", "neither"})


def governors(
    trigger: Token,
    through: frozenset[str] = GOVERNED_BY,
    other_trigger: re.Pattern[str] | None = None,
) -> list[Token]:
    """The trigger and the words it hangs from, up through the given relations.

    A coordinated verb with its own subject or auxiliary starts a clause of its own. With
    `other_trigger`, the climb stops at another trigger word above (not a coordinated one):
    in "1,25D3 was ineffective for reducing IFN-gamma production" the cue is the reduction's;
    and at a verb whose object is one ("did not exert influence on the induction of X by Y":
    the cue is the influence's, where the parser hung "on" on the verb).
    """
    chain = [trigger]
    node = trigger
    while node.dep_ in through and node.head.i != node.i and len(chain) < 8:
        if node.dep_ == "conj" and (
            any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") for c in node.children)
            or _after_but(node)
        ):
            break  # "does not interfere with A, but prevents B": B is affirmed
        coordinated = node.dep_ == "conj"
        below = node
        node = node.head
        if other_trigger is not None and not coordinated:
            if other_trigger.match(node.lower_):
                break
            if below.dep_ == "prep" and any(
                c.dep_ == "dobj" and other_trigger.match(c.lower_) for c in node.children
            ):
                break
        chain.append(node)
    return chain


def _after_but(conjunct: Token) -> bool:
    """A 'but' joins the conjunct to the word before it."""
    return any(t.lower_ == "but" for t in conjunctions_between(conjunct.head, conjunct))


def negated_in_parse(
    trigger: Token, cues: Cues, other_trigger: re.Pattern[str] | None = None
) -> bool:
    """A negating dependent or a negative governing word in the trigger's clause."""
    for node in governors(trigger, GOVERNED_BY, other_trigger):
        if node.i != trigger.i and node.lower_ in cues.negation:
            return True  # "failed to induce", "was unable to", "lack of induction"
        for child in node.children:
            if child.dep_ == "neg" and not _pseudo_negation(child, cues):
                return True
            if child.dep_ in ("det", "neg") and child.lower_ in NEGATING_DETERMINERS:
                return True
    return False


def _pseudo_negation(cue: Token, cues: Cues) -> bool:
    """'not only ... but also' states, it does not deny."""
    doc = cue.doc
    for phrase in cues.pseudo_negation:
        if tuple(t.lower_ for t in doc[cue.i : cue.i + len(phrase)]) == phrase:
            return True
    return False


def hedged_in_parse(trigger: Token, cues: Cues) -> bool:
    """A modal or hedging word on the trigger or on any clause above it."""
    for node in governors(trigger, HEDGED_THROUGH):
        if node.i != trigger.i and node.lower_ in cues.hedging:
            return True
        if any(
            child.lower_ in cues.hedging
            for child in node.children
            if child.dep_ in ("aux", "advmod", "mark", "amod", "auxpass")
        ):
            return True
    return trigger.lower_ in cues.hedging
