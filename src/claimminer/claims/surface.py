"""The surface reader: token-sequence patterns (rules/*.yaml) compiled into a spaCy Matcher.

A pattern names a subject, a trigger and an object with bounded skips between them; the
checks here decide whether a match reads as the rule says (active voice, clause openers).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from claimminer.claims.roles import DocWords, role_norm
from claimminer.claims.words import (
    AGENT_ENDINGS,
    ARGUMENT_HEADS,
    BE_FORMS,
    CLAUSE_OPENERS,
    CLAUSE_PREPOSITIONS,
    DETERMINERS,
    LIST_CONNECTORS,
    MODIFYING_ADVERBS,
    NOMINAL_ENDINGS,
    PHRASE_PREPOSITIONS,
)
from claimminer.rules import ROLE_LABELS, Element, Rule, RuleSet

# Tokens a skip may not pass over (unless the rule lets it through arguments).
OPAQUE_NORMS = sorted(role_norm(role, opaque=True) for role in ROLE_LABELS)


@dataclass(frozen=True, slots=True)
class Match:
    """One rule match: token indices of the trigger and the two arguments."""

    rule: Rule
    trigger: int
    subject: int
    object: int
    start: int
    end: int


def element_pattern(element: Element, rule: Rule, rules: RuleSet) -> dict[str, object]:
    """One pattern element as a spaCy Matcher token pattern."""
    barrier = {"NOT_IN": [*rules.barriers, *element.excluded]}
    if element.kind == "role":
        labels = rule.subject_labels if element.role == "subject" else rule.object_labels
        norms = sorted(role_norm(label, opaque) for label in labels for opaque in (False, True))
        return {"NORM": {"IN": norms}}
    if element.kind == "trigger":
        stems = "|".join(sorted(rules.triggers[element.trigger or ""]))
        # a merged mention is never a trigger: "activated dendritic cells" names cells
        token: dict[str, object] = {"LOWER": {"REGEX": f"^(?:{stems})"}, "ENT_TYPE": ""}
    elif element.kind == "words":
        token = {"LOWER": {"IN": list(element.words)}}
    else:
        # "*" and a length check on the alignment afterwards: spaCy expands "{0,n}" into n
        # optional states, which multiplies across the skips of a pattern.
        token = {"LOWER": barrier, "OP": "*"}
        if not element.through_arguments:
            token["NORM"] = {"NOT_IN": OPAQUE_NORMS}
        return token
    if element.optional:
        token["OP"] = "?"
    return token


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """What a sentence offers the rules: its words, its trigger groups, its roles."""

    words: frozenset[str]
    triggers: frozenset[str]  # groups with a word outside mentions that starts like them
    roles: frozenset[str]

    @classmethod
    def of(cls, sentence: Span, words: DocWords, rule_matcher: RuleMatcher) -> SentenceWords:
        """The sentence's share of the doc's words."""
        positions = words.span(sentence)
        free = {words.lower[i] for i in positions if not words.in_entity[i]}
        starts_a_trigger = [word for word in free if rule_matcher.any_trigger.match(word)]
        return cls(
            words=frozenset(words.lower[i] for i in positions),
            triggers=frozenset(
                group
                for group, pattern in rule_matcher.trigger_patterns.items()
                if any(pattern.match(word) for word in starts_a_trigger)
            ),
            roles=frozenset(words.role[i] for i in positions if words.role[i]),
        )


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One rule's Matcher and the words and roles without which it cannot match."""

    rule: Rule
    matcher: Matcher
    triggers: frozenset[str]  # the groups of its required trigger elements
    word_sets: tuple[frozenset[str], ...]
    role_sets: tuple[frozenset[str], ...]
    # the first trigger's pattern and how far an accepted match reaches on either side of it;
    # None where a rule has no required trigger (it then runs on the whole sentence)
    anchor: re.Pattern[str] | None = None
    reach_before: int = 0
    reach_after: int = 0

    def windows(self, sentence: Span, words: DocWords) -> list[tuple[int, int]]:
        """Stretches of the sentence that hold every match this rule can accept.

        An accepted match keeps every skip within its bound (`_acceptable_alignment`), so
        it lies within `reach_before` and `reach_after` tokens of a trigger word; the
        Matcher, whose cost grows with the tokens it reads, then reads only those.
        Overlapping stretches are joined, so no match is found twice.
        """
        if self.anchor is None:
            return [(sentence.start, sentence.end)]
        windows: list[tuple[int, int]] = []
        for i in words.span(sentence):
            if words.in_entity[i] or not self.anchor.match(words.lower[i]):
                continue
            start = max(sentence.start, i - self.reach_before)
            end = min(sentence.end, i + self.reach_after + 1)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
        return windows

    def may_match(self, offered: SentenceWords) -> bool:
        """Whether every required element finds a token it could take in the sentence."""
        return (
            self.triggers <= offered.triggers
            and all(roles & offered.roles for roles in self.role_sets)
            and all(words & offered.words for words in self.word_sets)
        )


