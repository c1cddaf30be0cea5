"""Claims from a processed Doc: both readers' matches expanded, deduplicated, numbered.

On a sentence the parser saw, the syntax reader runs beside the surface patterns and the
parse decides the argument roles: a surface claim that reverses a pair the parse related,
or gives a trigger the parse read an argument the parse did not give it, is dropped; the
syntax claim is kept where both made the same one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from claimminer.claims.context import DocumentContext
from claimminer.claims.coordination import coordinated, pairings
from claimminer.claims.polarity import (
    argument_negated,
    hedged_in_parse,
    is_hedged,
    is_negated,
    negated_in_parse,
)
from claimminer.claims.roles import (
    DocWords,
    differentiation_product,
    heads_away,
    mark_roles,
    modified_noun,
    modifier_participle,
    names_a_dna_region,
    sentence_topics,
)
from claimminer.claims.surface import Match, RuleMatcher, find_matches
from claimminer.claims.syntax_reader import SyntaxMatch, SyntaxReader
from claimminer.model import Claim, Context, Label
from claimminer.rules import PRONOUN, Cues

# Words that join the members of a list: "IL-2, IL-4 and IL-7", "p50/p65", "CR1 (CD35)".
LIST_WORDS = frozenset({",", "and", "or", "/", "(", ")", "-", "nor", "as", "well", "but", "not"})
# Words that introduce examples of the noun before them: "transcription factors including
# AP-1 and Sp-1", "cytokines such as IL-2": the examples share the noun's claims.
EXAMPLE_WORDS = frozenset({"including", "such", "e.g.", "e.g", "especially", "particularly",
                           "namely", "notably"})  # fmt: skip
JOINING_WORDS = LIST_WORDS | EXAMPLE_WORDS
SURFACE = "surface"
SYNTAX = "syntax"


@dataclass(frozen=True, slots=True)
class _Found:
    """A claim before ids are assigned, with token indices of its arguments."""

    rule: str
    predicate: str
    priority: int
    reader: str
    subject: int
    object: int
    trigger: int
    negated: bool
    hedged: bool
    sentence: Span

    @property
    def stretch(self) -> range:
        """Token positions from the first to the last of its arguments and trigger."""
        positions = (self.subject, self.object, self.trigger)
        return range(min(positions), max(positions) + 1)


def _expand(
    doc: Doc,
    match: Match,
    sentence: Span,
    cues: Cues,
    antecedents: dict[int, int],
    any_trigger: re.Pattern[str],
) -> Iterator[_Found]:
    """The claims of one match: resolve pronouns, add coordinated arguments, set flags."""
    rule = match.rule
    base_negated = rule.negated or is_negated(doc, sentence, match.trigger, cues, any_trigger)
    hedged = is_hedged(doc, sentence, match.trigger, cues)
    sides = []
    for index, labels in ((match.subject, rule.subject_labels), (match.object, rule.object_labels)):
        step = 1 if index > match.trigger else -1
        negated_here = argument_negated(doc, index, sentence)
        governed = any_trigger if index < match.trigger else None
        chain = list(coordinated(doc, index, step, labels, governed, any_trigger))
        if step > 0 or not chain or not chain[-1][1]:
            options = [(index, negated_here)]
            options += [(i, negated_here != flip) for i, flip in chain]
        else:
            # Walking left across "but not": what lies after it in the text (the arguments
            # seen first, nearest the trigger) is denied, what lies before it is not.
            options = [(index, True)] + [(i, not flip) for i, flip in chain]
        sides.append(options)
    # "IL-4-induced STAT6", "CD28-dependent induction of c-jun": the participle or the noun it
    # qualifies is the trigger, so the modifier is the agent; of any other trigger it is not.
    sides[0] = [
        (i, flag)
        for i, flag in sides[0]
        if (participle := modifier_participle(doc, i, cues)) is None
        or match.trigger in (participle, participle + 1)
    ]
    sides[1] = [
        (differentiation_product(doc, head), flag)
        for i, flag in sides[1]
        if (head := modified_noun(doc, i, cues, rule.object_labels)) is not None
    ]
    sides = [
        [(i, flag) for i, flag in side if not heads_away(doc, i, cues, is_object)]
        for is_object, side in zip((False, True), sides, strict=True)
    ]
    if _is_stimulus_modifier(doc, match):
        return  # "Con A-stimulated splenocytes": a stimulus of the cells, stated as context
    if any(names_a_dna_region(doc, subject, cues) for subject, _ in sides[0]):
        return  # "the IL-2 or IL-4 genes": promoters and genes regulate nothing here
    for (subject, subject_negated), (object_, object_negated) in pairings(
        doc, sentence, sides[0], sides[1]
    ):
        resolved = [antecedents.get(i, i) for i in (subject, object_)]
        if any(doc[i]._.cm_role in ("", PRONOUN) for i in resolved):
            continue
        if doc[resolved[0]].ent_type_ not in rule.subject_labels:
            continue
        if doc[resolved[1]].ent_type_ not in rule.object_labels or resolved[0] == resolved[1]:
            continue
        # "neither X nor Y" negates through the cue and the argument alike: no double negation
        negated = base_negated or subject_negated or object_negated
        yield _Found(rule.name, rule.predicate, rule.priority, SURFACE, resolved[0], resolved[1],
                     match.trigger, negated, hedged, sentence)  # fmt: skip


def _from_parse(
    doc: Doc,
    match: SyntaxMatch,
    sentence: Span,
    cues: Cues,
    antecedents: dict[int, int],
    any_trigger: re.Pattern[str],
) -> _Found | None:
    """A syntax match as a claim: pronouns resolved, negation and hedging read off the parse."""
    subject, object_ = (antecedents.get(i, i) for i in (match.subject, match.object))
    if any(doc[i]._.cm_role in ("", PRONOUN) for i in (subject, object_)) or subject == object_:
        return None
    if doc[subject].ent_type_ not in match.rule.subject_labels:
        return None  # a pronoun whose antecedent is of another kind
    trigger = doc[match.trigger]
    negated = match.rule.negated or match.denied or negated_in_parse(trigger, cues, any_trigger)
    hedged = hedged_in_parse(trigger, cues)
    return _Found(match.rule.name, match.predicate, match.rule.priority, SYNTAX, subject,
                  object_, match.trigger, negated, hedged, sentence)  # fmt: skip


def _is_stimulus_modifier(doc: Doc, match: Match) -> bool:
    """'LPS-stimulated macrophages': a hyphenated participle right before a cell mention."""
    object_token = doc[match.object]
    return (
        match.trigger > 0
        and doc[match.trigger - 1].text == "-"
        and match.object == match.trigger + 1
        and object_token.ent_type_ in (Label.CELL_TYPE, Label.CELL_LINE)
    )


def extract_claims(
    doc: Doc,
    rule_matcher: RuleMatcher,
    cues: Cues,
    confidence: dict[str, float] | None = None,
    syntax_reader: SyntaxReader | None = None,
) -> list[Claim]:
    """All claims of a Doc whose entities are merged tokens, in text order.

    Within a sentence, one claim is kept per (subject concept, predicate, object concept,
    negated) and one per pair of mentions: syntax claims first, then by rule priority, then
    by file order.
    """
    lower = tuple(token.lower_ for token in doc)
    context = DocumentContext.of(doc, cues, lower)
    words = mark_roles(doc, context.context_only, cues, lower)
    entity_of_token = words.entity_of_token
    antecedents = sentence_topics(doc, words)
    order = dict(rule_matcher.order)
    if syntax_reader is not None:
        order.update({rule.name: len(order) + k for k, rule in enumerate(syntax_reader.rules)})
    found: list[_Found] = []
    for sentence in doc.sents:
        parsed = syntax_reader is not None and is_parsed(sentence)
        if not _may_hold_a_claim(sentence, words, rule_matcher.any_trigger) and not (
            syntax_reader is not None
            and parsed
            and _may_hold_a_claim(sentence, words, syntax_reader.any_trigger)
        ):
            continue
        surface = [
            item
            for match in find_matches(doc, sentence, words, rule_matcher)
            for item in _expand(doc, match, sentence, cues, antecedents, rule_matcher.any_trigger)
        ]
        if syntax_reader is not None and parsed:
            read = [_from_parse(doc, m, sentence, cues, antecedents, syntax_reader.any_trigger)
                    for m in syntax_reader.read(sentence, cues)]  # fmt: skip
            syntax = [item for item in read if item is not None]
            surface = _not_contradicting(surface, syntax)
            found.extend(syntax)
        found.extend(surface)
    found.sort(
        key=lambda f: (f.sentence.start, f.reader != SYNTAX, -f.priority,
                       order.get(f.rule, len(order)), f.trigger)
    )  # fmt: skip
    kept: dict[tuple[int, str, str, str, bool], _Found] = {}
    pairs_seen: set[tuple[int, int, int]] = set()
    for item in found:
        pair = (item.sentence.start, item.subject, item.object)
        key = (item.sentence.start, _concept(doc, item.subject), item.predicate,
               _concept(doc, item.object), item.negated)  # fmt: skip
        if key in kept or pair in pairs_seen or key[1] == key[3]:
            continue  # a second mention of the subject is not something it acts on
        kept[key] = item
        pairs_seen.add(pair)
    ordered = sorted(
        kept.values(), key=lambda f: (f.sentence.start, f.trigger, f.subject, f.object)
    )
    claims = []
    for number, item in enumerate(ordered, start=1):
        others = [o.stretch for o in ordered if o.sentence.start == item.sentence.start
                  and o.stretch != item.stretch]  # fmt: skip
        claim_context = context.for_claim(
            item.sentence, item.stretch, others, {item.subject, item.object}
        )
        claim = _to_claim(doc, number, item, claim_context, entity_of_token)
        if confidence and item.rule in confidence:
            claim = replace(claim, confidence=confidence[item.rule])
        claims.append(claim)
    return claims


def is_parsed(sentence: Span) -> bool:
    """Whether a parser analysed the sentence.

    claimminer's syntax component records the sentences it parsed; a pipeline given with
    --model that has a parser of its own has parsed them all.
    """
    recorded = sentence.doc._.parsed_sentences
    if recorded is None:
        return sentence.doc.has_annotation("DEP")
    return sentence.start_char in recorded


def _not_contradicting(surface: list[_Found], syntax: list[_Found]) -> list[_Found]:
    """Surface claims that the parse does not contradict.

    The parse decides the roles of a pair of mentions it related (a surface claim the other
    way round goes) and the arguments of a trigger it read: a surface claim on that trigger
    stays only when each of its arguments is one the parse gave the trigger or is listed
    with one and used by the parse nowhere else ("IL-2, IL-4 and IL-7", where the parse may
    miss a conjunct). Claims on triggers the parse did not read stay.
    """
    pairs = {(item.subject, item.object) for item in syntax}
    used = {index for item in syntax for index in (item.subject, item.object)}
    read: dict[int, tuple[set[int], set[int]]] = {}
    for item in syntax:
        subjects, objects = read.setdefault(item.trigger, (set(), set()))
        subjects.add(item.subject)
        objects.add(item.object)
    kept = []
    for item in surface:
        if (item.object, item.subject) in pairs:
            continue
        if item.trigger in read:
            subjects, objects = read[item.trigger]
            doc = item.sentence.doc
            if not (_listed_with(doc, item.subject, subjects, used)
                    and _listed_with(doc, item.object, objects, used)):  # fmt: skip
                continue
        kept.append(item)
    return kept


def _listed_with(doc: Doc, index: int, others: set[int], used: set[int]) -> bool:
    """The mention is one of `others`, or is listed with one and the parse used it nowhere.

    A mention the parse gave a role elsewhere ("..., and IL-4 activates STAT6") is not a
    conjunct it missed.
    """
    if index in others:
        return True
    if index in used:
        return False
    for other in others:
        low, high = sorted((index, other))
        if all(doc[i]._.cm_role or doc[i].lower_ in JOINING_WORDS for i in range(low + 1, high)):
            return True
    return False


def _may_hold_a_claim(sentence: Span, words: DocWords, any_trigger: re.Pattern[str]) -> bool:
    """Whether the sentence has the two arguments and the trigger every rule needs.

    Most sentences of an abstract do not, and skipping them saves the matcher most of its work.
    """
    positions = words.span(sentence)
    arguments = sum(1 for index in positions if words.role[index])
    return arguments >= 2 and any(any_trigger.match(words.lower[index]) for index in positions)


def _concept(doc: Doc, index: int) -> str:
    token: Token = doc[index]
    return token.ent_kb_id_ or "text:" + token.lower_


def _to_claim(
    doc: Doc, number: int, item: _Found, context: Context, entity_of_token: dict[int, int]
) -> Claim:
    trigger = doc[item.trigger]
    return Claim(
        id=f"C{number}",
        subject=f"E{entity_of_token[item.subject] + 1}",
        predicate=item.predicate,
        object=f"E{entity_of_token[item.object] + 1}",
        negated=item.negated,
        hedged=item.hedged,
        context=context,
        sentence_start=item.sentence.start_char,
        sentence_end=item.sentence.end_char,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger.text),
        rule=item.rule,
    )
