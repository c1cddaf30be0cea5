"""The syntax reader: claims read off the dependency parse with rules from syntax_rules.yaml.

A rule names trigger words of a form (an active verb, a passive participle, a noun, a
hyphenated modifier, a predicate word) and the path from the trigger to each argument. The
node a path reaches stands for a mention when it is one, or when it is a noun whose modifier
or "of" phrase is one ("NK cell cytotoxicity" is about NK cells, "the production of IL-2"
about IL-2). Coordinated nodes (`conj`) share the claim; a denied one ("but not IL-4") makes
a negated claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimminer.claims.coordination import pairings
from claimminer.claims.roles import heads_away, names_a_dna_region
from claimminer.claims.syntax_paths import (
    agent_of,
    clause_subject,
    conjuncts,
    direct_object_of,
    head_noun,
    hyphen_modifier,
    is_active_verb,
    is_passive,
    is_predicate_word,
    noun_modifier,
    passive_subject_of,
    possessor,
    preposition_objects,
    present_factor,
    subject_of,
)
from claimminer.model import Label
from claimminer.rules import ArgumentPath, Cues, SyntaxRule

# How deep a noun is looked through for the mention it is about: "the activity of the
# promoter of IL-2" stops after two steps.
TRANSPARENT_DEPTH = 3
NOUN_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "npadvmod", "poss"})
EXAMPLE_PREPOSITIONS = ("including", "like", "as")
# A sign on a trigger of `affects`: "negatively regulates", "a positive regulator of".
SIGN_WORDS = {
    "negative": "decreases",
    "negatively": "decreases",
    "positive": "increases",
    "positively": "increases",
}

PathFunction = Callable[[Token], list[Token]]
NAMED_PATHS: dict[str, PathFunction] = {
    "subject": subject_of,
    "passive_subject": passive_subject_of,
    "direct_object": direct_object_of,
    "head_noun": head_noun,
    "hyphen_modifier": hyphen_modifier,
    "clause_subject": clause_subject,
    "possessor": possessor,
    "noun_modifier": noun_modifier,
    "present_factor": present_factor,
}


@dataclass(frozen=True, slots=True)
class SyntaxMatch:
    """One claim read off the parse: token indices, and whether an argument was denied."""

    rule: SyntaxRule
    predicate: str
    trigger: int
    subject: int
    object: int
    denied: bool


class SyntaxReader:
    """The syntax rules with their trigger patterns compiled once."""

    def __init__(self, rules: tuple[SyntaxRule, ...], triggers: dict[str, tuple[str, ...]]):
        self.rules = rules
        self.patterns = {
            name: re.compile("^(?:" + "|".join(stems) + ")") for name, stems in triggers.items()
        }
        used = {name for rule in rules for name in rule.predicates}
        stems = sorted({stem for name in used for stem in triggers[name]})
        self.any_trigger = re.compile("^(?:" + "|".join(stems) + ")")

    def read(self, sentence: Span, cues: Cues) -> list[SyntaxMatch]:
        """Every claim the rules read in one parsed sentence."""
        found = []
        for token in sentence:
            if token.ent_type_ or not self.any_trigger.match(token.lower_):
                continue  # a mention is never its own trigger
            for rule in self.rules:
                predicate = self._predicate(rule, token)
                if predicate is None or not has_form(token, rule.form):
                    continue
                predicate = signed(predicate, token)
                subjects = reach(token, rule.subject, rule.subject_labels, cues, False)
                if not subjects:
                    continue
                objects = [
                    (mention, denied)
                    for mention, denied in reach(token, rule.object, rule.object_labels, cues, True)
                    if not stimulates_cells(token, mention)
                ]
                sides = [[(t.i, d) for t, d in subjects], [(t.i, d) for t, d in objects]]
                for (subject, s_denied), (object_, o_denied) in pairings(
                    token.doc, sentence, *sides
                ):
                    if subject != object_:
                        denied = s_denied or o_denied
                        found.append(
                            SyntaxMatch(rule, predicate, token.i, subject, object_, denied)
                        )
        return found

    def _predicate(self, rule: SyntaxRule, token: Token) -> str | None:
        word = token.lower_
        for trigger, predicate in rule.predicates.items():
            if self.patterns[trigger].match(word):
                return predicate
        return None


def signed(predicate: str, trigger: Token) -> str:
    """`affects` with a sign on the trigger: "negatively regulates", "a positive regulator".

    >>> import spacy
    >>> doc = spacy.blank("en")("negatively regulates")
    >>> doc[0].head = doc[1]
    >>> signed("affects", doc[1]), signed("increases", doc[1])
    ('decreases', 'increases')
    """
    if predicate != "affects":
        return predicate
    for child in trigger.children:
        sign = SIGN_WORDS.get(child.lower_)
        if sign is not None and child.i < trigger.i:
            return sign
    return predicate


def stimulates_cells(trigger: Token, mention: Token) -> bool:
    """'LPS-stimulated macrophages': a hyphenated participle right on a cell mention.

    The stimulus the cells received is their context, never a claim of its own; a process
    noun between ("IL-2-induced T cell proliferation") makes it one.
    """
    return (
        mention.i == trigger.head.i
        and trigger.i > 0
        and trigger.doc[trigger.i - 1].text == "-"
        and mention.ent_type_ in (Label.CELL_TYPE, Label.CELL_LINE)
    )


def has_form(token: Token, form: str) -> bool:
    """Whether the trigger token has the grammatical form a rule asks for."""
    if form == "any":
        return True
    if form == "active_verb":
        return is_active_verb(token)
    if form == "passive_verb":
        return is_passive(token)
    if form == "noun":
        return token.tag_.startswith("NN")
    if form == "hyphen_modifier":
        before = token.doc[token.i - 2] if token.i >= 2 else None
        return before is not None and token.doc[token.i - 1].text == "-" and not before.whitespace_
    if form == "predicate":
        return is_predicate_word(token)
    raise ValueError(f"unknown trigger form {form!r}")


def reach(
    trigger: Token,
    paths: tuple[ArgumentPath, ...],
    labels: frozenset[str],
    cues: Cues,
    is_object: bool,
) -> list[tuple[Token, bool]]:
    """The mentions the first path that reaches any reaches, each with whether it is denied."""
    for path in paths:
        found = reach_one(trigger, path, labels, cues, is_object)
        if found:
            return found
    return []


def reach_one(
    trigger: Token, path: ArgumentPath, labels: frozenset[str], cues: Cues, is_object: bool
) -> list[tuple[Token, bool]]:
    """The mentions one path from the trigger reaches, each with whether it is denied."""
    if path.name == "prep":
        nodes = list(preposition_objects(trigger, path.prepositions))
    elif path.name == "agent":
        nodes = agent_of(trigger)
    else:
        nodes = [(node, False) for node in NAMED_PATHS[path.name](trigger)]
    found: dict[int, tuple[Token, bool]] = {}
    for node, denied in nodes:
        for member, member_denied in conjuncts(node):
            for mention, inner_denied in mentions_of(member, labels, cues, is_object, 0):
                if mention.i not in found:
                    found[mention.i] = (mention, denied or member_denied or inner_denied)
    return [found[i] for i in sorted(found)]


def mentions_of(
    token: Token, labels: frozenset[str], cues: Cues, is_object: bool, depth: int
) -> Iterator[tuple[Token, bool]]:
    """The argument mentions a node stands for: itself, or what a noun is about.

    A noun is about the first of: what a noun of means was given ("treatment of T cells
    with IL-4": IL-4), a mention in apposition ("the mediator, thrombin,"), what
    it turns into ("the differentiation of naive T cells into Th17 cells"), its nearest
    modifier that is a mention ("NK cell cytotoxicity") or a noun about one ("IL-2 promoter
    activity"), the object of its "of" ("the production of IL-2"), or the examples it
    introduces ("factors including CREB and AP-1", "cytokines such as IL-6"). Each mention
    comes with whether a list on the way denied it ("but not the related proteins bcl-2").
    """
    role = token._.cm_role
    if role:
        members = _named_members(token) if depth < TRANSPARENT_DEPTH else []
        if members:  # "the Th2-type cytokines, IL-4 and IL-13,": the names, not the class
            for member, denied in members:
                for mention, inner in mentions_of(member, labels, cues, is_object, depth + 1):
                    yield mention, denied or inner
        elif role in labels and not _excluded(token, cues, is_object):
            yield token, False
        return
    if depth >= TRANSPARENT_DEPTH or not token.tag_.startswith("NN"):
        return
    if token.lower_ in cues.indirect_heads:
        return  # "IL-2 deprivation": about the absence of IL-2
    named = [(c, False) for c in token.children if c._.cm_role and _names_the_noun(token, c)]
    modifiers = [c for c in reversed(list(token.lefts)) if c.dep_ in NOUN_MODIFIER_DEPS]
    nearest = [(c, False) for c in modifiers if c._.cm_role][:1] or [
        (c, False) for c in modifiers if c.tag_.startswith("NN")
    ][:1]
    means = list(preposition_objects(token, ("with",))) if token.lower_ in cues.means_nouns else []
    candidates = (
        means,  # "treatment of T cells with IL-4": IL-4
        named,
        list(preposition_objects(token, ("into",))),  # "differentiation into"
        nearest,
        list(preposition_objects(token, ("of",))),  # "of Th2 cells but not of Th1 cells"
        [(pobj, denied) for pobj, denied in preposition_objects(token, EXAMPLE_PREPOSITIONS)
         if pobj.head.lower_ != "as" or _after_such(pobj.head)],
    )  # fmt: skip
    for nodes in candidates:
        found = [
            (mention, denied or member_denied or inner)
            for node, denied in nodes
            for member, member_denied in conjuncts(node)
            for mention, inner in mentions_of(member, labels, cues, is_object, depth + 1)
        ]
        if found:
            yield from found
            return


def _names_the_noun(noun: Token, child: Token) -> bool:
    """An apposition, or a name the parser left unlabelled right after the noun.

    "the proinflammatory cytokines IL-1 beta, IL-8 and TNF-alpha": the names follow the class
    noun, which the parser may join to them with `dep` instead of `appos`.
    """
    if child.dep_ == "appos":
        return True
    between = child.doc[noun.i + 1 : child.i]
    return child.dep_ == "dep" and child.i > noun.i and all(t.text == "," for t in between)


def _named_members(token: Token) -> list[tuple[Token, bool]]:
    """The grounded mentions set beside an ungrounded class mention, with their conjuncts.

    "The Th2-type cytokines, interleukin-4 and interleukin-13, induce": the class mention
    (a plural common noun with no concept, "cytokines") is named by the apposition after a
    comma. A parenthesised apposition is another name of the same thing ("interleukin-4
    (IL-4)") and is not a member; a grounded head or a name is a thing of its own.
    """
    if token.ent_kb_id_ or token.tag_ != "NNS" or not token.text.islower():
        return []
    doc = token.doc
    return [
        (member, denied)
        for child in token.children
        if child._.cm_role and child.ent_kb_id_ and _names_the_noun(token, child)
        and child.i > 0 and doc[child.i - 1].text != "("
        for member, denied in conjuncts(child)
    ]  # fmt: skip


def _after_such(preposition: Token) -> bool:
    """'such as': the preposition 'as' that follows 'such'."""
    return preposition.i > 0 and preposition.doc[preposition.i - 1].lower_ == "such"


def _excluded(token: Token, cues: Cues, is_object: bool) -> bool:
    """A mention that qualifies DNA (as a subject) or names what is missing or answered."""
    doc = token.doc
    if not is_object and names_a_dna_region(doc, token.i, cues):
        return True
    return heads_away(doc, token.i, cues, is_object)