class RuleMatcher:
    """Each rule of a rule set compiled into a spaCy Matcher, screened per sentence.

    A rule runs only on a sentence holding its trigger, its fixed words and its argument
    kinds: most sentences offer a few of the 45 rules, and the Matcher's work grows with
    the patterns it tries at every argument token.
    """

    def __init__(self, rules: RuleSet, vocab: Vocab) -> None:
        self.rules = rules
        self.order = {rule.name: position for position, rule in enumerate(rules.rules)}
        self.trigger_patterns = {
            name: re.compile("^(?:" + "|".join(group) + ")")
            for name, group in rules.triggers.items()
        }
        stems = sorted({stem for group in rules.triggers.values() for stem in group})
        self.any_trigger = re.compile("^(?:" + "|".join(stems) + ")")
        self.compiled = tuple(self._compile(rule, vocab) for rule in rules.rules)

    def _compile(self, rule: Rule, vocab: Vocab) -> CompiledRule:
        matcher = Matcher(vocab, validate=True)
        matcher.add(rule.name, [[element_pattern(e, rule, self.rules) for e in rule.pattern]])
        required = [element for element in rule.pattern if not element.optional]
        first = next(
            (k for k, e in enumerate(rule.pattern) if e.kind == "trigger" and not e.optional),
            None,
        )
        anchor, before, after = None, 0, 0
        if first is not None:
            anchor = self.trigger_patterns[rule.pattern[first].trigger or ""]
            before = sum(_longest(e) for e in rule.pattern[:first])
            after = sum(_longest(e) for e in rule.pattern[first + 1 :])
        return CompiledRule(
            rule=rule,
            matcher=matcher,
            anchor=anchor,
            reach_before=before,
            reach_after=after,
            triggers=frozenset(e.trigger or "" for e in required if e.kind == "trigger"),
            word_sets=tuple(frozenset(e.words) for e in required if e.kind == "words"),
            role_sets=tuple(
                rule.subject_labels if e.role == "subject" else rule.object_labels
                for e in required
                if e.kind == "role"
            ),
        )

    def candidates(self, sentence: Span, words: DocWords) -> Iterator[CompiledRule]:
        """The rules that may match in the sentence, in file order."""
        offered = SentenceWords.of(sentence, words, self)
        return (compiled for compiled in self.compiled if compiled.may_match(offered))


RawMatch = tuple[Rule, int, int, Sequence[int]]  # rule, start, end (sentence-relative), alignment


def _longest(element: Element) -> int:
    """The most tokens one pattern element takes in an accepted match."""
    return element.skip if element.kind == "skip" else 1


def find_matches(
    doc: Doc, sentence: Span, words: DocWords, rule_matcher: RuleMatcher
) -> list[Match]:
    """Rule matches inside one sentence, with the token that filled each role."""
    raw = (
        (compiled.rule, window - sentence.start + start, window - sentence.start + end, alignment)
        for compiled in rule_matcher.candidates(sentence, words)
        for window, window_end in compiled.windows(sentence, words)
        for _, start, end, alignment in aligned_matches(compiled.matcher, doc[window:window_end])
    )
    return accept_matches(doc, sentence, rule_matcher, raw)


def aligned_matches(matcher: Matcher, sentence: Span) -> Iterator[tuple[int, int, int, list[int]]]:
    """(match id, start, end, pattern element of each token) of a Matcher over a sentence."""
    found: list[tuple[int, int, int, list[int]]] = matcher(sentence, with_alignments=True)  # type: ignore[assignment]
    return iter(found)


def accept_matches(
    doc: Doc, sentence: Span, rule_matcher: RuleMatcher, raw: Iterable[RawMatch]
) -> list[Match]:
    """The matches that read as their rule says, the nearest object per trigger and subject."""
    found = []
    for rule, start, end, alignment in raw:
        base = sentence.start + start
        aligned = _acceptable_alignment(doc, rule, rule_matcher, base, list(alignment))
        if aligned is None:
            continue
        slots = _slots(rule, aligned, base)
        if _qualifies_a_noun(doc, slots["object"], slots["trigger"]):
            continue
        if rule.opens_clause and not _opens_clause(
            doc, sentence, slots[rule.opens_clause], rule_matcher.any_trigger
        ):
            continue
        found.append(
            Match(rule, slots["trigger"], slots["subject"], slots["object"],
                  base, sentence.start + end)
        )  # fmt: skip
    return _nearest_per_trigger(found)


def _slots(rule: Rule, alignment: Sequence[int], base: int) -> dict[str, int]:
    """Token index of each role of a match.

    Subject, object and trigger (the last one: "... and the downregulation"), and the
    trigger that must read as active ("verb"), if any.
    """
    slots: dict[str, int] = {}
    for offset, element_index in enumerate(alignment):
        element = rule.pattern[element_index]
        key = element.role if element.kind == "role" else element.kind
        if key == "trigger":
            slots[key] = base + offset
            if element.active_voice:
                slots["verb"] = base + offset
        else:
            slots.setdefault(key or "", base + offset)
    return slots


def _acceptable_alignment(
    doc: Doc, rule: Rule, rule_matcher: RuleMatcher, base: int, alignment: list[int]
) -> list[int] | None:
    """An alignment of the match that keeps every skip in its bound and reads active.

    The match's own, or one with a trigger moved earlier: spaCy aligns "*" skips greedily,
    so the trigger slot takes the last trigger word. In 'GATA3 potentiated the induction of
    RALDH2' that is the nominal 'induction' (not active), and in 'C3a as well as C3a(desArg)
    enhanced LPS-induced IL-6' the skip before 'induced' overruns its bound, although
    'potentiated' and 'enhanced' fit. The words between the two candidates then belong to the
    skip after the trigger, within its bound and exclusions.
    """

    def acceptable(candidate: list[int]) -> bool:
        if not _skips_within_bounds(rule, candidate):
            return False
        slots = _slots(rule, candidate, base)
        return "verb" not in slots or reads_as_active(doc, slots["verb"], slots["subject"])

    if acceptable(alignment):
        return alignment
    for k, element in enumerate(rule.pattern):
        if element.kind != "trigger" or not 0 < k < len(rule.pattern) - 1:
            continue
        before, after = rule.pattern[k - 1], rule.pattern[k + 1]
        if before.kind != "skip" or after.kind != "skip" or k not in alignment:
            continue
        stems = rule_matcher.trigger_patterns[element.trigger or ""]
        current = alignment.index(k)
        for position in range(current - 1, -1, -1):
            if alignment[position] != k - 1:
                break
            moved = [doc[base + i] for i in range(position + 1, current + 1)]
            if any(
                t.lower_ in after.excluded or (t._.cm_opaque and not after.through_arguments)
                for t in moved
            ) or not stems.match(doc[base + position].lower_):
                continue
            candidate = [*alignment[:position], k, *[k + 1] * len(moved), *alignment[current + 1 :]]
            if acceptable(candidate):
                return candidate
    return None


def _opens_clause(doc: Doc, sentence: Span, argument: int, any_trigger: re.Pattern[str]) -> bool:
    """No argument and no finite trigger verb stand between the clause start and the argument.

    Names coordinated with it ('IL-5, IL-13 and IL-4 require') are part of it. In 'DMDTC
    inhibits IL-2 production and decreases CD25', IL-2 is the object of 'inhibits', so it is
    not the subject that the second verb shares.
    """
    start = argument
    while True:
        before = start - 1
        while before > sentence.start and doc[before].lower_ in LIST_CONNECTORS:
            before -= 1
        if before == start - 1 or not doc[before]._.cm_role:
            break
        start = before
    if start > sentence.start and doc[start - 1].lower_ in PHRASE_PREPOSITIONS:
        return False  # "cells cultured with IL-12 require": IL-12 sits in a phrase
    for position in range(start - 1, sentence.start - 1, -1):
        token = doc[position]
        if token.lower_ in CLAUSE_OPENERS:
            return True
        if token._.cm_opaque or _is_finite_trigger(token, any_trigger):
            return False
    return True


def _is_finite_trigger(token: Token, any_trigger: re.Pattern[str]) -> bool:
    """'inhibits', 'reduced': a trigger word with a verb's ending.

    Not a noun or an agent, nor a modifier ('IL-4-induced', 'the induced').
    """
    word = token.lower_
    before = token.nbor(-1) if token.i > 0 else None
    return (
        bool(any_trigger.match(word))
        and word.endswith(("s", "ed"))
        and not word.endswith(NOMINAL_ENDINGS + AGENT_ENDINGS)
        and (before is None or (before.text != "-" and before.lower_ not in DETERMINERS))
    )


def _qualifies_a_noun(doc: Doc, object_: int, trigger: int) -> bool:
    """Whether a mention before the trigger qualifies the noun before it.

    In 'IL-4 production by Th2 cells was dependent on' or 'cells expanded with IL-2 were
    unresponsive to', a mention right after 'by', 'from' or 'with' is not what the clause is
    about.
    """
    return object_ < trigger and object_ > 0 and doc[object_ - 1].lower_ in ("by", "from", "with")


def reads_as_active(doc: Doc, trigger: int, subject: int) -> bool:
    """Whether the subject acts through the trigger.

    Not in 'IL-2 secretion was increased' (a passive participle: the subject is what changed)
    nor in 'STAT6 activation plays a role' (the subject's own process, not its act).
    """
    word = doc[trigger].lower_
    if word.endswith(("ible", "able")):
        return False  # "inducible binding of p50": an adjective, no act
    if (
        trigger > 0
        and doc[trigger - 1].text == "-"
        and any(
            token.text not in "()" and not token._.cm_role
            for token in doc[subject + 1 : trigger - 1]
        )
    ):
        return False  # "collagen-induced arthritis": only collagen acts through "induced"
    before = trigger - 1
    while before > subject and doc[before].lower_ in MODIFYING_ADVERBS:
        before -= 1
    if word.endswith("ed") and doc[before].lower_ in BE_FORMS:
        return False
    after = doc[trigger + 1].lower_ if trigger + 1 < len(doc) else ""
    if word.endswith("ed") and (
        after in ("with", "by") or doc[trigger - 1].lower_ in CLAUSE_PREPOSITIONS
    ):
        return False  # "keratinocytes stimulated with poly(I:C)", "released by activated cells"
    if doc[trigger - 1].lower_ in DETERMINERS:
        return False  # "cooperates with the induced T-bet", "an enhanced release of TNF"
    if word.endswith(AGENT_ENDINGS) and after not in ("of", "for"):
        return False  # "the transactivator c-Rel" names c-Rel; "an inducer of" acts
    follows_subject = before == subject or (
        before == subject + 1 and doc[before].lower_ in ARGUMENT_HEADS
    )
    nominal = word.endswith(NOMINAL_ENDINGS)
    if nominal and any(doc[i].text in (",", ";") for i in range(subject + 1, trigger)):
        return False  # "IL-2 production, inhibition of c-myc": a list, not an agent
    return not (follows_subject and nominal and after not in ("of", "by"))


def _skips_within_bounds(rule: Rule, alignment: Sequence[int]) -> bool:
    """True when no skip element of the rule consumed more tokens than it allows."""
    used = Counter(alignment)
    return all(
        used[index] <= element.skip
        for index, element in enumerate(rule.pattern)
        if element.kind == "skip"
    )


def _nearest_per_trigger(matches: list[Match]) -> list[Match]:
    """For each rule, trigger and subject keep the shortest match (the nearest object)."""
    best: dict[tuple[str, int, int], Match] = {}
    for match in sorted(matches, key=lambda m: (m.end - m.start, m.start)):
        best.setdefault((match.rule.name, match.trigger, match.subject), match)
    return sorted(best.values(), key=lambda m: (m.start, m.rule.name))
